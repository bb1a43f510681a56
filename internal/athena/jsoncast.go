package athena

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/lakebox/lakebox/internal/jsonpath"
)

// Trino casts JSON to a ROW more loosely than the engine casts JSON to a
// STRUCT: an object's keys match the fields whatever their case, keys the
// row lacks are passed over, a field without a key is NULL, and an array
// fills the fields in order. The engine's cast refuses all of these but
// the missing key. So a cast of JSON to a type with rows in it first has
// lakebox_json_rows reshape the JSON to exactly the engine's fields:
//
//	CAST(j AS ROW(a INTEGER))  →  CAST(json(lakebox_json_rows(j, '<shape>')) AS STRUCT(a INTEGER))
//
// The shape (jsonCastPlan) says where the rows are, how the target type
// is spelled in Trino's errors, and whether the cast is a TRY_CAST.

// jsonRowsCast rewrites a cast of JSON to a type with rows in it, in
// place; it reports whether it did.
func jsonRowsCast(n map[string]any) bool {
	t, _ := n["cast_type"].(map[string]any)
	child := n["child"]
	if t == nil || !isJSON(child) && !isColumn(child) {
		return false
	}
	shape, duck := castShape(t, 0)
	if !shape.hasRow() {
		return false
	}
	plan, err := json.Marshal(jsonCastPlan{Type: trinoType(duck), Try: n["try_cast"] == true, Shape: shape})
	if err != nil {
		return false
	}
	loc := n["query_location"]
	reshaped := func(v any) any {
		return call("json", loc, call("lakebox_json_rows", loc, v, stringConstant(string(plan))))
	}
	if isJSON(child) {
		n["child"] = reshaped(child)
		return true
	}
	// A column is JSON (a subquery's json_parse(...)), an array of JSON
	// (CAST(... AS ARRAY(JSON))) or neither, as the engine knows when it
	// binds: it keeps one of the two casts. to_json makes either JSON text.
	asJSON, asIs := unaliased(n), unaliased(n)
	asJSON["child"] = reshaped(call("to_json", loc, deepCopy(child)))
	replaceNode(n, call("lakebox_if_json_or_array", loc, deepCopy(child), asJSON, asIs))
	return true
}

// isColumn reports whether an expression is a column reference.
func isColumn(v any) bool {
	c, _ := v.(map[string]any)
	return c != nil && c["class"] == "COLUMN_REF"
}

// unaliased is a copy of a node without its alias, to go inside another.
func unaliased(n map[string]any) map[string]any {
	c := deepCopy(n).(map[string]any)
	c["alias"] = ""
	return c
}

// jsonCastPlan is lakebox_json_rows's second argument.
type jsonCastPlan struct {
	Type  string     `json:"t"`             // the target, in Trino's spelling
	Try   bool       `json:"try,omitempty"` // a failure is NULL, not an error
	Shape *jsonShape `json:"s"`
}

// jsonShape is where a type has rows: in its elements (List), its map
// values (Map) or itself (Row). nil is a value taken as it is.
type jsonShape struct {
	List *jsonShape  `json:"l,omitempty"`
	Map  *jsonShape  `json:"m,omitempty"`
	Row  []jsonField `json:"r,omitempty"`
}

type jsonField struct {
	Name  string     `json:"n"`
	Shape *jsonShape `json:"s,omitempty"`
}

func (s *jsonShape) hasRow() bool {
	return s != nil && (s.Row != nil || s.List.hasRow() || s.Map.hasRow())
}

