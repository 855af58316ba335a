package oidcprovider

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/dockerd"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/runmode"
)

// DefaultNode is the Node.js binary used when [Options.Node] is empty and
// it exists; otherwise node is looked up in $PATH.
const DefaultNode = "/usr/bin/node"

// Options configure [Start]. The zero value runs the pinned provider in
// auto mode with [DefaultClients] and [DefaultUsers].
type Options struct {
	// Mode is auto (the zero value), docker or process.
	Mode runmode.Mode
	// Node is the Node.js binary, run directly (process mode) or copied
	// into the image (docker mode). Empty means [DefaultNode].
	Node string
	// Engine is a Docker engine to use in docker mode; the provider leaves
	// it running. Nil means [dockerd.Ensure], and Close stops the engine
	// if it was started for the provider.
	Engine *dockerd.Engine
	// Clients are registered statically; nil means [DefaultClients].
	Clients []Client
	// Users can sign in; nil means [DefaultUsers].
	Users []User
	// Logger receives progress; nil discards it.
	Logger *slog.Logger
}

// readyTimeout bounds the wait for the provider when ctx has no deadline.
const readyTimeout = 60 * time.Second

// Provider is a running oidc-provider. Its endpoints are read from its
// discovery document (OpenID Connect Discovery 1.0 §4) before [Start] returns.
type Provider struct {
	// Issuer is the issuer identifier and base URL, e.g. "http://127.0.0.1:41234".
	Issuer string
	// Endpoints are those of the discovery document.
	Endpoints Endpoints
	// MeURL is the seed's /oauth/api/me resource (RFC 6750), served by
	// our program: {"username"}, plus "email" with scope email.
	MeURL string
	// EmailURL is a resource that needs scope email (403
	// insufficient_scope without it, RFC 6750 §3.1).
	EmailURL string
	// Clients are the registered clients by role, secrets included.
	Clients map[string]Client
	// Started is how long the provider took from the start of its process
	// or container (after any image build) to answering its discovery document.
	Started time.Duration

	mode     string
	launched time.Time // when the process or container was started
	logger   *slog.Logger
	server   server          // the container or process
	engine   *dockerd.Engine // closed by Close when set (started for us)

	closeOnce sync.Once
	closeErr  error
}

// Endpoints are the provider's endpoints from its discovery document.
type Endpoints struct {
	Authorization string `json:"authorization_endpoint"` // RFC 6749 §3.1
	Token         string `json:"token_endpoint"`         // RFC 6749 §3.2
	Userinfo      string `json:"userinfo_endpoint"`      // OIDC Core §5.3
	JWKS          string `json:"jwks_uri"`               // RFC 7517
	Introspection string `json:"introspection_endpoint"` // RFC 7662
	Revocation    string `json:"revocation_endpoint"`    // RFC 7009
	EndSession    string `json:"end_session_endpoint"`   // RP-Initiated Logout 1.0
}

// server is a running provider, in a container or a process.
// It is a [*dockerd.Container] or a [*childproc.Process].
type server interface {
	// Exited reports whether it has stopped, and why.
	Exited() (bool, string)
	// LogTail returns the last n lines of its log.
	LogTail(n int) string
	Stop() error
}

// logTailLines is how many lines of the provider's log an error shows.
const logTailLines = 30

// Mode describes how the provider runs: "docker (image X)" or "process (node X)".
func (p *Provider) Mode() string { return p.mode }

// OAuth2Config is the x/oauth2 configuration of the client in role,
// or nil when there is no such client.
func (p *Provider) OAuth2Config(role string) *oauth2.Config {
	c, ok := p.Clients[role]
	if !ok {
		return nil
	}
	style := oauth2.AuthStyleInHeader
	if c.AuthMethod == "client_secret_post" {
		style = oauth2.AuthStyleInParams
	}
	return &oauth2.Config{
		ClientID:     c.ID,
		ClientSecret: c.Secret,
		RedirectURL:  c.RedirectURIs[0],
		Endpoint: oauth2.Endpoint{
			AuthURL: p.Endpoints.Authorization, TokenURL: p.Endpoints.Token, AuthStyle: style,
		},
	}
}

