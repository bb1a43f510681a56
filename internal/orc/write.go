package orc

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"math/bits"
	"time"

	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
	"google.golang.org/protobuf/encoding/protowire"
)

// Writer writes an ORC file, one stripe per WriteStripe. Columns are
// written DIRECT_V2 where that differs from DIRECT: integers in RLEv2 (short repeats, fixed deltas and
// bit-packed direct runs), strings as lengths and bytes, timestamps from
// ORC's 2015 epoch in UTC. No row index is written (the footer says so with
// a stride of 0), as ORC allows.
type Writer struct {
	w           io.Writer
	types       []Type
	compression Compression
	blockSize   int
	off         uint64
	stripes     []Stripe
	rows        uint64
	stats       []columnStats
	zstd        *zstd.Encoder
	err         error
}

type columnStats struct {
	values  uint64
	hasNull bool
}

// DefaultStripeSize is the stripe size ORC's writers default to: 64 MiB.
const DefaultStripeSize = 64 << 20

// CompressionNamed is the codec a Writer writes for name (NONE, ZLIB,
// SNAPPY or ZSTD); false for any other name.
func CompressionNamed(name string) (Compression, bool) {
	c, ok := map[string]Compression{"NONE": None, "ZLIB": Zlib, "SNAPPY": Snappy, "ZSTD": Zstd}[name]
	return c, ok
}

// WriterOptions tune a Writer.
type WriterOptions struct {
	// Compression is None, Zlib, Snappy or Zstd.
	Compression Compression
	// BlockSize is the compression chunk size (default 256 KiB).
	BlockSize int
}

// NewWriter starts an ORC file of the given types (type 0, a struct, is the
// row) on w.
func NewWriter(w io.Writer, types []Type, opts WriterOptions) (*Writer, error) {
	f := &File{Types: types}
	if err := f.checkTypes(); err != nil {
		return nil, err
	}
	if types[0].Kind != Struct {
		return nil, errors.New("orc: the row type is not a struct")
	}
	switch opts.Compression {
	case None, Zlib, Snappy, Zstd:
	default:
		return nil, fmt.Errorf("orc: cannot write compression kind %d", opts.Compression)
	}
	if opts.BlockSize <= 0 {
		opts.BlockSize = 256 << 10
	}
	wr := &Writer{w: w, types: types, compression: opts.Compression, blockSize: opts.BlockSize, stats: make([]columnStats, len(types))}
	if opts.Compression == Zstd {
		var err error
		if wr.zstd, err = zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1)); err != nil {
			return nil, err
		}
	}
	wr.write([]byte("ORC"))
	return wr, wr.err
}

func (w *Writer) write(b []byte) {
	if w.err != nil {
		return
	}
	n, err := w.w.Write(b)
	w.off += uint64(n)
	w.err = err
}

// stripeWriter gathers the streams of one stripe.
type stripeWriter struct {
	w       *Writer
	streams []streamOut
}

type streamOut struct {
	column, kind int
	data         []byte
}

func (s *stripeWriter) add(column, kind int, data []byte) {
	s.streams = append(s.streams, streamOut{column, kind, data})
}

// WriteStripe writes one stripe holding the rows of root, column 0, laid
// out as ReadStripe returns them.
func (w *Writer) WriteStripe(root *Column) error {
	if w.err != nil {
		return w.err
	}
	s := &stripeWriter{w: w}
	if err := s.column(root, 0, 0); err != nil {
		return err
	}
	start := w.off
	var footer []byte
	var dataLen uint64
	for _, st := range s.streams {
		data, err := w.compress(st.data)
		if err != nil {
			return err
		}
		w.write(data)
		dataLen += uint64(len(data))
		var m []byte
		m = appendVarintField(m, 1, uint64(st.kind))
		m = appendVarintField(m, 2, uint64(st.column))
		m = appendVarintField(m, 3, uint64(len(data)))
		footer = appendMessage(footer, 1, m)
	}
	for _, t := range w.types {
		footer = appendMessage(footer, 2, appendVarintField(nil, 1, uint64(encodingOf(t.Kind))))
	}
	footer = protowire.AppendTag(footer, 3, protowire.BytesType)
	footer = protowire.AppendString(footer, "UTC")
	cf, err := w.compress(footer)
	if err != nil {
		return err
	}
	w.write(cf)
	w.stripes = append(w.stripes, Stripe{Offset: start, DataLength: dataLen, FooterLength: uint64(len(cf)), Rows: uint64(root.Rows)})
	w.rows += uint64(root.Rows)
	return w.err
}

