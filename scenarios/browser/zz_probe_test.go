package browser_test

import (
	"log/slog"
	"os"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser/browsertest"
)

const probe = `async () => {
	let dbs = [], keys = [];
	try { dbs = (await indexedDB.databases()).map(d => d.name); keys = await caches.keys(); } catch (e) { dbs = String(e).slice(0, 30); }
	return JSON.stringify({cookie: document.cookie, local: Object.keys(localStorage), session: Object.keys(sessionStorage),
		name: window.name, history: history.length, idb: dbs, caches: keys, opener: !!window.opener});
}`

const set = `async () => {
	document.cookie = 'js=1; path=/';
	localStorage.setItem('l', '1'); sessionStorage.setItem('s', '1'); window.name = 'named';
	await new Promise((res, rej) => { const r = indexedDB.open('db1'); r.onupgradeneeded = () => r.result.createObjectStore('s'); r.onsuccess = () => { r.result.close(); res(); }; r.onerror = rej; });
	if (self.caches) { const c = await caches.open('c1'); await c.put('/x', new Response('x')); }
	return 'ok';
}`

func TestZZProbe(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "srv", Value: "1", Path: "/", HttpOnly: true})
		fmt.Fprint(w, "<!doctype html><p>hi")
	}))
	defer srv.Close()
	opts := browsertest.Options
	opts.Prepared = -1
	opts.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	b, err := browser.Launch(t.Context(), opts)
	require.NoError(t, err)
	defer b.Close()
	run := func(s *browser.Session, script string) string {
		res, err := s.Page().Eval(script)
		require.NoError(t, err)
		return res.Value.Str()
	}
	s1, err := b.NewSession(t.Context())
	require.NoError(t, err)
	_, err = s1.Intercept("https://client.example", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "cl", Value: "1", Path: "/", HttpOnly: true})
		fmt.Fprint(w, "<!doctype html><p>client")
	}))
	require.NoError(t, err)
	for _, u := range []string{srv.URL, "https://client.example"} {
		require.NoError(t, s1.Navigate(u+"/"))
		t.Logf("s1 fresh %s: %s", u, run(s1, probe))
		run(s1, set)
		t.Logf("s1 set %s: %s", u, run(s1, probe))
	}
	id := browser.ContextID(s1)
	require.NoError(t, s1.Close())
	time.Sleep(500 * time.Millisecond)
	s2, err := b.NewSession(t.Context())
	require.NoError(t, err)
	t.Logf("same context %v, reused %d", id == browser.ContextID(s2), browser.Reused(s2))
	require.NoError(t, s2.Navigate(srv.URL+"/"))
	t.Logf("s2 %s: %s", srv.URL, run(s2, probe))
	_, err = s2.Intercept("https://client.example", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<!doctype html><p>client")
	}))
	require.NoError(t, err)
	require.NoError(t, s2.Navigate("https://client.example/"))
	t.Logf("s2 client: %s", run(s2, probe))

	s3 := browsertest.Session(t) // fresh
	require.NoError(t, s3.Navigate(srv.URL+"/"))
	t.Logf("s3 fresh %s: %s", srv.URL, run(s3, probe))
}
