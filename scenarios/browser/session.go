package browser

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	neturl "net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"
)

// A Session is one incognito browser context with one page, for one
// scenario. Each step (Navigate, Fill, Click, ...) waits for what it causes
// to finish, event-driven, and fails with a [*TimeoutError] after the
// session's timeout. A Session's methods are safe for concurrent use, though
// steps on one page naturally run one after the other.
//
// Unless [Options.FreshContexts], the context may be one that an earlier,
// closed session used, reset: see [Browser.NewSession] for what that
// guarantees.
type Session struct {
	*session
	ctx     context.Context
	timeout time.Duration
}

// session is one use of a tab, the state shared by a Session and its
// WithTimeout copies. Its page, context id and main frame are the tab's.
type session struct {
	b         *Browser
	t         *tab
	id        int
	log       *slog.Logger
	ctxID     proto.BrowserBrowserContextID
	page      *rod.Page
	mainFrame proto.PageFrameID
	life      context.Context // ends when the session is closed
	stop      context.CancelFunc

	mu        sync.Mutex
	closed    bool
	changed   chan struct{} // closed and replaced on every change below
	starts    int           // main-frame loads started
	requested int           // main-frame navigations requested by the page
	loading   bool
	url       string
	requests  []Request
	routes    []*Interceptor
	fetching  bool   // Fetch.enable was called
	spoiled   string // why the tab must not be reused, if it must not
	reset     bool   // the tab's reset, not a user's: it serves no request

	fetchMu sync.Mutex // serialises Fetch.enable calls
}

// Close ends the session. Unless [Options.FreshContexts], its browser
// context is then reset in the background, to be used by a later session
// (see [Browser.NewSession]); otherwise, or if it cannot be reset, it is
// disposed of, with its page, cookies and storage. Close is idempotent;
// closing the Browser closes every session.
func (s *Session) Close() error {
	if !s.markClosed() {
		return nil
	}
	s.b.forget(s.session)
	if s.b.recycle(s.session) {
		return nil
	}
	s.t.release(s.session)
	err := s.t.dispose()
	if err != nil && !s.b.isClosed() {
		return fmt.Errorf("browser: close session: %w", err)
	}
	return nil
}

// markClosed ends the session's lifetime and reports whether it was open.
func (s *session) markClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.closed = true
	s.stop()
	s.notifyLocked()
	return true
}

// WithTimeout returns a view of the session whose steps time out after d.
// It shares everything else with s: closing either closes both.
func (s *Session) WithTimeout(d time.Duration) *Session {
	c := *s
	c.timeout = d
	return &c
}

// Page is the rod page of the session, for what this package does not do.
// Its context is the session's lifetime: bound calls with [rod.Page.Timeout].
// What it changes beyond the page's content and the data that
// [Browser.NewSession] lists (emulation, permissions, scripts added to new
// documents, ...) outlives the session unless [Options.FreshContexts].
func (s *Session) Page() *rod.Page { return s.page.Context(s.life) }

// URL is the address of the page as the address bar shows it: the current
// document's URL, or, when the last navigation failed, the URL that failed.
func (s *Session) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// Navigate loads url and waits until the page, and whatever it redirects to,
// has loaded. A URL that cannot be loaded (nothing listens there, say) gives
// a [*NavigationError]; a page that never finishes loading, a
// [*TimeoutError].
func (s *Session) Navigate(url string) error {
	if hasUserinfo(url) { // the browser keeps them in its HTTP auth cache, which no reset clears
		s.spoil("credentials in a URL")
	}
	return s.do("navigate to "+url, func(st *step) error {
		s.mu.Lock()
		loading, started := s.loading, s.starts
		s.mu.Unlock()
		if loading {
			_ = proto.PageStopLoading{}.Call(s.page.Context(st.ctx))
		}
		st.while = "waiting for the response"
		res, err := proto.PageNavigate{URL: url}.Call(s.page.Context(st.ctx))
		if err != nil {
			s.stopLoading()
			return err
		}
		if res.LoaderID == "" && res.ErrorText == "" {
			return nil // a same-document navigation (only the fragment changed)
		}
		st.while = "waiting for the page to load"
		err = s.await(st.ctx, func() bool { return s.starts > started && !s.loading })
		if res.ErrorText != "" {
			return &NavigationError{URL: url, Reason: res.ErrorText}
		}
		if err != nil {
			s.stopLoading()
		}
		return err
	})
}

