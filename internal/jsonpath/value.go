package jsonpath

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// A JSON value is one of: Null, bool, json.Number, string, []any, *Object.

// Null is JSON's null.
type Null struct{}

// Object is a JSON object with its members in document order.
type Object struct {
	Keys   []string
	Values []any
}

// Get returns the value of the first member named key.
func (o *Object) Get(key string) (any, bool) {
	for i, k := range o.Keys {
		if k == key {
			return o.Values[i], true
		}
	}
	return nil, false
}

// Decode parses one JSON document.
func Decode(s string) (any, error) {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	v, err := decodeValue(d, 0)
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("jsonpath: text after the JSON value")
	}
	return v, nil
}

// maxDepth bounds the nesting of documents and paths, so a hostile one
// cannot exhaust the stack.
const maxDepth = 1000

func decodeValue(d *json.Decoder, depth int) (any, error) {
	if depth > maxDepth {
		return nil, errors.New("jsonpath: JSON nested too deeply")
	}
	t, err := d.Token()
	if err != nil {
		return nil, fmt.Errorf("jsonpath: malformed JSON: %w", err)
	}
	switch t := t.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := &Object{}
			for d.More() {
				k, err := d.Token()
				if err != nil {
					return nil, fmt.Errorf("jsonpath: malformed JSON: %w", err)
				}
				v, err := decodeValue(d, depth+1)
				if err != nil {
					return nil, err
				}
				o.Keys = append(o.Keys, k.(string))
				o.Values = append(o.Values, v)
			}
			_, err := d.Token()
			return o, err
		case '[':
			a := []any{}
			for d.More() {
				v, err := decodeValue(d, depth+1)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			_, err := d.Token()
			return a, err
		}
		return nil, errors.New("jsonpath: malformed JSON")
	case nil:
		return Null{}, nil
	default:
		return t, nil // bool, json.Number, string
	}
}

// Encode writes v as compact JSON, strings escaped as JSON requires
// (and nothing more: no HTML escaping).
func Encode(v any) string {
	var b bytes.Buffer
	encode(&b, v)
	return b.String()
}

func encode(b *bytes.Buffer, v any) {
	switch v := v.(type) {
	case Null:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case json.Number:
		b.WriteString(string(v))
	case string:
		e := json.NewEncoder(b)
		e.SetEscapeHTML(false)
		e.Encode(v)
		b.Truncate(b.Len() - 1) // Encode's newline
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			encode(b, e)
		}
		b.WriteByte(']')
	case *Object:
		b.WriteByte('{')
		for i, k := range v.Keys {
			if i > 0 {
				b.WriteByte(',')
			}
			encode(b, k)
			b.WriteByte(':')
			encode(b, v.Values[i])
		}
		b.WriteByte('}')
	default:
		b.WriteString("null")
	}
}

// IsScalar reports whether v is neither an array nor an object.
func IsScalar(v any) bool {
	switch v.(type) {
	case []any, *Object:
		return false
	}
	return true
}

// typeName is a value's name for the type() method.
func typeName(v any) string {
	switch v.(type) {
	case Null:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	default:
		return "object"
	}
}

// number returns v as a float64 when it is a JSON number.
func number(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil
}

// numberText returns the text of a JSON number, or of a string holding
// one in JSON's syntax (trimmed): what double() and json_value's RETURNING
// read as numbers.
func numberText(v any) (string, bool) {
	switch x := v.(type) {
	case json.Number:
		return string(x), true
	case string:
		t := strings.TrimSpace(x)
		return t, jsonNumber.MatchString(t)
	}
	return "", false
}

// numberOf makes a JSON number of f, as an integer when it is one.
func numberOf(f float64) json.Number {
	if f == float64(int64(f)) && f > -1e18 && f < 1e18 {
		return json.Number(strconv.FormatInt(int64(f), 10))
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
}
