package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/quirkmatrix"
)

func cmdQuirkMatrix(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conformance quirk-matrix", flag.ContinueOnError)
	fs.SetOutput(stderr)
	only := fs.String("quirks", "", "comma-separated quirks (default: all)")
	parallel := fs.Int("parallel", 2, "scenarios run at once")
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
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
	m, err := quirkmatrix.Run(ctx, b, quirks, nil, *parallel, func(q mockprovider.Quirk, res []scenarios.Result) {
		fmt.Fprintf(stderr, "%-34s caught by %d scenario(s)\n", q, len(caughtBy(res)))
	})
	if err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitInterrupted
	}
	m.WriteTable(stdout)
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
