package browser

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"
)

// A tab is an incognito browser context with its one page, for one session
// at a time. Unless Options.FreshContexts, closing the session resets the
// tab for the next one (see Browser.recycle and tab.reset) instead of
// disposing of it: the context and its renderer process stay, the page is
// a new one.
type tab struct {
	b     *Browser
	ctxID proto.BrowserBrowserContextID
	life  context.Context // ends when the tab is disposed of
	stop  context.CancelFunc

	mu        sync.Mutex
	page      *rod.Page
	mainFrame proto.PageFrameID
	stopPage  context.CancelFunc // ends the page's event loop
	user      *session           // the session the page's events go to; nil between sessions
	uses      int                // sessions that used the context before, for tests and logs
	alive     bool               // not disposed of
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
	err = proto.BrowserSetDownloadBehavior{Behavior: proto.BrowserSetDownloadBehaviorBehaviorDeny, // no file ever lands in ~/Downloads
		BrowserContextID: res.BrowserContextID}.Call(b.rod.Context(ctx))
	if err == nil {
		err = t.openPage(ctx)
	}
	if err != nil {
		_ = t.dispose()
		return nil, err
	}
	return t, nil
}

// openPage opens a new page in the tab's context, at about:blank, and makes
// it the tab's page, listened to. The previous page, if any, is left to the
// caller.
func (t *tab) openPage(ctx context.Context) error {
	b := t.b
	target, err := proto.TargetCreateTarget{URL: "about:blank", BrowserContextID: t.ctxID}.Call(b.rod.Context(ctx))
	if err != nil {
		return err
	}
	incognito := *b.rod // rod's Browser.Incognito, with our context id
	incognito.BrowserContextID = t.ctxID
	page, err := incognito.PageFromTarget(target.TargetID) // attaches, enables Page
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		b.rod.RemoveState(target.TargetID)
		return err
	}
	listening, stopPage := context.WithCancel(t.life)
	events := page.Context(listening).Event() // subscribed now: no event is missed
	go t.listen(page, events)
	t.mu.Lock()
	t.page, t.mainFrame, t.stopPage = page, page.FrameID, stopPage
	t.mu.Unlock()
	err = proto.NetworkEnable{}.Call(page.Context(ctx))
	if err == nil {
		err = viewport.Call(page.Context(ctx))
	}
	return err
}

