package orc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"time"
	_ "time/tzdata" // writers' zones, whatever the host has

	"google.golang.org/protobuf/encoding/protowire"
)

// Column holds one column's values over the rows of a stripe. Like ORC
// itself it is dense: the value slices hold only the rows that have a
// value, in order, and Present says which rows those are.
type Column struct {
	// ID is the column's type id.
	ID int
	// Rows counts the column's rows, with a value or null.
	Rows int
	// Present says which rows have a value; nil when every row has one.
	Present []bool

	Bools []bool // Boolean
	// Ints holds Byte, Short, Int and Long values, and Date's days since
	// 1970-01-01.
	Ints   []int64
	Floats []float64 // Float, Double
	// Bytes holds String, Varchar, Char and Binary values. They may share
	// one backing array: callers copy what they keep.
	Bytes [][]byte
	// Decimals are unscaled values, each with its scale in Scales.
	Decimals []*big.Int
	Scales   []int64
	// Times are Timestamp values as their wall-clock time, in UTC, and
	// TimestampInstant values as instants.
	Times []time.Time
	// Lengths are the element counts of a List's or Map's rows with a value.
	Lengths []int64
	// Children are a List's element, a Map's key and value and a Struct's
	// fields, each over the rows its parent's values give it.
	Children []*Column
}

// Has reports whether row i has a value.
func (c *Column) Has(i int) bool { return c.Present == nil || c.Present[i] }

// The stream kinds of a stripe footer.
const (
	streamPresent        = 0
	streamData           = 1
	streamLength         = 2
	streamDictionaryData = 3
	streamSecondary      = 5
)

// The column encodings of a stripe footer.
const (
	encDirect       = 0
	encDictionary   = 1
	encDirectV2     = 2
	encDictionaryV2 = 3
)

// maxStream bounds one decompressed stream.
const maxStream = 1 << 30

// maxStripeRows bounds the rows of a stripe, which is decoded whole: run
// lengths let a few bytes claim many values. Writers cut stripes by size
// (64 MiB by default), which keeps real stripes far below this.
const maxStripeRows = 1 << 26

type streamKey struct{ column, kind int }

type encoding struct{ kind, dictionarySize int }

// maxStripeValues bounds the values (rows of every column, dictionary
// entries) one stripe may decode: a guard against files whose runs claim
// more than memory holds.
const maxStripeValues = 1 << 27

// stripeReader decodes the columns of one stripe.
type stripeReader struct {
	f         *File
	streams   map[streamKey][2]uint64 // offset and length in the file
	encodings []encoding
	zone      *time.Location // the writer's, for Timestamp
	values    int            // decoded so far, against maxStripeValues
}

// spend counts n more values to decode for column id.
func (r *stripeReader) spend(id, n int) error {
	if n < 0 || n > maxStripeRows || r.values+n > maxStripeValues {
		return fmt.Errorf("column %d: %d values are more than Lakebox reads from one stripe", id, n)
	}
	r.values += n
	return nil
}

// ReadStripe decodes every column of stripe i; the result is the row
// struct, column 0.
func (f *File) ReadStripe(i int) (*Column, error) {
	if i < 0 || i >= len(f.Stripes) {
		return nil, fmt.Errorf("orc: no stripe %d", i)
	}
	s := f.Stripes[i]
	if s.Rows > maxStripeRows {
		return nil, fmt.Errorf("orc: stripe %d has %d rows; at most %d are read", i, s.Rows, maxStripeRows)
	}
	r, err := f.openStripe(s)
	if err != nil {
		return nil, fmt.Errorf("orc: stripe %d: %w", i, err)
	}
	c, err := r.column(0, int(s.Rows), 0)
	if err != nil {
		return nil, fmt.Errorf("orc: stripe %d: %w", i, err)
	}
	return c, nil
}

func (f *File) openStripe(s Stripe) (*stripeReader, error) {
	end := s.Offset + s.IndexLength + s.DataLength
	if s.FooterLength > MaxTail || end < s.Offset || end+s.FooterLength > uint64(f.size) {
		return nil, errors.New("stripe outside the file")
	}
	raw := make([]byte, s.FooterLength)
	if _, err := f.r.ReadAt(raw, int64(end)); err != nil {
		return nil, fmt.Errorf("read stripe footer: %w", err)
	}
	footer, err := f.decompress(raw, MaxTail)
	if err != nil {
		return nil, fmt.Errorf("stripe footer: %w", err)
	}
	r := &stripeReader{f: f, streams: map[streamKey][2]uint64{}, zone: time.UTC}
	pos := s.Offset
	err = eachField(footer, func(num protowire.Number, typ protowire.Type, v uint64, b []byte) error {
		switch {
		case num == 1 && typ == protowire.BytesType:
			var kind, column, length uint64
			if err := eachField(b, func(num protowire.Number, _ protowire.Type, v uint64, _ []byte) error {
				switch num {
				case 1:
					kind = v
				case 2:
					column = v
				case 3:
					length = v
				}
				return nil
			}); err != nil {
				return err
			}
			if pos+length < pos || pos+length > end {
				return errors.New("stream outside its stripe")
			}
			if column < uint64(len(f.Types)) && kind < 100 {
				r.streams[streamKey{int(column), int(kind)}] = [2]uint64{pos, length}
			}
			pos += length
		case num == 2 && typ == protowire.BytesType:
			var e encoding
			if err := eachField(b, func(num protowire.Number, _ protowire.Type, v uint64, _ []byte) error {
				switch num {
				case 1:
					e.kind = int(min(v, 1<<31))
				case 2:
					e.dictionarySize = int(min(v, 1<<31))
				}
				return nil
			}); err != nil {
				return err
			}
			r.encodings = append(r.encodings, e)
		case num == 3 && typ == protowire.BytesType:
			zone, err := time.LoadLocation(string(b))
			if err != nil {
				return fmt.Errorf("writer time zone %q: %w", b, err)
			}
			r.zone = zone
		}
		return nil
	})
	return r, err
}

