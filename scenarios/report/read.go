package report

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/outcome"
)

// maxJSONReport bounds a report read back: a whole catalog with
// screenshots is a few megabytes.
const maxJSONReport = 512 << 20

// ReadJSON reads back a report written by [WriteJSON], for
// [Merge], conformance baseline and the durations --shard balances by.
func ReadJSON(r io.Reader) (Run, error) {
	var doc jsonReport
	dec := json.NewDecoder(io.LimitReader(r, maxJSONReport))
	if err := dec.Decode(&doc); err != nil {
		return Run{}, fmt.Errorf("report: not a conformance JSON report: %w", err)
	}
	if doc.Results == nil {
		return Run{}, fmt.Errorf("report: not a conformance JSON report: no results")
	}
	run := Run{Target: doc.Target, Mode: doc.Mode, Command: doc.Command, Started: doc.Started,
		Wall: time.Duration(doc.WallMS) * time.Millisecond, Shard: doc.Shard}
	for i, r := range doc.Results {
		if r.ID == "" {
			return Run{}, fmt.Errorf("report: result %d has no id", i+1)
		}
		run.Results = append(run.Results, r.Result)
	}
	return run, nil
}

// ReadJSONFile reads the JSON report at path.
func ReadJSONFile(path string) (Run, error) {
	f, err := os.Open(path)
	if err != nil {
		return Run{}, fmt.Errorf("report: %w", err)
	}
	defer f.Close()
	run, err := ReadJSON(f)
	if err != nil {
		return Run{}, fmt.Errorf("%s: %w", path, err)
	}
	return run, nil
}

// Durations are the scenarios' durations in a run, by ID, for balancing
// shards; skipped scenarios, which did no work, are left out.
func Durations(run Run) map[string]time.Duration {
	out := map[string]time.Duration{}
	for _, r := range run.Results {
		if r.Verdict != outcome.Skip && r.Duration > 0 {
			out[r.ID] = r.Duration
		}
	}
	return out
}
