package conformancetest_test

import (
	"context"
	"fmt"
	"testing"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/conformancetest"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// A provider's conformance as a Go test: every scenario is a subtest
// named by its ID, so `go test -run 'TestProvider/redirect/'` runs the
// redirect area. (A Go example cannot hold a *testing.T: see the
// package's own TestProvider for this running.)
func ExampleRun() {
	_ = func(t *testing.T) { // func TestProvider(t *testing.T)
		conformancetest.Run(t, "mock",
			conformancetest.WithExpectedFailures(providerspec.ExpectedFailure{
				ID: "code/reuse", Reason: "the quirk below makes codes reusable"}),
			conformancetest.WithMockQuirks(mockprovider.QuirkCodeReusable))
	}
}

// The same scenarios outside a test: their verdicts, with a known
// deviation listed.
func ExampleVerdicts() {
	results, err := conformancetest.Verdicts(context.Background(), "mock",
		conformancetest.Only("code/reuse,code/exchange,me/missing-token"),
		conformancetest.WithMockQuirks(mockprovider.QuirkCodeReusable),
		conformancetest.WithExpectedFailures(providerspec.ExpectedFailure{ID: "code/reuse", Reason: "codes are reusable (quirk)"}))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range results {
		fmt.Println(r.ID, r.Verdict)
	}
	// Output:
	// code/exchange pass
	// code/reuse xfail
	// me/missing-token pass
}
