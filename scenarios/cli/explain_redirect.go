package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

const explainUsage = "usage: conformance explain-redirect [--json] [--as POLICY|PROFILE] REGISTERED PRESENTED"

// explanation is explain-redirect's JSON: the component analysis, every
// generic policy's verdict and every provider profile's.
type explanation struct {
	*mockprovider.RedirectAnalysis
	Profiles []mockprovider.ProfileVerdict `json:"profiles"`
}

// cmdExplainRedirect explains how a presented redirect_uri compares with
// a registered one. With --as it asks one policy or provider profile and
// exits 0 when it accepts, 1 when it refuses; without, it prints every
// verdict side by side and exits as the exact policy decides. Bad input
// (not absolute URIs, an unknown name) exits 2.
func cmdExplainRedirect(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conformance explain-redirect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	as := fs.String("as", "", "judge as this policy or provider profile only (exit 0 accepted, 1 refused)")
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
	}
	if fs.NArg() != 2 {
		fmt.Fprintln(stderr, explainUsage)
		return ExitUsage
	}
	registered, presented := fs.Arg(0), fs.Arg(1)
	a, err := analyze(registered, presented)
	if err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitUsage
	}
	if *as != "" {
		return explainAs(*as, a, *asJSON, stdout, stderr)
	}
	e := explanation{a, mockprovider.JudgeProfiles(registered, presented)}
	if *asJSON {
		writeJSON(stdout, e)
	} else {
		writeExplanation(stdout, e)
	}
	if a.Accepted(mockprovider.PolicyExact) {
		return ExitOK
	}
	return ExitMustFailed
}

// analyze compares the two URIs. The registered value may also be
// Keycloak's full wildcard "*", which has no components to compare.
func analyze(registered, presented string) (*mockprovider.RedirectAnalysis, error) {
	if registered != "*" {
		return mockprovider.AnalyzeRedirect(registered, presented)
	}
	q, err := mockprovider.SplitURI(presented)
	if err != nil {
		return nil, err
	}
	a := &mockprovider.RedirectAnalysis{Registered: registered, Presented: presented, PresentedParts: q,
		Differences: []mockprovider.Difference{{Component: "spelling", Registered: registered, Presented: presented}}}
	for _, p := range mockprovider.RedirectPolicies() {
		a.Verdicts = append(a.Verdicts, mockprovider.PolicyVerdict{Policy: p, Accepts: p.Match(registered, presented),
			Conformant: p.Conformant(), About: p.About()})
	}
	return a, nil
}

// explainAs prints one verdict: a provider profile's, with its rule and
// documentation, or a generic policy's.
func explainAs(name string, a *mockprovider.RedirectAnalysis, asJSON bool, stdout, stderr io.Writer) int {
	var accepts bool
	if prof, ok := mockprovider.LookupRedirectProfile(mockprovider.RedirectPolicy(name)); ok {
		v := mockprovider.ProfileVerdict{Profile: prof.Name, Provider: prof.Provider, DocURL: prof.DocURL,
			RedirectDecision: prof.Judge(a.Registered, a.Presented)}
		if asJSON {
			writeJSON(stdout, v)
		} else {
			writeProfileVerdict(stdout, a, v)
		}
		accepts = v.Accepts
	} else {
		pol, err := mockprovider.ParseRedirectPolicy(name)
		if err != nil {
			fmt.Fprintf(stderr, "conformance: unknown policy or profile %q (known: %s)\n", name, strings.Join(knownNames(), ", "))
			return ExitUsage
		}
		accepts = a.Accepted(pol)
		v := mockprovider.PolicyVerdict{Policy: pol, Accepts: accepts, Conformant: pol.Conformant(), About: pol.About()}
		if asJSON {
			writeJSON(stdout, v)
		} else {
			fmt.Fprintf(stdout, "%s %s %s\npolicy: %s\n", pol, verdictWord(accepts), a.Presented, pol.About())
		}
	}
	if accepts {
		return ExitOK
	}
	return ExitMustFailed
}

func writeProfileVerdict(w io.Writer, a *mockprovider.RedirectAnalysis, v mockprovider.ProfileVerdict) {
	fmt.Fprintf(w, "%s %s %s\n", v.Profile, verdictWord(v.Accepts), a.Presented)
	fmt.Fprintf(w, "provider: %s\nrule:     %s\nreason:   %s\n", v.Provider, v.Rule, v.Reason)
	if v.Accepts && v.RedirectTo != a.Presented {
		fmt.Fprintf(w, "response: %s\n", v.RedirectTo)
	}
	fmt.Fprintf(w, "docs:     %s\n", v.DocURL)
}

// knownNames lists the generic policies, then the provider profiles.
func knownNames() []string {
	var names []string
	for _, p := range mockprovider.RedirectPolicies() {
		names = append(names, string(p))
	}
	for _, p := range mockprovider.RedirectProfiles() {
		names = append(names, string(p.Name))
	}
	return names
}

func verdictWord(accepts bool) string {
	if accepts {
		return "accepts"
	}
	return "rejects"
}

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// writeExplanation prints the component table and one table of every
// policy's and profile's verdict: "who would accept this URI?".
func writeExplanation(w io.Writer, e explanation) {
	a := e.RedirectAnalysis
	fmt.Fprintf(w, "registered: %s\npresented:  %s\n\n", a.Registered, a.Presented)
	if a.Registered != "*" {
		writeComponents(w, a)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "POLICY / PROFILE\tVERDICT\tCONFORMANT\tRULE\tWHY")
	for _, v := range a.Verdicts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", v.Policy, verdictWord(v.Accepts), yesNo(v.Conformant), "-", v.About)
	}
	for _, v := range e.Profiles {
		prof, _ := mockprovider.LookupRedirectProfile(v.Profile)
		why := v.Reason
		if v.Accepts && v.RedirectTo != a.Presented {
			why += " (response to " + v.RedirectTo + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", v.Profile, verdictWord(v.Accepts), yesNo(prof.Conformant), v.Rule, why)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nprofiles follow each provider's documentation:")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, v := range e.Profiles {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", v.Profile, v.Provider, v.DocURL)
	}
	tw.Flush()
}

func writeComponents(w io.Writer, a *mockprovider.RedirectAnalysis) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "COMPONENT\tREGISTERED\tPRESENTED\t")
	r, p := a.RegisteredParts, a.PresentedParts
	for _, c := range []struct{ name, r, p string }{
		{"scheme", r.Scheme, p.Scheme}, {"userinfo", r.Userinfo, p.Userinfo}, {"host", r.Host, p.Host},
		{"port", r.Port, p.Port}, {"path", r.Path, p.Path}, {"query", r.Query, p.Query}, {"fragment", r.Fragment, p.Fragment},
	} {
		mark := ""
		if c.r != c.p {
			mark = "<- differs"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.name, dash(c.r), dash(c.p), mark)
	}
	tw.Flush()
	if len(a.Differences) == 0 {
		fmt.Fprintln(w, "\nthe URIs are identical")
	} else {
		fmt.Fprintf(w, "\ndiffering: %s\n", a.Components())
	}
	fmt.Fprintln(w)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
