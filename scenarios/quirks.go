package scenarios

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/target"
)

// QuirkCatchers names, for each quirk of the mock, the scenarios that
// must catch it: with the quirk on, exactly these fail (or warn, for a
// SHOULD rule) and every other scenario passes. A quirk no scenario
// catches would be a hole in the catalog.
var QuirkCatchers = map[mockprovider.Quirk][]string{
	mockprovider.QuirkRedirectPrefixMatch:        {"redirect/path-suffix", "redirect/trailing-slash", "redirect/query-added", "redirect/fragment", "redirect/encoded-traversal"},
	mockprovider.QuirkRedirectSubstringMatch:     {"redirect/path-suffix", "redirect/trailing-slash", "redirect/query-added", "redirect/fragment", "redirect/encoded-traversal"},
	mockprovider.QuirkRedirectIgnoreQuery:        {"redirect/query-added"},
	mockprovider.QuirkRedirectSchemeInsensitive:  {"redirect/scheme-mismatch"},
	mockprovider.QuirkRedirectAny:                {"redirect/scheme-mismatch", "redirect/host-mismatch", "redirect/port-mismatch", "redirect/path-mismatch", "redirect/path-suffix", "redirect/trailing-slash", "redirect/path-case", "redirect/query-added", "redirect/fragment", "redirect/encoded-traversal", "redirect/no-error-to-unregistered"},
	mockprovider.QuirkRedirectErrorUnregistered:  {"redirect/scheme-mismatch", "redirect/host-mismatch", "redirect/path-mismatch", "redirect/path-suffix", "redirect/trailing-slash", "redirect/path-case", "redirect/userinfo-trick", "redirect/encoded-traversal", "redirect/no-error-to-unregistered"},
	mockprovider.QuirkTokenIgnoreRedirectURI:     {"redirect/token-binding"},
	mockprovider.QuirkCodeReusable:               {"code/reuse", "code/reuse-revokes", "me/revoked-after-reuse"},
	mockprovider.QuirkCodeNoRevokeOnReuse:        {"code/reuse-revokes", "me/revoked-after-reuse"},
	mockprovider.QuirkCodeNeverExpires:           {"code/expiry"},
	mockprovider.QuirkCodeNotClientBound:         {"code/client-bound"},
	mockprovider.QuirkPKCEIgnored:                {"code/pkce-wrong-verifier", "code/pkce-missing-verifier", "code/pkce-plain-when-s256"},
	mockprovider.QuirkPKCEPlainDowngrade:         {"code/pkce-plain-when-s256"},
	mockprovider.QuirkStateDropped:               {"redirect/exact-match", "redirect/omitted-single", "scope/unknown", "scope/consent-denied", "code/state-echoed", "code/response-type-missing", "code/response-type-unsupported", "code/repeated-parameter", "me/seed-json"},
	mockprovider.QuirkStateAltered:               {"redirect/exact-match", "redirect/omitted-single", "scope/unknown", "scope/consent-denied", "code/state-echoed", "code/response-type-missing", "code/response-type-unsupported", "code/repeated-parameter", "me/seed-json"},
	mockprovider.QuirkScopeUnknownGranted:        {"scope/unknown"},
	mockprovider.QuirkScopeOmittedInResponse:     {"scope/reported-when-different"},
	mockprovider.QuirkTokenCacheable:             {"code/no-store"},
	mockprovider.QuirkTokenError200:              {"redirect/token-binding", "code/reuse", "code/reuse-revokes", "code/expiry", "code/client-bound", "code/wrong-secret", "code/unknown-code", "code/unsupported-grant-type", "code/token-get-refused", "code/pkce-wrong-verifier", "code/pkce-missing-verifier", "code/pkce-plain-when-s256", "code/refresh-other-client"},
	mockprovider.QuirkClientSecretIgnored:        {"code/wrong-secret"},
	mockprovider.QuirkInvalidClientNo401:         {"code/wrong-secret"},
	mockprovider.QuirkMeAcceptsExpired:           {"me/expired-token"},
	mockprovider.QuirkMeNoWWWAuthenticate:        {"me/missing-token", "me/invalid-token", "me/expired-token", "me/revoked-after-reuse"},
	mockprovider.QuirkMeAcceptsRevoked:           {"me/revoked-after-reuse"},
	mockprovider.QuirkRefreshNotClientBound:      {"code/refresh-other-client"},
	mockprovider.QuirkRepeatedParametersAccepted: {"code/repeated-parameter"},
	mockprovider.QuirkTokenGetAccepted:           {"code/token-get-refused"},
	mockprovider.QuirkResponseTypeIgnored:        {"code/response-type-missing", "code/response-type-unsupported"},
	mockprovider.QuirkConsentDenyIgnored:         {"scope/consent-denied"},
}

// QuirkMatrix is the catalog's verdicts with each quirk switched on.
type QuirkMatrix struct {
	Quirks    []mockprovider.Quirk
	Scenarios []Scenario
	// Verdicts[quirk][scenario ID]
	Verdicts map[mockprovider.Quirk]map[string]Result
}

// RunQuirkMatrix runs the scenarios against a fresh mock once per quirk.
// progress, when set, is called after each quirk's run.
func RunQuirkMatrix(ctx context.Context, b *browser.Browser, quirks []mockprovider.Quirk, scs []Scenario, parallel int,
	progress func(mockprovider.Quirk, []Result)) (*QuirkMatrix, error) {
	if scs == nil {
		scs = Catalog()
	}
	m := &QuirkMatrix{Quirks: quirks, Scenarios: scs, Verdicts: map[mockprovider.Quirk]map[string]Result{}}
	for _, q := range quirks {
		tg, err := target.OpenMock(mockprovider.WithQuirks(q))
		if err != nil {
			return nil, err
		}
		results := Runner{Target: tg, Browser: b, Scenarios: scs, Parallel: parallel}.Run(ctx)
		tg.Close()
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		m.Verdicts[q] = map[string]Result{}
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
func (m *QuirkMatrix) Caught(q mockprovider.Quirk) []string {
	var out []string
	for _, s := range m.Scenarios {
		if v := m.Verdicts[q][s.ID].Verdict; v == Fail || v == Warn {
			out = append(out, s.ID)
		}
	}
	return out
}

// Problems compares the matrix with QuirkCatchers: a quirk that no
// scenario catches, a catcher that missed it, a scenario that failed
// although it is not named for the quirk.
func (m *QuirkMatrix) Problems() []string {
	var out []string
	for _, q := range m.Quirks {
		caught := m.Caught(q)
		want := QuirkCatchers[q]
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
			if r := m.Verdicts[q][s.ID]; r.Verdict == Skip {
				out = append(out, fmt.Sprintf("%s: %s was skipped: %s", q, s.ID, r.Reason))
			}
		}
	}
	return out
}

func (m *QuirkMatrix) has(id string) bool {
	return slices.ContainsFunc(m.Scenarios, func(s Scenario) bool { return s.ID == id })
}

// WriteQuirkTable prints, per quirk, the rule it breaks and the scenarios
// that caught it with their verdicts.
func (m *QuirkMatrix) WriteQuirkTable(w io.Writer) error {
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
