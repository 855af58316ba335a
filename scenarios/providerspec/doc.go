// Package providerspec describes the OAuth 2.0 provider a conformance run
// is pointed at: its endpoints, clients, user, login selectors, scopes,
// capabilities and timeouts, as written in a YAML target file (see [Load]
// and testdata/targets/ for examples).
//
// It is a leaf: it reads and checks descriptions and starts nothing.
// Package launch starts the built-in providers (the mock, Hydra) and
// returns their Spec.
//
//	spec, err := providerspec.Load("ci/my-provider.yaml")
package providerspec
