package dynamodb

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// Items and attribute values are decoded by hand, in two steps. jsontext
// reads the value whole, which checks its syntax (so a malformed body gets
// json/v2's error, as any other request member does); a parser then walks
// those bytes once, building the values: it cuts every string without
// escapes from one copy of the input and keeps the S and N strings in
// shared arrays. Decoding bench/dynamodbbench's PutItem request took 3.2 µs
// and 40 allocations walking jsontext's tokens, 2.75 µs and 17 this way.
//
// A member of the wrong JSON type gets DynamoDB's SerializationException
// and the message its Jackson-based front end writes. A null member is an
// absent one; unknown members are skipped.

// UnmarshalJSONFrom decodes one value. null leaves it empty (check then
// refuses it).
func (v *AttributeValue) UnmarshalJSONFrom(d *jsontext.Decoder) error {
	p, ok, err := readWhole(d)
	if !ok {
		return err
	}
	return p.value(v)
}

// UnmarshalJSONFrom decodes an item (a request's Item, Key or
// ExclusiveStartKey). null leaves it nil.
func (m *Item) UnmarshalJSONFrom(d *jsontext.Decoder) error {
	p, ok, err := readWhole(d)
	if !ok {
		return err
	}
	item, err := p.item()
	*m = item
	return err
}

// readWhole reads the value d is at and returns a parser over it, or
// false for null (or d's error).
func readWhole(d *jsontext.Decoder) (valueParser, bool, error) {
	if d.PeekKind() == 'n' {
		return valueParser{}, false, d.SkipValue()
	}
	raw, err := d.ReadValue()
	if err != nil {
		return valueParser{}, false, err
	}
	p := newValueParser(raw)
	p.checked = true
	return p, true, nil
}

// decodeItem decodes a stored item, which Lakebox wrote (appendItem), or
// an item of a backup or an export Lakebox made.
func decodeItem(b []byte) (Item, error) {
	p := newValueParser(b)
	item, err := p.item()
	if err == nil && p.peek() != 0 {
		err = errMalformed
	}
	return item, err
}

// errMalformed is the answer to input that is not well-formed JSON, which
// the parser only meets when jsontext has not read it first: a damaged
// stored item, not a fault of the caller's request (an internal error).
var errMalformed = errors.New("dynamodb: a stored item is not well-formed JSON")

// valueParser reads one well-formed JSON value. On input that is not, it
// fails (errMalformed) rather than read out of bounds, loop or recurse
// without end, though it checks less than jsontext does.
type valueParser struct {
	s string // the input, one copy that unescaped strings are cut from
	i int
	// checked is set for input jsontext has read, under the request's
	// rules: an unquoting error there is invalid UTF-8, which they let
	// through (as U+FFFD).
	checked bool
	// clone is set for a large input: strings are then copied out of it,
	// so that a value kept does not keep all of the input alive.
	clone bool
	depth int
	// strs is where S and N values are kept: one allocation for several
	// of the *string an AttributeValue holds, rather than one each.
	strs []string
}

// newValueParser returns a parser over a copy of b.
func newValueParser(b []byte) valueParser {
	return valueParser{s: string(b), clone: len(b) > maxSharedInput}
}

// maxSharedInput is the largest input whose strings share its copy. A
// request's item is at most 400 KB, but the padding or unknown members
// around what is kept have no bound but the body's.
const maxSharedInput = 64 << 10

// maxDepth is jsontext's limit on nesting, kept for input it has not read.
const maxDepth = 10000

// peek skips white space and returns the next byte, 0 at the end.
func (p *valueParser) peek() byte {
	for ; p.i < len(p.s); p.i++ {
		switch c := p.s[p.i]; c {
		case ' ', '\t', '\n', '\r':
		default:
			return c
		}
	}
	return 0
}

// kind is jsontext's Kind of the value starting with c.
func kind(c byte) jsontext.Kind {
	switch c {
	case '{', '[', '"', 'n', 't', 'f':
		return jsontext.Kind(c)
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return '0'
	}
	return 0
}

// next consumes c, which must come next.
func (p *valueParser) next(c byte) error {
	if p.peek() != c {
		return errMalformed
	}
	p.i++
	return nil
}

// enter consumes the opening of an object or an array, one level deeper.
func (p *valueParser) enter(open byte) error {
	if p.depth++; p.depth > maxDepth {
		return errMalformed
	}
	return p.next(open)
}

func (p *valueParser) leave() { p.depth-- }

