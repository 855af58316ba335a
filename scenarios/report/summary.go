package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/outcome"
)

// WriteSummary writes the plain-text summary printed at the end of a run:
// a table of verdicts per area with totals; the failures and warnings with
// their reasons and notes; the skips with their reasons; the wall time; and
// two closing lines:
//
//	conformance: 52 passed, 0 failed, 1 warned, 2 skipped in 11.2s against mock (embedded mock provider)
//	53 passed, 0 failed, 2 skipped
//
// The last line has the plain "N passed, N failed, N skipped" form that CI
// log parsers look for. In it a warning counts as passed: a broken SHOULD
// does not fail the run (the exit code stays 0) and the JUnit report shows
// it as a passed test case, so the three reports agree. For the same
// reason an xfail counts as skipped and an xpass as failed. A run with
// xfails or xpasses lists them, and its table and first closing line
// count them.
func WriteSummary(w io.Writer, run Run) error {
	var b bytes.Buffer
	writeAreaTable(&b, run.Results)
	writeList(&b, "Failures", run.Results, outcome.Fail, true)
	writeList(&b, "Warnings", run.Results, outcome.Warn, true)
	writeList(&b, "Unexpected passes (listed as expected failures)", run.Results, outcome.XPass, true)
	writeList(&b, "Expected failures", run.Results, outcome.XFail, true)
	writeList(&b, "Skipped", run.Results, outcome.Skip, false)
	writeUnknown(&b, run.Results)

	s := outcome.Summarize(run.Results, run.Wall)
	fmt.Fprintf(&b, "\nwall time: %s (%d scenarios, %s of scenario time)\n",
		seconds(run.Wall), len(run.Results), seconds(totalDuration(run.Results)))
	expected := ""
	if s.XFail+s.XPass > 0 {
		expected = fmt.Sprintf(", %d xfailed, %d xpassed", s.XFail, s.XPass)
	}
	fmt.Fprintf(&b, "conformance: %d passed, %d failed, %d warned, %d skipped%s in %s against %s\n",
		s.Pass, s.Fail, s.Warn, s.Skip, expected, seconds(run.Wall), targetLabel(run))
	// Warned counts as passed here, xfail as skipped and xpass as failed:
	// see the doc comment.
	fmt.Fprintf(&b, "%d passed, %d failed, %d skipped\n", s.Pass+s.Warn, s.Fail+s.XPass, s.Skip+s.XFail)
	_, err := w.Write(b.Bytes())
	return err
}

// targetLabel is "mock (embedded mock provider)".
func targetLabel(run Run) string {
	name := oneLine(run.Target)
	if name == "" {
		name = "(unnamed target)"
	}
	if mode := oneLine(run.Mode); mode != "" {
		return name + " (" + mode + ")"
	}
	return name
}

// writeAreaTable writes the verdict counts per area, then the totals.
func writeAreaTable(b *bytes.Buffer, results []outcome.Result) {
	groups := groupByArea(results)
	width := len("TOTAL")
	for _, g := range groups {
		width = max(width, len(g.name))
	}
	expected := hasExpected(results)
	row := func(name string, s outcome.Summary, total int) {
		fmt.Fprintf(b, "%-*s  %4d  %4d  %4d  %4d", width, name, s.Pass, s.Fail, s.Warn, s.Skip)
		if expected {
			fmt.Fprintf(b, "  %5d  %5d", s.XFail, s.XPass)
		}
		fmt.Fprintf(b, "  %5d\n", total)
	}
	fmt.Fprintf(b, "%-*s  %4s  %4s  %4s  %4s", width, "AREA", "PASS", "FAIL", "WARN", "SKIP")
	if expected {
		fmt.Fprintf(b, "  %5s  %5s", "XFAIL", "XPASS")
	}
	fmt.Fprintf(b, "  %5s\n", "TOTAL")
	for _, g := range groups {
		row(g.name, outcome.Summarize(g.results, 0), len(g.results))
	}
	row("TOTAL", outcome.Summarize(results, 0), len(results))
}

// writeList writes the results with verdict v under a heading; detailed
// lists give the level, RFC, full reason and notes, short ones one line.
func writeList(b *bytes.Buffer, heading string, results []outcome.Result, v outcome.Verdict, detailed bool) {
	var list []outcome.Result
	for _, r := range results {
		if r.Verdict == v {
			list = append(list, r)
		}
	}
	if len(list) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s (%d):\n", heading, len(list))
	if !detailed {
		width := 0
		for _, r := range list {
			width = max(width, len(oneLine(r.ID)))
		}
		for _, r := range list {
			fmt.Fprintf(b, "  %-*s  %s\n", width, oneLine(r.ID), oneLine(reasonOrNote(r)))
		}
		return
	}
	for _, r := range list {
		fmt.Fprintf(b, "  %-5s %-6s  %s", tag(r.Verdict), r.Level, oneLine(r.ID))
		if r.RFC != "" {
			fmt.Fprintf(b, "  (%s)", oneLine(r.RFC))
		}
		b.WriteByte('\n')
		if r.Expected != "" {
			writeIndented(b, "listed: ", r.Expected)
		}
		writeIndented(b, "", r.Reason)
		for _, n := range r.Notes {
			writeIndented(b, "note: ", n)
		}
	}
}

// writeUnknown lists results whose verdict is none of the four, which only
// a runner bug produces; they are counted in no column of the table.
func writeUnknown(b *bytes.Buffer, results []outcome.Result) {
	var ids []string
	for _, r := range results {
		if !known(r.Verdict) {
			ids = append(ids, fmt.Sprintf("%s (%q)", oneLine(r.ID), string(r.Verdict)))
		}
	}
	if len(ids) > 0 {
		fmt.Fprintf(b, "\nWithout a valid verdict (%d): %s\n", len(ids), strings.Join(ids, ", "))
	}
}

// writeIndented writes text under a list entry, each of its lines folded
// and indented, the first one prefixed.
func writeIndented(b *bytes.Buffer, prefix, text string) {
	const indent = "        "
	first := true
	for line := range strings.SplitSeq(text, "\n") {
		line = oneLine(line)
		if line == "" {
			continue
		}
		if first {
			fmt.Fprintf(b, "%s%s%s\n", indent, prefix, line)
			first = false
			continue
		}
		fmt.Fprintf(b, "%s%s%s\n", indent, strings.Repeat(" ", len(prefix)), line)
	}
}
