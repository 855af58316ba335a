package mockprovider_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// Client names and redirect URIs that would disguise the consent page are
// refused by every way of registering a client (issue 9).
var disguises = []struct {
	name, clientName, redirect, want string
}{
	{"right-to-left override in the name", "Bank\u202egnp.exe", "http://localhost:9200/cb", "U+202E"},
	{"zero-width space in the name", "Pay\u200bPal", "http://localhost:9200/cb", "U+200B"},
	{"C1 control in the name", "Ap\u0085p", "http://localhost:9200/cb", "U+0085"},
	{"quote in the redirect URI", "App", `http://localhost:9200/cb"onload=x`, `raw '"'`},
	{"angle brackets in the redirect URI", "App", "http://localhost:9200/<script>", `raw '<'`},
}

func TestDisguisedRegistrationsRefused(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	b := newBrowser(t, srv.URL)
	b.mustSignIn()
	for _, d := range disguises {
		t.Run(d.name, func(t *testing.T) {
			clients := len(srv.Clients())
			csrf := registerForm(t, b)
			res := b.post("/oauth/register", url.Values{"csrf": {csrf}, "name": {d.clientName},
				"homepage_url": {"http://localhost:9200"}, "redirect_uris": {d.redirect}})
			assert.Equal(t, http.StatusBadRequest, res.Status, "register form")
			assert.Regexp(t, `U(\+|&#43;)[0-9A-F]{4}|percent-encode it`, res.Body)

			body, err := json.Marshal(map[string]any{"name": d.clientName, "redirect_uris": []string{d.redirect}})
			require.NoError(t, err)
			res = control(t, srv, http.MethodPost, "/_mock/clients", string(body))
			assert.Equal(t, http.StatusBadRequest, res.Status, "control API")

			_, err = srv.Register(mockprovider.Client{Name: d.clientName, RedirectURIs: []string{d.redirect}})
			assert.ErrorContains(t, err, d.want, "Register")
			assert.Len(t, srv.Clients(), clients, "nothing was registered")
		})
	}
}

func TestDisguisedFixtureRefused(t *testing.T) {
	t.Parallel()
	_, err := mockprovider.ParseClients("clients.yaml", []byte("clients:\n  - client_id: a\n    client_secret: s\n"+
		"    name: \"Bank\\u202egnp.exe\"\n    redirect_uris: [\"http://localhost:9200/cb\"]\n"))
	var fe *mockprovider.FixtureError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, 4, fe.Line, "the line of the name")
	assert.Contains(t, fe.Reason, "U+202E")
}
