package browser_test

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser/browsertest"
)

// newProvider serves /authorize like a provider that has already signed the
// user in: a 302 to redirect_uri with a code and the state.
func newProvider(t testing.TB) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		to := q.Get("redirect_uri") + "?code=SplxlOBeZQQYbYS6WxSbIA&state=" + url.QueryEscape(q.Get("state"))
		http.Redirect(w, r, to, http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func authorizeURL(provider, redirectURI, state string) string {
	return provider + "/authorize?" + url.Values{"redirect_uri": {redirectURI}, "state": {state}}.Encode()
}

func TestInterceptCapturesRedirectToUnlistenedCallback(t *testing.T) {
	provider := newProvider(t)
	callback := deadURL(t) + "/authorized" // nothing listens there

	t.Run("without Intercept the browser cannot load it", func(t *testing.T) {
		s := browsertest.Session(t)
		err := s.Navigate(authorizeURL(provider.URL, callback, "xyz"))
		assert.ErrorContains(t, err, "net::ERR_CONNECTION_REFUSED")
		assert.Equal(t, callback+"?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz", s.URL())
	})

	s := browsertest.Session(t)
	cb, err := s.Intercept(callback, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "<!doctype html><p>code=%s state=%s</p>", html.EscapeString(r.FormValue("code")), html.EscapeString(r.FormValue("state")))
	}))
	require.NoError(t, err)
	require.NoError(t, s.Navigate(authorizeURL(provider.URL, callback, "xyz")))

	got, err := cb.Wait(t.Context())
	require.NoError(t, err)
	assert.Equal(t, http.MethodGet, got.Method)
	assert.Equal(t, "SplxlOBeZQQYbYS6WxSbIA", got.URL.Query().Get("code"))
	assert.Equal(t, "xyz", got.URL.Query().Get("state"))
	assert.Equal(t, http.StatusOK, got.Status)
	assert.Contains(t, got.Header.Get("User-Agent"), "Chrome", "the browser's own headers reach the handler")
	assert.Equal(t, callback+"?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz", s.URL())
	text, err := s.Text()
	require.NoError(t, err)
	assert.Equal(t, "code=SplxlOBeZQQYbYS6WxSbIA state=xyz", text)

	reqs, err := s.RequestsTo(callback)
	require.NoError(t, err)
	require.Len(t, reqs, 1, "the network log has the callback")
	assert.True(t, reqs[0].Navigation)
	others, err := s.RequestsTo(callback + "x")
	require.NoError(t, err)
	assert.Empty(t, others)
}

// clientApp is a tiny client: / sets a session cookie and redirects to
// /authorized, which shows the cookie it gets back.
func clientApp() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "s3cr3t", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
		http.SetCookie(w, &http.Cookie{Name: "theme", Value: "dark", Path: "/"})
		http.Redirect(w, r, "/authorized?code=abc&state=st", http.StatusFound)
	})
	mux.HandleFunc("GET /authorized", func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("session")
		if err != nil {
			http.Error(w, "no session cookie", http.StatusBadRequest)
			return
		}
		fmt.Fprintf(w, `{"session": %q, "code": %q}`, c.Value, r.FormValue("code"))
	})
	mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "<!doctype html><pre>%s %s %s</pre>", r.Method, html.EscapeString(r.Header.Get("Content-Type")), html.EscapeString(string(body)))
	})
	return mux
}

func TestInterceptSetCookieRoundTrip(t *testing.T) {
	origin := deadURL(t) // the client's registered origin; nothing listens there
	s := browsertest.Session(t)
	app, err := s.Intercept(origin, clientApp())
	require.NoError(t, err)

	require.NoError(t, s.Navigate(origin+"/"))
	assert.Equal(t, origin+"/authorized?code=abc&state=st", s.URL(), "the intercepted 302 was followed")
	text, err := s.Text()
	require.NoError(t, err)
	assert.Equal(t, `{"session": "s3cr3t", "code": "abc"}`, text)

	reqs := app.Requests()
	require.GreaterOrEqual(t, len(reqs), 2)
	assert.Equal(t, "/", reqs[0].URL.Path)
	assert.Equal(t, http.StatusFound, reqs[0].Status)
	assert.Len(t, reqs[0].ResponseHeader.Values("Set-Cookie"), 2)
	assert.Empty(t, reqs[0].Header.Get("Cookie"))
	assert.Equal(t, "/authorized", reqs[1].URL.Path)
	assert.Equal(t, http.StatusOK, reqs[1].Status)
	assert.Equal(t, "session=s3cr3t; theme=dark", reqs[1].Header.Get("Cookie"), "Chromium stored the cookies of a fulfilled response and sends them back")

	// The cookies are Chromium's own: they persist across navigations and
	// are visible to the page (except the HttpOnly one).
	require.NoError(t, s.Navigate(origin+"/authorized?code=again"))
	text, err = s.Text()
	require.NoError(t, err)
	assert.Equal(t, `{"session": "s3cr3t", "code": "again"}`, text)
	res, err := s.Page().Eval(`() => document.cookie`)
	require.NoError(t, err)
	assert.Equal(t, "theme=dark", res.Value.Str())
}

