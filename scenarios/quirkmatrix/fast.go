package quirkmatrix

import (
	"context"
	"slices"
	"sync"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/launch"
)

// Fast is [Run]'s matrix computed with fewer runs.
// A baseline runs each scenario alone against a fresh mock with no quirk
// on and records which quirk switches the mock read while serving it
// ([mockprovider.Provider.QuirksConsulted]). A quirk whose switch a
// scenario never made the mock read cannot change a byte of what the
// scenario saw, so its verdict with that quirk on is its baseline
// verdict; only the scenarios that consulted a quirk run again with it
// on, each against a fresh mock. make quirk-matrix runs both matrices and
// checks that they are identical.
type Fast struct {
	*Matrix
	// Consulted lists, by scenario ID, the quirks its baseline run read.
	Consulted map[string][]mockprovider.Quirk
	// Runs counts the scenario runs, the baseline's included.
	Runs int
}

// RunFast computes the quirk matrix of scs (nil: the catalog) with
// [Fast]'s method, parallel scenario runs at a time.
func RunFast(ctx context.Context, b *browser.Browser, quirks []mockprovider.Quirk, scs []scenarios.Scenario, parallel int) (*Fast, error) {
	if scs == nil {
		scs = scenarios.Catalog()
	}
	m := &Fast{
		Matrix:    &Matrix{Quirks: quirks, Scenarios: scs, Verdicts: map[mockprovider.Quirk]map[string]scenarios.Result{}},
		Consulted: map[string][]mockprovider.Quirk{},
	}
	baseline := make([]quirkJob, len(scs))
	for i := range scs {
		baseline[i] = quirkJob{sc: &scs[i]}
	}
	if err := runQuirkJobs(ctx, b, baseline, parallel); err != nil {
		return nil, err
	}
	var again []quirkJob
	for _, q := range quirks {
		m.Verdicts[q] = map[string]scenarios.Result{}
		for _, job := range baseline {
			m.Consulted[job.sc.ID] = job.consulted
			if slices.Contains(job.consulted, q) {
				again = append(again, quirkJob{sc: job.sc, quirk: q})
			} else {
				m.Verdicts[q][job.sc.ID] = job.result
			}
		}
	}
	if err := runQuirkJobs(ctx, b, again, parallel); err != nil {
		return nil, err
	}
	for _, job := range again {
		m.Verdicts[job.quirk][job.sc.ID] = job.result
	}
	m.Runs = len(baseline) + len(again)
	return m, nil
}

// quirkJob is one scenario run against a fresh mock with at most one
// quirk on.
type quirkJob struct {
	sc        *scenarios.Scenario
	quirk     mockprovider.Quirk // "" for the baseline
	result    scenarios.Result
	consulted []mockprovider.Quirk
}

// runQuirkJobs runs the jobs, parallel at a time, each against a mock
// of its own (so that a scenario moving the clock disturbs no other).
func runQuirkJobs(ctx context.Context, b *browser.Browser, jobs []quirkJob, parallel int) error {
	next := make(chan *quirkJob)
	var wg sync.WaitGroup
	var errMu sync.Mutex
	var firstErr error
	for range max(parallel, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range next {
				if err := job.run(ctx, b); err != nil {
					errMu.Lock()
					firstErr = cmpOr(firstErr, err)
					errMu.Unlock()
				}
			}
		}()
	}
	for i := range jobs {
		next <- &jobs[i]
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

func (j *quirkJob) run(ctx context.Context, b *browser.Browser) error {
	var opts []mockprovider.Option
	if j.quirk != "" {
		opts = append(opts, mockprovider.WithQuirks(j.quirk))
	}
	srv := mockprovider.NewServer(opts...)
	defer srv.Close()
	spec, err := launch.MockSpec(srv)
	if err != nil {
		return err
	}
	j.result = scenarios.Runner{Spec: spec, Browser: b}.RunOne(ctx, *j.sc)
	j.consulted = srv.Provider.QuirksConsulted()
	return nil
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
