package browser

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/launcher/flags"
	"github.com/go-rod/rod/lib/proto"
)

// DefaultTimeout is the time one step of a [Session] may take when
// [Options.Timeout] is zero.
const DefaultTimeout = 10 * time.Second

// DefaultBin is where Debian's package chromium installs the browser.
const DefaultBin = "/usr/bin/chromium"

// Options configure [Launch]. The zero value launches the system's Chromium
// headless.
type Options struct {
	// Bin is the Chromium binary. Empty means [FindChromium]: $CHROMIUM_BIN,
	// else /usr/bin/chromium, else chromium on $PATH.
	Bin string

	// Show runs the browser with a window (it needs a display) instead of
	// headless, to watch a scenario. Combine it with SlowMotion.
	Show bool

	// SlowMotion waits this long before each input step (Fill, Click), to
	// watch a scenario. It is never needed for correctness.
	SlowMotion time.Duration

	// Timeout bounds each step of a session (a navigation, a click and the
	// navigation it causes, ...). Zero means [DefaultTimeout].
	Timeout time.Duration

	// Prepared is the number of sessions kept ready in the background so that
	// [Browser.NewSession] returns at once: creating an incognito context
	// starts a renderer process, which takes 100-300 ms. Zero means 1;
	// a negative number turns it off. Unless FreshContexts, the contexts
	// of closed sessions count as ready once reset: a run of N scenarios at
	// a time with Prepared N creates about 2N contexts in all, whatever its
	// length, and keeps at most Prepared+2 ready.
	Prepared int

	// FreshContexts gives every session a new incognito context, disposed
	// of when the session is closed. By default a closed session's context
	// is reset and reused instead (see [Browser.NewSession]), which saves
	// starting a renderer process, and warming it up, per session.
	FreshContexts bool

	// LoopbackOnly makes the browser refuse to resolve any host but
	// localhost, 127.0.0.1 and [::1], so that it can reach nothing else. Requests
	// answered by [Session.Intercept] still work for any host, since they never
	// reach the network.
	LoopbackOnly bool

	// TrustSPKI are base64 SHA-256 hashes of public keys whose
	// certificates the browser accepts although no root it knows signed
	// them (Chromium's --ignore-certificate-errors-spki-list): a provider's
	// keys verified against its private CA, see [SPKIHashes].
	TrustSPKI []string

	// Logger receives debug records of each step and of Chromium's output.
	// Nil discards them.
	Logger *slog.Logger
}

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return DefaultTimeout
}

func (o Options) prepared() int {
	switch {
	case o.Prepared < 0:
		return 0
	case o.Prepared == 0:
		return 1
	}
	return o.Prepared
}

// FindChromium returns the Chromium binary to use: $CHROMIUM_BIN when set,
// else Debian's /usr/lib/chromium/chromium (the binary behind the
// /usr/bin/chromium script, started directly so that the script's
// desktop flags such as --enable-gpu-rasterization do not slow a headless
// run), else /usr/bin/chromium, else chromium on $PATH. The error, which
// matches [ErrChromiumNotFound], says how to install Debian's package.
func FindChromium() (string, error) {
	if bin := os.Getenv("CHROMIUM_BIN"); bin != "" {
		if err := checkBin(bin); err != nil {
			return "", fmt.Errorf("%w: $CHROMIUM_BIN=%s: %v; %s", ErrChromiumNotFound, bin, err, installHint)
		}
		return bin, nil
	}
	if checkBin(DefaultBin) == nil {
		if checkBin(debianBinary) == nil {
			return debianBinary, nil
		}
		return DefaultBin, nil
	}
	if bin, err := exec.LookPath("chromium"); err == nil {
		return bin, nil
	}
	return "", fmt.Errorf("%w at $CHROMIUM_BIN, %s or on $PATH; %s", ErrChromiumNotFound, DefaultBin, installHint)
}

// debianBinary is what Debian's /usr/bin/chromium script runs.
const debianBinary = "/usr/lib/chromium/chromium"

const installHint = "install Debian's package chromium (apt-get install chromium) or set $CHROMIUM_BIN to a Chromium binary"

func checkBin(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if fi.IsDir() || fi.Mode()&0o111 == 0 {
		return errors.New("not an executable file")
	}
	return nil
}

// A Browser is a running Chromium with its own temporary profile. Open
// sessions with [Browser.NewSession]; end it with [Browser.Close]. Its methods
// are safe for concurrent use.
type Browser struct {
	opts Options
	log  *slog.Logger
	bin  string
	dir  string // the temporary --user-data-dir

	launcher *launcher.Launcher // nil for a browser reached with Connect
	remote   string             // the DevTools URL Connect was given
	rod      *rod.Browser
	cancel   context.CancelFunc // ends the CDP connection

	poolCtx    context.Context
	poolCancel context.CancelFunc
	poolWG     sync.WaitGroup // refills and resets running

	mu          sync.Mutex
	closed      bool
	spares      []*tab        // prepared, never used
	idle        []*tab        // used, reset, ready again
	recycling   int           // tabs being reset
	refilling   bool          // a refill runs
	poolChanged chan struct{} // closed and replaced when the four above change
	open        map[*session]struct{}
	tabs        map[*tab]struct{} // every context created and not yet disposed of
	nextID      int

	closeOnce sync.Once
	closeErr  error
}