// castShape reads a cast's target type from the syntax tree: its shape
// and its spelling as the engine names it (which trinoType turns into
// Trino's).
func castShape(t map[string]any, depth int) (*jsonShape, string) {
	id := stringOf(t["id"])
	info, _ := t["type_info"].(map[string]any)
	if depth > 64 {
		return nil, id
	}
	switch id {
	case "LIST":
		child, _ := info["child_type"].(map[string]any)
		elem, name := castShape(child, depth+1)
		if elem == nil {
			return nil, name + "[]"
		}
		return &jsonShape{List: elem}, name + "[]"
	case "MAP": // a list of STRUCT(key, value)
		entry, _ := info["child_type"].(map[string]any)
		entryInfo, _ := entry["type_info"].(map[string]any)
		kv, _ := entryInfo["child_types"].([]any)
		if len(kv) != 2 {
			return nil, id
		}
		key, _ := kv[0].(map[string]any)
		value, _ := kv[1].(map[string]any)
		keyType, _ := key["second"].(map[string]any)
		valueType, _ := value["second"].(map[string]any)
		_, k := castShape(keyType, depth+1)
		v, vName := castShape(valueType, depth+1)
		name := "MAP(" + k + ", " + vName + ")"
		if v == nil {
			return nil, name
		}
		return &jsonShape{Map: v}, name
	case "STRUCT":
		children, _ := info["child_types"].([]any)
		shape := &jsonShape{Row: []jsonField{}}
		names := make([]string, 0, len(children))
		for _, c := range children {
			f, _ := c.(map[string]any)
			ft, _ := f["second"].(map[string]any)
			fs, fName := castShape(ft, depth+1)
			name := stringOf(f["first"])
			shape.Row = append(shape.Row, jsonField{Name: name, Shape: fs})
			names = append(names, fieldName(name)+" "+fName)
		}
		return shape, "STRUCT(" + strings.Join(names, ", ") + ")"
	case "DECIMAL":
		return nil, fmt.Sprintf("DECIMAL(%v,%v)", info["width"], info["scale"])
	case "UNBOUND":
		return nil, strings.ToUpper(stringOf(info["name"]))
	}
	return nil, id
}

