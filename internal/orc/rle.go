package orc

import (
	"errors"
	"fmt"
)

// The run-length encodings of ORC streams (ORC specification v1, "Run
// Length Encoding"). Every decoder reads a whole stream, already
// decompressed, and appends what it decodes; a stream that ends inside a run
// or asks for more values than a run can hold is an error, never a panic.

var errShort = errors.New("orc: stream ends inside a run")

// capFor is the capacity to start a decoder's output with: n, the count
// the file claims, only as far as a claim can be trusted before the bytes
// bear it out.
func capFor(n int) int { return min(n, 1<<16) }

// byteRLE decodes n bytes of a byte run-length stream: a control byte of
// 0..127 is a run of control+3 copies of the next byte, -1..-128 (as a
// signed byte) that many literal bytes.
func byteRLE(b []byte, n int) ([]byte, error) {
	out := make([]byte, 0, capFor(n))
	for len(out) < n {
		if len(b) == 0 {
			return nil, errShort
		}
		c := int8(b[0])
		b = b[1:]
		if c >= 0 {
			if len(b) == 0 {
				return nil, errShort
			}
			for range int(c) + 3 {
				out = append(out, b[0])
			}
			b = b[1:]
			continue
		}
		k := -int(c)
		if k > len(b) {
			return nil, errShort
		}
		out = append(out, b[:k]...)
		b = b[k:]
	}
	if len(out) > n {
		return nil, fmt.Errorf("orc: byte run longer than its %d values", n)
	}
	return out, nil
}

// boolRLE decodes n booleans: bits, most significant first, in a byte
// run-length stream.
func boolRLE(b []byte, n int) ([]bool, error) {
	bytes, err := byteRLE(b, (n+7)/8)
	if err != nil {
		return nil, err
	}
	out := make([]bool, n)
	for i := range out {
		out[i] = bytes[i/8]&(0x80>>(i%8)) != 0
	}
	return out, nil
}

// varint reads a base-128 unsigned varint, least significant group first;
// one that does not fit 64 bits is an error.
func varint(b []byte) (uint64, int, error) {
	var v uint64
	for i := 0; i < len(b) && i < 10; i++ {
		if i == 9 && b[i] > 1 {
			break
		}
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i] < 0x80 {
			return v, i + 1, nil
		}
	}
	return 0, 0, errors.New("orc: bad varint")
}

func unzigzag(v uint64) int64 { return int64(v>>1) ^ -int64(v&1) }

// intRLEv1 decodes n integers of run-length encoding version 1: a control
// byte of 0..127 is a run of control+3 values starting at a varint base and
// stepping by a signed byte delta; -1..-128 that many literal varints.
func intRLEv1(b []byte, n int, signed bool) ([]int64, error) {
	out := make([]int64, 0, capFor(n))
	read := func() (int64, error) {
		v, k, err := varint(b)
		if err != nil {
			return 0, err
		}
		b = b[k:]
		if signed {
			return unzigzag(v), nil
		}
		return int64(v), nil
	}
	for len(out) < n {
		if len(b) == 0 {
			return nil, errShort
		}
		c := int8(b[0])
		b = b[1:]
		if c >= 0 {
			if len(b) == 0 {
				return nil, errShort
			}
			delta := int64(int8(b[0]))
			b = b[1:]
			base, err := read()
			if err != nil {
				return nil, err
			}
			for i := range int64(c) + 3 {
				out = append(out, base+i*delta)
			}
			continue
		}
		for range -int(c) {
			v, err := read()
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
	}
	if len(out) > n {
		return nil, fmt.Errorf("orc: integer run longer than its %d values", n)
	}
	return out, nil
}

// widths decodes RLEv2's 5-bit bit-width codes.
var widths = [32]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 26, 28, 30, 32, 40, 48, 56, 64}

// closestFixedBits rounds a bit width up to one RLEv2 can write.
func closestFixedBits(n int) int {
	for _, w := range widths {
		if w >= n {
			return w
		}
	}
	return 64
}

// bitReader reads big-endian bit-packed values; each run starts and ends on
// a byte boundary.
type bitReader struct {
	b    []byte
	bits uint // bits consumed of b[0]
}

func (r *bitReader) read(width int) (uint64, error) {
	var v uint64
	for width > 0 {
		if len(r.b) == 0 {
			return 0, errShort
		}
		avail := 8 - int(r.bits)
		take := min(avail, width)
		chunk := uint64(r.b[0]>>(avail-take)) & (1<<take - 1)
		v = v<<take | chunk
		width -= take
		r.bits += uint(take)
		if r.bits == 8 {
			r.b, r.bits = r.b[1:], 0
		}
	}
	return v, nil
}

// rest returns what follows the run, from the next byte boundary.
func (r *bitReader) rest() []byte {
	if r.bits > 0 {
		return r.b[1:]
	}
	return r.b
}

