package hydra

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"

	"github.com/ory/dockertest/v3"
	dc "github.com/ory/dockertest/v3/docker"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/childproc"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockerd"
)

// ContainerLabel marks the containers this package runs; its value is "hydra".
const ContainerLabel = "dsra-oauth2.target"

// serveArgs are the arguments of `hydra` in both modes: --dev allows the
// http:// issuer on 127.0.0.1, --sqa-opt-out keeps telemetry off.
var serveArgs = []string{"serve", "all", "--dev", "--sqa-opt-out"}

func startContainer(engine *dockerd.Engine, image string, env []string, logger *slog.Logger) (*dockerd.Container, error) {
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
	return dockerd.NewContainer(engine.Pool, res), nil
}

// splitImage splits "repo[:tag]" (the repository may hold a registry port).
func splitImage(image string) (repo, tag string) {
	i := strings.LastIndex(image, ":")
	if i < 0 || strings.Contains(image[i:], "/") {
		return image, "latest"
	}
	return image[:i], image[i+1:]
}

// startProcess runs Hydra as a child process.
func startProcess(bin string, env []string, logger *slog.Logger) (*childproc.Process, error) {
	cmd := exec.Command(bin, serveArgs...)
	// Only our configuration: a stray DSN or SERVE_* in the caller's
	// environment must not change the target.
	cmd.Env = append([]string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + os.TempDir(), "TMPDIR=" + os.TempDir()}, env...)
	cmd.Dir = os.TempDir()
	p, err := childproc.Start(cmd, logger)
	if err != nil {
		return nil, fmt.Errorf("hydra: starting %s: %w", bin, err)
	}
	logger.Debug("Hydra process started", "pid", p.PID(), "binary", bin)
	return p, nil
}
