package scenarios

import (
	"fmt"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// CheckExpected checks that every listed known deviation names a scenario
// of the catalog: a typo would otherwise hide nothing and pass silently.
// The error names the file and line of the entry.
func CheckExpected(list []providerspec.ExpectedFailure) error {
	for _, e := range list {
		if _, ok := Lookup(e.ID); ok {
			continue
		}
		where := e.File
		if where == "" {
			where = "expected failures"
		}
		if e.Line > 0 {
			where = fmt.Sprintf("%s:%d", where, e.Line)
		}
		return fmt.Errorf("%s: expected_failures: %q is not a scenario ID (see `conformance list`)", where, e.ID)
	}
	return nil
}

// ApplyExpected turns the result of a scenario listed as a known
// deviation into xfail (it failed or warned, as expected) or xpass (it
// passed: the list is out of date, and the run fails). The listed reason
// goes to Expected; Reason keeps what the scenario saw. A skip stays a
// skip, and an unlisted result is returned as it is.
func ApplyExpected(r Result, list []providerspec.ExpectedFailure) Result {
	for _, e := range list {
		if e.ID != r.ID {
			continue
		}
		switch r.Verdict {
		case Fail, Warn:
			r.Verdict, r.Expected = XFail, e.Reason
		case Pass:
			r.Verdict, r.Expected = XPass, e.Reason
			r.Reason = "passed, but it is listed as an expected failure: remove it from the list"
		}
		return r
	}
	return r
}
