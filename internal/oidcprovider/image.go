package oidcprovider

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockerd"
)

// ImageRepository is the repository of the images built here; the tag is
// the version and a digest of what went in (see [ImageName]).
const ImageRepository = "dsra-oauth2/oidc-provider"

//go:embed image/Dockerfile
var dockerfile []byte

// ImageName is the image for node and the install directory dir:
// dsra-oauth2/oidc-provider:9.13.3-<digest of the lock, the program, the
// Dockerfile and the node binary's path, size and time>.
func ImageName(node, dir string) (string, error) {
	fi, err := os.Stat(node)
	if err != nil {
		return "", fmt.Errorf("oidcprovider: %w", err)
	}
	prog, err := os.ReadFile(filepath.Join(dir, ProgramName))
	if err != nil {
		return "", fmt.Errorf("oidcprovider: %w", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%d\n%d\n", lockHash(), node, fi.Size(), fi.ModTime().UnixNano())
	h.Write(prog)
	h.Write(dockerfile)
	return ImageRepository + ":" + Version + "-" + hex.EncodeToString(h.Sum(nil))[:12], nil
}

// ensureImage returns the image to run, building it when the engine lacks it.
func ensureImage(ctx context.Context, engine *dockerd.Engine, node, dir string, logger *slog.Logger) (string, error) {
	image, err := ImageName(node, dir)
	if err != nil {
		return "", err
	}
	if _, err := engine.Pool.Client.InspectImage(image); err == nil {
		return image, nil
	}
	started := time.Now()
	if err := BuildImage(ctx, engine, node, dir, image); err != nil {
		return "", err
	}
	logger.Info("built oidc-provider image", "image", image, "took", time.Since(started).Round(time.Millisecond))
	return image, nil
}

// BuildImage builds image on the engine from node, the libraries it links
// and the install directory dir (see image/Dockerfile), with Docker's
// classic builder: nothing is pulled.
func BuildImage(ctx context.Context, engine *dockerd.Engine, node, dir, image string) error {
	buildDir, err := os.MkdirTemp("", "dsra-oidc-provider-image-")
	if err != nil {
		return fmt.Errorf("oidcprovider: %w", err)
	}
	defer os.RemoveAll(buildDir)
	if err := assembleRootFS(filepath.Join(buildDir, "rootfs"), node, dir); err != nil {
		return fmt.Errorf("oidcprovider: assembling the image: %w", err)
	}
	if err := os.WriteFile(filepath.Join(buildDir, "Dockerfile"), dockerfile, 0o644); err != nil {
		return fmt.Errorf("oidcprovider: %w", err)
	}
	if err := dockerd.BuildImage(ctx, engine, image, buildDir); err != nil {
		return fmt.Errorf("oidcprovider: %w", err)
	}
	return nil
}

// assembleRootFS lays out the image's files under root: node at
// /usr/bin/node, its libraries and loader at their own paths, the program
// and node_modules under /app, and /tmp.
func assembleRootFS(root, node, dir string) error {
	libs, err := sharedLibraries(node)
	if err != nil {
		return err
	}
	files := map[string]string{filepath.Join(root, "usr/bin/node"): node}
	for _, lib := range libs {
		files[filepath.Join(root, lib)] = lib
	}
	for _, name := range []string{ProgramName, "package.json"} {
		files[filepath.Join(root, "app", name)] = filepath.Join(dir, name)
	}
	for dst, src := range files {
		if err := dockerd.CopyIntoContext(src, dst); err != nil {
			return err
		}
	}
	if err := copyTree(filepath.Join(dir, "node_modules"), filepath.Join(root, "app", "node_modules")); err != nil {
		return err
	}
	tmp := filepath.Join(root, "tmp")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return err
	}
	return os.Chmod(tmp, os.ModeSticky|0o777)
}

// copyTree copies the directory src to dst, keeping symbolic links as links.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case d.Type().IsRegular():
			return dockerd.CopyIntoContext(path, target)
		}
		return nil // sockets, devices: nothing npm installs
	})
}
