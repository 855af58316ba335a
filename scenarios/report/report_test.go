package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/outcome"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/report"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./scenarios/report -update to create it")
	assert.Equal(t, string(want), string(got), "%s differs; if intended, run go test ./scenarios/report -update", path)
}

func TestGolden(t *testing.T) {
	testGolden(t, "", fakeRun())
}

// TestGoldenExpected is the reports of a run with known deviations
// listed: xfail and xpass in every format.
func TestGoldenExpected(t *testing.T) {
	testGolden(t, "expected-", expectedRun())
}

func testGolden(t *testing.T, prefix string, run report.Run) {
	tests := []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"progress.golden", func(b *bytes.Buffer) error {
			for _, r := range run.Results {
				b.WriteString(report.ProgressLine(r) + "\n")
			}
			return nil
		}},
		{"summary.golden", func(b *bytes.Buffer) error { return report.WriteSummary(b, run) }},
		{"junit.golden", func(b *bytes.Buffer) error { return report.WriteJUnit(b, run) }},
		{"json.golden", func(b *bytes.Buffer) error { return report.WriteJSON(b, run) }},
		{"json-noshots.golden", func(b *bytes.Buffer) error {
			return report.WriteJSONWith(b, run, report.JSONOptions{OmitScreenshots: true})
		}},
		{"html.golden", func(b *bytes.Buffer) error {
			dir := t.TempDir()
			if err := report.WriteHTML(dir, run); err != nil {
				return err
			}
			page, err := os.ReadFile(filepath.Join(dir, "index.html"))
			b.Write(page)
			return err
		}},
		{"table.golden", func(b *bytes.Buffer) error { return report.WriteTable(b, run.Results) }},
		{"matrix.golden", func(b *bytes.Buffer) error {
			return report.Matrix(b, []string{"mock", "hydra"}, [][]outcome.Result{run.Results, hydraResults()})
		}},
	}
	for _, tt := range tests {
		if prefix != "" && (tt.name == "matrix.golden" || tt.name == "json-noshots.golden") {
			continue
		}
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, tt.write(&b))
			golden(t, prefix+tt.name, b.Bytes())

			// The same run gives the same bytes.
			var again bytes.Buffer
			require.NoError(t, tt.write(&again))
			assert.Equal(t, b.String(), again.String(), "output is not deterministic")
		})
	}
}

// hydraResults is a second run for the matrix: one scenario fewer, one
// more, other verdicts.
func hydraResults() []outcome.Result {
	results := fakeRun().Results
	out := []outcome.Result{
		{ID: "redirect/port-mismatch", Level: outcome.MUST, RFC: "RFC 8252 §7.3", Verdict: outcome.Pass},
	}
	for _, r := range results {
		switch r.ID {
		case "me/missing-token":
			continue
		case "redirect/userinfo-trick":
			r.Verdict, r.Reason = outcome.Pass, ""
		case "code/expiry":
			r.Reason = "needs a controllable clock | not | available"
		}
		out = append(out, r)
	}
	return out
}

