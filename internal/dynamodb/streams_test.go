package dynamodb

import (
	"testing"
)

// Readers stop below the first number still being written, so a record
// that commits after a later one is never skipped.
func TestSequencerVisibility(t *testing.T) {
	st := &sequencer{next: 1}
	want := func(v uint64) {
		t.Helper()
		if got := st.visible(); got != v {
			t.Fatalf("visible %d, want %d", got, v)
		}
	}
	a, b, c := st.reserve(), st.reserve(), st.reserve()
	want(1) // 1, 2, 3 in flight
	st.settle(b, true)
	want(1) // 2 committed; 1 still in flight
	st.settle(a, true)
	want(3)
	st.settle(c, true)
	want(4)
	// A number abandoned at the tail: readers stay at 4, the number a
	// restart hands out next, so they cannot skip what comes after.
	st.settle(st.reserve(), false)
	want(4)
	st.settle(st.reserve(), true) // 5 commits; 4 is a gap
	want(6)
}

func TestParseSeq(t *testing.T) {
	for in, want := range map[string]uint64{
		"000000000000000000001":                    1,
		"000000000000000000000":                    0,
		"000000000000000012345":                    12345,
		"0000000000000000000000000000000000000042": 42,
	} {
		if got, err := parseSeq(in); err != nil || got != want {
			t.Errorf("parseSeq(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "1", "00000000000000000000x", "-00000000000000000001", "000000000000000000001000000000000000000000", "99999999999999999999999"} {
		if _, err := parseSeq(in); err == nil {
			t.Errorf("parseSeq(%q) accepted", in)
		}
	}
}