// Close writes the file's footer and PostScript. It does not close the
// underlying writer.
func (w *Writer) Close() error {
	if w.zstd != nil {
		defer w.zstd.Close()
	}
	if w.err != nil {
		return w.err
	}
	contentLength := w.off
	var footer []byte
	footer = appendVarintField(footer, 1, 3) // header length: "ORC"
	footer = appendVarintField(footer, 2, contentLength)
	for _, s := range w.stripes {
		var m []byte
		m = appendVarintField(m, 1, s.Offset)
		m = appendVarintField(m, 2, 0)
		m = appendVarintField(m, 3, s.DataLength)
		m = appendVarintField(m, 4, s.FooterLength)
		m = appendVarintField(m, 5, s.Rows)
		footer = appendMessage(footer, 3, m)
	}
	for _, t := range w.types {
		var m []byte
		m = appendVarintField(m, 1, uint64(t.Kind))
		if len(t.Children) > 0 {
			var packed []byte
			for _, c := range t.Children {
				packed = protowire.AppendVarint(packed, uint64(c))
			}
			m = protowire.AppendTag(m, 2, protowire.BytesType)
			m = protowire.AppendBytes(m, packed)
		}
		for _, n := range t.Names {
			m = protowire.AppendTag(m, 3, protowire.BytesType)
			m = protowire.AppendString(m, n)
		}
		if t.Kind == Varchar || t.Kind == Char {
			m = appendVarintField(m, 4, uint64(t.MaxLength))
		}
		if t.Kind == Decimal {
			m = appendVarintField(m, 5, uint64(t.Precision))
			m = appendVarintField(m, 6, uint64(t.Scale))
		}
		footer = appendMessage(footer, 4, m)
	}
	footer = appendVarintField(footer, 6, w.rows)
	for _, st := range w.stats {
		var m []byte
		m = appendVarintField(m, 1, st.values)
		if st.hasNull {
			m = appendVarintField(m, 10, 1)
		}
		footer = appendMessage(footer, 7, m)
	}
	footer = appendVarintField(footer, 8, 0) // no row index
	cf, err := w.compress(footer)
	if err != nil {
		return err
	}
	w.write(cf)
	var ps []byte
	ps = appendVarintField(ps, 1, uint64(len(cf)))
	ps = appendVarintField(ps, 2, uint64(w.compression))
	ps = appendVarintField(ps, 3, uint64(w.blockSize))
	ps = protowire.AppendTag(ps, 4, protowire.BytesType)
	ps = protowire.AppendBytes(ps, []byte{0, 12}) // version 0.12
	ps = appendVarintField(ps, 5, 0)              // no stripe statistics
	ps = appendVarintField(ps, 6, 9)              // writer version ORC-14
	ps = protowire.AppendTag(ps, 8000, protowire.BytesType)
	ps = protowire.AppendString(ps, "ORC")
	w.write(ps)
	w.write([]byte{byte(len(ps))})
	return w.err
}

func appendVarintField(b []byte, num protowire.Number, v uint64) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

func appendMessage(b []byte, num protowire.Number, m []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, m)
}

// compress cuts b into chunks of the block size, each compressed unless
// that would not make it smaller.
func (w *Writer) compress(b []byte) ([]byte, error) {
	if w.compression == None {
		return b, nil
	}
	var out []byte
	for len(b) > 0 {
		chunk := b[:min(len(b), w.blockSize)]
		b = b[len(chunk):]
		var packed []byte
		switch w.compression {
		case Zlib:
			var z bytes.Buffer
			fw, _ := flate.NewWriter(&z, flate.DefaultCompression)
			fw.Write(chunk)
			if err := fw.Close(); err != nil {
				return nil, err
			}
			packed = z.Bytes()
		case Snappy:
			packed = snappy.Encode(nil, chunk)
		case Zstd:
			packed = w.zstd.EncodeAll(chunk, nil)
		}
		h := uint32(len(packed)) << 1
		if len(packed) >= len(chunk) {
			packed, h = chunk, uint32(len(chunk))<<1|1
		}
		out = append(out, byte(h), byte(h>>8), byte(h>>16))
		out = append(out, packed...)
	}
	return out, nil
}

