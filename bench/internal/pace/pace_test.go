package pace

import (
	"testing"
	"time"
)

func TestUntil(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, d := range []time.Duration{-time.Millisecond, 0, 50 * time.Microsecond, 2 * time.Millisecond} {
		due := time.Now().Add(d)
		if err := s.Until(due); err != nil {
			t.Fatalf("Until(now%+v): %v", d, err)
		}
		if now := time.Now(); now.Before(due) {
			t.Errorf("Until(now%+v) returned %v before the time", d, due.Sub(now))
		}
	}
}
