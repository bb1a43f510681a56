package awsjson

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/lakebox/lakebox/internal/awsproto/epoch"
)

// CBORContentType is the content type of the CBOR encoding of the AWS JSON
// protocols: the same operations, members and errors, with bodies in CBOR
// (RFC 8949). The AWS SDK for Java sends it to Kinesis by default, and so
// the Kinesis Client Library does.
const CBORContentType = "application/x-amz-cbor-1.1"

// Encoding is the body encoding a request arrived in; its response is
// written in the same one.
type Encoding struct {
	// ContentType is the response's content type.
	ContentType string
	cbor        bool
}

// CBOR reports whether the encoding is CBOR.
func (e Encoding) CBOR() bool { return e.cbor }

// Marshal encodes a response value: as encoding/json does, or in CBOR with
// the same member names (json struct tags), byte slices as byte strings and
// timestamps as tag 1 over epoch milliseconds (epoch.Time's MarshalCBOR).
func (e Encoding) Marshal(v any) ([]byte, error) {
	if e.cbor {
		return cborEnc.Marshal(v)
	}
	return json.Marshal(v)
}

// cborEnc encodes responses. Members are omitted exactly when
// encoding/json omits them, so both encodings carry the same members.
// Encoding modes are immutable and safe for concurrent use.
var cborEnc = mustEncMode(cbor.EncOptions{OmitEmpty: cbor.OmitEmptyGoValue})

// cborDec reads requests: strict about well-formedness, limited in depth
// and size like any request, and with every tag kept for cborToJSON to
// interpret.
var cborDec = mustDecMode(cbor.DecOptions{
	MaxNestedLevels:  32,
	MaxArrayElements: 1 << 20,
	MaxMapPairs:      1 << 20,
	DupMapKey:        cbor.DupMapKeyQuiet,
})

func mustEncMode(o cbor.EncOptions) cbor.EncMode {
	m, err := o.EncMode()
	if err != nil {
		panic(err)
	}
	return m
}

func mustDecMode(o cbor.DecOptions) cbor.DecMode {
	m, err := o.DecMode()
	if err != nil {
		panic(err)
	}
	return m
}

// cborToJSON rewrites a CBOR request body as the JSON a JSON-protocol
// client would have sent, so both encodings share one decoder and its
// validation. Byte strings become base64 strings (how JSON carries blobs)
// and tag 1 — which AWS puts over epoch milliseconds, not RFC 8949's
// seconds — becomes epoch seconds. Other tags are read through, as the
// SDKs' own CBOR parsers do.
func cborToJSON(body []byte) ([]byte, error) {
	var item cbor.RawMessage
	if err := cborDec.Unmarshal(body, &item); err != nil {
		return nil, cborError(err)
	}
	return appendJSONOf(make([]byte, 0, len(body)+len(body)/2), item)
}

func appendJSONOf(b []byte, item cbor.RawMessage) ([]byte, error) {
	switch major := item[0] >> 5; major {
	case 0, 1: // integers
		var v any
		if err := cborDec.Unmarshal(item, &v); err != nil {
			return nil, cborError(err)
		}
		switch n := v.(type) {
		case uint64:
			return strconv.AppendUint(b, n, 10), nil
		case int64:
			return strconv.AppendInt(b, n, 10), nil
		case big.Int:
			return n.Append(b, 10), nil
		case *big.Int:
			return n.Append(b, 10), nil
		}
		return nil, cborError(fmt.Errorf("unexpected integer %T", v))
	case 2: // byte string
		var v []byte
		if err := cborDec.Unmarshal(item, &v); err != nil {
			return nil, cborError(err)
		}
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, v)
		return append(b, '"'), nil
	case 3: // text string
		var v string
		if err := cborDec.Unmarshal(item, &v); err != nil {
			return nil, cborError(err)
		}
		return jsontext.AppendQuote(b, v)
	case 4: // array
		var v []cbor.RawMessage
		if err := cborDec.Unmarshal(item, &v); err != nil {
			return nil, cborError(err)
		}
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendJSONOf(b, e); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case 5: // map
		var v map[string]cbor.RawMessage
		if err := cborDec.Unmarshal(item, &v); err != nil {
			return nil, cborError(err)
		}
		b = append(b, '{')
		for i, k := range slices.Sorted(maps.Keys(v)) {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = jsontext.AppendQuote(b, k); err != nil {
				return nil, cborError(err)
			}
			b = append(b, ':')
			if b, err = appendJSONOf(b, v[k]); err != nil {
				return nil, err
			}
		}
		return append(b, '}'), nil
	case 6: // tag
		var tag cbor.RawTag
		if err := cborDec.Unmarshal(item, &tag); err != nil {
			return nil, cborError(err)
		}
		if tag.Number == 1 {
			return appendTimestamp(b, tag.Content)
		}
		return appendJSONOf(b, tag.Content)
	default: // floats and simple values
		var v any
		if err := cborDec.Unmarshal(item, &v); err != nil {
			return nil, cborError(err)
		}
		switch x := v.(type) {
		case nil:
			return append(b, "null"...), nil
		case bool:
			return strconv.AppendBool(b, x), nil
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, cborError(errors.New("NaN and infinity are not numbers here"))
			}
			return strconv.AppendFloat(b, x, 'g', -1, 64), nil
		}
		return nil, cborError(fmt.Errorf("unexpected simple value %v", v))
	}
}

// appendTimestamp writes the epoch milliseconds under a tag 1 as the JSON
// protocols' epoch seconds.
func appendTimestamp(b []byte, content cbor.RawMessage) ([]byte, error) {
	var v any
	if err := cborDec.Unmarshal(content, &v); err != nil {
		return nil, cborError(err)
	}
	var ms float64
	switch x := v.(type) {
	case uint64:
		ms = float64(x)
	case int64:
		ms = float64(x)
	case float64:
		ms = x
	default:
		return nil, SerializationError("A timestamp (tag 1) must hold a number of epoch milliseconds")
	}
	if !(math.Abs(ms) < 1e16) { // NaN too
		return nil, SerializationError("A timestamp (tag 1) is out of range")
	}
	return epoch.New(time.UnixMilli(int64(math.Round(ms)))).AppendJSON(b), nil
}

func cborError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "cbor: ")
	return SerializationError("Invalid CBOR in request body: " + msg)
}

// jsonToCBOR re-encodes a JSON value in CBOR, for the raw JSON members some
// errors carry.
func jsonToCBOR(raw []byte) ([]byte, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return cborEnc.Marshal(numbersOf(v))
}

// numbersOf turns json.Numbers into integers where they are whole, floats
// otherwise.
func numbersOf(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = numbersOf(e)
		}
	case []any:
		for i, e := range x {
			x[i] = numbersOf(e)
		}
	}
	return v
}