func (s *stripeWriter) column(c *Column, id, depth int) error {
	if depth > maxDepth || id >= len(s.w.types) || c.ID != id {
		return fmt.Errorf("orc: column %d does not match type %d", c.ID, id)
	}
	t := s.w.types[id]
	n := c.Rows
	if c.Present != nil {
		if len(c.Present) != c.Rows {
			return fmt.Errorf("orc: column %d: %d present flags for %d rows", id, len(c.Present), c.Rows)
		}
		n = 0
		for _, p := range c.Present {
			if p {
				n++
			}
		}
		if n < c.Rows {
			s.add(id, streamPresent, appendBools(nil, c.Present))
			s.w.stats[id].hasNull = true
		}
	}
	s.w.stats[id].values += uint64(n)
	count := func(got int) error {
		if got != n {
			return fmt.Errorf("orc: column %d: %d values for %d rows with one", id, got, n)
		}
		return nil
	}
	switch t.Kind {
	case Boolean:
		if err := count(len(c.Bools)); err != nil {
			return err
		}
		s.add(id, streamData, appendBools(nil, c.Bools))
	case Byte:
		if err := count(len(c.Ints)); err != nil {
			return err
		}
		bs := make([]byte, n)
		for i, v := range c.Ints {
			bs[i] = byte(int8(v))
		}
		s.add(id, streamData, appendByteLiterals(nil, bs))
	case Short, Int, Long, Date:
		if err := count(len(c.Ints)); err != nil {
			return err
		}
		s.add(id, streamData, appendIntRLEv2(nil, c.Ints, true))
	case Float, Double:
		if err := count(len(c.Floats)); err != nil {
			return err
		}
		var b []byte
		for _, v := range c.Floats {
			if t.Kind == Float {
				b = binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(v)))
			} else {
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
			}
		}
		s.add(id, streamData, b)
	case String, Varchar, Char, Binary:
		if err := count(len(c.Bytes)); err != nil {
			return err
		}
		size := 0
		for _, v := range c.Bytes {
			size += len(v)
		}
		data := make([]byte, 0, size) // grown once: a stripe's strings run to megabytes
		lengths := make([]int64, n)
		for i, v := range c.Bytes {
			data = append(data, v...)
			lengths[i] = int64(len(v))
		}
		s.add(id, streamData, data)
		s.add(id, streamLength, appendIntRLEv2(nil, lengths, false))
	case Decimal:
		if err := count(len(c.Decimals)); err != nil {
			return err
		}
		if len(c.Scales) != n {
			return fmt.Errorf("orc: column %d: %d scales for %d decimals", id, len(c.Scales), n)
		}
		var data []byte
		for _, v := range c.Decimals {
			data = appendBigVarint(data, v)
		}
		s.add(id, streamData, data)
		s.add(id, streamSecondary, appendIntRLEv2(nil, c.Scales, true))
	case Timestamp, TimestampInstant:
		if err := count(len(c.Times)); err != nil {
			return err
		}
		epoch := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
		secs := make([]int64, n)
		nanos := make([]int64, n)
		for i, v := range c.Times {
			if t.Kind == Timestamp { // the wall clock, written in UTC
				v = time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), v.Nanosecond(), time.UTC)
			}
			// Whole milliseconds over 1000, truncated toward zero, as
			// Java's writer counts them and ORC's readers expect. (Like
			// every ORC file, this cannot hold a time in the second
			// before 1970 with a fraction of a millisecond or more.)
			secs[i] = v.UnixMilli()/1000 - epoch
			nanos[i] = encodeNanos(int64(v.Nanosecond()))
		}
		s.add(id, streamData, appendIntRLEv2(nil, secs, true))
		s.add(id, streamSecondary, appendIntRLEv2(nil, nanos, false))
	case List, Map:
		if err := count(len(c.Lengths)); err != nil {
			return err
		}
		var total int64
		for _, l := range c.Lengths {
			if l < 0 {
				return fmt.Errorf("orc: column %d: negative length", id)
			}
			total += l
		}
		s.add(id, streamLength, appendIntRLEv2(nil, c.Lengths, false))
		if len(c.Children) != len(t.Children) {
			return fmt.Errorf("orc: column %d: %d children for %d", id, len(c.Children), len(t.Children))
		}
		for i, cc := range c.Children {
			if int64(cc.Rows) != total {
				return fmt.Errorf("orc: column %d: %d rows under %d elements", cc.ID, cc.Rows, total)
			}
			if err := s.column(cc, t.Children[i], depth+1); err != nil {
				return err
			}
		}
	case Struct:
		if len(c.Children) != len(t.Children) {
			return fmt.Errorf("orc: column %d: %d children for %d", id, len(c.Children), len(t.Children))
		}
		for i, cc := range c.Children {
			if cc.Rows != n {
				return fmt.Errorf("orc: column %d: %d rows under %d structs", cc.ID, cc.Rows, n)
			}
			if err := s.column(cc, t.Children[i], depth+1); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("orc: cannot write type kind %d", t.Kind)
	}
	return nil
}

// encodeNanos writes nanoseconds with their trailing decimal zeros counted
// in the low three bits (2 to 8 zeros as 1 to 7).
func encodeNanos(ns int64) int64 {
	if ns == 0 || ns%100 != 0 {
		return ns << 3
	}
	ns /= 100
	z := int64(1)
	for ns%10 == 0 && z < 7 {
		ns /= 10
		z++
	}
	return ns<<3 | z
}

