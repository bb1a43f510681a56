package athena

import (
	"bufio"
	"fmt"
	"hash/fnv"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/lakebox/lakebox/internal/orc"
)

// ORC tables are read through JSON, as Avro tables are (avro.go): each ORC
// file a query reaches is decoded once (internal/orc) into newline-delimited
// JSON beside its link, and the JSON is read as a JSON table's files are,
// typed by the table's declared columns.
//
// Athena reads ORC columns by position unless the table's SerDe says
// 'orc.column.index.access'='false': the table's first column is the
// file's first field, whatever either is called. By position, the JSON's
// top-level keys are the table's column names, so a JSON file serves one
// list of names and is named after it; by name, the keys are the file's
// own. Nested struct fields are matched by name either way.

// orcJSON returns the JSON lines file of an ORC file, making it if need
// be. columns, when not nil, are the table's column names, which take the
// file's top-level fields by position.
func orcJSON(path string, columns []string) (string, error) {
	out := path + ".json"
	if columns != nil {
		h := fnv.New64a()
		for _, c := range columns {
			h.Write([]byte(c))
			h.Write([]byte{0})
		}
		out = fmt.Sprintf("%s.%016x.json", path, h.Sum64())
	}
	return jsonBeside(path, out, func(in *os.File, w *bufio.Writer) error {
		st, err := in.Stat()
		if err != nil {
			return err
		}
		name := filepath.Base(path)
		f, err := orc.Open(in, st.Size())
		if err != nil {
			return userError(errUser, "HIVE_CANNOT_OPEN_SPLIT: %s is not a valid ORC file: %v", name, err)
		}
		root := f.Types[0]
		if root.Kind != orc.Struct {
			return userError(errUser, "HIVE_CANNOT_OPEN_SPLIT: the rows of ORC file %s are not structs", name)
		}
		keys := root.Names
		if columns != nil {
			keys = columns[:min(len(columns), len(root.Names))]
		}
		var line []byte
		for i := range f.Stripes {
			col, err := f.ReadStripe(i)
			if err != nil {
				return userError(errUser, "HIVE_CURSOR_ERROR: reading ORC %s: %v", name, err)
			}
			fields := newORCCursor(f.Types, col).children[:len(keys)]
			for r := range col.Rows {
				line = append(line[:0], '{')
				present := col.Has(r)
				for j, field := range fields {
					if j > 0 {
						line = append(line, ',')
					}
					line = append(appendJSONString(line, keys[j]), ':')
					if !present {
						line = append(line, "null"...)
						continue
					}
					if line, err = field.next(line); err != nil {
						return userError(errUser, "HIVE_CURSOR_ERROR: reading ORC %s: %v", name, err)
					}
				}
				w.Write(append(line, '}', '\n'))
			}
		}
		return nil
	})
}

// blobText spells bytes as the engine casts text to a blob: every byte
// \xHH, so none is read as anything else.
func blobText(b []byte) string {
	const hex = "0123456789ABCDEF"
	out := make([]byte, 0, 4*len(b))
	for _, c := range b {
		out = append(out, '\\', 'x', hex[c>>4], hex[c&15])
	}
	return string(out)
}

// blobBytes reads the engine's text of a blob: printable bytes as
// themselves, others as \xHH, a backslash as \\ or \x5C.
func blobBytes(s string) ([]byte, error) {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			out = append(out, s[i])
			continue
		}
		switch {
		case i+1 < len(s) && s[i+1] == '\\':
			out = append(out, '\\')
			i++
		case i+3 < len(s) && s[i+1] == 'x':
			v, err := strconv.ParseUint(s[i+2:i+4], 16, 8)
			if err != nil {
				return nil, fmt.Errorf("bad blob escape %q", s[i:i+4])
			}
			out = append(out, byte(v))
			i += 3
		default:
			return nil, fmt.Errorf("bad blob escape at %d", i)
		}
	}
	return out, nil
}

// orcCursor walks a decoded column row by row: ORC keeps only the values
// of the rows that have one, so row and value positions differ.
type orcCursor struct {
	t        *orc.Type
	c        *orc.Column
	row, val int
	children []*orcCursor
}

func newORCCursor(types []orc.Type, c *orc.Column) *orcCursor {
	k := &orcCursor{t: &types[c.ID], c: c}
	for _, cc := range c.Children {
		k.children = append(k.children, newORCCursor(types, cc))
	}
	return k
}

// next appends the JSON of the column's next row, written as the engine
// reads the declared Hive types: dates as YYYY-MM-DD, timestamps as text,
// decimals exactly as strings, binary as blob text, maps as objects.
func (k *orcCursor) next(b []byte) ([]byte, error) {
	c := k.c
	if k.row >= c.Rows {
		return b, fmt.Errorf("column %d has only %d rows", c.ID, c.Rows)
	}
	row := k.row
	k.row++
	if !c.Has(row) {
		return append(b, "null"...), nil
	}
	v := k.val
	k.val++
	switch k.t.Kind {
	case orc.Boolean:
		return strconv.AppendBool(b, c.Bools[v]), nil
	case orc.Byte, orc.Short, orc.Int, orc.Long:
		return strconv.AppendInt(b, c.Ints[v], 10), nil
	case orc.Date:
		return appendJSONString(b, time.Unix(c.Ints[v]*86400, 0).UTC().Format("2006-01-02")), nil
	case orc.Float:
		return appendFloat(b, c.Floats[v], 32), nil
	case orc.Double:
		return appendFloat(b, c.Floats[v], 64), nil
	case orc.String, orc.Varchar, orc.Char:
		return appendJSONString(b, string(c.Bytes[v])), nil
	case orc.Binary:
		return appendJSONString(b, blobText(c.Bytes[v])), nil
	case orc.Decimal:
		scale := c.Scales[v]
		if scale < 0 || scale > 38 {
			return b, fmt.Errorf("decimal scale %d", scale)
		}
		r := new(big.Rat).SetFrac(c.Decimals[v], new(big.Int).Exp(big.NewInt(10), big.NewInt(scale), nil))
		return appendJSONString(b, r.FloatString(int(scale))), nil
	case orc.Timestamp, orc.TimestampInstant:
		return appendJSONString(b, c.Times[v].UTC().Format("2006-01-02 15:04:05.999999")), nil
	case orc.List:
		b = append(b, '[')
		for i := range c.Lengths[v] {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = k.children[0].next(b); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case orc.Map:
		b = append(b, '{')
		for i := range c.Lengths[v] {
			if i > 0 {
				b = append(b, ',')
			}
			start := len(b)
			var err error
			if b, err = k.children[0].next(b); err != nil {
				return b, err
			}
			if key := string(b[start:]); key == "" || key[0] != '"' {
				// JSON keys are strings: a number key as its text.
				b = appendJSONString(b[:start], key)
			}
			b = append(b, ':')
			if b, err = k.children[1].next(b); err != nil {
				return b, err
			}
		}
		return append(b, '}'), nil
	case orc.Struct:
		b = append(b, '{')
		for i, child := range k.children {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(appendJSONString(b, k.t.Names[i]), ':')
			var err error
			if b, err = child.next(b); err != nil {
				return b, err
			}
		}
		return append(b, '}'), nil
	}
	return b, fmt.Errorf("ORC type kind %d is not supported", k.t.Kind)
}
