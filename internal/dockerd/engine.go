package dockerd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/ory/dockertest/v3"
)

// DefaultEndpoint is where a system-wide engine listens.
const DefaultEndpoint = "unix:///var/run/docker.sock"

// pingTimeout bounds the check of an engine that may or may not be there.
const pingTimeout = 2 * time.Second

// Engine is a Docker engine that answers: a shared one found through
// DOCKER_HOST or [DefaultEndpoint], or a private dockerd started by [Ensure].
type Engine struct {
	// Endpoint is the engine's address, e.g. "unix:///tmp/dsra-dockerd-123/docker.sock";
	// set DOCKER_HOST to it to point the docker CLI at the engine.
	Endpoint string
	// Pool talks to the engine.
	Pool *dockertest.Pool

	daemon    *daemon // nil for a shared engine
	closeOnce sync.Once
	closeErr  error
}

// Private reports whether the engine is a dockerd that [Ensure] started and
// [Engine.Close] stops.
func (e *Engine) Private() bool { return e.daemon != nil }

// Dir is the private engine's directory (socket, data and exec roots, log),
// or "" for a shared engine.
func (e *Engine) Dir() string {
	if e.daemon == nil {
		return ""
	}
	return e.daemon.dir
}

// PID is the private dockerd's process id, or 0 for a shared engine.
func (e *Engine) PID() int {
	if e.daemon == nil {
		return 0
	}
	return e.daemon.cmd.Process.Pid
}

// Close stops a private engine: SIGTERM, SIGKILL after a grace period, then
// it ends what the daemon left running, unmounts what it left mounted and
// removes its directory. For a shared engine it does nothing.
//
// Close is idempotent and safe to call from any goroutine, e.g. a signal
// handler's, while another call is under way: every call returns once the
// engine is gone, with the same error.
func (e *Engine) Close() error {
	e.closeOnce.Do(func() {
		if e.daemon != nil {
			e.closeErr = e.daemon.stop()
		}
	})
	return e.closeErr
}

// Ensure returns an engine that answers a ping. It tries, in order: the
// engine named by DOCKER_HOST, the one at [DefaultEndpoint], and a private
// dockerd it starts (root only). When none can be had the error wraps
// [ErrNoEngine]. ctx bounds the start only, not the engine's life.
func Ensure(ctx context.Context, logger *slog.Logger) (*Engine, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	candidates := []string{DefaultEndpoint}
	if host := os.Getenv("DOCKER_HOST"); host != "" {
		candidates = []string{host, DefaultEndpoint}
	}
	for _, endpoint := range candidates {
		pool, err := ping(ctx, endpoint)
		if err == nil {
			logger.Info("using running Docker engine", "endpoint", endpoint)
			return &Engine{Endpoint: endpoint, Pool: pool}, nil
		}
		logger.Debug("no Docker engine answers", "endpoint", endpoint, "err", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return startPrivate(ctx, logger)
}

// ping returns a pool for endpoint when an engine answers there.
func ping(ctx context.Context, endpoint string) (*dockertest.Pool, error) {
	pool, err := dockertest.NewPool(endpoint)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	if err := pool.Client.PingWithContext(ctx); err != nil {
		return nil, err
	}
	return pool, nil
}

// startPrivate starts a private dockerd and waits until it answers.
func startPrivate(ctx context.Context, logger *slog.Logger) (*Engine, error) {
	if os.Geteuid() != 0 {
		return nil, &NoEngineError{Reason: "none answers at DOCKER_HOST or " + DefaultEndpoint + ", and starting a private dockerd needs root"}
	}
	bin, err := lookDockerd()
	if err != nil {
		return nil, &NoEngineError{Reason: "none answers at DOCKER_HOST or " + DefaultEndpoint + ", and " + err.Error()}
	}
	sweepStale(logger)
	d, err := startDaemon(bin, logger)
	if err != nil {
		return nil, err
	}
	e := &Engine{Endpoint: d.endpoint(), daemon: d}
	started := time.Now()
	if e.Pool, err = d.waitReady(ctx); err != nil {
		if cerr := e.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("dockerd: cleaning up: %w", cerr))
		}
		return nil, err
	}
	logger.Info("private Docker engine up", "endpoint", e.Endpoint, "pid", e.PID(),
		"dir", d.dir, "took", time.Since(started).Round(time.Millisecond))
	return e, nil
}
