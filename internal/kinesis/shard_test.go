package kinesis

import (
	"slices"
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

// UpdateShardCount's plan ends with n even open shards; every shard it
// makes has its keys from its parents; and lineage leads from each new
// open shard to every old shard whose keys it takes over.
func TestUniformPlanLineage(t *testing.T) {
	for _, tc := range [][2]int{{1, 2}, {2, 1}, {2, 3}, {3, 2}, {3, 5}, {5, 3}, {4, 7}, {7, 4}, {6, 6}, {3, 6}, {6, 3}} {
		from, to := tc[0], tc[1]
		var shards []shardRecord
		for i, r := range evenRanges(from) {
			shards = append(shards, shardRecord{Index: i, Parent: -1, AdjacentParent: -1, Start: r[0].String(), End: r[1].String()})
		}
		st := &stream{rec: streamRecord{Shards: shards}, route: newRouter(shards)}
		closed, made := st.uniformPlan(to)
		all := slices.Clone(shards)
		end := uint64(0)
		for _, p := range closed {
			all[p].EndSeq = &end
		}
		for _, m := range made {
			sh := shardRecord{Index: len(all), Parent: m.parents[0], AdjacentParent: m.parents[1], Start: m.start.String(), End: m.end.String()}
			if m.closed {
				sh.EndSeq = &end
			}
			all = append(all, sh)
		}
		open := newRouter(all)
		want := evenRanges(to)
		if len(open.shards) != to {
			t.Fatalf("%d→%d: %d open shards", from, to, len(open.shards))
		}
		for i := range want {
			if open.starts[i] != want[i][0] || open.ends[i] != want[i][1] {
				t.Fatalf("%d→%d: open shard %d is %s..%s", from, to, i, open.starts[i], open.ends[i])
			}
		}
		for _, sh := range all[from:] {
			a, b := sh.hashRange()
			lo, hi := all[sh.Parent].hashRange()
			if sh.AdjacentParent >= 0 { // a merge: the parents are adjacent and make its range
				next, last := all[sh.AdjacentParent].hashRange()
				if hi.add(1) != next {
					t.Fatalf("%d→%d: shard %d merges non-adjacent shards %d and %d", from, to, sh.Index, sh.Parent, sh.AdjacentParent)
				}
				hi = last
			}
			if a.cmp(lo) < 0 || b.cmp(hi) > 0 || sh.AdjacentParent >= 0 && (a != lo || b != hi) {
				t.Fatalf("%d→%d: shard %d (%s..%s) is not made of its parents (%s..%s)", from, to, sh.Index, a, b, lo, hi)
			}
		}
		ancestors := func(i int) map[int]bool {
			seen := map[int]bool{}
			var walk func(int)
			walk = func(i int) {
				for _, p := range []int{all[i].Parent, all[i].AdjacentParent} {
					if p >= 0 && !seen[p] {
						seen[p] = true
						walk(p)
					}
				}
			}
			walk(i)
			return seen
		}
		for k, idx := range open.shards {
			anc := ancestors(idx)
			for o := range from {
				a, b := shards[o].hashRange()
				overlaps := !(b.cmp(open.starts[k]) < 0 || a.cmp(open.ends[k]) > 0)
				if overlaps && idx != o && !anc[o] {
					t.Fatalf("%d→%d: open shard %d takes keys of shard %d but does not descend from it", from, to, idx, o)
				}
			}
		}
	}
}
