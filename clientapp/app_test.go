package clientapp_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/clientapp"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

const appBase = "http://localhost:8000"

// wantSeedJSON is the seed's page for the provider's first token: pretty, fields as returned.
const wantSeedJSON = `{
  "oauth_token": "TMISJPOUmpXLddYUKJqpMYCOZdj856",
  "user": {
    "username": "alice",
    "email": "alice@example.com"
  }
}
`

func newApp(t *testing.T, cfg clientapp.Config) *clientapp.App {
	t.Helper()
	app, err := clientapp.New(cfg)
	require.NoError(t, err)
	return app
}

// serve runs one request through app; target is a path and query under appBase.
func serve(app http.Handler, method, target string, cookies ...*http.Cookie) *http.Response {
	req := httptest.NewRequest(method, appBase+target, nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

func cookieNamed(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// startSignIn does GET / and returns the authorization URL and the state cookie.
func startSignIn(t *testing.T, app http.Handler) (*url.URL, *http.Cookie) {
	t.Helper()
	resp := serve(app, http.MethodGet, "/")
	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	state := cookieNamed(resp, clientapp.StateCookie)
	require.NotNil(t, state, "state cookie")
	return loc, state
}

// signIn runs the whole flow and returns the callback response.
func signIn(t *testing.T, app http.Handler, srv *mockprovider.Server) *http.Response {
	t.Helper()
	authURL, state := startSignIn(t, app)
	return serve(app, http.MethodGet, authorizeAt(t, srv, authURL), state)
}

func TestSignInRedirect(t *testing.T) {
	t.Parallel()
	srv := newProvider(t)
	for _, tc := range []struct {
		name      string
		pkce      bool
		scopes    []string
		wantScope string
	}{
		{"pkce on", true, []string{"email"}, "email"},
		{"pkce off", false, []string{"email"}, "email"},
		{"two scopes", true, []string{"email", "profile"}, "email profile"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := testConfig(srv)
			cfg.PKCE, cfg.Scopes = tc.pkce, tc.scopes
			loc, state := startSignIn(t, newApp(t, cfg))

			assert.Equal(t, srv.URL+"/oauth/authorize", loc.Scheme+"://"+loc.Host+loc.Path)
			q := loc.Query()
			assert.Equal(t, "code", q.Get("response_type"))
			assert.Equal(t, mockprovider.SeedClientID, q.Get("client_id"))
			assert.Equal(t, mockprovider.SeedRedirectURI, q.Get("redirect_uri"))
			assert.Equal(t, tc.wantScope, q.Get("scope"))
			assert.NotEmpty(t, q.Get("state"))
			assert.Equal(t, q.Get("state"), state.Value, "state bound to the cookie")
			if tc.pkce {
				assert.Equal(t, "S256", q.Get("code_challenge_method"))
				assert.Len(t, q.Get("code_challenge"), 43) // base64url of a SHA-256
			} else {
				assert.False(t, q.Has("code_challenge"))
				assert.False(t, q.Has("code_challenge_method"))
			}

			assert.True(t, state.HttpOnly)
			assert.Equal(t, http.SameSiteLaxMode, state.SameSite)
			assert.Equal(t, "/", state.Path)
			assert.Positive(t, state.MaxAge)
			assert.LessOrEqual(t, state.MaxAge, 600)
			assert.False(t, state.Secure)
		})
	}
}

func TestSignInStatesAreFresh(t *testing.T) {
	t.Parallel()
	app := newApp(t, testConfig(newProvider(t)))
	a, _ := startSignIn(t, app)
	b, _ := startSignIn(t, app)
	assert.NotEqual(t, a.Query().Get("state"), b.Query().Get("state"))
	assert.NotEqual(t, a.Query().Get("code_challenge"), b.Query().Get("code_challenge"))
}

func TestSecureCookiesForHTTPSRedirect(t *testing.T) {
	t.Parallel()
	cfg := testConfig(newProvider(t))
	cfg.RedirectURL = "https://app.example/authorized"
	app := newApp(t, cfg)
	_, state := startSignIn(t, app)
	assert.True(t, state.Secure)
	assert.Equal(t, "https://app.example/", app.HomeURL())
}

func TestCallbackSuccess(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		pkce       bool
		style      oauth2.AuthStyle
		wantMethod string
	}{
		{"pkce basic", true, oauth2.AuthStyleInHeader, "basic"},
		{"pkce post", true, oauth2.AuthStyleInParams, "post"},
		{"pkce auto", true, oauth2.AuthStyleAutoDetect, "basic"},
		{"no pkce", false, oauth2.AuthStyleAutoDetect, "basic"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newProvider(t)
			cfg := testConfig(srv)
			cfg.PKCE, cfg.AuthStyle = tc.pkce, tc.style
			app := newApp(t, cfg)

			authURL, state := startSignIn(t, app)
			resp := serve(app, http.MethodGet, authorizeAt(t, srv, authURL), state)

			require.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
			assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
			assert.Equal(t, wantSeedJSON, body(t, resp))

			cleared := cookieNamed(resp, clientapp.StateCookie)
			require.NotNil(t, cleared, "state cookie cleared")
			assert.Negative(t, cleared.MaxAge)
			sess := cookieNamed(resp, clientapp.SessionCookie)
			require.NotNil(t, sess)
			assert.True(t, sess.HttpOnly)
			assert.Equal(t, http.SameSiteLaxMode, sess.SameSite)
			assert.NotContains(t, sess.Value, "tok-", "the token stays on the server")

			calls := tokenRequests(srv)
			require.Len(t, calls, 1)
			assert.Equal(t, tc.wantMethod, authMethod(calls[0]))
			// The provider checked the verifier against the challenge (RFC 7636 §4.6).
			assert.Equal(t, tc.pkce, calls[0].Form["code_verifier"] != nil)
			assert.Equal(t, tc.pkce, authURL.Query().Get("code_challenge") != "")
			assert.Equal(t, []string{mockprovider.SeedRedirectURI}, calls[0].Form["redirect_uri"])
			assert.Len(t, requestsTo(srv, mockprovider.PathMe), 1)
		})
	}
}

