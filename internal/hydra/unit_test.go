package hydra

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVersionMatchesToolsGoMod(t *testing.T) {
	b, err := os.ReadFile("tools/go.mod")
	require.NoError(t, err)
	assert.Regexp(t, `(?m)^\s*`+Module+` `+Version+`\b`, string(b), "tools/go.mod pins the same Hydra as Version")
	assert.Contains(t, string(dockerfile), `org.opencontainers.image.version="`+Version+`"`)
}

// TestMeChallenges: the protected resource answers a request without a
// bearer token with a bare challenge (RFC 6750 §3.1) and a malformed one
// with invalid_request, before asking Hydra anything.
func TestMeChallenges(t *testing.T) {
	a := &loginApp{logger: slog.New(slog.DiscardHandler)}
	tests := []struct {
		name, header string
		status       int
		challenge    string
	}{
		{"no header", "", http.StatusUnauthorized, `Bearer realm="hydra"`},
		{"basic", "Basic dXNlcjpwYXNz", http.StatusUnauthorized, `Bearer realm="hydra"`},
		{"scheme only", "Bearer", http.StatusBadRequest, `Bearer realm="hydra", error="invalid_request"`},
		{"two tokens", "Bearer a b", http.StatusBadRequest, `Bearer realm="hydra", error="invalid_request"`},
		{"bad character", `Bearer a"b`, http.StatusBadRequest, `Bearer realm="hydra", error="invalid_request"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/oauth/api/me", nil)
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			rec := httptest.NewRecorder()
			a.handleMe(rec, req)
			assert.Equal(t, tt.status, rec.Code)
			assert.True(t, strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), tt.challenge), rec.Header().Get("WWW-Authenticate"))
			assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
		})
	}
}

func TestAdminError(t *testing.T) {
	tests := []struct {
		name, body   string
		status       int
		code, desc   string
		redirectTo   string
		wantInString string
	}{
		{name: "oauth style", status: 400, body: `{"error":"invalid_request","error_description":"bad challenge"}`,
			code: "invalid_request", desc: "bad challenge", wantInString: "400 Bad Request: invalid_request: bad challenge"},
		{name: "herodot style", status: 404, body: `{"error":{"code":404,"status":"Not Found","message":"Unable to locate the resource","reason":"no such request"}}`,
			code: "Not Found", desc: "Unable to locate the resource no such request"},
		{name: "gone", status: 410, body: `{"redirect_to":"http://127.0.0.1:1/oauth2/auth?x"}`, redirectTo: "http://127.0.0.1:1/oauth2/auth?x"},
		{name: "not json", status: 502, body: "bad gateway\n", desc: "bad gateway"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := adminError("GET", "/admin/x", tt.status, []byte(tt.body))
			var ae *AdminError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.code, ae.Code)
			assert.Equal(t, tt.desc, ae.Description)
			assert.Equal(t, tt.redirectTo, ae.RedirectTo)
			assert.Contains(t, err.Error(), "hydra: admin API GET /admin/x")
			assert.Contains(t, err.Error(), tt.wantInString)
			to, gone := goneTo(err)
			assert.Equal(t, tt.redirectTo != "", gone)
			assert.Equal(t, tt.redirectTo, to)
		})
	}
}

func TestClientRegistration(t *testing.T) {
	r := Client{ID: "id", Secret: "s", RedirectURIs: []string{"http://127.0.0.1:8000/authorized"}}.registration()
	assert.Equal(t, "email offline offline_access", r.Scope, "refresh tokens need offline or offline_access")
	assert.Equal(t, []string{"authorization_code", "refresh_token"}, r.GrantTypes)
	assert.Equal(t, []string{"code"}, r.ResponseTypes)
	assert.Equal(t, "client_secret_basic", r.TokenEndpointAuthMethod)

	r = Client{Scopes: []string{"email", "offline_access"}, GrantTypes: []string{"authorization_code"}, TokenEndpointAuthMethod: "client_secret_post"}.registration()
	assert.Equal(t, "email offline_access", r.Scope, "nothing is added without the refresh_token grant")
	assert.Equal(t, []string{}, r.RedirectURIs)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "client_id", "an empty id lets Hydra choose one")
	assert.NotContains(t, string(b), "post_logout_redirect_uris", "none registered")

	r = Client{RedirectURIs: []string{"http://127.0.0.1:8000/authorized"}, PostLogoutRedirectURIs: []string{"http://127.0.0.1:8000/"}}.registration()
	b, err = json.Marshal(r)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"post_logout_redirect_uris":["http://127.0.0.1:8000/"]`, "OpenID RP-Initiated Logout §3")
}

func TestSplitImage(t *testing.T) {
	for image, want := range map[string][2]string{
		"dsra-oauth2/hydra:v2.3.0":      {"dsra-oauth2/hydra", "v2.3.0"},
		"oryd/hydra":                    {"oryd/hydra", "latest"},
		"localhost:5000/hydra":          {"localhost:5000/hydra", "latest"},
		"localhost:5000/hydra:v2.3.0":   {"localhost:5000/hydra", "v2.3.0"},
		"docker.io/oryd/hydra:v2.3.0-x": {"docker.io/oryd/hydra", "v2.3.0-x"},
	} {
		repo, tag := splitImage(image)
		assert.Equal(t, want, [2]string{repo, tag}, image)
	}
}

func TestChooseImage(t *testing.T) {
	defer func(old func(string) string) { getenv = old }(getenv)
	env := map[string]string{}
	getenv = func(k string) string { return env[k] }

	assert.Equal(t, "mine:1", chooseImage(nil, Options{Image: "mine:1"}))
	env["HYDRA_IMAGE"] = OfficialImage
	assert.Equal(t, OfficialImage, chooseImage(nil, Options{}))
	assert.Equal(t, "mine:1", chooseImage(nil, Options{Image: "mine:1"}), "the option wins over the environment")
}

func TestStartRejectsUnknownMode(t *testing.T) {
	_, err := Start(t.Context(), Options{Mode: "vm"})
	assert.ErrorContains(t, err, `mode "vm" is not auto, docker or process`)
}

// fakeAdmin is a stand-in for Hydra's admin API that records what the login
// app sends.
type fakeAdmin struct {
	login, consent flowRequest
	gone           bool
	accepted       map[string]json.RawMessage // path → body
}

func (f *fakeAdmin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if f.gone {
		w.WriteHeader(http.StatusGone)
		_ = json.NewEncoder(w).Encode(redirectTo{RedirectTo: "http://hydra.invalid/oauth2/auth?again"})
		return
	}
	switch r.Method + " " + r.URL.Path {
	case "GET /admin/oauth2/auth/requests/login":
		if r.URL.Query().Get("login_challenge") != f.login.Challenge {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error":{"code":404,"status":"Not Found","message":"Unable to locate the resource"}}`))
			return
		}
		_ = json.NewEncoder(w).Encode(f.login)
	case "GET /admin/oauth2/auth/requests/consent":
		_ = json.NewEncoder(w).Encode(f.consent)
	default:
		var body json.RawMessage
		_ = json.NewDecoder(r.Body).Decode(&body)
		f.accepted[r.URL.Path] = body
		_ = json.NewEncoder(w).Encode(redirectTo{RedirectTo: "http://hydra.invalid" + r.URL.Path})
	}
}

func newFakeLoginApp(t *testing.T) (*fakeAdmin, *httptest.Server) {
	f := &fakeAdmin{
		login: flowRequest{Challenge: "lc", Client: oauth2Client{ClientID: "cid", ClientName: "Sample"}},
		consent: flowRequest{Challenge: "cc", Subject: "alice", Client: oauth2Client{ClientID: "cid"},
			RequestedScope: []string{"email", "offline"}, RequestedAudience: []string{"api"},
			RequestURL: "/oauth2/auth?redirect_uri=http%3A%2F%2F127.0.0.1%3A8000%2Fauthorized"},
		accepted: map[string]json.RawMessage{},
	}
	admin := httptest.NewServer(f)
	t.Cleanup(admin.Close)
	app := &loginApp{admin: newAdminClient(admin.URL), users: map[string]User{"alice": DefaultUsers[0]}, logger: slog.New(slog.DiscardHandler)}
	srv := httptest.NewServer(app.routes())
	t.Cleanup(srv.Close)
	return f, srv
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func TestLoginAppWithFakeHydra(t *testing.T) {
	f, srv := newFakeLoginApp(t)

	page := get(t, noRedirect, srv.URL+"/login?login_challenge=lc")
	assert.Equal(t, http.StatusOK, page.Status)
	assert.Contains(t, page.Body, "<strong>Sample</strong>")
	assert.Equal(t, "lc", hiddenValue(t, page.Body, "login_challenge"))

	unknown := get(t, noRedirect, srv.URL+"/login?login_challenge=nope")
	assert.Equal(t, http.StatusBadRequest, unknown.Status)
	assert.Contains(t, unknown.Body, "Unable to locate the resource")

	assert.Equal(t, http.StatusBadRequest, get(t, noRedirect, srv.URL+"/login").Status)

	ok := postForm(t, noRedirect, srv.URL+"/login", url.Values{"login_challenge": {"lc"}, "username": {"alice"}, "password": {"wonderland"}})
	assert.Equal(t, http.StatusSeeOther, ok.Status)
	assert.Equal(t, "http://hydra.invalid/admin/oauth2/auth/requests/login/accept", ok.Header.Get("Location"))
	assert.JSONEq(t, `{"subject":"alice","remember":true}`, string(f.accepted["/admin/oauth2/auth/requests/login/accept"]),
		"Hydra keeps the sign-in session, so that prompt and max_age mean something")

	consentPage := get(t, noRedirect, srv.URL+"/consent?consent_challenge=cc")
	assert.Equal(t, http.StatusOK, consentPage.Status)
	assert.Contains(t, consentPage.Body, `<code id="redirect-uri">http://127.0.0.1:8000/authorized</code>`)
	assert.Contains(t, consentPage.Body, "<li><code>offline</code></li>")

	yes := postForm(t, noRedirect, srv.URL+"/consent", url.Values{"consent_challenge": {"cc"}, "confirm": {"yes"}})
	assert.Equal(t, http.StatusSeeOther, yes.Status)
	assert.JSONEq(t, `{"grant_scope":["email","offline"],"grant_access_token_audience":["api"],"remember":false,
		"session":{"access_token":{"username":"alice","email":"alice@example.com"},"id_token":{"email":"alice@example.com"}}}`,
		string(f.accepted["/admin/oauth2/auth/requests/consent/accept"]))

	no := postForm(t, noRedirect, srv.URL+"/consent", url.Values{"consent_challenge": {"cc"}, "confirm": {"no"}})
	assert.Equal(t, http.StatusSeeOther, no.Status)
	assert.JSONEq(t, `{"error":"access_denied","error_description":"The resource owner denied the request.","status_code":403}`,
		string(f.accepted["/admin/oauth2/auth/requests/consent/reject"]))

	bad := postForm(t, noRedirect, srv.URL+"/consent", url.Values{"consent_challenge": {"cc"}, "confirm": {"maybe"}})
	assert.Equal(t, http.StatusBadRequest, bad.Status)

	t.Run("skip accepts at once", func(t *testing.T) {
		f.login.Skip, f.login.Subject = true, "alice"
		defer func() { f.login.Skip = false }()
		r := get(t, noRedirect, srv.URL+"/login?login_challenge=lc")
		assert.Equal(t, http.StatusSeeOther, r.Status)
		assert.JSONEq(t, `{"subject":"alice","remember":false}`, string(f.accepted["/admin/oauth2/auth/requests/login/accept"]))
	})

	t.Run("a handled request goes on where Hydra says", func(t *testing.T) {
		f.gone = true
		defer func() { f.gone = false }()
		r := get(t, noRedirect, srv.URL+"/consent?consent_challenge=cc")
		assert.Equal(t, http.StatusSeeOther, r.Status)
		assert.Equal(t, "http://hydra.invalid/oauth2/auth?again", r.Header.Get("Location"))
	})

	t.Run("Hydra down", func(t *testing.T) {
		app := &loginApp{admin: newAdminClient("http://127.0.0.1:1"), logger: slog.New(slog.DiscardHandler)}
		rec := httptest.NewRecorder()
		app.routes().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/consent?consent_challenge=cc", nil))
		assert.Equal(t, http.StatusBadGateway, rec.Code)
		rec = httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/oauth/api/me", nil)
		req.Header.Set("Authorization", "Bearer tok")
		app.routes().ServeHTTP(rec, req)
		assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	})
}

// TestLoginAppAcceptsLogout: Hydra hands an RP-initiated logout to the
// login app, which accepts it and sends the browser back to Hydra.
func TestLoginAppAcceptsLogout(t *testing.T) {
	f, srv := newFakeLoginApp(t)
	r := get(t, noRedirect, srv.URL+"/logout?logout_challenge=oc")
	assert.Equal(t, http.StatusSeeOther, r.Status)
	assert.Equal(t, "http://hydra.invalid/admin/oauth2/auth/requests/logout/accept", r.Header.Get("Location"))
	assert.Contains(t, f.accepted, "/admin/oauth2/auth/requests/logout/accept")
	assert.Equal(t, http.StatusBadRequest, get(t, noRedirect, srv.URL+"/logout").Status, "no logout_challenge")
}
