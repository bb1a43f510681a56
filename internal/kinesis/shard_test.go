package kinesis

import (
	"testing"
)

func TestEvenRangesAndRouting(t *testing.T) {
	r := evenRanges(3)
	if r[0][0].String() != "0" || r[2][1].String() != "340282366920938463463374607431768211455" ||
		r[0][1].add(1) != r[1][0] || r[1][1].add(1) != r[2][0] {
		t.Fatalf("ranges = %v", r)
	}
	var shards []shardRecord
	for i, x := range r {
		shards = append(shards, shardRecord{Index: i, Start: x[0].String(), End: x[1].String()})
	}
	rt := newRouter(shards)
	for k, want := range map[hashKey]int{{}: 0, r[1][0]: 1, r[1][0].minusOne(): 0, maxHashKey: 2} {
		if got, ok := rt.route(k); !ok || got != want {
			t.Errorf("route(%s) = %d, %v; want %d", k, got, ok, want)
		}
	}
	// AWS's example: MD5("a") is 0cc175b9c0f1b6a831c399e269772661.
	if h := partitionHash("a"); h.hi != 0x0cc175b9c0f1b6a8 || h.lo != 0x31c399e269772661 {
		t.Errorf("partitionHash(a) = %x %x", h.hi, h.lo)
	}
}

func TestSequenceNumbers(t *testing.T) {
	for _, tc := range []struct {
		shard int
		pos   uint64
	}{{0, 0}, {7, 12345}, {999999999999, ^uint64(0)}} {
		s := sequenceNumber(tc.shard, tc.pos)
		shard, pos, ok := parseSequenceNumber(s)
		if len(s) != 56 || !ok || shard != tc.shard || pos != tc.pos {
			t.Errorf("%d/%d -> %s -> %d/%d %v", tc.shard, tc.pos, s, shard, pos, ok)
		}
	}
	if sequenceNumber(1, 9) >= sequenceNumber(1, 10) || sequenceNumber(1, 1<<40) >= sequenceNumber(2, 0) {
		t.Error("sequence numbers do not compare as their positions")
	}
	for _, bad := range []string{"", "49", "4900000000000000000000000000000000000000000000000000000x", "59000000000000000000000000000000000000000000000000000001",
		"49000000000000999999999999999999999999999999999999999999"} {
		if _, _, ok := parseSequenceNumber(bad); ok {
			t.Errorf("parseSequenceNumber(%q) succeeded", bad)
		}
	}
}

func TestParseHashKey(t *testing.T) {
	for s, ok := range map[string]bool{"0": true, "340282366920938463463374607431768211455": true, "340282366920938463463374607431768211456": false,
		"-1": false, "abc": false, " 1": false, "": false} {
		if _, got := parseHashKey(s); got != ok {
			t.Errorf("parseHashKey(%q) = %v", s, got)
		}
	}
}

func FuzzParseIterator(f *testing.F) {
	s := &Service{key: []byte("key")}
	f.Add("AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Add("")
	f.Fuzz(func(t *testing.T, tok string) {
		it, ok := s.parseIterator(tok)
		if ok && len(it.stream) != 32 {
			t.Fatalf("a forged iterator passed: %+v", it)
		}
		parseSequenceNumber(tok)
		parseHashKey(tok)
	})
}
