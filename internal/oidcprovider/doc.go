// Package oidcprovider runs panva's oidc-provider (npm, OpenID Certified;
// version [Version]) as a conformance target: a small Node program of ours
// (node/provider.mjs) configures it with static clients, a test user and
// the seed's /oauth/api/me resource, on a free 127.0.0.1 port.
//
//	p, err := oidcprovider.Start(ctx, oidcprovider.Options{}) // a container when a Docker engine can be had, else a process
//	defer p.Close()
//	conf := p.OAuth2Config(oidcprovider.RolePrimary) // p.Issuer, p.Endpoints, p.MeURL
//
// The package is installed with npm ci from the committed node/package-lock.json
// into a cache outside the work tree (see [InstallDir]), once per lock. In
// docker mode the image is built locally from scratch, the node binary, the
// libraries it links and the install (image/Dockerfile), with the classic
// builder, so nothing is pulled. The login and consent pages are the
// provider's own development interactions (see [LoginSelectors]), with the
// password checked by our program.
package oidcprovider