func TestInterceptFormPost(t *testing.T) {
	origin := deadURL(t)
	s := browsertest.Session(t)
	app, err := s.Intercept(origin, clientApp())
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><form method=post action="%s/echo"><input name=q id=q><button id=go>go</button></form>`, origin)
	}))
	t.Cleanup(srv.Close)

	require.NoError(t, s.Navigate(srv.URL))
	require.NoError(t, s.Fill("#q", "a b&c"))
	require.NoError(t, s.Click("#go"))
	text, err := s.Text()
	require.NoError(t, err)
	assert.Equal(t, "POST application/x-www-form-urlencoded q=a+b%26c", text)
	reqs := app.Requests()
	require.NotEmpty(t, reqs)
	assert.Equal(t, "q=a+b%26c", string(reqs[0].Body))
}

func TestInterceptLeavesOtherRequestsAlone(t *testing.T) {
	var realHits atomic.Int32
	real := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		realHits.Add(1)
		fmt.Fprintf(w, "<!doctype html><p>real server: %s</p>", html.EscapeString(r.URL.Path))
	}))
	t.Cleanup(real.Close)
	s := browsertest.Session(t)
	other, err := s.Intercept(deadURL(t), http.NotFoundHandler())
	require.NoError(t, err)
	cb, err := s.Intercept(real.URL+"/cb", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<!doctype html><p>intercepted</p>")
	}))
	require.NoError(t, err)

	for path, want := range map[string]string{
		"/page":        "real server: /page",
		"/cbx":         "real server: /cbx", // not below /cb
		"/cb?code=1":   "intercepted",
		"/cb/deeper":   "intercepted",
		"/another/one": "real server: /another/one",
	} {
		require.NoError(t, s.Navigate(real.URL+path))
		text, err := s.Text()
		require.NoError(t, err)
		assert.Equal(t, want, text, path)
	}
	assert.Len(t, cb.Requests(), 2)
	assert.Empty(t, other.Requests())
	assert.GreaterOrEqual(t, int(realHits.Load()), 3)
}

func TestInterceptLongestPrefixWins(t *testing.T) {
	origin := deadURL(t)
	s := browsertest.Session(t)
	answer := func(who string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, who) })
	}
	all, err := s.Intercept(origin, answer("origin"))
	require.NoError(t, err)
	cb, err := s.Intercept(origin+"/authorized", answer("callback"))
	require.NoError(t, err)

	require.NoError(t, s.Navigate(origin+"/authorized?code=1"))
	text, _ := s.Text()
	assert.Equal(t, "callback", text)
	require.NoError(t, s.Navigate(origin+"/"))
	text, _ = s.Text()
	assert.Equal(t, "origin", text)
	assert.Len(t, cb.Requests(), 1)
	assert.NotEmpty(t, all.Requests())
}

func TestInterceptAnyHostWithoutNetwork(t *testing.T) {
	s := browsertest.Session(t) // LoopbackOnly: evil.example cannot even be resolved
	for _, origin := range []string{"https://evil.example", "http://evil.example"} {
		t.Run(origin, func(t *testing.T) {
			err := s.Navigate(origin + "/not-intercepted-yet")
			assert.ErrorContains(t, err, "net::ERR_NAME_NOT_RESOLVED")

			i, err := s.Intercept(origin, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintf(w, "<!doctype html><p>%s tls=%v</p>", r.Host, r.TLS != nil)
			}))
			require.NoError(t, err)
			require.NoError(t, s.Navigate(origin+"/cb?code=1"))
			text, err := s.Text()
			require.NoError(t, err)
			assert.Equal(t, fmt.Sprintf("evil.example tls=%v", origin == "https://evil.example"), text)
			var pages []string
			for _, r := range i.Requests() {
				if r.URL.Path != "/favicon.ico" { // Chromium may ask for the icon too
					pages = append(pages, r.URL.String())
				}
			}
			assert.Equal(t, []string{origin + "/cb?code=1"}, pages)
		})
	}
}

func TestInterceptWaitTimeout(t *testing.T) {
	s := browsertest.Session(t).WithTimeout(200 * 1e6)
	cb, err := s.Intercept("http://localhost:8000/authorized", http.NotFoundHandler())
	require.NoError(t, err)
	_, err = cb.Wait(t.Context())
	assert.EqualError(t, err, "browser: wait for a request to http://localhost:8000/authorized: timeout after 200ms (page about:blank)")
}

func TestInterceptHandlerPanic(t *testing.T) {
	origin := deadURL(t)
	s := browsertest.Session(t)
	i, err := s.Intercept(origin, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	require.NoError(t, err)
	require.NoError(t, s.Navigate(origin+"/"))
	reqs := i.Requests()
	require.NotEmpty(t, reqs)
	assert.Equal(t, http.StatusInternalServerError, reqs[0].Status)
	text, err := s.Text()
	require.NoError(t, err)
	assert.Equal(t, "browser: the intercept handler panicked: boom", text)
}
