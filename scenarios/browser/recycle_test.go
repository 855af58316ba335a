package browser_test

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser/browsertest"
)

// launch starts a browser of its own for a test, with the shared browser's
// options changed by opts. Most tests use the shared one: each Launch may
// remove the profile TestKillLeavesNothingBehind looks at.
func launch(t *testing.T, opts func(*browser.Options)) *browser.Browser {
	o := browsertest.Options
	if opts != nil {
		opts(&o)
	}
	b, err := browser.Launch(t.Context(), o)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, b.Close()) })
	return b
}

// stateSite serves pages that leave every kind of state a session can
// leave, and counts the requests that a cache would spare.
type stateSite struct {
	*httptest.Server
	cached, script atomic.Int32 // hits of /cached and /script.js
}

// handler serves the site; an intercepted origin gets one too.
func (ss *stateSite) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("set") {
			http.SetCookie(w, &http.Cookie{Name: "srv", Value: "1", Path: "/", HttpOnly: true, MaxAge: 3600})
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><pre id=cookie>cookie=%s</pre>
			<button id=guard onclick="onbeforeunload = e => { e.preventDefault(); e.returnValue = ''; }">guard</button>`,
			html.EscapeString(r.Header.Get("Cookie")))
	})
	mux.HandleFunc("GET /cached", func(w http.ResponseWriter, r *http.Request) {
		ss.cached.Add(1)
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fmt.Fprint(w, "cached")
	})
	mux.HandleFunc("GET /script.js", func(w http.ResponseWriter, r *http.Request) {
		ss.script.Add(1)
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, "window.scriptRan = true;")
	})
	mux.HandleFunc("GET /with-script", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><script src="/script.js"></script><p id=done>done`)
	})
	mux.HandleFunc("GET /cb", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<!doctype html><p>the real server")
	})
	mux.HandleFunc("GET /sw.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, "self.addEventListener('fetch', () => {});")
	})
	return mux
}

func newStateSite(t *testing.T) *stateSite {
	ss := &stateSite{}
	ss.Server = httptest.NewServer(ss.handler())
	t.Cleanup(ss.Close)
	return ss
}

// leaveState sets, on the current page's origin, a script cookie,
// localStorage, sessionStorage, an IndexedDB database, a Cache Storage
// entry, a service worker (on a real origin: Fetch interception does not
// see a worker's script) and window.name, and fetches /cached.
const leaveState = `async () => {
	document.cookie = 'js=1; path=/; max-age=3600';
	localStorage.setItem('l', '1');
	sessionStorage.setItem('s', '1');
	window.name = 'named';
	await new Promise((resolve, reject) => {
		const r = indexedDB.open('db1');
		r.onupgradeneeded = () => r.result.createObjectStore('s');
		r.onsuccess = () => { r.result.close(); resolve(); };
		r.onerror = () => reject(r.error);
	});
	const c = await caches.open('c1');
	await c.put('/x', new Response('x'));
	await (await fetch('/cached')).text();
	if (location.protocol === 'http:') {
		await navigator.serviceWorker.register('/sw.js');
		await navigator.serviceWorker.ready;
	}
	return 'ok';
}`

// stateProbe is what the current page's origin holds, as a page sees it.
const stateProbe = `async () => JSON.stringify({
	cookie: document.cookie, local: Object.keys(localStorage), session: Object.keys(sessionStorage),
	name: window.name, opener: window.opener !== null,
	idb: (await indexedDB.databases()).map(d => d.name), caches: await caches.keys(),
	workers: (await navigator.serviceWorker.getRegistrations()).length,
})`

func eval(t *testing.T, s *browser.Session, js string) string {
	t.Helper()
	res, err := s.Page().Eval(js)
	require.NoError(t, err)
	return res.Value.String()
}

