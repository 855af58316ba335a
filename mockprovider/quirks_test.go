package mockprovider_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

// quirkProbe runs the check a quirk breaks and reports whether the
// provider deviated from the RFC.
type quirkProbe func(t *testing.T, srv *mockprovider.Server) bool

var secondPost = tokenClient{id: secondClient.ID, secret: secondClient.Secret}

// acceptsRedirect reports whether presented gets the seed client a
// code rather than the mismatch page.
func acceptsRedirect(presented string) quirkProbe {
	return func(t *testing.T, srv *mockprovider.Server) bool {
		return issuesCode(t, srv, seedParams("redirect_uri", presented))
	}
}

// issuesCode reports whether an approved authorization request gets a
// code back.
func issuesCode(t *testing.T, srv *mockprovider.Server, params url.Values) bool {
	back, err := srv.Authorize("alice", srv.URL+mockprovider.PathAuthorize+"?"+params.Encode())
	return err == nil && back.Query().Get("code") != ""
}

var quirkProbes = map[mockprovider.Quirk]quirkProbe{
	mockprovider.QuirkRedirectPrefixMatch:       acceptsRedirect(mockprovider.SeedRedirectURI + "/../../evil"),
	mockprovider.QuirkRedirectSubstringMatch:    acceptsRedirect("http://evil.example/?r=" + mockprovider.SeedRedirectURI),
	mockprovider.QuirkRedirectIgnoreQuery:       acceptsRedirect(mockprovider.SeedRedirectURI + "?next=http://evil.example"),
	mockprovider.QuirkRedirectSchemeInsensitive: acceptsRedirect("https://localhost:8000/authorized"),
	mockprovider.QuirkRedirectAny:               acceptsRedirect("http://evil.example/cb"),
	mockprovider.QuirkRedirectErrorUnregistered: func(t *testing.T, srv *mockprovider.Server) bool {
		res := newBrowser(t, srv.URL).get("/oauth/authorize?" + seedParams("redirect_uri", "http://evil.example/cb").Encode())
		return strings.HasPrefix(res.location(), "http://evil.example/")
	},
	mockprovider.QuirkTokenIgnoreRedirectURI: func(t *testing.T, srv *mockprovider.Server) bool {
		code := approve(t, srv, "alice", seedParams()).Get("code")
		return exchange(t, srv.URL, seedPost, code, "http://localhost:8000/other").Status == http.StatusOK
	},
	mockprovider.QuirkCodeReusable: func(t *testing.T, srv *mockprovider.Server) bool {
		code := approve(t, srv, "alice", seedParams()).Get("code")
		tokens(t, exchange(t, srv.URL, seedPost, code, mockprovider.SeedRedirectURI))
		return exchange(t, srv.URL, seedPost, code, mockprovider.SeedRedirectURI).Status == http.StatusOK
	},
	mockprovider.QuirkCodeNoRevokeOnReuse: func(t *testing.T, srv *mockprovider.Server) bool {
		code := approve(t, srv, "alice", seedParams()).Get("code")
		tr := tokens(t, exchange(t, srv.URL, seedPost, code, mockprovider.SeedRedirectURI))
		exchange(t, srv.URL, seedPost, code, mockprovider.SeedRedirectURI)
		return bearerGet(t, srv.URL, "/oauth/api/me", "Bearer "+tr.AccessToken).Status == http.StatusOK
	},
	mockprovider.QuirkCodeNeverExpires: func(t *testing.T, srv *mockprovider.Server) bool {
		code := approve(t, srv, "alice", seedParams()).Get("code")
		require.NoError(t, srv.Advance(time.Hour))
		return exchange(t, srv.URL, seedPost, code, mockprovider.SeedRedirectURI).Status == http.StatusOK
	},
	mockprovider.QuirkCodeNotClientBound: func(t *testing.T, srv *mockprovider.Server) bool {
		code := approve(t, srv, "alice", seedParams()).Get("code")
		return exchange(t, srv.URL, secondPost, code, mockprovider.SeedRedirectURI).Status == http.StatusOK
	},
	mockprovider.QuirkPKCEIgnored: func(t *testing.T, srv *mockprovider.Server) bool {
		code := approve(t, srv, "alice", seedParams("code_challenge", challenge, "code_challenge_method", "S256")).Get("code")
		return exchange(t, srv.URL, seedPost, code, mockprovider.SeedRedirectURI, "code_verifier", strings.Repeat("w", 43)).Status == http.StatusOK
	},
	mockprovider.QuirkPKCEPlainDowngrade: func(t *testing.T, srv *mockprovider.Server) bool {
		code := approve(t, srv, "alice", seedParams("code_challenge", challenge, "code_challenge_method", "S256")).Get("code")
		return exchange(t, srv.URL, seedPost, code, mockprovider.SeedRedirectURI, "code_verifier", challenge).Status == http.StatusOK
	},
	mockprovider.QuirkStateDropped: func(t *testing.T, srv *mockprovider.Server) bool {
		_, ok := approve(t, srv, "alice", seedParams("state", "s1"))["state"]
		return !ok
	},
	mockprovider.QuirkStateAltered: func(t *testing.T, srv *mockprovider.Server) bool {
		cb := approve(t, srv, "alice", seedParams("state", "s1"))
		_, ok := cb["state"]
		return ok && cb.Get("state") != "s1"
	},
	mockprovider.QuirkScopeUnknownGranted: func(t *testing.T, srv *mockprovider.Server) bool {
		return issuesCode(t, srv, seedParams("scope", "email admin"))
	},
	mockprovider.QuirkScopeOmittedInResponse: func(t *testing.T, srv *mockprovider.Server) bool {
		code := approve(t, srv, "alice", seedParams("scope", "")).Get("code")
		return tokens(t, exchange(t, srv.URL, seedPost, code, mockprovider.SeedRedirectURI)).Scope == ""
	},
	mockprovider.QuirkTokenCacheable: func(t *testing.T, srv *mockprovider.Server) bool {
		ok := postForm(t, srv.URL, "/oauth/token", seedPost, url.Values{"grant_type": {"client_credentials"}})
		bad := postForm(t, srv.URL, "/oauth/token", seedPost, url.Values{"grant_type": {"nope"}})
		return ok.Header.Get("Cache-Control") == "" && bad.Header.Get("Cache-Control") == "" && ok.Header.Get("Pragma") == ""
	},
	mockprovider.QuirkTokenError200: func(t *testing.T, srv *mockprovider.Server) bool {
		return postForm(t, srv.URL, "/oauth/token", seedPost, url.Values{"grant_type": {"nope"}}).Status == http.StatusOK
	},
	mockprovider.QuirkClientSecretIgnored: func(t *testing.T, srv *mockprovider.Server) bool {
		c := tokenClient{id: mockprovider.SeedClientID, secret: "wrong", basic: true}
		return postForm(t, srv.URL, "/oauth/token", c, url.Values{"grant_type": {"client_credentials"}}).Status == http.StatusOK
	},
	mockprovider.QuirkInvalidClientNo401: func(t *testing.T, srv *mockprovider.Server) bool {
		c := tokenClient{id: mockprovider.SeedClientID, secret: "wrong", basic: true}
		res := postForm(t, srv.URL, "/oauth/token", c, url.Values{"grant_type": {"client_credentials"}})
		return res.Status != http.StatusUnauthorized || res.Header.Get("WWW-Authenticate") == ""
	},
	mockprovider.QuirkMeAcceptsExpired: func(t *testing.T, srv *mockprovider.Server) bool {
		tr := userTokens(t, srv, seedParams())
		require.NoError(t, srv.Advance(2*time.Hour))
		return bearerGet(t, srv.URL, "/oauth/api/me", "Bearer "+tr.AccessToken).Status == http.StatusOK
	},
	mockprovider.QuirkMeNoWWWAuthenticate: func(t *testing.T, srv *mockprovider.Server) bool {
		return bearerGet(t, srv.URL, "/oauth/api/me").Header.Get("WWW-Authenticate") == ""
	},
	mockprovider.QuirkMeAcceptsRevoked: func(t *testing.T, srv *mockprovider.Server) bool {
		tr := userTokens(t, srv, seedParams())
		require.Equal(t, http.StatusOK, postForm(t, srv.URL, "/oauth/revoke", seedPost, url.Values{"token": {tr.AccessToken}}).Status)
		return bearerGet(t, srv.URL, "/oauth/api/me", "Bearer "+tr.AccessToken).Status == http.StatusOK
	},
	mockprovider.QuirkRefreshNotClientBound: func(t *testing.T, srv *mockprovider.Server) bool {
		tr := userTokens(t, srv, seedParams())
		res := postForm(t, srv.URL, "/oauth/token", secondPost, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tr.RefreshToken}})
		return res.Status == http.StatusOK
	},
	mockprovider.QuirkRepeatedParametersAccepted: func(t *testing.T, srv *mockprovider.Server) bool {
		res := postForm(t, srv.URL, "/oauth/token", seedPost, url.Values{"grant_type": {"client_credentials", "client_credentials"}})
		return res.Status == http.StatusOK
	},
	mockprovider.QuirkTokenGetAccepted: func(t *testing.T, srv *mockprovider.Server) bool {
		q := url.Values{"grant_type": {"client_credentials"}, "client_id": {mockprovider.SeedClientID}, "client_secret": {mockprovider.SeedClientSecret}}
		return bearerGet(t, srv.URL, "/oauth/token?"+q.Encode()).Status == http.StatusOK
	},
	mockprovider.QuirkResponseTypeIgnored: func(t *testing.T, srv *mockprovider.Server) bool {
		return issuesCode(t, srv, seedParams("response_type", "token"))
	},
	mockprovider.QuirkConsentDenyIgnored: func(t *testing.T, srv *mockprovider.Server) bool {
		b := newBrowser(t, srv.URL)
		b.mustSignIn()
		res := b.consent(b.get("/oauth/authorize?"+seedParams().Encode()), "no")
		return res.Status == http.StatusFound && callbackParams(t, res.location(), mockprovider.SeedRedirectURI).Get("code") != ""
	},
}

