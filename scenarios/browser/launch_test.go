package browser

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLaunchCloseLeavesNothingRunning(t *testing.T) {
	b, err := Launch(t.Context(), Options{})
	require.NoError(t, err)
	pid := b.launcher.PID()
	require.NotZero(t, pid)

	args := cmdline(t, pid)
	for _, want := range []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
		"--metrics-recording-only", "--remote-debugging-port=0", "--user-data-dir=" + b.dir} {
		assert.Contains(t, args, want)
	}
	assert.DirExists(t, b.dir)
	assert.True(t, strings.HasPrefix(filepath.Base(b.dir), profilePrefix))

	s, err := b.NewSession(t.Context()) // renderer processes too
	require.NoError(t, err)
	require.NoError(t, s.Navigate("about:blank"))
	tree := descendants(pid)
	require.NotEmpty(t, tree, "Chromium has no child processes?")
	require.NotEmpty(t, profileProcesses(b.dir))

	require.NoError(t, b.Close())
	for _, p := range append(tree, pid) {
		assert.False(t, alive(p), "process %d (%s) still runs after Close", p, comm(p))
	}
	assert.Empty(t, profileProcesses(b.dir))
	assert.NoDirExists(t, b.dir)

	assert.NoError(t, b.Close(), "Close is idempotent")
	assert.NoError(t, s.Close(), "closing a session of a closed browser is a no-op")
	_, err = b.NewSession(t.Context())
	assert.ErrorIs(t, err, ErrClosed)
	assert.ErrorIs(t, s.Navigate("about:blank"), ErrClosed)
}

func TestFindChromium(t *testing.T) {
	t.Run("CHROMIUM_BIN missing", func(t *testing.T) {
		t.Setenv("CHROMIUM_BIN", "/nonexistent/chromium")
		_, err := FindChromium()
		require.ErrorIs(t, err, ErrChromiumNotFound)
		assert.Contains(t, err.Error(), "/nonexistent/chromium")
		assert.Contains(t, err.Error(), "apt-get install chromium")
	})
	t.Run("Bin missing", func(t *testing.T) {
		_, err := Launch(t.Context(), Options{Bin: "/nonexistent/chromium"})
		require.ErrorIs(t, err, ErrChromiumNotFound)
		assert.Contains(t, err.Error(), "/nonexistent/chromium")
		assert.Contains(t, err.Error(), "Debian's package chromium (apt-get install chromium)")
	})
	t.Run("Bin not executable", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "chromium")
		require.NoError(t, os.WriteFile(f, []byte("not a browser"), 0o644))
		_, err := Launch(t.Context(), Options{Bin: f})
		require.ErrorIs(t, err, ErrChromiumNotFound)
	})
	t.Run("default", func(t *testing.T) {
		t.Setenv("CHROMIUM_BIN", "")
		if err := checkBin(DefaultBin); err != nil {
			// make test installs Chromium and sets DSRA_REQUIRE_BROWSER=1:
			// there a missing browser is a failure, not a skip.
			if os.Getenv("DSRA_REQUIRE_BROWSER") == "1" {
				t.Fatalf("DSRA_REQUIRE_BROWSER=1 but %s is not usable: %v", DefaultBin, err)
			}
			t.Skip(DefaultBin + " is not installed")
		}
		bin, err := FindChromium()
		require.NoError(t, err)
		want := DefaultBin
		if checkBin(debianBinary) == nil {
			want = debianBinary // Debian's binary behind the /usr/bin/chromium script
		}
		assert.Equal(t, want, bin)
	})
	t.Run("Bin does not start", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "chromium")
		require.NoError(t, os.WriteFile(f, []byte("#!/bin/sh\necho 'no browser here' >&2\nexit 3\n"), 0o755))
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		_, err := Launch(ctx, Options{Bin: f})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "browser: start "+f)
	})
}

func TestSweepProfiles(t *testing.T) {
	mk := func(lockTarget string, age time.Duration) string {
		dir, err := os.MkdirTemp("", profilePrefix+"test-*")
		require.NoError(t, err)
		t.Cleanup(func() { os.RemoveAll(dir) })
		if lockTarget != "" {
			require.NoError(t, os.Symlink(lockTarget, filepath.Join(dir, "SingletonLock")))
		}
		old := time.Now().Add(-age)
		require.NoError(t, os.Chtimes(dir, old, old))
		return dir
	}
	dead := mk("somehost-2147483000", 0)
	mine := mk(fmt.Sprintf("somehost-%d", os.Getpid()), time.Hour)
	starting := mk("", 0)
	abandoned := mk("", time.Hour)

	sweepProfiles(discard)
	assert.NoDirExists(t, dead, "the owner is dead")
	assert.DirExists(t, mine, "the owner runs")
	assert.DirExists(t, starting, "a Launch may be starting there")
	assert.NoDirExists(t, abandoned)
}

// cmdline is the argument list of a process.
func cmdline(t *testing.T, pid int) []string {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	require.NoError(t, err)
	return strings.Split(strings.TrimRight(string(raw), "\x00"), "\x00")
}

// descendants lists the processes below pid, from /proc/*/stat.
func descendants(pid int) []int {
	children := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid, ok := parentOf(p); ok {
			children[ppid] = append(children[ppid], p)
		}
	}
	var out []int
	var walk func(int)
	walk = func(p int) {
		for _, c := range children[p] {
			out = append(out, c)
			walk(c)
		}
	}
	walk(pid)
	return out
}

func stat(pid int) (state byte, ppid int, ok bool) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0, false
	}
	s := string(raw)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:]) // after "(comm)"
	if len(fields) < 2 {
		return 0, 0, false
	}
	ppid, err = strconv.Atoi(fields[1])
	return fields[0][0], ppid, err == nil
}

func parentOf(pid int) (int, bool) {
	_, ppid, ok := stat(pid)
	return ppid, ok
}

// alive reports a process that exists and is not a zombie.
func alive(pid int) bool {
	state, _, ok := stat(pid)
	return ok && state != 'Z' && state != 'X'
}

func comm(pid int) string {
	raw, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	return strings.TrimSpace(string(raw))
}
