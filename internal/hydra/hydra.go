package hydra

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockerd"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/runmode"
)

// User is an account of the login app.
type User struct {
	Username string
	Password string
	Email    string
}

// DefaultUsers are the users of testdata/users.yaml, used when
// [Options.Users] is empty.
var DefaultUsers = []User{
	{Username: "alice", Password: "wonderland", Email: "alice@example.com"},
	{Username: "bob", Password: "builder", Email: "bob@example.com"},
}

// Options configure [Start]. The zero value runs the pinned Hydra in auto mode
// with [DefaultUsers].
type Options struct {
	// Mode is auto (the zero value), docker or process.
	Mode runmode.Mode
	// Image is the image to run in docker mode. Empty means HYDRA_IMAGE if
	// set, else [OfficialImage] if the engine has it, else [LocalImage],
	// which is built from the binary when missing. Any other image that the
	// engine lacks is pulled.
	Image string
	// Binary is the Hydra binary for process mode and for building
	// [LocalImage]. Empty means the one [EnsureBinary] returns.
	Binary string
	// Engine is a Docker engine to use in docker mode; the instance leaves
	// it running. Nil means [dockerd.Ensure], and Close stops the engine
	// if it was started for the instance.
	Engine *dockerd.Engine
	// Users can sign in at the login app; nil means [DefaultUsers].
	Users []User
	// Logger receives progress; nil discards it.
	Logger *slog.Logger
}

// readyTimeout bounds the wait for Hydra to answer /health/ready when the
// context has no deadline.
const readyTimeout = 60 * time.Second

// Instance is a running Hydra and its login/consent app.
type Instance struct {
	// PublicURL is Hydra's public base URL and its issuer, e.g. "http://127.0.0.1:41234".
	PublicURL string
	// AdminURL is Hydra's admin API base URL.
	AdminURL string
	// AuthorizeURL is the authorization endpoint (RFC 6749 §3.1).
	AuthorizeURL string
	// TokenURL is the token endpoint (RFC 6749 §3.2).
	TokenURL string
	// LoginURL is the login app's base URL (its /login and /consent pages).
	LoginURL string
	// MeURL is the protected resource standing in for the seed's
	// /oauth/api/me (RFC 6750), served by the login app.
	MeURL string

	mode   string
	logger *slog.Logger
	admin  *adminClient
	login  *http.Server
	server server          // the Hydra container or process
	engine *dockerd.Engine // closed by Close when set (started for us)

	closeOnce sync.Once
	closeErr  error
}

// server is a running Hydra, in a container or a process.
// It is a [*dockerd.Container] or a [*childproc.Process].
type server interface {
	// Exited reports whether Hydra has stopped, and why.
	Exited() (bool, string)
	// LogTail returns the last n lines of Hydra's log.
	LogTail(n int) string
	Stop() error
}

// logTailLines is how many lines of Hydra's log an error shows.
const logTailLines = 30

// Mode describes how Hydra runs: "docker (image X)" or "process".
func (h *Instance) Mode() string { return h.mode }

// Start runs Hydra and the login app and returns once Hydra answers
// /health/ready. On failure everything started so far is stopped.
func Start(ctx context.Context, opts Options) (_ *Instance, err error) {
	opts, err = opts.withDefaults()
	if err != nil {
		return nil, err
	}
	h := &Instance{logger: opts.Logger}
	defer func() {
		if err != nil {
			if cerr := h.Close(); cerr != nil {
				err = errors.Join(err, cerr)
			}
		}
	}()
	ports, err := freePorts(2)
	if err != nil {
		return nil, err
	}
	h.PublicURL = "http://127.0.0.1:" + strconv.Itoa(ports[0])
	h.AdminURL = "http://127.0.0.1:" + strconv.Itoa(ports[1])
	h.AuthorizeURL = h.PublicURL + "/oauth2/auth"
	h.TokenURL = h.PublicURL + "/oauth2/token"
	h.admin = newAdminClient(h.AdminURL)
	if err := h.startLoginApp(opts.Users); err != nil {
		return nil, err
	}
	engine, err := h.engineFor(ctx, opts)
	if err != nil {
		return nil, err
	}
	started, err := h.startServer(ctx, engine, h.config(ports), opts)
	if err != nil {
		return nil, err
	}
	if err := h.waitReady(ctx); err != nil {
		return nil, err
	}
	h.logger.Info("Hydra ready", "mode", h.mode, "issuer", h.PublicURL, "admin", h.AdminURL,
		"login", h.LoginURL, "took", time.Since(started).Round(time.Millisecond))
	return h, nil
}

// withDefaults fills the options' defaults and checks the mode.
func (o Options) withDefaults() (Options, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Users == nil {
		o.Users = DefaultUsers
	}
	mode, err := runmode.Parse(string(o.Mode))
	if err != nil {
		return o, fmt.Errorf("hydra: %w", err)
	}
	o.Mode = mode
	return o, nil
}

