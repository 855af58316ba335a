package scenarios_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/launch"
)

// openRealProvider starts the built-in real provider name (hydra,
// oidc-provider) for one test, closes it at cleanup, and checks that it
// runs in a container whenever an engine can be had (root with dockerd
// installed), so a fallback to a local process is never silent.
func openRealProvider(ctx context.Context, t *testing.T, name string) *launch.Provider {
	t.Helper()
	tg, err := launch.Open(ctx, name, launch.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, tg.Close()) })
	t.Logf("%s runs as: %s", name, tg.Mode)
	if _, err := exec.LookPath("dockerd"); err == nil && os.Geteuid() == 0 {
		assert.Contains(t, tg.Mode, "docker", "an engine can be had (root, dockerd installed), so %s runs in a container", name)
	}
	return tg
}

// hangingServer answers nothing until hang is closed.
func hangingServer(t *testing.T, hang chan struct{}) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