// fieldName spells a field's name in a type: quoted unless it is a plain
// lowercase word, as Trino prints it.
func fieldName(name string) string {
	plain := name != "" && (name[0] < '0' || name[0] > '9')
	for _, c := range name {
		plain = plain && (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')
	}
	if plain {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// jsonRows is lakebox_json_rows(json, plan): the JSON with every object or
// array that stands for a row made an object of exactly the row's fields.
func (u *udfs) jsonRows(a []*string) (any, error) {
	if a[0] == nil || a[1] == nil {
		return nil, nil
	}
	plan, err := u.castPlans.get(*a[1], func(p string) (*jsonCastPlan, error) {
		var plan jsonCastPlan
		if err := json.Unmarshal([]byte(p), &plan); err != nil {
			return nil, fmt.Errorf("lakebox_json_rows: bad plan: %v", err)
		}
		return &plan, nil
	})
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(strings.NewReader(*a[0]))
	dec.UseNumber()
	var out bytes.Buffer
	err = reshapeJSON(dec, plan.Shape, &out, 0)
	if err == nil {
		if _, end := dec.Token(); end != io.EOF {
			err = errors.New("Unexpected trailing token")
		}
	}
	switch {
	case err == nil:
		return out.String(), nil
	case plan.Try:
		return nil, nil
	}
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("Cannot convert value to JSON: '%s'", truncateText(*a[0], 100))
	}
	return nil, fmt.Errorf("Cannot cast to %s. %v\n%s", plan.Type, err, truncateText(*a[0], 100))
}

// reshapeJSON copies the next value of dec to out, as shape s wants it.
func reshapeJSON(dec *json.Decoder, s *jsonShape, out *bytes.Buffer, depth int) error {
	if depth > 1000 {
		return errors.New("JSON nested too deeply")
	}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	delim, isDelim := tok.(json.Delim)
	switch {
	case s != nil && s.Row != nil && isDelim && (delim == '[' || delim == '{'):
		return jsonRow(dec, delim == '[', s.Row, out, depth)
	case s != nil && s.Row != nil && tok != nil:
		return fmt.Errorf("Expected a json array or object, but got %s", jsonTokenText(tok))
	case isDelim && delim == '[':
		var elem *jsonShape
		if s != nil {
			elem = s.List
		}
		out.WriteByte('[')
		for i := 0; dec.More(); i++ {
			if i > 0 {
				out.WriteByte(',')
			}
			if err := reshapeJSON(dec, elem, out, depth+1); err != nil {
				return err
			}
		}
		out.WriteByte(']')
		_, err := dec.Token()
		return err
	case isDelim && delim == '{':
		var value *jsonShape
		if s != nil {
			value = s.Map
		}
		out.WriteByte('{')
		for i := 0; dec.More(); i++ {
			key, err := dec.Token()
			if err != nil {
				return err
			}
			if i > 0 {
				out.WriteByte(',')
			}
			writeJSONScalar(out, key)
			out.WriteByte(':')
			if err := reshapeJSON(dec, value, out, depth+1); err != nil {
				return err
			}
		}
		out.WriteByte('}')
		_, err := dec.Token()
		return err
	}
	return writeJSONScalar(out, tok)
}

// jsonRow writes a row, given as an array (an object if array is false),
// as an object of exactly the row's fields, in order.
func jsonRow(dec *json.Decoder, array bool, row []jsonField, out *bytes.Buffer, depth int) error {
	values := make([][]byte, len(row))
	read := jsonObjectValues
	if array {
		read = jsonArrayValues
	}
	if err := read(dec, row, values, depth); err != nil {
		return err
	}
	if _, err := dec.Token(); err != nil { // the closing bracket
		return err
	}
	out.WriteByte('{')
	for i, f := range row {
		if i > 0 {
			out.WriteByte(',')
		}
		out.WriteString(jsonpath.Encode(f.Name))
		out.WriteByte(':')
		if values[i] == nil {
			out.WriteString("null")
		} else {
			out.Write(values[i])
		}
	}
	out.WriteByte('}')
	return nil
}

// jsonArrayValues reads an array's values, one per field in field order,
// into values.
func jsonArrayValues(dec *json.Decoder, row []jsonField, values [][]byte, depth int) error {
	for i, f := range row {
		if !dec.More() {
			tok, _ := dec.Token()
			return fmt.Errorf("Expected a json value for field %s, but got %s", f.Name, jsonTokenText(tok))
		}
		v, err := reshapeValue(dec, f.Shape, depth+1)
		if err != nil {
			return err
		}
		values[i] = v
	}
	if dec.More() {
		tok, _ := dec.Token()
		return fmt.Errorf("Expected json array ending, but got %s", jsonTokenText(tok))
	}
	return nil
}

// jsonObjectValues reads an object's values into values: each field's is
// that of the key spelled like it in any case; keys the row lacks are
// passed over.
func jsonObjectValues(dec *json.Decoder, row []jsonField, values [][]byte, depth int) error {
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key := tok.(string)
		i := fieldIndex(row, key)
		if i < 0 {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return err
			}
			continue
		}
		if values[i] != nil {
			return fmt.Errorf("Duplicate field: %s", strings.ToLower(key))
		}
		if values[i], err = reshapeValue(dec, row[i].Shape, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// reshapeValue is the next value of dec as shape s wants it.
func reshapeValue(dec *json.Decoder, s *jsonShape, depth int) ([]byte, error) {
	var v bytes.Buffer
	err := reshapeJSON(dec, s, &v, depth)
	return v.Bytes(), err
}

// fieldIndex finds the field a key names, case-insensitively as Trino
// does (it lowercases both), or -1.
func fieldIndex(row []jsonField, key string) int {
	for i, f := range row {
		if strings.EqualFold(f.Name, key) {
			return i
		}
	}
	return -1
}

// writeJSONScalar writes a scalar token as JSON (strings with & < > as
// they are).
func writeJSONScalar(out *bytes.Buffer, tok json.Token) error {
	switch tok.(type) {
	case nil:
		out.WriteString("null")
	case bool, json.Number, string:
		out.WriteString(jsonpath.Encode(tok))
	default:
		return fmt.Errorf("Unexpected token %v", tok)
	}
	return nil
}

// jsonTokenText is a token as Trino's messages show it.
func jsonTokenText(tok json.Token) string {
	switch v := tok.(type) {
	case nil:
		return "null"
	case json.Delim:
		return string(v)
	case string:
		return v
	}
	return fmt.Sprint(tok)
}

// truncateText shortens a value quoted in a message.
func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}
