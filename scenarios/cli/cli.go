// Package cli is the conformance command: run the suite against a
// target, list the catalog, explain a redirect URI mismatch. The binary
// scenarios/cmd/conformance only calls [Main].
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/report"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/target"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/target/dockerd"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/target/hydra"
)

// Exit codes.
const (
	ExitOK          = 0   // no MUST-level scenario failed
	ExitMustFailed  = 1   // a MUST-level scenario failed (explain-redirect: exact rejects)
	ExitUsage       = 2   // usage or configuration error
	ExitInterrupted = 130 // Ctrl-C
)

const usage = `usage:
  conformance run [--target mock|hydra|FILE] [--only GLOB[,GLOB]] [--junit F] [--json F] [--html DIR]
                  [--parallel N] [--mock-quirks a,b] [--mock-redirect-policy P] [--hydra-mode auto|docker|process]
                  [--hydra-image IMAGE] [--timeout D] [--no-screenshots]
  conformance list [--json]
  conformance explain-redirect [--json] [--as POLICY|PROFILE] REGISTERED PRESENTED
  conformance quirks
  conformance matrix [--targets mock,hydra] [--out F]
  conformance quirk-matrix [--quirks a,b]
  conformance hydra-image
  conformance bench [--rounds N]
`

// Main runs the command with args (without the program name) and returns
// the exit code. ctx cancellation (Ctrl-C) stops a run cleanly.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return ExitUsage
	}
	switch args[0] {
	case "run":
		return cmdRun(ctx, args[1:], stdout, stderr)
	case "list":
		return cmdList(args[1:], stdout, stderr)
	case "explain-redirect":
		return cmdExplainRedirect(args[1:], stdout, stderr)
	case "quirks":
		return cmdQuirks(stdout)
	case "matrix":
		return cmdMatrix(ctx, args[1:], stdout, stderr)
	case "bench":
		return cmdBench(ctx, args[1:], stdout, stderr)
	case "hydra-image":
		return cmdHydraImage(ctx, stdout, stderr)
	case "quirk-matrix":
		return cmdQuirkMatrix(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return ExitOK
	}
	fmt.Fprintf(stderr, "conformance: unknown command %q\n%s", args[0], usage)
	return ExitUsage
}

type runFlags struct {
	target, only, junit, jsonOut, html string
	parallel                           int
	quirks, policy                     string
	hydraMode, hydraImage              string
	timeout                            time.Duration
	noScreenshots                      bool
}

func parseRunFlags(args []string, stderr io.Writer) (*runFlags, error) {
	f := &runFlags{}
	fs := flag.NewFlagSet("conformance run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.target, "target", "mock", "mock (embedded), hydra (Ory Hydra in a container or process) or a target file")
	fs.StringVar(&f.only, "only", "", "comma-separated glob(s) of scenario IDs, e.g. 'redirect/*'")
	fs.StringVar(&f.junit, "junit", "", "write JUnit XML to this file")
	fs.StringVar(&f.jsonOut, "json", "", "write the JSON report to this file")
	fs.StringVar(&f.html, "html", "", "write the HTML report (index.html and screenshots) to this folder")
	fs.IntVar(&f.parallel, "parallel", 2, "scenarios run at once")
	fs.StringVar(&f.quirks, "mock-quirks", "", "with --target mock: quirks to switch on (see `conformance quirks`)")
	fs.StringVar(&f.policy, "mock-redirect-policy", "", "with --target mock: redirect matching policy or provider profile, e.g. github (see explain-redirect)")
	fs.StringVar(&f.hydraMode, "hydra-mode", "auto", "with --target hydra: auto, docker or process")
	fs.StringVar(&f.hydraImage, "hydra-image", os.Getenv("HYDRA_IMAGE"), "with --target hydra: image to run (default: built locally from the pinned module)")
	fs.DurationVar(&f.timeout, "timeout", 0, "per-step timeout (default: the target's, 10s)")
	fs.BoolVar(&f.noScreenshots, "no-screenshots", false, "do not keep screenshots in the JSON report")
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
		return ExitUsage
	}
	selected, err := scenarios.Select(f.only)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return ExitUsage
	}
	mockOpts, err := f.mockOptions()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return ExitUsage
	}
	logger := newLogger(stderr)
	started := time.Now()
	tg, err := target.Open(ctx, f.target, target.Options{Mock: mockOpts, Logger: logger,
		Hydra: target.HydraOptions{Mode: f.hydraMode, Image: f.hydraImage}})
	if err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitUsage
	}
	defer tg.Close()
	if f.timeout > 0 {
		tg.Timeout = target.Duration(f.timeout)
	}
	b, err := launchBrowser(ctx, logger, f.parallel, stderr)
	if err != nil {
		return ExitUsage
	}
	defer b.Close()
	fmt.Fprintf(stdout, "conformance: %d scenarios against %s (%s)\n", len(selected), tg.Name, tg.Mode)
	results := scenarios.Runner{Target: tg, Browser: b, Scenarios: selected, Parallel: f.parallel,
		Progress: func(r scenarios.Result) { fmt.Fprintln(stdout, report.ProgressLine(r)) }}.Run(ctx)
	run := report.Run{Target: tg.Name, Mode: tg.Mode, Command: "conformance run " + strings.Join(args, " "),
		Started: started, Wall: time.Since(started), Results: results}
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
	if scenarios.Summarize(results, run.Wall).MustFailed {
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

func cmdList(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conformance list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	cat := scenarios.Catalog()
	if *asJSON {
		type entry struct {
			ID          string           `json:"id"`
			Level       scenarios.Level  `json:"level"`
			RFC         string           `json:"rfc"`
			Description string           `json:"description"`
			Needs       []scenarios.Need `json:"needs,omitempty"`
		}
		out := make([]entry, len(cat))
		for i, s := range cat {
			out[i] = entry{s.ID, s.Level, s.RFC, s.Description, s.Needs}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(out)
		return ExitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tLEVEL\tRFC\tDESCRIPTION")
	for _, s := range cat {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.ID, s.Level, s.RFC, s.Description)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "%d scenarios\n", len(cat))
	return ExitOK
}

func cmdExplain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conformance explain-redirect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() != 2 {
		fmt.Fprintln(stderr, "usage: conformance explain-redirect [--json] REGISTERED PRESENTED")
		return ExitUsage
	}
	a, err := mockprovider.AnalyzeRedirect(fs.Arg(0), fs.Arg(1))
	if err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitUsage
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(a)
	} else {
		writeAnalysis(stdout, a)
	}
	if a.Accepted(mockprovider.PolicyExact) {
		return ExitOK
	}
	return ExitMustFailed
}

