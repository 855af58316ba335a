package mockimage

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/ory/dockertest/v3"
	dc "github.com/ory/dockertest/v3/docker"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockerd"
)

// ContainerLabel marks the containers [Run] starts.
const ContainerLabel = "dsra-oauth2.mockprovider"

// Container is a running mock provider container.
type Container struct {
	// URL is the provider's base URL, http://listen.
	URL string

	pool *dockertest.Pool
	res  *dockertest.Resource
}

// Run starts [Image] with host networking, listening on listen, which
// must be a loopback address: with host networking, the image's default
// 0.0.0.0 would bind every interface of the machine. args are more
// mockprovider flags. Run returns once GET /healthz answers.
func Run(ctx context.Context, engine *dockerd.Engine, listen string, args ...string) (*Container, error) {
	host, _, err := net.SplitHostPort(listen)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("mockimage: listen address %q is not a loopback address:port", listen)
	}
	suffix := make([]byte, 4)
	rand.Read(suffix)
	res, err := engine.Pool.RunWithOptions(&dockertest.RunOptions{
		Name:       "dsra-mockprovider-" + hex.EncodeToString(suffix),
		Repository: "dsra-oauth2/mockprovider",
		Tag:        "latest",
		Cmd:        args,
		Env:        []string{"MOCKPROVIDER_LISTEN=" + listen},
		Labels:     map[string]string{ContainerLabel: "mockprovider"},
	}, func(hc *dc.HostConfig) {
		hc.NetworkMode = "host"
		hc.PublishAllPorts = false
		hc.AutoRemove = false
		hc.RestartPolicy = dc.RestartPolicy{Name: "no"}
	})
	if err != nil {
		return nil, fmt.Errorf("mockimage: running %s on %s: %w", Image, engine.Endpoint, err)
	}
	c := &Container{URL: "http://" + listen, pool: engine.Pool, res: res}
	if err := c.waitHealthy(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// waitHealthy polls GET /healthz for up to 20 seconds.
func (c *Container) waitHealthy(ctx context.Context) error {
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL+"/healthz", nil)
		if err != nil {
			return err
		}
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("mockimage: %s did not answer GET /healthz within 20 s", c.URL)
}

// Health returns the engine's view of the image's HEALTHCHECK: "starting",
// "healthy" or "unhealthy" ("" when it cannot tell).
func (c *Container) Health() string {
	info, err := c.pool.Client.InspectContainer(c.res.Container.ID)
	if err != nil {
		return ""
	}
	return info.State.Health.Status
}

// Logs returns what the container wrote so far.
func (c *Container) Logs() string {
	var out bytes.Buffer
	c.pool.Client.Logs(dc.LogsOptions{Container: c.res.Container.ID, OutputStream: &out, ErrorStream: &out, Stdout: true, Stderr: true})
	return out.String()
}

// Close stops and removes the container.
func (c *Container) Close() error {
	if err := c.pool.Purge(c.res); err != nil {
		return fmt.Errorf("mockimage: removing container %s: %w", c.res.Container.Name, err)
	}
	return nil
}