// begin starts a session on the tab: from now on the page's events are its.
func (t *tab) begin(id int) *session {
	b := t.b
	life, stop := context.WithCancel(t.life)
	t.mu.Lock()
	defer t.mu.Unlock()
	s := &session{b: b, t: t, id: id, log: b.log.With("session", id), ctxID: t.ctxID,
		page: t.page, mainFrame: t.mainFrame, life: life, stop: stop,
		changed: make(chan struct{}), url: "about:blank"}
	t.user = s
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

// userOf is the session that page's events go to, if any.
func (t *tab) userOf(page *rod.Page) *session {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.user == nil || t.user.page != page {
		return nil
	}
	return t.user
}

// dispose closes the tab's browser context (its pages, cookies and storage)
// and stops its event loops. It is idempotent.
func (t *tab) dispose() error {
	t.mu.Lock()
	alive, page := t.alive, t.page
	t.alive = false
	t.mu.Unlock()
	if !alive {
		return nil
	}
	t.stop()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := proto.TargetDisposeBrowserContext{BrowserContextID: t.ctxID}.Call(t.b.rod.Context(ctx))
	if page != nil {
		t.b.rod.RemoveState(page.TargetID)
	}
	return err
}

// listen hands the events of one of the tab's pages to the session using
// it, until the page is replaced or the tab disposed of. Dialogs are
// accepted whoever uses the tab, and requests paused for a session that is
// gone are failed.
func (t *tab) listen(page *rod.Page, events <-chan *rod.Message) {
	for msg := range events {
		switch msg.Method {
		case "Page.javascriptDialogOpening":
			var e proto.PageJavascriptDialogOpening
			if msg.Load(&e) {
				t.b.log.Debug("browser: accepting a dialog", "type", e.Type, "message", e.Message)
				go func() {
					ctx, cancel := context.WithTimeout(t.life, time.Second)
					defer cancel()
					_ = proto.PageHandleJavaScriptDialog{Accept: true}.Call(page.Context(ctx))
				}()
			}
		case "Fetch.requestPaused":
			var e proto.FetchRequestPaused
			if !msg.Load(&e) {
				continue
			}
			if s := t.userOf(page); s != nil && !s.isClosed() {
				go s.serve(&e)
			} else { // its session is gone: the request must not reach the network
				go func() {
					ctx, cancel := context.WithTimeout(t.life, time.Second)
					defer cancel()
					_ = proto.FetchFailRequest{RequestID: e.RequestID,
						ErrorReason: proto.NetworkErrorReasonAborted}.Call(page.Context(ctx))
				}()
			}
		default:
			if s := t.userOf(page); s != nil {
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
// The page is replaced by a new one, which, unlike the old one navigated to
// about:blank, has no history, no window.name, no sessionStorage, no
// interceptor, no opener or openee; with --renderer-process-limit=1 it
// lives in the context's renderer process, already warm. Then the data the
// context keeps across pages is cleared. Chromium has no command for "clear
// this context", so each kind is cleared on its own, and the tests check
// each.
func (t *tab) reset(prev *session) error {
	t.release(prev)
	ctx, cancel := context.WithTimeout(t.life, resetTimeout)
	defer cancel()
	browser := t.b.rod.Context(ctx)
	t.mu.Lock()
	old, stopOld := t.page, t.stopPage
	t.mu.Unlock()
	defer t.b.rod.RemoveState(old.TargetID)
	defer stopOld() // after closing it: its dialogs are accepted till then
	T0 := time.Now()
	if err := t.openPage(ctx); err != nil {
		return fmt.Errorf("open a page: %w", err)
	}
	T1 := time.Now()
	defer func() { t.b.log.Debug("RESET", "open", T1.Sub(T0), "rest", time.Since(T1)) }()
	t.mu.Lock()
	page := t.page.Context(ctx)
	t.mu.Unlock()

	// The old page, and any other the session opened (window.open,
	// target=_blank), which could otherwise script the next session's page.
	targets, err := proto.TargetGetTargets{}.Call(browser)
	if err != nil {
		return fmt.Errorf("list pages: %w", err)
	}
	for _, ti := range targets.TargetInfos {
		if ti.BrowserContextID == t.ctxID && ti.TargetID != page.TargetID {
			if _, err := (proto.TargetCloseTarget{TargetID: ti.TargetID}).Call(browser); err != nil {
				return fmt.Errorf("close page %s: %w", ti.URL, err)
			}
		}
	}
	prev.mu.Lock()
	origins := visitedOrigins(prev.requests)
	prev.mu.Unlock()
	calls := []struct {
		what string
		call func() error
	}{
		{"clear cookies", func() error { return proto.StorageClearCookies{BrowserContextID: t.ctxID}.Call(browser) }},
		{"clear the HTTP cache", func() error { return proto.NetworkClearBrowserCache{}.Call(page) }},
		// Turning the cache off evicts the renderer's in-memory cache, which
		// the reused renderer process would otherwise keep.
		{"clear the memory cache", func() error { return proto.NetworkSetCacheDisabled{CacheDisabled: true}.Call(page) }},
		{"enable the cache", func() error { return proto.NetworkSetCacheDisabled{CacheDisabled: false}.Call(page) }},
	}
	for _, o := range origins {
		calls = append(calls, struct {
			what string
			call func() error
		}{"clear the storage of " + o, func() error {
			return proto.StorageClearDataForOrigin{Origin: o, StorageTypes: "all"}.Call(page)
		}})
	}
	for _, c := range calls {
		if err := c.call(); err != nil {
			return fmt.Errorf("%s: %w", c.what, err)
		}
	}
	t.mu.Lock()
	t.uses++
	t.mu.Unlock()
	return ctx.Err()
}

// visitedOrigins are the origins of the http and https requests.
func visitedOrigins(reqs []Request) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range reqs {
		u, err := url.Parse(r.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			continue
		}
		o := u.Scheme + "://" + u.Host
		if !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	return out
}
