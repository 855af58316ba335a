package oidcprovider

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/ory/dockertest/v3"
	dc "github.com/ory/dockertest/v3/docker"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockerd"
)

// ContainerLabel marks the containers of the conformance targets; its
// value here is "oidc-provider".
const ContainerLabel = "dsra-oauth2.target"

// container is the provider in a container with host networking.
type container struct {
	pool   *dockertest.Pool
	res    *dockertest.Resource
	logger *slog.Logger

	mu        sync.Mutex
	lastCheck time.Time
}

var _ server = (*container)(nil)

// startContainer builds the image when the engine lacks it and runs it.
func (p *Provider) startContainer(ctx context.Context, engine *dockerd.Engine, node, dir, env string) error {
	image, err := ensureImage(ctx, engine, node, dir, p.logger)
	if err != nil {
		return err
	}
	sweepOrphans(engine.Pool, p.logger)
	repo, tag, _ := strings.Cut(image, ":")
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	p.launched = time.Now()
	res, err := engine.Pool.RunWithOptions(&dockertest.RunOptions{
		Name:       "dsra-oidc-provider-" + hex.EncodeToString(suffix),
		Repository: repo,
		Tag:        tag,
		Env:        []string{env},
		Labels:     map[string]string{ContainerLabel: "oidc-provider", OwnerLabel: owner()},
	}, func(hc *dc.HostConfig) {
		// Host networking only: the program binds 127.0.0.1, no bridge exists.
		hc.NetworkMode = "host"
		hc.PublishAllPorts = false
		hc.RestartPolicy = dc.RestartPolicy{Name: "no"}
	})
	if err != nil {
		return fmt.Errorf("oidcprovider: running image %s on %s: %w", image, engine.Endpoint, err)
	}
	p.server = &container{pool: engine.Pool, res: res, logger: p.logger}
	p.mode = "docker (image " + image + ")"
	p.logger.Debug("oidc-provider container started", "id", res.Container.ID[:12], "name", res.Container.Name)
	return nil
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

// stop removes the container (and its volumes) whatever its state.
func (c *container) stop() error {
	if err := c.pool.Purge(c.res); err != nil {
		return fmt.Errorf("oidcprovider: removing container %s: %w", c.res.Container.ID[:12], err)
	}
	return nil
}
