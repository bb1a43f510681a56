package jsonpath

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// The SQL/JSON query functions. Each takes the JSON input as text (nil for
// SQL NULL, which gives NULL), applies a path with the values its PASSING
// clause named, and settles empty results and errors as its ON EMPTY and ON
// ERROR clauses say.

// Behavior is what an ON EMPTY or ON ERROR clause asks for: "null",
// "error", "default" (json_value, with Default), "true", "false",
// "unknown" (json_exists), "empty array", "empty object" (json_query).
type Behavior struct {
	Mode    string
	Default *string
}

// Exists is json_exists: whether the path yields anything. onError is
// "false" (the default), "true", "unknown" or "error".
func Exists(input *string, p *Path, vars map[string]any, onError string) (any, error) {
	if input == nil {
		return nil, nil
	}
	items, err := apply(*input, p, vars)
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
func Query(input *string, p *Path, vars map[string]any, o QueryOptions) (any, error) {
	if input == nil {
		return nil, nil
	}
	items, err := apply(*input, p, vars)
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
func Value(input *string, p *Path, vars map[string]any, o ValueOptions) (any, error) {
	if input == nil {
		return nil, nil
	}
	items, err := apply(*input, p, vars)
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
// when it is not one, as Trino's casts decide: a number or a numeric string
// for numeric types (a fraction rounds, half away from zero, for integer
// types; a decimal must fit its precision), true/false or their strings for
// boolean, a yyyy-mm-dd string for date. Other types pass as text to the
// engine's cast.
func convert(item any, typ string) (any, error) {
	if _, ok := item.(Null); ok {
		return nil, nil
	}
	base, params, _ := strings.Cut(strings.ReplaceAll(typ, " ", ""), "(")
	text := ""
	switch v := item.(type) {
	case string:
		text = v
	case json.Number:
		text = string(v)
	default:
		text = Encode(v)
	}
	fail := func() (any, error) {
		return nil, fmt.Errorf("json_value: %s cannot be cast to %s", Encode(item), typ)
	}
	switch base {
	case "", "varchar", "char":
		return text, nil
	case "tinyint", "smallint", "integer", "int", "bigint":
		r, ok := numeric(item)
		if !ok {
			return fail()
		}
		i := roundHalfAway(r)
		bits := map[string]uint{"tinyint": 8, "smallint": 16, "integer": 32, "int": 32, "bigint": 64}[base]
		limit := new(big.Int).Lsh(big.NewInt(1), bits-1)
		if i.Cmp(limit) >= 0 || i.Cmp(new(big.Int).Neg(limit)) < 0 {
			return fail()
		}
		return i.String(), nil
	case "double", "real":
		if _, ok := numeric(item); !ok {
			return fail()
		}
		return strings.TrimSpace(text), nil
	case "decimal":
		r, ok := numeric(item)
		if !ok {
			return fail()
		}
		precision, scale := 38, 0
		if params != "" {
			fmt.Sscanf(strings.TrimSuffix(params, ")"), "%d,%d", &precision, &scale)
		}
		shift := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil))
		scaled := roundHalfAway(new(big.Rat).Mul(r, shift))
		if len(new(big.Int).Abs(scaled).String()) > precision {
			return fail()
		}
		return new(big.Rat).SetFrac(scaled, shift.Num()).FloatString(scale), nil
	case "boolean":
		switch v := item.(type) {
		case bool:
			return strconv.FormatBool(v), nil
		case string:
			if b, err := strconv.ParseBool(strings.ToLower(strings.TrimSpace(v))); err == nil && len(strings.TrimSpace(v)) > 1 {
				return strconv.FormatBool(b), nil
			}
		}
		return fail()
	case "date":
		if s, ok := item.(string); ok {
			if _, err := time.Parse("2006-01-02", strings.TrimSpace(s)); err == nil {
				return strings.TrimSpace(s), nil
			}
		}
		return fail()
	}
	return text, nil
}

// numeric reads a number, or a string holding one, exactly.
func numeric(item any) (*big.Rat, bool) {
	text, ok := numberText(item)
	if !ok {
		return nil, false
	}
	return new(big.Rat).SetString(text)
}

// roundHalfAway rounds r to an integer, halves away from zero.
func roundHalfAway(r *big.Rat) *big.Int {
	half := big.NewRat(1, 2)
	if r.Sign() < 0 {
		half.Neg(half)
	}
	x := new(big.Rat).Add(r, half)
	return new(big.Int).Quo(x.Num(), x.Denom()) // truncates toward zero
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
func apply(input string, p *Path, vars map[string]any) ([]any, error) {
	doc, err := Decode(input)
	if err != nil {
		return nil, err
	}
	return p.Eval(doc, vars)
}
