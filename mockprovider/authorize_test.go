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

// assertErrorPage checks an authorization error the provider must not
// redirect: HTTP 400, an HTML page and no Location.
func assertErrorPage(t *testing.T, res response, title string) {
	t.Helper()
	assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
	assert.Empty(t, res.Header.Values("Location"), "an error page never redirects")
	assert.True(t, strings.HasPrefix(res.Header.Get("Content-Type"), "text/html"), res.Header.Get("Content-Type"))
	assert.Contains(t, res.Body, `<h1 id="error-title">`+title+`</h1>`)
}

func TestAuthorizeRedirectMismatch(t *testing.T) {
	t.Parallel()
	const registered = mockprovider.SeedRedirectURI // http://localhost:8000/authorized
	tests := []struct {
		presented string
		differing string // "" when presented is not an absolute URI
	}{
		{"https://localhost:8000/authorized", "scheme"},
		{"HTTP://localhost:8000/authorized", "scheme"},
		{"http://127.0.0.1:8000/authorized", "host"},
		{"http://LOCALHOST:8000/authorized", "host"},
		{"http://localhost.evil.example:8000/authorized", "host"},
		{"http://localhost:8001/authorized", "port"},
		{"http://localhost/authorized", "port"},
		{"http://localhost:8000/authorized/", "path"},
		{"http://localhost:8000/Authorized", "path"},
		{"http://localhost:8000/authorized/../authorized", "path"},
		{"http://localhost:8000/authorized%2F", "path"},
		{"http://localhost:8000/", "path"},
		{"http://localhost:8000/authorized?next=1", "query"},
		{"http://localhost:8000/authorized#frag", "fragment"},
		{"http://user@localhost:8000/authorized", "userinfo"},
		{"http://localhost:8000/authorized?", "spelling"},
		{"https://localhost:8001/authorized", "scheme, port"},
		{"/authorized", ""},
		{"localhost:8000/authorized", "scheme, host, port, path"}, // scheme "localhost"
		{"//localhost:8000/authorized", ""},
	}
	for _, tt := range tests {
		t.Run(tt.presented, func(t *testing.T) {
			t.Parallel()
			srv := mockprovider.NewTestServer(t)
			b := newBrowser(t, srv.URL)
			b.mustSignIn()
			res := b.get("/oauth/authorize?" + seedParams("redirect_uri", tt.presented).Encode())
			assertErrorPage(t, res, "Redirect URI mismatch")
			assert.Contains(t, res.Body, `<ul id="registered"><li><code>`+registered+`</code></li></ul>`)
			assert.Equal(t, tt.presented, elementText(t, res.Body, "presented"))
			if tt.differing == "" {
				assert.Contains(t, res.Body, "is not an absolute URI")
				assert.NotContains(t, res.Body, `id="differing"`)
				return
			}
			assert.Equal(t, tt.differing, elementText(t, res.Body, "differing"))
			for _, c := range strings.Split(tt.differing, ", ") {
				if c != "spelling" {
					assert.Contains(t, res.Body, `<tr class="differs"><td>`+c+`</td>`)
				}
			}
			// Nothing was sent towards any callback.
			for _, r := range srv.Requests() {
				assert.False(t, strings.HasPrefix(r.Location, "http"), "redirected to %s", r.Location)
			}
		})
	}
}

