package mockprovider

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// DefaultEpoch is the instant the virtual clock starts at.
var DefaultEpoch = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// MaxClock bounds the virtual clock: [Provider.Advance] refuses a move past
// it, so every instant the provider shows stays a valid RFC 3339 year
// (time.Time cannot be JSON-encoded after year 9999) and a valid HTTP Date.
var MaxClock = time.Date(9000, time.January, 1, 0, 0, 0, 0, time.UTC)

// Errors of [Provider.Advance].
var (
	// ErrRealClock: the provider runs on the real clock, which cannot be moved.
	ErrRealClock = errors.New("mockprovider: the provider uses the real clock")
	// ErrAdvance: the duration is negative or moves past [MaxClock].
	ErrAdvance = errors.New("mockprovider: bad clock advance")
)

// clock is the provider's notion of now: virtual (moves only when told to)
// or real.
type clock struct {
	mu    sync.Mutex
	real  bool
	start time.Time
	now   time.Time
}

func newClock(real bool, start time.Time) *clock {
	return &clock{real: real, start: start, now: start}
}

func (c *clock) Now() time.Time {
	if c.real {
		return time.Now().UTC().Truncate(time.Second)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves a virtual clock forward by d, keeping it at or before
// [MaxClock]; zero leaves it where it is.
func (c *clock) Advance(d time.Duration) error {
	if c.real {
		return ErrRealClock
	}
	if d < 0 {
		return fmt.Errorf("%w: the clock only moves forward, not by %v", ErrAdvance, d)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	next := c.now.Add(d)
	if next.Before(c.now) || next.After(MaxClock) {
		return fmt.Errorf("%w: advancing %v would move the clock past %s", ErrAdvance, d, MaxClock.Format(time.RFC3339))
	}
	c.now = next
	return nil
}

func (c *clock) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.start
}
