package kinesis

import (
	"crypto/md5"
	"encoding/binary"
	"math/big"
	"sort"
	"strconv"
	"strings"
)

// hashKey is a point of the 128-bit hash key space.
type hashKey struct{ hi, lo uint64 }

var maxHashKey = hashKey{^uint64(0), ^uint64(0)}

func (a hashKey) cmp(b hashKey) int {
	switch {
	case a.hi < b.hi, a.hi == b.hi && a.lo < b.lo:
		return -1
	case a == b:
		return 0
	}
	return 1
}

func (a hashKey) big() *big.Int {
	n := new(big.Int).SetUint64(a.hi)
	n.Lsh(n, 64)
	return n.Or(n, new(big.Int).SetUint64(a.lo))
}

func (a hashKey) String() string { return a.big().String() }

func fromBig(n *big.Int) hashKey {
	lo := new(big.Int).And(n, new(big.Int).SetUint64(^uint64(0)))
	return hashKey{new(big.Int).Rsh(n, 64).Uint64(), lo.Uint64()}
}

// parseHashKey reads a decimal hash key in [0, 2^128).
func parseHashKey(s string) (hashKey, bool) {
	n, ok := new(big.Int).SetString(s, 10)
	if !ok || n.Sign() < 0 || n.BitLen() > 128 || strings.TrimSpace(s) != s {
		return hashKey{}, false
	}
	return fromBig(n), true
}

// partitionHash is the hash key of a partition key: its MD5, big endian.
func partitionHash(key string) hashKey {
	sum := md5.Sum([]byte(key))
	return hashKey{binary.BigEndian.Uint64(sum[:8]), binary.BigEndian.Uint64(sum[8:])}
}

func (a hashKey) add(n uint64) hashKey {
	lo := a.lo + n
	hi := a.hi
	if lo < a.lo {
		hi++
	}
	return hashKey{hi, lo}
}

func (a hashKey) minusOne() hashKey {
	if a.lo == 0 {
		return hashKey{a.hi - 1, ^uint64(0)}
	}
	return hashKey{a.hi, a.lo - 1}
}

// evenRanges splits the hash key space into n ranges as AWS does: each
// 2^128/n wide, the last ending at 2^128-1.
func evenRanges(n int) [][2]hashKey {
	space := new(big.Int).Lsh(big.NewInt(1), 128)
	width := new(big.Int).Div(space, big.NewInt(int64(n)))
	out := make([][2]hashKey, n)
	for i := range n {
		start := new(big.Int).Mul(width, big.NewInt(int64(i)))
		end := new(big.Int).Sub(new(big.Int).Add(start, width), big.NewInt(1))
		if i == n-1 {
			end = maxHashKey.big()
		}
		out[i] = [2]hashKey{fromBig(start), fromBig(end)}
	}
	return out
}

// shardRecord is a shard as stored with its stream.
type shardRecord struct {
	Index          int    `json:"index"`
	Parent         int    `json:"parent"`         // index, or -1
	AdjacentParent int    `json:"adjacentParent"` // index, or -1
	Start          string `json:"start"`          // hash keys, decimal
	End            string `json:"end"`
	// StartSeq is the log position when the shard opened; EndSeq, once it
	// is closed, the position after its last possible record.
	StartSeq uint64  `json:"startSeq"`
	EndSeq   *uint64 `json:"endSeq,omitempty"`
	Opened   int64   `json:"opened"` // Unix ms
	Closed   int64   `json:"closed,omitempty"`
}

func (s *shardRecord) open() bool { return s.EndSeq == nil }

func (s *shardRecord) hashRange() (hashKey, hashKey) {
	a, _ := parseHashKey(s.Start)
	b, _ := parseHashKey(s.End)
	return a, b
}

func shardID(index int) string {
	return string(appendPadded([]byte("shardId-"), uint64(index), 12))
}

// appendPadded appends n in decimal, zero-padded to width digits.
func appendPadded(b []byte, n uint64, width int) []byte {
	var digits [20]byte
	d := strconv.AppendUint(digits[:0], n, 10)
	for range width - len(d) {
		b = append(b, '0')
	}
	return append(b, d...)
}

// parseShardID reads "shardId-000000000001" (or just the number, as AWS
// also accepts).
func parseShardID(id string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimPrefix(id, "shardId-"))
	return n, err == nil && n >= 0
}

// Sequence numbers: "49", the shard index in 12 digits, the log position
// in 42: 56 digits that compare as numbers.
func sequenceNumber(shard int, pos uint64) string {
	b := make([]byte, 0, 56)
	b = append(b, "49"...)
	b = appendPadded(b, uint64(shard), 12)
	return string(appendPadded(b, pos, 42))
}

// parseSequenceNumber reads a sequence number back into its shard and log
// position.
func parseSequenceNumber(s string) (shard int, pos uint64, ok bool) {
	if len(s) != 56 || !strings.HasPrefix(s, "49") || strings.TrimLeft(s, "0123456789") != "" {
		return 0, 0, false
	}
	shard, err := strconv.Atoi(s[2:14])
	digits := strings.TrimLeft(s[14:], "0")
	if digits == "" {
		digits = "0"
	}
	if err != nil || len(digits) > 20 {
		return 0, 0, false
	}
	pos, err = strconv.ParseUint(digits, 10, 64)
	return shard, pos, err == nil
}

// router finds the open shard of a hash key.
type router struct {
	starts []hashKey
	ends   []hashKey
	shards []int // indexes
}

func newRouter(shards []shardRecord) router {
	var open []shardRecord
	for _, s := range shards {
		if s.open() {
			open = append(open, s)
		}
	}
	sort.Slice(open, func(i, j int) bool {
		a, _ := open[i].hashRange()
		b, _ := open[j].hashRange()
		return a.cmp(b) < 0
	})
	var r router
	for _, s := range open {
		a, b := s.hashRange()
		r.starts, r.ends, r.shards = append(r.starts, a), append(r.ends, b), append(r.shards, s.Index)
	}
	return r
}

// route returns the index of the open shard whose range holds k.
func (r router) route(k hashKey) (int, bool) {
	i := sort.Search(len(r.starts), func(i int) bool { return r.starts[i].cmp(k) > 0 }) - 1
	if i < 0 || r.ends[i].cmp(k) < 0 {
		return 0, false
	}
	return r.shards[i], true
}
