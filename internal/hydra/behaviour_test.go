package hydra

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/runmode"
	"golang.org/x/oauth2"
)

// TestHydraBehaviour pins down how Hydra v2.3.0 answers where a strict
// reading of RFC 6749 / RFC 9700 and the mock provider differ, so that the
// conformance scenarios know what to expect of the hydra target.
func TestHydraBehaviour(t *testing.T) {
	h := startOrSkip(t, Options{Mode: runmode.Process})
	redirect := callbackURL(t)
	client := Client{ID: "behaviour", Secret: "behaviour-secret", RedirectURIs: []string{redirect}, Scopes: []string{"email", "offline"}}
	require.NoError(t, h.CreateClient(t.Context(), client))
	conf := h.OAuth2Config(client)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	location := func(authURL string) *url.URL {
		r := get(t, noFollow, authURL)
		require.Contains(t, []int{http.StatusFound, http.StatusSeeOther}, r.Status, r.Body)
		u, err := url.Parse(r.Header.Get("Location"))
		require.NoError(t, err)
		return u
	}
	withRedirect := func(ru string) string {
		c := *conf
		c.RedirectURL = ru
		return c.AuthCodeURL("state-behaviour")
	}

	t.Run("redirect mismatch goes to Hydra's own error URL, never the client", func(t *testing.T) {
		for _, ru := range []string{
			strings.Replace(redirect, "/authorized", "/other", 1),
			redirect + "/",
			redirect + "?x=1",
			strings.Replace(redirect, "127.0.0.1", "localhost", 1),
		} {
			loc := location(withRedirect(ru))
			assert.Equal(t, h.PublicURL+"/oauth2/fallbacks/error", loc.Scheme+"://"+loc.Host+loc.Path, ru)
			assert.Equal(t, "invalid_request", loc.Query().Get("error"), ru)
		}
	})

	t.Run("a loopback IP redirect URI matches on any port (RFC 8252 §7.3)", func(t *testing.T) {
		loc := location(withRedirect("http://127.0.0.1:1/authorized"))
		assert.Equal(t, h.LoginURL+"/login", loc.Scheme+"://"+loc.Host+loc.Path)
	})

	t.Run("state shorter than 8 characters is refused with invalid_state", func(t *testing.T) {
		for _, state := range []string{"", "abc"} {
			loc := location(conf.AuthCodeURL(state))
			assert.Equal(t, redirect, loc.Scheme+"://"+loc.Host+loc.Path)
			assert.Equal(t, "invalid_state", loc.Query().Get("error"))
		}
	})

	checkTokenBehaviour(t, h, conf)
}

// checkTokenBehaviour pins down how Hydra treats a reused code, a reused
// refresh token and a code redeemed with another redirect URI.
func checkTokenBehaviour(t *testing.T, h *Instance, conf *oauth2.Config) {
	t.Run("reusing a code revokes the tokens issued with it", func(t *testing.T) {
		code := authorize(t, h, conf, "alice", "wonderland")
		tok, err := conf.Exchange(t.Context(), code)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, callMe(t, h, "Bearer "+tok.AccessToken).Status)
		_, err = conf.Exchange(t.Context(), code)
		var re *oauth2.RetrieveError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, "invalid_grant", re.ErrorCode)
		assert.Equal(t, http.StatusUnauthorized, callMe(t, h, "Bearer "+tok.AccessToken).Status)
	})

	t.Run("refresh tokens rotate; reusing an old one revokes the family", func(t *testing.T) {
		code := authorize(t, h, conf, "alice", "wonderland")
		tok, err := conf.Exchange(t.Context(), code)
		require.NoError(t, err)
		fresh, err := conf.TokenSource(t.Context(), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
		require.NoError(t, err)
		assert.NotEqual(t, tok.RefreshToken, fresh.RefreshToken)
		_, err = conf.TokenSource(t.Context(), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
		var re *oauth2.RetrieveError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, "invalid_grant", re.ErrorCode)
		assert.Equal(t, http.StatusUnauthorized, callMe(t, h, "Bearer "+fresh.AccessToken).Status)
	})

	t.Run("the code is bound to the redirect URI of the request", func(t *testing.T) {
		code := authorize(t, h, conf, "alice", "wonderland")
		other := *conf
		other.RedirectURL = "http://127.0.0.1:1/authorized"
		_, err := other.Exchange(t.Context(), code)
		var re *oauth2.RetrieveError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, "invalid_grant", re.ErrorCode)
	})
}
