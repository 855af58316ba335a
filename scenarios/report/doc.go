// Package report turns a conformance [Run] into what people and CI read:
// a progress line per scenario, a plain-text summary, JUnit XML, JSON, a
// one-page HTML report with screenshots, and the README's provider matrix.
//
//	run := report.Run{Target: "mock", Mode: "embedded mock provider", Results: results}
//	err := report.WriteJUnit(f, run)
//
// Every writer keeps the order of [Run.Results] (catalog order) and produces
// byte-identical output for the same run.
package report