// Launch starts Chromium and connects to it. ctx bounds the start only; the
// browser runs until [Browser.Close]. If the Go process dies, Chromium dies
// with it (rod's leakless guard) and the next Launch removes the profile
// directory it left behind.
func Launch(ctx context.Context, o Options) (*Browser, error) {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	bin := o.Bin
	if bin == "" {
		var err error
		if bin, err = FindChromium(); err != nil {
			return nil, err
		}
	} else if err := checkBin(bin); err != nil {
		return nil, fmt.Errorf("%w: %s: %v; %s", ErrChromiumNotFound, bin, err, installHint)
	}
	sweepProfiles(log)
	dir, err := os.MkdirTemp("", profilePrefix+"*")
	if err != nil {
		return nil, fmt.Errorf("browser: profile directory: %w", err)
	}
	started := time.Now()
	l := newLauncher(ctx, bin, dir, o, log)
	u, err := l.Launch()
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("browser: start %s: %w", bin, err)
	}
	b, err := connect(u, o, log)
	if err != nil {
		l.Kill()
		l.Cleanup()
		return nil, fmt.Errorf("browser: connect to %s: %w", bin, err)
	}
	b.bin, b.dir, b.launcher = bin, dir, l
	log.Debug("browser: launched", "bin", bin, "pid", l.PID(), "profile", dir, "took", time.Since(started))
	b.refill()
	return b, nil
}

// connect opens the DevTools connection to the browser at the WebSocket
// URL u and returns a Browser without a launcher or profile.
func connect(u string, o Options, log *slog.Logger) (*Browser, error) {
	life, cancel := context.WithCancel(context.Background())
	rb := rod.New().Context(life).ControlURL(u).NoDefaultDevice().SlowMotion(o.SlowMotion).Trace(false).Monitor("")
	if err := rb.Connect(); err != nil {
		cancel()
		return nil, err
	}
	b := &Browser{opts: o, log: log, rod: rb, cancel: cancel,
		poolChanged: make(chan struct{}), open: map[*session]struct{}{}, tabs: map[*tab]struct{}{}}
	b.poolCtx, b.poolCancel = context.WithCancel(life)
	return b, nil
}

// newLauncher configures rod's launcher: always the given binary (rod never
// downloads one), headless unless o.Show, no sandbox (we run as root), no
// background traffic, and the leakless guard.
func newLauncher(ctx context.Context, bin, dir string, o Options, log *slog.Logger) *launcher.Launcher {
	l := launcher.New().Context(ctx).Bin(bin).UserDataDir(dir).
		Headless(!o.Show).NoSandbox(true).Leakless(true).RemoteDebuggingPort(0).Devtools(false).
		Delete(flags.ProxyServer). // rod's $rod env var must not change what runs
		Logger(&lineLogger{log: log})
	for _, f := range chromiumFlags {
		name, value, _ := strings.Cut(f, "=")
		if value == "" {
			l.Set(flags.Flag(name))
		} else {
			l.Set(flags.Flag(name), strings.Split(value, ",")...)
		}
	}
	if len(o.TrustSPKI) > 0 {
		l.Set("ignore-certificate-errors-spki-list", o.TrustSPKI...)
	}
	if o.LoopbackOnly {
		l.Set("host-resolver-rules", "MAP * ~NOTFOUND", "EXCLUDE localhost", "EXCLUDE *.localhost",
			"EXCLUDE 127.0.0.1", "EXCLUDE [::1]")
	}
	return l
}

// chromiumFlags are added to rod's defaults (which already disable
// background networking, sync, default apps, breakpad and the first-run UI).
var chromiumFlags = []string{
	"disable-gpu",
	"disable-quic",
	"no-first-run",
	"disable-background-networking",
	"disable-component-update",
	"disable-sync",
	"disable-default-apps",
	"metrics-recording-only",
	"disable-crash-reporter",
	"disable-extensions",
	"disable-domain-reliability",
	"no-default-browser-check",
	"no-pings",
	"password-store=basic",
	"mute-audio",
	"hide-scrollbars",
	"window-size=1280,800",
	"no-proxy-server", // $http_proxy and the like never reroute the suite's traffic
	// A context never shares a renderer process with another, but within a
	// context every page reuses its renderer rather than starting one per
	// site: a cross-site Navigate (a typed navigation, which swaps the
	// browsing context group) or the first navigation of a reused context
	// would otherwise start a process and warm it up, 100-200 ms.
	"renderer-process-limit=1",
	"disable-features=site-per-process,IsolateOrigins,Translate,TranslateUI,OptimizationHints," +
		"MediaRouter,DialMediaRouteProvider,AutofillServerCommunication,CertificateTransparencyComponentUpdater," +
		"HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,InterestFeedContentSuggestions," +
		// No page kept alive for back/forward, and no omnibox popup WebUI: each
		// would be one more renderer process per session.
		"BackForwardCache,WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup",
}

