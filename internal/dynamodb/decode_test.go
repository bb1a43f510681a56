package dynamodb

import (
	"encoding/base64"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

func TestDecodeAttributeValue(t *testing.T) {
	s, n, yes, no := "a\"é", "1.5", true, false
	for _, tc := range []struct {
		in   string
		want AttributeValue
	}{
		{`{"S":"a\"\u00e9"}`, AttributeValue{S: &s}},
		{`{"N":"1.5"}`, AttributeValue{N: &n}},
		{`{"B":"AAE="}`, AttributeValue{B: []byte{0, 1}}},
		{`{"BOOL":true}`, AttributeValue{BOOL: &yes}},
		{`{"BOOL":"no"}`, AttributeValue{BOOL: &no}},
		{`{"NULL":"TRUE"}`, AttributeValue{NULL: &yes}},
		{`{"L":[]}`, AttributeValue{L: []AttributeValue{}}},
		{`{"L":[{"S":"a\"é"},{"L":[]}]}`, AttributeValue{L: []AttributeValue{{S: &s}, {L: []AttributeValue{}}}}},
		{`{"M":{}}`, AttributeValue{M: Item{}}},
		{`{"M":{"x":{"N":"1.5"}}}`, AttributeValue{M: Item{"x": {N: &n}}}},
		{`{"SS":["p","q"]}`, AttributeValue{SS: []string{"p", "q"}}},
		{`{"NS":[]}`, AttributeValue{NS: []string{}}},
		{`{"BS":["CQ=="]}`, AttributeValue{BS: [][]byte{{9}}}},
		{`{"S":null,"N":"1.5"}`, AttributeValue{N: &n}},          // null is absent
		{`{"X":[1,{"y":2}],"N":"1.5"}`, AttributeValue{N: &n}},   // unknown members are skipped
		{`{"S":"a\"é","N":"1.5"}`, AttributeValue{S: &s, N: &n}}, // check refuses two types
		{`null`, AttributeValue{}},
	} {
		var got AttributeValue
		if err := jsonv2.Unmarshal([]byte(tc.in), &got); err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

// A member of the wrong JSON type gets DynamoDB's SerializationException.
func TestDecodeAttributeValueErrors(t *testing.T) {
	for in, want := range map[string]string{
		`{"S":5}`:          "NUMBER_VALUE cannot be converted to String",
		`{"N":1.5}`:        "DECIMAL_VALUE cannot be converted to String",
		`{"S":true}`:       "TRUE_VALUE cannot be converted to String",
		`{"S":{}}`:         "Start of structure or map found where not expected",
		`{"S":["a"]}`:      "Unrecognized collection type class java.lang.String",
		`{"BOOL":1}`:       "NUMBER_VALUE cannot be converted to Boolean",
		`{"BOOL":"maybe"}`: "Unexpected token received from parser",
		`{"B":"abc"}`:      "Base64 encoded length is expected a multiple of 4 bytes but found: 3",
		`{"B":"ab=c"}`:     "Invalid last non-pad Base64 character dectected",
		`{"B":5}`:          "only base-64-encoded strings are convertible to bytes",
		`{"L":"x"}`:        "Unexpected field type",
		`{"SS":{}}`:        "Start of structure or map found where not expected",
		`{"M":[]}`:         "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>",
		`{"M":"x"}`:        "Unexpected field type",
		`"x"`:              "Unexpected value type in payload",
		`[]`:               "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue",
		`{"L":[5]}`:        "Unexpected value type in payload",
	} {
		var v AttributeValue
		err := jsonv2.Unmarshal([]byte(in), &v)
		var ae *awserr.Error
		if !errors.As(err, &ae) || ae.Code != "SerializationException" || ae.Message != want {
			t.Errorf("%s: got %v, want SerializationException %q", in, err, want)
		}
	}
	for _, in := range []string{`{"S":"a"`, `{"L":[{"S":"a"}`, `{"M":{"a":}}`, `{"S" "a"}`} {
		var v AttributeValue
		if err := jsonv2.Unmarshal([]byte(in), &v); err == nil {
			t.Errorf("%s: decoded", in)
		}
	}
}

// Whatever the decoder accepts, appendItem writes back in a form that
// decodes to the same item; read as a stored item, any input decodes as a
// request's would, or fails.
func FuzzDecodeItem(f *testing.F) {
	for _, s := range []string{
		`{"a":{"S":"x"},"b":{"L":[{"N":"1"},{"M":{"c":{"BS":["AA=="]}}}]}}`,
		`{"a":{"SS":["x","y"]},"n":{"NULL":true},"t":{"BOOL":"yes"}}`,
		`{"a":{"B":"AAE="},"x":null}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		// The stored-item parser meets bytes jsontext has not read first
		// only if storage was damaged; it must still answer.
		stored, storedErr := decodeItem([]byte(src))
		var item Item
		err := jsonv2.Unmarshal([]byte(src), &item)
		var generic any
		if jsonv2.Unmarshal([]byte(src), &generic) == nil && generic != nil {
			want, ok := oracleItem(generic)
			switch {
			case ok != (err == nil):
				t.Fatalf("%s: the model's rules decode it %v, the parser %v", src, ok, err)
			case ok && !reflect.DeepEqual(item, want):
				t.Fatalf("%s: the model's rules give %#v, the parser %#v", src, want, item)
			}
		}
		if err != nil {
			return
		}
		if storedErr == nil && !reflect.DeepEqual(stored, item) {
			t.Fatalf("%s: as stored %#v, as requested %#v", src, stored, item)
		}
		if checkItem(item) != nil {
			return
		}
		out := appendItem(nil, item)
		again, err := decodeItem(out)
		if err != nil {
			t.Fatalf("%s: its encoding %s does not decode: %v", src, out, err)
		}
		if !reflect.DeepEqual(appendItem(nil, again), out) {
			t.Fatalf("%s: %s decodes differently", src, out)
		}
	})
}

// oracleItem decodes an item from json/v2's generic decoding of it by the
// rules the parser implements, written out plainly: the independent answer
// FuzzDecodeItem holds the parser to. It reports false for an item the
// parser must refuse.
func oracleItem(v any) (Item, bool) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	item := Item{}
	for name, x := range obj {
		var av AttributeValue
		if !oracleValue(x, &av) {
			return nil, false
		}
		item[name] = av
	}
	return item, true
}

func oracleValue(v any, av *AttributeValue) bool {
	if v == nil {
		return true
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return false
	}
	for member, x := range obj {
		if x == nil {
			continue
		}
		switch member {
		case "S", "N":
			s, ok := x.(string)
			if !ok {
				return false
			}
			if member == "S" {
				av.S = &s
			} else {
				av.N = &s
			}
		case "B":
			if av.B, ok = oracleBlob(x); !ok {
				return false
			}
		case "BOOL", "NULL":
			var b bool
			switch x := x.(type) {
			case bool:
				b = x
			case string:
				switch strings.ToUpper(x) {
				case "TRUE", "1", "YES":
					b = true
				case "FALSE", "0", "NO":
				default:
					return false
				}
			default:
				return false
			}
			if member == "BOOL" {
				av.BOOL = &b
			} else {
				av.NULL = &b
			}
		case "L":
			list, ok := x.([]any)
			if !ok {
				return false
			}
			av.L = make([]AttributeValue, len(list))
			for i, e := range list {
				if !oracleValue(e, &av.L[i]) {
					return false
				}
			}
		case "M":
			if av.M, ok = oracleItem(x); !ok {
				return false
			}
		case "SS", "NS":
			list, ok := x.([]any)
			if !ok {
				return false
			}
			set := make([]string, len(list))
			for i, e := range list {
				if set[i], ok = e.(string); !ok && e != nil {
					return false
				}
			}
			if member == "SS" {
				av.SS = set
			} else {
				av.NS = set
			}
		case "BS":
			list, ok := x.([]any)
			if !ok {
				return false
			}
			av.BS = make([][]byte, len(list))
			for i, e := range list {
				if e == nil {
					continue
				}
				if av.BS[i], ok = oracleBlob(e); !ok {
					return false
				}
			}
		}
	}
	return true
}

func oracleBlob(v any) ([]byte, bool) {
	s, ok := v.(string)
	if !ok || len(s)%4 != 0 {
		return nil, false
	}
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	return b, err == nil
}

// BenchmarkDecodePutItem decodes bench/dynamodbbench's PutItem request.
func BenchmarkDecodePutItem(b *testing.B) {
	body := []byte(`{"Item":` + benchPutItem + `,"TableName":"bench"}`)
	opts := jsonv1.DefaultOptionsV1()
	b.ReportAllocs()
	for b.Loop() {
		var in PutItemInput
		if err := jsonv2.Unmarshal(body, &in, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// benchPutItem is the item of bench/dynamodbbench's PutItem.
const benchPutItem = `{"customer_id":{"S":"customer-000042"},"date":{"S":"2026-11-22"},"profile":{"M":{"since":{"N":"2019"},"tier":{"S":"gold"}}},` +
	`"status":{"S":"active"},"tags":{"SS":["web","promo"]},"total_spend":{"N":"123.45"}}`

func BenchmarkCheckPutItem(b *testing.B) {
	item, err := decodeItem([]byte(benchPutItem))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := checkItem(item); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodePutItem(b *testing.B) {
	item, err := decodeItem([]byte(benchPutItem))
	if err != nil {
		b.Fatal(err)
	}
	buf := appendItem(nil, item)
	if string(buf) != benchPutItem {
		b.Fatalf("stored as %s", buf)
	}
	b.ReportAllocs()
	for b.Loop() {
		buf = appendItem(buf[:0], item)
	}
}

// checkItem canonicalizes numbers at any depth, stores back what it
// changed, and finds duplicate set members in small and large sets alike.
func TestCheckItem(t *testing.T) {
	ten := func(last string) string {
		var b strings.Builder
		for i := range 9 {
			fmt.Fprintf(&b, `"%c",`, 'a'+i)
		}
		return b.String() + `"` + last + `"`
	}
	for _, c := range []struct{ in, want, err string }{
		{in: `{"n":{"N":"1.50"},"l":{"L":[{"N":"007"},{"M":{"x":{"N":"-0"}}}]},"m":{"M":{"y":{"N":"2.0"},"z":{"N":"3"}}}}`,
			want: `{"l":{"L":[{"N":"7"},{"M":{"x":{"N":"0"}}}]},"m":{"M":{"y":{"N":"2"},"z":{"N":"3"}}},"n":{"N":"1.5"}}`},
		{in: `{"ns":{"NS":["1.0","02","3"]}}`, want: `{"ns":{"NS":["1","2","3"]}}`},
		{in: `{"ss":{"SS":[` + ten("j") + `]}}`, want: `{"ss":{"SS":[` + ten("j") + `]}}`},
		{in: `{"ss":{"SS":["a","b","a"]}}`, err: "Input collection [a, b, a] contains duplicates."},
		{in: `{"ss":{"SS":[` + ten("c") + `]}}`, err: "contains duplicates"},
		{in: `{"ns":{"NS":["1","1.0"]}}`, err: "Input collection contains duplicates"},
		{in: `{"bs":{"BS":["AQ==","Ag==","AQ=="]}}`, err: "One or more parameter values were invalid: Input collection [AQ==, Ag==, AQ==]of type BS contains duplicates."},
		{in: `{"bs":{"BS":["AA==","AQ==","Ag==","Aw==","BA==","BQ==","Bg==","Bw==","CA==","Bw=="]}}`, err: "of type BS contains duplicates."},
		{in: `{"bs":{"BS":["AA==","AQ==","Ag==","Aw==","BA==","BQ==","Bg==","Bw==","CA==","CQ=="]}}`,
			want: `{"bs":{"BS":["AA==","AQ==","Ag==","Aw==","BA==","BQ==","Bg==","Bw==","CA==","CQ=="]}}`},
		{in: `{"a":{"N":"x"},"":{"S":"y"}}`, err: "An AttributeValue may not contain an empty attribute name"},
		{in: `{"m":{"M":{"n":{"N":"1e126"}}}}`, err: "Number overflow"},
		{in: `{"x":{}}`, err: "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
		{in: `{"l":{"L":[{"S":"a","N":"1"}]}}`, err: "Supplied AttributeValue has more than one datatypes set"},
	} {
		item, err := decodeItem([]byte(c.in))
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		err = checkItem(item)
		switch {
		case c.err != "":
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want %q", c.in, err, c.err)
			}
		case err != nil:
			t.Errorf("%s: %v", c.in, err)
		default:
			if got := string(appendItem(nil, item)); got != c.want {
				t.Errorf("%s:\n got %s\nwant %s", c.in, got, c.want)
			}
		}
	}
}

// A stored item that is not what Lakebox wrote fails to decode; it never
// decodes as something else.
func TestDecodeItemMalformed(t *testing.T) {
	for _, in := range []string{
		`{"pk":{"BOOL":tx}}`, `{"pk":{"N":"1","x":12a}}`, `{"pk":{"S":"a\qb"}}`, "{\"pk\":{\"S\":\"a\nb\"}}", `{"pk":{"S":"a"}`,
		`{"pk":{"S":"a"}} {}`, `{"pk":{"L":[{"S":"a"},]}}`, `{"pk" {"S":"a"}}`, `{"pk":{"S":"a","u":1}}`,
		strings.Repeat(`{"a":{"M":`, maxDepth/2+1) + `{}` + strings.Repeat(`}}`, maxDepth/2+1), // well-formed, too deep
	} {
		if item, err := decodeItem([]byte(in)); err == nil {
			t.Errorf("%.40s: decoded as %v", in, item)
		}
	}
}

// The strings a large input's values keep are copied out of it, so that
// a value kept does not keep the input alive.
func TestDecodeLargeInputCopies(t *testing.T) {
	for _, size := range []int{100, maxSharedInput + 1} {
		in := `{"pk":{"S":"k","unknown":"` + strings.Repeat("x", size) + `"}}`
		p := newValueParser([]byte(in))
		item, err := p.item()
		if err != nil {
			t.Fatal(err)
		}
		kept, start := uintptr(unsafe.Pointer(unsafe.StringData(*item["pk"].S))), uintptr(unsafe.Pointer(unsafe.StringData(p.s)))
		shared := kept >= start && kept < start+uintptr(len(p.s))
		if want := size <= maxSharedInput; shared != want {
			t.Errorf("input of %d bytes: value shares the input %v, want %v", len(in), shared, want)
		}
	}
}

// An expression given empty is refused as DynamoDB refuses it, naming the
// member, wherever the member is; one not given (or null) is "".
func TestEmptyExpression(t *testing.T) {
	opts := jsonv1.DefaultOptionsV1()
	for _, c := range []struct {
		in   any
		body string
		err  string
	}{
		{&PutItemInput{}, `{"TableName":"t","Item":{},"ConditionExpression":""}`, "Invalid ConditionExpression: The expression can not be empty;"},
		{&UpdateItemInput{}, `{"UpdateExpression":"","TableName":"t"}`, "Invalid UpdateExpression: The expression can not be empty;"},
		{&QueryInput{}, `{"KeyConditionExpression":"a = :a","FilterExpression":""}`, "Invalid FilterExpression: The expression can not be empty;"},
		{&QueryInput{}, `{"ProjectionExpression":""}`, "Invalid ProjectionExpression: The expression can not be empty;"},
		{&QueryInput{}, `{"KeyConditionExpression":""}`, "Invalid KeyConditionExpression: The expression can not be empty;"},
		{&TransactWriteItemsInput{}, `{"TransactItems":[{"Put":{"TableName":"t","Item":{}}},{"Update":{"TableName":"t","Key":{},"UpdateExpression":"SET a = :a","ConditionExpression":""}}]}`,
			"Invalid ConditionExpression: The expression can not be empty;"},
		{&PutItemInput{}, `{"ConditionExpression":null}`, ""},
		{&PutItemInput{}, `{"ConditionExpression":"attribute_exists(a)"}`, ""},
	} {
		err := jsonv2.Unmarshal([]byte(c.body), c.in, opts)
		if c.err == "" {
			if err != nil {
				t.Errorf("%s: %v", c.body, err)
			}
			continue
		}
		var ae *awserr.Error
		if !errors.As(err, &ae) || ae.Code != "ValidationException" || ae.Message != c.err {
			t.Errorf("%s: %v; want ValidationException: %s", c.body, err, c.err)
		}
	}
	var in PutItemInput
	if err := jsonv2.Unmarshal([]byte(`{"ConditionExpression":"attribute_exists(a)"}`), &in, opts); err != nil || in.ConditionExpression != "attribute_exists(a)" {
		t.Errorf("decoded %q, %v", in.ConditionExpression, err)
	}
	var typeErr *jsonv1.UnmarshalTypeError
	if err := jsonv2.Unmarshal([]byte(`{"ConditionExpression":5}`), &in, opts); !errors.As(err, &typeErr) {
		t.Errorf("a number for an expression: %v", err)
	}
}
