package launch

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// Provider is an opened provider: its description and what was started
// for it. Close stops what was started.
type Provider struct {
	*providerspec.Spec

	closeMu sync.Mutex
	closers []func() error
}

// OnClose registers a function Close calls, last registered first.
func (p *Provider) OnClose(f func() error) {
	p.closeMu.Lock()
	defer p.closeMu.Unlock()
	p.closers = append(p.closers, f)
}

// Close stops everything the provider's launch started. It is
// idempotent.
func (p *Provider) Close() error {
	p.closeMu.Lock()
	closers := p.closers
	p.closers = nil
	p.closeMu.Unlock()
	var errs []error
	for i := len(closers) - 1; i >= 0; i-- {
		errs = append(errs, closers[i]())
	}
	return errors.Join(errs...)
}

// Options configure [Open].
type Options struct {
	// Mock are extra options for the embedded mock (quirks, policies).
	Mock []mockprovider.Option
	// Hydra configures the hydra built-in target.
	Hydra HydraOptions
	// OIDCProvider configures the oidc-provider built-in target.
	OIDCProvider OIDCProviderOptions
	// Logger receives progress messages (silent when nil).
	Logger *slog.Logger
}

// Open starts or describes the provider named by name: "mock" (the
// embedded mock provider, the default), "hydra" (Ory Hydra in a
// container, or as a local process without a Docker engine),
// "oidc-provider" (panva's oidc-provider, likewise), or the path of a
// target file. The caller must Close the provider.
func Open(ctx context.Context, name string, o Options) (*Provider, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	switch name {
	case "", "mock":
		return OpenMock(o.Mock...)
	case "hydra":
		return openHydra(ctx, o)
	case "oidc-provider":
		return openOIDCProvider(ctx, o)
	}
	return openFile(ctx, name)
}

// openFile loads a target file, discovers missing endpoints and whether
// the provider is an OpenID Provider, and wires the clock_url.
func openFile(ctx context.Context, path string) (*Provider, error) {
	spec, err := providerspec.Load(path)
	if err != nil {
		return nil, err
	}
	spec.Mode = "target file " + path
	if err := discover(ctx, spec); err != nil {
		return nil, err
	}
	detectOpenID(ctx, spec)
	if spec.ClockURL != "" {
		spec.Clock = controlClock{url: spec.ClockURL, client: spec.HTTPClient()}
	}
	return &Provider{Spec: spec}, nil
}