// junitDoc mirrors the JUnit elements the CI reporters read.
type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Name     string   `xml:"name,attr"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Time     string   `xml:"time,attr"`
	Suites   []struct {
		Name       string `xml:"name,attr"`
		Tests      int    `xml:"tests,attr"`
		Failures   int    `xml:"failures,attr"`
		Skipped    int    `xml:"skipped,attr"`
		Time       string `xml:"time,attr"`
		Timestamp  string `xml:"timestamp,attr"`
		Properties []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"properties>property"`
		Cases []struct {
			Classname string `xml:"classname,attr"`
			Name      string `xml:"name,attr"`
			Time      string `xml:"time,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestJUnitParsesBack(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, report.WriteJUnit(&b, fakeRun()))
	var doc junitDoc
	require.NoError(t, xml.Unmarshal(b.Bytes(), &doc))

	assert.Equal(t, "conformance", doc.Name)
	assert.Equal(t, 6, doc.Tests)
	assert.Equal(t, 2, doc.Failures)
	assert.Equal(t, 0, doc.Errors)
	assert.Equal(t, 1, doc.Skipped)
	assert.Equal(t, "3.412", doc.Time)

	require.Len(t, doc.Suites, 3)
	var names []string
	for _, s := range doc.Suites {
		names = append(names, s.Name)
		assert.Len(t, s.Cases, s.Tests)
		assert.Equal(t, "2025-03-14T09:26:53Z", s.Timestamp)
		require.GreaterOrEqual(t, len(s.Properties), 2)
		assert.Equal(t, "target", s.Properties[0].Name)
		assert.Equal(t, "mock", s.Properties[0].Value)
		assert.Equal(t, "embedded mock provider", s.Properties[1].Value)
		for _, c := range s.Cases {
			assert.Equal(t, "conformance."+s.Name, c.Classname)
		}
	}
	assert.Equal(t, []string{"redirect", "code", "me"}, names, "areas in catalog order")

	redirect := doc.Suites[0]
	assert.Equal(t, []int{2, 1, 0}, []int{redirect.Tests, redirect.Failures, redirect.Skipped})
	assert.Equal(t, "1.388", redirect.Time, "sum of the cases' times")
	assert.Equal(t, "1.205", redirect.Cases[1].Time)

	fail := redirect.Cases[1].Failure
	require.NotNil(t, fail)
	assert.Equal(t, "MUST", fail.Type)
	assert.Equal(t, "provider redirected to <http://localhost:8000@evil.example/authorized?code=[redacted]&state=\"s1\"> "+
		"instead of showing an error page [31m'userinfo' trick accepted\nsecond line", fail.Message,
		"markup survives escaping; NUL, ESC and invalid UTF-8 are gone")
	assert.Contains(t, fail.Text, "differs in: userinfo & host")
	assert.Contains(t, fail.Text, "- authorize: GET http://127.0.0.1:8080/oauth/authorize?")
	assert.Contains(t, fail.Text, "-> 302 Found\n    Location: http://localhost:8000@evil.example/authorized")
	assert.Contains(t, fail.Text, "error: dial tcp: lookup evil.example: no such host")

	code := doc.Suites[1]
	assert.Equal(t, []int{2, 0, 1}, []int{code.Tests, code.Failures, code.Skipped})
	warn := code.Cases[0]
	assert.Nil(t, warn.Failure, "a warning is a passed test case")
	assert.Nil(t, warn.Skipped)
	assert.True(t, strings.HasPrefix(warn.SystemOut, "WARN (SHOULD): the access token from the first exchange"), warn.SystemOut)
	require.NotNil(t, code.Cases[1].Skipped)
	assert.Equal(t, "needs a controllable clock (the target has no capability clock)", code.Cases[1].Skipped.Message)
}

func TestJSONParsesBack(t *testing.T) {
	run := fakeRun()
	var b bytes.Buffer
	require.NoError(t, report.WriteJSON(&b, run))

	var doc struct {
		Target  string         `json:"target"`
		Mode    string         `json:"mode"`
		Started string         `json:"started"`
		WallMS  int64          `json:"wall_ms"`
		Summary map[string]any `json:"summary"`
		Results []struct {
			outcome.Result
			DurationMS int64 `json:"duration_ms"`
		} `json:"results"`
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	assert.Equal(t, "mock", doc.Target)
	assert.Equal(t, "embedded mock provider", doc.Mode)
	assert.Equal(t, "2025-03-14T09:26:53Z", doc.Started)
	assert.EqualValues(t, 3412, doc.WallMS)
	assert.Equal(t, map[string]any{
		"total": 6.0, "passed": 2.0, "failed": 2.0, "warned": 1.0, "skipped": 1.0,
		"xfailed": 0.0, "xpassed": 0.0, "must_failed": true,
	}, doc.Summary)
	require.Len(t, doc.Results, len(run.Results))
	for i, r := range doc.Results {
		want := run.Results[i]
		assert.Equal(t, want.ID, r.ID)
		assert.Equal(t, want.Verdict, r.Verdict)
		assert.Equal(t, want.Notes, r.Notes)
		assert.Equal(t, want.Evidence.Exchanges, r.Evidence.Exchanges, "exchanges survive whole")
		assert.Equal(t, want.Duration.Round(1e6).Milliseconds(), r.DurationMS)
	}
	assert.Equal(t, tinyPNG, doc.Results[0].Evidence.Pages[0].Screenshot, "screenshot round-trips through base64")
	assert.Equal(t, strings.ToValidUTF8(hostileReason, "\uFFFD"), doc.Results[1].Reason)
}

func TestJSONOmitScreenshots(t *testing.T) {
	run := fakeRun()
	var b bytes.Buffer
	require.NoError(t, report.WriteJSONWith(&b, run, report.JSONOptions{OmitScreenshots: true}))
	assert.NotContains(t, b.String(), `"screenshot":`)
	assert.Contains(t, b.String(), `"screenshot_type": "image/png"`)
	assert.Equal(t, tinyPNG, run.Results[0].Evidence.Pages[0].Screenshot, "the caller's run is left alone")
}

func TestHTML(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "html") // WriteHTML creates it
	require.NoError(t, report.WriteHTML(dir, fakeRun()))

	shot := filepath.Join(dir, "shots", "redirect-exact-match-1.png")
	data, err := os.ReadFile(shot)
	require.NoError(t, err)
	assert.Equal(t, tinyPNG, data)
	_, err = png.Decode(bytes.NewReader(data))
	require.NoError(t, err)
	entries, err := os.ReadDir(filepath.Join(dir, "shots"))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "only pages with a screenshot get a file")

	b, err := os.ReadFile(filepath.Join(dir, "index.html"))
	require.NoError(t, err)
	page := string(b)
	assert.True(t, strings.HasPrefix(page, "<!DOCTYPE html>"))
	assert.Contains(t, page, `<img src="shots/redirect-exact-match-1.png"`)
	assert.Contains(t, page, "<em>no screenshot</em>")
	assert.NotRegexp(t, `(?i)(src|href)="(https?:)?//`, page, "no external resources")
	assert.NotContains(t, page, "<script")
	assert.NotContains(t, page, "<http://localhost:8000@evil", "reason is escaped")
	assert.Contains(t, page, "&lt;http://localhost:8000@evil.example/authorized?code=[redacted]&amp;state=&#34;s1&#34;&gt;")
	assert.Contains(t, page, "&lt;a href=&#34;http://localhost:8000@evil.example/authorized&#34;&gt;Found&lt;/a&gt;", "body is escaped")
	assert.NotContains(t, page, "\x00")
	assert.Contains(t, page, "Cache-Control: no-store\nLocation: http://localhost:8000@evil.example/authorized", "headers sorted")

	assert.Contains(t, page, `<details id="s-redirect-userinfo-trick" class="fail" open>`)
	assert.Contains(t, page, `<details id="s-code-reuse-revokes-tokens" class="warn" open>`)
	assert.Contains(t, page, `<details id="s-redirect-exact-match" class="pass">`)
	assert.Contains(t, page, `<details id="s-code-expiry" class="skip">`)
	assert.Contains(t, page, `<a href="#s-redirect-exact-match">redirect/exact-match</a>`)
	assert.Equal(t, strings.Count(page, "<details"), strings.Count(page, "</details>"))
}

