// Package browser drives Debian's headless Chromium (through go-rod) for the
// conformance suite: [Launch] one browser per run, open an incognito
// [Session] per scenario, and answer a client's redirect URI in-process with
// [Session.Intercept], so that nothing needs to listen at the callback.
//
// Start it like this:
//
//	b, err := browser.Launch(ctx, browser.Options{})   // /usr/bin/chromium, headless
//	defer b.Close()
//	s, err := b.NewSession(ctx)                        // an incognito context and one page
//	defer s.Close()                                    // the context is reset for the next session
//	cb, err := s.Intercept("http://localhost:8000/authorized", handler)
//	err = s.Navigate(authorizeURL)
//	err = s.Fill("input[name=username]", "alice")
//	err = s.Click("button[type=submit]")               // waits for the navigation it causes
//	req, err := cb.Wait(ctx)                           // the redirect with code and state
//
// Closing a session does not dispose of its incognito context: the context
// is reset (its page back at about:blank, every cookie, storage and cache
// cleared, see [Browser.NewSession] for the exact guarantee) and the next
// session gets it, which saves starting and warming up a renderer process,
// 100-200 ms of CPU a session. [Options.FreshContexts] turns that off.
//
// Nothing is ever downloaded: the browser is the system's Chromium (the Debian
// package chromium, see [FindChromium]). Tests share one browser per test
// binary through package browsertest.
package browser
