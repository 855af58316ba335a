package scenarios_test

import (
	"context"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// The tests in this file check the harness (T, Runner) with scenarios
// written for them: no browser, no provider.

// offlineSpec describes a provider nobody calls: enough for the harness.
func offlineSpec() *providerspec.Spec {
	s := &providerspec.Spec{
		Name:         "offline",
		AuthorizeURL: "http://127.0.0.1:1/authorize",
		TokenURL:     "http://127.0.0.1:1/token",
		MeURL:        "http://127.0.0.1:1/me",
		Clients: map[string]*providerspec.Client{
			"primary": {ID: "client", Secret: "client-secret-value", RedirectURI: "http://127.0.0.1:2/cb"},
		},
		User: providerspec.User{Username: "alice", Password: "wonderland-password"},
	}
	s.ApplyDefaults()
	return s
}

// fakeClock is a clock the harness can move; it counts the moves.
type fakeClock struct{ moved atomic.Int64 }

func (c *fakeClock) Advance(_ context.Context, d time.Duration) error {
	c.moved.Add(int64(d))
	return nil
}

func scenario(id string, level scenarios.Level, run func(*scenarios.T), needs ...providerspec.Capability) scenarios.Scenario {
	return scenarios.Scenario{ID: id, Level: level, RFC: "RFC 6749", Description: id, Needs: needs, Run: run}
}

func TestVerdicts(t *testing.T) {
	tests := []struct {
		name    string
		sc      scenarios.Scenario
		verdict scenarios.Verdict
		reason  string
		notes   []string
	}{
		{"returning passes", scenario("a/pass", scenarios.MUST, func(*scenarios.T) {}), scenarios.Pass, "", nil},
		{"Passf notes why", scenario("a/passf", scenarios.MUST, func(t *scenarios.T) { t.Passf("took the %s path", "short") }),
			scenarios.Pass, "", []string{"took the short path"}},
		{"Fatalf fails a MUST", scenario("a/must", scenarios.MUST, func(t *scenarios.T) { t.Fatalf("broken %d", 1) }),
			scenarios.Fail, "broken 1", nil},
		{"Fatalf warns a SHOULD", scenario("a/should", scenarios.SHOULD, func(t *scenarios.T) { t.Fatalf("weak") }),
			scenarios.Warn, "weak", nil},
		{"Check fails on false", scenario("a/check", scenarios.MUST, func(t *scenarios.T) {
			t.Check(true, "not this")
			t.Check(false, "this one")
		}), scenarios.Fail, "this one", nil},
		{"Skipf skips", scenario("a/skip", scenarios.MUST, func(t *scenarios.T) { t.Skipf("not here") }),
			scenarios.Skip, "not here", nil},
		{"a panic fails", scenario("a/panic", scenarios.MUST, func(*scenarios.T) { panic("boom") }),
			scenarios.Fail, "the scenario panicked: boom", nil},
		{"a missing browser skips", scenario("a/browser", scenarios.MUST, func(t *scenarios.T) { t.Fatalf("ran") }, providerspec.Browser),
			scenarios.Skip, "no browser in this run", nil},
		{"a missing second client skips", scenario("a/second", scenarios.MUST, func(t *scenarios.T) { t.Fatalf("ran") }, providerspec.SecondClient),
			scenarios.Skip, "the target has no secondary client (clients.secondary)", nil},
		{"a missing clock skips, also from Advance", scenario("a/clock", scenarios.MUST, func(t *scenarios.T) { t.Advance(time.Hour) }),
			scenarios.Skip, "the target's clock cannot be moved (capability clock)", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := scenarios.Runner{Spec: offlineSpec(), Scenarios: []scenarios.Scenario{tt.sc}}.Run(t.Context())
			require.Len(t, res, 1)
			assert.Equal(t, tt.sc.ID, res[0].ID)
			assert.Equal(t, tt.verdict, res[0].Verdict)
			assert.Equal(t, tt.reason, res[0].Reason)
			assert.Equal(t, tt.notes, res[0].Notes)
		})
	}
}