func TestAuthorizeClientErrorsArePages(t *testing.T) {
	t.Parallel()
	twoURIs := mockprovider.Client{
		ID: "two-uris", Secret: "s", Name: "Two URIs", Scopes: []string{"email"},
		RedirectURIs: []string{"http://localhost:9001/a", "http://localhost:9001/b"},
	}
	tests := []struct {
		name  string
		query string
		title string
	}{
		{"unknown client_id", seedParams("client_id", "nope").Encode(), "Unknown client"},
		{"missing client_id", seedParams("client_id", "").Encode(), "Missing client_id"},
		{"empty client_id", "client_id=&" + seedParams("client_id", "").Encode(), "Missing client_id"},
		{"repeated client_id", "client_id=" + mockprovider.SeedClientID + "&" + seedParams().Encode(), "Invalid client_id"},
		{"invalid UTF-8 client_id", "client_id=%ff&response_type=code", "Invalid client_id"},
		{"repeated redirect_uri", "redirect_uri=" + url.QueryEscape(mockprovider.SeedRedirectURI) + "&" + seedParams().Encode(), "Invalid redirect_uri"},
		{"omitted redirect_uri with several registered", seedParams("client_id", twoURIs.ID, "redirect_uri", "").Encode(), "Missing redirect_uri"},
		{"malformed query", "client_id=%zz", "Malformed authorization request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := mockprovider.NewTestServer(t, mockprovider.WithClient(twoURIs))
			res := newBrowser(t, srv.URL).get("/oauth/authorize?" + tt.query)
			assertErrorPage(t, res, tt.title)
		})
	}
}

func TestAuthorizeOmittedRedirectURI(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	params := seedParams("redirect_uri", "")
	cb := approve(t, srv, "alice", params)
	assert.Equal(t, "xyz", cb.Get("state"))
	// Omitted at authorization, omitted at the token endpoint.
	tokens(t, exchange(t, srv.URL, seedPost, cb.Get("code"), ""))
}

func TestAuthorizeErrorsAreRedirected(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 43)
	tests := []struct {
		name  string
		query string
		error string
		state string
	}{
		{"missing response_type", seedParams("response_type", "").Encode(), "invalid_request", "xyz"},
		{"response_type token", seedParams("response_type", "token").Encode(), "unsupported_response_type", "xyz"},
		{"response_type code id_token", seedParams("response_type", "code id_token").Encode(), "unsupported_response_type", "xyz"},
		{"repeated response_type", "response_type=code&" + seedParams().Encode(), "invalid_request", "xyz"},
		{"unknown scope", seedParams("scope", "email admin").Encode(), "invalid_scope", "xyz"},
		{"malformed scope", seedParams("scope", `email "x"`).Encode(), "invalid_scope", "xyz"},
		{"repeated scope", "scope=email&" + seedParams().Encode(), "invalid_request", "xyz"},
		{"repeated state", seedParams().Encode() + "&state=other", "invalid_request", "xyz"},
		{"bad code_challenge_method", seedParams("code_challenge", challenge, "code_challenge_method", "S512").Encode(), "invalid_request", "xyz"},
		{"lowercase s256", seedParams("code_challenge", challenge, "code_challenge_method", "s256").Encode(), "invalid_request", "xyz"},
		{"short code_challenge", seedParams("code_challenge", "abc", "code_challenge_method", "S256").Encode(), "invalid_request", "xyz"},
		{"code_challenge with a bad character", seedParams("code_challenge", long+"!", "code_challenge_method", "plain").Encode(), "invalid_request", "xyz"},
		{"code_challenge_method alone", seedParams("code_challenge_method", "S256").Encode(), "invalid_request", "xyz"},
		{"no state", seedParams("response_type", "token", "state", "").Encode(), "unsupported_response_type", ""},
		{"state kept as sent", seedParams("response_type", "token", "state", "a b&c=d/é").Encode(), "unsupported_response_type", "a b&c=d/é"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := mockprovider.NewTestServer(t)
			// Signed in or not, the error goes back to the client.
			for _, signedIn := range []bool{false, true} {
				b := newBrowser(t, srv.URL)
				if signedIn {
					b.mustSignIn()
				}
				res := b.get("/oauth/authorize?" + tt.query)
				require.Equal(t, http.StatusFound, res.Status, res.Body)
				cb := callbackParams(t, res.location(), mockprovider.SeedRedirectURI)
				assert.Equal(t, tt.error, cb.Get("error"))
				assert.NotEmpty(t, cb.Get("error_description"))
				assert.Equal(t, tt.state, cb.Get("state"))
				_, hasState := cb["state"]
				assert.Equal(t, tt.state != "", hasState)
				assert.Empty(t, cb.Get("code"))
			}
		})
	}
}

