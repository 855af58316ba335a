package browser_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"image/png"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser/browsertest"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

// loginServer serves a sign-in form at / that posts to /login, which shows
// who signed in, and records what it received.
type loginServer struct {
	*httptest.Server
	posted atomic.Value // url.Values of the last POST /login
}

const loginForm = `<!doctype html><title>Sign in</title>
<form method="post" action="/login">
  <input name="username" id="username" autocomplete="off">
  <input type="password" name="password" id="password">
  <textarea name="note" id="note">old text</textarea>
  <select name="scope" id="scope"><option value="read">read</option><option value="email">email</option></select>
  <input type="hidden" name="next" id="next" value="/">
  <button type="submit" id="signin">Sign in</button>
  <button type="button" id="js" onclick="document.getElementById('out').textContent = 'clicked'">No navigation</button>
  <a href="/plain" id="link">a link</a>
  <button type="button" id="assign" onclick="location.assign('/plain?by=script')">Script navigation</button>
  <button type="submit" id="prevented" onclick="event.preventDefault(); document.getElementById('out').textContent = 'prevented'">Cancelled submit</button>
  <input id="disabled" disabled>
  <input id="short" maxlength="3">
</form>
<p id="out"></p>`

func newLoginServer(t testing.TB) *loginServer {
	ls := &loginServer{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, loginForm)
	})
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		ls.posted.Store(r.PostForm)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><h1 id=hello>Hello %s</h1>", html.EscapeString(r.PostForm.Get("username")))
	})
	mux.HandleFunc("GET /plain", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "<!doctype html><p id=plain>plain page %s</p>", html.EscapeString(r.URL.RawQuery))
	})
	ls.Server = httptest.NewServer(mux)
	t.Cleanup(ls.Close)
	return ls
}

func TestNavigateFillClickSubmit(t *testing.T) {
	srv := newLoginServer(t)
	s := browsertest.Session(t)

	require.NoError(t, s.Navigate(srv.URL))
	assert.Equal(t, srv.URL+"/", s.URL())
	require.NoError(t, s.Fill("#username", "alice"))
	require.NoError(t, s.Fill("#password", "pä55 wörd"))
	require.NoError(t, s.Fill("#note", "new text"))
	require.NoError(t, s.Fill("#scope", "email"))
	require.NoError(t, s.Fill("#next", "/after"))
	require.NoError(t, s.Click("#signin"))

	assert.Equal(t, srv.URL+"/login", s.URL())
	text, err := s.Text()
	require.NoError(t, err)
	assert.Equal(t, "Hello alice", text)
	form, _ := srv.posted.Load().(url.Values)
	require.NotNil(t, form, "the form was not posted")
	assert.Equal(t, "alice", form.Get("username"))
	assert.Equal(t, "pä55 wörd", form.Get("password"))
	assert.Equal(t, "new text", form.Get("note"), "Fill replaces the content")
	assert.Equal(t, "email", form.Get("scope"))
	assert.Equal(t, "/after", form.Get("next"))

	var navs []string
	for _, r := range s.Requests() {
		if r.Navigation {
			navs = append(navs, r.Method+" "+r.URL)
		}
	}
	assert.Equal(t, []string{"GET " + srv.URL + "/", "POST " + srv.URL + "/login"}, navs)
}