// intRLEv2 decodes n integers of run-length encoding version 2, whose runs
// are SHORT_REPEAT, DIRECT, PATCHED_BASE or DELTA by the top two bits of
// their first byte.
func intRLEv2(b []byte, n int, signed bool) ([]int64, error) {
	out := make([]int64, 0, capFor(n))
	for len(out) < n {
		if len(b) == 0 {
			return nil, errShort
		}
		var err error
		switch b[0] >> 6 {
		case 0:
			out, b, err = shortRepeat(out, b, signed)
		case 1:
			out, b, err = direct(out, b, signed)
		case 2:
			out, b, err = patchedBase(out, b)
		case 3:
			out, b, err = delta(out, b, signed)
		}
		if err != nil {
			return nil, err
		}
	}
	if len(out) > n {
		return nil, fmt.Errorf("orc: integer run longer than its %d values", n)
	}
	return out, nil
}

func shortRepeat(out []int64, b []byte, signed bool) ([]int64, []byte, error) {
	width := int(b[0]>>3&7) + 1
	count := int(b[0]&7) + 3
	b = b[1:]
	if len(b) < width {
		return nil, nil, errShort
	}
	var u uint64
	for _, c := range b[:width] {
		u = u<<8 | uint64(c)
	}
	v := int64(u)
	if signed {
		v = unzigzag(u)
	}
	for range count {
		out = append(out, v)
	}
	return out, b[width:], nil
}

// header2 reads the two header bytes DIRECT, PATCHED_BASE and DELTA share:
// a 5-bit width code and a 9-bit length less one.
func header2(b []byte) (code, length int, rest []byte, err error) {
	if len(b) < 2 {
		return 0, 0, nil, errShort
	}
	return int(b[0] >> 1 & 0x1f), (int(b[0]&1)<<8 | int(b[1])) + 1, b[2:], nil
}

func direct(out []int64, b []byte, signed bool) ([]int64, []byte, error) {
	code, length, b, err := header2(b)
	if err != nil {
		return nil, nil, err
	}
	r := bitReader{b: b}
	for range length {
		u, err := r.read(widths[code])
		if err != nil {
			return nil, nil, err
		}
		if signed {
			out = append(out, unzigzag(u))
		} else {
			out = append(out, int64(u))
		}
	}
	return out, r.rest(), nil
}

func patchedBase(out []int64, b []byte) ([]int64, []byte, error) {
	code, length, b, err := header2(b)
	if err != nil {
		return nil, nil, err
	}
	if len(b) < 2 {
		return nil, nil, errShort
	}
	width := widths[code]
	baseBytes := int(b[0]>>5) + 1
	patchWidth := widths[b[0]&0x1f]
	gapWidth := int(b[1]>>5) + 1
	patches := int(b[1] & 0x1f)
	b = b[2:]
	if len(b) < baseBytes {
		return nil, nil, errShort
	}
	// The base is sign and magnitude: the top bit of its first byte.
	var base int64
	for _, c := range b[:baseBytes] {
		base = base<<8 | int64(c)
	}
	if sign := int64(1) << (8*baseBytes - 1); base&sign != 0 {
		base = -(base &^ sign)
	}
	b = b[baseBytes:]
	r := bitReader{b: b}
	start := len(out)
	for range length {
		u, err := r.read(width)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, int64(u))
	}
	if gapWidth+patchWidth > 64 {
		return nil, nil, errors.New("orc: patch wider than 64 bits")
	}
	r = bitReader{b: r.rest()}
	entry := closestFixedBits(gapWidth + patchWidth)
	pos := start
	for range patches {
		e, err := r.read(entry)
		if err != nil {
			return nil, nil, err
		}
		gap := int(e >> patchWidth)
		patch := e & (1<<patchWidth - 1)
		pos += gap
		if pos >= len(out) {
			return nil, nil, errors.New("orc: patch past the end of its run")
		}
		// A gap of 255 with no patch only moves on: gaps are at most 255.
		if patch != 0 || gap != 255 {
			out[pos] |= int64(patch << width)
		}
	}
	for i := start; i < len(out); i++ {
		out[i] += base
	}
	return out, r.rest(), nil
}

func delta(out []int64, b []byte, signed bool) ([]int64, []byte, error) {
	code, length, b, err := header2(b)
	if err != nil {
		return nil, nil, err
	}
	width := 0 // a width code of 0 is a fixed delta, no bits
	if code != 0 {
		width = widths[code]
	}
	u, k, err := varint(b)
	if err != nil {
		return nil, nil, err
	}
	b = b[k:]
	base := int64(u)
	if signed {
		base = unzigzag(u)
	}
	d, k, err := varint(b)
	if err != nil {
		return nil, nil, err
	}
	b = b[k:]
	step := unzigzag(d)
	out = append(out, base)
	if length == 1 {
		return out, b, nil
	}
	out = append(out, base+step)
	r := bitReader{b: b}
	for i := 2; i < length; i++ {
		v := out[len(out)-1]
		if width == 0 {
			out = append(out, v+step)
			continue
		}
		d, err := r.read(width)
		if err != nil {
			return nil, nil, err
		}
		if step < 0 {
			out = append(out, v-int64(d))
		} else {
			out = append(out, v+int64(d))
		}
	}
	return out, r.rest(), nil
}
