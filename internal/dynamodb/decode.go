package dynamodb

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// AttributeValues are decoded by hand: json/v2's reflection over the ten
// optional members was most of the cost of decoding a GetItem or PutItem.
// A member of the wrong JSON type gets DynamoDB's SerializationException
// and the message its Jackson-based front end writes.

// UnmarshalJSONFrom decodes one value. null leaves it empty (check then
// refuses it); unknown members are skipped.
func (v *AttributeValue) UnmarshalJSONFrom(d *jsontext.Decoder) error {
	switch d.PeekKind() {
	case '{':
	case 'n':
		return skip(d)
	case '[':
		return serialization("Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue")
	case 0:
		return skip(d) // the syntax error
	default:
		return serialization("Unexpected value type in payload")
	}
	if _, err := d.ReadToken(); err != nil {
		return err
	}
	for d.PeekKind() == '"' {
		name, err := d.ReadValue()
		if err != nil {
			return err
		}
		if d.PeekKind() == 'n' { // a null member is an absent one
			if err := skip(d); err != nil {
				return err
			}
			continue
		}
		switch string(name) {
		case `"S"`:
			v.S, err = decodeString(d)
		case `"N"`:
			v.N, err = decodeString(d)
		case `"B"`:
			v.B, err = decodeBlob(d)
		case `"BOOL"`:
			v.BOOL, err = decodeBool(d)
		case `"NULL"`:
			v.NULL, err = decodeBool(d)
		case `"L"`:
			err = decodeList(d, func() error {
				v.L = append(v.L, AttributeValue{})
				return v.L[len(v.L)-1].UnmarshalJSONFrom(d)
			})
			if err == nil && v.L == nil {
				v.L = []AttributeValue{}
			}
		case `"M"`:
			v.M, err = decodeMap(d)
		case `"SS"`, `"NS"`:
			stringSet := name[1] == 'S' // name is only valid until the next read
			var set []string
			err = decodeList(d, func() error {
				s, err := decodeString(d)
				if s == nil { // null reads as an empty string
					s = new(string)
				}
				set = append(set, *s)
				return err
			})
			if set == nil {
				set = []string{}
			}
			if stringSet {
				v.SS = set
			} else {
				v.NS = set
			}
		case `"BS"`:
			err = decodeList(d, func() error {
				b, err := decodeBlob(d)
				v.BS = append(v.BS, b)
				return err
			})
			if err == nil && v.BS == nil {
				v.BS = [][]byte{}
			}
		default:
			err = skip(d)
		}
		if err != nil {
			return err
		}
	}
	_, err := d.ReadToken() // '}', or the syntax error
	return err
}

// decodeMap reads an M (or an item): names to values.
func decodeMap(d *jsontext.Decoder) (map[string]AttributeValue, error) {
	switch d.PeekKind() {
	case '{':
	case '[':
		return nil, serialization("Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>")
	case 0:
		return nil, skip(d)
	default:
		return nil, serialization("Unexpected field type")
	}
	if _, err := d.ReadToken(); err != nil {
		return nil, err
	}
	m := map[string]AttributeValue{}
	for d.PeekKind() == '"' {
		tok, err := d.ReadToken()
		if err != nil {
			return nil, err
		}
		name := tok.String() // before the decoder moves on
		var x AttributeValue
		if err := x.UnmarshalJSONFrom(d); err != nil {
			return nil, err
		}
		m[name] = x
	}
	_, err := d.ReadToken()
	return m, err
}

// UnmarshalJSONFrom decodes an item (a request's Item, Key or
// ExclusiveStartKey) by hand, as its values are: reflection over the map
// was a tenth of a GetItem's decoding. null leaves it nil.
func (m *Item) UnmarshalJSONFrom(d *jsontext.Decoder) error {
	if d.PeekKind() == 'n' {
		return skip(d)
	}
	item, err := decodeMap(d)
	*m = item
	return err
}

// decodeList reads an array, calling each for every element.
func decodeList(d *jsontext.Decoder, each func() error) error {
	switch d.PeekKind() {
	case '[':
	case '{':
		return serialization("Start of structure or map found where not expected")
	case 0:
		return skip(d)
	default:
		return serialization("Unexpected field type")
	}
	if _, err := d.ReadToken(); err != nil {
		return err
	}
	for k := d.PeekKind(); k != ']' && k != 0; k = d.PeekKind() {
		if err := each(); err != nil {
			return err
		}
	}
	_, err := d.ReadToken()
	return err
}

// decodeString reads a string (nil for null).
func decodeString(d *jsontext.Decoder) (*string, error) {
	switch k := d.PeekKind(); k {
	case '"':
		s, err := readString(d)
		return &s, err
	case 'n':
		return nil, skip(d)
	default:
		return nil, wrongType(d, k, "String", "class java.lang.String")
	}
}

func decodeBool(d *jsontext.Decoder) (*bool, error) {
	k := d.PeekKind()
	switch k {
	case 't', 'f':
		tok, err := d.ReadToken()
		if err != nil {
			return nil, err
		}
		b := tok.Bool()
		return &b, nil
	case '"': // Jackson takes a few spellings of a boolean in a string
		s, err := readString(d)
		if err != nil {
			return nil, err
		}
		var b bool
		switch strings.ToUpper(s) {
		case "TRUE", "1", "YES":
			b = true
		case "FALSE", "0", "NO":
		default:
			return nil, serialization("Unexpected token received from parser")
		}
		return &b, nil
	}
	return nil, wrongType(d, k, "Boolean", "class java.lang.Boolean")
}

func decodeBlob(d *jsontext.Decoder) ([]byte, error) {
	switch k := d.PeekKind(); k {
	case '"':
		s, err := readString(d)
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
	return nil, skip(d)
}

// readString reads the string the decoder is at.
func readString(d *jsontext.Decoder) (string, error) {
	tok, err := d.ReadToken()
	if err != nil {
		return "", err
	}
	return tok.String(), nil
}

// wrongType is the error for a scalar member holding another JSON kind.
func wrongType(d *jsontext.Decoder, k jsontext.Kind, want, class string) error {
	switch k {
	case 't':
		return serialization("TRUE_VALUE cannot be converted to " + want)
	case 'f':
		return serialization("FALSE_VALUE cannot be converted to " + want)
	case '0':
		raw, err := d.ReadValue()
		if err != nil {
			return err
		}
		if strings.ContainsAny(string(raw), ".eE") {
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
	return skip(d)
}

// skip reads past one value (or returns the syntax error there).
func skip(d *jsontext.Decoder) error { return d.SkipValue() }

func serialization(msg string) error { return ErrSerialization.WithMessage("%s", msg) }
