package streamlog

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func rec(shard uint32, key, data string) Record {
	return Record{Shard: shard, Key: key, Data: []byte(data), Arrival: 1000}
}

func readAll(t *testing.T, l *Log, shard uint32) []Record {
	t.Helper()
	got, err := l.Read(shard, 0, 1<<30, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestAppendRead(t *testing.T) {
	l, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	recs := []Record{rec(0, "a", "one"), rec(1, "b", "two"), rec(0, "c", "three")}
	if err := l.Append(recs); err != nil {
		t.Fatal(err)
	}
	if recs[0].Seq >= recs[2].Seq {
		t.Errorf("sequence numbers of shard 0 = %d, %d: not increasing", recs[0].Seq, recs[2].Seq)
	}
	got := readAll(t, l, 0)
	if len(got) != 2 || got[0].Key != "a" || string(got[1].Data) != "three" || got[1].Seq != recs[2].Seq {
		t.Fatalf("shard 0 = %+v", got)
	}
	// From a sequence number on; Limit and byte bounds.
	if got, _ := l.Read(0, recs[0].Seq+1, 10, 1<<20); len(got) != 1 || got[0].Key != "c" {
		t.Errorf("read after the first = %+v", got)
	}
	if got, _ := l.Read(0, 0, 1, 1<<20); len(got) != 1 {
		t.Errorf("limit 1 gave %d", len(got))
	}
	if got, _ := l.Read(0, 0, 10, 1); len(got) != 1 {
		t.Errorf("byte bound gave %d", len(got))
	}
	if got, _ := l.Read(7, 0, 10, 1<<20); len(got) != 0 {
		t.Errorf("empty shard gave %+v", got)
	}
	if n := l.Next(); n != recs[2].Seq+1 && n <= recs[1].Seq {
		t.Errorf("Next = %d", n)
	}
}

// Concurrent appends keep each writer's order within a shard, and every
// record is read back once.
func TestConcurrentAppends(t *testing.T) {
	l, err := Open(t.TempDir(), Options{SegmentSize: 4096})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	const writers, batches, per = 8, 20, 25
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for b := range batches {
				recs := make([]Record, per)
				for i := range recs {
					recs[i] = rec(uint32(i%3), fmt.Sprint(w), fmt.Sprintf("%d-%d-%d", w, b, i))
				}
				if err := l.Append(recs); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	total := 0
	for shard := range uint32(3) {
		got := readAll(t, l, shard)
		total += len(got)
		last := map[string]int{} // writer -> position of its last record
		for i, r := range got {
			if i > 0 && r.Seq <= got[i-1].Seq {
				t.Fatalf("shard %d: sequence %d after %d", shard, r.Seq, got[i-1].Seq)
			}
			var w, b, n int
			fmt.Sscanf(string(r.Data), "%d-%d-%d", &w, &b, &n)
			pos := b*per + n
			if prev, ok := last[r.Key]; ok && pos <= prev {
				t.Fatalf("shard %d: writer %s's record %d after %d", shard, r.Key, pos, prev)
			}
			last[r.Key] = pos
		}
	}
	if total != writers*batches*per {
		t.Fatalf("read %d records, wrote %d", total, writers*batches*per)
	}
}

func TestRecover(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir, Options{SegmentSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		if err := l.Append([]Record{rec(uint32(i%2), "k", fmt.Sprint(i))}); err != nil {
			t.Fatal(err)
		}
	}
	next := l.Next()
	l.Close()
	segs, _ := filepath.Glob(filepath.Join(dir, "*.log"))
	if len(segs) < 3 {
		t.Fatalf("%d segments: the log did not roll over", len(segs))
	}
	// A crash in the middle of a write leaves a torn frame at the end.
	last := segs[len(segs)-1]
	f, _ := os.OpenFile(last, os.O_WRONLY|os.O_APPEND, 0)
	f.Write([]byte{40, 0, 0, 0, 1, 2, 3})
	f.Close()
	l, err = Open(dir, Options{SegmentSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if l.Next() != next {
		t.Errorf("Next after recovery = %d, want %d", l.Next(), next)
	}
	var data []string
	for _, r := range readAll(t, l, 0) {
		data = append(data, string(r.Data))
	}
	if fmt.Sprint(data) != "[0 2 4 6 8]" {
		t.Fatalf("shard 0 after recovery = %v", data)
	}
	if err := l.Append([]Record{rec(0, "k", "10")}); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, l, 0); len(got) != 6 || !bytes.Equal(got[5].Data, []byte("10")) || got[5].Seq != next {
		t.Fatalf("append after recovery: %+v", got)
	}
	// Corruption before the last segment is not a torn tail.
	l.Close()
	os.WriteFile(segs[0], []byte("garbage!garbage!garbage!"), 0o644)
	if _, err := Open(dir, Options{SegmentSize: 100}); err == nil {
		t.Fatal("a corrupt closed segment opened")
	}
}

func TestTrim(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir, Options{SegmentSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for i := range 5 {
		r := rec(0, "k", fmt.Sprint(i))
		r.Arrival = int64(i * 1000)
		if err := l.Append([]Record{r}); err != nil {
			t.Fatal(err)
		}
	}
	n, err := l.Trim(2500)
	if err != nil || n != 3 {
		t.Fatalf("Trim = %d, %v; want 3 segments", n, err)
	}
	var data []string
	for _, r := range readAll(t, l, 0) {
		data = append(data, string(r.Data))
	}
	if fmt.Sprint(data) != "[3 4]" {
		t.Fatalf("after trim = %v", data)
	}
	// The last segment stays, however old.
	if n, _ := l.Trim(1 << 40); n != 1 {
		t.Fatalf("second Trim removed %d segments, want all but the last", n)
	}
	if got := readAll(t, l, 0); len(got) != 1 {
		t.Fatalf("after trimming all but the last = %+v", got)
	}
}

// Release removes the segments a consumer is done with, never the last.
func TestRelease(t *testing.T) {
	l, err := Open(t.TempDir(), Options{SegmentSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for i := range 5 {
		if err := l.Append([]Record{rec(0, "k", fmt.Sprint(i))}); err != nil {
			t.Fatal(err)
		}
	}
	all := readAll(t, l, 0)
	if n, err := l.Release(all[2].Seq); err != nil || n != 2 {
		t.Fatalf("Release = %d, %v; want 2 segments", n, err)
	}
	if got := readAll(t, l, 0); len(got) != 3 || string(got[0].Data) != "2" {
		t.Fatalf("after Release: %+v", got)
	}
	if n, _ := l.Release(1 << 60); n != 2 {
		t.Fatalf("Release of everything removed %d segments, want all but the last", n)
	}
}

// Arrivals never decrease along the log, and Seek finds a shard's first
// record at or after a time.
func TestSeek(t *testing.T) {
	l, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for i, at := range []int64{1000, 2000, 1500, 3000} {
		r := rec(uint32(i%2), "k", fmt.Sprint(i))
		r.Arrival = at
		if err := l.Append([]Record{r}); err != nil {
			t.Fatal(err)
		}
	}
	var arrivals []int64
	for _, r := range readAll(t, l, 0) {
		arrivals = append(arrivals, r.Arrival)
	}
	if fmt.Sprint(arrivals) != "[1000 2000]" {
		t.Fatalf("arrivals of shard 0 = %v", arrivals)
	}
	if got := readAll(t, l, 1); got[0].Arrival != 2000 || got[1].Arrival != 3000 {
		t.Fatalf("shard 1 = %+v: an arrival went back in time", got)
	}
	for _, tc := range []struct {
		shard uint32
		ts    int64
		want  string
	}{{0, 0, "0"}, {0, 1001, "2"}, {1, 1500, "1"}, {1, 2500, "3"}, {0, 9999, "next"}} {
		seq, err := l.Seek(tc.shard, tc.ts)
		if err != nil {
			t.Fatal(err)
		}
		got := "next"
		if seq != l.Next() {
			recs, _ := l.Read(tc.shard, seq, 1, 1<<20)
			got = string(recs[0].Data)
		}
		if got != tc.want {
			t.Errorf("Seek(%d, %d) found record %s, want %s", tc.shard, tc.ts, got, tc.want)
		}
	}
}

func TestClosed(t *testing.T) {
	l, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	if err := l.Append([]Record{rec(0, "k", "v")}); err != ErrClosed {
		t.Fatalf("Append after Close = %v", err)
	}
}

func FuzzRecover(f *testing.F) {
	var seed []byte
	for i := range 3 {
		seed = encode(seed, &Record{Shard: uint32(i), Seq: uint64(i), Key: "k", Data: []byte("data")})
	}
	f.Add(seed)
	f.Add(seed[:len(seed)-3])
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, segmentName(0)), b, 0o644); err != nil {
			t.Fatal(err)
		}
		l, err := Open(dir, Options{})
		if err != nil {
			return
		}
		defer l.Close()
		for shard := range uint32(4) {
			if _, err := l.Read(shard, 0, 100, 1<<20); err != nil {
				t.Fatalf("a recovered log does not read: %v", err)
			}
		}
		if err := l.Append([]Record{rec(1, "k", "v")}); err != nil {
			t.Fatal(err)
		}
	})
}
