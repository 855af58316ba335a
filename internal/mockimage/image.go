// Package mockimage builds the container image of the mock provider: the
// static mockprovider binary on scratch, listening on 0.0.0.0:9000 with
// GET /healthz for readiness, built with the engine's classic builder so
// that nothing is pulled. `make mock-image` calls [Build].
package mockimage

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockerd"
)

// Image is the name of the image [Build] makes.
const Image = "dsra-oauth2/mockprovider:latest"

// Port is the port the image listens on inside, on every interface.
const Port = 9000

// Package is the mockprovider command's import path.
const Package = "gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider/cmd/mockprovider"

//go:embed Dockerfile
var dockerfile []byte

// BuildBinary compiles the static mockprovider binary (CGO_ENABLED=0,
// trimmed paths) into dir and returns its path. It runs the go command
// found on PATH, in the module of the working directory.
func BuildBinary(ctx context.Context, dir string) (string, error) {
	out := filepath.Join(dir, "mockprovider")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, Package)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("mockimage: go build %s: %w\n%s", Package, err, msg)
	}
	return out, nil
}

// Build compiles the binary and builds [Image] on engine.
func Build(ctx context.Context, engine *dockerd.Engine) error {
	dir, err := os.MkdirTemp("", "dsra-mock-image-")
	if err != nil {
		return fmt.Errorf("mockimage: %w", err)
	}
	defer os.RemoveAll(dir)
	if _, err := BuildBinary(ctx, dir); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), dockerfile, 0o644); err != nil {
		return fmt.Errorf("mockimage: %w", err)
	}
	tmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return fmt.Errorf("mockimage: %w", err)
	}
	if err := os.Chmod(tmp, 0o1777); err != nil {
		return fmt.Errorf("mockimage: %w", err)
	}
	if err := dockerd.BuildImage(ctx, engine, Image, dir); err != nil {
		return fmt.Errorf("mockimage: %w", err)
	}
	return nil
}

// Size returns the size in bytes of the built image, as the engine
// reports it.
func Size(engine *dockerd.Engine) (int64, error) {
	img, err := engine.Pool.Client.InspectImage(Image)
	if err != nil {
		return 0, fmt.Errorf("mockimage: %w", err)
	}
	return img.Size, nil
}
