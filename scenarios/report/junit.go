package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/outcome"
)

// WriteJUnit writes run as JUnit XML in the shape GitLab CI and GitHub test
// reporters (dorny/test-reporter, mikepenz/action-junit-report) read:
//
//	<testsuites name="conformance" tests failures errors skipped time timestamp>
//	  <testsuite name="redirect" ...>            one per area, in catalog order
//	    <properties> target, mode, command, started </properties>
//	    <testcase classname="conformance.redirect" name="redirect/exact-match" time="0.183">
//
// A fail has <failure message="reason" type="MUST|SHOULD"> whose text gives
// the description, notes, a short account of the HTTP exchanges and the
// pages seen. A skip has <skipped message="reason">. A warn is a passed test
// case with <system-out>WARN (SHOULD): reason</system-out>: JUnit and GitLab
// have no warning state, and a broken SHOULD does not fail the run. An
// xfail (a listed known deviation that failed) is skipped with the listed
// reason and what was seen; an xpass (a listed one that passed) is a
// <failure type="xpass">, as it fails the run. A result without a valid
// verdict (a runner bug) is an <error>.
//
// Characters XML cannot hold (NUL, most C0 controls, invalid UTF-8) are
// removed; the rest is escaped by encoding/xml.
func WriteJUnit(w io.Writer, run Run) error {
	doc := junitTestsuites{
		Name:      "conformance",
		Time:      junitSeconds(run.Wall),
		Timestamp: junitTimestamp(run.Started),
	}
	for _, g := range groupByArea(run.Results) {
		suite := newJUnitSuite(run, g)
		doc.Tests += suite.Tests
		doc.Failures += suite.Failures
		doc.Errors += suite.Errors
		doc.Skipped += suite.Skipped
		doc.Suites = append(doc.Suites, suite)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("report: junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

type junitTestsuites struct {
	XMLName   xml.Name         `xml:"testsuites"`
	Name      string           `xml:"name,attr"`
	Tests     int              `xml:"tests,attr"`
	Failures  int              `xml:"failures,attr"`
	Errors    int              `xml:"errors,attr"`
	Skipped   int              `xml:"skipped,attr"`
	Time      string           `xml:"time,attr"`
	Timestamp string           `xml:"timestamp,attr,omitempty"`
	Suites    []junitTestsuite `xml:"testsuite"`
}

type junitTestsuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitTestcase `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitTestcase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

// junitText is element text kept readable: CDATA keeps its line breaks
// (escaped character data would turn each into &#xA;), and encoding/xml
// splits any "]]>" inside it.
type junitText struct {
	Text string `xml:",cdata"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

func newJUnitSuite(run Run, g areaGroup) junitTestsuite {
	suite := junitTestsuite{
		Name:       cleanText(g.name),
		Tests:      len(g.results),
		Time:       junitSeconds(totalDuration(g.results)),
		Timestamp:  junitTimestamp(run.Started),
		Properties: junitProperties(run),
	}
	for _, r := range g.results {
		tc := newJUnitCase(g.name, r)
		switch {
		case tc.Failure != nil:
			suite.Failures++
		case tc.Error != nil:
			suite.Errors++
		case tc.Skipped != nil:
			suite.Skipped++
		}
		suite.Cases = append(suite.Cases, tc)
	}
	return suite
}

func junitProperties(run Run) []junitProperty {
	props := []junitProperty{
		{Name: "target", Value: cleanText(run.Target)},
		{Name: "mode", Value: cleanText(run.Mode)},
	}
	if run.Command != "" {
		props = append(props, junitProperty{Name: "command", Value: cleanText(run.Command)})
	}
	if !run.Started.IsZero() {
		props = append(props, junitProperty{Name: "started", Value: run.Started.Format(time.RFC3339)})
	}
	return props
}

func newJUnitCase(areaName string, r outcome.Result) junitTestcase {
	tc := junitTestcase{
		Classname: cleanText("conformance." + areaName),
		Name:      cleanText(r.ID),
		Time:      junitSeconds(r.Duration),
	}
	switch r.Verdict {
	case outcome.Pass:
	case outcome.Fail:
		tc.Failure = &junitProblem{Message: cleanText(r.Reason), Type: cleanText(string(r.Level)), Text: cleanText(failureText(r))}
	case outcome.Warn:
		out := fmt.Sprintf("WARN (%s): %s", r.Level, r.Reason)
		for _, n := range r.Notes {
			out += "\nnote: " + n
		}
		tc.SystemOut = &junitText{Text: cleanText(out)}
	case outcome.Skip:
		tc.Skipped = &junitSkipped{Message: cleanText(reasonOrNote(r))}
	case outcome.XFail:
		tc.Skipped = &junitSkipped{Message: cleanText("xfail: " + reasonOrNote(r))}
	case outcome.XPass:
		tc.Failure = &junitProblem{Message: cleanText(r.Reason + " (listed: " + r.Expected + ")"), Type: "xpass", Text: cleanText(failureText(r))}
	default:
		tc.Error = &junitProblem{
			Message: cleanText(fmt.Sprintf("no valid verdict (%q): %s", string(r.Verdict), r.Reason)),
			Type:    "verdict",
			Text:    cleanText(failureText(r)),
		}
	}
	return tc
}

// bodyExcerpt is how much of a response body a failure's text shows.
const bodyExcerpt = 300

// failureText is the text of a failure: what the rule is, why it broke,
// the notes, then a short account of the exchanges and pages.
func failureText(r outcome.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", r.Level, r.ID)
	if r.RFC != "" {
		fmt.Fprintf(&b, " (%s)", r.RFC)
	}
	if r.Description != "" {
		fmt.Fprintf(&b, ": %s", r.Description)
	}
	fmt.Fprintf(&b, "\nreason: %s\n", r.Reason)
	if len(r.Notes) > 0 {
		b.WriteString("notes:\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	if len(r.Evidence.Exchanges) > 0 {
		b.WriteString("exchanges:\n")
		for _, e := range r.Evidence.Exchanges {
			writeExchangeLine(&b, e)
		}
	}
	if len(r.Evidence.Pages) > 0 {
		b.WriteString("pages:\n")
		for _, p := range r.Evidence.Pages {
			fmt.Fprintf(&b, "- %s: %s\n", p.Step, p.URL)
		}
	}
	return b.String()
}

// writeExchangeLine writes "- step: METHOD URL -> 302 Found", then the
// Location of a redirect, the WWW-Authenticate of a challenge and the
// beginning of the response body.
func writeExchangeLine(b *strings.Builder, e outcome.Exchange) {
	fmt.Fprintf(b, "- %s: %s %s", e.Step, e.Request.Method, e.Request.URL)
	if e.Response != nil {
		fmt.Fprintf(b, " -> %s\n", statusLine(e.Response.Status))
		for _, name := range []string{"Location", "WWW-Authenticate"} {
			for _, v := range e.Response.Header.Values(name) {
				fmt.Fprintf(b, "    %s: %s\n", name, v)
			}
		}
		if body := oneLine(e.Response.Body); body != "" {
			fmt.Fprintf(b, "    body: %s\n", shorten(body, bodyExcerpt))
		}
	} else {
		b.WriteString("\n")
	}
	if e.Error != "" {
		fmt.Fprintf(b, "    error: %s\n", e.Error)
	}
}

// statusLine is "302 Found", or the bare code when Go knows no text for it.
func statusLine(code int) string {
	if text := http.StatusText(code); text != "" {
		return fmt.Sprintf("%d %s", code, text)
	}
	return fmt.Sprint(code)
}

func junitSeconds(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}

// junitTimestamp is ISO 8601 in UTC, or empty for a zero time.
func junitTimestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}
