package report

import "gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/outcome"

// Evidence is a result as text for a log: the rule (level, ID, RFC,
// description), the reason, the notes, the HTTP exchanges with the
// Location, WWW-Authenticate and the beginning of each body, and the pages
// the browser showed. JUnit failures carry the same text.
func Evidence(r outcome.Result) string { return failureText(r) }
