package seal

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"sync"
)

// ringVersion is the first byte of a record sealed by a Ring.
const ringVersion = 1

// Ring is the data keys of one resource, such as a delivery stream:
// small records are sealed under its newest key and open with the key
// that sealed them, so keys can be added without re-sealing anything.
// The keys are kept wrapped by a key-encryption key, bound to the
// resource by aad; each is unwrapped once, when first used.
//
// A sealed record: version byte (1) | uvarint key index | 12-byte nonce |
// AES-256-GCM ciphertext and tag.
type Ring struct {
	kek *Key
	aad []byte

	mu      sync.Mutex
	wrapped [][]byte
	ciphers map[int]cipher.AEAD
}

// NewRing returns the ring of wrapped keys (which may be empty).
func NewRing(kek *Key, aad []byte, wrapped [][]byte) *Ring {
	return &Ring{kek: kek, aad: aad, wrapped: wrapped, ciphers: map[int]cipher.AEAD{}}
}

// Add makes a new data key the one records are sealed under, and returns
// every wrapped key, to be stored.
func (r *Ring) Add() [][]byte {
	dk := NewKey()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.wrapped = append(r.wrapped, Wrap(r.kek, &dk, r.aad))
	r.ciphers[len(r.wrapped)-1] = dk.aead()
	return append([][]byte(nil), r.wrapped...)
}

func (r *Ring) cipher(index int) (cipher.AEAD, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if g, ok := r.ciphers[index]; ok {
		return g, nil
	}
	if index < 0 || index >= len(r.wrapped) {
		return nil, fmt.Errorf("seal: no data key %d", index)
	}
	dk, err := Unwrap(r.kek, r.wrapped[index], r.aad)
	if err != nil {
		return nil, fmt.Errorf("seal: data key %d: %w", index, err)
	}
	g := dk.aead()
	r.ciphers[index] = g
	return g, nil
}

// Seal seals data under the newest key.
func (r *Ring) Seal(data []byte) ([]byte, error) {
	r.mu.Lock()
	index := len(r.wrapped) - 1
	r.mu.Unlock()
	g, err := r.cipher(index)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, 1+binary.MaxVarintLen64+g.NonceSize()+len(data)+g.Overhead())
	out = binary.AppendUvarint(append(out, ringVersion), uint64(index))
	nonce := out[len(out) : len(out)+g.NonceSize()]
	rand.Read(nonce)
	out = out[:len(out)+g.NonceSize()]
	return g.Seal(out, nonce, data, nil), nil
}

// Open opens a record sealed by Seal.
func (r *Ring) Open(b []byte) ([]byte, error) {
	if len(b) < 1 || b[0] != ringVersion {
		return nil, fmt.Errorf("seal: sealed record has an unknown version")
	}
	index, n := binary.Uvarint(b[1:])
	if n <= 0 {
		return nil, fmt.Errorf("seal: sealed record has no key index")
	}
	g, err := r.cipher(int(index))
	if err != nil {
		return nil, err
	}
	b = b[1+n:]
	if len(b) < g.NonceSize()+g.Overhead() {
		return nil, ErrOpen
	}
	plain, err := g.Open(nil, b[:g.NonceSize()], b[g.NonceSize():], nil)
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}
