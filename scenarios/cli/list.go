package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

func cmdList(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conformance list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
	}
	cat := scenarios.Catalog()
	if *asJSON {
		type entry struct {
			ID          string                    `json:"id"`
			Level       scenarios.Level           `json:"level"`
			RFC         string                    `json:"rfc"`
			Description string                    `json:"description"`
			Needs       []providerspec.Capability `json:"needs,omitempty"`
		}
		out := make([]entry, len(cat))
		for i, s := range cat {
			out[i] = entry{s.ID, s.Level, s.RFC, s.Description, s.Needs}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(out)
		return ExitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tLEVEL\tRFC\tDESCRIPTION")
	for _, s := range cat {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.ID, s.Level, s.RFC, s.Description)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "%d scenarios\n", len(cat))
	return ExitOK
}
