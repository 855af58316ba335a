package report

import (
	"fmt"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/outcome"
)

// reasonWidth is how many runes of a reason a progress line shows.
const reasonWidth = 100

// ProgressLine is the line printed as a scenario finishes: verdict, level,
// ID and duration in fixed-width columns, then for anything but a pass the
// reason on the same line, cut to about 100 characters:
//
//	PASS  MUST    redirect/exact-match                        183ms
//	FAIL  MUST    code/reuse-rejected                          41ms  second exchange of the code returned 200
//	XFAIL MUST    code/wrong-secret                            23ms  expected: vendor ticket 1234; got: no WWW-Authenticate
//
// The line has no trailing newline and no control characters.
func ProgressLine(r outcome.Result) string {
	line := fmt.Sprintf("%-5s %-6s  %-40s %6dms", tag(r.Verdict), r.Level, oneLine(r.ID), millis(r.Duration))
	if r.Verdict == outcome.Pass {
		return line
	}
	if reason := shorten(oneLine(reasonOrNote(r)), reasonWidth); reason != "" {
		line += "  " + reason
	}
	return line
}
