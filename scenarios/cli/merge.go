package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/report"
)

// cmdMerge joins the JSON reports of a sharded run into one and exits as
// the whole run would have: conformance merge a.json b.json ...
// [--junit F] [--json F] [--html DIR].
func cmdMerge(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conformance merge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := &runFlags{}
	fs.StringVar(&f.junit, "junit", "", "write the merged JUnit XML to this file")
	fs.StringVar(&f.jsonOut, "json", "", "write the merged JSON report to this file")
	fs.StringVar(&f.html, "html", "", "write the merged HTML report to this folder")
	fs.BoolVar(&f.noScreenshots, "no-screenshots", false, "do not keep screenshots in the merged JSON report")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, err)
		}
		return parseExit(err)
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, "usage: conformance merge a.json b.json ... [--junit F] [--json F] [--html DIR]")
		return ExitUsage
	}
	runs := make([]report.Run, len(files))
	for i, file := range files {
		if runs[i], err = report.ReadJSONFile(file); err != nil {
			fmt.Fprintf(stderr, "conformance: %v\n", err)
			return ExitUsage
		}
	}
	var catalog []string
	for _, s := range scenarios.Catalog() {
		catalog = append(catalog, s.ID)
	}
	merged, err := report.Merge(runs, catalog)
	if err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitUsage
	}
	merged.Command = "conformance merge " + strings.Join(args, " ")
	fmt.Fprintf(stdout, "conformance: %d reports merged, %d scenarios of %s\n\n", len(runs), len(merged.Results), merged.Target)
	if err := report.WriteSummary(stdout, merged); err != nil {
		fmt.Fprintln(stderr, err)
	}
	if err := writeReports(f, merged); err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitUsage
	}
	if scenarios.Summarize(merged.Results, merged.Wall).Failed() {
		return ExitMustFailed
	}
	return ExitOK
}

// parseInterspersed parses flags that may come before, between or after
// the positional arguments, which it returns.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}
