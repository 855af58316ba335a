package hydra

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ory/dockertest/v3"
	dc "github.com/ory/dockertest/v3/docker"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockerd"
)

// ContainerLabel marks the containers this package runs; its value is "hydra".
const ContainerLabel = "dsra-oauth2.target"

// serveArgs are the arguments of `hydra` in both modes: --dev allows the
// http:// issuer on 127.0.0.1, --sqa-opt-out keeps telemetry off.
var serveArgs = []string{"serve", "all", "--dev", "--sqa-opt-out"}

// container is Hydra in a container with host networking.
type container struct {
	pool   *dockertest.Pool
	res    *dockertest.Resource
	logger *slog.Logger

	mu        sync.Mutex
	lastCheck time.Time
}

var _ server = (*container)(nil)

func startContainer(engine *dockerd.Engine, image string, env []string, logger *slog.Logger) (*container, error) {
	repo, tag := splitImage(image)
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	res, err := engine.Pool.RunWithOptions(&dockertest.RunOptions{
		Name:       "dsra-hydra-" + hex.EncodeToString(suffix),
		Repository: repo,
		Tag:        tag,
		Cmd:        serveArgs,
		Env:        env,
		Labels:     map[string]string{ContainerLabel: "hydra"},
	}, func(hc *dc.HostConfig) {
		// Host networking only: Hydra binds 127.0.0.1, no bridge exists.
		hc.NetworkMode = "host"
		hc.PublishAllPorts = false
		hc.RestartPolicy = dc.RestartPolicy{Name: "no"}
	})
	if err != nil {
		return nil, fmt.Errorf("hydra: running image %s on %s: %w", image, engine.Endpoint, err)
	}
	logger.Debug("Hydra container started", "id", res.Container.ID[:12], "name", res.Container.Name)
	return &container{pool: engine.Pool, res: res, logger: logger}, nil
}

// splitImage splits "repo[:tag]" (the repository may hold a registry port).
func splitImage(image string) (repo, tag string) {
	i := strings.LastIndex(image, ":")
	if i < 0 || strings.Contains(image[i:], "/") {
		return image, "latest"
	}
	return image[:i], image[i+1:]
}

// exited inspects the container at most every 250 ms.
func (c *container) exited() (bool, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.lastCheck) < 250*time.Millisecond {
		return false, ""
	}
	c.lastCheck = time.Now()
	ct, err := c.pool.Client.InspectContainer(c.res.Container.ID)
	if err != nil {
		return true, err.Error()
	}
	if ct.State.Running {
		return false, ""
	}
	return true, fmt.Sprintf("container %s: %s, exit code %d %s", ct.Name, ct.State.Status, ct.State.ExitCode, ct.State.Error)
}

func (c *container) logTail() string {
	var buf bytes.Buffer
	err := c.pool.Client.Logs(dc.LogsOptions{
		Container:    c.res.Container.ID,
		OutputStream: &buf,
		ErrorStream:  &buf,
		Stdout:       true,
		Stderr:       true,
		Tail:         "30",
	})
	if err != nil {
		return "(container logs: " + err.Error() + ")"
	}
	return strings.TrimSpace(buf.String())
}

func (c *container) stop() error {
	if err := c.pool.Purge(c.res); err != nil {
		return fmt.Errorf("hydra: removing container %s: %w", c.res.Container.ID[:12], err)
	}
	return nil
}

// process is Hydra as a child process.
type process struct {
	cmd    *exec.Cmd
	log    *tailBuffer
	done   chan struct{} // closed when cmd.Wait returns
	err    error         // cmd.Wait's result
	logger *slog.Logger
}

var _ server = (*process)(nil)

func startProcess(bin string, env []string, logger *slog.Logger) (*process, error) {
	p := &process{log: &tailBuffer{max: 64 << 10}, done: make(chan struct{}), logger: logger}
	p.cmd = exec.Command(bin, serveArgs...)
	// Only our configuration: a stray DSN or SERVE_* in the caller's
	// environment must not change the target.
	p.cmd.Env = append([]string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + os.TempDir(), "TMPDIR=" + os.TempDir()}, env...)
	p.cmd.Dir = os.TempDir()
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("hydra: starting %s: %w", bin, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	logger.Debug("Hydra process started", "pid", p.cmd.Process.Pid, "binary", bin)
	return p, nil
}

// PID is the process id, for tests.
func (p *process) pid() int { return p.cmd.Process.Pid }

func (p *process) exited() (bool, string) {
	select {
	case <-p.done:
		return true, fmt.Sprint(p.err)
	default:
		return false, ""
	}
}

func (p *process) logTail() string { return tail(p.log.String(), 30) }

// stop sends SIGTERM and SIGKILL after 5 s.
func (p *process) stop() error {
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("hydra: stopping process %d: %w", p.pid(), err)
	}
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		p.logger.Warn("Hydra did not stop on SIGTERM; killing it", "pid", p.pid())
		_ = p.cmd.Process.Kill()
		<-p.done
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

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
