package oidcprovider

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"
)

// stopGrace is how long the provider gets to stop after SIGTERM.
const stopGrace = 5 * time.Second

// process is the program run by a local node.
type process struct {
	cmd    *exec.Cmd
	log    *tailBuffer
	done   chan struct{} // closed when cmd.Wait returns
	err    error         // cmd.Wait's result, set before done closes
	logger *slog.Logger
}

var _ server = (*process)(nil)

// startProcess runs node dir/provider.mjs with env as its only configuration.
func (p *Provider) startProcess(node, dir, env string) error {
	pr := &process{log: &tailBuffer{max: 64 << 10}, done: make(chan struct{}), logger: p.logger}
	pr.cmd = exec.Command(node, filepath.Join(dir, ProgramName))
	// Only our configuration: NODE_OPTIONS or the like in the caller's
	// environment must not change the target.
	pr.cmd.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + os.TempDir(), env}
	pr.cmd.Dir = dir
	pr.cmd.Stdout, pr.cmd.Stderr = pr.log, pr.log
	// Its own process group, killed with us if we die first.
	pr.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	p.launched = time.Now()
	if err := pr.cmd.Start(); err != nil {
		return fmt.Errorf("oidcprovider: starting %s: %w", node, err)
	}
	go func() {
		pr.err = pr.cmd.Wait()
		close(pr.done)
	}()
	p.server = pr
	p.mode = "process (" + node + ")"
	p.logger.Debug("oidc-provider process started", "pid", pr.cmd.Process.Pid, "node", node)
	return nil
}

func (pr *process) exited() (bool, string) {
	select {
	case <-pr.done:
		return true, fmt.Sprint(pr.err)
	default:
		return false, ""
	}
}

func (pr *process) logTail() string { return tail(pr.log.String(), 30) }

// stop sends SIGTERM, and SIGKILL to the process group after [stopGrace].
func (pr *process) stop() error {
	pid := pr.cmd.Process.Pid
	if err := pr.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("oidcprovider: stopping process %d: %w", pid, err)
	}
	select {
	case <-pr.done:
	case <-time.After(stopGrace):
		pr.logger.Warn("oidc-provider did not stop on SIGTERM; killing it", "pid", pid)
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		<-pr.done
	}
	return nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

// String is the kept text, from the first whole rune on.
func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf
	for len(s) > 0 && !utf8.RuneStart(s[0]) {
		s = s[1:]
	}
	return string(s)
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
