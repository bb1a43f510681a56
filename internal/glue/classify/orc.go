package classify

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/lakebox/lakebox/internal/orc"
)

// ORC: the schema is in the file footer, which internal/orc reads; type 0
// is the row struct.
func orcSchema(r io.ReaderAt, size int64) (*Result, error) {
	f, err := orc.Open(r, size)
	if err != nil {
		return nil, err
	}
	if f.Types[0].Kind != orc.Struct {
		return nil, errors.New("orc: the root type is not a struct")
	}
	root, err := orcHive(f.Types, 0, 0)
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
		Records:        int64(f.Rows),
		RecordsExact:   true,
	}, nil
}

// orcHive maps type id to a Hive type.
func orcHive(types []orc.Type, id int, depth int) (*Type, error) {
	if id >= len(types) || depth > maxSchemaDepth {
		return nil, errors.New("orc: bad type reference")
	}
	t := types[id]
	sub := func(i int) (*Type, error) {
		if i >= len(t.Children) || t.Children[i] <= id { // types refer forward only
			return nil, errors.New("orc: bad type reference")
		}
		return orcHive(types, t.Children[i], depth+1)
	}
	switch t.Kind {
	case orc.Boolean:
		return prim("boolean"), nil
	case orc.Byte:
		return prim("tinyint"), nil
	case orc.Short:
		return prim("smallint"), nil
	case orc.Int:
		return prim("int"), nil
	case orc.Long:
		return prim("bigint"), nil
	case orc.Float:
		return prim("float"), nil
	case orc.Double:
		return prim("double"), nil
	case orc.String:
		return prim("string"), nil
	case orc.Binary:
		return prim("binary"), nil
	case orc.Timestamp, orc.TimestampInstant:
		return prim("timestamp"), nil
	case orc.Date:
		return prim("date"), nil
	case orc.Decimal:
		if t.Precision == 0 {
			return prim("decimal(38,10)"), nil
		}
		return prim(fmt.Sprintf("decimal(%d,%d)", t.Precision, t.Scale)), nil
	case orc.Varchar:
		return prim(fmt.Sprintf("varchar(%d)", t.MaxLength)), nil
	case orc.Char:
		return prim(fmt.Sprintf("char(%d)", t.MaxLength)), nil
	case orc.List:
		e, err := sub(0)
		if err != nil {
			return nil, err
		}
		return &Type{Name: "array", Elem: e}, nil
	case orc.Map:
		k, err := sub(0)
		if err != nil {
			return nil, err
		}
		v, err := sub(1)
		if err != nil {
			return nil, err
		}
		return &Type{Name: "map", Key: k, Elem: v}, nil
	case orc.Struct:
		if len(t.Names) != len(t.Children) {
			return nil, errors.New("orc: struct names and fields differ in number")
		}
		s := &Type{Name: "struct"}
		for i, name := range t.Names {
			f, err := sub(i)
			if err != nil {
				return nil, err
			}
			s.Fields = append(s.Fields, Field{Name: strings.ToLower(name), Type: f})
		}
		return s, nil
	case orc.Union:
		var names []string
		for i := range t.Children {
			u, err := sub(i)
			if err != nil {
				return nil, err
			}
			names = append(names, u.String())
		}
		return prim("uniontype<" + strings.Join(names, ",") + ">"), nil
	}
	return nil, fmt.Errorf("orc: unknown type kind %d", t.Kind)
}