func TestProgressLine(t *testing.T) {
	long := strings.Repeat("abcdefghij ", 30)
	tests := []struct {
		name string
		r    outcome.Result
		want string
	}{
		{"pass has no reason", outcome.Result{ID: "redirect/exact-match", Level: outcome.MUST, Verdict: outcome.Pass, Reason: "ignored", Duration: 183_400_000},
			"PASS  MUST    redirect/exact-match                        183ms"},
		{"skip with reason", outcome.Result{ID: "code/expiry", Level: outcome.MUST, Verdict: outcome.Skip, Reason: "needs a controllable clock"},
			"SKIP  MUST    code/expiry                                   0ms  needs a controllable clock"},
		{"fail without reason shows the first note", outcome.Result{ID: "me/x", Level: outcome.SHOULD, Verdict: outcome.Warn, Notes: []string{"a note"}},
			"WARN  SHOULD  me/x                                          0ms  a note"},
		{"no verdict", outcome.Result{ID: "me/y", Level: outcome.MUST},
			"????  MUST    me/y                                          0ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, report.ProgressLine(tt.r))
		})
	}

	t.Run("long hostile reason is one short line", func(t *testing.T) {
		line := report.ProgressLine(outcome.Result{ID: "a/b", Level: outcome.MUST, Verdict: outcome.Fail, Reason: hostileReason + long})
		assert.NotContains(t, line, "\n")
		assert.False(t, strings.ContainsFunc(line, unicode.IsControl), "%q", line)
		assert.True(t, utf8.ValidString(line))
		_, reason, ok := strings.Cut(line, "ms  ")
		require.True(t, ok)
		assert.Equal(t, 100, utf8.RuneCountInString(reason))
		assert.True(t, strings.HasSuffix(reason, "..."))
	})
}

