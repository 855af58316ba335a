package report

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/outcome"
)

// Run is one conformance run as the reports describe it.
type Run struct {
	// Target names the provider: "mock", "hydra" or a target file's name.
	Target string
	// Mode says how the provider ran, e.g. "embedded mock provider" or
	// "docker (image oryd/hydra:v2.3.0)".
	Mode string
	// Command is the command line that started the run; shown when set.
	Command string
	// Started is when the run began.
	Started time.Time
	// Wall is the run's wall-clock time.
	Wall time.Duration
	// Results are the scenarios' outcomes in catalog order. Every report
	// keeps this order, and groups areas in the order they first appear.
	Results []outcome.Result
	// Shard is set when the run is one shard of a larger run
	// (conformance run --shard K/N); [Merge] joins the shards' reports.
	Shard *Shard
}

// Shard says which part of a sharded run a report is.
type Shard struct {
	// Index is K and Count is N of --shard K/N.
	Index int `json:"index"`
	Count int `json:"count"`
	// Plan identifies the split (the selection, N and the durations it
	// was balanced by): only shards of one plan merge.
	Plan string `json:"plan"`
	// Selected is the size of the whole selection, all shards together.
	Selected int `json:"selected"`
}

// areaGroup is the results of one area, the part of an ID before "/".
type areaGroup struct {
	name    string
	results []outcome.Result
}

// area returns the part of id before the first "/", or "other".
func area(id string) string {
	if a, _, ok := strings.Cut(id, "/"); ok && a != "" {
		return a
	}
	return "other"
}

// groupByArea splits results by area, areas in order of first appearance.
func groupByArea(results []outcome.Result) []areaGroup {
	var groups []areaGroup
	index := map[string]int{}
	for _, r := range results {
		a := area(r.ID)
		i, ok := index[a]
		if !ok {
			i = len(groups)
			index[a] = i
			groups = append(groups, areaGroup{name: a})
		}
		groups[i].results = append(groups[i].results, r)
	}
	return groups
}

// tag is the upper-case verdict shown in progress lines and summaries.
// A result without a verdict (a runner bug) shows as "????".
func tag(v outcome.Verdict) string {
	if v == "" {
		return "????"
	}
	return strings.ToUpper(string(v))
}

// known reports whether v is one of the six verdicts.
func known(v outcome.Verdict) bool {
	switch v {
	case outcome.Pass, outcome.Fail, outcome.Warn, outcome.Skip, outcome.XFail, outcome.XPass:
		return true
	}
	return false
}

// hasExpected reports whether a result is an xfail or an xpass, which
// only a run with a list of known deviations has.
func hasExpected(results []outcome.Result) bool {
	for _, r := range results {
		if r.Verdict == outcome.XFail || r.Verdict == outcome.XPass {
			return true
		}
	}
	return false
}

// totalDuration sums the scenarios' own durations.
func totalDuration(results []outcome.Result) time.Duration {
	var d time.Duration
	for _, r := range results {
		d += r.Duration
	}
	return d
}

// millis rounds d to whole milliseconds.
func millis(d time.Duration) int64 {
	return d.Round(time.Millisecond).Milliseconds()
}

// seconds formats d as "11.2s".
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.1fs", d.Seconds())
}

// oneLine folds s onto one line: runs of white space become one space and
// other control characters (terminal escapes, NUL) and invalid UTF-8 go.
func oneLine(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToValidUTF8(s, "") {
		switch {
		case unicode.IsSpace(r):
			space = true
		case unicode.IsControl(r) || r == utf8.RuneError:
			// dropped
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
	}
	return b.String()
}

// shorten cuts s to at most n runes, ending a cut string with "...".
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)
	return strings.TrimRight(string(runes[:n-3]), " ") + "..."
}

// reasonOrNote is what explains a result in one place: its reason, else
// its first note; for an xfail, the listed reason and what was seen.
func reasonOrNote(r outcome.Result) string {
	if r.Verdict == outcome.XFail {
		return "expected: " + r.Expected + "; got: " + r.Reason
	}
	if r.Reason != "" {
		return r.Reason
	}
	if len(r.Notes) > 0 {
		return r.Notes[0]
	}
	return ""
}

// cleanText removes what XML 1.0 cannot carry, and what has no business
// in an HTML page either: invalid UTF-8 and the characters outside XML's
// Char production (NUL, ESC and the other C0 controls except tab, newline
// and carriage return; U+FFFE and U+FFFF).
func cleanText(s string) string {
	return strings.Map(func(r rune) rune {
		if isXMLChar(r) {
			return r
		}
		return -1
	}, strings.ToValidUTF8(s, ""))
}

func isXMLChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		(r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) ||
		(r >= 0x10000 && r <= 0x10FFFF)
}
