package classify

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"
)

// parquetSchema reads a Parquet file's footer and maps its schema to Hive
// types the way Glue does.
func parquetSchema(r io.ReaderAt, size int64) (*Result, error) {
	f, err := parquet.OpenFile(r, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true), parquet.SkipMagicBytes(false))
	if err != nil {
		return nil, fmt.Errorf("parquet footer: %w", err)
	}
	md := f.Metadata()
	if len(md.Schema) == 0 {
		return nil, errors.New("parquet footer: empty schema")
	}
	w := &schemaWalker{els: md.Schema, pos: 1}
	n, _ := md.Schema[0].NumChildren.Get()
	var cols []Field
	for range n {
		fld, err := w.field()
		if err != nil {
			return nil, err
		}
		cols = append(cols, fld)
	}
	return &Result{
		Classification: "parquet",
		Columns:        cols,
		InputFormat:    "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
		OutputFormat:   "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
		SerDe:          "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
		SerDeParams:    map[string]string{"serialization.format": "1"},
		Params:         map[string]string{"classification": "parquet", "typeOfData": "file", "compressionType": "none"},
		Records:        md.NumRows,
		RecordsExact:   true,
	}, nil
}

// schemaWalker walks Parquet's depth-first flattened schema.
type schemaWalker struct {
	els []format.SchemaElement
	pos int
}

const maxSchemaDepth = 64

func (w *schemaWalker) field() (Field, error) { return w.fieldAt(0) }

func (w *schemaWalker) fieldAt(depth int) (Field, error) {
	if w.pos >= len(w.els) {
		return Field{}, errors.New("parquet schema: fewer elements than its groups claim")
	}
	if depth > maxSchemaDepth {
		return Field{}, errors.New("parquet schema: nested too deeply")
	}
	el := w.els[w.pos]
	w.pos++
	t, err := w.typeOf(el, depth)
	if err != nil {
		return Field{}, err
	}
	if rep, _ := el.RepetitionType.Get(); rep == format.Repeated {
		t = &Type{Name: "array", Elem: t}
	}
	return Field{Name: el.Name, Type: t}, nil
}

// children reads a group's n children.
func (w *schemaWalker) children(n int32, depth int) ([]Field, error) {
	if n < 0 || int(n) > len(w.els)-w.pos {
		return nil, errors.New("parquet schema: bad child count")
	}
	fields := make([]Field, 0, n)
	for range n {
		f, err := w.fieldAt(depth + 1)
		if err != nil {
			return nil, err
		}
		fields = append(fields, f)
	}
	return fields, nil
}

func (w *schemaWalker) typeOf(el format.SchemaElement, depth int) (*Type, error) {
	conv, hasConv := el.ConvertedType.Get()
	logical := el.LogicalType.Value
	if n, group := el.NumChildren.Get(); group {
		kids, err := w.children(n, depth)
		if err != nil {
			return nil, err
		}
		_, isList := logical.(*format.ListType)
		_, isMap := logical.(*format.MapType)
		switch {
		case isList || hasConv && conv == deprecated.List:
			return listType(kids), nil
		case isMap || hasConv && (conv == deprecated.Map || conv == deprecated.MapKeyValue):
			return mapType(kids), nil
		}
		return &Type{Name: "struct", Fields: lowerFields(kids)}, nil
	}
	phys, _ := el.Type.Get()
	switch lt := logical.(type) {
	case *format.DecimalType:
		return prim(fmt.Sprintf("decimal(%d,%d)", lt.Precision, lt.Scale)), nil
	case *format.DateType:
		return prim("date"), nil
	case *format.TimestampType:
		return prim("timestamp"), nil
	case *format.StringType, *format.EnumType, *format.JsonType, *format.UUIDType:
		return prim("string"), nil
	case *format.IntType:
		switch {
		case lt.BitWidth <= 8 && lt.IsSigned:
			return prim("tinyint"), nil
		case lt.BitWidth <= 16 && lt.IsSigned, lt.BitWidth <= 8:
			return prim("smallint"), nil
		case lt.BitWidth <= 32 && lt.IsSigned, lt.BitWidth <= 16:
			return prim("int"), nil
		}
		return prim("bigint"), nil
	}
	if hasConv {
		switch conv {
		case deprecated.Decimal:
			p, _ := el.Precision.Get()
			s, _ := el.Scale.Get()
			return prim(fmt.Sprintf("decimal(%d,%d)", p, s)), nil
		case deprecated.Date:
			return prim("date"), nil
		case deprecated.TimestampMillis, deprecated.TimestampMicros:
			return prim("timestamp"), nil
		case deprecated.UTF8, deprecated.Enum, deprecated.Json:
			return prim("string"), nil
		case deprecated.Int8:
			return prim("tinyint"), nil
		case deprecated.Int16, deprecated.Uint8:
			return prim("smallint"), nil
		case deprecated.Uint16:
			return prim("int"), nil
		}
	}
	switch phys {
	case format.Boolean:
		return prim("boolean"), nil
	case format.Int32:
		return prim("int"), nil
	case format.Int64:
		return prim("bigint"), nil
	case format.Int96:
		return prim("timestamp"), nil
	case format.Float:
		return prim("float"), nil
	case format.Double:
		return prim("double"), nil
	}
	return prim("binary"), nil
}

// listType reads a LIST group: one repeated child that is either the
// element (legacy two-level lists) or a group holding it.
func listType(kids []Field) *Type {
	if len(kids) != 1 {
		return &Type{Name: "array", Elem: &Type{Name: "struct", Fields: lowerFields(kids)}}
	}
	rep := kids[0].Type
	if rep.Name == "array" { // the repeated child, wrapped by fieldAt
		rep = rep.Elem
	}
	if rep.Name == "struct" && len(rep.Fields) == 1 && kids[0].Name != "array" && !strings.HasSuffix(kids[0].Name, "_tuple") {
		return &Type{Name: "array", Elem: rep.Fields[0].Type}
	}
	return &Type{Name: "array", Elem: rep}
}

// mapType reads a MAP group: one repeated key_value group of key and value.
func mapType(kids []Field) *Type {
	if len(kids) == 1 {
		kv := kids[0].Type
		if kv.Name == "array" {
			kv = kv.Elem
		}
		if kv.Name == "struct" && len(kv.Fields) == 2 {
			return &Type{Name: "map", Key: kv.Fields[0].Type, Elem: kv.Fields[1].Type}
		}
	}
	return &Type{Name: "struct", Fields: lowerFields(kids)}
}

// lowerFields lowercases struct member names, as Hive does.
func lowerFields(fs []Field) []Field {
	out := make([]Field, len(fs))
	for i, f := range fs {
		out[i] = Field{Name: strings.ToLower(f.Name), Type: f.Type}
	}
	return out
}