func TestSummaryClosingLines(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, report.WriteSummary(&b, fakeRun()))
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	require.GreaterOrEqual(t, len(lines), 2)
	assert.Equal(t, "conformance: 2 passed, 2 failed, 1 warned, 1 skipped in 3.4s against mock (embedded mock provider)", lines[len(lines)-2])
	assert.Equal(t, "3 passed, 2 failed, 1 skipped", lines[len(lines)-1], "warned counts as passed")
	assert.Regexp(t, regexp.MustCompile(`^\d+ passed, \d+ failed, \d+ skipped$`), lines[len(lines)-1])
}

func TestEmptyRun(t *testing.T) {
	run := report.Run{Target: "mock"}
	var b bytes.Buffer
	require.NoError(t, report.WriteSummary(&b, run))
	assert.True(t, strings.HasSuffix(b.String(), "against mock\n0 passed, 0 failed, 0 skipped\n"), b.String())

	b.Reset()
	require.NoError(t, report.WriteJUnit(&b, run))
	var doc junitDoc
	require.NoError(t, xml.Unmarshal(b.Bytes(), &doc))
	assert.Zero(t, doc.Tests)

	b.Reset()
	require.NoError(t, report.WriteJSON(&b, run))
	assert.Contains(t, b.String(), `"results": []`)

	require.NoError(t, report.WriteHTML(t.TempDir(), run))
	assert.NoError(t, report.Matrix(&b, nil, nil))
}

func TestMatrix(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, report.Matrix(&b, []string{"mock", "hydra"}, [][]outcome.Result{fakeRun().Results, hydraResults()}))
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	require.Len(t, lines, 2+7, "header, rule, the union of IDs")
	assert.Equal(t, "| Scenario | Level | RFC | mock | hydra | Notes |", lines[0])
	assert.True(t, strings.HasPrefix(lines[2], "| `redirect/exact-match` |"), "first run's order")
	assert.True(t, strings.HasPrefix(lines[8], "| `redirect/port-mismatch` | MUST | RFC 8252 §7.3 | - | pass |"), "IDs only later runs have come last")
	assert.Contains(t, lines[7], "| FAIL | - |", "a scenario missing from a run")
	assert.Contains(t, lines[5], `hydra: needs a controllable clock \| not \| available`, "pipes escaped")
	for _, l := range lines {
		assert.Equal(t, 7, strings.Count(l, "|")-strings.Count(l, `\|`), "every row has the columns: %s", l)
	}

	assert.Error(t, report.Matrix(&b, []string{"mock"}, nil))
}