func TestSignedInIndexAndLogout(t *testing.T) {
	t.Parallel()
	srv := newProvider(t)
	app := newApp(t, testConfig(srv))
	resp := signIn(t, app, srv)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	sess := cookieNamed(resp, clientapp.SessionCookie)
	require.NotNil(t, sess)

	resp = serve(app, http.MethodGet, "/", sess)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.Equal(t, "{\n  \"username\": \"alice\",\n  \"email\": \"alice@example.com\"\n}\n", body(t, resp))

	resp = serve(app, http.MethodGet, "/logout", sess)
	assert.Equal(t, http.StatusFound, resp.StatusCode)
	assert.Equal(t, "/", resp.Header.Get("Location"))
	cleared := cookieNamed(resp, clientapp.SessionCookie)
	require.NotNil(t, cleared)
	assert.Negative(t, cleared.MaxAge)

	resp = serve(app, http.MethodGet, "/", sess) // the old cookie no longer works
	assert.Equal(t, http.StatusFound, resp.StatusCode)
	assert.True(t, strings.HasPrefix(resp.Header.Get("Location"), srv.URL+"/oauth/authorize?"))
}

func TestLogoutWithoutSession(t *testing.T) {
	t.Parallel()
	app := newApp(t, testConfig(newProvider(t)))
	resp := serve(app, http.MethodGet, "/logout")
	assert.Equal(t, http.StatusFound, resp.StatusCode)
	assert.Equal(t, "/", resp.Header.Get("Location"))
}