// TestRecycledSessionIsFresh leaves every kind of state in a session, on a
// real origin and on an intercepted one, closes it, and checks that the
// next session, which gets the same browser context back, sees none of it:
// what it sees is what a new context sees.
func TestRecycledSessionIsFresh(t *testing.T) {
	site := newStateSite(t)
	b := browsertest.Browser(t)
	d := leaveEverything(t, b, site)
	s1, cb, clientApp := d.session, d.cb, d.clientApp

	s2, err := b.NewSession(t.Context())
	require.NoError(t, err)
	require.Equal(t, d.id, browser.ContextID(s2), "the context was recycled")
	assert.Equal(t, d.reused+1, browser.Reused(s2))
	assert.Equal(t, "about:blank", s2.URL())
	assert.Empty(t, s2.Requests())
	pages, err := browser.PagesInContext(s2)
	require.NoError(t, err)
	assert.Equal(t, 1, pages, "the popup was closed")

	// The real origin: no cookie sent or visible, no storage, no cache.
	require.NoError(t, s2.Navigate(site.URL+"/"))
	assert.Equal(t, "cookie=", eval(t, s2, `() => document.body.innerText.split('\n')[0]`))
	assert.Equal(t, d.fresh, eval(t, s2, stateProbe))
	assert.Contains(t, d.fresh, `"workers":0`)
	assert.Equal(t, d.freshHistory, eval(t, s2, `() => history.length`), "the history was reset")
	assert.Equal(t, "cached", eval(t, s2, `async () => (await fetch('/cached')).text()`))
	assert.Equal(t, d.cachedHits+1, site.cached.Load(), "the HTTP cache was cleared")
	require.NoError(t, s2.Navigate(site.URL+"/with-script"))
	assert.Equal(t, d.scriptHits+1, site.script.Load(), "the memory cache was cleared")

	// The interceptors and their Fetch patterns are gone.
	require.NoError(t, s2.Navigate(site.URL+"/cb"))
	assert.Equal(t, "the real server", eval(t, s2, `() => document.body.innerText`))
	assert.Len(t, cb.Requests(), 1)
	var nerr *browser.NavigationError
	require.ErrorAs(t, s2.Navigate(clientOrigin+"/"), &nerr, "LoopbackOnly, and nothing intercepts it")
	assert.Equal(t, "net::ERR_NAME_NOT_RESOLVED", nerr.Reason)
	assert.Len(t, clientApp.Requests(), d.clientHits)

	// The intercepted origin, intercepted again: nothing either.
	client2 := &stateSite{}
	clientApp2, err := s2.Intercept(clientOrigin, client2.handler())
	require.NoError(t, err)
	require.NoError(t, s2.Navigate(clientOrigin+"/"))
	assert.Equal(t, "cookie=", eval(t, s2, `() => document.body.innerText.split('\n')[0]`))
	require.NotEmpty(t, clientApp2.Requests())
	assert.Empty(t, clientApp2.Requests()[0].Header.Get("Cookie"))
	assert.Equal(t, d.fresh, eval(t, s2, stateProbe))
	assert.Equal(t, "cached", eval(t, s2, `async () => (await fetch('/cached')).text()`))
	assert.Equal(t, int32(1), client2.cached.Load(), "the request reached the new interceptor")

	// The old session is closed for good, though its context lives on.
	assert.ErrorIs(t, s1.Navigate(site.URL), browser.ErrClosed)
	_, err = s1.Page().Eval(`() => 1`)
	assert.Error(t, err, "the old session's Page is dead too")
	_, err = clientApp.Wait(t.Context())
	require.NoError(t, err, "it had requests")
}

// clientOrigin is an intercepted origin, with the same pages as the site.
const clientOrigin = "https://client.example"

// dirtied is a closed session that left every kind of state behind, and
// what a fresh context showed before it did.
type dirtied struct {
	session                *browser.Session
	cb, clientApp          *browser.Interceptor
	fresh, freshHistory    string
	cachedHits, scriptHits int32
	clientHits             int
	id                     string
	reused                 int
}

