package athena

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash"
	"hash/crc32"
	"math"
	"slices"
	"strings"

	"github.com/cespare/xxhash/v2"
	spooky "github.com/dgryski/go-spooky"
	"github.com/twmb/murmur3"

	"github.com/lakebox/lakebox/internal/sqlengine"
)

// Trino's varbinary functions the engine lacks, by their Trino names. Their
// bytes are Trino's: a hash's words are big-endian where Trino's are
// (xxhash64, spooky_hash_v2_*), and murmur3 gives its two 64-bit halves
// little-endian, as airlift's Murmur3Hash128 does. Trino's own test vectors
// pin each in testdata/functions_trino.sql.

// binaryFunc is a Go function of the engine and its signature.
type binaryFunc struct {
	name   string
	args   []sqlengine.Type
	result sqlengine.Type
	fn     sqlengine.StrictFunc
}

// registerBinary defines the varbinary functions in the engine.
func registerBinary(sess *sqlengine.Session) error {
	blob1 := []sqlengine.Type{sqlengine.Blob}
	blob2 := []sqlengine.Type{sqlengine.Blob, sqlengine.Blob}
	for _, f := range []binaryFunc{
		{"murmur3", blob1, sqlengine.Blob, onBytes(func(b []byte) any {
			h1, h2 := murmur3.SeedSum128(0, 0, b)
			return binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, h1), h2)
		})},
		{"xxhash64", blob1, sqlengine.Blob, onBytes(func(b []byte) any { return binary.BigEndian.AppendUint64(nil, xxhash.Sum64(b)) })},
		{"spooky_hash_v2_32", blob1, sqlengine.Blob, onBytes(func(b []byte) any { return binary.BigEndian.AppendUint32(nil, spooky.Hash32(b)) })},
		{"spooky_hash_v2_64", blob1, sqlengine.Blob, onBytes(func(b []byte) any { return binary.BigEndian.AppendUint64(nil, spooky.Hash64(b)) })},
		{"crc32", blob1, sqlengine.Bigint, onBytes(func(b []byte) any { return int64(crc32.ChecksumIEEE(b)) })},
		{"sha512", blob1, sqlengine.Blob, onBytes(func(b []byte) any { s := sha512.Sum512(b); return s[:] })},
		{"hmac_md5", blob2, sqlengine.Blob, hmacOf(md5.New)},
		{"hmac_sha1", blob2, sqlengine.Blob, hmacOf(sha1.New)},
		{"hmac_sha256", blob2, sqlengine.Blob, hmacOf(sha256.New)},
		{"hmac_sha512", blob2, sqlengine.Blob, hmacOf(sha512.New)},
		{"to_base64url", blob1, sqlengine.Varchar, onBytes(func(b []byte) any { return base64.URLEncoding.EncodeToString(b) })},
		{"from_base64url", []sqlengine.Type{sqlengine.Varchar}, sqlengine.Blob, fromBase64URL},
		{"to_big_endian_64", []sqlengine.Type{sqlengine.Bigint}, sqlengine.Blob, func(a []any) (any, error) {
			return binary.BigEndian.AppendUint64(nil, uint64(a[0].(int64))), nil
		}},
		{"to_big_endian_32", []sqlengine.Type{sqlengine.Integer}, sqlengine.Blob, func(a []any) (any, error) {
			return binary.BigEndian.AppendUint32(nil, uint32(a[0].(int32))), nil
		}},
		{"from_big_endian_64", blob1, sqlengine.Bigint, func(a []any) (any, error) {
			b, err := endianBytes(a[0], 8)
			if err != nil {
				return nil, err
			}
			return int64(binary.BigEndian.Uint64(b)), nil
		}},
		{"from_big_endian_32", blob1, sqlengine.Integer, func(a []any) (any, error) {
			b, err := endianBytes(a[0], 4)
			if err != nil {
				return nil, err
			}
			return int32(binary.BigEndian.Uint32(b)), nil
		}},
		{"to_ieee754_64", []sqlengine.Type{sqlengine.Double}, sqlengine.Blob, func(a []any) (any, error) {
			return binary.BigEndian.AppendUint64(nil, math.Float64bits(a[0].(float64))), nil
		}},
		{"to_ieee754_32", []sqlengine.Type{sqlengine.Real}, sqlengine.Blob, func(a []any) (any, error) {
			return binary.BigEndian.AppendUint32(nil, math.Float32bits(a[0].(float32))), nil
		}},
		{"from_ieee754_64", blob1, sqlengine.Double, func(a []any) (any, error) {
			b, err := ieeeBytes(a[0], 8)
			if err != nil {
				return nil, err
			}
			return math.Float64frombits(binary.BigEndian.Uint64(b)), nil
		}},
		{"from_ieee754_32", blob1, sqlengine.Real, func(a []any) (any, error) {
			b, err := ieeeBytes(a[0], 4)
			if err != nil {
				return nil, err
			}
			return math.Float32frombits(binary.BigEndian.Uint32(b)), nil
		}},
		{"lakebox_varbinary_reverse", blob1, sqlengine.Blob, onBytes(func(b []byte) any {
			r := append(make([]byte, 0, len(b)), b...) // never nil: an empty value is not NULL
			slices.Reverse(r)
			return r
		})},
		{"lakebox_varbinary_substr", []sqlengine.Type{sqlengine.Blob, sqlengine.Bigint, sqlengine.Bigint}, sqlengine.Blob, func(a []any) (any, error) {
			return substrBytes(a[0].([]byte), a[1].(int64), a[2].(int64)), nil
		}},
		{"lakebox_varbinary_pad", []sqlengine.Type{sqlengine.Blob, sqlengine.Bigint, sqlengine.Blob, sqlengine.Boolean}, sqlengine.Blob, func(a []any) (any, error) {
			return padBytes(a[0].([]byte), a[1].(int64), a[2].([]byte), a[3].(bool))
		}},
	} {
		if err := sess.RegisterStrict(f.name, f.args, f.result, f.fn); err != nil {
			return err
		}
	}
	return nil
}

