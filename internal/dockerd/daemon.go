package dockerd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/ory/dockertest/v3"
)

const (
	// dirPrefix names a private engine's directory under the temp dir.
	dirPrefix = "dsra-dockerd-"
	// lockName is the file the owning process holds an flock on for the
	// daemon's whole life; a directory whose lock can be taken is stale.
	lockName = "owner.lock"
	// startTimeout bounds the wait for a new daemon when ctx has no deadline.
	startTimeout = 60 * time.Second
	// stopGrace is how long dockerd gets to stop after SIGTERM.
	stopGrace = 20 * time.Second
	// pollInterval is the readiness polling period.
	pollInterval = 25 * time.Millisecond
	// maxSocketPath is the longest path a unix socket address may have.
	maxSocketPath = 107
)

// daemon is a private dockerd process and its directory.
type daemon struct {
	dir    string
	cmd    *exec.Cmd
	lock   *os.File      // flock held while the daemon lives
	exited chan struct{} // closed when cmd.Wait returns
	err    error         // cmd.Wait's result, set before exited closes
	logger *slog.Logger
}

func lookDockerd() (string, error) {
	if p, err := exec.LookPath("dockerd"); err == nil {
		return p, nil
	}
	if _, err := os.Stat("/usr/sbin/dockerd"); err == nil {
		return "/usr/sbin/dockerd", nil
	}
	return "", errors.New("dockerd is not installed (apt-get install docker.io)")
}

func (d *daemon) socket() string   { return filepath.Join(d.dir, "docker.sock") }
func (d *daemon) endpoint() string { return "unix://" + d.socket() }
func (d *daemon) logPath() string  { return filepath.Join(d.dir, "dockerd.log") }

// newDir makes the daemon's directory, short enough for a socket path.
func newDir() (string, error) {
	parent := os.TempDir()
	if len(filepath.Join(parent, dirPrefix+"0000000000", "exec", "containerd", "containerd.sock.ttrpc")) > maxSocketPath {
		parent = "/tmp"
	}
	return os.MkdirTemp(parent, dirPrefix)
}

// startDaemon starts dockerd in a new directory; it does not wait for it.
func startDaemon(bin string, logger *slog.Logger) (_ *daemon, err error) {
	dir, err := newDir()
	if err != nil {
		return nil, fmt.Errorf("dockerd: %w", err)
	}
	d := &daemon{dir: dir, exited: make(chan struct{}), logger: logger}
	defer func() {
		if err != nil {
			d.releaseDir()
		}
	}()
	if d.lock, err = os.Create(filepath.Join(dir, lockName)); err != nil {
		return nil, fmt.Errorf("dockerd: %w", err)
	}
	if err = syscall.Flock(int(d.lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return nil, fmt.Errorf("dockerd: locking %s: %w", dir, err)
	}
	config := filepath.Join(dir, "daemon.json")
	if err = os.WriteFile(config, []byte("{}\n"), 0o600); err != nil {
		return nil, fmt.Errorf("dockerd: %w", err)
	}
	logFile, err := os.Create(d.logPath())
	if err != nil {
		return nil, fmt.Errorf("dockerd: %w", err)
	}
	defer logFile.Close()

	d.cmd = exec.Command(bin,
		"--bridge=none", "--iptables=false", "--ip6tables=false", "--ip-forward=false", "--ip-masq=false",
		"--config-file", config,
		"--data-root", filepath.Join(dir, "data"),
		"--exec-root", filepath.Join(dir, "exec"),
		"--pidfile", filepath.Join(dir, "docker.pid"),
		"-H", d.endpoint(),
	)
	d.cmd.Stdout, d.cmd.Stderr = logFile, logFile
	// Its own process group keeps a terminal's Ctrl-C away from dockerd, so
	// that Close stops it in order; Pdeathsig stops it if we die first.
	d.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err = d.cmd.Start(); err != nil {
		return nil, fmt.Errorf("dockerd: starting %s: %w", bin, err)
	}
	go func() {
		d.err = d.cmd.Wait()
		close(d.exited)
	}()
	logger.Debug("started dockerd", "pid", d.cmd.Process.Pid, "dir", dir)
	return d, nil
}

// waitReady polls the socket until the daemon answers a ping, it exits,
// ctx ends or the start timeout passes.
func (d *daemon) waitReady(ctx context.Context) (*dockertest.Pool, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, startTimeout)
		defer cancel()
	}
	pool, err := dockertest.NewPool(d.endpoint())
	if err != nil {
		return nil, fmt.Errorf("dockerd: %w", err)
	}
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		if _, statErr := os.Stat(d.socket()); statErr == nil {
			pctx, cancel := context.WithTimeout(ctx, pingTimeout)
			err = pool.Client.PingWithContext(pctx)
			cancel()
			if err == nil {
				return pool, nil
			}
		}
		select {
		case <-d.exited:
			return nil, fmt.Errorf("dockerd: exited during start (%v); log %s ends:\n%s", d.err, d.logPath(), d.logTail())
		case <-ctx.Done():
			return nil, fmt.Errorf("dockerd: not answering at %s: %w; log %s ends:\n%s", d.endpoint(), ctx.Err(), d.logPath(), d.logTail())
		case <-tick.C:
		}
	}
}

// logTail returns the last lines of the daemon's log.
func (d *daemon) logTail() string {
	b, err := os.ReadFile(d.logPath())
	if err != nil {
		return "(" + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 20 {
		lines = lines[len(lines)-20:]
	}
	return string(bytes.TrimSpace([]byte(strings.Join(lines, "\n"))))
}

// stop ends the daemon and removes all trace of it.
func (d *daemon) stop() error {
	var errs []error
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		errs = append(errs, fmt.Errorf("dockerd: SIGTERM: %w", err))
	}
	select {
	case <-d.exited:
	case <-time.After(stopGrace):
		d.logger.Warn("dockerd did not stop in time; killing it", "pid", d.cmd.Process.Pid, "grace", stopGrace)
		_ = d.cmd.Process.Kill()
		<-d.exited
	}
	if err := d.releaseDir(); err != nil {
		errs = append(errs, err)
	}
	d.logger.Debug("stopped dockerd", "dir", d.dir)
	return errors.Join(errs...)
}

// releaseDir ends the processes that still name the directory (containerd,
// shims), unmounts what is left under it and removes it.
func (d *daemon) releaseDir() error {
	if mps, _ := MountsUnder(d.dir); len(mps) > 0 {
		d.logger.Debug("unmounting what dockerd left", "mounts", mps)
	}
	err := cleanDir(d.dir)
	if d.lock != nil {
		d.lock.Close()
	}
	return err
}