// leaveEverything opens a session, leaves cookies, storage, caches,
// history, interceptors, a beforeunload guard and a popup in it, and
// closes it, so that the next session gets its context recycled.
func leaveEverything(t *testing.T, b *browser.Browser, site *stateSite) dirtied {
	client := &stateSite{}
	s1, err := b.NewSession(t.Context())
	require.NoError(t, err)
	clientApp, err := s1.Intercept(clientOrigin, client.handler())
	require.NoError(t, err)
	cb, err := s1.Intercept(site.URL+"/cb", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<!doctype html><p>intercepted")
	}))
	require.NoError(t, err)

	require.NoError(t, s1.Navigate(site.URL+"/"))
	d := dirtied{session: s1, cb: cb, clientApp: clientApp}
	d.fresh = eval(t, s1, stateProbe) // what a new context shows
	d.freshHistory = eval(t, s1, `() => history.length`)
	require.NoError(t, s1.Navigate(site.URL+"/?set=1"))
	assert.Equal(t, "ok", eval(t, s1, leaveState))
	require.NoError(t, s1.Navigate(site.URL+"/with-script"))
	require.NoError(t, s1.Navigate(site.URL+"/cb"))
	require.Len(t, cb.Requests(), 1)
	require.NoError(t, s1.Navigate(clientOrigin+"/?set=1"))
	assert.Equal(t, "ok", eval(t, s1, leaveState))
	require.NoError(t, s1.Navigate(clientOrigin+"/"))
	assert.Contains(t, eval(t, s1, `() => document.body.innerText`), "cookie=srv=1; js=1")
	assert.Equal(t, `{"cookie":"js=1","local":["l"],"session":["s"],"name":"named","opener":false,"idb":["db1"],"caches":["c1"],"workers":0}`,
		eval(t, s1, stateProbe), "the session left all of it")
	assert.Equal(t, "7", eval(t, s1, `() => history.length`))
	require.NoError(t, s1.Click("#guard"))                                 // a beforeunload handler, armed by a user's click
	_, err = s1.Page().Eval(`() => { window.open('` + site.URL + `/'); }`) // a popup, which the next session must not inherit
	require.NoError(t, err)
	pages, err := browser.PagesInContext(s1)
	require.NoError(t, err)
	assert.Equal(t, 2, pages)
	d.cachedHits, d.scriptHits, d.clientHits = site.cached.Load(), site.script.Load(), len(clientApp.Requests())
	require.Equal(t, int32(1), d.cachedHits)
	require.Equal(t, int32(1), d.scriptHits)
	d.id, d.reused = browser.ContextID(s1), browser.Reused(s1)
	require.NoError(t, s1.Close())
	browser.Settle(b) // the reset context is the one NewSession takes first
	return d
}

// TestRecycleKeepsOtherSessionsState checks that a reset clears its own
// context only: a session open meanwhile keeps its cookies and storage.
func TestRecycleKeepsOtherSessionsState(t *testing.T) {
	site := newStateSite(t)
	b := browsertest.Browser(t)
	a, err := b.NewSession(t.Context())
	require.NoError(t, err)
	other, err := b.NewSession(t.Context())
	require.NoError(t, err)
	for _, s := range []*browser.Session{a, other} {
		require.NoError(t, s.Navigate(site.URL+"/?set=1"))
		assert.Equal(t, "ok", eval(t, s, leaveState))
	}
	require.NoError(t, a.Close())
	browser.Settle(b)
	require.NoError(t, other.Navigate(site.URL+"/"))
	assert.Equal(t, "cookie=srv=1; js=1", eval(t, other, `() => document.body.innerText.split('\n')[0]`))
	assert.Equal(t, `{"cookie":"js=1","local":["l"],"session":["s"],"name":"named","opener":false,"idb":["db1"],"caches":["c1"],"workers":1}`,
		eval(t, other, stateProbe))
}