// PID is the process id of Chromium's main process, for diagnostics; 0
// for a browser reached with [Connect].
func (b *Browser) PID() int {
	if b.launcher == nil {
		return 0
	}
	return b.launcher.PID()
}

// Close ends every session, stops Chromium (politely, then by force) and
// removes the temporary profile. It is idempotent and safe to call
// concurrently.
func (b *Browser) Close() error {
	b.closeOnce.Do(func() { b.closeErr = b.close() })
	return b.closeErr
}

func (b *Browser) close() error {
	b.mu.Lock()
	b.closed = true
	for s := range b.open {
		s.markClosed()
	}
	b.open = nil
	b.notifyPoolLocked()
	b.mu.Unlock()

	b.poolCancel() // ends every tab's event loop, and the refills and resets
	waitTimeout(&b.poolWG, 3*time.Second)
	b.mu.Lock()
	b.spares, b.idle = nil, nil
	b.mu.Unlock()
	if b.launcher == nil {
		return b.disconnect()
	}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	_ = proto.BrowserClose{}.Call(b.rod.Context(ctx))
	cancel()
	exited := make(chan struct{})
	go func() { b.launcher.Cleanup(); close(exited) }() // waits for the process, removes the profile
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		b.log.Warn("browser: Chromium did not exit, killing it", "pid", b.launcher.PID())
		b.launcher.Kill()
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
		}
	}
	b.cancel()
	killProfileProcesses(b.dir, b.log)
	if err := os.RemoveAll(b.dir); err != nil {
		return fmt.Errorf("browser: remove profile: %w", err)
	}
	b.log.Debug("browser: closed", "pid", b.launcher.PID())
	return nil
}

// NewSession opens an incognito browser context with one page: cookies,
// storage and cache are its own, invisible to every other session. ctx bounds
// every step of the session; Close it when done.
//
// Unless [Options.FreshContexts], the context may be the one of a closed
// session, reset, which a page cannot tell from a new one: its page is back
// at about:blank with a history of one entry and an empty window.name, the
// other pages it had are closed, the interceptors and their Fetch patterns
// are gone, the request log is empty, and every cookie, every origin's
// storage (localStorage, sessionStorage, IndexedDB, Cache Storage, service
// workers, file systems, ...) and the HTTP and in-memory caches are cleared.
// What it keeps is what a page cannot see: a warm renderer process and
// open keep-alive connections; and what a caller set through
// [Session.Page] beyond all that (emulation, permissions, scripts added to
// new documents). A session that timed out, navigated to a URL with
// credentials (the HTTP auth cache cannot be cleared) or whose reset failed
// has its context disposed of instead.
func (b *Browser) NewSession(ctx context.Context) (*Session, error) {
	t, err := b.take(ctx)
	if err != nil {
		if errors.Is(err, ErrClosed) {
			return nil, ErrClosed
		}
		return nil, fmt.Errorf("browser: new session: %w", err)
	}
	if t == nil {
		pctx, cancel := context.WithTimeout(ctx, b.opts.timeout())
		t, err = b.prepare(pctx)
		cancel()
		if err != nil {
			return nil, fmt.Errorf("browser: new session: %w", err)
		}
	}
	b.mu.Lock()
	b.nextID++
	id := b.nextID
	b.mu.Unlock()
	s := t.begin(id, false)
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		s.markClosed()
		t.stop()
		return nil, ErrClosed
	}
	b.open[s] = struct{}{}
	b.mu.Unlock()
	b.refill()
	t.mu.Lock()
	uses := t.uses
	t.mu.Unlock()
	b.log.Debug("browser: session opened", "session", s.id, "reused", uses)
	return &Session{session: s, ctx: ctx, timeout: b.opts.timeout()}, nil
}

