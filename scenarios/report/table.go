package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/outcome"
)

// WriteTable writes results as a plain table aligned with spaces, one row
// per scenario: ID, level, RFC section, verdict.
//
//	ID                    LEVEL  RFC                VERDICT
//	redirect/exact-match  MUST   RFC 6749 §3.1.2    pass
func WriteTable(w io.Writer, results []outcome.Result) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tLEVEL\tRFC\tVERDICT")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", cell(r.ID), cell(string(r.Level)), cell(r.RFC), cell(string(r.Verdict)))
	}
	return tw.Flush()
}

// cell folds s onto one line without tabs, for a tab-aligned table.
func cell(s string) string {
	if s = oneLine(s); s == "" {
		return "-"
	}
	return s
}

// matrixNoteWidth is how many runes of one run's reason a matrix note holds.
const matrixNoteWidth = 80

// Matrix writes the provider matrix as a Markdown table: one row per
// scenario ID (the union of all runs, in the first run's order, then the
// IDs only later runs have), its level and RFC section, one column per run
// named by columns, and a Notes column with the shortened reason of every
// cell that is not a pass, or the first note of a pass (what the provider
// did where the RFC lets it choose), prefixed with its column's name:
//
//	| Scenario | Level | RFC | mock | hydra | Notes |
//	|---|---|---|---|---|---|
//	| `code/expiry` | MUST | RFC 6749 §4.1.2 | pass | skip | hydra: needs a controllable clock |
//
// Cells are the verdicts written pass, FAIL, warn and skip (a failure
// stands out, and no emoji), or "-" when the run has no such scenario.
// columns and runs must have the same length.
func Matrix(w io.Writer, columns []string, runs [][]outcome.Result) error {
	if len(columns) != len(runs) {
		return fmt.Errorf("report: matrix: %d column names for %d runs", len(columns), len(runs))
	}
	var ids []string
	first := map[string]outcome.Result{}
	cells := make([]map[string]outcome.Result, len(runs))
	for i, results := range runs {
		cells[i] = map[string]outcome.Result{}
		for _, r := range results {
			cells[i][r.ID] = r
			if _, seen := first[r.ID]; !seen {
				first[r.ID] = r
				ids = append(ids, r.ID)
			}
		}
	}

	var b bytes.Buffer
	b.WriteString("| Scenario | Level | RFC |")
	for _, c := range columns {
		fmt.Fprintf(&b, " %s |", markdownCell(c))
	}
	b.WriteString(" Notes |\n|" + strings.Repeat("---|", len(columns)+4) + "\n")
	for _, id := range ids {
		r := first[id]
		fmt.Fprintf(&b, "| `%s` | %s | %s |", strings.ReplaceAll(oneLine(id), "`", "'"), markdownCell(string(r.Level)), markdownCell(r.RFC))
		var notes matrixNotes
		for i := range runs {
			c, ok := cells[i][id]
			if !ok {
				b.WriteString(" - |")
				continue
			}
			fmt.Fprintf(&b, " %s |", matrixMarker(c.Verdict))
			// A pass's first note says which of the choices the RFC allows
			// the provider made; show it too.
			notes.add(columns[i], shorten(oneLine(reasonOrNote(c)), matrixNoteWidth))
		}
		fmt.Fprintf(&b, " %s |\n", markdownCell(notes.String()))
	}
	_, err := w.Write(b.Bytes())
	return err
}

// matrixNotes collects one row's notes; runs with the same note share it
// ("mock, hydra: ..."), in the order the note first appears.
type matrixNotes struct {
	texts   []string
	columns map[string][]string
}

func (n *matrixNotes) add(column, note string) {
	if note == "" {
		return
	}
	if n.columns == nil {
		n.columns = map[string][]string{}
	}
	if _, seen := n.columns[note]; !seen {
		n.texts = append(n.texts, note)
	}
	n.columns[note] = append(n.columns[note], oneLine(column))
}

func (n *matrixNotes) String() string {
	parts := make([]string, len(n.texts))
	for i, note := range n.texts {
		parts[i] = strings.Join(n.columns[note], ", ") + ": " + note
	}
	return strings.Join(parts, "; ")
}

// matrixMarker is a verdict as a matrix cell: only a failure in capitals.
func matrixMarker(v outcome.Verdict) string {
	switch v {
	case outcome.Fail, outcome.XPass:
		return strings.ToUpper(string(v))
	case "":
		return "?"
	}
	return markdownCell(string(v))
}

// markdownCell makes s safe inside a Markdown table cell: one line, pipes
// escaped, and no raw HTML for the renderer to swallow.
func markdownCell(s string) string {
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;").Replace(oneLine(s))
}