func TestCleanupsRunLastFirstAfterTheEnd(t *testing.T) {
	var order []string
	sc := scenario("a/cleanup", scenarios.MUST, func(t *scenarios.T) {
		t.Cleanup(func() { order = append(order, "first registered") })
		t.Cleanup(func() { order = append(order, "second registered") })
		t.Fatalf("ends here")
		order = append(order, "after Fatalf")
	})
	res := scenarios.Runner{Spec: offlineSpec(), Scenarios: []scenarios.Scenario{sc}}.Run(t.Context())
	assert.Equal(t, scenarios.Fail, res[0].Verdict)
	assert.Equal(t, []string{"second registered", "first registered"}, order)
}

func TestAdvanceMovesTheClock(t *testing.T) {
	spec := offlineSpec()
	clock := &fakeClock{}
	spec.Capabilities, spec.Clock = []providerspec.Capability{providerspec.Clock}, clock
	sc := scenario("a/advance", scenarios.MUST, func(t *scenarios.T) { t.Advance(10 * time.Minute) }, providerspec.Clock)
	res := scenarios.Runner{Spec: spec, Scenarios: []scenarios.Scenario{sc}}.Run(t.Context())
	assert.Equal(t, scenarios.Pass, res[0].Verdict, res[0].Reason)
	assert.Equal(t, int64(10*time.Minute), clock.moved.Load())
}

func TestRedaction(t *testing.T) {
	const token = "tok/en+with=specials"
	sc := scenario("a/redact", scenarios.MUST, func(t *scenarios.T) {
		t.Secret(token, "abc") // a value under 4 characters is not redacted
		t.Notef("note with %s and the password wonderland-password and abc", token)
		t.Fatalf("client-secret-value leaked in a URL: http://x/?t=%s", url.QueryEscape(token))
	})
	res := scenarios.Runner{Spec: offlineSpec(), Scenarios: []scenarios.Scenario{sc}}.Run(t.Context())
	require.Len(t, res[0].Notes, 1)
	for _, text := range []string{res[0].Reason, res[0].Notes[0]} {
		assert.NotContains(t, text, token)
		assert.NotContains(t, text, url.QueryEscape(token))
		assert.NotContains(t, text, "wonderland-password", "the user's password is a secret from the start")
		assert.NotContains(t, text, "client-secret-value", "the clients' secrets are secrets from the start")
		assert.Contains(t, text, "[redacted ")
	}
	assert.Contains(t, res[0].Notes[0], "and abc")
}

func TestScenarioTimeout(t *testing.T) {
	sc := scenario("a/hang", scenarios.MUST, func(t *scenarios.T) { <-t.Context().Done() })
	next := scenario("a/next", scenarios.MUST, func(*scenarios.T) {})
	res := scenarios.Runner{Spec: offlineSpec(), Scenarios: []scenarios.Scenario{sc, next}, ScenarioTimeout: 100 * time.Millisecond}.Run(t.Context())
	assert.Equal(t, scenarios.Fail, res[0].Verdict)
	assert.Equal(t, "timeout after 0.1 s", res[0].Reason)
	assert.Equal(t, scenarios.Pass, res[1].Verdict, "the run goes on")
}

func TestInterruptedRun(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	started := make(chan struct{})
	sc := scenario("a/interrupted", scenarios.MUST, func(t *scenarios.T) {
		close(started)
		<-t.Context().Done()
	})
	after := scenario("a/after", scenarios.MUST, func(*scenarios.T) {})
	go func() { <-started; cancel() }()
	res := scenarios.Runner{Spec: offlineSpec(), Scenarios: []scenarios.Scenario{sc, after}}.Run(ctx)
	assert.Equal(t, scenarios.Fail, res[0].Verdict)
	assert.Equal(t, "interrupted", res[0].Reason)
	assert.Equal(t, scenarios.Skip, res[1].Verdict)
	assert.Equal(t, "the run was interrupted", res[1].Reason)
}

