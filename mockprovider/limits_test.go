package mockprovider_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// TestLimitsForgetTheOldest: past Limits.Tokens the oldest tokens are
// forgotten, so that a client hammering the token endpoint cannot grow
// the provider's memory (issue 9: 21 MB per 10,000 tokens, never freed).
func TestLimitsForgetTheOldest(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t, mockprovider.WithLimits(mockprovider.Limits{Tokens: 10, Requests: 5}))
	clientToken := func() string {
		return tokens(t, postForm(t, srv.URL, "/oauth/token", seedPost, url.Values{"grant_type": {"client_credentials"}})).AccessToken
	}
	oldest := clientToken()
	for range 10 {
		clientToken()
	}
	newest := clientToken()
	active := func(token string) bool {
		res := postForm(t, srv.URL, "/oauth/introspect", seedPost, url.Values{"token": {token}})
		var out struct{ Active bool }
		require.NoError(t, json.Unmarshal([]byte(res.Body), &out), res.Body)
		return out.Active
	}
	assert.False(t, active(oldest), "forgotten")
	assert.True(t, active(newest), "kept")

	log := srv.Requests()
	require.Len(t, log, 5, "the request log keeps Limits.Requests records")
	assert.Equal(t, 14, log[4].Seq, "sequence numbers go on counting")
	assert.Equal(t, mockprovider.PathIntrospect, log[4].Path)
}

// TestExpiredEntriesAreDropped: once the clock passes a token's expiry by
// a day it is forgotten; until then it is refused as expired.
func TestExpiredEntriesAreDropped(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	tr := userTokens(t, srv, seedParams())
	introspect := func() map[string]any {
		res := postForm(t, srv.URL, "/oauth/introspect", seedPost, url.Values{"token": {tr.RefreshToken}})
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		var out map[string]any
		require.NoError(t, json.Unmarshal([]byte(res.Body), &out))
		return out
	}
	srv.Advance(2 * time.Hour)
	me := bearerGet(t, srv.URL, "/oauth/api/me", "Bearer "+tr.AccessToken)
	assert.Contains(t, me.Header.Get("WWW-Authenticate"), "expired", "an expired token is still known as expired")
	srv.Advance(mockprovider.DefaultRefreshLifetime + 48*time.Hour)
	me = bearerGet(t, srv.URL, "/oauth/api/me", "Bearer "+tr.AccessToken)
	assert.NotContains(t, me.Header.Get("WWW-Authenticate"), "expired", "forgotten: now unknown")
	assert.Equal(t, false, introspect()["active"])
}

// TestSessionsExpire: a sign-in lasts DefaultSessionLifetime of the
// provider's clock.
func TestSessionsExpire(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	b := newBrowser(t, srv.URL)
	b.mustSignIn()
	assert.Equal(t, http.StatusOK, b.get("/oauth/authorize?"+seedParams().Encode()).Status)
	srv.Advance(mockprovider.DefaultSessionLifetime)
	res := b.get("/oauth/authorize?" + seedParams().Encode())
	assert.Equal(t, http.StatusFound, res.Status, "signed out: back to the login page")
	assert.Contains(t, res.location(), "/oauth?next=")
}

func TestRequestLogPages(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	for i := range 5 {
		bearerGet(t, srv.URL, fmt.Sprintf("/oauth/api/me?i=%d", i))
	}
	res := control(t, srv, http.MethodGet, "/_mock/requests?after=2&limit=2", "")
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var page []mockprovider.RequestRecord
	require.NoError(t, json.Unmarshal([]byte(res.Body), &page))
	require.Len(t, page, 2)
	assert.Equal(t, []int{3, 4}, []int{page[0].Seq, page[1].Seq})
	for _, query := range []string{"limit=-1", "after=x", "after=1&after=2", "limit=1&limit=1"} {
		res := control(t, srv, http.MethodGet, "/_mock/requests?"+query, "")
		assert.Equal(t, http.StatusBadRequest, res.Status, query)
		assert.Equal(t, "invalid_request", oauthError(t, res), query)
	}
	assert.Contains(t, control(t, srv, http.MethodGet, "/_mock/requests?after=1&after=2", "").Body, "repeated")
}

// TestHugeQueryIsClippedInTheLog is the memory attack of issue 9: 200
// requests with a 500 KB query made the log, and GET /_mock/requests,
// hundreds of megabytes.
func TestHugeQueryIsClippedInTheLog(t *testing.T) {
	t.Parallel()
	p, err := mockprovider.New()
	require.NoError(t, err)
	huge := make([]byte, 500<<10)
	for i := range huge {
		huge[i] = 'x'
	}
	for range 20 {
		serve(p, httptest.NewRequest(http.MethodGet, "/oauth/api/me?state="+string(huge), nil))
	}
	body, err := json.Marshal(p.Requests())
	require.NoError(t, err)
	assert.Less(t, len(body), 20*8<<10, "each record stays a few KB")
}