// stopLoading stops a load that a step gave up on, so that the session is
// usable again.
func (s *session) stopLoading() {
	ctx, cancel := context.WithTimeout(s.life, time.Second)
	defer cancel()
	_ = proto.PageStopLoading{}.Call(s.page.Context(ctx))
}

// Fill types value into the text field (input, textarea) that selector
// matches, replacing its content, as a user would; a select gets the option
// with that value, a hidden input the value. It waits for the element to
// appear.
func (s *Session) Fill(selector, value string) error {
	return s.do(fmt.Sprintf("fill %q", selector), func(st *step) error {
		s.slowMotion()
		var typed bool
		if err := s.script(st, selector, &typed, fillScript, selector, value); err != nil {
			return err
		}
		st.while = ""
		if !typed {
			return nil
		}
		if err := (proto.InputInsertText{Text: value}).Call(s.page.Context(st.ctx)); err != nil {
			return err
		}
		var problem string
		if err := s.eval(st.ctx, &problem, fillCheckScript, value); err != nil {
			return err
		}
		if problem != "" {
			return errors.New(problem)
		}
		return nil
	})
}

// Click clicks the element that selector matches with the mouse, as a user
// would, after waiting for it to appear and scrolling it into view; it fails
// if the element is disabled, invisible or covered. If the click starts a
// navigation (a link, a form submission, a script setting location), Click
// waits until the new page has loaded.
func (s *Session) Click(selector string) error {
	return s.do(fmt.Sprintf("click %q", selector), func(st *step) error {
		s.slowMotion()
		token := fmt.Sprintf("%d-%d", s.id, time.Now().UnixNano())
		var pt struct{ X, Y float64 }
		if err := s.script(st, selector, &pt, clickScript, selector, token); err != nil {
			return err
		}
		st.while = ""
		s.mu.Lock()
		started, requested := s.starts, s.requested
		s.mu.Unlock()
		page := s.page.Context(st.ctx)
		for _, typ := range []proto.InputDispatchMouseEventType{
			proto.InputDispatchMouseEventTypeMouseMoved,
			proto.InputDispatchMouseEventTypeMousePressed,
			proto.InputDispatchMouseEventTypeMouseReleased,
		} {
			ev := proto.InputDispatchMouseEvent{Type: typ, X: pt.X, Y: pt.Y}
			if typ != proto.InputDispatchMouseEventTypeMouseMoved {
				ev.Button, ev.ClickCount = proto.InputMouseButtonLeft, 1
			}
			if err := ev.Call(page); err != nil {
				return err
			}
		}
		nav, err := s.clickNavigated(st.ctx, token, started, requested)
		if err != nil || !nav {
			return err
		}
		st.while = "waiting for the page it opened to load"
		err = s.await(st.ctx, func() bool { return s.starts > started && !s.loading })
		if err != nil {
			s.stopLoading()
		}
		return err
	})
}