// stream returns a decompressed stream, nil if the stripe has none.
func (r *stripeReader) stream(column, kind int) ([]byte, error) {
	loc, ok := r.streams[streamKey{column, kind}]
	if !ok {
		return nil, nil
	}
	if loc[1] > maxStream {
		return nil, fmt.Errorf("column %d: stream of %d bytes", column, loc[1])
	}
	raw := make([]byte, loc[1])
	if _, err := r.f.r.ReadAt(raw, int64(loc[0])); err != nil {
		return nil, fmt.Errorf("column %d: read stream: %w", column, err)
	}
	b, err := r.f.decompress(raw, maxStream)
	if err != nil {
		return nil, fmt.Errorf("column %d: %w", column, err)
	}
	return b, nil
}

// ints decodes n integers of a stream in the column's run-length version.
func (r *stripeReader) ints(id, kind, n int, signed bool) ([]int64, error) {
	b, err := r.stream(id, kind)
	if err != nil || n == 0 {
		return nil, err
	}
	if b == nil {
		return nil, fmt.Errorf("column %d: no stream of kind %d", id, kind)
	}
	var vs []int64
	if e := r.encodings[id].kind; e == encDirectV2 || e == encDictionaryV2 {
		vs, err = intRLEv2(b, n, signed)
	} else {
		vs, err = intRLEv1(b, n, signed)
	}
	if err != nil {
		return nil, fmt.Errorf("column %d: %w", id, err)
	}
	return vs, nil
}

// maxDepth bounds nesting, as a defence against crafted type trees.
const maxDepth = 100

// column decodes column id over rows rows.
func (r *stripeReader) column(id, rows, depth int) (*Column, error) {
	if depth > maxDepth {
		return nil, errors.New("types nested too deep")
	}
	if id >= len(r.encodings) {
		return nil, fmt.Errorf("column %d has no encoding", id)
	}
	if err := r.spend(id, rows); err != nil {
		return nil, err
	}
	t := &r.f.Types[id]
	c := &Column{ID: id, Rows: rows}
	n := rows
	if b, err := r.stream(id, streamPresent); err != nil {
		return nil, err
	} else if b != nil && rows > 0 {
		if c.Present, err = boolRLE(b, rows); err != nil {
			return nil, fmt.Errorf("column %d: present: %w", id, err)
		}
		n = 0
		for _, p := range c.Present {
			if p {
				n++
			}
		}
	}
	var err error
	switch t.Kind {
	case Boolean:
		err = r.need(id, n, func(b []byte) (e error) { c.Bools, e = boolRLE(b, n); return })
	case Byte:
		err = r.need(id, n, func(b []byte) error {
			bs, err := byteRLE(b, n)
			for _, v := range bs {
				c.Ints = append(c.Ints, int64(int8(v)))
			}
			return err
		})
	case Short, Int, Long, Date:
		c.Ints, err = r.ints(id, streamData, n, true)
	case Float, Double:
		err = r.need(id, n, func(b []byte) error { return c.floats(b, n, t.Kind == Float) })
	case String, Varchar, Char, Binary:
		err = r.bytes(c, id, n)
	case Decimal:
		err = r.decimals(c, id, n)
	case Timestamp, TimestampInstant:
		err = r.times(c, id, n, t.Kind == TimestampInstant)
	case List, Map:
		if c.Lengths, err = r.ints(id, streamLength, n, false); err != nil {
			return nil, err
		}
		var total int64
		for _, l := range c.Lengths {
			if l < 0 || total+l > maxStripeRows {
				return nil, fmt.Errorf("column %d: bad length %d", id, l)
			}
			total += l
		}
		for _, child := range t.Children {
			cc, err := r.column(child, int(total), depth+1)
			if err != nil {
				return nil, err
			}
			c.Children = append(c.Children, cc)
		}
	case Struct:
		for _, child := range t.Children {
			cc, err := r.column(child, n, depth+1)
			if err != nil {
				return nil, err
			}
			c.Children = append(c.Children, cc)
		}
	default:
		return nil, fmt.Errorf("column %d: ORC type kind %d is not supported", id, t.Kind)
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// need runs decode on the column's DATA stream when it has values to read.
func (r *stripeReader) need(id, n int, decode func([]byte) error) error {
	if n == 0 {
		return nil
	}
	b, err := r.stream(id, streamData)
	if err != nil {
		return err
	}
	if b == nil {
		return fmt.Errorf("column %d: no data stream", id)
	}
	if err := decode(b); err != nil {
		return fmt.Errorf("column %d: %w", id, err)
	}
	return nil
}

func (c *Column) floats(b []byte, n int, single bool) error {
	size := 8
	if single {
		size = 4
	}
	if len(b) < n*size {
		return errShort
	}
	c.Floats = make([]float64, n)
	for i := range c.Floats {
		if single {
			c.Floats[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:])))
		} else {
			c.Floats[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
		}
	}
	return nil
}