// Start installs the pinned provider if needed, runs it on a free
// 127.0.0.1 port and returns once it answers its discovery document. On
// failure everything started so far is stopped.
func Start(ctx context.Context, opts Options) (_ *Provider, err error) {
	opts, err = opts.withDefaults()
	if err != nil {
		return nil, err
	}
	p := &Provider{logger: opts.Logger, Clients: map[string]Client{}}
	defer func() {
		if err != nil {
			err = errors.Join(err, p.Close())
		}
	}()
	dir, err := Install(ctx, opts.Logger)
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	clients := withSecrets(opts.Clients)
	for _, c := range clients {
		p.Clients[c.Role] = c
	}
	env, err := newProgramConfig(port, clients, opts.Users).env()
	if err != nil {
		return nil, err
	}
	p.Issuer = "http://127.0.0.1:" + fmt.Sprint(port)
	p.MeURL, p.EmailURL = p.Issuer+"/oauth/api/me", p.Issuer+"/oauth/api/email"
	engine, err := p.engineFor(ctx, opts)
	if err != nil {
		return nil, err
	}
	if engine != nil {
		err = p.startContainer(ctx, engine, opts.Node, dir, env)
	} else {
		err = p.startProcess(opts.Node, dir, env)
	}
	if err != nil {
		return nil, err
	}
	if err := p.waitReady(ctx); err != nil {
		return nil, err
	}
	p.Started = time.Since(p.launched)
	p.logger.Info("oidc-provider ready", "mode", p.mode, "issuer", p.Issuer, "took", p.Started.Round(time.Millisecond))
	return p, nil
}

// withDefaults checks the options and fills the defaults.
func (o Options) withDefaults() (Options, error) {
	mode, err := runmode.Parse(string(o.Mode))
	if err != nil {
		return o, fmt.Errorf("oidcprovider: %w", err)
	}
	o.Mode = mode
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Clients == nil {
		o.Clients = DefaultClients()
	}
	if o.Users == nil {
		o.Users = DefaultUsers
	}
	if o.Node == "" {
		o.Node = DefaultNode
		if _, err := os.Stat(o.Node); err != nil {
			if o.Node, err = exec.LookPath("node"); err != nil {
				return o, fmt.Errorf("oidcprovider: Node.js is needed (apt-get install nodejs): %w", err)
			}
		}
	}
	return o, validateClients(o.Clients)
}

// engineFor returns the Docker engine to run on, or nil for process mode.
func (p *Provider) engineFor(ctx context.Context, opts Options) (*dockerd.Engine, error) {
	if opts.Mode == runmode.Process {
		return nil, nil
	}
	if opts.Engine != nil {
		return opts.Engine, nil
	}
	engine, err := dockerd.Ensure(ctx, p.logger)
	switch {
	case err == nil:
		if engine.Private() {
			p.engine = engine
		}
		return engine, nil
	case opts.Mode == runmode.Docker:
		return nil, fmt.Errorf("oidcprovider: docker mode: %w", err)
	default:
		p.logger.Warn("no Docker engine; running oidc-provider as a process", "reason", err)
		return nil, nil
	}
}

// Close stops the provider and a Docker engine started for it. It is
// idempotent, safe after a failed [Start] and from another goroutine
// (e.g. a signal handler's).
func (p *Provider) Close() error {
	p.closeOnce.Do(func() {
		var errs []error
		if p.server != nil {
			if err := p.server.Stop(); err != nil {
				errs = append(errs, fmt.Errorf("oidcprovider: %w", err))
			}
		}
		if p.engine != nil {
			errs = append(errs, p.engine.Close())
		}
		p.closeErr = errors.Join(errs...)
	})
	return p.closeErr
}

// freePort returns a port free on 127.0.0.1 at the time of the call.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("oidcprovider: finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
