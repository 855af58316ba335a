package scenarios

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// Runner runs scenarios against a target.
type Runner struct {
	// Spec describes the provider under test.
	Spec *providerspec.Spec
	// Browser drives the browser scenarios; without one they are skipped.
	Browser *browser.Browser
	// Scenarios to run; nil means the whole catalog.
	Scenarios []Scenario
	// Parallel is how many scenarios run at once (default 1). Scenarios
	// that move the provider's clock always run alone, after the others.
	Parallel int
	// ScenarioTimeout bounds one scenario (default: 6 step timeouts).
	ScenarioTimeout time.Duration
	// Progress, when set, is called as each scenario finishes.
	Progress func(Result)
}

// Exclusive reports whether a scenario must run alone: it moves the
// provider's clock, which other scenarios' codes and tokens would feel.
func (s *Scenario) Exclusive() bool { return slices.Contains(s.Needs, NeedClock) }

// Run runs the scenarios and returns their results in catalog order.
func (r Runner) Run(ctx context.Context) []Result {
	scs := r.Scenarios
	if scs == nil {
		scs = Catalog()
	}
	results := make([]Result, len(scs))
	var shared, alone []int
	for i := range scs {
		if scs[i].Exclusive() {
			alone = append(alone, i)
		} else {
			shared = append(shared, i)
		}
	}
	tr := r.Spec.Transport()
	defer tr.CloseIdleConnections()
	var progressMu sync.Mutex
	runOne := func(i int) {
		results[i] = r.runScenario(ctx, &scs[i], tr)
		if r.Progress != nil {
			progressMu.Lock()
			r.Progress(results[i])
			progressMu.Unlock()
		}
	}
	workers := max(r.Parallel, 1)
	if m := r.Spec.MaxParallel; m > 0 {
		workers = min(workers, m)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				runOne(i)
			}
		}()
	}
	for _, i := range shared {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, i := range alone {
		runOne(i)
	}
	return results
}

// RunOne runs one scenario, for callers that schedule scenarios
// themselves (package conformancetest runs each as a subtest): they must
// run an [Scenario.Exclusive] scenario alone. Progress is not called.
func (r Runner) RunOne(ctx context.Context, sc Scenario) Result {
	tr := r.Spec.Transport()
	defer tr.CloseIdleConnections()
	return r.runScenario(ctx, &sc, tr)
}

func (r Runner) runScenario(ctx context.Context, sc *Scenario, tr *http.Transport) Result {
	if err := ctx.Err(); err != nil {
		return Result{ID: sc.ID, Level: sc.Level, RFC: sc.RFC, Description: sc.Description, Verdict: Skip, Reason: "the run was interrupted"}
	}
	limit := r.ScenarioTimeout
	if limit <= 0 {
		limit = 6 * r.Spec.StepTimeout()
	}
	sctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	return ApplyExpected(newT(sctx, sc, r.Spec, r.Browser, tr).run(), r.Spec.ExpectedFailures)
}
