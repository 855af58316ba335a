package browser

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/go-rod/rod/lib/proto"
	"github.com/stretchr/testify/require"
)

func TestZZClear(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<!doctype html><p>hi")
	}))
	defer srv.Close()
	b, err := Launch(t.Context(), Options{Prepared: -1, LoopbackOnly: true})
	require.NoError(t, err)
	defer b.Close()
	s, err := b.NewSession(t.Context())
	require.NoError(t, err)
	const set = `async () => {
	localStorage.setItem('l', '1'); sessionStorage.setItem('s', '1');
	await new Promise((res, rej) => { const r = indexedDB.open('db1'); r.onupgradeneeded = () => r.result.createObjectStore('s'); r.onsuccess = () => { r.result.close(); res(); }; r.onerror = rej; });
	return 'ok'; }`
	const probe = `async () => JSON.stringify({local: Object.keys(localStorage), session: Object.keys(sessionStorage), idb: (await indexedDB.databases()).map(d => d.name)})`
	_, err = s.Intercept("https://client.example", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<!doctype html><p>client") }))
	require.NoError(t, err)
	for _, u := range []string{srv.URL, "https://client.example"} {
		require.NoError(t, s.Navigate(u+"/"))
		_, err := s.Page().Eval(set)
		require.NoError(t, err)
	}
	require.NoError(t, s.Navigate("about:blank"))
	origin := os.Getenv("ORIGIN")
	if origin != "skip" {
		err = proto.StorageClearDataForOrigin{Origin: origin, StorageTypes: os.Getenv("TYPES")}.Call(s.Page())
	}
	t.Logf("clear %q: %v", origin, err)
	for _, u := range []string{srv.URL, "https://client.example"} {
		require.NoError(t, s.Navigate(u+"/"))
		res, err := s.Page().Eval(probe)
		require.NoError(t, err)
		t.Logf("%s: %s", u, res.Value.Str())
	}
}
