package scenarios

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/mockprovider"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/providerspec"
)

// T is the handle a scenario runs with: the target, a browser session on
// demand, HTTP probes that record evidence, and the verdict calls.
// Fatalf, Skipf and Passf end the scenario, like testing.T's FailNow.
type T struct {
	ctx  context.Context
	sc   *Scenario
	Spec *providerspec.Spec

	browser *browser.Browser
	session *sessionState
	// transport is the run's own: httptest servers closing elsewhere in
	// the process close http.DefaultTransport's idle connections.
	transport *http.Transport

	mu       sync.Mutex
	res      Result
	secrets  []string
	cleanups []func()
	done     bool
}

func newT(ctx context.Context, sc *Scenario, tg *providerspec.Spec, b *browser.Browser, tr *http.Transport) *T {
	t := &T{ctx: ctx, sc: sc, Spec: tg, browser: b, transport: tr}
	t.res = Result{ID: sc.ID, Level: sc.Level, RFC: sc.RFC, Description: sc.Description, Verdict: Pass}
	for _, c := range tg.Clients {
		t.Secret(c.Secret)
	}
	t.Secret(tg.User.Password)
	t.Secret(tg.Secrets...)
	return t
}

// Context is the scenario's context; it ends when the scenario times out.
func (t *T) Context() context.Context { return t.ctx }

// Timeout is the bound of one step.
func (t *T) Timeout() time.Duration { return t.Spec.StepTimeout() }

// end records the verdict and stops the scenario's goroutine.
func (t *T) end(v Verdict, reason string) {
	t.mu.Lock()
	if !t.done {
		t.res.Verdict, t.res.Reason, t.done = v, reason, true
	}
	t.mu.Unlock()
	runtime.Goexit()
}

// Fatalf ends the scenario: it failed (warned, for a SHOULD rule).
func (t *T) Fatalf(format string, args ...any) {
	v := Fail
	if t.sc.Level == SHOULD {
		v = Warn
	}
	t.end(v, t.redact(fmt.Sprintf(format, args...)))
}

// Skipf ends the scenario as skipped with the reason.
func (t *T) Skipf(format string, args ...any) { t.end(Skip, fmt.Sprintf(format, args...)) }

// Passf ends the scenario as passed, noting why.
func (t *T) Passf(format string, args ...any) {
	t.Notef(format, args...)
	t.end(Pass, "")
}

// Check fails the scenario unless cond holds.
func (t *T) Check(cond bool, format string, args ...any) {
	if !cond {
		t.Fatalf(format, args...)
	}
}

// Notef adds a note to the result: what the provider did where the RFC
// lets it choose.
func (t *T) Notef(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.res.Notes = append(t.res.Notes, t.redactLocked(fmt.Sprintf(format, args...)))
}

// Secret marks a value (a code, token or secret) to be redacted from the
// evidence.
func (t *T) Secret(values ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, v := range values {
		if len(v) >= 4 && !slices.Contains(t.secrets, v) {
			t.secrets = append(t.secrets, v)
		}
	}
}

func (t *T) redact(s string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.redactLocked(s)
}

func (t *T) redactLocked(s string) string {
	for _, v := range t.secrets {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, mockprovider.Redact(v))
		}
		if q := url.QueryEscape(v); q != v && strings.Contains(s, q) {
			s = strings.ReplaceAll(s, q, mockprovider.Redact(v))
		}
	}
	return s
}

// Cleanup registers a function to run when the scenario ends.
func (t *T) Cleanup(f func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.cleanups = append(t.cleanups, f)
}

// Need skips the scenario unless the provider has the capability.
func (t *T) Need(c providerspec.Capability) {
	if c == providerspec.Browser && t.browser == nil {
		t.Skipf("no browser in this run")
	}
	if reason := t.Spec.Lacks(c); reason != "" {
		t.Skipf("%s", reason)
	}
}

// Advance moves the provider's clock, or skips without a clock.
func (t *T) Advance(d time.Duration) {
	t.Need(providerspec.Clock)
	if err := t.Spec.Clock.Advance(t.ctx, d); err != nil {
		t.Fatalf("could not move the provider's clock: %v", err)
	}
}

// run executes the scenario and returns its result.
func (t *T) run() Result {
	start := time.Now()
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer t.runCleanups()
		defer func() {
			if v := recover(); v != nil {
				t.mu.Lock()
				if !t.done {
					t.res.Verdict, t.res.Reason, t.done = Fail, fmt.Sprintf("the scenario panicked: %v", v), true
				}
				t.mu.Unlock()
			}
		}()
		for _, c := range t.sc.Needs {
			t.Need(c)
		}
		t.sc.Run(t)
	}()
	select {
	case <-done:
	case <-t.ctx.Done():
		t.mu.Lock()
		if !t.done {
			reason := "timeout after " + seconds(time.Since(start)) + " s"
			if !errors.Is(t.ctx.Err(), context.DeadlineExceeded) {
				reason = "interrupted"
			}
			t.res.Verdict, t.res.Reason, t.done = Fail, reason, true
		}
		t.mu.Unlock()
		// Give the scenario's goroutine a moment to unwind its session.
		select {
		case <-done:
		case <-time.After(2 * time.Second):
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.done = true
	t.res.Duration = time.Since(start)
	res := t.res
	res.Notes = slices.Clone(res.Notes)
	res.Evidence.Exchanges = slices.Clone(res.Evidence.Exchanges)
	res.Evidence.Pages = slices.Clone(res.Evidence.Pages)
	t.redactResultLocked(&res)
	return res
}

func (t *T) runCleanups() {
	t.mu.Lock()
	fs := t.cleanups
	t.cleanups = nil
	t.mu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
}