func writeAnalysis(w io.Writer, a *mockprovider.RedirectAnalysis) {
	fmt.Fprintf(w, "registered: %s\npresented:  %s\n\n", a.Registered, a.Presented)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "COMPONENT\tREGISTERED\tPRESENTED\t")
	r, p := a.RegisteredParts, a.PresentedParts
	for _, c := range []struct{ name, r, p string }{
		{"scheme", r.Scheme, p.Scheme}, {"userinfo", r.Userinfo, p.Userinfo}, {"host", r.Host, p.Host},
		{"port", r.Port, p.Port}, {"path", r.Path, p.Path}, {"query", r.Query, p.Query}, {"fragment", r.Fragment, p.Fragment},
	} {
		mark := ""
		if c.r != c.p {
			mark = "<- differs"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.name, dash(c.r), dash(c.p), mark)
	}
	tw.Flush()
	if len(a.Differences) == 0 {
		fmt.Fprintln(w, "\nthe URIs are identical")
	} else {
		fmt.Fprintf(w, "\ndiffering: %s\n", a.Components())
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "POLICY\tVERDICT\tCONFORMANT\tWHAT IT DOES")
	for _, v := range a.Verdicts {
		verdict := "rejects"
		if v.Accepts {
			verdict = "accepts"
		}
		conf := "no"
		if v.Conformant {
			conf = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", v.Policy, verdict, conf, v.About)
	}
	tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func cmdQuirks(stdout io.Writer) int {
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "QUIRK\tRFC\tBREAKS\tCAUGHT BY")
	for _, q := range mockprovider.Quirks() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", q.Name, q.RFC, q.Breaks, strings.Join(scenarios.QuirkCatchers[q.Name], ", "))
	}
	tw.Flush()
	return ExitOK
}

func cmdMatrix(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conformance matrix", flag.ContinueOnError)
	fs.SetOutput(stderr)
	targets := fs.String("targets", "mock,hydra", "comma-separated targets, one column each")
	out := fs.String("out", "", "write the Markdown table to this file (default stdout)")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	logger := newLogger(stderr)
	b, err := launchBrowser(ctx, logger, 2, stderr)
	if err != nil {
		return ExitUsage
	}
	defer b.Close()
	var columns []string
	var runs [][]scenarios.Result
	for _, spec := range strings.Split(*targets, ",") {
		spec = strings.TrimSpace(spec)
		tg, err := target.Open(ctx, spec, target.Options{Logger: logger})
		if err != nil {
			fmt.Fprintf(stderr, "conformance: %v\n", err)
			return ExitUsage
		}
		started := time.Now()
		res := scenarios.Runner{Target: tg, Browser: b, Parallel: 2}.Run(ctx)
		tg.Close()
		s := scenarios.Summarize(res, time.Since(started))
		fmt.Fprintf(stderr, "%s (%s): %d passed, %d failed, %d warned, %d skipped in %.1fs\n",
			spec, tg.Mode, s.Pass, s.Fail, s.Warn, s.Skip, s.Duration.Seconds())
		columns = append(columns, spec)
		runs = append(runs, res)
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintf(stderr, "conformance: %v\n", err)
			return ExitUsage
		}
		defer f.Close()
		w = f
	}
	if err := report.Matrix(w, columns, runs); err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitUsage
	}
	return ExitOK
}

