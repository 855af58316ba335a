package browser

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"
)

// A tab is an incognito browser context with its one page, used by one
// session at a time. Unless Options.FreshContexts, closing the session
// resets the tab for the next one (see Browser.recycle and tab.reset)
// instead of disposing of it: the context, its window and its renderer
// process, already warm, stay.
type tab struct {
	b     *Browser
	ctxID proto.BrowserBrowserContextID
	life  context.Context // ends when the tab is disposed of
	stop  context.CancelFunc

	page      *rod.Page
	mainFrame proto.PageFrameID

	mu    sync.Mutex
	user  *session // the session the page's events go to; nil between sessions
	uses  int      // sessions that used the context before, for tests and logs
	alive bool     // not disposed of
}

// viewport is the size of every page, whatever the window's.
var viewport = proto.EmulationSetDeviceMetricsOverride{Width: 1280, Height: 800, DeviceScaleFactor: 1}

// prepare creates an incognito context and its page and starts listening
// to the page's events. ctx bounds the creation.
func (b *Browser) prepare(ctx context.Context) (*tab, error) {
	res, err := proto.TargetCreateBrowserContext{}.Call(b.rod.Context(ctx))
	if err != nil {
		return nil, err
	}
	life, stop := context.WithCancel(b.poolCtx)
	t := &tab{b: b, ctxID: res.BrowserContextID, life: life, stop: stop, alive: true}
	b.mu.Lock()
	b.tabs[t] = struct{}{}
	b.mu.Unlock()
	fail := func(err error) (*tab, error) {
		_ = t.dispose()
		return nil, err
	}
	target, err := proto.TargetCreateTarget{URL: "about:blank", BrowserContextID: t.ctxID}.Call(b.rod.Context(ctx))
	if err != nil {
		return fail(err)
	}
	incognito := *b.rod // rod's Browser.Incognito, with our context id
	incognito.BrowserContextID = t.ctxID
	page, err := incognito.PageFromTarget(target.TargetID) // attaches, enables Page
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		b.rod.RemoveState(target.TargetID)
		return fail(err)
	}
	t.page, t.mainFrame = page, page.FrameID
	events := page.Context(life).Event() // subscribed now: no event is missed
	go t.listen(events)
	err = proto.NetworkEnable{}.Call(page.Context(ctx))
	if err == nil {
		err = viewport.Call(page.Context(ctx))
	}
	if err == nil { // no file ever lands in ~/Downloads
		err = proto.BrowserSetDownloadBehavior{Behavior: proto.BrowserSetDownloadBehaviorBehaviorDeny,
			BrowserContextID: t.ctxID}.Call(b.rod.Context(ctx))
	}
	if err != nil {
		return fail(err)
	}
	return t, nil
}

// begin starts a session on the tab: from now on the page's events are its.
// A reset's own session serves no request.
func (t *tab) begin(id int, reset bool) *session {
	b := t.b
	life, stop := context.WithCancel(t.life)
	s := &session{b: b, t: t, id: id, log: b.log.With("session", id), ctxID: t.ctxID,
		page: t.page, mainFrame: t.mainFrame, life: life, stop: stop,
		changed: make(chan struct{}), url: "about:blank", reset: reset}
	t.mu.Lock()
	t.user = s
	t.mu.Unlock()
	return s
}

// release detaches s from the tab: the page's events no longer reach it.
func (t *tab) release(s *session) {
	t.mu.Lock()
	if t.user == s {
		t.user = nil
	}
	t.mu.Unlock()
}

// current is the session the page's events go to, if any.
func (t *tab) current() *session {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.user
}

// dispose closes the tab's browser context (its pages, cookies and storage)
// and stops its event loops. It is idempotent.
func (t *tab) dispose() error {
	t.mu.Lock()
	alive := t.alive
	t.alive = false
	t.mu.Unlock()
	if !alive {
		return nil
	}
	t.b.mu.Lock()
	delete(t.b.tabs, t)
	t.b.mu.Unlock()
	t.stop()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := proto.TargetDisposeBrowserContext{BrowserContextID: t.ctxID}.Call(t.b.rod.Context(ctx))
	if t.page != nil {
		t.b.rod.RemoveState(t.page.TargetID)
	}
	return err
}

// listen hands the page's events to the session using the tab, until the
// tab is disposed of. Dialogs are accepted whoever uses the tab, and the
// requests paused for a session that is gone are failed.
func (t *tab) listen(events <-chan *rod.Message) {
	for msg := range events {
		switch msg.Method {
		case "Page.javascriptDialogOpening":
			var e proto.PageJavascriptDialogOpening
			if msg.Load(&e) {
				t.b.log.Debug("browser: accepting a dialog", "type", e.Type, "message", e.Message)
				go func() {
					ctx, cancel := context.WithTimeout(t.life, time.Second)
					defer cancel()
					_ = proto.PageHandleJavaScriptDialog{Accept: true}.Call(t.page.Context(ctx))
				}()
			}
		case "Fetch.requestPaused":
			var e proto.FetchRequestPaused
			if !msg.Load(&e) {
				continue
			}
			if s := t.current(); s != nil && !s.reset && !s.isClosed() {
				go s.serve(&e)
			} else { // its session is gone: the request must not reach the network
				go func() {
					ctx, cancel := context.WithTimeout(t.life, time.Second)
					defer cancel()
					_ = proto.FetchFailRequest{RequestID: e.RequestID,
						ErrorReason: proto.NetworkErrorReasonAborted}.Call(t.page.Context(ctx))
				}()
			}
		default:
			if s := t.current(); s != nil {
				s.handle(msg)
			}
		}
	}
}