// more reports whether an object or array has another element, consuming
// the comma before it, or consumes its end (close).
func (p *valueParser) more(first bool, close byte) (bool, error) {
	switch c := p.peek(); {
	case c == close:
		p.i++
		return false, nil
	case first && c != 0:
		return true, nil
	case c == ',':
		p.i++
		return true, nil
	}
	return false, errMalformed
}

// members calls each for the name of every member of the object the
// parser is at, after its colon; each reads the value.
func (p *valueParser) members(each func(name string) error) error {
	if err := p.enter('{'); err != nil {
		return err
	}
	defer p.leave()
	for first := true; ; first = false {
		ok, err := p.more(first, '}')
		if !ok || err != nil {
			return err
		}
		name, err := p.str()
		if err != nil {
			return err
		}
		if err := p.next(':'); err != nil {
			return err
		}
		if err := each(name); err != nil {
			return err
		}
	}
}

// elements calls each for every element of the array the parser is at.
func (p *valueParser) elements(each func() error) error {
	if err := p.enter('['); err != nil {
		return err
	}
	defer p.leave()
	for first := true; ; first = false {
		ok, err := p.more(first, ']')
		if !ok || err != nil {
			return err
		}
		if err := each(); err != nil {
			return err
		}
	}
}

// item reads an M (or an item): names to values.
func (p *valueParser) item() (map[string]AttributeValue, error) {
	switch kind(p.peek()) {
	case '{':
	case '[':
		return nil, serialization("Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>")
	case 0:
		return nil, errMalformed
	default:
		return nil, serialization("Unexpected field type")
	}
	m := map[string]AttributeValue{}
	err := p.members(func(name string) error {
		var x AttributeValue
		if err := p.value(&x); err != nil {
			return err
		}
		m[name] = x
		return nil
	})
	return m, err
}

// value reads an attribute value; null leaves v empty.
func (p *valueParser) value(v *AttributeValue) error {
	switch kind(p.peek()) {
	case '{':
	case 'n':
		return p.skip()
	case '[':
		return serialization("Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue")
	case 0:
		return errMalformed
	default:
		return serialization("Unexpected value type in payload")
	}
	return p.members(func(name string) (err error) {
		if p.peek() == 'n' { // a null member is an absent one
			return p.skip()
		}
		switch name {
		case "S":
			v.S, err = p.stringValue()
		case "N":
			v.N, err = p.stringValue()
		case "B":
			v.B, err = p.blob()
		case "BOOL":
			v.BOOL, err = p.boolean()
		case "NULL":
			v.NULL, err = p.boolean()
		case "L":
			v.L = []AttributeValue{}
			err = p.list(func() error {
				v.L = append(v.L, AttributeValue{})
				return p.value(&v.L[len(v.L)-1])
			})
		case "M":
			v.M, err = p.item()
		case "SS", "NS":
			set := []string{}
			err = p.list(func() error {
				if p.peek() == 'n' { // null reads as an empty string
					set = append(set, "")
					return p.skip()
				}
				s, err := p.stringOf()
				set = append(set, s)
				return err
			})
			if name == "SS" {
				v.SS = set
			} else {
				v.NS = set
			}
		case "BS":
			v.BS = [][]byte{}
			err = p.list(func() error {
				b, err := p.blob()
				v.BS = append(v.BS, b)
				return err
			})
		default:
			err = p.skip()
		}
		return err
	})
}

// list reads an array, calling each for every element.
func (p *valueParser) list(each func() error) error {
	switch kind(p.peek()) {
	case '[':
	case '{':
		return serialization("Start of structure or map found where not expected")
	case 0:
		return errMalformed
	default:
		return serialization("Unexpected field type")
	}
	return p.elements(each)
}

// stringValue reads an S or N.
func (p *valueParser) stringValue() (*string, error) {
	s, err := p.stringOf()
	if err != nil {
		return nil, err
	}
	if len(p.strs) == cap(p.strs) {
		p.strs = make([]string, 0, 8)
	}
	p.strs = append(p.strs, s)
	return &p.strs[len(p.strs)-1], nil
}

// stringOf reads a member that must be a string.
func (p *valueParser) stringOf() (string, error) {
	if k := kind(p.peek()); k != '"' {
		return "", p.wrongType(k, "String", "class java.lang.String")
	}
	return p.str()
}

