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

// A browser on loopback is not trust: these are the attacks of issue 9
// that a web page the developer visits can make against the mock on
// 127.0.0.1, each answered with a refusal and no change.

// rawRequest sends method path with the given headers from loopback.
func rawRequest(t *testing.T, srv *mockprovider.Server, method, path, body string, header ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	res, err := testHTTP.Do(req)
	require.NoError(t, err)
	return readResponse(t, res)
}

func TestControlAPIAttacksFromWebPages(t *testing.T) {
	t.Parallel()
	evilClient := `{"name":"evil","redirect_uris":["http://evil.example/cb"],"trusted":true}`
	for _, tc := range []struct {
		name, method, path, body string
		header                   []string
		status                   int
	}{
		{"cross-site text/plain POST registers a trusted client", http.MethodPost, "/_mock/clients", evilClient,
			[]string{"Content-Type", "text/plain;charset=UTF-8", "Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site"}, http.StatusForbidden},
		{"text/plain POST without Origin (an old browser, a form)", http.MethodPost, "/_mock/clients", evilClient,
			[]string{"Content-Type", "text/plain"}, http.StatusUnsupportedMediaType},
		{"form POST switches redirect-any on", http.MethodPost, "/_mock/quirks", `{"quirks":["redirect-any"]}`,
			[]string{"Content-Type", "application/x-www-form-urlencoded"}, http.StatusUnsupportedMediaType},
		{"DNS rebinding switches redirect-any on", http.MethodPost, "/_mock/quirks", `{"quirks":["redirect-any"]}`,
			[]string{"Content-Type", "application/json", "Host", "rebind.evil.example:9000", "Origin", "http://rebind.evil.example:9000"}, http.StatusForbidden},
		{"DNS rebinding reads the request log", http.MethodGet, "/_mock/requests", "",
			[]string{"Host", "rebind.evil.example:9000"}, http.StatusForbidden},
		{"a page on another local port resets the mock", http.MethodPost, "/_mock/reset", "",
			[]string{"Content-Type", "application/json", "Origin", "http://localhost:8000", "Sec-Fetch-Site", "same-site"}, http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := mockprovider.NewTestServer(t)
			clients := len(srv.Clients())
			res := rawRequest(t, srv, tc.method, tc.path, tc.body, tc.header...)
			assert.Equal(t, tc.status, res.Status, res.Body)
			assert.Len(t, srv.Clients(), clients, "no client was registered")
			assert.Empty(t, srv.ActiveQuirks(), "no quirk was switched on")
		})
	}
}

// TestFormsRefuseForeignOrigins: a page elsewhere cannot post the login,
// consent, registration or sign-out forms in the user's name (before issue
// 9 only SameSite=Lax cookies protected them).
func TestFormsRefuseForeignOrigins(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	b := newBrowser(t, srv.URL)
	b.mustSignIn()
	page := b.get("/oauth/authorize?" + seedParams().Encode())
	require.Equal(t, http.StatusOK, page.Status)
	consentID := hidden(t, page.Body, "consent_id")

	post := func(path string, form url.Values, header ...string) response {
		req, err := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(form.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		return b.do(req)
	}
	foreign := []string{"Origin", "http://evil.example"}
	res := post(mockprovider.PathAuthorize, url.Values{"consent_id": {consentID}, "confirm": {"yes"}}, foreign...)
	assert.Equal(t, http.StatusForbidden, res.Status)
	assert.Contains(t, res.Body, "Cross-site request refused")
	assert.Empty(t, res.location(), "no code went anywhere")
	for _, path := range []string{mockprovider.PathLogin, mockprovider.PathRegister, mockprovider.PathLogout} {
		res := post(path, url.Values{}, "Sec-Fetch-Site", "cross-site")
		assert.Equal(t, http.StatusForbidden, res.Status, path)
	}
	assert.Contains(t, b.get("/").Body, "Signed in as <strong>alice</strong>", "the foreign sign-out did nothing")

	// The provider's own page, as a browser sends it, still works.
	res = post(mockprovider.PathAuthorize, url.Values{"consent_id": {consentID}, "confirm": {"yes"}},
		"Origin", srv.URL, "Sec-Fetch-Site", "same-origin")
	require.Equal(t, http.StatusFound, res.Status, res.Body)
	assert.NotEmpty(t, callbackParams(t, res.location(), mockprovider.SeedRedirectURI).Get("code"))
}
