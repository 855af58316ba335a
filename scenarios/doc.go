// Package scenarios is the OAuth 2.0 conformance suite: a catalog of
// checks of the rules that break real logins (RFC 6749, 6750, 7636, 8252,
// 8414, 9700, 9207; OpenID Connect Core, Discovery and RP-Initiated
// Logout), each with a stable ID, a level and the section it checks, run
// against a provider described by a [providerspec.Spec].
//
//	p, err := launch.Open(ctx, "mock", launch.Options{})
//	results := scenarios.Runner{Spec: p.Spec, Browser: b}.Run(ctx)
//
// The files tell harness and catalog apart: t.go, runner.go, probe.go,
// flow.go and clientapp.go are the harness (the [T] a scenario runs with,
// the [Runner]'s scheduling, HTTP probes and browser flows), with
// openid.go, idtoken.go and openid_flow.go for OpenID Connect (discovery,
// JWKS, id_token checks that name the check that failed); catalog.go and
// catalog_<area>.go (redirect, scope, code, me, oidc) are the scenarios.
// Browser scenarios drive Debian's Chromium through package browser;
// protocol probes use net/http. Results are package outcome's types,
// formatted by package report. `go test ./scenarios` runs the whole
// catalog against the embedded mock; cmd/conformance runs it anywhere.
//
// The neighbouring packages: providerspec (the target-file description),
// launch (starting the mock and Hydra), quirkmatrix (the catalog against
// every quirk of the mock), cli (the conformance command).
package scenarios
