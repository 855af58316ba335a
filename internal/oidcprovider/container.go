package oidcprovider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/ory/dockertest/v3"
	dc "github.com/ory/dockertest/v3/docker"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockerd"
)

// ContainerLabel marks the containers of the conformance targets; its
// value here is "oidc-provider".
const ContainerLabel = "dsra-oauth2.target"

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
	p.server = dockerd.NewContainer(engine.Pool, res)
	p.mode = "docker (image " + image + ")"
	p.logger.Debug("oidc-provider container started", "id", res.Container.ID[:12], "name", res.Container.Name)
	return nil
}
