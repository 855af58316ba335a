package conformancetest_test

import (
	"testing"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser/browsertest"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/conformancetest"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

// TestProvider is how a user's module runs the suite: from an external
// _test package, each scenario a subtest (go test -run
// 'TestProvider/redirect/' runs one area). The mock has one quirk on, and
// the scenarios that catch it are listed as known deviations: they are
// skipped as xfail, and everything else passes.
func TestProvider(t *testing.T) {
	conformancetest.Run(t, "mock",
		conformancetest.Only("redirect/*,code/reuse,code/reuse-revokes,code/expiry,me/revoked-after-reuse,me/missing-token"),
		conformancetest.WithMockQuirks(mockprovider.QuirkCodeReusable),
		conformancetest.WithExpectedFailures(
			providerspec.ExpectedFailure{ID: "code/reuse", Reason: "codes are reusable (quirk)"},
			providerspec.ExpectedFailure{ID: "code/reuse-revokes", Reason: "nothing is revoked (quirk)"},
			providerspec.ExpectedFailure{ID: "me/revoked-after-reuse", Reason: "nothing is revoked (quirk)"}))
}
