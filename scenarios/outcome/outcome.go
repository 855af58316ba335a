// Package outcome holds what a conformance run produces: a [Result] per
// scenario with its [Verdict], the [Evidence] it saw, and a [Summary].
// It is a leaf, so the reports (package report) format results without
// importing the runner, the browser or the launchers.
package outcome

import (
	"net/http"
	"time"
)

// Level is how strongly the RFC states a rule.
type Level string

// The levels: a broken MUST fails the run, a broken SHOULD warns.
const (
	MUST   Level = "MUST"
	SHOULD Level = "SHOULD"
)

// Verdict is a scenario's outcome.
type Verdict string

// The verdicts. XFail and XPass are those of a scenario listed as a
// known deviation: it failed (or warned) as expected, or it passed and the
// list is out of date.
const (
	Pass  Verdict = "pass"
	Fail  Verdict = "fail"
	Warn  Verdict = "warn"
	Skip  Verdict = "skip"
	XFail Verdict = "xfail"
	XPass Verdict = "xpass"
)

// Result is the outcome of one scenario with its evidence.
type Result struct {
	ID          string  `json:"id"`
	Level       Level   `json:"level"`
	RFC         string  `json:"rfc"`
	Description string  `json:"description"`
	Verdict     Verdict `json:"verdict"`
	Reason      string  `json:"reason,omitempty"`
	// Expected is why the scenario is listed as a known deviation, for
	// an xfail or xpass; Reason keeps what the scenario saw.
	Expected string        `json:"expected,omitempty"`
	Notes    []string      `json:"notes,omitempty"`
	Duration time.Duration `json:"duration_ns"`
	Evidence Evidence      `json:"evidence"`
}

// Evidence is what a scenario saw: its HTTP exchanges and the pages a
// person would have seen, secrets redacted.
type Evidence struct {
	Exchanges []Exchange `json:"exchanges,omitempty"`
	Pages     []Page     `json:"pages,omitempty"`
}

// Exchange is one HTTP request the scenario made and its response.
type Exchange struct {
	Step     string       `json:"step"`
	Request  HTTPMessage  `json:"request"`
	Response *HTTPMessage `json:"response,omitempty"`
	Error    string       `json:"error,omitempty"`
}

// HTTPMessage is a request or response as recorded.
type HTTPMessage struct {
	Method string      `json:"method,omitempty"`
	URL    string      `json:"url,omitempty"`
	Status int         `json:"status,omitempty"`
	Header http.Header `json:"header,omitempty"`
	Body   string      `json:"body,omitempty"`
}

// Page is one page the browser showed.
type Page struct {
	Step string `json:"step"`
	URL  string `json:"url"`
	// Screenshot is an image of the page (MIME type in ScreenshotType).
	Screenshot     []byte `json:"screenshot,omitempty"`
	ScreenshotType string `json:"screenshot_type,omitempty"`
}

// Summary counts verdicts.
type Summary struct {
	Pass, Fail, Warn, Skip int
	// XFail and XPass count the listed known deviations that failed as
	// expected, and those that passed.
	XFail, XPass int
	// MustFailed reports whether a MUST-level scenario failed.
	MustFailed bool
	Duration   time.Duration
}

// Failed reports whether the run fails (exit 1): a MUST-level scenario
// failed, or a scenario listed as an expected failure passed (the list
// must be kept honest, like pytest's strict xfail).
func (s Summary) Failed() bool { return s.MustFailed || s.XPass > 0 }

// Summarize counts the verdicts of results.
func Summarize(results []Result, wall time.Duration) Summary {
	s := Summary{Duration: wall}
	for _, r := range results {
		switch r.Verdict {
		case Pass:
			s.Pass++
		case Fail:
			s.Fail++
			if r.Level == MUST {
				s.MustFailed = true
			}
		case Warn:
			s.Warn++
		case Skip:
			s.Skip++
		case XFail:
			s.XFail++
		case XPass:
			s.XPass++
		}
	}
	return s
}