// TestTimedOutSessionIsNotRecycled: a step that timed out may have left the
// page stuck, so its context is disposed of.
func TestTimedOutSessionIsNotRecycled(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	b := browsertest.Browser(t)
	s1, err := b.NewSession(t.Context())
	require.NoError(t, err)
	var terr *browser.TimeoutError
	require.ErrorAs(t, s1.WithTimeout(300*time.Millisecond).Navigate(srv.URL), &terr)
	id := browser.ContextID(s1)
	require.NoError(t, s1.Close())
	ids, err := browser.Contexts(t.Context(), b)
	require.NoError(t, err)
	assert.NotContains(t, ids, id, "the context was disposed of")
}

func TestFreshContexts(t *testing.T) {
	b := launch(t, func(o *browser.Options) { o.FreshContexts = true })
	seen := map[string]bool{}
	for range 3 {
		s, err := b.NewSession(t.Context())
		require.NoError(t, err)
		assert.False(t, seen[browser.ContextID(s)], "a context is never used twice")
		seen[browser.ContextID(s)] = true
		require.NoError(t, s.Navigate("about:blank"))
		require.NoError(t, s.Close())
	}
	browser.Settle(b)
	ids, err := browser.Contexts(t.Context(), b)
	require.NoError(t, err)
	assert.Len(t, ids, 1, "only the prepared one is left")
}

// TestRecyclePool checks the bounds of the pool: at most Prepared+2 contexts
// are kept ready, the others disposed of, and a run of sessions reuses the
// same few contexts.
func TestRecyclePool(t *testing.T) {
	b := launch(t, func(o *browser.Options) { o.Prepared = 1 })
	var open []*browser.Session
	for range 5 {
		s, err := b.NewSession(t.Context())
		require.NoError(t, err)
		require.NoError(t, s.Navigate("about:blank"))
		open = append(open, s)
	}
	for _, s := range open {
		require.NoError(t, s.Close())
	}
	spares, idle := browser.Settle(b)
	assert.Equal(t, 3, spares+idle, "Prepared+2")
	ids, err := browser.Contexts(t.Context(), b)
	require.NoError(t, err)
	assert.Len(t, ids, 3, "the others were disposed of")

	seen := map[string]bool{}
	for range 10 {
		s, err := b.NewSession(t.Context())
		require.NoError(t, err)
		seen[browser.ContextID(s)] = true
		require.NoError(t, s.Close())
	}
	assert.LessOrEqual(t, len(seen), 3)
}

// TestCredentialsInURLAreNotRecycled: the browser keeps credentials given in
// a URL in its HTTP auth cache, which no reset clears, so the context is
// disposed of.
func TestCredentialsInURLAreNotRecycled(t *testing.T) {
	var sent atomic.Value // the Authorization header of the last request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent.Store(r.Header.Get("Authorization"))
		if u, p, ok := r.BasicAuth(); !ok || u != "u" || p != "p" {
			w.Header().Set("WWW-Authenticate", `Basic realm="x"`)
			http.Error(w, "who are you?", http.StatusUnauthorized)
			return
		}
		fmt.Fprint(w, "<!doctype html><p>welcome")
	}))
	t.Cleanup(srv.Close)
	b := browsertest.Browser(t)
	s1, err := b.NewSession(t.Context())
	require.NoError(t, err)
	require.NoError(t, s1.Navigate(strings.Replace(srv.URL, "http://", "http://u:p@", 1)+"/"))
	require.NoError(t, s1.Navigate(srv.URL+"/again"))
	assert.Equal(t, "welcome", eval(t, s1, `() => document.body.innerText`), "the browser sends the cached credentials")
	id := browser.ContextID(s1)
	require.NoError(t, s1.Close())
	ids, err := browser.Contexts(t.Context(), b)
	require.NoError(t, err)
	assert.NotContains(t, ids, id, "the context was disposed of")

	s2 := browsertest.Session(t)
	_ = s2.Navigate(srv.URL + "/") // a 401: an error page, or an error, as the browser sees fit
	assert.Equal(t, "", sent.Load(), "no credentials sent")
}
