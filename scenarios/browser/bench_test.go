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

// BenchmarkNewSession opens and closes sessions back to back: each gets the
// context of the one before, reset, or one prepared meanwhile.
func BenchmarkNewSession(b *testing.B) {
	br := browsertest.Browser(b)
	benchNewSession(b, br)
}

// BenchmarkNewSessionUnprepared is the cost of creating an incognito context
// and its page, without sessions prepared ahead or contexts reused.
func BenchmarkNewSessionUnprepared(b *testing.B) {
	opts := browsertest.Options
	opts.Prepared = -1
	opts.FreshContexts = true
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
// sign-in form, the consent page, the redirect with the code, two
// screenshots, Close. It runs with a new context per session (fresh) and
// with contexts reset and reused (recycled, the default), each on a
// browser of its own; "alternating" runs them in turn, a flow each, and
// reports their ratio, for a noisy machine. Each flow waits for the
// background work it causes (preparing or resetting a context) before the
// next, so that time is counted, and cpu-ms/op is the CPU time of
// Chromium's processes and of the test's: on a busy machine it is steadier
// than the wall time.
func BenchmarkLoginLikeFlow(b *testing.B) {
	provider := newLoginProvider(b)
	launch := func(b *testing.B, fresh bool) *browser.Browser {
		opts := browsertest.Options
		opts.FreshContexts = fresh
		br, err := browser.Launch(b.Context(), opts)
		require.NoError(b, err)
		b.Cleanup(func() { br.Close() })
		for range 2 { // warm up: the first contexts, the Go side
			loginLikeFlow(b, br, provider.URL)
		}
		return br
	}
	for _, mode := range []struct {
		name  string
		fresh bool
	}{{"fresh", true}, {"recycled", false}} {
		b.Run(mode.name, func(b *testing.B) {
			br := launch(b, mode.fresh)
			cpu := browser.CPUTime(br)
			for b.Loop() {
				loginLikeFlow(b, br, provider.URL)
			}
			b.ReportMetric(float64((browser.CPUTime(br)-cpu).Milliseconds())/float64(b.N), "cpu-ms/op")
		})
	}
	b.Run("alternating", func(b *testing.B) {
		brs := []*browser.Browser{launch(b, true), launch(b, false)}
		var wall, cpu [2]time.Duration
		for b.Loop() {
			for i, br := range brs {
				start, c := time.Now(), browser.CPUTime(br)
				loginLikeFlow(b, br, provider.URL)
				wall[i] += time.Since(start)
				cpu[i] += browser.CPUTime(br) - c
			}
		}
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
		b.ReportMetric(ms(wall[0]), "fresh-ms/flow")
		b.ReportMetric(ms(wall[1]), "recycled-ms/flow")
		b.ReportMetric(ms(wall[1])/ms(wall[0]), "recycled/fresh")
		b.ReportMetric(ms(cpu[0]), "fresh-cpu-ms/flow")
		b.ReportMetric(ms(cpu[1]), "recycled-cpu-ms/flow")
		b.ReportMetric(ms(cpu[1])/ms(cpu[0]), "recycled/fresh-cpu")
	})
}

// loginLikeFlow runs one flow in a new session, closes it and waits for
// the browser's background work to end.
func loginLikeFlow(b testing.TB, br *browser.Browser, provider string) {
	const callback = "http://localhost:8000/authorized"
	authorize := provider + "/authorize?" + url.Values{"redirect_uri": {callback}, "state": {"st"}}.Encode()
	s, err := br.NewSession(b.Context())
	require.NoError(b, err)
	cb, err := s.Intercept(callback, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<!doctype html><p>signed in")
	}))
	require.NoError(b, err)
	require.NoError(b, s.Navigate(authorize))
	_, err = s.Screenshot()
	require.NoError(b, err)
	require.NoError(b, s.Fill("input[name=username]", "alice"))
	require.NoError(b, s.Fill("input[name=password]", "wonderland"))
	require.NoError(b, s.Click("button[type=submit]"))
	_, err = s.Screenshot()
	require.NoError(b, err)
	require.NoError(b, s.Click("button[name=confirm][value=yes]"))
	got, err := cb.Wait(b.Context())
	require.NoError(b, err)
	require.Equal(b, "st", got.URL.Query().Get("state"))
	require.NotEmpty(b, got.URL.Query().Get("code"))
	require.NoError(b, s.Close())
	browser.Settle(br)
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