// take returns a ready tab, or nil if the caller must prepare one: a reset
// one first (the last reset, its renderer is the warmest), else a prepared
// one, else it waits for one being reset or prepared, if any.
func (b *Browser) take(ctx context.Context) (*tab, error) {
	for {
		b.mu.Lock()
		if b.closed {
			b.mu.Unlock()
			return nil, ErrClosed
		}
		var t *tab
		if n := len(b.idle); n > 0 {
			t, b.idle = b.idle[n-1], b.idle[:n-1]
		} else if len(b.spares) > 0 {
			t, b.spares = b.spares[0], b.spares[1:]
		} else if !b.refilling && b.recycling == 0 {
			b.mu.Unlock()
			return nil, nil
		}
		if t != nil {
			b.notifyPoolLocked()
			b.mu.Unlock()
			return t, nil
		}
		changed := b.poolChanged
		b.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func (b *Browser) notifyPoolLocked() {
	close(b.poolChanged)
	b.poolChanged = make(chan struct{})
}

func (b *Browser) isClosed() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closed
}

// forget drops a closed session from the open set.
func (b *Browser) forget(s *session) {
	b.mu.Lock()
	delete(b.open, s)
	b.mu.Unlock()
}

// maxIdle bounds the tabs kept ready.
func (b *Browser) maxIdle() int { return b.opts.prepared() + 2 }

// inflightLocked counts the tab a running refill is preparing.
func (b *Browser) inflightLocked() int {
	if b.refilling {
		return 1
	}
	return 0
}

// wantedLocked is the number of tabs a refill should prepare now.
func (b *Browser) wantedLocked() int {
	return b.opts.prepared() - len(b.spares) - len(b.idle) - b.recycling
}

// refill prepares tabs in the background until Options.Prepared are
// ready. At most one refill runs at a time.
func (b *Browser) refill() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed || b.refilling || b.wantedLocked() <= 0 {
		return
	}
	b.refilling = true
	b.notifyPoolLocked()
	b.poolWG.Add(1)
	go func() {
		defer b.poolWG.Done()
		for b.refillOne() {
		}
	}()
}

// refillOne prepares one tab and reports whether another is wanted.
func (b *Browser) refillOne() bool {
	ctx, cancel := context.WithTimeout(b.poolCtx, b.opts.timeout())
	t, err := b.prepare(ctx)
	cancel()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.notifyPoolLocked()
	if err != nil || b.closed {
		if err != nil && !b.closed {
			b.log.Debug("browser: preparing a session failed", "err", err)
		}
		b.refilling = false
		if t != nil {
			t.stop()
		}
		return false
	}
	if len(b.spares)+len(b.idle) >= b.maxIdle() {
		// Recycled contexts filled the pool while this one was prepared.
		b.refilling = false
		b.poolWG.Add(1)
		go func() {
			defer b.poolWG.Done()
			t.dispose()
		}()
		return false
	}
	b.spares = append(b.spares, t)
	if b.wantedLocked() <= 0 {
		b.refilling = false
		return false
	}
	return true
}

// recycle takes the tab of a closed session, resets it in the background
// and puts it back in the pool, unless Options.FreshContexts, the session
// spoiled it (a step timed out, say) or the pool is full: then it reports
// false and the caller disposes of the tab.
func (b *Browser) recycle(s *session) bool {
	if b.opts.FreshContexts {
		return false
	}
	s.mu.Lock()
	spoiled := s.spoiled
	s.mu.Unlock()
	if spoiled != "" {
		s.log.Debug("browser: context not reused", "because", spoiled)
		return false
	}
	b.mu.Lock()
	if b.closed || len(b.idle)+len(b.spares)+b.recycling+b.inflightLocked() >= b.maxIdle() {
		b.mu.Unlock()
		return false
	}
	b.recycling++
	b.notifyPoolLocked()
	b.poolWG.Add(1)
	b.mu.Unlock()
	go func() {
		defer b.poolWG.Done()
		started := time.Now()
		err := s.t.reset(s)
		b.mu.Lock()
		closed := b.closed
		keep := err == nil && !closed && len(b.idle)+len(b.spares)+b.inflightLocked() < b.maxIdle()
		if keep {
			b.idle = append(b.idle, s.t)
			b.recycling--
			b.notifyPoolLocked()
		}
		b.mu.Unlock()
		s.log.Debug("browser: context reset", "took", time.Since(started), "err", err, "kept", keep)
		if keep {
			return
		}
		if closed {
			s.t.stop()
		} else if err := s.t.dispose(); err != nil {
			s.log.Debug("browser: dispose of a context", "err", err)
		}
		b.mu.Lock()
		b.recycling--
		b.notifyPoolLocked()
		b.mu.Unlock()
	}()
	return true
}

func waitTimeout(wg *sync.WaitGroup, d time.Duration) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
	}
}

// lineLogger hands Chromium's output to a slog.Logger, one record a line.
type lineLogger struct {
	log *slog.Logger
	mu  sync.Mutex
	buf []byte
}

func (w *lineLogger) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		line, rest, ok := strings.Cut(string(w.buf), "\n")
		if !ok {
			break
		}
		if line = strings.TrimSpace(line); line != "" {
			w.log.Debug("browser: chromium", "output", line)
		}
		w.buf = []byte(rest)
	}
	return len(p), nil
}
