package classify

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"google.golang.org/protobuf/encoding/protowire"
)

// ORC: the schema is in the file footer, found from the end: the last byte
// is the PostScript's length, the PostScript (never compressed) gives the
// footer's length and compression, and the footer lists the types, type 0
// being the row struct. Both are protocol buffers, read here with
// protowire: the few fields a schema needs do not warrant generated code.

const maxORCTail = 16 << 20 // a footer larger than this is not believed

func orcSchema(r io.ReaderAt, size int64) (*Result, error) {
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
	footerLen, compression, err := orcPostScript(ps)
	if err != nil {
		return nil, err
	}
	if footerLen > maxORCTail || footerLen+uint64(psLen)+1 > uint64(size) {
		return nil, errors.New("orc: bad footer length")
	}
	footer := make([]byte, footerLen)
	if _, err := r.ReadAt(footer, size-1-psLen-int64(footerLen)); err != nil {
		return nil, fmt.Errorf("orc: read footer: %w", err)
	}
	if footer, err = orcDecompress(footer, compression); err != nil {
		return nil, err
	}
	types, rows, err := orcFooter(footer)
	if err != nil {
		return nil, err
	}
	if len(types) == 0 || types[0].kind != orcStruct {
		return nil, errors.New("orc: the root type is not a struct")
	}
	root, err := orcHive(types, 0, 0)
	if err != nil {
		return nil, err
	}
	return &Result{
		Classification: "orc",
		Columns:        lowerFields(root.Fields),
		InputFormat:    "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat",
		OutputFormat:   "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat",
		SerDe:          "org.apache.hadoop.hive.ql.io.orc.OrcSerde",
		SerDeParams:    map[string]string{"serialization.format": "1"},
		Params:         map[string]string{"classification": "orc", "typeOfData": "file", "compressionType": "none"},
		Records:        int64(rows),
		RecordsExact:   true,
	}, nil
}

// ORC compression kinds.
const (
	orcNone = iota
	orcZlib
	orcSnappy
	orcLZO
	orcLZ4
	orcZstd
)

func orcPostScript(ps []byte) (footerLen uint64, compression uint64, err error) {
	magic := false
	err = eachField(ps, func(num protowire.Number, typ protowire.Type, v uint64, b []byte) error {
		switch {
		case num == 1 && typ == protowire.VarintType:
			footerLen = v
		case num == 2 && typ == protowire.VarintType:
			compression = v
		case num == 8000 && typ == protowire.BytesType:
			magic = string(b) == "ORC"
		}
		return nil
	})
	if err == nil && !magic {
		err = errors.New("orc: postscript has no ORC magic")
	}
	return footerLen, compression, err
}

// orcDecompress undoes ORC's chunked compression: each chunk has a 3-byte
// little-endian header, length << 1 | original.
func orcDecompress(b []byte, kind uint64) ([]byte, error) {
	if kind == orcNone {
		return b, nil
	}
	var out []byte
	for len(b) > 0 {
		if len(b) < 3 {
			return nil, errors.New("orc: truncated compression chunk")
		}
		h := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16
		n, original := int(h>>1), h&1 == 1
		b = b[3:]
		if n > len(b) {
			return nil, errors.New("orc: compression chunk longer than the footer")
		}
		chunk := b[:n]
		b = b[n:]
		if original {
			out = append(out, chunk...)
			continue
		}
		var plain []byte
		var err error
		switch kind {
		case orcZlib:
			plain, err = io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(chunk)), maxORCTail))
		case orcSnappy:
			plain, err = snappy.Decode(nil, chunk)
		case orcZstd:
			var d *zstd.Decoder
			if d, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxORCTail)); err == nil {
				plain, err = d.DecodeAll(chunk, nil)
				d.Close()
			}
		case orcLZ4:
			buf := make([]byte, 256<<10)
			var n int
			if n, err = lz4.UncompressBlock(chunk, buf); err == nil {
				plain = buf[:n]
			}
		default:
			return nil, fmt.Errorf("orc: compression kind %d is not supported", kind)
		}
		if err != nil {
			return nil, fmt.Errorf("orc: decompress footer: %w", err)
		}
		if len(out)+len(plain) > maxORCTail {
			return nil, errors.New("orc: footer too large")
		}
		out = append(out, plain...)
	}
	return out, nil
}

