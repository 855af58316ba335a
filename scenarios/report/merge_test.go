package report_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/outcome"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/report"
)

// shards splits a run into n shard reports of one plan, written as JSON
// and read back, as conformance merge gets them.
func shards(t *testing.T, run report.Run, n int, plan string) []report.Run {
	t.Helper()
	out := make([]report.Run, n)
	for i := range out {
		out[i] = run
		out[i].Results = nil
		out[i].Shard = &report.Shard{Index: i + 1, Count: n, Plan: plan, Selected: len(run.Results)}
		out[i].Started = run.Started.Add(time.Duration(n-i) * time.Second)
		out[i].Wall = time.Duration(i+1) * time.Second
	}
	for j, r := range run.Results {
		k := (j * 7) % n // not in order
		out[k].Results = append(out[k].Results, r)
	}
	for i := range out {
		var b bytes.Buffer
		require.NoError(t, report.WriteJSON(&b, out[i]))
		back, err := report.ReadJSON(&b)
		require.NoError(t, err)
		out[i] = back
	}
	return out
}

func TestMergeShards(t *testing.T) {
	run := expectedRun()
	parts := shards(t, run, 3, "abc")
	// Given in any order.
	merged, err := report.Merge([]report.Run{parts[2], parts[0], parts[1]}, catalogIDs)
	require.NoError(t, err)
	require.Len(t, merged.Results, len(run.Results))
	want := map[string]outcome.Result{}
	for _, r := range run.Results {
		want[r.ID] = r
	}
	for _, r := range merged.Results {
		assert.Equal(t, want[r.ID].Verdict, r.Verdict)
		assert.Equal(t, want[r.ID].Expected, r.Expected)
		assert.Equal(t, want[r.ID].Duration, r.Duration)
		assert.Equal(t, want[r.ID].Evidence.Pages, r.Evidence.Pages, "screenshots survive")
	}
	// Catalog order; the fixture's one ID the catalog does not know last.
	assert.Equal(t, []string{"redirect/exact-match", "redirect/userinfo-trick", "code/expiry", "me/bearer-header",
		"me/missing-token", "code/reuse-revokes-tokens"}, ids(merged.Results))
	assert.Equal(t, outcome.Summarize(run.Results, 0).Failed(), outcome.Summarize(merged.Results, 0).Failed())
	assert.Equal(t, run.Started.Add(time.Second), merged.Started, "the earliest start")
	assert.Equal(t, 3*time.Second, merged.Wall, "the longest shard")
	assert.Nil(t, merged.Shard, "the merged report is the whole run")
	assert.Equal(t, "embedded mock provider", merged.Mode)
}

func TestMergeRefuses(t *testing.T) {
	run := fakeRun()
	parts := shards(t, run, 3, "abc")
	other := shards(t, run, 3, "def")
	two := shards(t, run, 2, "abc")
	whole := run
	tests := []struct {
		name string
		runs []report.Run
		want string
	}{
		{"nothing", nil, "no reports"},
		{"a shard missing", []report.Run{parts[0], parts[2]}, "missing: 2/3"},
		{"a shard twice", []report.Run{parts[0], parts[1], parts[1], parts[2]}, "shard 2/3 is given twice"},
		{"another plan", []report.Run{parts[0], other[1], parts[2]}, "must share the selection, N and --durations"},
		{"another N", []report.Run{parts[0], two[1], parts[2]}, "must share"},
		{"a shard and a whole run", []report.Run{parts[0], whole}, "report 2 is not a shard"},
		{"a scenario twice", []report.Run{whole, whole}, "redirect/exact-match is in reports 1 and 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := report.Merge(tt.runs, catalogIDs)
			assert.ErrorContains(t, err, tt.want)
		})
	}
	otherTarget := parts[1]
	otherTarget.Target = "hydra"
	_, err := report.Merge([]report.Run{parts[0], otherTarget, parts[2]}, catalogIDs)
	assert.ErrorContains(t, err, `report 2 is of target "hydra"`)
}

func TestReadJSONRefuses(t *testing.T) {
	for _, in := range []string{"", "{", "[]", `{"target":"mock"}`, `{"results":[{"verdict":"pass"}]}`, "\xff"} {
		_, err := report.ReadJSON(bytes.NewReader([]byte(in)))
		assert.Error(t, err, "%q", in)
	}
}

func TestDurations(t *testing.T) {
	d := report.Durations(fakeRun())
	assert.Equal(t, 183*time.Millisecond, d["redirect/exact-match"])
	assert.NotContains(t, d, "code/expiry", "a skip did no work")
}

func ids(results []outcome.Result) []string {
	out := make([]string, len(results))
	for i, r := range results {
		out[i] = r.ID
	}
	return out
}

// catalogIDs is the order merged results follow in these tests.
var catalogIDs = []string{"redirect/exact-match", "redirect/userinfo-trick", "code/expiry", "me/bearer-header", "me/missing-token"}
