package orc

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"google.golang.org/protobuf/encoding/protowire"
)

// The file's tail is read from the end: the last byte is the PostScript's
// length, the PostScript (never compressed) gives the footer's length and
// compression, and the footer lists the types and stripes. They and each
// stripe's footer are protocol buffers, read with protowire: the few
// messages ORC has do not warrant generated code.

// MaxTail bounds the footer and PostScript a file may claim.
const MaxTail = 16 << 20

// Compression is a file's codec.
type Compression int

// The compression kinds of ORC's PostScript.
const (
	None Compression = iota
	Zlib
	Snappy
	LZO
	LZ4
	Zstd
)

// Kind is a column type's kind.
type Kind int

// The type kinds of ORC's footer.
const (
	Boolean Kind = iota
	Byte
	Short
	Int
	Long
	Float
	Double
	String
	Binary
	Timestamp
	List
	Map
	Struct
	Union
	Decimal
	Date
	Varchar
	Char
	TimestampInstant
)

// Type is one column of the file's type tree; type 0 is the row.
type Type struct {
	Kind Kind
	// Children are the ids of a list's element, a map's key and value, a
	// struct's fields or a union's members. Ids refer forward only.
	Children []int
	// Names are a struct's field names, as written.
	Names     []string
	MaxLength int
	// Precision and Scale of a decimal; 0 precision means unknown (Hive
	// 0.11's decimals).
	Precision, Scale int
}

// Stripe is where a stripe lies in the file.
type Stripe struct {
	Offset, IndexLength, DataLength, FooterLength uint64
	Rows                                          uint64
}

// File is an open ORC file: its tail read, its stripes not yet.
type File struct {
	r           io.ReaderAt
	size        int64
	Compression Compression
	// BlockSize is the largest compression chunk (256 KiB when unset).
	BlockSize uint64
	Types     []Type
	Stripes   []Stripe
	Rows      uint64
}

// Open reads the tail of the ORC file of size bytes in r.
func Open(r io.ReaderAt, size int64) (*File, error) {
	if size < 4 {
		return nil, errors.New("orc: file too short")
	}
	var last [1]byte
	if _, err := r.ReadAt(last[:], size-1); err != nil {
		return nil, fmt.Errorf("orc: %w", err)
	}
	psLen := int64(last[0])
	if psLen == 0 || psLen+1 > size {
		return nil, errors.New("orc: bad postscript length")
	}
	ps := make([]byte, psLen)
	if _, err := r.ReadAt(ps, size-1-psLen); err != nil {
		return nil, fmt.Errorf("orc: read postscript: %w", err)
	}
	f := &File{r: r, size: size, BlockSize: 256 << 10} // unless the PostScript says
	footerLen, err := f.postScript(ps)
	if err != nil {
		return nil, err
	}
	if footerLen > MaxTail || footerLen+uint64(psLen)+1 > uint64(size) {
		return nil, errors.New("orc: bad footer length")
	}
	footer := make([]byte, footerLen)
	if _, err := r.ReadAt(footer, size-1-psLen-int64(footerLen)); err != nil {
		return nil, fmt.Errorf("orc: read footer: %w", err)
	}
	if footer, err = f.decompress(footer, MaxTail); err != nil {
		return nil, fmt.Errorf("orc: footer: %w", err)
	}
	if err := f.footer(footer); err != nil {
		return nil, err
	}
	if err := f.checkTypes(); err != nil {
		return nil, err
	}
	return f, nil
}

func (f *File) postScript(ps []byte) (footerLen uint64, err error) {
	magic := false
	err = eachField(ps, func(num protowire.Number, typ protowire.Type, v uint64, b []byte) error {
		switch {
		case num == 1 && typ == protowire.VarintType:
			footerLen = v
		case num == 2 && typ == protowire.VarintType:
			f.Compression = Compression(v)
		case num == 3 && typ == protowire.VarintType:
			f.BlockSize = v
		case num == 8000 && typ == protowire.BytesType:
			magic = string(b) == "ORC"
		}
		return nil
	})
	if err == nil && !magic {
		err = errors.New("orc: postscript has no ORC magic")
	}
	// A chunk's header holds its length in 23 bits.
	if err == nil && (f.BlockSize == 0 || f.BlockSize >= 1<<23) {
		err = fmt.Errorf("orc: compression block size %d", f.BlockSize)
	}
	return footerLen, err
}

func (f *File) footer(b []byte) error {
	return eachField(b, func(num protowire.Number, typ protowire.Type, v uint64, raw []byte) error {
		switch {
		case num == 3 && typ == protowire.BytesType:
			s, err := stripeOf(raw)
			if err != nil {
				return err
			}
			f.Stripes = append(f.Stripes, s)
		case num == 4 && typ == protowire.BytesType:
			t, err := typeOf(raw)
			if err != nil {
				return err
			}
			f.Types = append(f.Types, t)
		case num == 6 && typ == protowire.VarintType:
			f.Rows = v
		}
		return nil
	})
}

