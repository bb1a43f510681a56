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

// orcTypes lays a table's columns out as ORC's type tree.
func orcTypes(cols []convColumn) ([]orc.Type, error) {
	names := make([]string, len(cols))
	types := make([]*hivetype.Type, len(cols))
	for i, c := range cols {
		names[i], types[i] = c.name, c.typ
	}
	return orc.FromHive(names, types)
}

// orcFile is an ORC object being written: converted rows gather into the
// column vectors of a stripe, written out once they pass the stripe size.
type orcFile struct {
	conv       *converter
	buf        bytes.Buffer
	w          *orc.Writer
	b          *orc.Builder
	stripeSize int
}

func (c *converter) newORCFile() (*orcFile, error) {
	f := &orcFile{conv: c, stripeSize: orc.DefaultStripeSize, b: orc.NewBuilder(c.orcTypes)}
	opts := orc.WriterOptions{Compression: orc.Snappy} // Firehose's default
	if name := c.orc.Compression; name != "" {
		opts.Compression, _ = orc.CompressionNamed(name) // checked with the configuration
	}
	if c.orc.StripeSizeBytes != nil {
		f.stripeSize = *c.orc.StripeSizeBytes
	}
	var err error
	if f.w, err = orc.NewWriter(&f.buf, c.orcTypes, opts); err != nil {
		return nil, fmt.Errorf("firehose: write orc: %w", err)
	}
	return f, nil
}

// add writes a converted row: values as the converter makes them for
// Parquet (leaves boxed, decimals unscaled).
func (f *orcFile) add(row map[string]any) error {
	f.b.Row()
	for i, col := range f.conv.columns {
		if err := f.put(f.b.Child(0, i), col.typ, row[col.name]); err != nil {
			return fmt.Errorf("firehose: write orc: column %s: %w", col.name, err)
		}
	}
	if f.b.Size() >= f.stripeSize {
		return f.flush()
	}
	return nil
}

// put adds one value, nil for NULL, to column id of Hive type t.
func (f *orcFile) put(id int, t *hivetype.Type, v any) error {
	b := f.b
	switch x := v.(type) {
	case nil:
		b.Null(id)
	case *string:
		b.Bytes(id, []byte(*x))
	case *bool:
		b.Bool(id, *x)
	case *int32:
		if t.Name == "decimal" {
			b.Decimal(id, big.NewInt(int64(*x)), int64(t.Scale))
		} else {
			b.Int(id, int64(*x))
		}
	case *int64:
		if t.Name == "decimal" {
			b.Decimal(id, big.NewInt(*x), int64(t.Scale))
		} else {
			b.Int(id, *x)
		}
	case *float32:
		b.Float(id, float64(*x))
	case *float64:
		b.Float(id, *x)
	case *time.Time:
		b.Time(id, *x)
	case *[]byte:
		if t.Name != "decimal" {
			b.Bytes(id, *x)
			break
		}
		n := new(big.Int).SetBytes(*x) // big-endian two's complement
		if len(*x) > 0 && (*x)[0]&0x80 != 0 {
			n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(8*len(*x))))
		}
		b.Decimal(id, n, int64(t.Scale))
	case []any:
		b.Len(id, len(x))
		for _, e := range x {
			if err := f.put(b.Child(id, 0), t.Elem, e); err != nil {
				return err
			}
		}
	case map[string]any:
		if t.Name == "struct" {
			b.Struct(id)
			for i, field := range t.Fields {
				if err := f.put(b.Child(id, i), field.Type, x[field.Name]); err != nil {
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
		b.Len(id, len(keys))
		for _, k := range keys {
			if err := f.put(b.Child(id, 0), t.Key, &k); err != nil {
				return err
			}
			if err := f.put(b.Child(id, 1), t.Elem, x[k]); err != nil {
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
	if f.b.Rows() == 0 {
		return nil
	}
	if err := f.w.WriteStripe(f.b.Stripe()); err != nil {
		return fmt.Errorf("firehose: write orc: %w", err)
	}
	f.b.Reset()
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
