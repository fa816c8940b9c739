// Package clock holds a clock that moves only when told to, for tests and
// for simulated runs on a fake clock. It satisfies wallet.Clock and every
// "func() time.Time" clock through its Now method.
package clock

import (
	"sync"
	"time"
)

// Manual is a clock that moves only when told to: for tests, and for
// simulated runs on a fake clock. It is safe for concurrent use.
type Manual struct {
	mu sync.Mutex
	t  time.Time
}

// New returns a clock standing at t.
func New(t time.Time) *Manual { return &Manual{t: t} }

// Now tells the time the clock stands at.
func (c *Manual) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock by d.
func (c *Manual) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Set moves the clock to t.
func (c *Manual) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}
