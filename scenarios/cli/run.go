package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/launch"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/report"
)

type runFlags struct {
	target, only, junit, jsonOut, html string
	parallel                           int
	quirks, policy                     string
	hydraMode, hydraImage              string
	oidcProviderMode                   string
	timeout                            time.Duration
	noScreenshots                      bool
	expected, shard, durations         string
	browser                            string
}

func parseRunFlags(args []string, stderr io.Writer) (*runFlags, error) {
	f := &runFlags{}
	fs := flag.NewFlagSet("conformance run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.target, "target", "mock", "mock (embedded), hydra (Ory Hydra), oidc-provider (panva's oidc-provider), each in a container or process, or a target file")
	fs.StringVar(&f.only, "only", "", "comma-separated glob(s) of scenario IDs, e.g. 'redirect/*'")
	fs.StringVar(&f.junit, "junit", "", "write JUnit XML to this file")
	fs.StringVar(&f.jsonOut, "json", "", "write the JSON report to this file")
	fs.StringVar(&f.html, "html", "", "write the HTML report (index.html and screenshots) to this folder")
	fs.IntVar(&f.parallel, "parallel", 2, "scenarios run at once")
	fs.StringVar(&f.quirks, "mock-quirks", "", "with --target mock: comma-separated quirks to switch on (list them with: conformance quirks)")
	fs.StringVar(&f.policy, "mock-redirect-policy", "", "with --target mock: redirect matching policy or provider profile, e.g. github (see explain-redirect)")
	fs.StringVar(&f.hydraMode, "hydra-mode", "auto", "with --target hydra: auto, docker or process")
	fs.StringVar(&f.hydraImage, "hydra-image", os.Getenv("HYDRA_IMAGE"), "with --target hydra: image to run (default: built locally from the pinned module)")
	fs.StringVar(&f.oidcProviderMode, "oidc-provider-mode", "auto", "with --target oidc-provider: auto, docker or process")
	fs.DurationVar(&f.timeout, "timeout", 0, "per-step timeout (default: the target's, 10s)")
	fs.BoolVar(&f.noScreenshots, "no-screenshots", false, "do not keep screenshots in the JSON report")
	fs.StringVar(&f.expected, "expected-failures", "", "a file of known deviations (expected_failures: [{id, reason}]): xfail, or xpass when they pass")
	fs.StringVar(&f.shard, "shard", "", "run the K-th of N shards of the selection, e.g. 2/3 (merge the reports with conformance merge)")
	fs.StringVar(&f.durations, "durations", "", "with --shard: balance the shards by the durations of this earlier JSON report")
	fs.StringVar(&f.browser, "browser", "", "connect to a running Chromium's DevTools endpoint (ws://HOST:PORT/devtools/browser/ID or http://HOST:PORT) instead of launching one")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("conformance run: unexpected argument %q", fs.Arg(0))
	}
	if f.parallel < 1 || f.parallel > 16 {
		return nil, fmt.Errorf("conformance run: --parallel must be 1 to 16")
	}
	if (f.quirks != "" || f.policy != "") && f.target != "mock" {
		return nil, fmt.Errorf("conformance run: --mock-quirks and --mock-redirect-policy need --target mock")
	}
	return f, nil
}

// mockOptions turns the --mock-* flags into provider options.
func (f *runFlags) mockOptions() ([]mockprovider.Option, error) {
	var opts []mockprovider.Option
	qs, err := mockprovider.ParseQuirks(f.quirks)
	if err != nil {
		return nil, err
	}
	if len(qs) > 0 {
		opts = append(opts, mockprovider.WithQuirks(qs...))
	}
	if f.policy != "" {
		p, err := mockprovider.ParseRedirectPolicy(f.policy)
		if err != nil {
			return nil, err
		}
		opts = append(opts, mockprovider.WithRedirectPolicy(p))
	}
	return opts, nil
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, err := parseRunFlags(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, err)
		}
		return parseExit(err)
	}
	selected, err := scenarios.Select(f.only)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return ExitUsage
	}
	selected, shard, err := shardSelection(selected, f.shard, f.durations)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return ExitUsage
	}
	logger := newLogger(stderr)
	started := time.Now()
	tg, b, err := f.open(ctx, logger)
	if err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitUsage
	}
	defer tg.Close()
	defer b.Close()
	if shard != nil {
		fmt.Fprintf(stdout, "conformance: shard %d/%d (plan %s): %d of %d scenarios\n", shard.Index, shard.Count, shard.Plan, len(selected), shard.Selected)
	}
	fmt.Fprintf(stdout, "conformance: %d scenarios against %s (%s)\n", len(selected), tg.Name, tg.Mode)
	results := scenarios.Runner{Spec: tg.Spec, Browser: b, Scenarios: selected, Parallel: f.parallel,
		Progress: func(r scenarios.Result) { fmt.Fprintln(stdout, report.ProgressLine(r)) }}.Run(ctx)
	run := report.Run{Target: tg.Name, Mode: tg.Mode, Command: "conformance run " + strings.Join(args, " "),
		Started: started, Wall: time.Since(started), Results: results, Shard: shard}
	return finishRun(ctx, f, run, stdout, stderr)
}

// open starts the target, adds the known deviations of
// --expected-failures, and launches or connects to the browser.
func (f *runFlags) open(ctx context.Context, logger *slog.Logger) (*launch.Provider, *browser.Browser, error) {
	mockOpts, err := f.mockOptions()
	if err != nil {
		return nil, nil, err
	}
	tg, err := launch.Open(ctx, f.target, launch.Options{Mock: mockOpts, Logger: logger,
		Hydra:        launch.HydraOptions{Mode: f.hydraMode, Image: f.hydraImage},
		OIDCProvider: launch.OIDCProviderOptions{Mode: f.oidcProviderMode}})
	if err != nil {
		return nil, nil, err
	}
	if f.policy != "" {
		// The report says which provider's redirect matching the mock ran in.
		tg.Mode += ", redirect matching " + f.policy
	}
	if f.timeout > 0 {
		tg.Timeout = providerspec.Duration(f.timeout)
	}
	err = addExpected(tg.Spec, f.expected)
	var b *browser.Browser
	if err == nil {
		b, err = openBrowser(ctx, logger, f.parallel, f.browser, tg.Spec)
	}
	if err != nil {
		tg.Close()
		return nil, nil, err
	}
	return tg, b, nil
}

// finishRun prints the summary, writes the reports and returns the
// exit code.
func finishRun(ctx context.Context, f *runFlags, run report.Run, stdout, stderr io.Writer) int {
	fmt.Fprintln(stdout)
	if err := report.WriteSummary(stdout, run); err != nil {
		fmt.Fprintln(stderr, err)
	}
	if err := writeReports(f, run); err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitUsage
	}
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "conformance: interrupted")
		return ExitInterrupted
	}
	if scenarios.Summarize(run.Results, run.Wall).Failed() {
		return ExitMustFailed
	}
	return ExitOK
}

func writeReports(f *runFlags, run report.Run) error {
	write := func(path string, fn func(io.Writer) error) error {
		if path == "" {
			return nil
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		out, err := os.Create(path)
		if err != nil {
			return err
		}
		if err := fn(out); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	}
	if err := write(f.junit, func(w io.Writer) error { return report.WriteJUnit(w, run) }); err != nil {
		return err
	}
	if err := write(f.jsonOut, func(w io.Writer) error {
		return report.WriteJSONWith(w, run, report.JSONOptions{OmitScreenshots: f.noScreenshots})
	}); err != nil {
		return err
	}
	if f.html != "" {
		return report.WriteHTML(f.html, run)
	}
	return nil
}