// bytes decodes a string or binary column: directly, a length per value
// and the bytes one after another; or by dictionary, an index per value
// into a dictionary written the direct way.
func (r *stripeReader) bytes(c *Column, id, n int) error {
	if n == 0 {
		return nil
	}
	dictionary := r.encodings[id].kind == encDictionary || r.encodings[id].kind == encDictionaryV2
	values, kind := n, streamData
	if dictionary {
		values, kind = r.encodings[id].dictionarySize, streamDictionaryData
		if err := r.spend(id, values); err != nil {
			return err
		}
	}
	lengths, err := r.ints(id, streamLength, values, false)
	if err != nil {
		return err
	}
	data, err := r.stream(id, kind)
	if err != nil {
		return err
	}
	words := make([][]byte, len(lengths))
	for i, l := range lengths {
		if l < 0 || l > int64(len(data)) {
			return fmt.Errorf("column %d: value longer than its stream", id)
		}
		words[i], data = data[:l:l], data[l:]
	}
	if !dictionary {
		c.Bytes = words
		return nil
	}
	idx, err := r.ints(id, streamData, n, false)
	if err != nil {
		return err
	}
	c.Bytes = make([][]byte, n)
	for i, x := range idx {
		if x < 0 || x >= int64(len(words)) {
			return fmt.Errorf("column %d: dictionary index %d of %d", id, x, len(words))
		}
		c.Bytes[i] = words[x]
	}
	return nil
}

// decimals decodes a decimal column: unbounded zigzag varints of the
// unscaled values, and each value's scale in SECONDARY.
func (r *stripeReader) decimals(c *Column, id, n int) error {
	return r.need(id, n, func(b []byte) error {
		for range n {
			v, k, err := bigVarint(b)
			if err != nil {
				return err
			}
			c.Decimals = append(c.Decimals, v)
			b = b[k:]
		}
		var err error
		c.Scales, err = r.ints(id, streamSecondary, n, true)
		return err
	})
}

// bigVarint reads a zigzag varint of any length.
func bigVarint(b []byte) (*big.Int, int, error) {
	if u, k, err := varint(b); err == nil && u < 1<<63 {
		return big.NewInt(unzigzag(u)), k, nil
	}
	v := new(big.Int)
	var shift uint
	for i, c := range b {
		if i >= 64 { // far past 38 digits
			break
		}
		v.Or(v, new(big.Int).Lsh(big.NewInt(int64(c&0x7f)), shift))
		shift += 7
		if c < 0x80 {
			neg := v.Bit(0) == 1
			v.Rsh(v, 1)
			if neg {
				v.Add(v, big.NewInt(1)).Neg(v)
			}
			return v, i + 1, nil
		}
	}
	return nil, 0, errors.New("bad decimal varint")
}

// times decodes a timestamp column: seconds since 2015-01-01 00:00:00 in
// the writer's zone (in UTC for an instant) and the nanoseconds, their
// trailing decimal zeros counted in the low three bits.
func (r *stripeReader) times(c *Column, id, n int, instant bool) error {
	if n == 0 {
		return nil
	}
	secs, err := r.ints(id, streamData, n, true)
	if err != nil {
		return err
	}
	nanos, err := r.ints(id, streamSecondary, n, false)
	if err != nil {
		return err
	}
	zone := r.zone
	if instant {
		zone = time.UTC
	}
	epoch := time.Date(2015, 1, 1, 0, 0, 0, 0, zone).Unix()
	c.Times = make([]time.Time, n)
	for i, s := range secs {
		ns := nanos[i] >> 3
		if z := nanos[i] & 7; z != 0 {
			for range z + 1 {
				ns *= 10
			}
		}
		if ns < 0 || ns > 999_999_999 {
			return fmt.Errorf("column %d: bad nanoseconds %d", id, nanos[i])
		}
		// Java's writer truncates toward zero, so a time before 1970
		// with a fraction is a second earlier than its seconds say
		// (as ORC's own readers correct it).
		if s+epoch < 0 && ns > 999_999 {
			s--
		}
		t := time.Unix(s+epoch, ns).In(zone)
		if !instant {
			y, mo, d := t.Date()
			h, mi, sec := t.Clock()
			t = time.Date(y, mo, d, h, mi, sec, int(ns), time.UTC)
		}
		c.Times[i] = t
	}
	return nil
}
