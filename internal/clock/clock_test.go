package clock

import (
	"testing"
	"time"
)

func TestClock_Advance(t *testing.T) {
	wall := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := NewFake(func() time.Time { return wall }, 0)
	if got := c.Now(); !got.Equal(wall) {
		t.Fatalf("Now = %v, want %v", got, wall)
	}
	changed := c.Changed()
	now, err := c.Advance(90 * 24 * time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	want := wall.Add(90 * 24 * time.Hour)
	if !now.Equal(want) || !c.Now().Equal(want) {
		t.Fatalf("after Advance: got %v and %v, want %v", now, c.Now(), want)
	}
	if !c.Wall().Equal(wall) {
		t.Fatalf("Wall moved: %v", c.Wall())
	}
	select {
	case <-changed:
	default:
		t.Fatal("Changed channel not closed by Advance")
	}
	if _, err := c.Advance(-time.Second); err == nil {
		t.Fatal("negative advance accepted")
	}
	if c.Offset() != 90*24*time.Hour {
		t.Fatalf("Offset = %v", c.Offset())
	}
}
