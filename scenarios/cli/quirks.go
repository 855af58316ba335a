package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/quirkmatrix"
)

func cmdQuirks(stdout io.Writer) int {
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "QUIRK\tRFC\tBREAKS\tCAUGHT BY")
	for _, q := range mockprovider.Quirks() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", q.Name, q.RFC, q.Breaks, strings.Join(quirkmatrix.Catchers(q.Name), ", "))
	}
	tw.Flush()
	return ExitOK
}
