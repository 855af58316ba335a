package dockertestenv_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockerd"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockertestenv"
)

// recorder is a testing.TB that records how SkipOrFail ended it. Its
// Fatalf and Skipf return instead of stopping the goroutine, as the
// real ones do, so the test can look at the outcome.
type recorder struct {
	testing.TB
	failed, skipped bool
	msg             string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed, r.msg = true, fmt.Sprintf(format, args...)
}

func (r *recorder) Skipf(format string, args ...any) {
	r.skipped, r.msg = true, fmt.Sprintf(format, args...)
}

func TestSkipOrFail(t *testing.T) {
	var noEngine error = &dockerd.NoEngineError{Reason: "no docker.io"}
	tests := []struct {
		name            string
		env             string
		err             error
		skipped, failed bool
	}{
		{"no engine skips", "", noEngine, true, false},
		{"no engine fails when required", "1", noEngine, false, true},
		{"other value of the switch skips", "0", noEngine, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(dockertestenv.RequireEnv, tt.env)
			r := &recorder{TB: t}
			dockertestenv.SkipOrFail(r, tt.err)
			assert.Equal(t, tt.skipped, r.skipped)
			assert.Equal(t, tt.failed, r.failed)
			assert.Contains(t, r.msg, "no docker.io", "the reason is quoted")
			if tt.failed {
				assert.Contains(t, r.msg, "DSRA_REQUIRE_DOCKER=1")
			}
		})
	}
}
