package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/report"
)

// maxBaselineReason bounds a reason copied from a failure message.
const maxBaselineReason = 300

// cmdBaseline writes the known deviations of a run, for a person to
// review and commit: conformance baseline --from report.json [--out F].
func cmdBaseline(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conformance baseline", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "the JSON report of a run (conformance run --json F)")
	out := fs.String("out", "", "write the expected-failures file here (default stdout)")
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
	}
	if *from == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: conformance baseline --from report.json [--out F]")
		return ExitUsage
	}
	run, err := report.ReadJSONFile(*from)
	if err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitUsage
	}
	list := baseline(run)
	header := fmt.Sprintf("Known deviations of %s (%s), from %s of %s.\n"+
		"Written by conformance baseline: review each reason, then commit this file and run with\n"+
		"--expected-failures FILE. A listed scenario that passes (xpass) fails the run.",
		run.Target, run.Mode, *from, run.Started.UTC().Format(time.RFC3339))
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
	if err := providerspec.WriteExpectedFailures(w, header, list); err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitUsage
	}
	fmt.Fprintf(stderr, "conformance: %d expected failure(s) from %d scenarios of %s: review the reasons before committing\n",
		len(list), len(run.Results), *from)
	return ExitOK
}

// baseline lists a run's failures and warnings with their messages as
// reasons; an xfail keeps the reason already reviewed, and an xpass is
// dropped (it passes now).
func baseline(run report.Run) []providerspec.ExpectedFailure {
	var list []providerspec.ExpectedFailure
	for _, r := range run.Results {
		var reason string
		switch r.Verdict {
		case scenarios.Fail, scenarios.Warn:
			reason = r.Reason
		case scenarios.XFail:
			reason = r.Expected
		default:
			continue
		}
		list = append(list, providerspec.ExpectedFailure{ID: r.ID, Reason: cutReason(reason)})
	}
	return list
}

// cutReason folds a failure message onto one line and cuts it to
// maxBaselineReason runes.
func cutReason(s string) string {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "")), " ")
	if s == "" {
		s = "(the run gave no reason)"
	}
	if utf8.RuneCountInString(s) <= maxBaselineReason {
		return s
	}
	return string([]rune(s)[:maxBaselineReason-3]) + "..."
}
