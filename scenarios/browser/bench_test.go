package browser_test

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser/browsertest"
)

// BenchmarkNewSession opens and closes sessions back to back: with the
// default Prepared, one session is always being prepared in the background.
func BenchmarkNewSession(b *testing.B) {
	br := browsertest.Browser(b)
	benchNewSession(b, br)
}

// BenchmarkNewSessionUnprepared is the cost of creating an incognito context
// and its page, without sessions prepared ahead.
func BenchmarkNewSessionUnprepared(b *testing.B) {
	opts := browsertest.Options
	opts.Prepared = -1
	br, err := browser.Launch(b.Context(), opts)
	require.NoError(b, err)
	b.Cleanup(func() { br.Close() })
	benchNewSession(b, br)
}

func benchNewSession(b *testing.B, br *browser.Browser) {
	for b.Loop() {
		s, err := br.NewSession(b.Context())
		require.NoError(b, err)
		require.NoError(b, s.Close())
	}
}

// BenchmarkNewSessionPaced opens a session every 150 ms, about the pace of
// a scenario: the prepared session is ready each time.
func BenchmarkNewSessionPaced(b *testing.B) {
	br := browsertest.Browser(b)
	var opened time.Duration
	for b.Loop() {
		b.StopTimer()
		time.Sleep(150 * time.Millisecond)
		b.StartTimer()
		start := time.Now()
		s, err := br.NewSession(b.Context())
		opened += time.Since(start)
		require.NoError(b, err)
		require.NoError(b, s.Close())
	}
	b.ReportMetric(float64(opened.Microseconds())/float64(b.N)/1000, "ms/open")
}

// BenchmarkLoginLikeFlow is one authorization code flow as a scenario runs
// it: a new session, the callback intercepted, the authorize URL, the
// sign-in form, the consent page, the redirect with the code.
func BenchmarkLoginLikeFlow(b *testing.B) {
	provider := newLoginProvider(b)
	br := browsertest.Browser(b)
	const callback = "http://localhost:8000/authorized"
	authorize := provider.URL + "/authorize?" + url.Values{"redirect_uri": {callback}, "state": {"st"}}.Encode()
	for b.Loop() {
		s, err := br.NewSession(b.Context())
		require.NoError(b, err)
		cb, err := s.Intercept(callback, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "<!doctype html><p>signed in")
		}))
		require.NoError(b, err)
		require.NoError(b, s.Navigate(authorize))
		require.NoError(b, s.Fill("input[name=username]", "alice"))
		require.NoError(b, s.Fill("input[name=password]", "wonderland"))
		require.NoError(b, s.Click("button[type=submit]"))
		require.NoError(b, s.Click("button[name=confirm][value=yes]"))
		got, err := cb.Wait(b.Context())
		require.NoError(b, err)
		require.Equal(b, "st", got.URL.Query().Get("state"))
		require.NotEmpty(b, got.URL.Query().Get("code"))
		require.NoError(b, s.Close())
	}
}

func TestLoginLikeFlow(t *testing.T) {
	provider := newLoginProvider(t)
	s := browsertest.Session(t)
	const callback = "http://localhost:8000/authorized"
	cb, err := s.Intercept(callback, http.NotFoundHandler())
	require.NoError(t, err)
	require.NoError(t, s.Navigate(provider.URL+"/authorize?"+url.Values{"redirect_uri": {callback}, "state": {"st"}}.Encode()))
	require.NoError(t, s.Fill("input[name=username]", "alice"))
	require.NoError(t, s.Fill("input[name=password]", "wonderland"))
	require.NoError(t, s.Click("button[type=submit]"))
	ok, err := s.Has("button[name=confirm][value=yes]")
	require.NoError(t, err)
	require.True(t, ok, "the consent page")
	require.NoError(t, s.Click("button[name=confirm][value=yes]"))
	got, err := cb.Wait(t.Context())
	require.NoError(t, err)
	require.Equal(t, "code-1", got.URL.Query().Get("code"))
}

// newLoginProvider is a provider in miniature: /authorize sends a stranger
// to the sign-in form, then shows a consent page, then redirects to
// redirect_uri with a code.
func newLoginProvider(tb testing.TB) *httptest.Server {
	mux := http.NewServeMux()
	codes := 0
	page := func(w http.ResponseWriter, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html><html><body>"+body+"</body></html>")
	}
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		if _, err := r.Cookie("sid"); err != nil {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusFound)
			return
		}
		page(w, `<form method="post"><p>Allow the client?</p>
			<button name="confirm" value="yes">Allow</button><button name="confirm" value="no">Deny</button></form>`)
	})
	mux.HandleFunc("POST /authorize", func(w http.ResponseWriter, r *http.Request) {
		codes++
		q := r.URL.Query()
		http.Redirect(w, r, fmt.Sprintf("%s?code=code-%d&state=%s", q.Get("redirect_uri"), codes, url.QueryEscape(q.Get("state"))), http.StatusFound)
	})
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		page(w, `<form method="post" action="/login"><input type="hidden" name="next" value="`+html.EscapeString(r.FormValue("next"))+`">
			<input name="username"><input type="password" name="password"><button type="submit">Sign in</button></form>`)
	})
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: r.FormValue("username"), Path: "/", HttpOnly: true})
		http.Redirect(w, r, r.FormValue("next"), http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	return srv
}
