package firehose

import (
	"bytes"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/lakebox/lakebox/internal/hivetype"
	"github.com/lakebox/lakebox/internal/orc"
)

// orcTypes lays a table's columns out as ORC's type tree: the row struct
// is type 0, and every type is followed by its children's subtrees.
func orcTypes(cols []convColumn) ([]orc.Type, error) {
	types := []orc.Type{{Kind: orc.Struct}}
	for _, c := range cols {
		id, err := appendORCType(&types, c.typ)
		if err != nil {
			return nil, fmt.Errorf("column %s: %v", c.name, err)
		}
		types[0].Children = append(types[0].Children, id)
		types[0].Names = append(types[0].Names, c.name)
	}
	return types, nil
}

var orcKinds = map[string]orc.Kind{
	"string": orc.String, "boolean": orc.Boolean, "tinyint": orc.Byte, "smallint": orc.Short, "int": orc.Int,
	"bigint": orc.Long, "float": orc.Float, "double": orc.Double, "date": orc.Date, "timestamp": orc.Timestamp,
	"binary": orc.Binary, "decimal": orc.Decimal, "array": orc.List, "map": orc.Map, "struct": orc.Struct,
}

func appendORCType(types *[]orc.Type, t *hivetype.Type) (int, error) {
	kind, ok := orcKinds[t.Name]
	if !ok {
		return 0, fmt.Errorf("Lakebox cannot write the type %s to ORC", t.Name)
	}
	id := len(*types)
	*types = append(*types, orc.Type{Kind: kind, Precision: t.Precision, Scale: t.Scale})
	var children []*hivetype.Type
	switch t.Name {
	case "array":
		children = []*hivetype.Type{t.Elem}
	case "map":
		if t.Key.Name != "string" {
			return 0, fmt.Errorf("Lakebox converts maps with string keys only, not %s", t.Key.Name)
		}
		children = []*hivetype.Type{t.Key, t.Elem}
	case "struct":
		for _, f := range t.Fields {
			children = append(children, f.Type)
			(*types)[id].Names = append((*types)[id].Names, f.Name)
		}
	}
	for _, c := range children {
		cid, err := appendORCType(types, c)
		if err != nil {
			return 0, err
		}
		(*types)[id].Children = append((*types)[id].Children, cid)
	}
	return id, nil
}

// orcFile is an ORC object being written: converted rows gather into the
// column vectors of a stripe, written out once they pass the stripe size.
type orcFile struct {
	conv       *converter
	buf        bytes.Buffer
	w          *orc.Writer
	cols       []*orc.Column // the pending stripe's, by type id
	pending    int           // its bytes, roughly
	stripeSize int
}

func (c *converter) newORCFile() (*orcFile, error) {
	f := &orcFile{conv: c, stripeSize: 64 << 20}
	opts := orc.WriterOptions{Compression: orc.Snappy}
	if s := c.orc; s != nil {
		switch s.Compression {
		case "NONE":
			opts.Compression = orc.None
		case "ZLIB":
			opts.Compression = orc.Zlib
		}
		if s.StripeSizeBytes != nil {
			f.stripeSize = *s.StripeSizeBytes
		}
	}
	var err error
	if f.w, err = orc.NewWriter(&f.buf, c.orcTypes, opts); err != nil {
		return nil, fmt.Errorf("firehose: write orc: %w", err)
	}
	f.reset()
	return f, nil
}

// reset starts an empty stripe.
func (f *orcFile) reset() {
	types := f.conv.orcTypes
	f.cols = make([]*orc.Column, len(types))
	for id := range types {
		f.cols[id] = &orc.Column{ID: id}
	}
	for id, t := range types {
		for _, c := range t.Children {
			f.cols[id].Children = append(f.cols[id].Children, f.cols[c])
		}
	}
	f.pending = 0
}

// add writes a converted row: values as the converter makes them for
// Parquet (leaves boxed, decimals unscaled).
func (f *orcFile) add(row map[string]any) error {
	f.cols[0].Rows++
	for i, col := range f.conv.columns {
		if err := f.put(f.conv.orcTypes[0].Children[i], col.typ, row[col.name]); err != nil {
			return fmt.Errorf("firehose: write orc: column %s: %w", col.name, err)
		}
	}
	if f.pending >= f.stripeSize {
		return f.flush()
	}
	return nil
}

// put appends one value, nil for NULL, to column id of Hive type t.
func (f *orcFile) put(id int, t *hivetype.Type, v any) error {
	c := f.cols[id]
	c.Rows++
	c.Present = append(c.Present, v != nil)
	if v == nil {
		return nil
	}
	f.pending += 8
	switch x := v.(type) {
	case *string:
		c.Bytes = append(c.Bytes, []byte(*x))
		f.pending += len(*x)
	case *bool:
		c.Bools = append(c.Bools, *x)
	case *int32:
		if t.Name == "decimal" {
			c.Decimals, c.Scales = append(c.Decimals, big.NewInt(int64(*x))), append(c.Scales, int64(t.Scale))
		} else {
			c.Ints = append(c.Ints, int64(*x))
		}
	case *int64:
		if t.Name == "decimal" {
			c.Decimals, c.Scales = append(c.Decimals, big.NewInt(*x)), append(c.Scales, int64(t.Scale))
		} else {
			c.Ints = append(c.Ints, *x)
		}
	case *float32:
		c.Floats = append(c.Floats, float64(*x))
	case *float64:
		c.Floats = append(c.Floats, *x)
	case *time.Time:
		c.Times = append(c.Times, *x)
	case *[]byte:
		if t.Name == "decimal" { // 16 bytes, big-endian two's complement
			n := new(big.Int).SetBytes(*x)
			if len(*x) > 0 && (*x)[0]&0x80 != 0 {
				n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(8*len(*x))))
			}
			c.Decimals, c.Scales = append(c.Decimals, n), append(c.Scales, int64(t.Scale))
		} else {
			c.Bytes = append(c.Bytes, *x)
			f.pending += len(*x)
		}
	case []any:
		c.Lengths = append(c.Lengths, int64(len(x)))
		for _, e := range x {
			if err := f.put(f.conv.orcTypes[id].Children[0], t.Elem, e); err != nil {
				return err
			}
		}
	case map[string]any:
		children := f.conv.orcTypes[id].Children
		if t.Name == "struct" {
			for i, field := range t.Fields {
				if err := f.put(children[i], field.Type, x[field.Name]); err != nil {
					return err
				}
			}
			return nil
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		c.Lengths = append(c.Lengths, int64(len(keys)))
		for _, k := range keys {
			if err := f.put(children[0], t.Key, &k); err != nil {
				return err
			}
			if err := f.put(children[1], t.Elem, x[k]); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("a %s holds %T", t.Name, v)
	}
	return nil
}

// flush writes the pending rows as a stripe.
func (f *orcFile) flush() error {
	if f.cols[0].Rows == 0 {
		return nil
	}
	if err := f.w.WriteStripe(f.cols[0]); err != nil {
		return fmt.Errorf("firehose: write orc: %w", err)
	}
	f.reset()
	return nil
}

func (f *orcFile) extension() string { return ".orc" }

// close ends the file and returns it.
func (f *orcFile) close() ([]byte, error) {
	if err := f.flush(); err != nil {
		return nil, err
	}
	if err := f.w.Close(); err != nil {
		return nil, fmt.Errorf("firehose: write orc: %w", err)
	}
	return f.buf.Bytes(), nil
}
