package dockerd

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	dc "github.com/ory/dockertest/v3/docker"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockertestenv"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/procfs"
)

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// startPrivateOrSkip starts a private engine even when a shared one answers,
// so that the start/stop cycle is always what is tested.
func startPrivateOrSkip(t *testing.T) *Engine {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	eng, err := startPrivate(ctx, testLogger(t))
	if errors.Is(err, ErrNoEngine) {
		dockertestenv.SkipOrFail(t, err)
	}
	require.NoError(t, err)
	t.Cleanup(func() { _ = eng.Close() })
	return eng
}

func TestPrivateEngineCycle(t *testing.T) {
	started := time.Now()
	eng := startPrivateOrSkip(t)
	t.Logf("private dockerd answered after %v", time.Since(started).Round(time.Millisecond))

	require.True(t, eng.Private())
	dir, pid := eng.Dir(), eng.PID()
	socket := filepath.Join(dir, "docker.sock")
	assert.Equal(t, "unix://"+socket, eng.Endpoint)
	assert.FileExists(t, socket)
	require.NoError(t, syscall.Kill(pid, 0), "dockerd is running")
	_, err := eng.Pool.Client.ListContainers(dc.ListContainersOptions{All: true})
	require.NoError(t, err)

	t.Run("Ensure uses an engine that answers at DOCKER_HOST", func(t *testing.T) {
		t.Setenv("DOCKER_HOST", eng.Endpoint)
		shared, err := Ensure(t.Context(), testLogger(t))
		require.NoError(t, err)
		assert.False(t, shared.Private())
		assert.Equal(t, eng.Endpoint, shared.Endpoint)
		assert.Empty(t, shared.Dir())
		require.NoError(t, shared.Close())
		require.NoError(t, eng.Pool.Client.Ping(), "closing a shared engine leaves it running")
	})

	// Close from several goroutines at once, as a signal handler and a
	// deferred call would: all return after the engine is gone.
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Go(func() { errs[i] = eng.Close() })
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	require.NoError(t, eng.Close(), "Close is idempotent")

	assert.ErrorIs(t, syscall.Kill(pid, 0), syscall.ESRCH, "dockerd is gone")
	assert.Empty(t, procfs.Naming(dir), "no containerd or shim is left")
	mps, err := MountsUnder(dir)
	require.NoError(t, err)
	assert.Empty(t, mps, "nothing is left mounted")
	assert.NoFileExists(t, socket)
	assert.NoDirExists(t, dir)
}

func TestNoEngineError(t *testing.T) {
	err := error(&NoEngineError{Reason: "dockerd is not installed"})
	wrapped := errors.Join(errors.New("hydra: docker mode"), err)
	assert.ErrorIs(t, wrapped, ErrNoEngine)
	assert.Contains(t, err.Error(), "docker.io")
	assert.Contains(t, err.Error(), "dockerd is not installed")
	var ne *NoEngineError
	require.ErrorAs(t, wrapped, &ne)
	assert.Equal(t, "dockerd is not installed", ne.Reason)
}

func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("skipped: mounting needs root")
	}
}

func bindMount(t *testing.T, src, dst string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(src, 0o755))
	require.NoError(t, os.MkdirAll(dst, 0o755))
	require.NoError(t, syscall.Mount(src, dst, "", syscall.MS_BIND, ""))
	t.Cleanup(func() { _ = syscall.Unmount(dst, syscall.MNT_DETACH) })
}

func TestUnmountUnder(t *testing.T) {
	needRoot(t)
	dir := t.TempDir()
	src := t.TempDir()
	bindMount(t, src, filepath.Join(dir, "exec", "netns with space"))
	bindMount(t, src, filepath.Join(dir, "exec", "netns with space", "nested"))
	bindMount(t, src, filepath.Join(dir, "data"))
	bindMount(t, src, filepath.Join(dir, "data")) // stacked

	mps, err := MountsUnder(dir)
	require.NoError(t, err)
	require.Len(t, mps, 4)
	assert.Equal(t, filepath.Join(dir, "exec", "netns with space", "nested"), mps[0], "deepest first")

	require.NoError(t, UnmountUnder(dir))
	mps, err = MountsUnder(dir)
	require.NoError(t, err)
	assert.Empty(t, mps)
}

func TestSweepStale(t *testing.T) {
	needRoot(t)
	t.Setenv("TMPDIR", t.TempDir())
	dead := filepath.Join(os.TempDir(), dirPrefix+"dead")
	alive := filepath.Join(os.TempDir(), dirPrefix+"alive")
	young := filepath.Join(os.TempDir(), dirPrefix+"young")
	for _, d := range []string{dead, alive, young} {
		require.NoError(t, os.MkdirAll(filepath.Join(d, "exec"), 0o755))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dead, lockName), nil, 0o600))
	bindMount(t, t.TempDir(), filepath.Join(dead, "exec", "netns"))
	lock, err := os.Create(filepath.Join(alive, lockName))
	require.NoError(t, err)
	defer lock.Close()
	require.NoError(t, syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB))

	sweepStale(testLogger(t))

	assert.NoDirExists(t, dead, "an unowned engine directory is removed")
	mps, err := MountsUnder(dead)
	require.NoError(t, err)
	assert.Empty(t, mps)
	assert.DirExists(t, alive, "a directory whose owner holds the lock is kept")
	assert.DirExists(t, young, "a directory without a lock yet is kept while young")
}

func TestParseMountInfo(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
		err  string
	}{
		{
			name: "plain and nsfs",
			in: "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n" +
				"605 27 0:4 net:[4026531840] /tmp/dsra-dockerd-1/exec/netns/default rw shared:226 - nsfs nsfs rw\n",
			want: []string{"/", "/tmp/dsra-dockerd-1/exec/netns/default"},
		},
		{
			name: "escapes",
			in:   `40 22 8:1 /a /mnt/with\040space\011tab\134back rw - ext4 /dev/sda1 rw` + "\n",
			want: []string{"/mnt/with space\ttab\\back"},
		},
		{
			name: "no optional fields",
			in:   "40 22 8:1 /a /mnt/x rw - ext4 /dev/sda1 rw\n\n",
			want: []string{"/mnt/x"},
		},
		{name: "short line", in: "40 22 8:1 /a /mnt/x\n", err: "line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMountInfo(strings.NewReader(tt.in))
			if tt.err != "" {
				assert.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func FuzzParseMountInfo(f *testing.F) {
	f.Add("22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n")
	f.Add(`40 22 8:1 /a /mnt/a\040b\1 rw - ext4 /dev/sda1 rw`)
	f.Fuzz(func(t *testing.T, in string) {
		mps, err := ParseMountInfo(strings.NewReader(in))
		if err != nil {
			return
		}
		if len(mps) > strings.Count(in, "\n")+1 {
			t.Fatalf("%d mount points from %d lines", len(mps), strings.Count(in, "\n")+1)
		}
		for _, mp := range mps {
			if len(mp) > len(in) {
				t.Fatalf("mount point %q longer than the input", mp)
			}
		}
	})
}
