package scenarios_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
)

func TestParseShard(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want scenarios.ShardSpec
		ok   bool
	}{
		{"1/1", scenarios.ShardSpec{Index: 1, Count: 1}, true},
		{"2/3", scenarios.ShardSpec{Index: 2, Count: 3}, true},
		{" 3/3 ", scenarios.ShardSpec{Index: 3, Count: 3}, true},
		{"0/3", scenarios.ShardSpec{}, false},
		{"4/3", scenarios.ShardSpec{}, false},
		{"1/0", scenarios.ShardSpec{}, false},
		{"-1/3", scenarios.ShardSpec{}, false},
		{"1/999", scenarios.ShardSpec{}, false},
		{"3", scenarios.ShardSpec{}, false},
		{"a/b", scenarios.ShardSpec{}, false},
		{"", scenarios.ShardSpec{}, false},
	} {
		t.Run(tt.in, func(t *testing.T) {
			got, err := scenarios.ParseShard(tt.in)
			if !tt.ok {
				assert.ErrorContains(t, err, "K/N")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, strings.TrimSpace(tt.in), got.String())
		})
	}
}

// TestPlanShards: for any N, with or without recorded durations, the
// shards are disjoint, their union is the selection, each keeps the
// selection's order, and the plan is the same every time.
func TestPlanShards(t *testing.T) {
	cat := scenarios.Catalog()
	durations := map[string]time.Duration{}
	for i, sc := range cat {
		if i%5 != 0 { // some scenarios have no recorded duration
			durations[sc.ID] = time.Duration(100+(i*37)%900) * time.Millisecond
		}
	}
	for _, d := range []map[string]time.Duration{nil, durations} {
		for n := 1; n <= 7; n++ {
			plan := scenarios.PlanShards(cat, n, d)
			require.Len(t, plan.Shards, n)
			var union []string
			for _, shard := range plan.Shards {
				ids := idsOf(shard)
				assert.True(t, slices.IsSortedFunc(ids, func(a, b string) int { return position(cat, a) - position(cat, b) }),
					"a shard keeps catalog order")
				union = append(union, ids...)
			}
			assert.ElementsMatch(t, idsOf(cat), union, "disjoint, and together the selection")
			again := scenarios.PlanShards(slices.Clone(cat), n, d)
			assert.Equal(t, plan.Digest, again.Digest, "deterministic")
			for i := range plan.Shards {
				assert.Equal(t, idsOf(plan.Shards[i]), idsOf(again.Shards[i]), "deterministic")
			}
			if d == nil {
				sizes := make([]int, n)
				for i, s := range plan.Shards {
					sizes[i] = len(s)
				}
				assert.LessOrEqual(t, slices.Max(sizes)-slices.Min(sizes), 1, "balanced by count: %v", sizes)
			} else {
				assert.LessOrEqual(t, slices.Max(plan.Expected)-slices.Min(plan.Expected), time.Second,
					"balanced by time within the longest scenario: %v", plan.Expected)
			}
		}
	}
	assert.NotEqual(t, scenarios.PlanShards(cat, 3, nil).Digest, scenarios.PlanShards(cat, 3, durations).Digest,
		"plans from other durations do not merge")
	assert.NotEqual(t, scenarios.PlanShards(cat, 3, nil).Digest, scenarios.PlanShards(cat[1:], 3, nil).Digest,
		"plans of other selections do not merge")
}

// TestPlanShardsBalancesByTime: one long scenario gets a shard of its own.
func TestPlanShardsBalancesByTime(t *testing.T) {
	cat := scenarios.Catalog()[:9]
	d := map[string]time.Duration{cat[4].ID: 8 * time.Second}
	for _, sc := range cat {
		if sc.ID != cat[4].ID {
			d[sc.ID] = time.Second
		}
	}
	plan := scenarios.PlanShards(cat, 2, d)
	assert.Equal(t, []string{cat[4].ID}, idsOf(plan.Shards[0]))
	assert.Len(t, plan.Shards[1], 8)
	assert.Equal(t, []time.Duration{8 * time.Second, 8 * time.Second}, plan.Expected)
}

func idsOf(scs []scenarios.Scenario) []string {
	ids := make([]string, len(scs))
	for i, s := range scs {
		ids[i] = s.ID
	}
	return ids
}

func position(scs []scenarios.Scenario, id string) int {
	return slices.IndexFunc(scs, func(s scenarios.Scenario) bool { return s.ID == id })
}