func (p *valueParser) boolean() (*bool, error) {
	var b bool
	switch k := kind(p.peek()); k {
	case 't':
		b = true
		return &b, p.skip()
	case 'f':
		return &b, p.skip()
	case '"': // Jackson takes a few spellings of a boolean in a string
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		switch strings.ToUpper(s) {
		case "TRUE", "1", "YES":
			b = true
		case "FALSE", "0", "NO":
		default:
			return nil, serialization("Unexpected token received from parser")
		}
		return &b, nil
	default:
		return nil, p.wrongType(k, "Boolean", "class java.lang.Boolean")
	}
}

// blob reads a B or a member of a BS: base64 text (nil for null).
func (p *valueParser) blob() ([]byte, error) {
	switch kind(p.peek()) {
	case '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		if len(s)%4 != 0 {
			return nil, serialization("Base64 encoded length is expected a multiple of 4 bytes but found: " + strconv.Itoa(len(s)))
		}
		b, err := base64.StdEncoding.Strict().DecodeString(s)
		if err != nil {
			return nil, serialization("Invalid last non-pad Base64 character dectected")
		}
		return b, nil
	case 't', 'f', '0':
		return nil, serialization("only base-64-encoded strings are convertible to bytes")
	case '[':
		return nil, serialization("Unrecognized collection type class java.nio.ByteBuffer")
	case '{':
		return nil, serialization("Start of structure or map found where not expected")
	}
	return nil, p.skip()
}

// wrongType is the error for a scalar member holding another JSON kind.
func (p *valueParser) wrongType(k jsontext.Kind, want, class string) error {
	switch k {
	case 't':
		return serialization("TRUE_VALUE cannot be converted to " + want)
	case 'f':
		return serialization("FALSE_VALUE cannot be converted to " + want)
	case '0':
		start := p.i
		if err := p.skip(); err != nil {
			return err
		}
		if strings.ContainsAny(p.s[start:p.i], ".eE") {
			return serialization("DECIMAL_VALUE cannot be converted to " + want)
		}
		return serialization("NUMBER_VALUE cannot be converted to " + want)
	case '"':
		return serialization("STRING_VALUE cannot be converted to " + want)
	case '[':
		return serialization("Unrecognized collection type " + class)
	case '{':
		return serialization("Start of structure or map found where not expected")
	}
	return errMalformed
}

// str reads a string. One without escapes, in valid UTF-8, is cut from
// the input; others are unquoted as json/v2 does (invalid UTF-8 becomes
// U+FFFD, as encoding/json's rules, which requests are decoded by, have
// it).
func (p *valueParser) str() (string, error) {
	if p.peek() != '"' {
		return "", errMalformed
	}
	start := p.i
	plain := true
	for p.i++; p.i < len(p.s); p.i++ {
		switch c := p.s[p.i]; {
		case c == '"':
			p.i++
			s := p.s[start+1 : p.i-1]
			if plain || utf8.ValidString(s) && !strings.Contains(s, `\`) {
				if p.clone {
					s = strings.Clone(s)
				}
				return s, nil
			}
			b, err := jsontext.AppendUnquote(nil, p.s[start:p.i])
			if err != nil && !p.checked {
				return "", errMalformed
			}
			return string(b), nil
		case c == '\\':
			plain = false
			p.i++
		case c >= utf8.RuneSelf:
			plain = false
		case c < ' ':
			return "", errMalformed // jsontext never lets one through
		}
	}
	return "", errMalformed
}

// skip reads past one value.
func (p *valueParser) skip() error {
	switch c := p.peek(); c {
	case '"':
		_, err := p.str()
		return err
	case '{':
		return p.members(func(string) error { return p.skip() })
	case '[':
		return p.elements(p.skip)
	case 0:
		return errMalformed
	default: // a literal or a number: up to the next delimiter
		start := p.i
		for p.i < len(p.s) && !isDelimiter(p.s[p.i]) {
			p.i++
		}
		switch lit := p.s[start:p.i]; kind(c) {
		case 't', 'f', 'n':
			if lit != "true" && lit != "false" && lit != "null" {
				return errMalformed
			}
		case '0': // Lakebox writes none: numbers are N's strings
			if !p.checked || strings.Trim(lit, "0123456789+-.eE") != "" {
				return errMalformed
			}
		default:
			return errMalformed
		}
		return nil
	}
}

// isDelimiter reports whether c ends a literal or a number.
func isDelimiter(c byte) bool {
	switch c {
	case ',', ':', ']', '}', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}

func serialization(msg string) error { return ErrSerialization.WithMessage("%s", msg) }