func TestCallbackStateMismatch(t *testing.T) {
	t.Parallel()
	srv := newProvider(t)
	app := newApp(t, testConfig(srv))
	for _, tc := range []struct {
		name       string
		query      func(state string) string
		sendCookie bool
	}{
		{"missing state", func(string) string { return "code=c" }, true},
		{"empty state", func(string) string { return "code=c&state=" }, true},
		{"wrong state", func(string) string { return "code=c&state=forged" }, true},
		{"state with a suffix", func(s string) string { return "code=c&state=" + s + "x" }, true},
		{"repeated state", func(s string) string { return "code=c&state=" + s + "&state=" + s }, true},
		{"no state cookie", func(s string) string { return "code=c&state=" + s }, false},
		{"error and wrong state", func(string) string { return "error=access_denied&state=forged" }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, state := startSignIn(t, app)
			var cookies []*http.Cookie
			if tc.sendCookie {
				cookies = append(cookies, state)
			}
			resp := serve(app, http.MethodGet, "/authorized?"+tc.query(state.Value), cookies...)
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
			assert.Contains(t, body(t, resp), "state mismatch")
			assert.Empty(t, tokenRequests(srv), "no token request")
		})
	}
}

func TestCallbackStateIsOneTime(t *testing.T) {
	t.Parallel()
	srv := newProvider(t)
	app := newApp(t, testConfig(srv))
	authURL, state := startSignIn(t, app)
	callback := authorizeAt(t, srv, authURL)
	require.Equal(t, http.StatusOK, serve(app, http.MethodGet, callback, state).StatusCode)

	resp := serve(app, http.MethodGet, callback, state) // replay, the browser kept the cookie
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Contains(t, body(t, resp), "state mismatch")
	assert.Len(t, tokenRequests(srv), 1, "the replay made no token request")
}

func TestCallbackAccessDenied(t *testing.T) {
	t.Parallel()
	srv := newProvider(t)
	app := newApp(t, testConfig(srv))
	_, state := startSignIn(t, app)
	q := url.Values{
		"error":             {"access_denied"},
		"error_description": {`The user said <b>no</b> & "left"`},
		"state":             {state.Value},
	}
	resp := serve(app, http.MethodGet, "/authorized?"+q.Encode(), state)

	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	page := body(t, resp)
	assert.Contains(t, page,
		"Access denied: error=access_denied error_description=The user said &lt;b&gt;no&lt;/b&gt; &amp; &#34;left&#34;")
	assert.NotContains(t, page, "<b>no</b>")
	assert.Empty(t, tokenRequests(srv))
	cleared := cookieNamed(resp, clientapp.StateCookie)
	require.NotNil(t, cleared)
	assert.Negative(t, cleared.MaxAge)
}

func TestCallbackTokenFailures(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		err        *mockprovider.Error    // queued RFC 6749 §5.2 error
		resp       *mockprovider.Response // or a queued answer
		wantStatus int
		wantText   []string
	}{
		{"invalid_grant", mockprovider.ErrInvalidGrant.WithDescription("the code has expired"), nil,
			http.StatusBadRequest, []string{"invalid_grant", "the code has expired", "Token request failed"}},
		{"invalid_client 401", mockprovider.ErrInvalidClient, nil,
			http.StatusBadRequest, []string{"error=invalid_client"}},
		{"error in a 200", mockprovider.ErrInvalidGrant.WithStatus(http.StatusOK), nil,
			http.StatusBadRequest, []string{"error=invalid_grant"}},
		{"500 without an RFC 6749 error", nil, &mockprovider.Response{Status: 500, Header: jsonType("text/html"), Body: "<h1>boom</h1>"},
			http.StatusBadGateway, []string{"500 Internal Server Error", "&lt;h1&gt;boom"}},
		{"200 without access_token", nil, &mockprovider.Response{Status: 200, Header: jsonType("application/json"), Body: `{"token_type":"Bearer"}`},
			http.StatusBadGateway, []string{"missing access_token"}},
		{"200 not JSON", nil, &mockprovider.Response{Status: 200, Header: jsonType("application/json"), Body: `not json`},
			http.StatusBadGateway, []string{"unusable answer"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newProvider(t)
			cfg := testConfig(srv)
			cfg.AuthStyle = oauth2.AuthStyleInHeader
			app := newApp(t, cfg)
			if tc.err != nil {
				srv.QueueError(mockprovider.PathToken, tc.err)
			} else {
				srv.QueueResponse(mockprovider.PathToken, *tc.resp)
			}

			resp := signIn(t, app, srv)
			assert.Equal(t, tc.wantStatus, resp.StatusCode)
			page := body(t, resp)
			assert.Contains(t, page, srv.URL+"/oauth/token")
			for _, s := range tc.wantText {
				assert.Contains(t, page, s)
			}
			assert.Nil(t, cookieNamed(resp, clientapp.SessionCookie), "not signed in")
			assert.Empty(t, requestsTo(srv, mockprovider.PathMe))
		})
	}
}

