package mockprovider_test

import (
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// goroutineT lets the helpers' require calls stop a goroutine other than
// the test's: FailNow marks the test failed and ends that goroutine only.
type goroutineT struct{ testing.TB }

func (g goroutineT) FailNow() {
	g.TB.Fail()
	runtime.Goexit()
}

// TestConcurrentFlows runs 20 whole flows at once against one provider
// (run it with -race).
func TestConcurrentFlows(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	users := map[string]string{"alice": "wonderland", "bob": "builder"}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			t := goroutineT{t}
			username := []string{"alice", "bob"}[i%2]
			client := []tokenClient{seedBasic, seedPost}[i%2]
			b := newBrowser(t, srv.URL)
			res := b.signIn(username, users[username], "/")
			require.Equal(t, http.StatusSeeOther, res.Status)

			state := fmt.Sprintf("state-%d", i)
			params := seedParams("state", state, "code_challenge", challenge, "code_challenge_method", "S256")
			cb := b.authorize(params)
			assert.Equal(t, state, cb.Get("state"))
			tr := tokens(t, exchange(t, srv.URL, client, cb.Get("code"), mockprovider.SeedRedirectURI, "code_verifier", verifier))

			me := bearerGet(t, srv.URL, "/oauth/api/me", "Bearer "+tr.AccessToken)
			assert.JSONEq(t, fmt.Sprintf(`{"username":%q,"email":"%s@example.com"}`, username, username), me.Body)

			// A second exchange of the same code fails and revokes.
			assertTokenError(t, exchange(t, srv.URL, client, cb.Get("code"), mockprovider.SeedRedirectURI, "code_verifier", verifier), http.StatusBadRequest, "invalid_grant")
			assert.Equal(t, http.StatusUnauthorized, bearerGet(t, srv.URL, "/oauth/api/me", "Bearer "+tr.AccessToken).Status)

			// Another code, refreshed, then revoked.
			cb = b.authorize(seedParams("state", state))
			tr = tokens(t, exchange(t, srv.URL, client, cb.Get("code"), mockprovider.SeedRedirectURI))
			tr = tokens(t, postForm(t, srv.URL, "/oauth/token", client, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tr.RefreshToken}}))
			assert.Equal(t, http.StatusOK, postForm(t, srv.URL, "/oauth/revoke", client, url.Values{"token": {tr.AccessToken}}).Status)
			assert.Equal(t, http.StatusUnauthorized, bearerGet(t, srv.URL, "/oauth/api/me", "Bearer "+tr.AccessToken).Status)

			// Register a client and use it.
			form := b.get("/oauth/register")
			reg := b.post("/oauth/register", url.Values{
				"csrf": {hidden(t, form.Body, "csrf")}, "name": {state}, "homepage_url": {"http://localhost:9400"},
				"redirect_uris": {fmt.Sprintf("http://localhost:9400/cb/%d", i)},
			})
			require.Equal(t, http.StatusCreated, reg.Status)
			cc := tokenClient{id: elementText(t, reg.Body, "client_id"), secret: elementText(t, reg.Body, "client_secret"), basic: true}
			tokens(t, postForm(t, srv.URL, "/oauth/token", cc, url.Values{"grant_type": {"client_credentials"}}))
			_ = srv.Requests()
			_ = srv.Clients()
		})
	}
	// The control API and the clock, meanwhile.
	wg.Go(func() {
		for range 20 {
			assert.NoError(t, srv.Advance(0))
			_ = srv.ActiveQuirks()
			_ = srv.Now()
		}
	})
	wg.Wait()
	assert.Len(t, srv.Clients(), len(mockprovider.DefaultClients())+20)
	seen := map[string]bool{}
	for _, c := range srv.Clients() {
		assert.False(t, seen[c.ID], "client_id %s handed out twice", c.ID)
		seen[c.ID] = true
	}
}