// clickNavigated reports whether a click started a navigation of the page.
// The page knows as soon as the click is handled: a "navigate" event
// (Navigation API) fired, or a submit event that no handler cancelled; if the
// document is already gone, it did. The browser may also say so first: a
// navigation requested or started. Chromium sometimes holds an evaluation
// until a pending navigation commits, so the two are raced.
func (s *session) clickNavigated(ctx context.Context, token string, started, requested int) (bool, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		nav bool
		err error
	}
	checked := make(chan result, 1)
	go func() {
		var nav bool
		err := s.eval(ctx, &nav, clickCheckScript, token)
		if contextGone(err) {
			nav, err = true, nil
		}
		checked <- result{nav, err}
	}()
	for {
		s.mu.Lock()
		browserSaw, changed := s.starts > started || s.requested > requested, s.changed
		s.mu.Unlock()
		if browserSaw {
			return true, nil
		}
		select {
		case r := <-checked:
			return r.nav, r.err
		case <-changed:
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
}

// Has reports whether an element matches selector now; it does not wait for
// one to appear, only for a navigation in progress to finish.
func (s *Session) Has(selector string) (bool, error) {
	var ok bool
	err := s.do(fmt.Sprintf("look for %q", selector), func(st *step) error {
		return s.settled(st, &ok, hasScript, selector)
	})
	return ok, err
}

// Text is the text of the page as rendered (document.body.innerText).
func (s *Session) Text() (string, error) {
	var text string
	err := s.do("read the page's text", func(st *step) error {
		return s.settled(st, &text, textScript)
	})
	return text, err
}

// HTML is the page's current DOM serialised (document.documentElement.outerHTML).
func (s *Session) HTML() (string, error) {
	var html string
	err := s.do("read the page's HTML", func(st *step) error {
		return s.settled(st, &html, htmlScript)
	})
	return html, err
}

// Screenshot is a PNG of the viewport (1280x800), what the user sees now.
// It does not wait for anything and takes a few tens of milliseconds.
func (s *Session) Screenshot() ([]byte, error) {
	return s.capture(proto.PageCaptureScreenshotFormatPng, nil)
}

// ScreenshotJPEG is a JPEG of the viewport at the given quality (1 to
// 100): a fraction of the PNG's size and encoding time, for evidence
// taken at every step.
func (s *Session) ScreenshotJPEG(quality int) ([]byte, error) {
	return s.capture(proto.PageCaptureScreenshotFormatJpeg, &quality)
}

func (s *Session) capture(format proto.PageCaptureScreenshotFormat, quality *int) ([]byte, error) {
	var img []byte
	err := s.do("take a screenshot", func(st *step) error {
		res, err := proto.PageCaptureScreenshot{Format: format, Quality: quality,
			OptimizeForSpeed: true}.Call(s.page.Context(st.ctx))
		if err == nil {
			img = res.Data
		}
		return err
	})
	return img, err
}

// A Request is one request the page made, as the browser reported it
// (Network.requestWillBeSent): navigations, each hop of a redirect,
// subresources, fetches. Requests answered by an [Interceptor] are included.
type Request struct {
	Method string
	URL    string // without the fragment
	// Type is Chromium's resource type: "Document", "Script", "XHR",
	// "Fetch", "Image", "Other", ...
	Type string
	// Navigation is true for the documents of the page's main frame: what
	// the address bar showed.
	Navigation bool
}

// Requests is every request the page has made so far, in order (data: URLs
// left out).
func (s *Session) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// RequestsTo is the requests whose URL matches prefix, by the rule of
// [Session.Intercept]: for asserting that no request ever reached a
// callback. The error reports a malformed prefix.
func (s *Session) RequestsTo(prefix string) ([]Request, error) {
	p, err := parsePrefix(prefix)
	if err != nil {
		return nil, fmt.Errorf("browser: %q: %w", prefix, err)
	}
	var out []Request
	for _, r := range s.Requests() {
		if p.matchString(r.URL) {
			out = append(out, r)
		}
	}
	return out, nil
}

// step is the state of one running step.
type step struct {
	ctx   context.Context
	while string // what it waits for now, for the timeout message
}

var errStepTimeout = errors.New("step timeout")

// do runs one step under the session's timeout and names it in any error.
func (s *Session) do(what string, fn func(*step) error) error {
	if s.isClosed() {
		return fmt.Errorf("browser: %s: %w", what, ErrClosed)
	}
	ctx, cancel := context.WithTimeoutCause(s.ctx, s.timeout, errStepTimeout)
	defer cancel()
	defer context.AfterFunc(s.life, cancel)()
	st := &step{ctx: ctx}
	started := time.Now()
	err := fn(st)
	switch {
	case err == nil:
	case errors.As(err, new(*NavigationError)):
	case ctx.Err() != nil && context.Cause(ctx) == errStepTimeout:
		s.spoil("a step timed out: the page may be stuck")
		err = &TimeoutError{Step: what, While: st.while, After: s.timeout, URL: s.URL()}
	case s.isClosed():
		err = fmt.Errorf("browser: %s: %w", what, ErrClosed)
	case ctx.Err() != nil:
		err = fmt.Errorf("browser: %s: %w", what, context.Cause(ctx))
	default:
		err = fmt.Errorf("browser: %s: %w", what, err)
	}
	s.log.Debug("browser: step", "step", what, "took", time.Since(started), "err", err)
	return err
}

// spoil marks the tab as not to be reused, for reason.
func (s *session) spoil(reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.spoiled == "" {
		s.spoiled = reason
	}
}

func (s *session) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

func (s *Session) slowMotion() {
	if d := s.b.opts.SlowMotion; d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-s.ctx.Done():
		}
	}
}

