package clock

import (
	"fmt"
	"sync"
	"time"
)

// Clock is real time plus a forward-only offset. The zero value is not
// usable; build one with New or NewFake. It is safe for concurrent use.
type Clock struct {
	wall func() time.Time

	mu      sync.Mutex
	offset  time.Duration
	changed chan struct{} // closed and replaced on every Advance
}

// New returns a clock over the machine's real time with the given starting
// offset (as persisted by a previous run; zero for a fresh data dir).
func New(offset time.Duration) *Clock {
	return NewFake(time.Now, offset)
}

// NewFake returns a clock whose wall time comes from wall. Tests use it to
// control both wall time and server time without sleeping.
func NewFake(wall func() time.Time, offset time.Duration) *Clock {
	return &Clock{wall: wall, offset: offset, changed: make(chan struct{})}
}

// Now returns server time: wall time plus the offset, in UTC.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	off := c.offset
	c.mu.Unlock()
	return c.wall().Add(off).UTC()
}

// Wall returns the machine's real time in UTC, ignoring any advance.
func (c *Clock) Wall() time.Time { return c.wall().UTC() }

// Offset reports how far server time is ahead of wall time.
func (c *Clock) Offset() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.offset
}

// Advance moves server time forward by d and wakes everything waiting on
// Changed. Time never moves backwards: a negative d is an error.
func (c *Clock) Advance(d time.Duration) (time.Time, error) {
	if d < 0 {
		return time.Time{}, fmt.Errorf("clock: cannot move backwards by %v", d)
	}
	c.mu.Lock()
	c.offset += d
	close(c.changed)
	c.changed = make(chan struct{})
	off := c.offset
	c.mu.Unlock()
	return c.wall().Add(off).UTC(), nil
}

// Changed returns a channel that is closed at the next Advance. Background
// workers select on it beside their timers so a clock jump runs due work at
// once instead of at the next tick.
func (c *Clock) Changed() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.changed
}
