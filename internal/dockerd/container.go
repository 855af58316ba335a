package dockerd

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ory/dockertest/v3"
	dc "github.com/ory/dockertest/v3/docker"
)

// inspectEvery is how often [Container.Exited] asks the engine at most.
const inspectEvery = 250 * time.Millisecond

// Container is a started container of a conformance target, watched
// while it gets ready and removed by [Container.Stop].
type Container struct {
	pool *dockertest.Pool
	res  *dockertest.Resource

	mu        sync.Mutex
	lastCheck time.Time
}

// NewContainer watches res, a container started on pool.
func NewContainer(pool *dockertest.Pool, res *dockertest.Resource) *Container {
	return &Container{pool: pool, res: res}
}

// ID is the container's id.
func (c *Container) ID() string { return c.res.Container.ID }

// Exited reports whether the container has stopped, and why. It asks the
// engine at most every 250 ms and answers false in between, so that a
// readiness loop may call it on every tick.
func (c *Container) Exited() (bool, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.lastCheck) < inspectEvery {
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

// LogTail returns the last n lines of the container's stdout and stderr,
// or a note in parentheses when the engine cannot give them.
func (c *Container) LogTail(n int) string {
	var buf bytes.Buffer
	err := c.pool.Client.Logs(dc.LogsOptions{
		Container:    c.res.Container.ID,
		OutputStream: &buf,
		ErrorStream:  &buf,
		Stdout:       true,
		Stderr:       true,
		Tail:         strconv.Itoa(n),
	})
	if err != nil {
		return "(container logs: " + err.Error() + ")"
	}
	return strings.TrimSpace(buf.String())
}

// Stop removes the container and its volumes, whatever its state.
func (c *Container) Stop() error {
	if err := c.pool.Purge(c.res); err != nil {
		return fmt.Errorf("removing container %s: %w", c.res.Container.ID[:12], err)
	}
	return nil
}