// engineFor returns the Docker engine to run Hydra in, or nil to run it
// as a process: none in process mode, an error in docker mode without
// one, a warning and a process in auto mode without one. A private
// engine it starts is stopped by Close.
func (h *Instance) engineFor(ctx context.Context, opts Options) (*dockerd.Engine, error) {
	if opts.Mode == runmode.Process {
		return nil, nil
	}
	if opts.Engine != nil {
		return opts.Engine, nil
	}
	engine, err := dockerd.Ensure(ctx, opts.Logger)
	switch {
	case err == nil && engine.Private():
		h.engine = engine
	case err != nil && opts.Mode == runmode.Docker:
		return nil, fmt.Errorf("hydra: docker mode: %w", err)
	case err != nil:
		opts.Logger.Warn("no Docker engine; running Hydra as a process", "reason", err)
		return nil, nil
	}
	return engine, nil
}

// startServer starts Hydra in a container on engine, or as a process
// when engine is nil, and returns when the server was started (after
// any image or binary build).
func (h *Instance) startServer(ctx context.Context, engine *dockerd.Engine, env []string, opts Options) (time.Time, error) {
	if engine != nil {
		image, err := h.ensureImage(ctx, engine, opts)
		if err != nil {
			return time.Time{}, err
		}
		h.mode = "docker (image " + image + ")"
		started := time.Now()
		c, err := startContainer(engine, image, env, h.logger)
		if err != nil {
			return started, err // no typed nil in h.server for Close to stop
		}
		h.server = c
		return started, nil
	}
	bin := opts.Binary
	if bin == "" {
		var err error
		if bin, err = EnsureBinary(ctx, h.logger); err != nil {
			return time.Time{}, err
		}
	}
	h.mode = "process"
	started := time.Now()
	p, err := startProcess(bin, env, h.logger)
	if err != nil {
		return started, err
	}
	h.server = p
	return started, nil
}

// config is Hydra's configuration, as environment variables.
func (h *Instance) config(ports []int) []string {
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	return []string{
		"DSN=memory",
		"SERVE_PUBLIC_HOST=127.0.0.1",
		"SERVE_PUBLIC_PORT=" + strconv.Itoa(ports[0]),
		"SERVE_ADMIN_HOST=127.0.0.1",
		"SERVE_ADMIN_PORT=" + strconv.Itoa(ports[1]),
		"URLS_SELF_ISSUER=" + h.PublicURL,
		"URLS_LOGIN=" + h.LoginURL + "/login",
		"URLS_CONSENT=" + h.LoginURL + "/consent",
		"URLS_LOGOUT=" + h.LoginURL + "/logout",
		"SECRETS_SYSTEM=" + hex.EncodeToString(secret),
		"OAUTH2_EXPOSE_INTERNAL_ERRORS=true",
	}
}

// waitReady polls Hydra's admin and public /health/ready until both answer
// 200, Hydra stops, ctx ends or [readyTimeout] passes.
func (h *Instance) waitReady(ctx context.Context) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, readyTimeout)
		defer cancel()
	}
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		if ready(ctx, h.AdminURL) && ready(ctx, h.PublicURL) {
			return nil
		}
		if gone, why := h.server.Exited(); gone {
			return fmt.Errorf("hydra: %s stopped before it was ready (%s); its log ends:\n%s", h.mode, why, h.server.LogTail(logTailLines))
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("hydra: %s not ready at %s/health/ready: %w; its log ends:\n%s", h.mode, h.AdminURL, ctx.Err(), h.server.LogTail(logTailLines))
		case <-tick.C:
		}
	}
}

func ready(ctx context.Context, base string) bool {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/health/ready", nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// Close stops Hydra, the login app and a Docker engine started for the
// instance. It is idempotent and safe after a failed [Start].
func (h *Instance) Close() error {
	h.closeOnce.Do(func() {
		var errs []error
		if h.server != nil {
			if err := h.server.Stop(); err != nil {
				errs = append(errs, fmt.Errorf("hydra: %w", err))
			}
		}
		if h.login != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if err := h.login.Shutdown(ctx); err != nil {
				errs = append(errs, fmt.Errorf("hydra: stopping the login app: %w", err))
			}
			cancel()
		}
		if h.engine != nil {
			if err := h.engine.Close(); err != nil {
				errs = append(errs, err)
			}
		}
		h.closeErr = errors.Join(errs...)
	})
	return h.closeErr
}

// freePorts returns n ports free on 127.0.0.1 at the time of the call.
func freePorts(n int) ([]int, error) {
	var ports []int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("hydra: finding a free port: %w", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// getenv is os.Getenv, replaceable in tests.
var getenv = os.Getenv