// ORC type kinds.
const (
	orcBoolean = iota
	orcByte
	orcShort
	orcInt
	orcLong
	orcFloat
	orcDouble
	orcString
	orcBinary
	orcTimestamp
	orcList
	orcMap
	orcStruct
	orcUnion
	orcDecimal
	orcDate
	orcVarchar
	orcChar
	orcTimestampInstant
)

type orcType struct {
	kind             uint64
	subtypes         []uint64
	names            []string
	maxLength        uint64
	precision, scale uint64
}

func orcFooter(b []byte) ([]orcType, uint64, error) {
	var types []orcType
	var rows uint64
	err := eachField(b, func(num protowire.Number, typ protowire.Type, v uint64, raw []byte) error {
		switch {
		case num == 4 && typ == protowire.BytesType:
			t, err := orcTypeOf(raw)
			if err != nil {
				return err
			}
			types = append(types, t)
		case num == 6 && typ == protowire.VarintType:
			rows = v
		}
		return nil
	})
	return types, rows, err
}

func orcTypeOf(b []byte) (orcType, error) {
	var t orcType
	err := eachField(b, func(num protowire.Number, typ protowire.Type, v uint64, raw []byte) error {
		switch num {
		case 1:
			t.kind = v
		case 2:
			if typ == protowire.BytesType { // packed
				for len(raw) > 0 {
					x, n := protowire.ConsumeVarint(raw)
					if n < 0 {
						return errors.New("orc: bad subtype list")
					}
					t.subtypes = append(t.subtypes, x)
					raw = raw[n:]
				}
			} else {
				t.subtypes = append(t.subtypes, v)
			}
		case 3:
			t.names = append(t.names, string(raw))
		case 4:
			t.maxLength = v
		case 5:
			t.precision = v
		case 6:
			t.scale = v
		}
		return nil
	})
	return t, err
}

// orcHive maps type id to a Hive type.
func orcHive(types []orcType, id uint64, depth int) (*Type, error) {
	if id >= uint64(len(types)) || depth > maxSchemaDepth {
		return nil, errors.New("orc: bad type reference")
	}
	t := types[id]
	sub := func(i int) (*Type, error) {
		if i >= len(t.subtypes) || t.subtypes[i] <= id { // types refer forward only
			return nil, errors.New("orc: bad type reference")
		}
		return orcHive(types, t.subtypes[i], depth+1)
	}
	switch t.kind {
	case orcBoolean:
		return prim("boolean"), nil
	case orcByte:
		return prim("tinyint"), nil
	case orcShort:
		return prim("smallint"), nil
	case orcInt:
		return prim("int"), nil
	case orcLong:
		return prim("bigint"), nil
	case orcFloat:
		return prim("float"), nil
	case orcDouble:
		return prim("double"), nil
	case orcString:
		return prim("string"), nil
	case orcBinary:
		return prim("binary"), nil
	case orcTimestamp, orcTimestampInstant:
		return prim("timestamp"), nil
	case orcDate:
		return prim("date"), nil
	case orcDecimal:
		if t.precision == 0 {
			return prim("decimal(38,10)"), nil
		}
		return prim(fmt.Sprintf("decimal(%d,%d)", t.precision, t.scale)), nil
	case orcVarchar:
		return prim(fmt.Sprintf("varchar(%d)", t.maxLength)), nil
	case orcChar:
		return prim(fmt.Sprintf("char(%d)", t.maxLength)), nil
	case orcList:
		e, err := sub(0)
		if err != nil {
			return nil, err
		}
		return &Type{Name: "array", Elem: e}, nil
	case orcMap:
		k, err := sub(0)
		if err != nil {
			return nil, err
		}
		v, err := sub(1)
		if err != nil {
			return nil, err
		}
		return &Type{Name: "map", Key: k, Elem: v}, nil
	case orcStruct:
		if len(t.names) != len(t.subtypes) {
			return nil, errors.New("orc: struct names and fields differ in number")
		}
		s := &Type{Name: "struct"}
		for i, name := range t.names {
			f, err := sub(i)
			if err != nil {
				return nil, err
			}
			s.Fields = append(s.Fields, Field{Name: strings.ToLower(name), Type: f})
		}
		return s, nil
	case orcUnion:
		var names []string
		for i := range t.subtypes {
			u, err := sub(i)
			if err != nil {
				return nil, err
			}
			names = append(names, u.String())
		}
		return prim("uniontype<" + strings.Join(names, ",") + ">"), nil
	}
	return nil, fmt.Errorf("orc: unknown type kind %d", t.kind)
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
