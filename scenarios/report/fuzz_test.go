package report_test

import (
	"bytes"
	"encoding/xml"
	"testing"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/outcome"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/report"
)

// Whatever a provider puts into a reason or a body, the JUnit report stays
// well-formed XML with the same counts.
func FuzzJUnit(f *testing.F) {
	f.Add("plain", "body")
	f.Add(hostileReason, "]]><![CDATA[\x00\uFFFE\xed\xa0\x80")
	f.Fuzz(func(t *testing.T, reason, body string) {
		run := report.Run{Target: reason, Results: []outcome.Result{
			{ID: reason, Level: outcome.MUST, Verdict: outcome.Fail, Reason: reason, Notes: []string{body},
				Evidence: outcome.Evidence{Exchanges: []outcome.Exchange{{
					Step: body, Request: outcome.HTTPMessage{URL: reason},
					Response: &outcome.HTTPMessage{Status: 400, Body: body},
				}}}},
			{ID: "a/" + body, Verdict: outcome.Warn, Reason: body},
			{ID: "b/b", Verdict: outcome.Skip, Reason: reason},
		}}
		var b bytes.Buffer
		if err := report.WriteJUnit(&b, run); err != nil {
			t.Fatal(err)
		}
		var doc junitDoc
		if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, b.Bytes())
		}
		if doc.Tests != 3 || doc.Failures != 1 || doc.Skipped != 1 {
			t.Fatalf("counts: %+v", doc)
		}
	})
}