// appendBools packs booleans, most significant bit first, as literal runs
// of a byte run-length stream.
func appendBools(b []byte, vs []bool) []byte {
	packed := make([]byte, (len(vs)+7)/8)
	for i, v := range vs {
		if v {
			packed[i/8] |= 0x80 >> (i % 8)
		}
	}
	return appendByteLiterals(b, packed)
}

// appendByteLiterals writes bytes as literal runs of at most 128.
func appendByteLiterals(b, vs []byte) []byte {
	for len(vs) > 0 {
		k := min(len(vs), 128)
		b = append(b, byte(-int8(k-1)-1))
		b = append(b, vs[:k]...)
		vs = vs[k:]
	}
	return b
}

func zigzag(v int64) uint64 { return uint64(v<<1) ^ uint64(v>>63) }

// appendIntRLEv2 writes integers in runs of RLEv2: a fixed-delta run
// (DELTA with no bits) where at least three values step evenly, otherwise
// bit-packed DIRECT runs of up to 512 values.
func appendIntRLEv2(b []byte, vs []int64, signed bool) []byte {
	for len(vs) > 0 {
		if run := evenRun(vs); run >= 3 {
			b = appendFixedDelta(b, vs[:run], signed)
			vs = vs[run:]
			continue
		}
		// Up to the next even run of three or more.
		k := 1
		for k < len(vs) && k < 512 && evenRun(vs[k:]) < 3 {
			k++
		}
		b = appendDirect(b, vs[:k], signed)
		vs = vs[k:]
	}
	return b
}

// evenRun counts the values at the start of vs that step by one fixed
// delta, up to 512, with every step representable.
func evenRun(vs []int64) int {
	if len(vs) < 2 {
		return len(vs)
	}
	d := vs[1] - vs[0]
	if (d > 0) != (vs[1] > vs[0]) || d == math.MinInt64 {
		return 1 // the step overflows
	}
	n := 2
	for n < len(vs) && n < 512 && vs[n]-vs[n-1] == d && (d > 0) == (vs[n] > vs[n-1]) {
		n++
	}
	return n
}

func appendFixedDelta(b []byte, vs []int64, signed bool) []byte {
	n := len(vs) - 1
	b = append(b, 0xc0|byte(n>>8&1), byte(n))
	if signed {
		b = protowire.AppendVarint(b, zigzag(vs[0]))
	} else {
		b = protowire.AppendVarint(b, uint64(vs[0]))
	}
	return protowire.AppendVarint(b, zigzag(vs[1]-vs[0]))
}

func appendDirect(b []byte, vs []int64, signed bool) []byte {
	us := make([]uint64, len(vs))
	width := 1
	for i, v := range vs {
		us[i] = uint64(v)
		if signed {
			us[i] = zigzag(v)
		}
		width = max(width, bits.Len64(us[i]))
	}
	width = closestFixedBits(width)
	code := 0
	for widths[code] != width {
		code++
	}
	n := len(vs) - 1
	b = append(b, 0x40|byte(code)<<1|byte(n>>8&1), byte(n))
	var acc uint64
	var nbits int
	for _, u := range us {
		for left := width; left > 0; {
			take := min(left, 8-nbits)
			acc = acc<<take | (u>>(left-take))&(1<<take-1)
			nbits += take
			left -= take
			if nbits == 8 {
				b = append(b, byte(acc))
				acc, nbits = 0, 0
			}
		}
	}
	if nbits > 0 {
		b = append(b, byte(acc<<(8-nbits)))
	}
	return b
}

// appendBigVarint writes a zigzag varint of any size.
func appendBigVarint(b []byte, v *big.Int) []byte {
	if v.IsInt64() {
		return protowire.AppendVarint(b, zigzag(v.Int64()))
	}
	z := new(big.Int).Lsh(v, 1)
	if v.Sign() < 0 {
		z.Neg(z).Sub(z, big.NewInt(1))
	}
	for {
		low := byte(z.Uint64() & 0x7f)
		z.Rsh(z, 7)
		if z.Sign() == 0 {
			return append(b, low)
		}
		b = append(b, low|0x80)
	}
}

// encodingOf is the encoding a column of the kind is written in: DIRECT_V2
// where version 2 differs from version 1 (integers, strings, decimals,
// timestamps, lengths), DIRECT elsewhere, as Java's readers demand.
func encodingOf(k Kind) int {
	switch k {
	case Boolean, Byte, Float, Double, Struct, Union:
		return encDirect
	}
	return encDirectV2
}
