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

// A report read back for a merge comes from another runner: whatever it
// holds, ReadJSON returns an error or a run that merges and writes.
func FuzzReadJSON(f *testing.F) {
	var b bytes.Buffer
	if err := report.WriteJSON(&b, expectedRun()); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add([]byte(`{"results":[{"id":"x","verdict":"xpass","duration_ns":-5}],"shard":{"index":9,"count":2}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		run, err := report.ReadJSON(bytes.NewReader(data))
		if err != nil {
			return
		}
		merged, err := report.Merge([]report.Run{run}, nil)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := report.WriteSummary(&out, merged); err != nil {
			t.Fatal(err)
		}
		if err := report.WriteJUnit(&out, merged); err != nil {
			t.Fatal(err)
		}
	})
}
