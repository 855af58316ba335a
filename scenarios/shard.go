package scenarios

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ShardSpec is --shard K/N: this run is the K-th of N (1 ≤ K ≤ N).
type ShardSpec struct {
	Index, Count int
}

// maxShards bounds N: more runners than that is a typo.
const maxShards = 256

// ParseShard parses "K/N", e.g. "2/3".
func ParseShard(s string) (ShardSpec, error) {
	k, n, ok := strings.Cut(strings.TrimSpace(s), "/")
	ki, err1 := strconv.Atoi(k)
	ni, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || ni < 1 || ni > maxShards || ki < 1 || ki > ni {
		return ShardSpec{}, fmt.Errorf("scenarios: --shard %q: want K/N with 1 <= K <= N <= %d, e.g. 2/3", s, maxShards)
	}
	return ShardSpec{Index: ki, Count: ni}, nil
}

func (s ShardSpec) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// ShardPlan splits a selection of scenarios into N shards: deterministic
// (the same selection and durations give the same plan on every runner),
// disjoint, and together the whole selection. Shards are balanced by
// expected duration: each scenario, longest first (ties by ID), goes to the
// shard with the least time so far (ties to the lowest shard). A scenario
// without a recorded duration counts as the median of those recorded, or
// as one unit when none is: the shards then get the same number of
// scenarios. Within a shard, scenarios keep the selection's order.
type ShardPlan struct {
	// Shards[i] is shard i+1.
	Shards [][]Scenario
	// Digest identifies the plan: runs that shared it can be merged.
	Digest string
	// Expected[i] is shard i+1's expected scenario time.
	Expected []time.Duration
}

// PlanShards computes the plan of n shards for scs; durations are those
// of an earlier run, by scenario ID (nil: balance by count).
func PlanShards(scs []Scenario, n int, durations map[string]time.Duration) ShardPlan {
	weight := shardWeights(scs, durations)
	order := make([]int, len(scs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp.Compare(weight[b], weight[a]); c != 0 {
			return c
		}
		return strings.Compare(scs[a].ID, scs[b].ID)
	})
	load := make([]time.Duration, n)
	shardOf := make([]int, len(scs))
	for _, i := range order {
		s := slices.Index(load, slices.Min(load))
		shardOf[i] = s
		load[s] += weight[i]
	}
	plan := ShardPlan{Shards: make([][]Scenario, n), Expected: load}
	h := sha256.New()
	fmt.Fprintf(h, "%d\n", n)
	for i, sc := range scs {
		plan.Shards[shardOf[i]] = append(plan.Shards[shardOf[i]], sc)
		fmt.Fprintf(h, "%s %d\n", sc.ID, shardOf[i])
	}
	plan.Digest = hex.EncodeToString(h.Sum(nil))[:16]
	return plan
}

// shardWeights is each scenario's expected duration: recorded, else the
// median of the recorded ones, else one unit.
func shardWeights(scs []Scenario, durations map[string]time.Duration) []time.Duration {
	var known []time.Duration
	for _, sc := range scs {
		if d := durations[sc.ID]; d > 0 {
			known = append(known, d)
		}
	}
	fallback := time.Second
	if len(known) > 0 {
		slices.Sort(known)
		fallback = known[len(known)/2]
	}
	weight := make([]time.Duration, len(scs))
	for i, sc := range scs {
		weight[i] = fallback
		if d := durations[sc.ID]; d > 0 {
			// Milliseconds are precise enough, and reports round to them.
			weight[i] = d.Round(time.Millisecond)
		}
	}
	return weight
}
