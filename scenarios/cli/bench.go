package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/launch"
)

// cmdBench measures the catalog's wall time against the embedded mock in
// several configurations, in one run, and prints their ratios (the
// machines are noisy: compare within a run, not across runs).
func cmdBench(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conformance bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rounds := fs.Int("rounds", 1, "runs of each configuration")
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
	}
	type config struct {
		name     string
		parallel int
		opts     browser.Options
	}
	configs := []config{
		{"parallel 1", 1, browser.Options{Prepared: 1}},
		{"parallel 2 (make conformance)", 2, browser.Options{Prepared: 2}},
		{"parallel 4", 4, browser.Options{Prepared: 4}},
	}
	const budget = 15 * time.Second
	walls := make([]time.Duration, len(configs))
	for i, c := range configs {
		c.opts.LoopbackOnly = true
		b, err := browser.Launch(ctx, c.opts)
		if err != nil {
			fmt.Fprintf(stderr, "conformance: %v\n", err)
			return ExitUsage
		}
		for range *rounds {
			tg, err := launch.OpenMock()
			if err != nil {
				b.Close()
				fmt.Fprintf(stderr, "conformance: %v\n", err)
				return ExitUsage
			}
			started := time.Now()
			res := scenarios.Runner{Spec: tg.Spec, Browser: b, Parallel: c.parallel}.Run(ctx)
			wall := time.Since(started)
			tg.Close()
			s := scenarios.Summarize(res, wall)
			if s.Fail > 0 || s.Warn > 0 || s.Skip > 0 {
				fmt.Fprintf(stderr, "conformance: %s: %d failed, %d warned, %d skipped: the bench needs a clean run\n", c.name, s.Fail, s.Warn, s.Skip)
				b.Close()
				return ExitMustFailed
			}
			walls[i] += wall
			fmt.Fprintf(stdout, "%-30s %d scenarios in %5.1fs\n", c.name, len(res), wall.Seconds())
		}
		b.Close()
		walls[i] /= time.Duration(*rounds)
	}
	fmt.Fprintln(stdout)
	base := walls[1]
	for i, c := range configs {
		fmt.Fprintf(stdout, "%-30s mean %5.1fs  ratio to parallel 2: %.2f  ratio to the 15 s budget: %.2f\n",
			c.name, walls[i].Seconds(), walls[i].Seconds()/base.Seconds(), walls[i].Seconds()/budget.Seconds())
	}
	return ExitOK
}