func cmdQuirkMatrix(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conformance quirk-matrix", flag.ContinueOnError)
	fs.SetOutput(stderr)
	only := fs.String("quirks", "", "comma-separated quirks (default: all)")
	parallel := fs.Int("parallel", 2, "scenarios run at once")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	var quirks []mockprovider.Quirk
	if *only != "" {
		qs, err := mockprovider.ParseQuirks(*only)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return ExitUsage
		}
		quirks = qs
	} else {
		for _, qi := range mockprovider.Quirks() {
			quirks = append(quirks, qi.Name)
		}
	}
	b, err := launchBrowser(ctx, newLogger(stderr), *parallel, stderr)
	if err != nil {
		return ExitUsage
	}
	defer b.Close()
	started := time.Now()
	m, err := scenarios.RunQuirkMatrix(ctx, b, quirks, nil, *parallel, func(q mockprovider.Quirk, res []scenarios.Result) {
		fmt.Fprintf(stderr, "%-34s caught by %d scenario(s)\n", q, len(caughtBy(res)))
	})
	if err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitInterrupted
	}
	m.WriteQuirkTable(stdout)
	problems := m.Problems()
	for _, p := range problems {
		fmt.Fprintln(stdout, "problem:", p)
	}
	fmt.Fprintf(stdout, "%d quirks, %d problems, %.1fs\n", len(quirks), len(problems), time.Since(started).Seconds())
	if len(problems) > 0 {
		return ExitMustFailed
	}
	return ExitOK
}

func caughtBy(res []scenarios.Result) []string {
	var out []string
	for _, r := range res {
		if r.Verdict == scenarios.Fail || r.Verdict == scenarios.Warn {
			out = append(out, r.ID)
		}
	}
	return out
}

func cmdHydraImage(ctx context.Context, stdout, stderr io.Writer) int {
	logger := newLogger(stderr)
	started := time.Now()
	bin, err := hydra.EnsureBinary(ctx, logger)
	if err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitUsage
	}
	fmt.Fprintf(stdout, "hydra %s binary: %s (%.1fs)\n", hydra.Version, bin, time.Since(started).Seconds())
	started = time.Now()
	engine, err := dockerd.Ensure(ctx, logger)
	if err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitUsage
	}
	defer engine.Close()
	fmt.Fprintf(stdout, "docker engine: %s (%.1fs)\n", engine.Endpoint, time.Since(started).Seconds())
	started = time.Now()
	if err := hydra.BuildImage(ctx, engine, bin); err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitUsage
	}
	fmt.Fprintf(stdout, "image %s built (%.1fs)\n", hydra.LocalImage, time.Since(started).Seconds())
	if engine.Private() {
		fmt.Fprintln(stdout, "the engine was a private dockerd, stopped now: every run builds the image again from the cached binary (about 2 s)")
	}
	return ExitOK
}

// cmdBench measures the catalog's wall time against the embedded mock in
// several configurations, in one run, and prints their ratios (the
// machines are noisy: compare within a run, not across runs).
func cmdBench(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conformance bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rounds := fs.Int("rounds", 1, "runs of each configuration")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
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
			tg, err := target.OpenMock()
			if err != nil {
				b.Close()
				fmt.Fprintf(stderr, "conformance: %v\n", err)
				return ExitUsage
			}
			started := time.Now()
			res := scenarios.Runner{Target: tg, Browser: b, Parallel: c.parallel}.Run(ctx)
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

// newLogger logs warnings and errors to stderr.
func newLogger(stderr io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// launchBrowser starts Chromium for a run of parallel scenarios at a
// time; a failure is reported on stderr.
func launchBrowser(ctx context.Context, logger *slog.Logger, parallel int, stderr io.Writer) (*browser.Browser, error) {
	b, err := browser.Launch(ctx, browser.Options{Logger: logger, Prepared: parallel, LoopbackOnly: true})
	if err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
	}
	return b, err
}
