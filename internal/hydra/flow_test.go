package hydra

import (
	"context"
	"encoding/json"
	"errors"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockerd"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockertestenv"
)

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// startOrSkip starts Hydra; it skips only when docker mode has no engine.
func startOrSkip(t *testing.T, opts Options) *Instance {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = testLogger(t)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 8*time.Minute) // a cold Hydra build: ~2 min of downloads, ~2.5 min to compile
	defer cancel()
	h, err := Start(ctx, opts)
	if errors.Is(err, dockerd.ErrNoEngine) {
		dockertestenv.SkipOrFail(t, err)
	}
	require.NoError(t, err)
	t.Cleanup(func() { _ = h.Close() })
	return h
}

// ensureEngineOrSkip returns a Docker engine, skipping only when none can be had.
func ensureEngineOrSkip(t *testing.T) *dockerd.Engine {
	t.Helper()
	eng, err := dockerd.Ensure(t.Context(), testLogger(t))
	if errors.Is(err, dockerd.ErrNoEngine) {
		dockertestenv.SkipOrFail(t, err)
	}
	require.NoError(t, err)
	t.Cleanup(func() { _ = eng.Close() })
	return eng
}

// callbackURL returns a redirect URI on a free loopback port; nothing
// listens there: the browser stops before following the redirect.
func callbackURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return "http://127.0.0.1:" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port) + "/authorized"
}

// newBrowser is a cookie-keeping client that follows redirects until one
// leads to a URL with the origin and path of redirectURI.
func newBrowser(t *testing.T, redirectURI string) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	stop, err := url.Parse(redirectURI)
	require.NoError(t, err)
	return &http.Client{
		Jar:     jar,
		Timeout: 10 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if req.URL.Scheme == stop.Scheme && req.URL.Host == stop.Host && req.URL.Path == stop.Path {
				return http.ErrUseLastResponse
			}
			if len(via) > 10 {
				return errors.New("too many redirects")
			}
			return nil
		},
	}
}

// page is a fetched page: its final URL, status and body.
type fetched struct {
	URL    *url.URL
	Status int
	Header http.Header
	Body   string
}

func fetch(t *testing.T, c *http.Client, req *http.Request) fetched {
	t.Helper()
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return fetched{URL: resp.Request.URL, Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

func get(t *testing.T, c *http.Client, u string) fetched {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	require.NoError(t, err)
	return fetch(t, c, req)
}

func postForm(t *testing.T, c *http.Client, u string, form url.Values) fetched {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, u, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return fetch(t, c, req)
}

// hiddenValue reads the value of the input named name from a page.
func hiddenValue(t *testing.T, body, name string) string {
	t.Helper()
	m := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" value="([^"]*)"`).FindStringSubmatch(body)
	require.NotNil(t, m, "no input %q in:\n%s", name, body)
	return html.UnescapeString(m[1])
}

// signIn opens authURL and signs in on the login app; it returns the page
// after the sign-in (the consent page, or the stop at the redirect URI).
func signIn(t *testing.T, c *http.Client, authURL, username, password string) fetched {
	t.Helper()
	login := get(t, c, authURL)
	require.Equal(t, http.StatusOK, login.Status, "login page: %s", login.Body)
	require.Equal(t, "/login", login.URL.Path)
	require.Contains(t, login.Body, `<form method="post"`)
	require.Contains(t, login.Body, `<input id="password" name="password" type="password"`)
	require.Contains(t, login.Body, `<button type="submit">Sign in</button>`)
	form := url.Values{
		"login_challenge": {hiddenValue(t, login.Body, "login_challenge")},
		"username":        {username},
		"password":        {password},
	}
	return postForm(t, c, login.URL.String(), form)
}

// consent answers the consent page with confirm=yes or no and returns the
// stop at the redirect URI.
func consent(t *testing.T, c *http.Client, page fetched, confirm string) fetched {
	t.Helper()
	require.Equal(t, http.StatusOK, page.Status, "consent page: %s", page.Body)
	require.Equal(t, "/consent", page.URL.Path)
	require.Contains(t, page.Body, `<button type="submit" name="confirm" value="yes">Allow</button>`)
	require.Contains(t, page.Body, `<button type="submit" name="confirm" value="no">Deny</button>`)
	form := url.Values{"consent_challenge": {hiddenValue(t, page.Body, "consent_challenge")}, "confirm": {confirm}}
	return postForm(t, c, page.URL.String(), form)
}

// redirectParams returns the query of the redirect the browser stopped at.
func redirectParams(t *testing.T, stop fetched, redirectURI string) url.Values {
	t.Helper()
	// Hydra (fosite) redirects to the client with 303 See Other.
	require.Contains(t, []int{http.StatusFound, http.StatusSeeOther}, stop.Status, "expected a redirect to the client: %s", stop.Body)
	loc, err := url.Parse(stop.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, redirectURI, loc.Scheme+"://"+loc.Host+loc.Path)
	return loc.Query()
}

// authorize runs the whole front-channel flow and returns the code.
func authorize(t *testing.T, h *Instance, conf *oauth2.Config, username, password string, opts ...oauth2.AuthCodeOption) (code string) {
	t.Helper()
	c := newBrowser(t, conf.RedirectURL)
	state := "state-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	page := signIn(t, c, conf.AuthCodeURL(state, opts...), username, password)
	q := redirectParams(t, consent(t, c, page, "yes"), conf.RedirectURL)
	require.Empty(t, q.Get("error"), "error %s: %s", q.Get("error"), q.Get("error_description"))
	require.Equal(t, state, q.Get("state"))
	require.NotEmpty(t, q.Get("code"))
	return q.Get("code")
}

// callMe calls the protected resource with the given Authorization header.
func callMe(t *testing.T, h *Instance, authorization string) fetched {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, h.MeURL, nil)
	require.NoError(t, err)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return fetch(t, http.DefaultClient, req)
}

func decodeJSON(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &m), body)
	return m
}
