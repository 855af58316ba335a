package conformancetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser/browsertest"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/launch"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/report"
)

// Run runs the catalog against target ("mock", "hydra", or a target
// file's path) with each scenario as a parallel subtest of t named by its
// ID. The target is started once and stopped when t's subtests are done;
// the browser is the test binary's shared one (browsertest.Main) unless
// [WithBrowser]. A problem with the target or the options fails t.
func Run(t *testing.T, target string, opts ...Option) {
	t.Helper()
	c := newConfig(opts)
	selected, err := scenarios.Select(c.only)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := c.open(t.Context(), target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tg.Close() })
	if c.browser == nil {
		c.browser = browsertest.Browser(t)
	}
	r := scenarios.Runner{Spec: tg.Spec, Browser: c.browser}
	var alone sync.RWMutex // held by a scenario that moves the clock
	slots := make(chan struct{}, c.parallel)
	for _, sc := range selected {
		t.Run(sc.ID, func(t *testing.T) {
			t.Parallel()
			if sc.Exclusive() {
				alone.Lock()
				defer alone.Unlock()
			} else {
				alone.RLock()
				defer alone.RUnlock()
				slots <- struct{}{}
				defer func() { <-slots }()
			}
			verdict(t, r.RunOne(t.Context(), sc))
		})
	}
}

func newConfig(opts []Option) *config {
	c := &config{parallel: 2}
	for _, o := range opts {
		o(c)
	}
	return c
}

// open starts the target and adds the known deviations; the caller
// closes the provider.
func (c *config) open(ctx context.Context, name string) (*launch.Provider, error) {
	tg, err := launch.Open(ctx, name, launch.Options{Mock: c.mock})
	if err != nil {
		return nil, err
	}
	tg.ExpectedFailures = append(tg.ExpectedFailures, c.expected...)
	if c.expectedFile != "" {
		list, err := providerspec.LoadExpectedFailures(c.expectedFile)
		if err != nil {
			tg.Close()
			return nil, err
		}
		tg.ExpectedFailures = append(tg.ExpectedFailures, list...)
	}
	if err := scenarios.CheckExpected(tg.ExpectedFailures); err != nil {
		tg.Close()
		return nil, err
	}
	return tg, nil
}

// verdict turns a result into the subtest's outcome, with the evidence
// in its log.
func verdict(t *testing.T, r scenarios.Result) {
	t.Helper()
	t.Log("\n" + report.Evidence(r))
	switch r.Verdict {
	case scenarios.Pass:
	case scenarios.Warn:
		t.Logf("WARN (SHOULD broken, not a failure): %s", r.Reason)
	case scenarios.Skip:
		t.Skipf("skipped: %s", r.Reason)
	case scenarios.XFail:
		t.Skipf("xfail: expected (%s); got: %s", r.Expected, r.Reason)
	case scenarios.XPass:
		t.Errorf("xpass: %s (listed: %s)", r.Reason, r.Expected)
	default:
		t.Errorf("%s (%s, %s): %s", r.Verdict, r.Level, r.RFC, r.Reason)
	}
}

// Verdicts runs the selected scenarios against target outside a test,
// in a browser of its own unless [WithBrowser], and returns their results
// in catalog order (the xfail and xpass verdicts applied).
func Verdicts(ctx context.Context, target string, opts ...Option) ([]scenarios.Result, error) {
	c := newConfig(opts)
	selected, err := scenarios.Select(c.only)
	if err != nil {
		return nil, err
	}
	tg, err := c.open(ctx, target)
	if err != nil {
		return nil, err
	}
	defer tg.Close()
	r := scenarios.Runner{Spec: tg.Spec, Browser: c.browser, Parallel: c.parallel}
	if r.Browser == nil {
		b, err := browser.Launch(ctx, browser.Options{LoopbackOnly: true, Prepared: c.parallel})
		if err != nil {
			return nil, fmt.Errorf("conformancetest: %w", err)
		}
		defer b.Close()
		r.Browser = b
	}
	r.Scenarios = selected
	return r.Run(ctx), nil
}
