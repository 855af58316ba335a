// Package childproc supervises a local server process of a conformance
// target: [Start] runs it in its own process group (killed with the caller
// if the caller dies first), keeps the end of its output in a bounded
// buffer, and [Process.Stop] ends it with SIGTERM, then SIGKILL.
package childproc

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"syscall"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/textcut"
)

// StopGrace is how long a process gets to stop after SIGTERM.
const StopGrace = 5 * time.Second

// logMax is how many bytes of output a [Process] keeps.
const logMax = 64 << 10

// Process is a started child process.
type Process struct {
	cmd    *exec.Cmd
	log    *tailBuffer
	done   chan struct{} // closed when cmd.Wait returns
	err    error         // cmd.Wait's result, set before done closes
	grace  time.Duration // [StopGrace] but in tests
	logger *slog.Logger
}

// Start starts cmd with its stdout and stderr kept in a bounded buffer,
// in its own process group and with SIGKILL as its parent-death signal.
// cmd's Stdout, Stderr and SysProcAttr are overwritten.
func Start(cmd *exec.Cmd, logger *slog.Logger) (*Process, error) {
	p := &Process{cmd: cmd, log: &tailBuffer{max: logMax}, done: make(chan struct{}), grace: StopGrace, logger: logger}
	cmd.Stdout, cmd.Stderr = p.log, p.log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// PID is the process id.
func (p *Process) PID() int { return p.cmd.Process.Pid }

// Path is the program the process runs.
func (p *Process) Path() string { return p.cmd.Path }

// Exited reports whether the process has ended, and how.
func (p *Process) Exited() (bool, string) {
	select {
	case <-p.done:
		return true, fmt.Sprint(p.err)
	default:
		return false, ""
	}
}

// LogTail returns the last n lines of the process's output.
func (p *Process) LogTail(n int) string { return textcut.LastLines(p.log.String(), n) }

// Stop sends SIGTERM, and SIGKILL to the process group after [StopGrace];
// it returns when the process has ended.
func (p *Process) Stop() error {
	pid := p.PID()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("stopping process %d: %w", pid, err)
	}
	select {
	case <-p.done:
	case <-time.After(p.grace):
		p.logger.Warn("process did not stop on SIGTERM; killing it", "pid", pid, "path", p.cmd.Path)
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		<-p.done
	}
	return nil
}
