package orc

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"
)

// Every integer sequence the writer's RLEv2 encoder writes, the decoder
// reads back: runs, steps, extremes, and random values of every width.
func TestIntRLEv2_RoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cases := [][]int64{
		{0}, {1, 1, 1}, {5, 4, 3, 2, 1, 0, -1},
		{math.MaxInt64, math.MinInt64, 0, -1, 1},
		{math.MinInt64, math.MinInt64, math.MinInt64},
		{math.MaxInt64 - 2, math.MaxInt64 - 1, math.MaxInt64},
		{math.MinInt64, 0, math.MaxInt64}, // steps that overflow
		slices.Repeat([]int64{7}, 1500),
	}
	for w := range 64 {
		vs := make([]int64, 700)
		for i := range vs {
			vs[i] = int64(rng.Uint64() >> (63 - w))
			if rng.IntN(2) == 0 {
				vs[i] = -vs[i]
			}
		}
		cases = append(cases, vs)
	}
	for i, vs := range cases {
		for _, signed := range []bool{true, false} {
			if !signed && slices.Min(vs) < 0 {
				continue
			}
			enc := appendIntRLEv2(nil, vs, signed)
			got, err := intRLEv2(enc, len(vs), signed)
			if err != nil || !slices.Equal(got, vs) {
				t.Fatalf("case %d signed=%v: %v\n got %v\nwant %v", i, signed, err, got, vs)
			}
		}
	}
}

// testTypes is a row of every kind the writer writes:
//
//	struct<b:boolean, t:tinyint, i:int, l:bigint, f:float, d:double, s:string,
//	       bin:binary, dec:decimal(20,2), day:date, ts:timestamp,
//	       tags:array<string>, attrs:map<string,int>, addr:struct<city:string>>
func testTypes() []Type {
	return []Type{
		{Kind: Struct, Children: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 17},
			Names: []string{"b", "t", "i", "l", "f", "d", "s", "bin", "dec", "day", "ts", "tags", "attrs", "addr"}},
		{Kind: Boolean}, {Kind: Byte}, {Kind: Int}, {Kind: Long}, {Kind: Float}, {Kind: Double},
		{Kind: String}, {Kind: Binary}, {Kind: Decimal, Precision: 20, Scale: 2}, {Kind: Date},
		{Kind: Timestamp},
		{Kind: List, Children: []int{13}}, {Kind: String},
		{Kind: Map, Children: []int{15, 16}}, {Kind: String}, {Kind: Int},
		{Kind: Struct, Children: []int{18}, Names: []string{"city"}}, {Kind: String},
	}
}

// testStripe is three rows: full, all null, and one of extremes.
func testStripe() *Column {
	present := []bool{true, false, true}
	big20, _ := new(big.Int).SetString("-123456789012345678", 10)
	huge, _ := new(big.Int).SetString("99999999999999999999999999999999999999", 10)
	col := func(id int, fill func(c *Column)) *Column {
		c := &Column{ID: id, Rows: 3, Present: present}
		fill(c)
		return c
	}
	return &Column{ID: 0, Rows: 3, Children: []*Column{
		col(1, func(c *Column) { c.Bools = []bool{true, false} }),
		col(2, func(c *Column) { c.Ints = []int64{-128, 127} }),
		col(3, func(c *Column) { c.Ints = []int64{math.MinInt32, 42} }),
		col(4, func(c *Column) { c.Ints = []int64{math.MaxInt64, math.MinInt64} }),
		col(5, func(c *Column) { c.Floats = []float64{1.5, float64(float32(math.Pi))} }),
		col(6, func(c *Column) { c.Floats = []float64{math.Inf(-1), 1e300} }),
		col(7, func(c *Column) { c.Bytes = [][]byte{[]byte("héllo"), {}} }),
		col(8, func(c *Column) { c.Bytes = [][]byte{{0, 1, 2, 0xff}, []byte("x")} }),
		col(9, func(c *Column) { c.Decimals, c.Scales = []*big.Int{big20, huge}, []int64{2, 2} }),
		col(10, func(c *Column) { c.Ints = []int64{-719162, 20415} }),
		col(11, func(c *Column) {
			c.Times = []time.Time{
				time.Date(1969, 12, 31, 23, 59, 58, 250_000_000, time.UTC),
				time.Date(2026, 11, 23, 19, 30, 1, 123_456_789, time.UTC),
			}
		}),
		{ID: 12, Rows: 3, Present: present, Lengths: []int64{2, 0}, Children: []*Column{
			{ID: 13, Rows: 2, Present: []bool{true, false}, Bytes: [][]byte{[]byte("a")}},
		}},
		{ID: 14, Rows: 3, Present: present, Lengths: []int64{1, 2}, Children: []*Column{
			{ID: 15, Rows: 3, Bytes: [][]byte{[]byte("k"), []byte("k2"), []byte("k3")}},
			{ID: 16, Rows: 3, Ints: []int64{1, 2, 3}},
		}},
		{ID: 17, Rows: 3, Present: present, Children: []*Column{
			{ID: 18, Rows: 2, Bytes: [][]byte{[]byte("Lisbon"), []byte("Porto")}},
		}},
	}}
}

