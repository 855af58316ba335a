package cli

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/report"
)

// shardSelection narrows the selected scenarios to shard spec (--shard
// K/N, empty: all), balanced by the durations of the JSON report at
// durationsFile (--durations, empty: by count).
func shardSelection(selected []scenarios.Scenario, spec, durationsFile string) ([]scenarios.Scenario, *report.Shard, error) {
	if spec == "" {
		if durationsFile != "" {
			return nil, nil, fmt.Errorf("conformance run: --durations needs --shard")
		}
		return selected, nil, nil
	}
	s, err := scenarios.ParseShard(spec)
	if err != nil {
		return nil, nil, err
	}
	var durations map[string]time.Duration
	if durationsFile != "" {
		prev, err := report.ReadJSONFile(durationsFile)
		if err != nil {
			return nil, nil, fmt.Errorf("conformance run: --durations: %w", err)
		}
		durations = report.Durations(prev)
	}
	plan := scenarios.PlanShards(selected, s.Count, durations)
	return plan.Shards[s.Index-1], &report.Shard{Index: s.Index, Count: s.Count, Plan: plan.Digest, Selected: len(selected)}, nil
}

// addExpected adds the known deviations of an expected-failures file
// (--expected-failures) to the target's own and checks that every one
// names a scenario of the catalog, once.
func addExpected(tg *providerspec.Spec, file string) error {
	if file != "" {
		list, err := providerspec.LoadExpectedFailures(file)
		if err != nil {
			return err
		}
		for _, e := range list {
			for _, have := range tg.ExpectedFailures {
				if have.ID == e.ID {
					return fmt.Errorf("%s:%d: expected_failures: %s is already listed in %s:%d", e.File, e.Line, e.ID, have.File, have.Line)
				}
			}
		}
		tg.ExpectedFailures = append(tg.ExpectedFailures, list...)
	}
	return scenarios.CheckExpected(tg.ExpectedFailures)
}

// openBrowser launches Chromium for the run, trusting the keys the
// target's ca_file vouches for; or, with endpoint (--browser), connects to
// a running one. The remote browser keeps its own certificate trust.
func openBrowser(ctx context.Context, logger *slog.Logger, parallel int, endpoint string, tg *providerspec.Spec) (*browser.Browser, error) {
	o := browser.Options{Logger: logger, Prepared: parallel, LoopbackOnly: true}
	if endpoint != "" {
		if tg.RootCAs != nil {
			logger.Warn("conformance: ca_file is not given to a remote browser: it must trust the provider's CA itself")
		}
		return browser.Connect(ctx, endpoint, o)
	}
	if tg.RootCAs != nil {
		hashes, err := browser.SPKIHashes(ctx, tg.RootCAs, tg.Origins())
		if err != nil {
			return nil, fmt.Errorf("ca_file: %w", err)
		}
		o.TrustSPKI = hashes
	}
	return browser.Launch(ctx, o)
}