func TestClick(t *testing.T) {
	srv := newLoginServer(t)
	s := browsertest.Session(t)
	open := func(t *testing.T) {
		require.NoError(t, s.Navigate(srv.URL))
	}
	t.Run("without navigation returns at once", func(t *testing.T) {
		open(t)
		start := time.Now()
		require.NoError(t, s.Click("#js"))
		assert.Less(t, time.Since(start), 2*time.Second)
		assert.Equal(t, srv.URL+"/", s.URL())
		text, err := s.Text()
		require.NoError(t, err)
		assert.Contains(t, text, "clicked")
	})
	t.Run("cancelled submit returns at once", func(t *testing.T) {
		open(t)
		require.NoError(t, s.Click("#prevented"))
		text, err := s.Text()
		require.NoError(t, err)
		assert.Contains(t, text, "prevented")
	})
	t.Run("link", func(t *testing.T) {
		open(t)
		require.NoError(t, s.Click("#link"))
		assert.Equal(t, srv.URL+"/plain", s.URL())
		ok, err := s.Has("#plain")
		require.NoError(t, err)
		assert.True(t, ok)
	})
	t.Run("script navigation", func(t *testing.T) {
		open(t)
		require.NoError(t, s.Click("#assign"))
		assert.Equal(t, srv.URL+"/plain?by=script", s.URL())
		text, err := s.Text()
		require.NoError(t, err)
		assert.Equal(t, "plain page by=script", text)
	})
	t.Run("element that appears later", func(t *testing.T) {
		require.NoError(t, s.Navigate(srv.URL+"/plain"))
		_, err := s.Page().Eval(`() => setTimeout(() => {
			const b = document.createElement('button');
			b.id = 'late'; b.textContent = 'late';
			b.onclick = () => { b.textContent = 'done'; };
			document.body.append(b);
		}, 200)`)
		require.NoError(t, err)
		require.NoError(t, s.Click("#late"))
		html, err := s.HTML()
		require.NoError(t, err)
		assert.Contains(t, html, `<button id="late">done</button>`)
	})
	t.Run("covered element", func(t *testing.T) {
		open(t)
		_, err := s.Page().Eval(`() => {
			const d = document.createElement('div');
			d.id = 'overlay';
			d.style = 'position:fixed;inset:0;background:rgba(0,0,0,.5)';
			document.body.append(d);
		}`)
		require.NoError(t, err)
		err = s.Click("#signin")
		require.Error(t, err)
		assert.Contains(t, err.Error(), `click "#signin": <button> is covered by <div#overlay>`)
	})
}

func TestFillErrors(t *testing.T) {
	srv := newLoginServer(t)
	s := browsertest.Session(t)
	require.NoError(t, s.Navigate(srv.URL))
	for sel, want := range map[string]string{
		"#disabled": "<input type=text> is disabled",
		"#signin":   "<button type=submit> is not a text field",
		"#short":    "the field holds 3 characters after typing 6",
		"##":        "is not a valid selector",
	} {
		err := s.Fill(sel, "secret")
		if assert.Error(t, err, sel) {
			assert.Contains(t, err.Error(), want)
			assert.NotContains(t, err.Error(), "secret", "Fill never echoes the value")
		}
	}
	err := s.WithTimeout(300*time.Millisecond).Fill("#missing", "x")
	require.Error(t, err)
	assert.Equal(t, fmt.Sprintf(`browser: fill "#missing": timeout after 300ms waiting for an element matching "#missing" (page %s/)`, srv.URL), err.Error())
}

func TestHasTextHTML(t *testing.T) {
	srv := newLoginServer(t)
	s := browsertest.Session(t)
	require.NoError(t, s.Navigate(srv.URL))
	ok, err := s.Has("button[type=submit]#signin")
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = s.Has("#nothing-like-this")
	require.NoError(t, err)
	assert.False(t, ok)
	_, err = s.Has("[[")
	assert.ErrorContains(t, err, "is not a valid selector")
	text, err := s.Text()
	require.NoError(t, err)
	assert.Contains(t, text, "a link")
	doc, err := s.HTML()
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(doc, "<html>"), doc[:min(len(doc), 40)])
	assert.Contains(t, doc, `<input type="password" name="password" id="password">`)
}

func TestNavigateUnreachable(t *testing.T) {
	s := browsertest.Session(t)
	dead := deadURL(t) + "/authorized?code=1"
	err := s.Navigate(dead)
	var nerr *browser.NavigationError
	require.ErrorAs(t, err, &nerr)
	assert.Equal(t, "net::ERR_CONNECTION_REFUSED", nerr.Reason)
	assert.Equal(t, dead, s.URL(), "URL is the address that failed, not the error page")
	reqs, err := s.RequestsTo(dead)
	require.NoError(t, err)
	assert.Len(t, reqs, 1)
}

