package server

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"strings"
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

// next returns a request id (16 upper-case hex digits, like S3's) and the
// matching x-amz-id-2 value.
func (g *idGenerator) next() (id, hostID string) {
	var b [8]byte
	copy(b[:4], g.prefix[:])
	binary.BigEndian.PutUint32(b[4:], g.n.Add(1))
	return strings.ToUpper(hex.EncodeToString(b[:])), base64.StdEncoding.EncodeToString(append(b[:], "lakebox"...))
}
