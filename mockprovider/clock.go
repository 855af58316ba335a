package mockprovider

import (
	"sync"
	"time"
)

// DefaultEpoch is the instant the virtual clock starts at.
var DefaultEpoch = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

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

// Advance moves a virtual clock forward; it reports false on a real clock.
func (c *clock) Advance(d time.Duration) bool {
	if c.real {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return true
}

func (c *clock) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.start
}
