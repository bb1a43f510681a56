//go:build !linux

package pace

import "time"

// Sleeper waits until a given time.
type Sleeper struct{}

// New returns a Sleeper.
func New() (*Sleeper, error) { return &Sleeper{}, nil }

// Until returns once t has passed.
func (*Sleeper) Until(t time.Time) error {
	time.Sleep(time.Until(t))
	return nil
}

// Close does nothing.
func (*Sleeper) Close() error { return nil }
