package classify

import (
	"fmt"
	"io"
	"strings"

	"github.com/hamba/avro/v2"
	"github.com/hamba/avro/v2/ocf"
)

// avroSchema reads an Avro object container file's header.
func avroSchema(r io.Reader) (*Result, error) {
	dec, err := ocf.NewDecoder(r, ocf.WithDecoderSchemaCache(&avro.SchemaCache{}))
	if err != nil {
		return nil, fmt.Errorf("avro header: %w", err)
	}
	rec, ok := dec.Schema().(*avro.RecordSchema)
	if !ok {
		return nil, fmt.Errorf("avro header: top-level schema is %s, not a record", dec.Schema().Type())
	}
	cols := make([]Field, 0, len(rec.Fields()))
	for _, f := range rec.Fields() {
		cols = append(cols, Field{Name: strings.ToLower(f.Name()), Type: avroType(f.Type(), 0)})
	}
	return &Result{
		Classification: "avro",
		Columns:        cols,
		InputFormat:    "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat",
		OutputFormat:   "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat",
		SerDe:          "org.apache.hadoop.hive.serde2.avro.AvroSerDe",
		SerDeParams:    map[string]string{"avro.schema.literal": dec.Schema().String()},
		Params:         map[string]string{"classification": "avro", "typeOfData": "file", "compressionType": "none"},
	}, nil
}

func avroType(s avro.Schema, depth int) *Type {
	if depth > maxSchemaDepth {
		return prim("string")
	}
	switch s := s.(type) {
	case *avro.RefSchema:
		return avroType(s.Schema(), depth+1)
	case *avro.RecordSchema:
		t := &Type{Name: "struct"}
		for _, f := range s.Fields() {
			t.Fields = append(t.Fields, Field{Name: strings.ToLower(f.Name()), Type: avroType(f.Type(), depth+1)})
		}
		return t
	case *avro.ArraySchema:
		return &Type{Name: "array", Elem: avroType(s.Items(), depth+1)}
	case *avro.MapSchema:
		return &Type{Name: "map", Key: prim("string"), Elem: avroType(s.Values(), depth+1)}
	case *avro.UnionSchema:
		var out *Type
		for _, m := range s.Types() {
			if m.Type() != avro.Null {
				out = Merge(out, avroType(m, depth+1))
			}
		}
		if out == nil {
			return prim("string")
		}
		return out
	case *avro.EnumSchema:
		return prim("string")
	case *avro.FixedSchema:
		if d, ok := s.Logical().(*avro.DecimalLogicalSchema); ok {
			return prim(fmt.Sprintf("decimal(%d,%d)", d.Precision(), d.Scale()))
		}
		return prim("binary")
	case *avro.PrimitiveSchema:
		if l := s.Logical(); l != nil {
			switch l.Type() {
			case avro.Decimal:
				if d, ok := l.(*avro.DecimalLogicalSchema); ok {
					return prim(fmt.Sprintf("decimal(%d,%d)", d.Precision(), d.Scale()))
				}
			case avro.Date:
				return prim("date")
			case avro.TimestampMillis, avro.TimestampMicros, avro.LocalTimestampMillis, avro.LocalTimestampMicros:
				return prim("timestamp")
			case avro.UUID:
				return prim("string")
			}
		}
		switch s.Type() {
		case avro.Int:
			return prim("int")
		case avro.Long:
			return prim("bigint")
		case avro.Float:
			return prim("float")
		case avro.Double:
			return prim("double")
		case avro.Boolean:
			return prim("boolean")
		case avro.Bytes:
			return prim("binary")
		}
	}
	return prim("string")
}