// jsonType is a header with the given Content-Type.
func jsonType(ct string) http.Header { return http.Header{"Content-Type": {ct}} }

// closedURL returns a base URL on 127.0.0.1 where nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return "http://" + addr
}

func TestCallbackTokenEndpointUnreachable(t *testing.T) {
	t.Parallel()
	srv := newProvider(t)
	cfg := testConfig(srv)
	cfg.TokenURL = closedURL(t) + "/oauth/token"
	app := newApp(t, cfg)

	resp := signIn(t, app, srv)
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	page := body(t, resp)
	assert.Contains(t, page, "provider unreachable")
	assert.Contains(t, page, "POST "+cfg.TokenURL)
	assert.Contains(t, page, "connection refused")
}

func TestMeFailures(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		err      *mockprovider.Error    // queued RFC 6750 §3 error
		resp     *mockprovider.Response // or a queued answer
		meURL    func(t *testing.T) string
		wantText []string
	}{
		{"401", mockprovider.ErrInvalidToken, nil, nil,
			[]string{"401 Unauthorized", `Bearer realm=&#34;mockprovider&#34;, error=&#34;invalid_token&#34;`, "invalid_token"}},
		{"500", nil, &mockprovider.Response{Status: 500, Body: "oops"}, nil, []string{"500 Internal Server Error", "oops"}},
		{"not JSON", nil, &mockprovider.Response{Status: 200, Header: jsonType("text/html"), Body: "<html>login</html>"},
			nil, []string{"not a JSON object"}},
		{"JSON array", nil, &mockprovider.Response{Status: 200, Header: jsonType("application/json"), Body: `["alice"]`},
			nil, []string{"not a JSON object"}},
		{"JSON null", nil, &mockprovider.Response{Status: 200, Header: jsonType("application/json"), Body: `null`},
			nil, []string{"not a JSON object"}},
		{"long body", nil, &mockprovider.Response{Status: 503, Body: strings.Repeat("x", 5000)}, nil, []string{"503", "…"}},
		{"unreachable", nil, nil, func(t *testing.T) string { return closedURL(t) + "/oauth/api/me" },
			[]string{"Could not reach the /me resource", "connection refused"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newProvider(t)
			cfg := testConfig(srv)
			if tc.meURL != nil {
				cfg.MeURL = tc.meURL(t)
			}
			app := newApp(t, cfg)
			switch {
			case tc.err != nil:
				srv.QueueError(mockprovider.PathMe, tc.err)
			case tc.resp != nil:
				srv.QueueResponse(mockprovider.PathMe, *tc.resp)
			}
			resp := signIn(t, app, srv)
			assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
			page := body(t, resp)
			assert.Contains(t, page, "GET "+cfg.MeURL)
			for _, s := range tc.wantText {
				assert.Contains(t, page, s)
			}
			assert.Less(t, len(page), 3000, "only an excerpt of the body")
		})
	}
}

func TestIndexWithRevokedToken(t *testing.T) {
	t.Parallel()
	srv := newProvider(t)
	app := newApp(t, testConfig(srv))
	sess := cookieNamed(signIn(t, app, srv), clientapp.SessionCookie)
	require.NotNil(t, sess)
	srv.QueueError(mockprovider.PathMe, mockprovider.ErrInvalidToken.WithDescription("the access token was revoked"))

	resp := serve(app, http.MethodGet, "/", sess)
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	assert.Contains(t, body(t, resp), "401 Unauthorized")
	cleared := cookieNamed(resp, clientapp.SessionCookie)
	require.NotNil(t, cleared, "the session ends")
	assert.Negative(t, cleared.MaxAge)

	resp = serve(app, http.MethodGet, "/", sess)
	assert.Equal(t, http.StatusFound, resp.StatusCode, "signed out: a new sign-in starts")
}