// onBytes makes a function of one varbinary argument.
func onBytes(fn func([]byte) any) sqlengine.StrictFunc {
	return func(a []any) (any, error) { return fn(a[0].([]byte)), nil }
}

// hmacOf is hmac_*(bytes, key).
func hmacOf(h func() hash.Hash) sqlengine.StrictFunc {
	return func(a []any) (any, error) {
		m := hmac.New(h, a[1].([]byte))
		m.Write(a[0].([]byte))
		return m.Sum(nil), nil
	}
}

// fromBase64URL decodes base64 in the URL alphabet, padded or not, as
// Java's URL decoder does.
func fromBase64URL(a []any) (any, error) {
	s := a[0].(string)
	if strings.ContainsAny(s, "\r\n") { // Go's decoder passes over line breaks, Java's refuses them
		return nil, fmt.Errorf("Illegal base64 character in %q", s)
	}
	enc := base64.URLEncoding
	if !strings.HasSuffix(s, "=") && len(s)%4 != 0 {
		enc = base64.RawURLEncoding
	}
	b, err := enc.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("Illegal base64 character or length in %q", s)
	}
	return b, nil
}

// endianBytes returns v's bytes if there are n of them, as
// from_big_endian_* wants.
func endianBytes(v any, n int) ([]byte, error) {
	b := v.([]byte)
	if len(b) != n {
		return nil, fmt.Errorf("expected %d-byte input, but got instead: %d", n, len(b))
	}
	return b, nil
}

// ieeeBytes returns v's bytes if there are n of them, as from_ieee754_*
// wants.
func ieeeBytes(v any, n int) ([]byte, error) {
	b := v.([]byte)
	if len(b) != n {
		return nil, fmt.Errorf("Input floating-point value must be exactly %d bytes long", n)
	}
	return b, nil
}

// substrBytes is Trino's substr of varbinary: n bytes from position start,
// counted from 1, or from the end when negative; empty for start 0, n < 1,
// or a start outside b.
func substrBytes(b []byte, start, n int64) []byte {
	size := int64(len(b))
	switch {
	case start == 0 || n <= 0:
		return []byte{}
	case start > 0:
		start--
	default:
		start += size
	}
	if start < 0 || start >= size {
		return []byte{}
	}
	return b[start : start+min(n, size-start)]
}

// padBytes is Trino's lpad (left) and rpad of varbinary: b filled to size
// bytes with pad repeated, or cut to size.
func padBytes(b []byte, size int64, pad []byte, left bool) ([]byte, error) {
	switch {
	case size < 0 || size > math.MaxInt32:
		return nil, fmt.Errorf("INVALID_FUNCTION_ARGUMENT: Target length must be in the range [0..%d]", math.MaxInt32)
	case len(pad) == 0:
		return nil, fmt.Errorf("INVALID_FUNCTION_ARGUMENT: Padding bytes must not be empty")
	case size <= int64(len(b)):
		return b[:size], nil
	}
	fill := make([]byte, size-int64(len(b)))
	for i := range fill {
		fill[i] = pad[i%len(pad)]
	}
	if left {
		return append(fill, b...), nil
	}
	return append(append([]byte{}, b...), fill...), nil
}