func TestAuthorizePKCERequired(t *testing.T) {
	t.Parallel()
	tests := []struct {
		policy mockprovider.PKCEPolicy
		params url.Values
		error  string
	}{
		{mockprovider.PKCERequired, seedParams(), "invalid_request"},
		{mockprovider.PKCERequired, seedParams("code_challenge", verifier, "code_challenge_method", "plain"), ""},
		{mockprovider.PKCERequiredS256, seedParams("code_challenge", verifier, "code_challenge_method", "plain"), "invalid_request"},
		{mockprovider.PKCERequiredS256, seedParams("code_challenge", verifier), "invalid_request"},
		{mockprovider.PKCERequiredS256, seedParams("code_challenge", challenge, "code_challenge_method", "S256"), ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.policy)+" "+tt.params.Get("code_challenge_method"), func(t *testing.T) {
			t.Parallel()
			srv := mockprovider.NewTestServer(t, mockprovider.WithPKCE(tt.policy))
			b := newBrowser(t, srv.URL)
			b.mustSignIn()
			res := b.get("/oauth/authorize?" + tt.params.Encode())
			if tt.error == "" {
				assert.Equal(t, http.StatusOK, res.Status, res.Body)
				return
			}
			require.Equal(t, http.StatusFound, res.Status, res.Body)
			assert.Equal(t, tt.error, callbackParams(t, res.location(), mockprovider.SeedRedirectURI).Get("error"))
		})
	}
}

func TestConsentDenied(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	b := newBrowser(t, srv.URL)
	b.mustSignIn()
	page := b.get("/oauth/authorize?" + seedParams("state", "deny-me").Encode())
	res := b.consent(page, "no")
	require.Equal(t, http.StatusFound, res.Status, res.Body)
	cb := callbackParams(t, res.location(), mockprovider.SeedRedirectURI)
	assert.Equal(t, "access_denied", cb.Get("error"))
	assert.Equal(t, "deny-me", cb.Get("state"))
	assert.Empty(t, cb.Get("code"))

	// The consent is answered once only.
	res = b.consent(page, "yes")
	assertErrorPage(t, res, "Unknown consent request")
}

func TestConsentForms(t *testing.T) {
	t.Parallel()
	t.Run("consent_id of another session", func(t *testing.T) {
		t.Parallel()
		srv := mockprovider.NewTestServer(t)
		alice := newBrowser(t, srv.URL)
		alice.mustSignIn()
		page := alice.get("/oauth/authorize?" + seedParams().Encode())
		require.Equal(t, http.StatusOK, page.Status)

		mallory := newBrowser(t, srv.URL)
		require.Equal(t, http.StatusSeeOther, mallory.signIn("bob", "builder", "/").Status)
		res := mallory.consent(page, "yes")
		assertErrorPage(t, res, "Unknown consent request")

		// Not signed in at all.
		res = newBrowser(t, srv.URL).consent(page, "yes")
		assertErrorPage(t, res, "Unknown consent request")

		// The rightful session still can answer it.
		res = alice.consent(page, "yes")
		require.Equal(t, http.StatusFound, res.Status)
		assert.NotEmpty(t, callbackParams(t, res.location(), mockprovider.SeedRedirectURI).Get("code"))
	})
	t.Run("bad confirm", func(t *testing.T) {
		t.Parallel()
		srv := mockprovider.NewTestServer(t)
		b := newBrowser(t, srv.URL)
		b.mustSignIn()
		res := b.consent(b.get("/oauth/authorize?"+seedParams().Encode()), "maybe")
		assertErrorPage(t, res, "Bad consent form")
	})
	t.Run("not a form", func(t *testing.T) {
		t.Parallel()
		srv := mockprovider.NewTestServer(t)
		b := newBrowser(t, srv.URL)
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/oauth/authorize", strings.NewReader(`{"confirm":"yes"}`))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		assertErrorPage(t, b.do(req), "Bad consent form")
	})
	t.Run("trusted client skips consent", func(t *testing.T) {
		t.Parallel()
		trusted := mockprovider.Client{ID: "trusted", Secret: "s", Trusted: true, Scopes: []string{"email"},
			RedirectURIs: []string{"http://localhost:9002/cb"}}
		srv := mockprovider.NewTestServer(t, mockprovider.WithClient(trusted))
		b := newBrowser(t, srv.URL)
		b.mustSignIn()
		res := b.get("/oauth/authorize?" + seedParams("client_id", "trusted", "redirect_uri", "http://localhost:9002/cb").Encode())
		require.Equal(t, http.StatusFound, res.Status, res.Body)
		assert.NotEmpty(t, callbackParams(t, res.location(), "http://localhost:9002/cb").Get("code"))
	})
	t.Run("method not allowed", func(t *testing.T) {
		t.Parallel()
		srv := mockprovider.NewTestServer(t)
		req, err := http.NewRequest(http.MethodDelete, srv.URL+"/oauth/authorize", nil)
		require.NoError(t, err)
		res := newBrowser(t, srv.URL).do(req)
		assert.Equal(t, http.StatusMethodNotAllowed, res.Status)
		assert.Equal(t, "GET, POST", res.Header.Get("Allow"))
	})
}