// resetTimeout bounds the reset of a tab; one that takes longer is
// disposed of.
const resetTimeout = 5 * time.Second

// reset makes the tab of the closed session prev as good as new for the
// next session (what that means is documented on Browser.NewSession).
//
// The page goes back to about:blank, the other pages of the context are
// closed, the page's history, window.name and Fetch patterns go, and the
// data the context keeps is cleared. Chromium has no command to reset a
// context, so each is done on its own, and TestRecycledSessionIsFresh checks
// each.
func (t *tab) reset(prev *session) error {
	t.release(prev)
	ctx, cancel := context.WithTimeout(t.life, resetTimeout)
	defer cancel()
	r := t.begin(0, true) // the reset's own session: its events track the navigation
	defer func() {
		r.markClosed()
		t.release(r)
	}()
	page := r.page.Context(ctx)
	// about:blank unloads the last document and stops every load, so that
	// no request of the session is still paused when the Fetch patterns go.
	if err := (&Session{session: r, ctx: ctx, timeout: resetTimeout}).Navigate("about:blank"); err != nil {
		return err
	}
	// The pages it opened go next (first, their closing can hang), and
	// they must not have navigated it meanwhile.
	if err := t.closeOthers(ctx, r.page.TargetID); err != nil {
		return err
	}
	r.mu.Lock()
	moved := r.starts != 1 || r.loading || r.url != "about:blank"
	r.mu.Unlock()
	if moved {
		return errors.New("the page navigated while it was reset")
	}
	prev.mu.Lock()
	fetching := prev.fetching
	prev.mu.Unlock()
	for _, c := range clearCalls(page, fetching) {
		if err := c.call(); err != nil {
			return fmt.Errorf("%s: %w", c.what, err)
		}
	}
	t.mu.Lock()
	t.uses++
	t.mu.Unlock()
	return ctx.Err()
}

// clearCall is one DevTools command of a reset, named for its error.
type clearCall struct {
	what string
	call func() error
}

// clearCalls are the commands that clear what a session left in its page
// and context; fetching says whether the session enabled Fetch.
func clearCalls(page *rod.Page, fetching bool) []clearCall {
	return []clearCall{
		{"disable Fetch", func() error {
			if !fetching {
				return nil
			}
			return proto.FetchDisable{}.Call(page)
		}},
		{"reset the history", func() error { return proto.PageResetNavigationHistory{}.Call(page) }},
		{"empty window.name", func() error {
			res, err := proto.RuntimeEvaluate{Expression: `window.name = ""`}.Call(page)
			if err == nil && res.ExceptionDetails != nil {
				err = errors.New(res.ExceptionDetails.Text)
			}
			return err
		}},
		// An opaque origin clears the data of every origin in the page's
		// storage partition, the context's: cookies, localStorage,
		// sessionStorage (which a single origin would not clear),
		// IndexedDB, Cache Storage, service workers, file systems,
		// partitioned data of third-party frames, ...
		{"clear cookies and storage", func() error {
			return proto.StorageClearDataForOrigin{Origin: "", StorageTypes: "all"}.Call(page)
		}},
		{"clear the HTTP cache", func() error { return proto.NetworkClearBrowserCache{}.Call(page) }},
		// Turning the cache off evicts the renderer's in-memory cache, which
		// the reused renderer process would otherwise keep.
		{"clear the memory cache", func() error { return proto.NetworkSetCacheDisabled{CacheDisabled: true}.Call(page) }},
		{"enable the cache", func() error { return proto.NetworkSetCacheDisabled{CacheDisabled: false}.Call(page) }},
	}
}

// closeOthers closes the pages of the tab's context but keep, and waits
// until they are gone: pages the session opened (window.open,
// target=_blank) could script the next session's page, or go on loading.
// Closing is asynchronous, and Target events are not enabled, so it polls;
// a session that opened no page costs one call.
func (t *tab) closeOthers(ctx context.Context, keep proto.TargetTargetID) error {
	browser := t.b.rod.Context(ctx)
	closing := map[proto.TargetTargetID]bool{}
	for pause := time.Millisecond; ; pause = min(2*pause, 50*time.Millisecond) {
		targets, err := proto.TargetGetTargets{}.Call(browser)
		if err != nil {
			return fmt.Errorf("list pages: %w", err)
		}
		left := false
		for _, ti := range targets.TargetInfos {
			if ti.BrowserContextID != t.ctxID || ti.TargetID == keep || ti.Type != proto.TargetTargetInfoTypePage {
				continue // workers go with their pages, or with the storage
			}
			left = true
			if closing[ti.TargetID] {
				continue
			}
			closing[ti.TargetID] = true
			if _, err := (proto.TargetCloseTarget{TargetID: ti.TargetID}).Call(browser); err != nil {
				return fmt.Errorf("close page %s: %w", ti.URL, err)
			}
		}
		if !left {
			return nil
		}
		select {
		case <-time.After(pause):
		case <-ctx.Done():
			return fmt.Errorf("close the other pages: %w", ctx.Err())
		}
	}
}
