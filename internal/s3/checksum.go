package s3

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"hash"
	"hash/crc32"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/cespare/xxhash/v2"
	"github.com/minio/crc64nvme"
	"github.com/zeebo/xxh3"
)

// Checksum types, as S3 names them.
const (
	ChecksumFullObject = "FULL_OBJECT"
	ChecksumComposite  = "COMPOSITE"
)

// DefaultChecksum is the algorithm S3 computes for objects uploaded without
// one.
const DefaultChecksum = "CRC64NVME"

var crc32CTable = crc32.MakeTable(crc32.Castagnoli)

// Checksum is an object's or part's checksum.
type Checksum struct {
	// Algorithm is CRC32, CRC32C, CRC64NVME, SHA1, SHA256, SHA512 or MD5.
	Algorithm string `json:"alg,omitempty"`
	// Value is base64, with "-N" appended for a composite of N parts.
	Value string `json:"v,omitempty"`
	// Type is FULL_OBJECT or COMPOSITE.
	Type string `json:"t,omitempty"`
}

// IsZero reports whether no checksum is recorded.
func (c Checksum) IsZero() bool { return c.Algorithm == "" }

type checksumAlg struct {
	newHash   func() hash.Hash
	size      int    // bytes
	crcPoly   uint64 // reflected polynomial; 0 for cryptographic hashes
	composite bool   // multipart objects may use COMPOSITE
	full      bool   // multipart objects may use FULL_OBJECT
}

var checksumAlgs = map[string]checksumAlg{
	"CRC32":  {func() hash.Hash { return crc32.NewIEEE() }, 4, 0xEDB88320, true, true},
	"CRC32C": {func() hash.Hash { return crc32.New(crc32CTable) }, 4, 0x82F63B78, true, true},
	// CRC-64/NVME: polynomial 0xAD93D23594C93659, reflected; minio/crc64nvme
	// computes it with carry-less multiplication where the CPU has it.
	"CRC64NVME": {func() hash.Hash { return crc64nvme.New() }, 8, 0x9A6C9329AC4BC9B5, false, true},
	"SHA1":      {sha1.New, sha1.Size, 0, true, false},
	"SHA256":    {sha256.New, sha256.Size, 0, true, false},
	"SHA512":    {sha512.New, sha512.Size, 0, true, false},
	"MD5":       {md5.New, md5.Size, 0, true, false},
	"XXHASH64":  {func() hash.Hash { return xxhash.New() }, 8, 0, true, false},
	"XXHASH3":   {func() hash.Hash { return xxh3.New() }, 8, 0, true, false},
	"XXHASH128": {func() hash.Hash { return xxh3.New128() }, 16, 0, true, false},
}

// ErrUnsupportedChecksum is the answer for an algorithm S3 does not know.
var ErrUnsupportedChecksum = ErrInvalidRequest.WithMessage(
	"Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, MD5, SHA1, SHA256, SHA512, XXHASH128, XXHASH3, XXHASH64]")

// checkAlgorithm validates a checksum algorithm name (case-insensitive, as
// the SDKs send either) and returns its canonical spelling.
func checkAlgorithm(name string) (string, error) {
	if name == "" {
		return "", nil
	}
	up := strings.ToUpper(name)
	if _, ok := checksumAlgs[up]; !ok {
		return "", ErrUnsupportedChecksum
	}
	return up, nil
}

// ChecksumHeader returns the header that carries a checksum of algorithm
// alg, such as x-amz-checksum-crc32.
func ChecksumHeader(alg string) string { return "x-amz-checksum-" + strings.ToLower(alg) }

// ChecksumHeaderAlgorithm returns the algorithm whose checksum header is
// name, in any case (CRC32 for x-amz-checksum-crc32), or "" when name is
// not the header of a supported algorithm.
func ChecksumHeaderAlgorithm(name string) string {
	const prefix = "x-amz-checksum-"
	if len(name) <= len(prefix) || !strings.EqualFold(name[:len(prefix)], prefix) {
		return ""
	}
	alg := strings.ToUpper(name[len(prefix):])
	if _, ok := checksumAlgs[alg]; !ok {
		return ""
	}
	return alg
}

// ChecksumAlgorithms lists the supported algorithms.
func ChecksumAlgorithms() []string { return slices.Sorted(maps.Keys(checksumAlgs)) }

// checkChecksumValue validates the shape of a base64 checksum the client
// sent for algorithm alg, in a header or (trailer) an aws-chunked trailer.
func checkChecksumValue(alg, value string, trailer bool) error {
	raw, err := base64.StdEncoding.DecodeString(value)
	if err != nil || len(raw) != checksumAlgs[alg].size {
		where := "header"
		if trailer {
			where = "trailing header"
		}
		return ErrInvalidRequest.WithMessage("Value for %s %s is invalid.", ChecksumHeader(alg), where)
	}
	return nil
}

func encodeSum(h hash.Hash) string { return base64.StdEncoding.EncodeToString(h.Sum(nil)) }

// compositeChecksum is the checksum of the concatenated raw part checksums,
// with "-N" appended.
func compositeChecksum(alg string, parts []string) (string, error) {
	h := checksumAlgs[alg].newHash()
	for _, p := range parts {
		raw, err := base64.StdEncoding.DecodeString(p)
		if err != nil {
			return "", err
		}
		h.Write(raw)
	}
	return encodeSum(h) + "-" + strconv.Itoa(len(parts)), nil
}

// combineCRCs computes the CRC of the concatenation of parts from each
// part's CRC and length, without reading any data.
func combineCRCs(alg string, sums []string, sizes []int64) (string, error) {
	a := checksumAlgs[alg]
	width := a.size * 8
	var crc uint64
	for i, s := range sums {
		raw, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(raw) != a.size {
			return "", ErrInvalidPart
		}
		var part uint64
		if a.size == 4 {
			part = uint64(binary.BigEndian.Uint32(raw))
		} else {
			part = binary.BigEndian.Uint64(raw)
		}
		if i == 0 {
			crc = part
			continue
		}
		crc = crcCombine(a.crcPoly, width, crc, part, sizes[i])
	}
	out := make([]byte, a.size)
	if a.size == 4 {
		binary.BigEndian.PutUint32(out, uint32(crc))
	} else {
		binary.BigEndian.PutUint64(out, crc)
	}
	return base64.StdEncoding.EncodeToString(out), nil
}

// crcCombine returns crc(A||B) from crc(A), crc(B) and len(B) for a reflected
// CRC of the given width whose init and final xor are all ones (CRC-32,
// CRC-32C and CRC-64/NVME all are). It multiplies crc(A) by x^(8·len2)
// modulo the polynomial, the method of zlib's crc32_combine.
func crcCombine(poly uint64, width int, crc1, crc2 uint64, len2 int64) uint64 {
	top := uint64(1) << (width - 1)
	mult := func(a, b uint64) uint64 { // a·b mod p, reflected
		var p uint64
		for m := top; m != 0; m >>= 1 {
			if a&m != 0 {
				p ^= b
			}
			if b&1 != 0 {
				b = b>>1 ^ poly
			} else {
				b >>= 1
			}
		}
		return p
	}
	// x^(8·len2): square-and-multiply over powers x^(2^k), starting at x^8.
	result := top     // x^0
	power := top >> 8 // x^8, one byte: x^k is bit width-1-k
	for n := uint64(len2); n != 0; n >>= 1 {
		if n&1 != 0 {
			result = mult(power, result)
		}
		power = mult(power, power)
	}
	return mult(result, crc1) ^ crc2
}
