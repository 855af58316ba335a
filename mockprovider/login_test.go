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

func TestLoginRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, username, password string
		csrf                     func(page string) string
		status                   int
		message                  string
	}{
		{"wrong password", "alice", "builder", nil, http.StatusUnauthorized, "Invalid username or password."},
		{"unknown user", "mallory", "wonderland", nil, http.StatusUnauthorized, "Invalid username or password."},
		{"empty password", "alice", "", nil, http.StatusUnauthorized, "Invalid username or password."},
		{"password of another user", "bob", "wonderland", nil, http.StatusUnauthorized, "Invalid username or password."},
		{"bad csrf", "alice", "wonderland", func(string) string { return "forged" }, http.StatusBadRequest, "The sign-in form expired"},
		{"no csrf", "alice", "wonderland", func(string) string { return "" }, http.StatusBadRequest, "The sign-in form expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := mockprovider.NewTestServer(t)
			b := newBrowser(t, srv.URL)
			page := b.get("/oauth?next=/oauth/register")
			require.Equal(t, http.StatusOK, page.Status)
			csrf := hidden(t, page.Body, "csrf")
			if tt.csrf != nil {
				csrf = tt.csrf(page.Body)
			}
			res := b.post("/oauth", url.Values{"username": {tt.username}, "password": {tt.password}, "next": {"/oauth/register"}, "csrf": {csrf}})
			assert.Equal(t, tt.status, res.Status)
			assert.Empty(t, res.Header.Values("Location"))
			assert.Contains(t, elementText(t, res.Body, "error"), tt.message)
			// The form comes back, with the same next and a new csrf.
			assert.Equal(t, "/oauth/register", hidden(t, res.Body, "next"))
			assert.NotEqual(t, hidden(t, page.Body, "csrf"), hidden(t, res.Body, "csrf"))
			assert.NotContains(t, strings.Join(res.Header.Values("Set-Cookie"), "\n"), "mockprovider_session=")
			// Not signed in: the register page still sends to the login.
			assert.Equal(t, http.StatusFound, b.get("/oauth/register").Status)
		})
	}
}

func TestLoginWithoutCookie(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	page := newBrowser(t, srv.URL).get("/oauth")
	// Another browser (no login cookie) posts the form.
	res := newBrowser(t, srv.URL).post("/oauth", url.Values{"username": {"alice"}, "password": {"wonderland"}, "csrf": {hidden(t, page.Body, "csrf")}})
	assert.Equal(t, http.StatusBadRequest, res.Status)
	assert.Empty(t, res.Header.Values("Location"))
}

func TestLoginNext(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		next func(base string) string
		want string // the path signed-in users are sent to; "" when refused
	}{
		{"empty", func(string) string { return "" }, "/"},
		{"path", func(string) string { return "/oauth/register" }, "/oauth/register"},
		{"path and query", func(string) string { return "/oauth/authorize?client_id=x&state=a%20b" }, "/oauth/authorize?client_id=x&state=a%20b"},
		{"absolute on this host", func(base string) string { return base + "/oauth/register" }, "/oauth/register"},
		{"scheme-relative on this host", func(base string) string { return "//" + strings.TrimPrefix(base, "http://") + "/oauth/register" }, "/oauth/register"},
		{"protocol-relative", func(string) string { return "//evil.example" }, ""},
		{"protocol-relative with path", func(string) string { return "//evil.example/oauth" }, ""},
		{"absolute elsewhere", func(string) string { return "https://evil.example/" }, ""},
		{"backslash", func(string) string { return `/\evil.example` }, ""},
		{"backslashes", func(string) string { return `\\evil.example` }, ""},
		{"javascript", func(string) string { return "javascript:alert(1)" }, ""},
		{"data", func(string) string { return "data:text/html,<script>alert(1)</script>" }, ""},
		{"relative path", func(string) string { return "oauth/register" }, ""},
		{"tab", func(string) string { return "/\t/evil.example" }, ""},
		{"newline", func(string) string { return "/\n/evil.example" }, ""},
		{"encoded slash", func(string) string { return "/%2F/evil.example" }, ""},
		{"userinfo on this host", func(base string) string { return "http://evil.example@" + strings.TrimPrefix(base, "http://") + "/" }, ""},
		{"https on this host", func(base string) string { return "https://" + strings.TrimPrefix(base, "http://") + "/" }, ""},
		{"this host as a prefix", func(base string) string { return base + ".evil.example/" }, ""},
		{"this host's path with //", func(base string) string { return base + "//evil.example" }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := mockprovider.NewTestServer(t)
			next := tt.next(srv.URL)
			b := newBrowser(t, srv.URL)
			page := b.get("/oauth?next=" + url.QueryEscape(next))
			if tt.want == "" {
				assert.Equal(t, http.StatusBadRequest, page.Status)
				assert.Empty(t, page.Header.Values("Location"))
				assert.Contains(t, page.Body, "Bad sign-in link")
			} else {
				require.Equal(t, http.StatusOK, page.Status)
				assert.Equal(t, tt.want, hidden(t, page.Body, "next"))
			}

			// Posting the form with that next, whatever the page said.
			login := b.get("/oauth")
			res := b.post("/oauth", url.Values{"username": {"alice"}, "password": {"wonderland"}, "next": {next}, "csrf": {hidden(t, login.Body, "csrf")}})
			if tt.want == "" {
				assert.Equal(t, http.StatusBadRequest, res.Status)
				assert.Empty(t, res.Header.Values("Location"))
				return
			}
			require.Equal(t, http.StatusSeeOther, res.Status)
			assert.Equal(t, tt.want, res.location())
		})
	}
}

func TestLogout(t *testing.T) {
	t.Parallel()
	srv := mockprovider.NewTestServer(t)
	b := newBrowser(t, srv.URL)
	b.mustSignIn()
	home := b.get("/")
	require.Equal(t, http.StatusOK, home.Status)
	assert.Contains(t, home.Body, "Signed in as <strong>alice</strong>")
	assert.Equal(t, http.StatusMethodNotAllowed, b.get("/oauth/logout").Status, "a link cannot sign anyone out")
	res := b.post("/oauth/logout", url.Values{})
	assert.Equal(t, http.StatusSeeOther, res.Status)
	assert.Equal(t, "/", res.location())
	assert.Contains(t, b.get("/").Body, `href="/oauth?next=/"`)
	// The session is gone: authorize asks for a sign-in again.
	assert.Equal(t, http.StatusFound, b.get("/oauth/authorize?"+seedParams().Encode()).Status)
}

// TestLoginRepeatedField: a repeated username or password is refused with
// a page naming the field, never signed in with the first value.
func TestLoginRepeatedField(t *testing.T) {
	t.Parallel()
	for _, field := range []string{"username", "password"} {
		t.Run(field, func(t *testing.T) {
			t.Parallel()
			srv := mockprovider.NewTestServer(t)
			b := newBrowser(t, srv.URL)
			page := b.get("/oauth?next=/oauth/register")
			require.Equal(t, http.StatusOK, page.Status)
			form := url.Values{"username": {"alice"}, "password": {"wonderland"}, "next": {"/oauth/register"}, "csrf": {hidden(t, page.Body, "csrf")}}
			form.Add(field, "x")
			res := b.post("/oauth", form)
			assert.Equal(t, http.StatusBadRequest, res.Status)
			assert.Contains(t, elementText(t, res.Body, "error"), "is repeated")
			assert.Contains(t, elementText(t, res.Body, "error"), field)
			assert.Equal(t, http.StatusFound, b.get("/oauth/register").Status, "not signed in")
		})
	}
}
