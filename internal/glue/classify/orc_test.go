package classify

import (
	"bytes"
	"compress/flate"
	"github.com/lakebox/lakebox/internal/orc"

	"google.golang.org/protobuf/encoding/protowire"
)

// orcFile builds an ORC file's tail as an ORC writer lays it out: magic,
// (no stripes), footer, postscript, postscript length. compression is
// uint64(orc.None) or uint64(orc.Zlib).
func orcFile(compression uint64) []byte {
	typ := func(kind uint64, subtypes []uint64, names []string, extra ...uint64) []byte {
		var b []byte
		b = protowire.AppendTag(b, 1, protowire.VarintType)
		b = protowire.AppendVarint(b, kind)
		if len(subtypes) > 0 {
			var packed []byte
			for _, s := range subtypes {
				packed = protowire.AppendVarint(packed, s)
			}
			b = protowire.AppendTag(b, 2, protowire.BytesType)
			b = protowire.AppendBytes(b, packed)
		}
		for _, n := range names {
			b = protowire.AppendTag(b, 3, protowire.BytesType)
			b = protowire.AppendString(b, n)
		}
		for i := 0; i+1 < len(extra); i += 2 { // field number, value
			b = protowire.AppendTag(b, protowire.Number(extra[i]), protowire.VarintType)
			b = protowire.AppendVarint(b, extra[i+1])
		}
		return b
	}
	types := [][]byte{
		typ(uint64(orc.Struct), []uint64{1, 2, 3, 4, 6, 9}, []string{"ID", "name", "price", "tags", "attrs", "day"}),
		typ(uint64(orc.Long), nil, nil),
		typ(uint64(orc.String), nil, nil),
		typ(uint64(orc.Decimal), nil, nil, 5, 10, 6, 2),
		typ(uint64(orc.List), []uint64{5}, nil),
		typ(uint64(orc.Varchar), nil, nil, 4, 20),
		typ(uint64(orc.Map), []uint64{7, 8}, nil),
		typ(uint64(orc.String), nil, nil),
		typ(uint64(orc.Int), nil, nil),
		typ(uint64(orc.Date), nil, nil),
	}
	var footer []byte
	for _, t := range types {
		footer = protowire.AppendTag(footer, 4, protowire.BytesType)
		footer = protowire.AppendBytes(footer, t)
	}
	footer = protowire.AppendTag(footer, 6, protowire.VarintType)
	footer = protowire.AppendVarint(footer, 42)
	if compression == uint64(orc.Zlib) {
		var z bytes.Buffer
		w, _ := flate.NewWriter(&z, flate.BestCompression)
		w.Write(footer)
		w.Close()
		h := uint32(z.Len()) << 1
		footer = append([]byte{byte(h), byte(h >> 8), byte(h >> 16)}, z.Bytes()...)
	}
	var ps []byte
	ps = protowire.AppendTag(ps, 1, protowire.VarintType)
	ps = protowire.AppendVarint(ps, uint64(len(footer)))
	ps = protowire.AppendTag(ps, 2, protowire.VarintType)
	ps = protowire.AppendVarint(ps, compression)
	ps = protowire.AppendTag(ps, 8000, protowire.BytesType)
	ps = protowire.AppendString(ps, "ORC")
	file := append([]byte("ORC"), footer...)
	file = append(file, ps...)
	return append(file, byte(len(ps)))
}
