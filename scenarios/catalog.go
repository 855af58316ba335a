package scenarios

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// The capabilities scenarios need, as short names for the catalog.
const (
	NeedBrowser      = providerspec.Browser
	NeedSecondClient = providerspec.SecondClient
	NeedClock        = providerspec.Clock
	NeedPKCE         = providerspec.PKCE
	NeedRefresh      = providerspec.Refresh
	NeedResource     = providerspec.ScopedResource
	NeedConsent      = providerspec.Consent
	NeedOpenID       = providerspec.OpenID
)

// Scenario is one check of one rule.
type Scenario struct {
	// ID is stable: area/name, e.g. redirect/scheme-mismatch.
	ID string
	// Level is MUST or SHOULD.
	Level Level
	// RFC is the section the rule is in, e.g. "RFC 6749 §4.1.2".
	RFC string
	// Description says in one line what is checked.
	Description string
	// Needs lists the capabilities the scenario needs; it is skipped
	// with the reason [providerspec.Spec.Lacks] gives without one.
	Needs []providerspec.Capability
	// Run arranges, acts and asserts through t.
	Run func(t *T)
}

// Area is the part of the ID before the slash.
func (s *Scenario) Area() string {
	area, _, _ := strings.Cut(s.ID, "/")
	return area
}

// catalog holds every scenario, in the order they run and are listed.
var catalog = slices.Concat(redirectScenarios, scopeScenarios, codeScenarios, meScenarios, oidcScenarios)

// Catalog returns every scenario in catalog order.
func Catalog() []Scenario { return slices.Clone(catalog) }

// Lookup returns the scenario with the given ID.
func Lookup(id string) (Scenario, bool) {
	i := slices.IndexFunc(catalog, func(s Scenario) bool { return s.ID == id })
	if i < 0 {
		return Scenario{}, false
	}
	return catalog[i], true
}

// Select returns the scenarios whose ID matches one of the
// comma-separated glob patterns (path.Match syntax, e.g. "redirect/*");
// an empty pattern selects all. A pattern that matches nothing is an
// error, so that a typo does not pass silently.
func Select(patterns string) ([]Scenario, error) {
	if strings.TrimSpace(patterns) == "" {
		return Catalog(), nil
	}
	var out []Scenario
	for _, p := range strings.Split(patterns, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if _, err := path.Match(p, ""); err != nil {
			return nil, fmt.Errorf("scenarios: bad pattern %q: %v", p, err)
		}
		matched := false
		for _, s := range catalog {
			if ok, _ := path.Match(p, s.ID); ok || p == s.Area() {
				matched = true
				if !slices.ContainsFunc(out, func(o Scenario) bool { return o.ID == s.ID }) {
					out = append(out, s)
				}
			}
		}
		if !matched {
			return nil, fmt.Errorf("scenarios: %q matches no scenario (see `conformance list`)", p)
		}
	}
	// Keep catalog order.
	slices.SortStableFunc(out, func(a, b Scenario) int { return index(a.ID) - index(b.ID) })
	return out, nil
}

func index(id string) int {
	return slices.IndexFunc(catalog, func(s Scenario) bool { return s.ID == id })
}
