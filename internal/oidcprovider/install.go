package oidcprovider

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/textcut"
)

// Version is the pinned oidc-provider version; node/package-lock.json pins
// the same, with every package it needs.
const Version = "9.13.3"

// program is the Node program and the npm files that pin its one dependency.
//
//go:embed node/provider.mjs node/package.json node/package-lock.json
var program embed.FS

// ProgramName is the file name of the Node program in the install directory.
const ProgramName = "provider.mjs"

// installedMarker names the file that records a finished npm ci.
const installedMarker = ".installed"

// installPoll is how often a waiting install retries the lock.
const installPoll = 100 * time.Millisecond

// lockHash is the hex SHA-256 of the embedded package-lock.json.
func lockHash() string {
	lock, _ := program.ReadFile("node/package-lock.json") // embedded: cannot fail
	sum := sha256.Sum256(lock)
	return hex.EncodeToString(sum[:])
}

// InstallDir is where [Install] puts the program and its node_modules:
// ${XDG_CACHE_HOME:-$HOME/.cache}/dsra-oauth2-server/oidc-provider-<first 16
// hex digits of the lock's SHA-256>, so a changed lock gets a fresh install.
func InstallDir() (string, error) {
	cache, err := os.UserCacheDir() // $XDG_CACHE_HOME, else $HOME/.cache
	if err != nil {
		return "", fmt.Errorf("oidcprovider: no cache directory: %w", err)
	}
	return filepath.Join(cache, "dsra-oauth2-server", "oidc-provider-"+lockHash()[:16]), nil
}

// Install makes sure the install directory holds the pinned oidc-provider
// (npm ci from the committed lock, the first time only: about 3 s with the
// registry reachable) and the current Node program, and returns the
// directory. One process installs at a time (an flock beside the
// directory); the others wait for it, or for ctx.
func Install(ctx context.Context, logger *slog.Logger) (string, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	dir, err := InstallDir()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("oidcprovider: %w", err)
	}
	unlock, err := lockFile(ctx, dir+".lock")
	if err != nil {
		return "", err
	}
	defer unlock()
	if !installed(dir) {
		if err := npmCI(ctx, dir, logger); err != nil {
			return "", err
		}
	}
	if err := writeIfChanged(filepath.Join(dir, ProgramName), "node/"+ProgramName); err != nil {
		return "", err
	}
	return dir, nil
}

// lockFile takes an exclusive flock on path, polling until ctx ends.
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("oidcprovider: %w", err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil // closing releases the lock
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("oidcprovider: locking %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("oidcprovider: waiting for another install (%s): %w", path, ctx.Err())
		case <-time.After(installPoll):
		}
	}
}

// installed reports whether dir holds a finished install of this lock
// with the pinned version.
func installed(dir string) bool {
	marker, err := os.ReadFile(filepath.Join(dir, installedMarker))
	if err != nil || string(marker) != lockHash() {
		return false
	}
	return installedVersion(dir) == Version
}

// installedVersion is the version in node_modules/oidc-provider/package.json, or "".
func installedVersion(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "node_modules", "oidc-provider", "package.json"))
	if err != nil {
		return ""
	}
	var pkg struct {
		Version string `json:"version"`
	}
	if json.Unmarshal(b, &pkg) != nil {
		return ""
	}
	return pkg.Version
}

// npmCI installs exactly what the lock pins into dir/node_modules.
func npmCI(ctx context.Context, dir string, logger *slog.Logger) error {
	for _, name := range []string{"package.json", "package-lock.json"} {
		if err := writeIfChanged(filepath.Join(dir, name), "node/"+name); err != nil {
			return err
		}
	}
	_ = os.Remove(filepath.Join(dir, installedMarker))
	npm, err := exec.LookPath("npm")
	if err != nil {
		return fmt.Errorf("oidcprovider: npm is needed once to install oidc-provider %s (apt-get install npm): %w", Version, err)
	}
	logger.Info("installing oidc-provider with npm ci", "version", Version, "dir", dir)
	started := time.Now()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--omit=dev")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("oidcprovider: npm ci in %s: %w\n%s", dir, err, textcut.LastLines(out.String(), 20))
	}
	if v := installedVersion(dir); v != Version {
		return fmt.Errorf("oidcprovider: npm ci in %s installed oidc-provider %q, want %s", dir, v, Version)
	}
	if err := os.WriteFile(filepath.Join(dir, installedMarker), []byte(lockHash()), 0o644); err != nil {
		return fmt.Errorf("oidcprovider: %w", err)
	}
	logger.Info("oidc-provider installed", "took", time.Since(started).Round(time.Millisecond))
	return nil
}

// writeIfChanged replaces path with the embedded file name unless it
// already holds the same bytes; the replacement is atomic (a rename), so a
// Node process starting meanwhile reads the old or the new file, whole.
func writeIfChanged(path, name string) error {
	want, err := program.ReadFile(name)
	if err != nil {
		return fmt.Errorf("oidcprovider: %w", err)
	}
	if have, err := os.ReadFile(path); err == nil && bytes.Equal(have, want) {
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return fmt.Errorf("oidcprovider: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(want); err != nil {
		tmp.Close()
		return fmt.Errorf("oidcprovider: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("oidcprovider: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("oidcprovider: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("oidcprovider: %w", err)
	}
	return nil
}
