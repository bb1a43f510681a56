package jsonpath

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// The SQL/JSON query functions. Each takes the JSON input as text (nil for
// SQL NULL, which gives NULL), applies a path, and settles empty results
// and errors as its ON EMPTY and ON ERROR clauses say.

// Behavior is what an ON EMPTY or ON ERROR clause asks for: "null",
// "error", "default" (json_value, with Default), "true", "false",
// "unknown" (json_exists), "empty array", "empty object" (json_query).
type Behavior struct {
	Mode    string
	Default *string
}

// Exists is json_exists: whether the path yields anything. onError is
// "false" (the default), "true", "unknown" or "error".
func Exists(input *string, p *Path, onError string) (any, error) {
	if input == nil {
		return nil, nil
	}
	items, err := apply(*input, p)
	if err != nil {
		switch onError {
		case "true":
			return true, nil
		case "unknown":
			return nil, nil
		case "error":
			return nil, err
		}
		return false, nil
	}
	return len(items) > 0, nil
}

// QueryOptions are json_query's clauses.
type QueryOptions struct {
	// Wrapper is "without" (the default), "conditional" or
	// "unconditional" (WITH [ARRAY] WRAPPER).
	Wrapper string
	// OmitQuotes strips the quotes of a single string result.
	OmitQuotes       bool
	OnEmpty, OnError Behavior
}

// Query is json_query: the items the path yields, as JSON text.
func Query(input *string, p *Path, o QueryOptions) (any, error) {
	if input == nil {
		return nil, nil
	}
	items, err := apply(*input, p)
	if err == nil {
		var out string
		if len(items) == 0 {
			return settle(o.OnEmpty, errors.New("json_query: the path yielded nothing"))
		}
		out, err = queryResult(items, o)
		if err == nil {
			return out, nil
		}
	}
	return settle(o.OnError, err)
}

func queryResult(items []any, o QueryOptions) (string, error) {
	wrap := o.Wrapper == "unconditional" ||
		o.Wrapper == "conditional" && !(len(items) == 1 && !IsScalar(items[0]))
	if wrap {
		return Encode(items), nil
	}
	if len(items) > 1 {
		return "", errors.New("json_query: the path yielded more than one item, and there is no array wrapper")
	}
	if s, ok := items[0].(string); ok && o.OmitQuotes {
		return s, nil
	}
	return Encode(items[0]), nil
}

// ValueOptions are json_value's clauses.
type ValueOptions struct {
	// Returning is the result type's name in lower case ("varchar" when
	// none was given): the item must convert to it.
	Returning        string
	OnEmpty, OnError Behavior
}

// Value is json_value: the single scalar the path yields, as text.
func Value(input *string, p *Path, o ValueOptions) (any, error) {
	if input == nil {
		return nil, nil
	}
	items, err := apply(*input, p)
	if err == nil {
		switch {
		case len(items) == 0:
			return settle(o.OnEmpty, errors.New("json_value: the path yielded nothing"))
		case len(items) > 1:
			err = errors.New("json_value: the path yielded more than one item")
		case !IsScalar(items[0]):
			err = fmt.Errorf("json_value: the path yielded a %s, not a scalar", typeName(items[0]))
		default:
			var v any
			if v, err = convert(items[0], o.Returning); err == nil {
				return v, nil
			}
		}
	}
	return settle(o.OnError, err)
}

// convert turns a scalar into the text of a value of type typ, or fails
// when it is not one.
func convert(item any, typ string) (any, error) {
	if _, ok := item.(Null); ok {
		return nil, nil
	}
	base, _, _ := strings.Cut(typ, "(")
	switch base {
	case "", "varchar", "char":
		switch v := item.(type) {
		case string:
			return v, nil
		default:
			return Encode(v), nil
		}
	case "tinyint", "smallint", "integer", "int", "bigint":
		n, ok := item.(json.Number)
		if !ok {
			return nil, fmt.Errorf("json_value: %s is not a number", Encode(item))
		}
		r, ok := new(big.Rat).SetString(string(n))
		if !ok || !r.IsInt() {
			return nil, fmt.Errorf("json_value: %s is not an integer", n)
		}
		bits := map[string]uint{"tinyint": 8, "smallint": 16, "integer": 32, "int": 32, "bigint": 64}[base]
		limit := new(big.Int).Lsh(big.NewInt(1), bits-1)
		if i := r.Num(); i.Cmp(limit) >= 0 || i.Cmp(new(big.Int).Neg(limit)) < 0 {
			return nil, fmt.Errorf("json_value: %s is out of range for %s", n, base)
		}
		return r.Num().String(), nil
	case "double", "real", "decimal":
		n, ok := item.(json.Number)
		if !ok {
			return nil, fmt.Errorf("json_value: %s is not a number", Encode(item))
		}
		return string(n), nil
	case "boolean":
		b, ok := item.(bool)
		if !ok {
			return nil, fmt.Errorf("json_value: %s is not a boolean", Encode(item))
		}
		if b {
			return "true", nil
		}
		return "false", nil
	}
	// Other types (dates, timestamps): the engine's cast judges the text.
	if s, ok := item.(string); ok {
		return s, nil
	}
	return Encode(item), nil
}

// settle answers an empty result or an error as behavior b says.
func settle(b Behavior, cause error) (any, error) {
	switch b.Mode {
	case "error":
		return nil, cause
	case "default":
		if b.Default == nil {
			return nil, nil
		}
		return *b.Default, nil
	case "empty array":
		return "[]", nil
	case "empty object":
		return "{}", nil
	}
	return nil, nil
}

// apply decodes the input and evaluates the path over it.
func apply(input string, p *Path) ([]any, error) {
	doc, err := Decode(input)
	if err != nil {
		return nil, err
	}
	return p.Eval(doc, nil)
}
