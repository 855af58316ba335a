package quirkmatrix

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/launch"
)

// Matrix is the catalog's verdicts with each quirk switched on.
type Matrix struct {
	Quirks    []mockprovider.Quirk
	Scenarios []scenarios.Scenario
	// Verdicts[quirk][scenario ID]
	Verdicts map[mockprovider.Quirk]map[string]scenarios.Result
}

// Run runs the scenarios against a fresh mock once per quirk.
// progress, when set, is called after each quirk's run.
func Run(ctx context.Context, b *browser.Browser, quirks []mockprovider.Quirk, scs []scenarios.Scenario, parallel int,
	progress func(mockprovider.Quirk, []scenarios.Result)) (*Matrix, error) {
	if scs == nil {
		scs = scenarios.Catalog()
	}
	m := &Matrix{Quirks: quirks, Scenarios: scs, Verdicts: map[mockprovider.Quirk]map[string]scenarios.Result{}}
	for _, q := range quirks {
		tg, err := launch.OpenMock(mockprovider.WithQuirks(q))
		if err != nil {
			return nil, err
		}
		results := scenarios.Runner{Spec: tg.Spec, Browser: b, Scenarios: scs, Parallel: parallel}.Run(ctx)
		tg.Close()
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		m.Verdicts[q] = map[string]scenarios.Result{}
		for _, r := range results {
			m.Verdicts[q][r.ID] = r
		}
		if progress != nil {
			progress(q, results)
		}
	}
	return m, nil
}

// Caught lists the scenarios that failed or warned with the quirk on.
func (m *Matrix) Caught(q mockprovider.Quirk) []string {
	var out []string
	for _, s := range m.Scenarios {
		if v := m.Verdicts[q][s.ID].Verdict; v == scenarios.Fail || v == scenarios.Warn {
			out = append(out, s.ID)
		}
	}
	return out
}

// Problems compares the matrix with [Catchers]: a quirk that no
// scenario catches, a catcher that missed it, a scenario that failed
// although it is not named for the quirk.
func (m *Matrix) Problems() []string {
	var out []string
	for _, q := range m.Quirks {
		caught := m.Caught(q)
		want := catchers[q]
		if len(caught) == 0 {
			out = append(out, fmt.Sprintf("%s: no scenario catches it (a hole in the catalog)", q))
		}
		for _, id := range want {
			if !slices.Contains(caught, id) && m.has(id) {
				r := m.Verdicts[q][id]
				out = append(out, fmt.Sprintf("%s: %s should catch it but gave %s %s", q, id, r.Verdict, r.Reason))
			}
		}
		for _, id := range caught {
			if !slices.Contains(want, id) {
				r := m.Verdicts[q][id]
				out = append(out, fmt.Sprintf("%s: %s gave %s although it is not named for this quirk: %s", q, id, r.Verdict, r.Reason))
			}
		}
		for _, s := range m.Scenarios {
			if r := m.Verdicts[q][s.ID]; r.Verdict == scenarios.Skip {
				out = append(out, fmt.Sprintf("%s: %s was skipped: %s", q, s.ID, r.Reason))
			}
		}
	}
	return out
}

func (m *Matrix) has(id string) bool {
	return slices.ContainsFunc(m.Scenarios, func(s scenarios.Scenario) bool { return s.ID == id })
}

// WriteTable prints, per quirk, the rule it breaks and the scenarios
// that caught it with their verdicts.
func (m *Matrix) WriteTable(w io.Writer) error {
	info := map[mockprovider.Quirk]mockprovider.QuirkInfo{}
	for _, qi := range mockprovider.Quirks() {
		info[qi.Name] = qi
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "QUIRK\tRULE BROKEN\tCAUGHT BY")
	for _, q := range m.Quirks {
		var cells []string
		for _, id := range m.Caught(q) {
			cells = append(cells, id+" ("+string(m.Verdicts[q][id].Verdict)+")")
		}
		if len(cells) == 0 {
			cells = []string{"NOTHING (a hole in the catalog)"}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", q, info[q].RFC, strings.Join(cells, ", "))
	}
	return tw.Flush()
}
