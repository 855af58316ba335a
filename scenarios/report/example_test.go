package report_test

import (
	"fmt"
	"os"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/outcome"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/report"
)

// The CLI prints one line per scenario as it finishes; anything but a pass
// carries its reason.
func ExampleProgressLine() {
	fmt.Println(report.ProgressLine(outcome.Result{
		ID: "redirect/exact-match", Level: outcome.MUST, Verdict: outcome.Pass, Duration: 183 * time.Millisecond,
	}))
	fmt.Println(report.ProgressLine(outcome.Result{
		ID: "code/reuse-rejected", Level: outcome.MUST, Verdict: outcome.Fail, Duration: 41 * time.Millisecond,
		Reason: "second exchange of the code returned 200,\nwant 400 invalid_grant",
	}))
	fmt.Println(report.ProgressLine(outcome.Result{
		ID: "code/expiry", Level: outcome.MUST, Verdict: outcome.Skip,
		Reason: "needs a controllable clock",
	}))
	// Output:
	// PASS  MUST    redirect/exact-match                        183ms
	// FAIL  MUST    code/reuse-rejected                          41ms  second exchange of the code returned 200, want 400 invalid_grant
	// SKIP  MUST    code/expiry                                   0ms  needs a controllable clock
}

// The README's provider matrix comes from one run per provider.
func ExampleMatrix() {
	mock := []outcome.Result{
		{ID: "redirect/exact-match", Level: outcome.MUST, RFC: "RFC 6749 §3.1.2", Verdict: outcome.Pass},
		{ID: "code/expiry", Level: outcome.MUST, RFC: "RFC 6749 §4.1.2", Verdict: outcome.Pass},
	}
	hydra := []outcome.Result{
		{ID: "redirect/exact-match", Level: outcome.MUST, RFC: "RFC 6749 §3.1.2", Verdict: outcome.Pass},
		{ID: "code/expiry", Level: outcome.MUST, RFC: "RFC 6749 §4.1.2", Verdict: outcome.Skip, Reason: "needs a controllable clock"},
	}
	if err := report.Matrix(os.Stdout, []string{"mock", "hydra"}, [][]outcome.Result{mock, hydra}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// | Scenario | Level | RFC | mock | hydra | Notes |
	// |---|---|---|---|---|---|
	// | `redirect/exact-match` | MUST | RFC 6749 §3.1.2 | pass | pass |  |
	// | `code/expiry` | MUST | RFC 6749 §4.1.2 | pass | skip | hydra: needs a controllable clock |
}