// deadURL is http://localhost:PORT with nothing listening at PORT.
func deadURL(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())
	return fmt.Sprintf("http://localhost:%d", port)
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/never": // no response at all
			hits.Add(1)
		case "/slow-body": // headers and the start of the page, never the end
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<!doctype html><p id=started>started")
			w.(http.Flusher).Flush()
		default:
			fmt.Fprint(w, `<!doctype html><p id=ok>ok <a id=slow href="/never">slow</a>`)
			return
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	s := browsertest.Session(t)
	short := s.WithTimeout(700 * time.Millisecond)

	for _, path := range []string{"/never", "/slow-body"} {
		start := time.Now()
		err := short.Navigate(srv.URL + path)
		took := time.Since(start)
		require.Error(t, err, path)
		assert.Contains(t, err.Error(), "navigate to "+srv.URL+path+": timeout after 700ms", path)
		var terr *browser.TimeoutError
		assert.ErrorAs(t, err, &terr)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, took, 3*time.Second, path)
	}
	ok, err := s.Has("#started")
	require.NoError(t, err, "the load was stopped, the session is usable")
	assert.True(t, ok)
	require.NoError(t, s.Navigate(srv.URL+"/ok"))
	ok, err = s.Has("#ok")
	require.NoError(t, err)
	assert.True(t, ok)

	err = s.WithTimeout(2 * time.Second).Click("#slow")
	assert.EqualError(t, err, fmt.Sprintf(`browser: click "#slow": timeout after 2s waiting for the page it opened to load (page %s/ok)`, srv.URL))
	assert.Equal(t, int32(2), hits.Load(), "a navigation and a click reached /never")
}

func TestScreenshot(t *testing.T) {
	srv := newLoginServer(t)
	s := browsertest.Session(t)
	require.NoError(t, s.Navigate(srv.URL))
	start := time.Now()
	img, err := s.Screenshot()
	took := time.Since(start)
	require.NoError(t, err)
	cfg, err := png.DecodeConfig(bytes.NewReader(img))
	require.NoError(t, err)
	assert.Equal(t, 1280, cfg.Width)
	assert.Equal(t, 800, cfg.Height)
	_, err = png.Decode(bytes.NewReader(img))
	require.NoError(t, err)
	t.Logf("screenshot: %d bytes in %s", len(img), took)
}

func TestSessionClosed(t *testing.T) {
	s := browsertest.Session(t)
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "idempotent")
	assert.ErrorIs(t, s.Navigate("about:blank"), browser.ErrClosed)
	_, err := s.Text()
	assert.ErrorIs(t, err, browser.ErrClosed)
	_, err = s.Intercept("http://localhost:8000", http.NotFoundHandler())
	assert.ErrorIs(t, err, browser.ErrClosed)
}

func TestIncognitoIsolation(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v := r.URL.Query().Get("set"); v != "" {
			http.SetCookie(w, &http.Cookie{Name: "who", Value: v, Path: "/", HttpOnly: true})
		}
		fmt.Fprintf(w, "<!doctype html><pre>cookie=%s</pre>", html.EscapeString(r.Header.Get("Cookie")))
	}))
	t.Cleanup(srv.Close)
	a, b := browsertest.Session(t), browsertest.Session(t)

	require.NoError(t, a.Navigate(srv.URL+"/?set=a"))
	require.NoError(t, a.Navigate(srv.URL+"/"))
	textA, err := a.Text()
	require.NoError(t, err)
	assert.Equal(t, "cookie=who=a", textA)

	require.NoError(t, b.Navigate(srv.URL+"/"))
	textB, err := b.Text()
	require.NoError(t, err)
	assert.Equal(t, "cookie=", textB, "session b sees none of a's cookies")

	require.NoError(t, b.Navigate(srv.URL+"/?set=b"))
	require.NoError(t, a.Navigate(srv.URL+"/"))
	textA, err = a.Text()
	require.NoError(t, err)
	assert.Equal(t, "cookie=who=a", textA, "nor a of b's")

	c := browsertest.Session(t) // a fresh session, after a's and b's cookies exist
	require.NoError(t, c.Navigate(srv.URL+"/"))
	textC, err := c.Text()
	require.NoError(t, err)
	assert.Equal(t, "cookie=", textC)
}

func TestNavigateWithoutDocument(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/no-content":
			w.WriteHeader(http.StatusNoContent)
		case "/download":
			w.Header().Set("Content-Disposition", `attachment; filename="x.txt"`)
			fmt.Fprint(w, "a file")
		default:
			fmt.Fprint(w, "<!doctype html><p id=home>home")
		}
	}))
	t.Cleanup(srv.Close)
	s := browsertest.Session(t)
	require.NoError(t, s.Navigate(srv.URL))
	for _, path := range []string{"/no-content", "/download"} {
		start := time.Now()
		err := s.Navigate(srv.URL + path)
		assert.Less(t, time.Since(start), 3*time.Second, path)
		var nerr *browser.NavigationError
		if assert.ErrorAs(t, err, &nerr, path) {
			assert.Equal(t, "net::ERR_ABORTED", nerr.Reason)
		}
		ok, err := s.Has("#home")
		require.NoError(t, err)
		assert.True(t, ok, "%s leaves the page as it was", path)
	}
}
