package orc

import (
	"fmt"
	"slices"
	"testing"
)

// The examples of the ORC specification's "Run Length Encoding" section.
func TestIntRLE_SpecExamples(t *testing.T) {
	seq := func(from, to, step int64) []int64 {
		var out []int64
		for v := from; v != to+step; v += step {
			out = append(out, v)
		}
		return out
	}
	rep := func(v int64, n int) []int64 { return slices.Repeat([]int64{v}, n) }
	for _, tc := range []struct {
		name    string
		v2      bool
		signed  bool
		encoded []byte
		want    []int64
	}{
		{"v1 run", false, false, []byte{0x61, 0x00, 0x07}, rep(7, 100)},
		{"v1 run down", false, false, []byte{0x61, 0xff, 0x64}, seq(100, 1, -1)},
		{"v1 literals", false, false, []byte{0xfb, 0x02, 0x03, 0x06, 0x07, 0x0b}, []int64{2, 3, 6, 7, 11}},
		{"v2 short repeat", true, false, []byte{0x0a, 0x27, 0x10}, rep(10000, 5)},
		{"v2 direct", true, false, []byte{0x5e, 0x03, 0x5c, 0xa1, 0xab, 0x1e, 0xde, 0xad, 0xbe, 0xef}, []int64{23713, 43806, 57005, 48879}},
		{"v2 patched base", true, false, []byte{0x8e, 0x13, 0x2b, 0x21, 0x07, 0xd0, 0x1e, 0x00, 0x14, 0x70, 0x28, 0x32, 0x3c, 0x46, 0x50, 0x5a, 0x64, 0x6e, 0x78, 0x82, 0x8c, 0x96, 0xa0, 0xaa, 0xb4, 0xbe, 0xfc, 0xe8},
			[]int64{2030, 2000, 2020, 1000000, 2040, 2050, 2060, 2070, 2080, 2090, 2100, 2110, 2120, 2130, 2140, 2150, 2160, 2170, 2180, 2190}},
		{"v2 delta", true, false, []byte{0xc6, 0x09, 0x02, 0x02, 0x22, 0x42, 0x42, 0x46}, []int64{2, 3, 5, 7, 11, 13, 17, 19, 23, 29}},
		// Two runs back to back: short repeat of zigzag(-3) = 5, then a
		// fixed delta of -2 (zigzag 3) from zigzag(10) = 20.
		{"v2 signed runs", true, true, []byte{0x00, 0x05, 0xc0, 0x03, 0x14, 0x03}, []int64{-3, -3, -3, 10, 8, 6, 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			decode := intRLEv1
			if tc.v2 {
				decode = intRLEv2
			}
			got, err := decode(tc.encoded, len(tc.want), tc.signed)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v\nwant %v", got, tc.want)
			}
			// One value fewer than the stream holds ends inside a run.
			if _, err := decode(tc.encoded, len(tc.want)-1, tc.signed); err == nil && len(tc.want) > 1 {
				t.Fatal("a run longer than the values asked for was accepted")
			}
			// Every prefix of the stream is too short, and says so.
			for i := range tc.encoded {
				if _, err := decode(tc.encoded[:i], len(tc.want), tc.signed); err == nil {
					t.Fatalf("a stream cut at byte %d decoded", i)
				}
			}
		})
	}
}

func TestByteAndBoolRLE(t *testing.T) {
	got, err := byteRLE([]byte{0x61, 0x00}, 100)
	if err != nil || !slices.Equal(got, make([]byte, 100)) {
		t.Fatalf("run = %v, %v", got, err)
	}
	got, err = byteRLE([]byte{0xfe, 0x44, 0x45}, 2)
	if err != nil || string(got) != "DE" {
		t.Fatalf("literals = %q, %v", got, err)
	}
	// 0xff then 0x00 as literals: eight trues then eight falses; ask for 10.
	bools, err := boolRLE([]byte{0xfe, 0xff, 0x80}, 10)
	if err != nil || fmt.Sprint(bools) != "[true true true true true true true true true false]" {
		t.Fatalf("bools = %v, %v", bools, err)
	}
}

func FuzzIntRLEv2(f *testing.F) {
	f.Add([]byte{0x8e, 0x13, 0x2b, 0x21, 0x07, 0xd0, 0x1e, 0x00, 0x14, 0x70, 0x28, 0x32, 0x3c, 0x46, 0x50, 0x5a, 0x64, 0x6e, 0x78, 0x82, 0x8c, 0x96, 0xa0, 0xaa, 0xb4, 0xbe, 0xfc, 0xe8}, 20, false)
	f.Add([]byte{0xc6, 0x09, 0x02, 0x02, 0x22, 0x42, 0x42, 0x46}, 10, true)
	f.Fuzz(func(t *testing.T, b []byte, n int, signed bool) {
		n = n & 0xffff
		if got, err := intRLEv2(b, n, signed); err == nil && len(got) != n {
			t.Fatalf("%d values for %d", len(got), n)
		}
		intRLEv1(b, n, signed)
		byteRLE(b, n)
	})
}