// await waits until cond, evaluated under s.mu, holds.
func (s *session) await(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ok, closed, changed := cond(), s.closed, s.changed
		s.mu.Unlock()
		switch {
		case ok:
			return nil
		case closed:
			return ErrClosed
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// awaitLoaded waits for a navigation in progress to finish.
func (s *session) awaitLoaded(st *step) error {
	st.while = "waiting for the page to load"
	err := s.await(st.ctx, func() bool { return !s.loading })
	st.while = ""
	return err
}

// settled evaluates a script once no navigation is in progress, again if a
// navigation replaced the document meanwhile.
func (s *session) settled(st *step, out any, fn string, args ...any) error {
	for {
		if err := s.awaitLoaded(st); err != nil {
			return err
		}
		err := s.eval(st.ctx, out, fn, args...)
		if err == nil || !contextGone(err) || st.ctx.Err() != nil {
			return err
		}
	}
}

// script is settled for the scripts that first wait for an element.
func (s *session) script(st *step, selector string, out any, fn string, args ...any) error {
	for {
		if err := s.awaitLoaded(st); err != nil {
			return err
		}
		st.while = fmt.Sprintf("waiting for an element matching %q", selector)
		err := s.eval(st.ctx, out, fn, args...)
		if err == nil || !contextGone(err) || st.ctx.Err() != nil {
			return err
		}
	}
}

// contextGone reports an evaluation that failed because the document was
// replaced (a navigation) while it ran.
func contextGone(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	for _, s := range []string{"context was destroyed", "navigated or closed", "Cannot find context",
		"Cannot find default execution context", "Execution context is not available"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// handle keeps the session's view of the page up to date.
func (s *session) handle(msg *rod.Message) {
	switch msg.Method {
	case "Page.frameStartedLoading":
		var e proto.PageFrameStartedLoading
		if msg.Load(&e) && e.FrameID == s.mainFrame {
			s.update(func() { s.starts++; s.loading = true })
		}
	case "Page.frameRequestedNavigation":
		var e proto.PageFrameRequestedNavigation
		if msg.Load(&e) && e.FrameID == s.mainFrame && e.Disposition == proto.PageClientNavigationDispositionCurrentTab {
			s.update(func() { s.requested++ })
		}
	case "Page.frameStoppedLoading":
		var e proto.PageFrameStoppedLoading
		if msg.Load(&e) && e.FrameID == s.mainFrame {
			s.update(func() { s.loading = false })
		}
	case "Page.frameNavigated":
		var e proto.PageFrameNavigated
		if msg.Load(&e) && e.Frame.ID == s.mainFrame {
			u := e.Frame.URL + e.Frame.URLFragment
			if e.Frame.UnreachableURL != "" {
				u = e.Frame.UnreachableURL
			}
			s.update(func() { s.url = u })
		}
	case "Page.navigatedWithinDocument":
		var e proto.PageNavigatedWithinDocument
		if msg.Load(&e) && e.FrameID == s.mainFrame {
			s.update(func() { s.url = e.URL })
		}
	case "Network.requestWillBeSent":
		var e proto.NetworkRequestWillBeSent
		if msg.Load(&e) && !strings.HasPrefix(e.Request.URL, "data:") {
			r := Request{Method: e.Request.Method, URL: e.Request.URL, Type: string(e.Type),
				Navigation: e.Type == proto.NetworkResourceTypeDocument && e.FrameID == s.mainFrame}
			s.update(func() { s.requests = append(s.requests, r) })
		}
	}
}

// update changes the state under s.mu and wakes the waiters.
func (s *session) update(change func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	change()
	s.notifyLocked()
}

func (s *session) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// hasUserinfo reports a URL with credentials (http://user:password@host/).
func hasUserinfo(raw string) bool {
	u, err := neturl.Parse(raw)
	return err == nil && u.User != nil
}