// concurrency tracks how many scenarios run at once.
type concurrency struct {
	mu              sync.Mutex
	now, most       int
	exclusiveShared bool // an exclusive scenario saw another one running
}

func (c *concurrency) enter(exclusive bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now++
	c.most = max(c.most, c.now)
	if exclusive && c.now > 1 {
		c.exclusiveShared = true
	}
}

func (c *concurrency) leave() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now--
}

// TestParallelAndExclusive: shared scenarios run Parallel at a time
// (they meet at a barrier, which only a parallel run passes); those that
// move the clock run alone, after the shared ones; results keep the
// given order; Progress sees every result.
func TestParallelAndExclusive(t *testing.T) {
	spec := offlineSpec()
	spec.Capabilities, spec.Clock = []providerspec.Capability{providerspec.Clock}, &fakeClock{}
	var c concurrency
	var sharedDone atomic.Int32
	barrier := make(chan struct{})
	var arrived atomic.Int32
	shared := func(t *scenarios.T) {
		c.enter(false)
		defer c.leave()
		if arrived.Add(1) == 3 {
			close(barrier)
		}
		select {
		case <-barrier:
		case <-t.Context().Done():
			t.Fatalf("the three shared scenarios never ran at once")
		}
		sharedDone.Add(1)
	}
	alone := func(t *scenarios.T) {
		c.enter(true)
		defer c.leave()
		t.Check(sharedDone.Load() == 3, "an exclusive scenario ran before the shared ones were done")
	}
	scs := []scenarios.Scenario{
		scenario("p/alone-1", scenarios.MUST, alone, providerspec.Clock),
		scenario("p/shared-1", scenarios.MUST, shared),
		scenario("p/shared-2", scenarios.MUST, shared),
		scenario("p/alone-2", scenarios.MUST, alone, providerspec.Clock),
		scenario("p/shared-3", scenarios.MUST, shared),
	}
	var progressed []string
	res := scenarios.Runner{Spec: spec, Scenarios: scs, Parallel: 3, ScenarioTimeout: 5 * time.Second,
		Progress: func(r scenarios.Result) { progressed = append(progressed, r.ID) }}.Run(t.Context())
	require.Len(t, res, len(scs))
	for i, r := range res {
		assert.Equal(t, scs[i].ID, r.ID, "results keep the scenarios' order")
		assert.Equal(t, scenarios.Pass, r.Verdict, "%s: %s", r.ID, r.Reason)
	}
	assert.Equal(t, 3, c.most)
	assert.False(t, c.exclusiveShared, "a clock-moving scenario ran beside another")
	assert.ElementsMatch(t, []string{"p/alone-1", "p/shared-1", "p/shared-2", "p/alone-2", "p/shared-3"}, progressed)
	assert.Equal(t, []string{"p/alone-1", "p/alone-2"}, progressed[3:], "the exclusive ones come last")
}

// TestMaxParallelCaps: a provider's max_parallel caps the workers.
func TestMaxParallelCaps(t *testing.T) {
	spec := offlineSpec()
	spec.MaxParallel = 1
	var c concurrency
	run := func(*scenarios.T) {
		c.enter(false)
		defer c.leave()
		time.Sleep(time.Millisecond) // give another worker, if any, the chance to overlap
	}
	var scs []scenarios.Scenario
	for _, id := range []string{"m/1", "m/2", "m/3", "m/4"} {
		scs = append(scs, scenario(id, scenarios.MUST, run))
	}
	res := scenarios.Runner{Spec: spec, Scenarios: scs, Parallel: 4}.Run(t.Context())
	for _, r := range res {
		assert.Equal(t, scenarios.Pass, r.Verdict)
	}
	assert.Equal(t, 1, c.most)
}
