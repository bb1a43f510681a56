package classify

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"slices"
	"strings"
)

// jsonSchema infers a schema from JSON records: one object per line (or
// concatenated objects), or, with path, the records path selects. Without
// a path, a file holding one top-level array is, as Glue's built-in
// classifier has it, one column named "array".
func jsonSchema(sample []byte, path string) (*Result, error) {
	steps, err := parseJSONPath(path)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(sample))
	dec.UseNumber()
	var rec *Type
	records := int64(0)
	for {
		v, err := decodeOrdered(dec, 0)
		if err == io.EOF {
			break
		}
		if err != nil {
			if records > 0 && dec.InputOffset() > int64(len(sample))-(64<<10) {
				break // a record cut by the end of the sample
			}
			return nil, errors.New("classify: not JSON")
		}
		for _, r := range selectPath(v, steps) {
			t := jsonType(r, 0)
			if t.Name != "struct" {
				if path == "" && t.Name == "array" {
					t = &Type{Name: "struct", Fields: []Field{{Name: "array", Type: t}}}
				} else {
					return nil, errors.New("classify: JSON records are not objects")
				}
			}
			rec = Merge(rec, t)
			records++
		}
	}
	if rec == nil || len(rec.Fields) == 0 {
		return nil, errors.New("classify: no JSON records")
	}
	cols := rec.Fields
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	slices.Sort(names)
	return &Result{
		Classification: "json",
		Columns:        cols,
		InputFormat:    "org.apache.hadoop.mapred.TextInputFormat",
		OutputFormat:   "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
		SerDe:          "org.openx.data.jsonserde.JsonSerDe",
		SerDeParams:    map[string]string{"paths": strings.Join(names, ",")},
		Params:         map[string]string{"classification": "json", "typeOfData": "file"},
		Records:        records,
	}, nil
}

// jsonType maps a decoded JSON value to a Hive type.
func jsonType(v any, depth int) *Type {
	if depth > maxSchemaDepth {
		return prim("string")
	}
	switch v := v.(type) {
	case nil:
		return prim("null")
	case bool:
		return prim("boolean")
	case json.Number:
		if i, err := v.Int64(); err == nil {
			if i >= math.MinInt32 && i <= math.MaxInt32 {
				return prim("int")
			}
			return prim("bigint")
		}
		return prim("double")
	case string:
		return prim("string")
	case []any:
		var elem *Type
		for _, e := range v {
			elem = Merge(elem, jsonType(e, depth+1))
		}
		if elem == nil {
			elem = prim("null")
		}
		return &Type{Name: "array", Elem: elem}
	case *object:
		t := &Type{Name: "struct"}
		for i, k := range v.keys {
			t.Fields = MergeFields(t.Fields, []Field{{Name: strings.ToLower(k), Type: jsonType(v.vals[i], depth+1)}})
		}
		return t
	}
	return prim("string")
}

// Settled gives a type whose values were only ever null the type string,
// at any depth: what a column seen only empty becomes in the catalog.
func Settled(t *Type) *Type {
	switch t.Name {
	case "null":
		return prim("string")
	case "struct":
		c := &Type{Name: "struct", Fields: make([]Field, len(t.Fields))}
		for i, f := range t.Fields {
			c.Fields[i] = Field{Name: f.Name, Type: Settled(f.Type)}
		}
		return c
	case "array":
		return &Type{Name: "array", Elem: Settled(t.Elem)}
	case "map":
		return &Type{Name: "map", Key: t.Key, Elem: Settled(t.Elem)}
	}
	return t
}

// A JSON path is $ followed by .name and [*] steps.
type pathStep struct {
	name string // "" for [*]
}

func parseJSONPath(p string) ([]pathStep, error) {
	if p == "" || p == "$" {
		return nil, nil
	}
	if !strings.HasPrefix(p, "$") {
		return nil, errors.New("classify: a JSON path starts with $")
	}
	var steps []pathStep
	rest := p[1:]
	for rest != "" {
		switch {
		case strings.HasPrefix(rest, "[*]"):
			steps = append(steps, pathStep{})
			rest = rest[3:]
		case strings.HasPrefix(rest, "."):
			rest = rest[1:]
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			if end == 0 {
				return nil, errors.New("classify: empty name in JSON path")
			}
			steps = append(steps, pathStep{name: rest[:end]})
			rest = rest[end:]
		case strings.HasPrefix(rest, "['"):
			end := strings.Index(rest, "']")
			if end < 0 {
				return nil, errors.New("classify: unterminated name in JSON path")
			}
			steps = append(steps, pathStep{name: rest[2:end]})
			rest = rest[end+2:]
		default:
			return nil, errors.New("classify: unsupported JSON path " + p)
		}
	}
	return steps, nil
}

func selectPath(v any, steps []pathStep) []any {
	cur := []any{v}
	for _, s := range steps {
		var next []any
		for _, c := range cur {
			if s.name == "" {
				if arr, ok := c.([]any); ok {
					next = append(next, arr...)
				}
			} else if obj, ok := c.(*object); ok {
				if i := slices.Index(obj.keys, s.name); i >= 0 {
					next = append(next, obj.vals[i])
				}
			}
		}
		cur = next
	}
	return cur
}

// object is a JSON object that remembers its members' order, which
// becomes the columns' order.
type object struct {
	keys []string
	vals []any
}

// decodeOrdered reads one JSON value from dec's token stream.
func decodeOrdered(dec *json.Decoder, depth int) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	return valueFrom(dec, tok, depth)
}

func valueFrom(dec *json.Decoder, tok json.Token, depth int) (any, error) {
	if depth > maxSchemaDepth {
		return nil, errors.New("classify: JSON nested too deeply")
	}
	switch tok {
	case json.Delim('{'):
		o := &object{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			key, ok := k.(string)
			if !ok {
				return nil, errors.New("classify: bad JSON object key")
			}
			v, err := decodeOrdered(dec, depth+1)
			if err != nil {
				return nil, err
			}
			o.keys, o.vals = append(o.keys, key), append(o.vals, v)
		}
		_, err := dec.Token() // }
		return o, err
	case json.Delim('['):
		var arr []any
		for dec.More() {
			v, err := decodeOrdered(dec, depth+1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		if arr == nil {
			arr = []any{}
		}
		_, err := dec.Token() // ]
		return arr, err
	case json.Delim('}'), json.Delim(']'):
		return nil, errors.New("classify: unexpected JSON delimiter")
	}
	return tok, nil
}