func TestCallbackBadInput(t *testing.T) {
	t.Parallel()
	srv := newProvider(t)
	app := newApp(t, testConfig(srv))
	for _, tc := range []struct {
		name     string
		rawQuery func(state string) string
		wantText string
	}{
		{"repeated state", func(s string) string { return "code=c&state=" + s + "&state=other" }, "state mismatch"},
		{"repeated code", func(s string) string { return "code=a&code=b&state=" + s }, "repeated"},
		{"repeated error", func(s string) string { return "error=a&error=b&state=" + s }, "repeated"},
		{"oversized state", func(s string) string { return "code=c&state=" + strings.Repeat("s", 10000) }, "more than"},
		{"oversized code", func(s string) string { return "state=" + s + "&code=" + strings.Repeat("c", 9000) }, "more than"},
		{"invalid UTF-8 value", func(s string) string { return "code=c%ff%fe&state=" + s }, "UTF-8"},
		{"invalid UTF-8 raw byte", func(s string) string { return "code=c\xff&state=" + s }, "UTF-8"},
		{"invalid UTF-8 name", func(s string) string { return "c%ffode=c&state=" + s }, "UTF-8"},
		{"invalid UTF-8 description", func(s string) string {
			return "error=access_denied&error_description=%C0%AF&state=" + s
		}, "UTF-8"},
		{"bad escape", func(s string) string { return "code=%zz&state=" + s }, "malformed"},
		{"semicolon", func(s string) string { return "code=c;x=y&state=" + s }, "malformed"},
		{"no code and no error", func(s string) string { return "state=" + s }, "neither a code nor an error"},
		{"empty code", func(s string) string { return "code=&state=" + s }, "neither a code nor an error"},
		{"NUL bytes", func(s string) string { return "code=%00%00&state=%00" }, "state mismatch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, state := startSignIn(t, app)
			req := httptest.NewRequest(http.MethodGet, appBase+"/authorized", nil)
			req.URL.RawQuery = tc.rawQuery(state.Value)
			req.AddCookie(state)
			rec := httptest.NewRecorder()
			app.ServeHTTP(rec, req)

			assert.Equal(t, http.StatusBadRequest, rec.Code)
			assert.Contains(t, rec.Body.String(), tc.wantText)
			assert.Empty(t, tokenRequests(srv))
		})
	}
}

func TestRoutes(t *testing.T) {
	t.Parallel()
	app := newApp(t, testConfig(newProvider(t)))
	for _, tc := range []struct {
		method, target string
		wantStatus     int
	}{
		{http.MethodGet, "/nope", http.StatusNotFound},
		{http.MethodGet, "/authorized/", http.StatusNotFound},
		{http.MethodPost, "/", http.StatusMethodNotAllowed},
		{http.MethodPost, "/authorized", http.StatusMethodNotAllowed},
		{http.MethodDelete, "/logout", http.StatusMethodNotAllowed},
		{http.MethodHead, "/", http.StatusFound},
	} {
		t.Run(tc.method+" "+tc.target, func(t *testing.T) {
			resp := serve(app, tc.method, tc.target)
			assert.Equal(t, tc.wantStatus, resp.StatusCode)
			if tc.wantStatus >= 400 {
				assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
			}
		})
	}
}

func TestCallbackAtRedirectURLPath(t *testing.T) {
	t.Parallel()
	srv := newProvider(t)
	app := newApp(t, configFor(srv, "http://localhost:8000/oauth2/callback"))

	resp := signIn(t, app, srv)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body(t, resp), `"username": "alice"`)
	assert.Equal(t, http.StatusNotFound, serve(app, http.MethodGet, "/authorized").StatusCode)
}

