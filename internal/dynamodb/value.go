package dynamodb

import (
	"bytes"
	"encoding/base64"
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// AttributeValue is a DynamoDB value in its wire shape: exactly one member
// is set. Numbers are kept as their canonical text.
type AttributeValue struct {
	S    *string                   `json:"S,omitempty"`
	N    *string                   `json:"N,omitempty"`
	B    []byte                    `json:"B,omitempty"`
	BOOL *bool                     `json:"BOOL,omitempty"`
	NULL *bool                     `json:"NULL,omitempty"`
	L    []AttributeValue          `json:"L"`
	M    map[string]AttributeValue `json:"M"`
	SS   []string                  `json:"SS,omitempty"`
	NS   []string                  `json:"NS,omitempty"`
	BS   [][]byte                  `json:"BS,omitempty"`
}

// Item is an item: attribute names to values.
type Item map[string]AttributeValue

// The type descriptors of attribute_type() and error messages.
const (
	typeS, typeN, typeB, typeBOOL, typeNULL = "S", "N", "B", "BOOL", "NULL"
	typeL, typeM, typeSS, typeNS, typeBS    = "L", "M", "SS", "NS", "BS"
)

// Type names the value's type ("" for a value with no member set).
func (v *AttributeValue) Type() string {
	switch {
	case v.S != nil:
		return typeS
	case v.N != nil:
		return typeN
	case v.B != nil:
		return typeB
	case v.BOOL != nil:
		return typeBOOL
	case v.NULL != nil:
		return typeNULL
	case v.L != nil:
		return typeL
	case v.M != nil:
		return typeM
	case v.SS != nil:
		return typeSS
	case v.NS != nil:
		return typeNS
	case v.BS != nil:
		return typeBS
	}
	return ""
}

// MarshalJSON writes the one member that is set (L and M may be empty).
func (v AttributeValue) MarshalJSON() ([]byte, error) {
	if v.Type() == "" {
		return nil, errors.New("dynamodb: empty attribute value")
	}
	return v.appendJSON(nil), nil
}

// appendJSON appends the value's wire JSON.
func (v *AttributeValue) appendJSON(b []byte) []byte {
	switch v.Type() {
	case typeS:
		b = appendString(append(b, `{"S":`...), *v.S)
	case typeN:
		b = appendString(append(b, `{"N":`...), *v.N)
	case typeB:
		b = append(base64.StdEncoding.AppendEncode(append(b, `{"B":"`...), v.B), '"')
	case typeBOOL:
		b = strconv.AppendBool(append(b, `{"BOOL":`...), *v.BOOL)
	case typeNULL:
		b = append(b, `{"NULL":true`...)
	case typeL:
		b = append(b, `{"L":[`...)
		for i := range v.L {
			if i > 0 {
				b = append(b, ',')
			}
			b = v.L[i].appendJSON(b)
		}
		b = append(b, ']')
	case typeM:
		b = appendItem(append(b, `{"M":`...), v.M)
	case typeSS, typeNS:
		set, name := v.SS, `{"SS":[`
		if v.NS != nil {
			set, name = v.NS, `{"NS":[`
		}
		b = append(b, name...)
		for i, s := range set {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, s)
		}
		b = append(b, ']')
	case typeBS:
		b = append(b, `{"BS":[`...)
		for i, x := range v.BS {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(base64.StdEncoding.AppendEncode(append(b, '"'), x), '"')
		}
		b = append(b, ']')
	default:
		return append(b, "null"...)
	}
	return append(b, '}')
}

// appendItem appends an item as a JSON object, names sorted.
func appendItem(b []byte, item Item) []byte {
	var buf [16]string // most items' names fit: no allocation
	names := buf[:0]
	for k := range item {
		names = append(names, k)
	}
	slices.Sort(names)
	b = append(b, '{')
	for i, k := range names {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendString(b, k), ':')
		v := item[k]
		b = v.appendJSON(b)
	}
	return append(b, '}')
}

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	out, _ := jsontext.AppendQuote(b, s)
	return out
}

// countSet is how many of the members of a request's union are set.
func countSet(set ...bool) int {
	n := 0
	for _, x := range set {
		if x {
			n++
		}
	}
	return n
}

// isSet reports whether v is a string, number or binary set: what ADD
// and DELETE take.
func (v *AttributeValue) isSet() bool { return v.SS != nil || v.NS != nil || v.BS != nil }

// maxDepthOfValue is how deep in an item a value may be: an attribute's
// value is at depth 0, a member of it at 1. DynamoDB takes 31 maps in
// maps around a string and refuses 32.
const maxDepthOfValue = 32