// checkTypes makes sure the type tree is a tree: every child id after its
// parent's, struct names matching fields, lists and maps with their
// children.
func (f *File) checkTypes() error {
	if len(f.Types) == 0 {
		return errors.New("orc: no types")
	}
	parents := make([]int, len(f.Types))
	for id, t := range f.Types {
		for _, c := range t.Children {
			if c <= id || c >= len(f.Types) {
				return errors.New("orc: bad type reference")
			}
			// A tree: each type the child of one parent, once.
			if parents[c]++; parents[c] > 1 {
				return fmt.Errorf("orc: type %d has more than one parent", c)
			}
		}
		want := -1
		switch t.Kind {
		case List:
			want = 1
		case Map:
			want = 2
		case Struct:
			if len(t.Names) != len(t.Children) {
				return errors.New("orc: struct names and fields differ in number")
			}
		case Union:
		default:
			want = 0
		}
		if want >= 0 && len(t.Children) != want {
			return fmt.Errorf("orc: type %d of kind %d has %d children", id, t.Kind, len(t.Children))
		}
		if t.Kind > TimestampInstant {
			return fmt.Errorf("orc: unknown type kind %d", t.Kind)
		}
	}
	return nil
}

func stripeOf(b []byte) (Stripe, error) {
	var s Stripe
	err := eachField(b, func(num protowire.Number, typ protowire.Type, v uint64, raw []byte) error {
		switch num {
		case 1:
			s.Offset = v
		case 2:
			s.IndexLength = v
		case 3:
			s.DataLength = v
		case 4:
			s.FooterLength = v
		case 5:
			s.Rows = v
		}
		return nil
	})
	return s, err
}

func typeOf(b []byte) (Type, error) {
	var t Type
	err := eachField(b, func(num protowire.Number, typ protowire.Type, v uint64, raw []byte) error {
		switch num {
		case 1:
			t.Kind = Kind(v)
		case 2:
			if typ != protowire.BytesType { // not packed
				t.Children = append(t.Children, int(min(v, 1<<31)))
				return nil
			}
			for len(raw) > 0 {
				x, n := protowire.ConsumeVarint(raw)
				if n < 0 {
					return errors.New("orc: bad subtype list")
				}
				t.Children = append(t.Children, int(min(x, 1<<31)))
				raw = raw[n:]
			}
		case 3:
			t.Names = append(t.Names, string(raw))
		case 4:
			t.MaxLength = int(min(v, 1<<31))
		case 5:
			t.Precision = int(min(v, 1<<31))
		case 6:
			t.Scale = int(min(v, 1<<31))
		}
		return nil
	})
	return t, err
}

// decompress undoes ORC's chunked compression: each chunk has a 3-byte
// little-endian header, length << 1 | original. limit bounds the result.
func (f *File) decompress(b []byte, limit int) ([]byte, error) {
	if f.Compression == None {
		return b, nil
	}
	var out []byte
	for len(b) > 0 {
		if len(b) < 3 {
			return nil, errors.New("truncated compression chunk")
		}
		h := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16
		n, original := int(h>>1), h&1 == 1
		b = b[3:]
		if n > len(b) {
			return nil, errors.New("compression chunk longer than its stream")
		}
		chunk := b[:n]
		b = b[n:]
		if original {
			out = append(out, chunk...)
		} else {
			var err error
			if out, err = f.inflate(out, chunk, limit-len(out)); err != nil {
				return nil, err
			}
		}
		if len(out) > limit {
			return nil, fmt.Errorf("stream larger than %d bytes", limit)
		}
	}
	return out, nil
}

// inflate appends one decompressed chunk, of at most room bytes, to out.
func (f *File) inflate(out, chunk []byte, room int) ([]byte, error) {
	room = min(room, int(f.BlockSize)) + 1 // one more: too long shows
	var plain []byte
	var err error
	switch f.Compression {
	case Zlib:
		if plain, err = io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(chunk)), int64(room))); err == nil && len(plain) >= room {
			return nil, errors.New("zlib chunk larger than a block")
		}
	case Snappy:
		var n int
		if n, err = snappy.DecodedLen(chunk); err == nil {
			if n > room {
				return nil, errors.New("snappy chunk larger than a block")
			}
			plain, err = snappy.Decode(nil, chunk)
		}
	case Zstd:
		var d *zstd.Decoder
		if d, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(uint64(room))); err == nil {
			plain, err = d.DecodeAll(chunk, nil)
			d.Close()
		}
	case LZ4:
		buf := make([]byte, min(room, 255*len(chunk)+16)) // LZ4 expands at most ~255 times
		var n int
		if n, err = lz4.UncompressBlock(chunk, buf); err == nil {
			plain = buf[:n]
		}
	default:
		return nil, fmt.Errorf("compression kind %d is not supported", f.Compression)
	}
	if err != nil {
		return nil, fmt.Errorf("decompress: %w", err)
	}
	return append(out, plain...), nil
}

// eachField walks the fields of a protobuf message.
func eachField(b []byte, fn func(num protowire.Number, typ protowire.Type, v uint64, raw []byte) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return errors.New("orc: malformed protobuf")
		}
		b = b[n:]
		var v uint64
		var raw []byte
		switch typ {
		case protowire.VarintType:
			v, n = protowire.ConsumeVarint(b)
		case protowire.BytesType:
			raw, n = protowire.ConsumeBytes(b)
		case protowire.Fixed32Type:
			var x uint32
			x, n = protowire.ConsumeFixed32(b)
			v = uint64(x)
		case protowire.Fixed64Type:
			v, n = protowire.ConsumeFixed64(b)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return errors.New("orc: malformed protobuf")
		}
		b = b[n:]
		if err := fn(num, typ, v, raw); err != nil {
			return err
		}
	}
	return nil
}
