package childproc

import (
	"errors"
	"log/slog"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func start(t *testing.T, script string) *Process {
	t.Helper()
	p, err := Start(exec.Command("/bin/sh", "-c", script), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() { _ = p.Stop() })
	return p
}

// waitExited waits for the process to end; Stop bounds it if it never does.
func waitExited(t *testing.T, p *Process) string {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		require.NoError(t, p.Stop())
	}
	gone, why := p.Exited()
	require.True(t, gone)
	return why
}

func TestStartKeepsOutputAndExit(t *testing.T) {
	p := start(t, `for i in 1 2 3 4; do echo line$i; done; echo oops >&2; exit 3`)
	assert.Equal(t, "exit status 3", waitExited(t, p))
	assert.Equal(t, "line4\noops", p.LogTail(2))
	assert.Equal(t, "/bin/sh", p.Path())
	assert.NoError(t, p.Stop(), "Stop after the end is fine")
}

func TestStartFails(t *testing.T) {
	_, err := Start(exec.Command("/nonexistent/program"), slog.New(slog.DiscardHandler))
	assert.Error(t, err)
}

func TestStop(t *testing.T) {
	for name, tc := range map[string]struct {
		script string
		want   string
	}{
		"ends on SIGTERM":      {script: `echo ready; exec sleep 60`, want: "signal: terminated"},
		"killed after a grace": {script: `trap '' TERM; echo ready; while :; do sleep 1; done`, want: "signal: killed"},
	} {
		t.Run(name, func(t *testing.T) {
			p := start(t, tc.script)
			p.grace = 200 * time.Millisecond
			for !strings.Contains(p.LogTail(1), "ready") { // the trap is set
				gone, why := p.Exited()
				require.False(t, gone, why)
				time.Sleep(10 * time.Millisecond)
			}
			require.NoError(t, p.Stop())
			gone, why := p.Exited()
			require.True(t, gone)
			assert.Equal(t, tc.want, why)
			// A killed child of the shell is gone once init reaps it.
			assert.Eventually(t, func() bool { return errors.Is(syscall.Kill(-p.PID(), 0), syscall.ESRCH) },
				5*time.Second, 10*time.Millisecond, "no process of the group is left")
		})
	}
}

func TestTailBufferCutsByRunes(t *testing.T) {
	b := &tailBuffer{max: 4}
	_, _ = b.Write([]byte("abcé€")) // 1+1+1+2+3 bytes: the last 4 start inside é
	assert.Equal(t, "€", b.String())
	_, _ = b.Write([]byte("xy"))
	assert.Equal(t, "xy", b.String(), "the continuation bytes left of € are dropped")
}
