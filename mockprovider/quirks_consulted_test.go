package mockprovider_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// TestQuirksConsulted: the provider records the quirk switches its
// decisions read, whether the quirk is on or off, and only where the
// quirk could change the answer.
func TestQuirksConsulted(t *testing.T) {
	for _, tt := range []struct {
		name    string
		request func(t *testing.T, srv *mockprovider.Server)
		want    []mockprovider.Quirk
	}{
		{"nothing served", func(*testing.T, *mockprovider.Server) {}, nil},
		{"me without a token", func(t *testing.T, srv *mockprovider.Server) {
			resp, err := srv.Client().Get(srv.MeURL())
			require.NoError(t, err)
			resp.Body.Close()
		}, []mockprovider.Quirk{mockprovider.QuirkMeNoWWWAuthenticate}},
		{"token request with an unknown code", func(t *testing.T, srv *mockprovider.Server) {
			form := url.Values{"grant_type": {"authorization_code"}, "code": {"nope"}, "redirect_uri": {"http://localhost:8000/authorized"}}
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/oauth/token", strings.NewReader(form.Encode()))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			c := srv.Clients()[0]
			req.SetBasicAuth(c.ID, c.Secret)
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			resp.Body.Close()
		}, []mockprovider.Quirk{mockprovider.QuirkTokenCacheable, mockprovider.QuirkTokenError200}},
		{"the registered redirect URI", func(t *testing.T, srv *mockprovider.Server) {
			b := newBrowser(t, srv.URL)
			b.mustSignIn()
			res := b.get("/oauth/authorize?" + seedParams().Encode())
			require.Equal(t, http.StatusOK, res.Status)
		}, nil},
		{"another redirect URI", func(t *testing.T, srv *mockprovider.Server) {
			b := newBrowser(t, srv.URL)
			b.mustSignIn()
			b.get("/oauth/authorize?" + seedParams("redirect_uri", "https://localhost:8000/authorized").Encode())
		}, []mockprovider.Quirk{mockprovider.QuirkRedirectPrefixMatch, mockprovider.QuirkRedirectSubstringMatch,
			mockprovider.QuirkRedirectIgnoreQuery, mockprovider.QuirkRedirectSchemeInsensitive, mockprovider.QuirkRedirectAny,
			mockprovider.QuirkRedirectErrorUnregistered}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := mockprovider.NewServer()
			defer srv.Close()
			tt.request(t, srv)
			assert.Equal(t, tt.want, srv.Provider.QuirksConsulted())
		})
	}
}
