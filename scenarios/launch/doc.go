// Package launch opens the provider a conformance run is pointed at, by
// name or by target file: "mock" starts the embedded mock provider,
// "hydra" starts Ory Hydra (package internal/hydra, in a container or as a
// process), "oidc-provider" starts panva's oidc-provider (package
// internal/oidcprovider, likewise), and any other name is a target file (package providerspec)
// whose missing endpoints are discovered (RFC 8414, then OpenID Connect
// Discovery). The result holds the [providerspec.Spec] and a Close.
//
//	p, err := launch.Open(ctx, "mock", launch.Options{})
//	defer p.Close()
package launch
