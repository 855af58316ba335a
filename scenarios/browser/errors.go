package browser

import (
	"context"
	"errors"
	"fmt"
	"time"
)

var (
	// ErrChromiumNotFound is returned by [FindChromium] and [Launch] when no
	// Chromium binary can be found or run.
	ErrChromiumNotFound = errors.New("browser: Chromium not found")

	// ErrClosed is returned by the methods of a [Browser] or a [Session] that
	// has been closed.
	ErrClosed = errors.New("browser: closed")
)

// A TimeoutError reports a step that did not finish within the session's
// timeout (see [Session.WithTimeout]). It matches [context.DeadlineExceeded]
// with [errors.Is].
type TimeoutError struct {
	Step  string        // what was being done, e.g. `click "#submit"`
	While string        // what the step was waiting for, if known
	After time.Duration // the timeout
	URL   string        // the page's URL when the step gave up
}

func (e *TimeoutError) Error() string {
	msg := fmt.Sprintf("browser: %s: timeout after %s", e.Step, e.After)
	if e.While != "" {
		msg += " " + e.While
	}
	if e.URL != "" {
		msg += " (page " + e.URL + ")"
	}
	return msg
}

// Unwrap makes errors.Is(err, context.DeadlineExceeded) hold.
func (e *TimeoutError) Unwrap() error { return context.DeadlineExceeded }

// A NavigationError reports a navigation that the browser could not complete,
// such as a refused connection (nothing listens at the URL) or a failed DNS
// lookup. The browser then shows its error page; [Session.URL] still reports
// the URL it tried.
type NavigationError struct {
	URL    string // the URL that was being loaded
	Reason string // Chromium's net error, e.g. "net::ERR_CONNECTION_REFUSED"
}

func (e *NavigationError) Error() string {
	return fmt.Sprintf("browser: navigate to %s: %s", e.URL, e.Reason)
}