// TestEndToEnd drives the App on a real listener with a cookie-keeping client that follows the
// redirects, as a browser would.
func TestEndToEnd(t *testing.T) {
	t.Parallel()
	// The provider signs alice in and approves at once, so that a client following redirects
	// gets through.
	srv := newProvider(t, mockprovider.WithAutoApprove("alice"))
	var handler http.Handler
	appSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(appSrv.Close)
	app := newApp(t, configFor(srv, appSrv.URL+"/authorized"))
	handler = app
	assert.Equal(t, appSrv.URL+"/", app.HomeURL())

	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	browser := &http.Client{Jar: jar, Transport: &http.Transport{}}

	resp, err := browser.Get(app.HomeURL())
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, appSrv.URL+"/authorized", resp.Request.URL.Scheme+"://"+resp.Request.URL.Host+resp.Request.URL.Path)
	first := body(t, resp)
	assert.Contains(t, first, `"username": "alice"`)
	resp.Body.Close()

	resp, err = browser.Get(app.HomeURL())
	require.NoError(t, err)
	assert.JSONEq(t, testUserJSON, body(t, resp))
	resp.Body.Close()

	resp, err = browser.Get(appSrv.URL + "/logout") // back to /, which signs in again
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	again := body(t, resp)
	assert.Contains(t, again, `"oauth_token": "`)
	assert.NotEqual(t, first, again, "a new token")
	resp.Body.Close()
}

func TestConcurrentSignIns(t *testing.T) {
	t.Parallel()
	srv := newProvider(t)
	app := newApp(t, testConfig(srv))
	t.Run("group", func(t *testing.T) {
		for i := range 16 {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				resp := signIn(t, app, srv)
				require.Equal(t, http.StatusOK, resp.StatusCode)
				sess := cookieNamed(resp, clientapp.SessionCookie)
				require.NotNil(t, sess)
				assert.Equal(t, http.StatusOK, serve(app, http.MethodGet, "/", sess).StatusCode)
			})
		}
	})
	assert.Len(t, tokenRequests(srv), 16)
}

func TestOAuth2Config(t *testing.T) {
	t.Parallel()
	srv := newProvider(t)
	cfg := testConfig(srv)
	cfg.AuthStyle = oauth2.AuthStyleInParams
	app := newApp(t, cfg)
	oc := app.OAuth2Config()
	assert.Equal(t, mockprovider.SeedClientID, oc.ClientID)
	assert.Equal(t, mockprovider.SeedClientSecret, oc.ClientSecret)
	assert.Equal(t, srv.URL+"/oauth/authorize", oc.Endpoint.AuthURL)
	assert.Equal(t, srv.URL+"/oauth/token", oc.Endpoint.TokenURL)
	assert.Equal(t, oauth2.AuthStyleInParams, oc.Endpoint.AuthStyle)
	assert.Equal(t, mockprovider.SeedRedirectURI, oc.RedirectURL)
	assert.Equal(t, []string{"email"}, oc.Scopes)

	oc.Scopes[0] = "changed" // a copy: the App is not affected
	loc, _ := startSignIn(t, app)
	assert.Equal(t, "email", loc.Query().Get("scope"))
	assert.Equal(t, "http://localhost:8000/", app.HomeURL())
}

// FuzzCallback checks that no callback query makes the App fail with a 5xx or contact the provider
// before the state is checked. `go test` runs the seeds; `go test -fuzz FuzzCallback` explores.
func FuzzCallback(f *testing.F) {
	for _, seed := range []string{
		"code=c&state=S", "state=S&state=S", "error=access_denied&error_description=%3Cb%3E&state=S",
		"code=%ff&state=S", "c\xffode=1", "%zz", "a;b", strings.Repeat("x", 9000), "",
	} {
		f.Add(seed)
	}
	srv := newProvider(f)
	app, err := clientapp.New(testConfig(srv))
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, rawQuery string) {
		req := httptest.NewRequest(http.MethodGet, appBase+"/authorized", nil)
		req.URL.RawQuery = rawQuery
		req.AddCookie(&http.Cookie{Name: clientapp.StateCookie, Value: "S"})
		rec := httptest.NewRecorder()
		app.ServeHTTP(rec, req)
		assert.Equal(t, http.StatusBadRequest, rec.Code, "no sign-in with state S is in progress")
		assert.Empty(t, tokenRequests(srv))
	})
}
