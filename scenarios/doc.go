// Package scenarios is the OAuth 2.0 conformance suite: a catalog of
// checks of the rules that break real logins (RFC 6749, 6750, 7636, 8252,
// 8414, 9700), each with a stable ID, a level and the RFC section it
// checks, run against a provider described by a [target.Target].
//
//	results := scenarios.Runner{Target: t, Browser: b}.Run(ctx)
//
// Browser scenarios drive Debian's Chromium through package browser;
// protocol probes use net/http. `go test ./scenarios` runs the whole
// catalog against the embedded mock; cmd/conformance runs it anywhere.
package scenarios
