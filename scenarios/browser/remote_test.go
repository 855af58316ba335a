package browser_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser/browsertest"
)

// TestConnectRemote attaches to a Chromium started on its own, runs
// sessions in parallel through it, and checks that Close disposes of the
// contexts the Browser created and of nothing else: the remote browser,
// its own page and a context another client made still exist.
func TestConnectRemote(t *testing.T) {
	remote := browsertest.StartRemote(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<title>hello</title><p>hello " + r.URL.Path + "</p>"))
	}))
	defer srv.Close()

	other := rod.New().ControlURL(remote.WebSocket).Context(t.Context())
	require.NoError(t, other.Connect())
	defer other.Close()
	kept, err := proto.TargetCreateBrowserContext{}.Call(other)
	require.NoError(t, err)
	before := contexts(t, other)

	for _, endpoint := range []string{remote.Endpoint, remote.WebSocket} {
		b, err := browser.Connect(t.Context(), endpoint, browser.Options{Prepared: 2})
		require.NoError(t, err, endpoint)
		assert.Zero(t, b.PID(), "no process of ours")
		done := make(chan error, 2)
		for _, path := range []string{"/a", "/b"} {
			go func() {
				s, err := b.NewSession(t.Context())
				if err == nil {
					err = s.Navigate(srv.URL + path)
					s.Close()
				}
				done <- err
			}()
		}
		require.NoError(t, <-done)
		require.NoError(t, <-done)
		assert.Greater(t, len(contexts(t, other)), len(before), "the run's contexts exist while it runs")
		require.NoError(t, b.Close())

		assert.True(t, remote.Alive(), "the remote browser still runs")
		assert.ElementsMatch(t, before, contexts(t, other), "only the run's contexts were disposed of")
		assert.Contains(t, contexts(t, other), kept.BrowserContextID)
		pages, err := other.Pages()
		require.NoError(t, err)
		assert.NotEmpty(t, pages, "the remote browser's own page is still open")
	}
}

func TestResolveDevTools(t *testing.T) {
	remote := browsertest.StartRemote(t)
	ws, err := browser.ResolveDevTools(t.Context(), remote.Endpoint)
	require.NoError(t, err)
	assert.Equal(t, remote.WebSocket, ws)
	ws, err = browser.ResolveDevTools(t.Context(), remote.WebSocket)
	require.NoError(t, err)
	assert.Equal(t, remote.WebSocket, ws)

	for _, bad := range []string{"", "127.0.0.1:9222", "ftp://127.0.0.1:9222", "http://"} {
		_, err := browser.ResolveDevTools(t.Context(), bad)
		assert.Error(t, err, bad)
	}
	notDevTools := httptest.NewServer(http.NotFoundHandler())
	defer notDevTools.Close()
	_, err = browser.ResolveDevTools(t.Context(), notDevTools.URL)
	assert.ErrorContains(t, err, "404")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = browser.ResolveDevTools(ctx, remote.Endpoint)
	assert.Error(t, err)
}

func contexts(t *testing.T, b *rod.Browser) []proto.BrowserBrowserContextID {
	res, err := proto.TargetGetBrowserContexts{}.Call(b)
	require.NoError(t, err)
	return slices.Clone(res.BrowserContextIDs)
}
