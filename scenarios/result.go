package scenarios

import (
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/outcome"
)

// The result types are package outcome's, so that the reports can format
// them without importing the runner; these names keep scenario code short.
type (
	// Level is how strongly the RFC states a rule.
	Level = outcome.Level
	// Verdict is a scenario's outcome.
	Verdict = outcome.Verdict
	// Result is the outcome of one scenario with its evidence.
	Result = outcome.Result
	// Evidence is what a scenario saw.
	Evidence = outcome.Evidence
	// Exchange is one HTTP request the scenario made and its response.
	Exchange = outcome.Exchange
	// HTTPMessage is a request or response as recorded.
	HTTPMessage = outcome.HTTPMessage
	// Page is one page the browser showed.
	Page = outcome.Page
	// Summary counts verdicts.
	Summary = outcome.Summary
)

// The levels and verdicts.
const (
	MUST   = outcome.MUST
	SHOULD = outcome.SHOULD
	Pass   = outcome.Pass
	Fail   = outcome.Fail
	Warn   = outcome.Warn
	Skip   = outcome.Skip
	XFail  = outcome.XFail
	XPass  = outcome.XPass
)

// Summarize counts the verdicts of results.
func Summarize(results []Result, wall time.Duration) Summary {
	return outcome.Summarize(results, wall)
}
