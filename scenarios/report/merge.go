package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/outcome"
)

// Merge joins the reports of the shards of one run (conformance run
// --shard K/N, for K = 1..N) into the report of the whole run: the results
// in the order of catalog (the scenario IDs in catalog order; IDs it does
// not know go last, in their order), the earliest start, and the longest shard's wall time
// (shards run side by side). Its verdicts, and so its exit code, are those
// the unsharded run would have had.
//
// Reports of shards must all be there, once each, from one plan (the same
// selection, N and durations); a scenario in two reports is an error.
// Reports without shard information (separate runs of disjoint --only
// selections) merge as long as no scenario is in two of them.
func Merge(runs []Run, catalog []string) (Run, error) {
	if len(runs) == 0 {
		return Run{}, fmt.Errorf("report: merge: no reports")
	}
	if err := checkShards(runs); err != nil {
		return Run{}, err
	}
	merged := Run{Target: runs[0].Target, Started: runs[0].Started}
	var modes []string
	seen := map[string]int{}
	for i, run := range runs {
		if run.Target != merged.Target {
			return Run{}, fmt.Errorf("report: merge: report %d is of target %q, report 1 of %q", i+1, run.Target, merged.Target)
		}
		if !run.Started.IsZero() && (merged.Started.IsZero() || run.Started.Before(merged.Started)) {
			merged.Started = run.Started
		}
		merged.Wall = max(merged.Wall, run.Wall)
		if !slices.Contains(modes, run.Mode) {
			modes = append(modes, run.Mode)
		}
		for _, r := range run.Results {
			if j, dup := seen[r.ID]; dup {
				return Run{}, fmt.Errorf("report: merge: %s is in reports %d and %d", r.ID, j, i+1)
			}
			seen[r.ID] = i + 1
			merged.Results = append(merged.Results, r)
		}
	}
	merged.Mode = strings.Join(modes, "; ")
	sortByCatalog(merged.Results, catalog)
	return merged, nil
}

// checkShards checks that sharded reports are the N shards of one plan.
func checkShards(runs []Run) error {
	first := runs[0].Shard
	present := map[int]bool{}
	for i, run := range runs {
		s := run.Shard
		switch {
		case (s == nil) != (first == nil):
			return fmt.Errorf("report: merge: report %d is %s, report 1 is %s", i+1, shardName(s), shardName(first))
		case s == nil:
			continue
		case s.Count != first.Count || s.Plan != first.Plan:
			return fmt.Errorf("report: merge: report %d is shard %d/%d of plan %s, report 1 shard %d/%d of plan %s: "+
				"the shards must share the selection, N and --durations", i+1, s.Index, s.Count, s.Plan, first.Index, first.Count, first.Plan)
		case present[s.Index]:
			return fmt.Errorf("report: merge: shard %d/%d is given twice", s.Index, s.Count)
		}
		present[s.Index] = true
	}
	if first == nil {
		return nil
	}
	var missing []string
	for k := 1; k <= first.Count; k++ {
		if !present[k] {
			missing = append(missing, fmt.Sprintf("%d/%d", k, first.Count))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("report: merge: shard report(s) missing: %s", strings.Join(missing, ", "))
	}
	return nil
}

func shardName(s *Shard) string {
	if s == nil {
		return "not a shard"
	}
	return fmt.Sprintf("shard %d/%d", s.Index, s.Count)
}

// sortByCatalog puts results in catalog order; IDs the catalog does not
// know (a report of another version) go last, in their order.
func sortByCatalog(results []outcome.Result, catalog []string) {
	pos := map[string]int{}
	for i, id := range catalog {
		pos[id] = i
	}
	rank := func(id string) int {
		if p, ok := pos[id]; ok {
			return p
		}
		return len(pos)
	}
	slices.SortStableFunc(results, func(a, b outcome.Result) int { return cmp.Compare(rank(a.ID), rank(b.ID)) })
}
