// Package browsertest shares one headless Chromium among the tests of a test
// binary and gives each test its own incognito session:
//
//	func TestMain(m *testing.M) { browsertest.Main(m) }
//
//	func TestLogin(t *testing.T) {
//		s := browsertest.Session(t) // closed when the test ends
//		require.NoError(t, s.Navigate(srv.URL))
//	}
//
// Without Main, [Browser] launches a browser per test (correct, slower).
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"testing"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/browser"
)

// Options are the options of the shared browser: headless, only loopback
// reachable (see [browser.Options.LoopbackOnly]).
var Options = browser.Options{LoopbackOnly: true}

var shared struct {
	sync.Mutex
	managed bool // Main is running the tests
	b       *browser.Browser
	err     error
}

// Main runs the tests with one shared browser, launched when a test first
// asks for it, and closes it when they are done, or on SIGINT or SIGTERM
// before the signal ends the process. It calls os.Exit.
func Main(m *testing.M) {
	shared.Lock()
	shared.managed = true
	shared.Unlock()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		s, ok := <-sig
		if !ok {
			return
		}
		closeShared()
		signal.Reset(s)
		_ = syscall.Kill(os.Getpid(), s.(syscall.Signal))
	}()
	code := m.Run()
	signal.Stop(sig)
	close(sig)
	if err := closeShared(); err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

func closeShared() error {
	shared.Lock()
	defer shared.Unlock()
	if shared.b == nil {
		return nil
	}
	err := shared.b.Close()
	shared.b, shared.err = nil, browser.ErrClosed
	return err
}

// Browser returns the shared browser when the test binary runs under
// [Main]; otherwise it launches one for this test and closes it when the test
// ends. A browser that cannot start fails the test, with the install hint.
func Browser(tb testing.TB) *browser.Browser {
	tb.Helper()
	shared.Lock()
	defer shared.Unlock()
	if !shared.managed {
		b, err := browser.Launch(context.Background(), Options)
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() {
			if err := b.Close(); err != nil {
				tb.Error(err)
			}
		})
		return b
	}
	if shared.b == nil && shared.err == nil {
		shared.b, shared.err = browser.Launch(context.Background(), Options)
	}
	if shared.err != nil {
		tb.Fatal(shared.err)
	}
	return shared.b
}

// Session opens an incognito session for this test, bound to tb.Context(),
// and closes it when the test ends.
func Session(tb testing.TB) *browser.Session {
	tb.Helper()
	s, err := Browser(tb).NewSession(tb.Context())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}
