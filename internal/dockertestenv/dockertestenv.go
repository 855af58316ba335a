// Package dockertestenv decides what a test does when it needs a Docker
// engine and none can be had: skip it, or, when the environment demands
// Docker (DSRA_REQUIRE_DOCKER=1, set by make test when it runs as root,
// who can always start the private dockerd), fail it.
//
// It imports no Docker code, so internal/dockerd's own tests use it too.
package dockertestenv

import (
	"os"
	"testing"
)

// RequireEnv is the environment variable that turns a missing engine from
// a skip into a failure when it is "1".
const RequireEnv = "DSRA_REQUIRE_DOCKER"

// Required reports whether the environment demands a Docker engine.
func Required() bool { return os.Getenv(RequireEnv) == "1" }

// SkipOrFail ends t because no Docker engine can be had (err is the
// dockerd.ErrNoEngine that said so): t.Fatal under DSRA_REQUIRE_DOCKER=1,
// else t.Skip, quoting err either way. Callers test for the error first:
//
//	if errors.Is(err, dockerd.ErrNoEngine) {
//		dockertestenv.SkipOrFail(t, err)
//	}
//	require.NoError(t, err)
func SkipOrFail(t testing.TB, err error) {
	t.Helper()
	if Required() {
		t.Fatalf("%s=1 but no Docker engine: %v", RequireEnv, err)
		return
	}
	t.Skipf("skipped: %v", err)
}
