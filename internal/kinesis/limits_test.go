package kinesis

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	var l limiter
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// Writes: 1 MiB (and a little, for a full record's key) and 1,000
	// records a second.
	if !l.write("s", 0, 1<<20, t0) {
		t.Fatal("a full MiB was refused from a fresh shard")
	}
	if l.write("s", 0, 2048, t0) {
		t.Fatal("a spent shard took more at once")
	}
	if !l.write("s", 1, 1024, t0) {
		t.Fatal("another shard was charged")
	}
	if !l.write("s", 0, 500<<10, t0.Add(500*time.Millisecond)) {
		t.Fatal("half a second did not refill half a MiB")
	}
	for i := range 1000 {
		if !l.write("r", 0, 1, t0) {
			t.Fatalf("record %d of the first thousand refused", i)
		}
	}
	if l.write("r", 0, 1, t0) {
		t.Fatal("a 1,001st record in the same instant passed")
	}
	// Reads: 5 calls a second; 10 MiB at once, then 2 MiB a second.
	for i := range 5 {
		if !l.read("s", 0, t0) {
			t.Fatalf("read %d refused", i)
		}
	}
	if l.read("s", 0, t0) {
		t.Fatal("a sixth read in the same instant passed")
	}
	l.readDone("s", 0, 10<<20)
	if l.read("s", 0, t0.Add(time.Second)) {
		t.Fatal("a read passed while the 10 MiB burst was not yet paid back")
	}
	if !l.read("s", 0, t0.Add(6*time.Second)) {
		t.Fatal("five seconds did not pay back the burst")
	}
	l.forget("s")
	if len(l.shards) != 1 { // only stream r's shard remains
		t.Fatalf("forget left %d meters", len(l.shards))
	}
}
