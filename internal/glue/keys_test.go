package glue

import (
	"bytes"
	"slices"
	"testing"
)

func TestTuple(t *testing.T) {
	tuples := [][]string{
		{"", ""}, {"", "a"}, {"\x00", ""}, {"\x00\x00", "x"}, {"a", ""}, {"a", "\x00"}, {"a", "b"},
		{"a\x00", "b"}, {"ab", ""}, {"b", "\xff"},
	}
	var enc [][]byte
	for _, tu := range tuples {
		b := appendTuple([]byte("pre"), tu...)
		got, rest, err := readTuple(b[3:], len(tu))
		if err != nil || len(rest) != 0 || !slices.Equal(got, tu) {
			t.Errorf("round trip %q = %q, %q, %v", tu, got, rest, err)
		}
		enc = append(enc, b)
	}
	for i := 1; i < len(enc); i++ {
		if bytes.Compare(enc[i-1], enc[i]) >= 0 {
			t.Errorf("%q does not sort before %q", tuples[i-1], tuples[i])
		}
	}
	// A one-value tuple is a prefix of every tuple that starts with it.
	if !bytes.HasPrefix(appendTuple(nil, "a", "b"), appendTuple(nil, "a")) {
		t.Error("tuple prefix property broken")
	}
	if _, _, err := readTuple([]byte("abc"), 1); err == nil {
		t.Error("unterminated tuple decoded")
	}
}

func FuzzTuple(f *testing.F) {
	f.Add("a", "b")
	f.Add("\x00\x01", "\x00\xff")
	f.Fuzz(func(t *testing.T, a, b string) {
		enc := appendTuple(nil, a, b)
		got, rest, err := readTuple(enc, 2)
		if err != nil || len(rest) != 0 || got[0] != a || got[1] != b {
			t.Fatalf("round trip (%q, %q) = %q, %v", a, b, got, err)
		}
		readTuple([]byte(a+b), 2) // arbitrary input never panics
	})
}
