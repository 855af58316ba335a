package browser_test

import (
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
)

func TestScratchTimings(t *testing.T) {
	provider := newLoginProvider(t)
	opts := browser.Options{LoopbackOnly: true, Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	br, err := browser.Launch(t.Context(), opts)
	require.NoError(t, err)
	defer br.Close()
	const callback = "http://localhost:8000/authorized"
	for i := 0; i < 8; i++ {
		start := time.Now()
		s, err := br.NewSession(t.Context())
		require.NoError(t, err)
		t.Logf("new session %v", time.Since(start))
		cb, _ := s.Intercept(callback, http.NotFoundHandler())
		require.NoError(t, s.Navigate(provider.URL+"/authorize?"+url.Values{"redirect_uri": {callback}, "state": {"st"}}.Encode()))
		require.NoError(t, s.Fill("input[name=username]", "alice"))
		require.NoError(t, s.Fill("input[name=password]", "wonderland"))
		require.NoError(t, s.Click("button[type=submit]"))
		require.NoError(t, s.Click("button[name=confirm][value=yes]"))
		_, err = cb.Wait(t.Context())
		require.NoError(t, err)
		s.Close()
		t.Logf("flow %v", time.Since(start))
		time.Sleep(200 * time.Millisecond)
	}
}
