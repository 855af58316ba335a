package hydra

import (
	"bytes"
	"context"
	"debug/buildinfo"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/textcut"
)

const (
	// Module is Hydra's Go module.
	Module = "github.com/ory/hydra/v2"
	// Version is the pinned Hydra version; tools/go.mod pins the same.
	Version = "v2.3.0"
)

// CachedBinary is where build.sh puts the binary:
// ${HYDRA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dsra-oauth2-server/hydra-v2.3.0}/hydra.
func CachedBinary() (string, error) {
	dir := getenv("HYDRA_CACHE_DIR")
	if dir == "" {
		cache, err := os.UserCacheDir() // $XDG_CACHE_HOME, else $HOME/.cache
		if err != nil {
			return "", fmt.Errorf("hydra: no cache directory: %w", err)
		}
		dir = filepath.Join(cache, "dsra-oauth2-server", "hydra-"+Version)
	}
	return filepath.Join(dir, "hydra"), nil
}

// builtVersion returns the version of [Module] that bin was built from, or "".
func builtVersion(bin string) string {
	info, err := buildinfo.ReadFile(bin)
	if err != nil || info.Main.Path != Module {
		return ""
	}
	return info.Main.Version
}

// EnsureBinary returns the path of a Hydra binary built from the pinned
// version: the cached one, or one that build.sh builds now (about two
// minutes on two cores the first time; ctx can stop it).
func EnsureBinary(ctx context.Context, logger *slog.Logger) (string, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	bin, err := CachedBinary()
	if err != nil {
		return "", err
	}
	if builtVersion(bin) == Version {
		return bin, nil
	}
	script, err := buildScript()
	if err != nil {
		return "", err
	}
	logger.Info("building Hydra from its Go module (about 2 min the first time)", "script", script, "version", Version)
	started := time.Now()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "bash", script)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("hydra: %s: %w\n%s", script, err, textcut.LastLines(stderr.String(), 30))
	}
	built := strings.TrimSpace(stdout.String())
	if v := builtVersion(built); v != Version {
		return "", fmt.Errorf("hydra: %s printed %q, which is not a %s %s binary (got %q)", script, built, Module, Version, v)
	}
	logger.Info("Hydra built", "binary", built, "took", time.Since(started).Round(time.Second))
	return built, nil
}

// buildScript finds build.sh: beside this source file, or under the
// working directory or one of its parents (for binaries built with -trimpath).
func buildScript() (string, error) {
	const rel = "internal/hydra/build.sh"
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		p := filepath.Join(filepath.Dir(file), "build.sh")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, rel)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("hydra: no Hydra binary is cached and " + rel +
				" is not found from the working directory; run it from the repository, or set Options.Binary")
		}
		dir = parent
	}
}
