package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
)

func cmdExplain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conformance explain-redirect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() != 2 {
		fmt.Fprintln(stderr, "usage: conformance explain-redirect [--json] REGISTERED PRESENTED")
		return ExitUsage
	}
	a, err := mockprovider.AnalyzeRedirect(fs.Arg(0), fs.Arg(1))
	if err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return ExitUsage
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(a)
	} else {
		writeAnalysis(stdout, a)
	}
	if a.Accepted(mockprovider.PolicyExact) {
		return ExitOK
	}
	return ExitMustFailed
}

func writeAnalysis(w io.Writer, a *mockprovider.RedirectAnalysis) {
	fmt.Fprintf(w, "registered: %s\npresented:  %s\n\n", a.Registered, a.Presented)
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
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "POLICY\tVERDICT\tCONFORMANT\tWHAT IT DOES")
	for _, v := range a.Verdicts {
		verdict := "rejects"
		if v.Accepts {
			verdict = "accepts"
		}
		conf := "no"
		if v.Conformant {
			conf = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", v.Policy, verdict, conf, v.About)
	}
	tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