func TestWriteRead_RoundTrip(t *testing.T) {
	for _, comp := range []Compression{None, Zlib, Snappy, Zstd} {
		t.Run(fmt.Sprint(comp), func(t *testing.T) {
			var buf bytes.Buffer
			// A small block size: streams cross compression chunks.
			w, err := NewWriter(&buf, testTypes(), WriterOptions{Compression: comp, BlockSize: 16})
			if err != nil {
				t.Fatal(err)
			}
			for range 2 {
				if err := w.WriteStripe(testStripe()); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			f, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
			if err != nil {
				t.Fatal(err)
			}
			if f.Rows != 6 || len(f.Stripes) != 2 || f.Compression != comp || !reflect.DeepEqual(f.Types, testTypes()) {
				t.Fatalf("tail: rows %d, stripes %d, compression %d, types %+v", f.Rows, len(f.Stripes), f.Compression, f.Types)
			}
			for i := range f.Stripes {
				got, err := f.ReadStripe(i)
				if err != nil {
					t.Fatal(err)
				}
				want := testStripe()
				normalize(want)
				normalize(got)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("stripe %d:\n got %s\nwant %s", i, dump(got), dump(want))
				}
			}
		})
	}
}

// normalize makes columns comparable: empty slices as nil, all-present as
// no present flags, byte slices without spare capacity.
func normalize(c *Column) {
	if c.Present != nil && !slices.Contains(c.Present, false) {
		c.Present = nil
	}
	for i, b := range c.Bytes {
		c.Bytes[i] = append([]byte{}, b...)
	}
	if len(c.Bytes) == 0 {
		c.Bytes = nil
	}
	for _, cc := range c.Children {
		normalize(cc)
	}
}

func dump(c *Column) string {
	s := fmt.Sprintf("{%d rows %d present %v bools %v ints %v floats %v bytes %q dec %v scales %v times %v lengths %v",
		c.ID, c.Rows, c.Present, c.Bools, c.Ints, c.Floats, c.Bytes, c.Decimals, c.Scales, c.Times, c.Lengths)
	for _, cc := range c.Children {
		s += " " + dump(cc)
	}
	return s + "}"
}

// The nanosecond encoding keeps trailing zeros in three bits.
func TestEncodeNanos(t *testing.T) {
	for _, ns := range []int64{0, 1, 10, 100, 1000, 123_000_000, 999_999_999, 100_000_000, 120} {
		enc := encodeNanos(ns)
		got := enc >> 3
		for range enc & 7 {
			got *= 10
		}
		if enc&7 != 0 {
			got *= 10
		}
		if got != ns {
			t.Errorf("encodeNanos(%d) = %d, reads back %d", ns, enc, got)
		}
	}
}

// Whatever the bytes, Open and ReadStripe fail cleanly or succeed; they
// never panic or allocate without bound.
func FuzzOpen(f *testing.F) {
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, testTypes(), WriterOptions{Compression: Zlib})
	w.WriteStripe(testStripe())
	w.Close()
	f.Add(buf.Bytes())
	buf.Reset()
	w, _ = NewWriter(&buf, testTypes(), WriterOptions{})
	w.WriteStripe(testStripe())
	w.Close()
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := Open(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		for i := range min(len(file.Stripes), 4) {
			file.ReadStripe(i)
		}
	})
}

// Columns are written DIRECT_V2 only where version 2 differs: Java's
// readers refuse DIRECT_V2 for booleans, bytes, floats, doubles and structs.
func TestWriter_Encodings(t *testing.T) {
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, testTypes(), WriterOptions{})
	if err := w.WriteStripe(testStripe()); err != nil {
		t.Fatal(err)
	}
	w.Close()
	f, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.openStripe(f.Stripes[0])
	if err != nil {
		t.Fatal(err)
	}
	for id, e := range r.encodings {
		want := encDirectV2
		switch f.Types[id].Kind {
		case Boolean, Byte, Float, Double, Struct:
			want = encDirect
		}
		if e.kind != want {
			t.Errorf("type %d (kind %d) written in encoding %d, want %d", id, f.Types[id].Kind, e.kind, want)
		}
	}
}