// check validates a value from a request and canonicalizes its numbers
// (and removes duplicate set members' ambiguity: duplicates are errors).
// where names it in messages. It reports whether it changed v itself, not
// only what v's slices and maps hold: a caller holding v in a map stores
// it back then.
func (v *AttributeValue) check(where string, depth int) (changed bool, err error) {
	if depth >= maxDepthOfValue {
		return false, validationf("Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit")
	}
	switch countSet(v.S != nil, v.N != nil, v.B != nil, v.BOOL != nil, v.NULL != nil, v.L != nil, v.M != nil, v.SS != nil, v.NS != nil, v.BS != nil) {
	case 0:
		return false, validationf("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
	case 1:
	default:
		return false, validationf("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")
	}
	switch v.Type() {
	case typeS:
		if !utf8.ValidString(*v.S) {
			return false, validationf("One or more parameter values were invalid: %s is not valid UTF-8", where)
		}
	case typeN:
		c, err := canonicalNumber(*v.N)
		if err != nil {
			return false, err
		}
		if c != *v.N {
			v.N = new(c)
			return true, nil
		}
	case typeNULL:
		if !*v.NULL {
			return false, validationf("One or more parameter values were invalid: Null attribute value types must have the value of true")
		}
	case typeL:
		for i := range v.L {
			if _, err := v.L[i].check(where, depth+1); err != nil {
				return false, err
			}
		}
	case typeM:
		if err := checkMap(v.M, func(string) string { return where }, depth+1); err != nil {
			return false, err
		}
	case typeSS:
		if len(v.SS) == 0 {
			return false, invalidParam("An string set  may not be empty")
		}
		if hasDuplicates(v.SS) {
			return false, invalidParam("Input collection %s contains duplicates.", showSet(v.SS))
		}
	case typeNS:
		if len(v.NS) == 0 {
			return false, invalidParam("An number set  may not be empty")
		}
		for i, s := range v.NS {
			c, err := canonicalNumber(s)
			if err != nil {
				return false, err
			}
			v.NS[i] = c
		}
		if hasDuplicates(v.NS) { // DynamoDB's words differ for each kind of set
			return false, validationf("Input collection contains duplicates")
		}
	case typeBS:
		if len(v.BS) == 0 {
			return false, invalidParam("Binary sets should not be empty")
		}
		if hasDuplicates(v.BS) {
			shown := make([]string, len(v.BS))
			for i, b := range v.BS {
				shown[i] = base64.StdEncoding.EncodeToString(b)
			}
			return false, invalidParam("Input collection %sof type BS contains duplicates.", showSet(shown))
		}
	}
	return false, nil
}

// checkMap checks each of m's values, named in messages by where(key),
// and stores back the ones check changed.
func checkMap(m map[string]AttributeValue, where func(key string) string, depth int) error {
	for k, v := range m {
		changed, err := v.check(where(k), depth)
		if err != nil {
			return err
		}
		if changed {
			m[k] = v
		}
	}
	return nil
}

// hasDuplicates reports whether a set holds a member twice. Most sets in
// requests are small, and comparing each pair of a few costs less than a
// map.
func hasDuplicates[S ~string | ~[]byte](set []S) bool {
	if len(set) <= 8 {
		for i := range set {
			for j := range i {
				if string(set[i]) == string(set[j]) {
					return true
				}
			}
		}
		return false
	}
	seen := make(map[string]bool, len(set))
	for _, x := range set {
		if seen[string(x)] {
			return true
		}
		seen[string(x)] = true
	}
	return false
}

func showSet(s []string) string { return "[" + strings.Join(s, ", ") + "]" }

// checkItem validates every attribute of an item.
func checkItem(item Item) error {
	if _, ok := item[""]; ok {
		return invalidParam("An AttributeValue may not contain an empty attribute name")
	}
	return checkMap(item, func(name string) string { return name }, 0)
}

// equal reports whether two values are the same.
func equal(a, b *AttributeValue) bool {
	if a.Type() != b.Type() {
		return false
	}
	switch a.Type() {
	case typeS:
		return *a.S == *b.S
	case typeN:
		return compareNumbers(*a.N, *b.N) == 0
	case typeB:
		return bytes.Equal(a.B, b.B)
	case typeBOOL:
		return *a.BOOL == *b.BOOL
	case typeNULL:
		return true
	case typeL:
		return slices.EqualFunc(a.L, b.L, func(x, y AttributeValue) bool { return equal(&x, &y) })
	case typeM:
		if len(a.M) != len(b.M) {
			return false
		}
		for k, x := range a.M {
			y, ok := b.M[k]
			if !ok || !equal(&x, &y) {
				return false
			}
		}
		return true
	case typeSS, typeNS:
		as, bs := a.SS, b.SS
		if a.NS != nil {
			as, bs = a.NS, b.NS
		}
		if len(as) != len(bs) {
			return false
		}
		for _, x := range as {
			if !slices.ContainsFunc(bs, func(y string) bool { return x == y || a.NS != nil && compareNumbers(x, y) == 0 }) {
				return false
			}
		}
		return true
	case typeBS:
		if len(a.BS) != len(b.BS) {
			return false
		}
		for _, x := range a.BS {
			if !slices.ContainsFunc(b.BS, func(y []byte) bool { return bytes.Equal(x, y) }) {
				return false
			}
		}
		return true
	}
	return false
}

// compare orders two scalar values of one type (S, N or B); ok is false
// when they cannot be ordered.
func compare(a, b *AttributeValue) (int, bool) {
	if a.Type() != b.Type() {
		return 0, false
	}
	switch a.Type() {
	case typeS:
		return strings.Compare(*a.S, *b.S), true
	case typeN:
		return compareNumbers(*a.N, *b.N), true
	case typeB:
		return bytes.Compare(a.B, b.B), true
	}
	return 0, false
}

// clone deep-copies a value.
func (v AttributeValue) clone() AttributeValue {
	switch {
	case v.L != nil:
		l := make([]AttributeValue, len(v.L))
		for i := range v.L {
			l[i] = v.L[i].clone()
		}
		v.L = l
	case v.M != nil:
		v.M = cloneItem(v.M)
	case v.SS != nil:
		v.SS = slices.Clone(v.SS)
	case v.NS != nil:
		v.NS = slices.Clone(v.NS)
	case v.BS != nil:
		v.BS = slices.Clone(v.BS)
	}
	return v
}

func cloneItem(item Item) Item {
	out := make(Item, len(item))
	for k, v := range item {
		out[k] = v.clone()
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
