package browser

import (
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func expProvider(tb testing.TB) *httptest.Server {
	mux := http.NewServeMux()
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
		q := r.URL.Query()
		http.Redirect(w, r, fmt.Sprintf("%s?code=c&state=%s", q.Get("redirect_uri"), url.QueryEscape(q.Get("state"))), http.StatusFound)
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

func renderers(b *Browser) []string {
	var out []string
	for _, p := range descendants(b.launcher.PID()) {
		raw, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", p))
		if strings.Contains(string(raw), "--type=renderer") {
			out = append(out, fmt.Sprint(p))
		}
	}
	return out
}

func TestExpFlow(t *testing.T) {
	b, err := Launch(t.Context(), Options{Logger: expLogger, FreshContexts: os.Getenv("EXP") == "fresh", LoopbackOnly: true})
	require.NoError(t, err)
	defer b.Close()
	provider := expProvider(t)
	const callback = "http://localhost:8000/authorized"
	authorize := provider.URL + "/authorize?" + url.Values{"redirect_uri": {callback}, "state": {"st"}}.Encode()
	flow := func(s *Session) {
		cb, err := s.Intercept(callback, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "<!doctype html><p>signed in")
		}))
		require.NoError(t, err)
		require.NoError(t, s.Navigate(authorize))
		require.NoError(t, s.Fill("input[name=username]", "alice"))
		require.NoError(t, s.Fill("input[name=password]", "wonderland"))
		require.NoError(t, s.Click("button[type=submit]"))
		require.NoError(t, s.Click("button[name=confirm][value=yes]"))
		_, err = cb.Wait(t.Context())
		require.NoError(t, err)
		_, err = s.Screenshot()
		require.NoError(t, err)
	}
	mode := os.Getenv("EXP")
	for i := 0; i < 12; i++ {
		start := time.Now()
		s, err := b.NewSession(t.Context())
		require.NoError(t, err)
		mid := time.Now()
		flow(s)
		t.Logf("%s %d: open %v flow %v renderers %v", mode, i, mid.Sub(start), time.Since(mid), renderers(b))
		s.Close()
	}
}

func init() {
	if os.Getenv("EXPLOG") != "" {
		expLogger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
}

var expLogger *slog.Logger