// TestQuirks checks that every quirk makes the provider deviate on the
// rule it names, and that without it the provider keeps the rule.
func TestQuirks(t *testing.T) {
	t.Parallel()
	for _, q := range mockprovider.Quirks() {
		probe, ok := quirkProbes[q.Name]
		require.True(t, ok, "quirk %s has no probe here", q.Name)
		assert.NotEmpty(t, q.Breaks)
		assert.Regexp(t, `^(RFC |OIDC )`, q.RFC)
		t.Run(string(q.Name), func(t *testing.T) {
			t.Parallel()
			assert.False(t, probe(t, mockprovider.NewTestServer(t)), "the provider deviates without the quirk")
			assert.True(t, probe(t, mockprovider.NewTestServer(t, mockprovider.WithQuirks(q.Name))), "the quirk changes nothing")
			// Switched on at run time, through the control API.
			srv := mockprovider.NewTestServer(t)
			res := control(t, srv, http.MethodPost, "/_mock/quirks", `{"quirks":["`+string(q.Name)+`"]}`)
			require.Equal(t, http.StatusOK, res.Status, res.Body)
			assert.True(t, probe(t, srv), "the quirk set through /_mock/quirks changes nothing")
		})
	}
	assert.Len(t, quirkProbes, len(mockprovider.Quirks()))
}
