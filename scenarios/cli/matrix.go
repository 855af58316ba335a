package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/launch"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/report"
)

func cmdMatrix(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conformance matrix", flag.ContinueOnError)
	fs.SetOutput(stderr)
	targets := fs.String("targets", "mock,hydra,oidc-provider", "comma-separated targets, one column each")
	out := fs.String("out", "", "write the Markdown table to this file (default stdout)")
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
	}
	// The output is opened first, so that a bad path fails before minutes
	// of runs rather than after.
	w, closeOut, err := openOutput(*out, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitUsage
	}
	defer closeOut()
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
		tg, err := launch.Open(ctx, spec, launch.Options{Logger: logger})
		if err != nil {
			fmt.Fprintf(stderr, "conformance: %v\n", err)
			return ExitUsage
		}
		started := time.Now()
		res := scenarios.Runner{Spec: tg.Spec, Browser: b, Parallel: 2}.Run(ctx)
		tg.Close()
		s := scenarios.Summarize(res, time.Since(started))
		fmt.Fprintf(stderr, "%s (%s): %d passed, %d failed, %d warned, %d skipped in %.1fs\n",
			spec, tg.Mode, s.Pass, s.Fail, s.Warn, s.Skip, s.Duration.Seconds())
		columns = append(columns, spec)
		runs = append(runs, res)
	}
	if err := report.Matrix(w, columns, runs); err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitUsage
	}
	return ExitOK
}

// openOutput opens path for writing, making its folder; "" is stdout.
func openOutput(path string, stdout io.Writer) (io.Writer, func(), error) {
	if path == "" {
		return stdout, func() {}, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, nil, err
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}
