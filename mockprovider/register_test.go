package mockprovider_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

func TestRegisterNeedsSignIn(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	b := newBrowser(t, srv.URL)
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		req, err := http.NewRequest(method, srv.URL+"/oauth/register", nil)
		require.NoError(t, err)
		res := b.do(req)
		assert.Equal(t, http.StatusFound, res.Status, method)
		assert.Equal(t, "/oauth?next=%2Foauth%2Fregister", res.location(), method)
	}
	// The login page then leads back to the form.
	res := b.signIn("alice", "wonderland", "/oauth/register")
	require.Equal(t, http.StatusSeeOther, res.Status)
	assert.Equal(t, "/oauth/register", res.location())
}

// registerForm loads the register form of a signed-in browser.
func registerForm(t *testing.T, b *browser) string {
	t.Helper()
	page := b.get("/oauth/register")
	require.Equal(t, http.StatusOK, page.Status, page.Body)
	for _, field := range []string{`name="name"`, `name="homepage_url"`, `name="redirect_uris"`} {
		assert.Contains(t, page.Body, field)
	}
	csrf := hidden(t, page.Body, "csrf")
	require.NotEmpty(t, csrf)
	return csrf
}

func TestRegister(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	b := newBrowser(t, srv.URL)
	b.mustSignIn()
	csrf := registerForm(t, b)

	const callback = "http://localhost:9100/callback"
	res := b.post("/oauth/register", url.Values{
		"csrf":          {csrf},
		"name":          {"  My app  "},
		"homepage_url":  {"http://localhost:9100"},
		"redirect_uris": {callback + "\r\n\r\nhttps://app.example/cb\n"},
	})
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	id, secret := elementText(t, res.Body, "client_id"), elementText(t, res.Body, "client_secret")
	assert.Len(t, id, 40)
	assert.Len(t, secret, 50)
	assert.Contains(t, res.Body, "My app")
	assert.Contains(t, res.Body, `<code class="redirect-uri">`+callback+`</code>`)
	assert.Contains(t, res.Body, `<code class="redirect-uri">https://app.example/cb</code>`)
	assert.Contains(t, res.Body, "CLIENT_ID="+id+" CLIENT_SECRET="+secret+" PROVIDER_URL="+srv.URL)
	assert.Equal(t, "no-store", res.Header.Get("Cache-Control"))

	// The client works at once, for a whole flow.
	var registered bool
	for _, c := range srv.Clients() {
		if c.ID == id {
			registered = true
			assert.Equal(t, secret, c.Secret)
			assert.Equal(t, "My app", c.Name)
			assert.Equal(t, []string{callback, "https://app.example/cb"}, c.RedirectURIs)
		}
	}
	require.True(t, registered)
	params := seedParams("client_id", id, "redirect_uri", callback)
	cb := approve(t, srv, "alice", params)
	assert.Equal(t, "xyz", cb.Get("state"))
	tr := tokens(t, exchange(t, srv.URL, tokenClient{id: id, secret: secret, basic: true}, cb.Get("code"), callback))
	me := bearerGet(t, srv.URL, "/oauth/api/me", "Bearer "+tr.AccessToken)
	assert.JSONEq(t, `{"username":"alice","email":"alice@example.com"}`, me.Body)
	// A mismatch names the registered URIs.
	page := b.get("/oauth/authorize?" + seedParams("client_id", id, "redirect_uri", "http://localhost:9101/callback").Encode())
	assert.Equal(t, "port", elementText(t, page.Body, "differing"))
}

func TestRegisterRefused(t *testing.T) {
	t.Parallel()
	valid := url.Values{"name": {"App"}, "homepage_url": {"http://localhost:9100"}, "redirect_uris": {"http://localhost:9100/cb"}}
	with := func(kv ...string) url.Values {
		v := cloneValues(valid)
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	twice := func(k, val string) url.Values {
		v := cloneValues(valid)
		v.Add(k, val)
		return v
	}
	tests := []struct {
		name    string
		form    url.Values
		badCSRF bool
		message string
	}{
		{"relative callback", with("redirect_uris", "/cb"), false, "is not an absolute URL"},
		{"callback without scheme", with("redirect_uris", "localhost:9100/cb"), false, "Authorization Callback URL"},
		{"callback with fragment", with("redirect_uris", "http://localhost:9100/cb#top"), false, "has a fragment"},
		{"ftp callback", with("redirect_uris", "ftp://localhost/cb"), false, "is not http or https"},
		{"javascript callback", with("redirect_uris", "javascript:alert(1)"), false, "Authorization Callback URL"},
		{"one bad among good", with("redirect_uris", "http://localhost:9100/cb\nftp://x/cb"), false, "is not http or https"},
		{"empty name", with("name", ""), false, "Application name"},
		{"blank name", with("name", "   "), false, "Application name"},
		{"no callback", with("redirect_uris", ""), false, "give at least one"},
		{"blank callbacks", with("redirect_uris", "\n \n"), false, "give at least one"},
		{"relative homepage", with("homepage_url", "localhost"), false, "HomePage URL"},
		{"bad csrf", valid, true, "The form expired"},
		{"callback listed twice", with("redirect_uris", "http://localhost:9100/cb\nhttp://localhost:9100/cb"), false, "is listed twice"},
		{"repeated name", twice("name", "Other"), false, "is repeated; the form sends it once"},
		{"repeated callback field", twice("redirect_uris", "http://localhost:9100/other"), false, "is repeated; the form sends it once"},
		{"repeated homepage", twice("homepage_url", "http://localhost:9101"), false, "is repeated; the form sends it once"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := mockprovider.NewTestServer(t)
			b := newBrowser(t, srv.URL)
			b.mustSignIn()
			form := cloneValues(tt.form)
			form.Set("csrf", registerForm(t, b))
			if tt.badCSRF {
				form.Set("csrf", "forged")
			}
			before := len(srv.Clients())
			res := b.post("/oauth/register", form)
			assert.Equal(t, http.StatusBadRequest, res.Status)
			assert.Contains(t, res.Body, `<div class="error" id="error">`)
			assert.Contains(t, res.Body, tt.message)
			// The form comes back filled in, and nothing was registered.
			assert.Contains(t, res.Body, `<form method="post" action="/oauth/register">`)
			assert.NotContains(t, res.Body, `id="client_secret"`)
			assert.Len(t, srv.Clients(), before)
		})
	}
}

func TestRegisterNotAForm(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	b := newBrowser(t, srv.URL)
	b.mustSignIn()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/oauth/register", nil)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	res := b.do(req)
	assert.Equal(t, http.StatusBadRequest, res.Status)
	assert.Contains(t, res.Body, "application/x-www-form-urlencoded")

	req, err = http.NewRequest(http.MethodDelete, srv.URL+"/oauth/register", nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusMethodNotAllowed, b.do(req).Status)
}
