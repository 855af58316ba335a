// Package conformancetest runs the conformance suite as Go tests: each
// catalog scenario is a subtest named by its ID, so `go test -run
// 'TestProvider/redirect/'` selects an area and the evidence is in the
// test log.
//
//	func TestProvider(t *testing.T) {
//		conformancetest.Run(t, "testdata/my-provider.yaml",
//			conformancetest.WithExpectedFailuresFile("testdata/known-deviations.yaml"))
//	}
//
// The target is "mock" (the embedded mock provider), "hydra", or the path
// of a target file. A failed MUST rule fails its subtest, a broken SHOULD
// rule is logged, a scenario the target cannot run is skipped with the
// reason; a listed known deviation that fails is skipped as xfail, one
// that passes fails (xpass).
package conformancetest
