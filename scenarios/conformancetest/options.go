package conformancetest

import (
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// Option configures [Run] and [Verdicts].
type Option func(*config)

type config struct {
	only         string
	parallel     int
	mock         []mockprovider.Option
	expected     []providerspec.ExpectedFailure
	expectedFile string
	browser      *browser.Browser
}

// Only selects scenarios by comma-separated glob patterns of IDs, as
// conformance run --only does ("redirect/*,me/seed-json"); the default
// is the whole catalog. -run selects among them too.
func Only(patterns string) Option { return func(c *config) { c.only = patterns } }

// WithParallel runs up to n scenarios at once (default 2); go test's
// -parallel bounds it as well. Scenarios that move the provider's clock
// always run alone.
func WithParallel(n int) Option { return func(c *config) { c.parallel = max(n, 1) } }

// WithMockQuirks switches the embedded mock ("mock") into quirks, to see
// which scenarios catch them.
func WithMockQuirks(q ...mockprovider.Quirk) Option {
	return WithMockOptions(mockprovider.WithQuirks(q...))
}

// WithMockOptions passes options to the embedded mock ("mock").
func WithMockOptions(opts ...mockprovider.Option) Option {
	return func(c *config) { c.mock = append(c.mock, opts...) }
}

// WithExpectedFailures lists known deviations: a listed scenario that
// fails is skipped as xfail with the reason; one that passes fails the
// test (xpass), so that the list stays honest.
func WithExpectedFailures(list ...providerspec.ExpectedFailure) Option {
	return func(c *config) { c.expected = append(c.expected, list...) }
}

// WithExpectedFailuresFile reads known deviations from a file whose top
// level is expected_failures (what conformance baseline writes).
func WithExpectedFailuresFile(path string) Option { return func(c *config) { c.expectedFile = path } }

// WithBrowser runs the browser scenarios in b instead of the test
// binary's shared browser (package browsertest).
func WithBrowser(b *browser.Browser) Option { return func(c *config) { c.browser = b } }