func TestAuthorizeRegisteredURIWithQuery(t *testing.T) {
	t.Parallel()
	const redirect = "http://localhost:9003/cb?tenant=a"
	c := mockprovider.Client{ID: "with-query", Secret: "s", Scopes: []string{"email"}, RedirectURIs: []string{redirect}}
	srv := mockprovider.NewTestServer(t, mockprovider.WithClient(c))
	b := newBrowser(t, srv.URL)
	b.mustSignIn()
	page := b.get("/oauth/authorize?" + seedParams("client_id", c.ID, "redirect_uri", redirect).Encode())
	res := b.consent(page, "yes")
	require.Equal(t, http.StatusFound, res.Status)
	// The registered query is kept as it is (RFC 6749 §3.1.2).
	require.True(t, strings.HasPrefix(res.location(), redirect+"&code="), res.location())
	u, err := url.Parse(res.location())
	require.NoError(t, err)
	assert.Equal(t, "a", u.Query().Get("tenant"))
	assert.Equal(t, "xyz", u.Query().Get("state"))
}

// TestConsentAnswerChecked: a repeated or unknown consent answer is a
// "Bad consent form" page and leaves the consent request open, so the
// correct answer that follows still issues a code.
func TestConsentAnswerChecked(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		form func(id string) url.Values
	}{
		{"confirm yes and no", func(id string) url.Values { return url.Values{"consent_id": {id}, "confirm": {"yes", "no"}} }},
		{"confirm no and yes", func(id string) url.Values { return url.Values{"consent_id": {id}, "confirm": {"no", "yes"}} }},
		{"confirm maybe", func(id string) url.Values { return url.Values{"consent_id": {id}, "confirm": {"maybe"}} }},
		{"confirm missing", func(id string) url.Values { return url.Values{"consent_id": {id}} }},
		{"consent_id repeated", func(id string) url.Values { return url.Values{"consent_id": {id, id}, "confirm": {"yes"}} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := mockprovider.NewTestServer(t)
			b := newBrowser(t, srv.URL)
			b.mustSignIn()
			params := seedParams()
			page := b.get("/oauth/authorize?" + params.Encode())
			require.Equal(t, http.StatusOK, page.Status, page.Body)
			id := hidden(t, page.Body, "consent_id")
			res := b.post("/oauth/authorize", tt.form(id))
			assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
			assert.Contains(t, res.Body, "Bad consent form")
			assert.Empty(t, res.location(), "no code issued")
			res = b.post("/oauth/authorize", url.Values{"consent_id": {id}, "confirm": {"yes"}})
			require.Equal(t, http.StatusFound, res.Status, res.Body)
			assert.NotEmpty(t, callbackParams(t, res.location(), redirectOf(params)).Get("code"))
		})
	}
}
