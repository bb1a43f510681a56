package streamlog

import (
	"testing"
)

// pages opens a log holding 40 appends of 500 records of 1 KiB on shard 0.
func pages(tb testing.TB) *Log {
	l, err := Open(tb.TempDir(), Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { l.Close() })
	data := make([]byte, 1024)
	for range 40 {
		recs := make([]Record, 500)
		for i := range recs {
			recs[i] = Record{Shard: 0, Key: "partition-key", Data: data}
		}
		if err := l.Append(recs); err != nil {
			tb.Fatal(err)
		}
	}
	return l
}

// A reader that hands its buffer back reads a full page without growing
// it, once it has grown to a page.
func TestReadIntoReusesItsBuffer(t *testing.T) {
	l := pages(t)
	var buf []byte
	for seq := uint64(0); seq < 10000; seq += 5000 {
		recs, b, err := l.ReadInto(buf, 0, seq, 5000, 10<<20)
		if err != nil || len(recs) != 5000 {
			t.Fatalf("read %d records: %v", len(recs), err)
		}
		buf = b
	}
	// Warmed up: further pages land in the same array.
	first := &buf[:1][0]
	for seq := uint64(0); seq < 15000; seq += 2500 {
		recs, b, err := l.ReadInto(buf, 0, seq, 5000, 10<<20)
		if err != nil || len(recs) == 0 || recs[0].Seq != seq {
			t.Fatalf("read from %d: %d records, %v", seq, len(recs), err)
		}
		if &b[:1][0] != first {
			t.Fatalf("reading from %d grew the buffer from %d to %d bytes", seq, cap(buf), cap(b))
		}
		buf = b
	}
}

func BenchmarkReadInto(b *testing.B) {
	l := pages(b)
	var buf []byte
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_, buf, _ = l.ReadInto(buf, 0, uint64(i%10)*1000, 10000, 10<<20)
	}
}
