package server

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"sync/atomic"
)

// idGenerator makes request ids: a random per-process prefix and a counter,
// unique within a process and unlikely to repeat across restarts.
type idGenerator struct {
	prefix [4]byte
	n      atomic.Uint32
}

func newIDGenerator() *idGenerator {
	g := &idGenerator{}
	rand.Read(g.prefix[:])
	return g
}

// Lengths of the two ids: 8 bytes in upper-case hex, and those bytes and
// "lakebox" in base64.
const (
	idLen     = 16
	hostIDLen = 20
)

// next returns a request id (16 upper-case hex digits, like S3's) and the
// matching x-amz-id-2 value. Both share one string: every request asks.
func (g *idGenerator) next() (id, hostID string) {
	const hexUpper = "0123456789ABCDEF"
	var raw [15]byte
	copy(raw[:4], g.prefix[:])
	binary.BigEndian.PutUint32(raw[4:8], g.n.Add(1))
	copy(raw[8:], "lakebox")
	var out [idLen + hostIDLen]byte
	for i, c := range raw[:8] {
		out[2*i], out[2*i+1] = hexUpper[c>>4], hexUpper[c&15]
	}
	base64.StdEncoding.Encode(out[idLen:], raw[:])
	both := string(out[:])
	return both[:idLen], both[idLen:]
}
