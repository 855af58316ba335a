package hydra

import (
	"bytes"
	"context"
	"debug/elf"
	_ "embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockerd"
)

const (
	// LocalImage is the image built here from the binary and image/Dockerfile.
	LocalImage = "dsra-oauth2/hydra:" + Version
	// OfficialImage is Ory's image of the same version, used when the engine
	// has it (a pipeline that can pull), or when named by HYDRA_IMAGE.
	OfficialImage = "oryd/hydra:" + Version
)

//go:embed image/Dockerfile
var dockerfile []byte

// The files the scratch image needs besides the binary (x86-64 Debian paths).
const (
	loaderPath = "/lib64/ld-linux-x86-64.so.2"
	libcPath   = "/lib/x86_64-linux-gnu/libc.so.6"
)

// chooseImage picks the image to run, as documented on [Options.Image].
func chooseImage(engine *dockerd.Engine, opts Options) string {
	if opts.Image != "" {
		return opts.Image
	}
	if env := getenv("HYDRA_IMAGE"); env != "" {
		return env
	}
	if _, err := engine.Pool.Client.InspectImage(OfficialImage); err == nil {
		return OfficialImage
	}
	return LocalImage
}

// ensureImage returns the image to run, building [LocalImage] when it is
// the one and the engine lacks it.
func (h *Instance) ensureImage(ctx context.Context, engine *dockerd.Engine, opts Options) (string, error) {
	image := chooseImage(engine, opts)
	if image != LocalImage {
		return image, nil // RunWithOptions pulls it if missing
	}
	if _, err := engine.Pool.Client.InspectImage(image); err == nil {
		return image, nil
	}
	bin := opts.Binary
	if bin == "" {
		var err error
		if bin, err = EnsureBinary(ctx, h.logger); err != nil {
			return "", err
		}
	}
	started := time.Now()
	if err := buildImage(ctx, engine, bin, image); err != nil {
		return "", err
	}
	h.logger.Info("built Hydra image", "image", image, "binary", bin, "took", time.Since(started).Round(time.Millisecond))
	return image, nil
}

// buildImage builds image from bin with Docker's classic builder.
func buildImage(ctx context.Context, engine *dockerd.Engine, bin, image string) error {
	if err := checkScratchable(bin); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "dsra-hydra-image-")
	if err != nil {
		return fmt.Errorf("hydra: %w", err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), dockerfile, 0o644); err != nil {
		return fmt.Errorf("hydra: %w", err)
	}
	for src, name := range map[string]string{bin: "hydra", libcPath: "libc.so.6", loaderPath: "ld-linux-x86-64.so.2"} {
		if err := dockerd.CopyIntoContext(src, filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("hydra: assembling the image: %w", err)
		}
	}
	tmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return fmt.Errorf("hydra: %w", err)
	}
	if err := os.Chmod(tmp, 0o1777); err != nil {
		return fmt.Errorf("hydra: %w", err)
	}
	if err := dockerd.BuildImage(ctx, engine, image, dir); err != nil {
		return fmt.Errorf("hydra: %w", err)
	}
	return nil
}

// checkScratchable makes sure bin runs in the scratch image: an x86-64
// binary that needs only libc and the usual loader.
func checkScratchable(bin string) error {
	if runtime.GOARCH != "amd64" {
		return fmt.Errorf("hydra: the local image is x86-64 only, not %s; use process mode or set HYDRA_IMAGE", runtime.GOARCH)
	}
	f, err := elf.Open(bin)
	if err != nil {
		return fmt.Errorf("hydra: %w", err)
	}
	defer f.Close()
	libs, err := f.ImportedLibraries()
	if err != nil {
		return fmt.Errorf("hydra: reading %s: %w", bin, err)
	}
	for _, lib := range libs {
		if lib != "libc.so.6" {
			return fmt.Errorf("hydra: %s needs %s, which the scratch image (image/Dockerfile) lacks", bin, lib)
		}
	}
	for _, p := range f.Progs {
		if p.Type != elf.PT_INTERP {
			continue
		}
		b, err := io.ReadAll(p.Open())
		if err != nil {
			return fmt.Errorf("hydra: reading %s: %w", bin, err)
		}
		if interp := string(bytes.TrimRight(b, "\x00")); interp != loaderPath {
			return fmt.Errorf("hydra: %s needs the loader %s, the scratch image has %s", bin, interp, loaderPath)
		}
	}
	return nil
}

// BuildImage builds [LocalImage] from bin on the engine (the classic
// builder; no registry is needed).
func BuildImage(ctx context.Context, engine *dockerd.Engine, bin string) error {
	return buildImage(ctx, engine, bin, LocalImage)
}
