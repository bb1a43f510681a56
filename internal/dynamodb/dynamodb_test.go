package dynamodb

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

func TestNumbers(t *testing.T) {
	for in, want := range map[string]string{
		"1":                                      "1",
		"1.50":                                   "1.5",
		"0100":                                   "100",
		"1E2":                                    "100",
		"-0":                                     "0",
		"0.000":                                  "0",
		"+7":                                     "7",
		"1.5E+3":                                 "1500",
		"1e-130":                                 "0." + strings.Repeat("0", 129) + "1",
		"-1.23e-5":                               "-0.0000123",
		"99999999999999999999999999999999999999": "99999999999999999999999999999999999999",
		"-0.05":                                  "-0.05",
		"-0.0":                                   "0",
		"10.10":                                  "10.1",
		"0.0000000000000000000000000000000000001":  "0.0000000000000000000000000000000000001", // 39 digits: apd's path
		"1234567890123456789012345678901234567800": "1234567890123456789012345678901234567800",
	} {
		got, err := canonicalNumber(in)
		if err != nil || got != want {
			t.Errorf("canonicalNumber(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", " ", "abc", "1e", "NaN", "Infinity", "1e126", "1e-131", "123456789012345678901234567890123456789", "0x10",
		" 7", "7 ", "7\n", "1 2", "1+2", "1.2.3", "+e2"} {
		if _, err := canonicalNumber(bad); err == nil {
			t.Errorf("canonicalNumber(%q) succeeded", bad)
		}
	}
	if got, err := addNumbers("0.1", "0.2", false); err != nil || got != "0.3" {
		t.Errorf("0.1 + 0.2 = %q, %v", got, err)
	}
	if got, err := addNumbers("99999999999999999999999999999999999999", "1", false); err != nil || got != "1"+strings.Repeat("0", 38) {
		t.Errorf("(1E38 - 1) + 1 = %q, %v", got, err)
	}
	if got, err := addNumbers("1", "1.000000000000000000000000000000000000001", true); err == nil {
		t.Errorf("an inexact subtraction gave %q", got)
	}
}

// A number isCanonicalNumber passes is one apd parses, finds within
// DynamoDB's limits and writes back unchanged.
func FuzzCanonicalNumber(f *testing.F) {
	for _, s := range []string{"0", "-0", "7", "-7", "0.5", "-0.05", "0.50", "10", "100.25", "007", "1.", ".5", "+1", "1e2",
		"12345678901234567890123456789012345678", "123456789012345678901234567890123456789", "1234567890123456789012345678901234567.8",
		"0.0000000000000000000000000000000000001", "0.00000000000000000000000000000000000001", " 1", "1 ", "--1", "1.2.3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !isCanonicalNumber(s) {
			return
		}
		d, err := parseNumber(s)
		if err != nil {
			t.Fatalf("isCanonicalNumber(%q), but parseNumber: %v", s, err)
		}
		if got := formatNumber(d); got != s {
			t.Fatalf("isCanonicalNumber(%q), but it formats as %q", s, got)
		}
	})
}

// Key encodings compare as the numbers do.
func TestNumberKeyOrder(t *testing.T) {
	nums := []string{"0", "1", "-1", "10", "9.99", "-10", "-9.99", "0.001", "-0.001", "1e125", "-1e125", "1e-130", "-1e-130",
		"12345678901234567890123456789012345678", "12345678901234567890123456789012345679", "0.12", "0.123", "-0.12", "-0.123", "100", "99"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		nums = append(nums, strings.TrimRight(strings.TrimRight(
			[]string{"", "-"}[r.IntN(2)]+string(rune('1'+r.IntN(9)))+strings.Repeat("0", r.IntN(5))+"."+string(rune('0'+r.IntN(10))), "0"), "."))
	}
	sort.Slice(nums, func(i, j int) bool { return compareNumbers(nums[i], nums[j]) < 0 })
	for i := 1; i < len(nums); i++ {
		a, b := appendNumberKey(nil, nums[i-1]), appendNumberKey(nil, nums[i])
		c := compareNumbers(nums[i-1], nums[i])
		if got := bytes.Compare(a, b); got != c {
			t.Fatalf("%s vs %s: keys compare %d, numbers %d", nums[i-1], nums[i], got, c)
		}
	}
}

// String keys keep their order and stay prefix-free with zero bytes.
func TestKeyParts(t *testing.T) {
	s := func(x string) *AttributeValue { return &AttributeValue{S: &x} }
	vals := []string{"", "\x00", "\x00\x00", "\x00a", "a", "a\x00", "a\x00b", "ab", "b"}
	for i := 1; i < len(vals); i++ {
		a, b := appendKeyPart(nil, s(vals[i-1])), appendKeyPart(nil, s(vals[i]))
		if bytes.Compare(a, b) >= 0 || bytes.HasPrefix(b, a) {
			t.Errorf("%q !< %q as keys", vals[i-1], vals[i])
		}
	}
}

func TestExpressions(t *testing.T) {
	v := func(x string) AttributeValue { return AttributeValue{S: &x} }
	n := func(x string) AttributeValue { return AttributeValue{N: &x} }
	item := Item{"a": n("5"), "s": v("hello"), "m": {M: map[string]AttributeValue{"l": {L: []AttributeValue{n("1"), v("x")}}}}, "ss": {SS: []string{"p", "q"}}}
	values := map[string]AttributeValue{":five": n("5.0"), ":h": v("he"), ":x": v("x"), ":p": v("p"), ":t": v("SS"), ":one": n("1"), ":two": n("2")}
	for src, want := range map[string]bool{
		"a = :five":                            true,
		"a <> :five":                           false,
		"a BETWEEN :one AND :five":             true,
		"begins_with(s, :h)":                   true,
		"contains(ss, :p) AND contains(s, :h)": true,
		"m.l[1] = :x":                          true,
		"m.l[0] IN (:two, :one)":               true,
		"attribute_exists(m.l[1]) AND attribute_not_exists(m.l[2])": true,
		"attribute_type(ss, :t)":                                    true,
		"size(s) > :two OR a < :one":                                true,
		"NOT (a = :five)":                                           false,
		"nope = :x":                                                 false,
		"nope <> :x":                                                true,
		"(a = :one OR a = :five) AND s = :h":                        false,
	} {
		env := newEnv(map[string]string{}, values)
		c, err := parseCondition("ConditionExpression", src, env)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		got, err := evaluate(c, item)
		if err != nil || got != want {
			t.Errorf("%s = %v, %v; want %v", src, got, err, want)
		}
	}
	for src, msg := range map[string]string{
		"a = = :x":       `Syntax error; token: "="`,
		"a = :missing":   "An expression attribute value used in expression is not defined; attribute value: :missing",
		"#n = :x":        "An expression attribute name used in the document path is not defined; attribute name: #n",
		"name = :x":      "Attribute name is a reserved keyword; reserved keyword: name",
		"nofunc(a)":      "Invalid function name; function: nofunc",
		"begins_with(a)": "Incorrect number of operands",
		"a = :x AND":     `token: "<EOF>"`,
		"":               "The expression can not be empty;",
		"a $ b":          "Syntax error",
	} {
		_, err := parseCondition("ConditionExpression", src, newEnv(nil, values))
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("parse %q: %v, want %q", src, err, msg)
		}
	}
}

func TestUpdates(t *testing.T) {
	n := func(x string) AttributeValue { return AttributeValue{N: &x} }
	s := func(x string) AttributeValue { return AttributeValue{S: &x} }
	values := map[string]AttributeValue{":one": n("1"), ":ten": n("10"), ":l": {L: []AttributeValue{s("z")}}, ":ss": {SS: []string{"b", "c"}}, ":rm": {SS: []string{"a"}}, ":x": s("x")}
	item := Item{"id": s("k"), "c": n("1"), "l": {L: []AttributeValue{s("x"), s("y")}}, "tags": {SS: []string{"a"}}, "m": {M: map[string]AttributeValue{}}}
	u, err := parseUpdate("SET c = c + :ten, l = list_append(l, :l), m.k = :x, d = if_not_exists(d, :one) REMOVE l[0] ADD tags :ss, n :one DELETE tags :rm", newEnv(nil, values))
	if err == nil {
		t.Fatalf("overlapping paths l and l[0] accepted")
	}
	u, err = parseUpdate("SET c = c + :ten, l = list_append(l, :l), m.k = :x, d = if_not_exists(d, :one) ADD tags :ss, n :one", newEnv(nil, values))
	if err != nil {
		t.Fatal(err)
	}
	out, err := apply(u, item)
	if err != nil {
		t.Fatal(err)
	}
	if *out["c"].N != "11" || len(out["l"].L) != 3 || *out["m"].M["k"].S != "x" || *out["d"].N != "1" || len(out["tags"].SS) != 3 || *out["n"].N != "1" {
		t.Fatalf("apply: %+v", out)
	}
	if *item["c"].N != "1" {
		t.Fatal("apply changed its input")
	}
	u, _ = parseUpdate("REMOVE l[0], c DELETE tags :rm", newEnv(nil, values))
	out, _ = apply(u, item)
	if _, ok := out["c"]; ok || len(out["l"].L) != 1 || *out["l"].L[0].S != "y" {
		t.Fatalf("remove: %+v", out)
	}
	if _, ok := out["tags"]; ok {
		t.Fatal("a set emptied by DELETE is kept")
	}
	for src, msg := range map[string]string{
		"SET a = :x SET b = :x": `The "SET" section can only be used once`,
		"ADD s :x":              "operator: ADD, operand type: STRING",
		"SET a.b = :x":          "",
	} {
		u, err := parseUpdate(src, newEnv(nil, values))
		if err == nil {
			_, err = apply(u, item)
		}
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: %v, want %q", src, err, msg)
		}
	}
}

func FuzzExpressions(f *testing.F) {
	for _, s := range []string{"a = :v", "SET a = a + :v REMOVE b[2]", "attribute_exists(#n.c[1])", "(a BETWEEN :v AND :v) OR NOT a IN (:v)", "a.b.c, d[0]",
		"SET l = list_append(l, :l), m.k = if_not_exists(m.k, :s) REMOVE m.n, ss", "ADD ss :ss, ns :ns DELETE bs :bs", "SET a = :big + :big, #l[5] = :tiny - a",
		"size(l) > :v AND contains(ss, :s) AND begins_with(s, :s) AND attribute_type(m, :s)", "m.l[0].x[1], l[2].k, #m.n"} {
		f.Add(s)
	}
	str := func(s string) AttributeValue { return AttributeValue{S: &s} }
	num := func(s string) AttributeValue { return AttributeValue{N: &s} }
	yes := true
	// Fresh for every input: an update may change what it is given.
	values := func() map[string]AttributeValue {
		return map[string]AttributeValue{":v": num("1"), ":s": str("S"), ":l": {L: []AttributeValue{num("1"), str("x")}},
			":m": {M: map[string]AttributeValue{"k": str("v")}}, ":ss": {SS: []string{"a", "b"}}, ":ns": {NS: []string{"1", "2"}},
			":bs": {BS: [][]byte{{1}}}, ":b": {B: []byte{1}}, ":t": {BOOL: &yes}, ":z": {NULL: &yes},
			":big": num("9.9999999999999999999999999999999999999E+125"), ":tiny": num("-1E-130")}
	}
	item := func() Item {
		return Item{"a": num("1"), "s": str("str"), "b": {B: []byte{0, 1}}, "t": {BOOL: &yes}, "z": {NULL: &yes},
			"l":  {L: []AttributeValue{num("1"), str("x"), {M: map[string]AttributeValue{"k": {L: []AttributeValue{num("2")}}}}}},
			"m":  {M: map[string]AttributeValue{"k": str("v"), "n": num("2"), "l": {L: []AttributeValue{}}}},
			"ss": {SS: []string{"a", "b"}}, "ns": {NS: []string{"1", "2"}}, "bs": {BS: [][]byte{{1}, {2}}}}
	}
	names := map[string]string{"#n": "a", "#l": "l", "#m": "m"}
	f.Fuzz(func(t *testing.T, src string) {
		if c, err := parseCondition("ConditionExpression", src, newEnv(names, values())); err == nil {
			evaluate(c, item())
		}
		if u, err := parseUpdate(src, newEnv(names, values())); err == nil {
			// What an update makes is an item PutItem would accept.
			if next, err := apply(u, item()); err == nil {
				if err := checkItem(cloneItem(next)); err != nil {
					t.Fatalf("%q made an invalid item: %v\n%s", src, err, appendItem(nil, next))
				}
			}
		}
		if p, err := parseProjection(src, newEnv(names, values())); err == nil {
			project(item(), p)
		}
	})
}

// The hand-written responses are the JSON encoding/json would write.
func TestAppendJSON(t *testing.T) {
	s, n, yes := "a\"b\u2028<", "1.5", true
	item := Item{"s": {S: &s}, "n": {N: &n}, "b": {B: []byte{0, 1}}, "ok": {BOOL: &yes}, "null": {NULL: &yes},
		"l": {L: []AttributeValue{{S: &s}, {L: []AttributeValue{}}}}, "m": {M: map[string]AttributeValue{"x": {N: &n}}},
		"ss": {SS: []string{"p"}}, "ns": {NS: []string{"2"}}, "bs": {BS: [][]byte{{9}}}}
	units := 1.5
	for _, out := range []interface{ AppendJSON([]byte) []byte }{
		&GetItemOutput{}, &GetItemOutput{Item: appendItem(nil, item), ConsumedCapacity: &ConsumedCapacity{TableName: "t", CapacityUnits: units}},
		&ItemOutput{}, &ItemOutput{Attributes: item},
		&QueryOutput{}, &QueryOutput{Items: []RawItem{appendItem(nil, item), appendItem(nil, Item{})}, Count: 2, ScannedCount: 3, LastEvaluatedKey: Item{"s": {S: &s}}},
	} {
		got := out.AppendJSON(nil)
		want, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		var a, b any
		if err := json.Unmarshal(got, &a); err != nil {
			t.Fatalf("%T: %s is not JSON: %v", out, got, err)
		}
		json.Unmarshal(want, &b)
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Errorf("%T:\n got %s\nwant %s", out, got, want)
		}
	}
}

func TestNumberSize(t *testing.T) {
	for s, want := range map[string]int{
		"0": 1, "1": 2, "10": 2, "100": 2, "1000000": 2, "11": 2, "12": 2, "123": 3, "1234": 3,
		"1.2": 3, "1.05": 3, "12.5": 3, "0.1": 2, "0.01": 2, "0.0012": 2,
		"-5": 3, "-10.5": 4, "-0.000123": 4, "99999999999999999999999999999999999999": 20,
	} {
		if got := numberSize(s); got != want {
			t.Errorf("numberSize(%s) = %d, want %d", s, got, want)
		}
		if got := numberSize([]byte(s)); got != want {
			t.Errorf("numberSize([]byte(%s)) = %d, want %d", s, got, want)
		}
	}
}

// rawItemSize reads the size of a stored item as itemSize counts it
// from the decoded item, and never panics on other input.
func FuzzItemSize(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":{"S":"x"}}`, `{"n":{"N":"-0012.50"},"z":{"N":"0"}}`, `{"b":{"B":"AAE="},"bs":{"BS":["AQ==","AgM="]}}`,
		`{"t":{"BOOL":false},"u":{"NULL":true}}`, `{"l":{"L":[{"S":"é"},{"L":[]},{"M":{}}]},"m":{"M":{"k":{"SS":["a","\u00e9\"\n"]}}}}`,
		`{"ns":{"NS":["1","2.5","-3"]},"\u2028\\":{"S":"\ud83d\ude00 \\ \t"}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		rawItemSize(in)
		item, err := decodeItem(in)
		if err != nil || checkItem(item) != nil {
			return
		}
		stored := appendItem(nil, item)
		got, ok := rawItemSize(stored)
		if want := itemSize(item); !ok || got != want {
			t.Fatalf("rawItemSize(%s) = %d, %v; itemSize %d", stored, got, ok, want)
		}
	})
}

// UpdateTimeToLive needs Enabled: a specification without it does not
// turn expiry off.
func TestTimeToLiveEnabledRequired(t *testing.T) {
	s, _, _ := newService(t)
	do(t, s.CreateTable, `{"TableName":"ttl","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`)
	do(t, s.UpdateTimeToLive, `{"TableName":"ttl","TimeToLiveSpecification":{"AttributeName":"exp","Enabled":true}}`)
	in := &UpdateTimeToLiveInput{}
	if err := json.Unmarshal([]byte(`{"TableName":"ttl","TimeToLiveSpecification":{"AttributeName":"exp"}}`), in); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateTimeToLive(context.Background(), in); err == nil || !strings.Contains(err.Error(), "timeToLiveSpecification.enabled") {
		t.Fatalf("UpdateTimeToLive without Enabled: %v", err)
	}
	out := do(t, s.DescribeTimeToLive, `{"TableName":"ttl"}`)
	if out.TimeToLiveDescription.TimeToLiveStatus != "ENABLED" {
		t.Fatalf("after the refused request: %+v", out.TimeToLiveDescription)
	}
}

// refused decodes request as f's input, calls f and returns its error's
// message ("" for none).
func refused[In, Out any](t *testing.T, f func(context.Context, *In) (*Out, error), request string) string {
	t.Helper()
	err := refusal(t, f, request)
	if e, ok := awserr.As(err); ok {
		return e.Message
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// refusal decodes request as f's input, calls f and returns its error; a
// request the decoder refuses is that refusal.
func refusal[In, Out any](t *testing.T, f func(context.Context, *In) (*Out, error), request string) error {
	t.Helper()
	in := new(In)
	if err := jsonv2.Unmarshal([]byte(request), in, jsonv1.DefaultOptionsV1()); err != nil {
		if _, ok := awserr.As(err); ok {
			return err
		}
		t.Fatal(err)
	}
	_, err := f(context.Background(), in)
	return err
}

// Requests DynamoDB refuses get its words: the cases a comparison with
// dynalite (which copies DynamoDB's messages) found Lakebox answering
// otherwise.
func TestRefusedRequests(t *testing.T) {
	s, _, _ := newService(t)
	do(t, s.CreateTable, `{"TableName":"orders","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}],"BillingMode":"PAY_PER_REQUEST"}`)
	do(t, s.CreateTable, `{"TableName":"flat","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`)
	for _, c := range []struct {
		got, want string
	}{
		{refused(t, s.Query, `{"TableName":"orders","KeyConditionExpression":"pk = :p AND v = :v","ExpressionAttributeValues":{":p":{"S":"a"},":v":{"S":"b"}}}`),
			"Query condition missed key schema element: sk"},
		{refused(t, s.Query, `{"TableName":"orders","KeyConditionExpression":"v = :v AND sk = :s","ExpressionAttributeValues":{":s":{"N":"1"},":v":{"S":"b"}}}`),
			"Query condition missed key schema element: pk"},
		{refused(t, s.Query, `{"TableName":"flat","KeyConditionExpression":"pk = :p AND v = :v","ExpressionAttributeValues":{":p":{"S":"a"},":v":{"S":"b"}}}`),
			"Query key condition not supported"},
		{refused(t, s.Scan, `{"TableName":"orders","TotalSegments":2}`),
			"The Segment parameter is required but was not present in the request when parameter TotalSegments is present"},
		{refused(t, s.Scan, `{"TableName":"orders","Segment":0}`),
			"The TotalSegments parameter is required but was not present in the request when Segment parameter is present"},
		{refused(t, s.Scan, `{"TableName":"orders","Segment":0,"TotalSegments":0}`),
			"1 validation error detected: Value '0' at 'totalSegments' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{refused(t, s.ListTables, `{"Limit":0}`),
			"1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{refused(t, s.TransactWriteItems, `{"TransactItems":[]}`),
			"1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"},"n":{"N":" 1"}}}`),
			"The parameter cannot be converted to a numeric value:  1"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"},"x":{}}}`),
			"Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
		{refused(t, s.CreateTable, `{"TableName":"lsi","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
			"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST",
			"LocalSecondaryIndexes":[{"IndexName":"lx1","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]}`),
			"One or more parameter values were invalid: Index KeySchema does not have a range key for index: lx1"},
		{refused(t, s.Query, `{"TableName":"orders","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}},"ExclusiveStartKey":{"pk":{"S":"a"}}}`),
			"The provided starting key is invalid: The provided key element does not match the schema"},
		{refused(t, s.CreateTable, `{"TableName":"twice","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
			"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"pk","AttributeType":"N"}],"BillingMode":"PAY_PER_REQUEST"}`),
			"Attribute Name is duplicated: pk"}, // DynamoDB's live answer (catalogue_test.go); dynalite measured the count mismatch
		{refused(t, s.Query, `{"TableName":"orders","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}},"ExclusiveStartKey":{"pk":{"S":"b"},"sk":{"N":"1"}}}`),
			"The provided starting key is outside query boundaries based on provided conditions"},
		{refused(t, s.Query, `{"TableName":"orders","KeyConditionExpression":"pk = :p AND sk > :s","ExpressionAttributeValues":{":p":{"S":"a"},":s":{"N":"3"}},"ExclusiveStartKey":{"pk":{"S":"a"},"sk":{"N":"1"}}}`),
			"The provided starting key does not match the range key predicate"},
		{refused(t, s.Query, `{"TableName":"orders","KeyConditionExpression":"pk = :p AND sk > :s","ExpressionAttributeValues":{":p":{"S":"a"},":s":{"N":"3"}},"ExclusiveStartKey":{"pk":{"S":"a"},"sk":{"N":"4"}}}`), ""},
		{refused(t, s.Query, `{"TableName":"orders","KeyConditionExpression":"pk = :p AND sk > :s","ExpressionAttributeValues":{":p":{"S":"a"},":s":{"N":"3"}},"ExclusiveStartKey":{"pk":{"S":"0"},"sk":{"N":"4"}}}`),
			"The provided starting key is outside query boundaries based on provided conditions"},
		{refused(t, s.Query, `{"TableName":"orders","KeyConditionExpression":"pk = :p","FilterExpression":"size(sk) > :z","ExpressionAttributeValues":{":p":{"S":"a"},":z":{"N":"0"}}}`),
			"Filter Expression can only contain non-primary key attributes: Primary key attribute: sk"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ConditionExpression":"ss < :set","ExpressionAttributeValues":{":set":{"SS":["a"]}}}`),
			"Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: SS"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ConditionExpression":"begins_with(v, :n)","ExpressionAttributeValues":{":n":{"N":"1"}}}`),
			"Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
		{refused(t, s.Query, `{"TableName":"orders","KeyConditionExpression":"pk = :p AND sk BETWEEN :h AND :l","ExpressionAttributeValues":{":p":{"S":"a"},":h":{"N":"5"},":l":{"N":"1"}}}`),
			"Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ConditionExpression":"v BETWEEN :a AND :b","ExpressionAttributeValues":{":a":{"N":"1"},":b":{"S":"x"}}}`),
			"Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(pk) AND m.v = m.v"}`),
			"Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [m, v]"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ConditionExpression":"attribute_not_exists(v) OR begins_with(v, :s) OR v BETWEEN :a AND :a","ExpressionAttributeValues":{":s":{"S":"x"},":a":{"N":"1"}}}`), ""},
		{refused(t, s.CreateTable, `{"TableName":"ktab","KeySchema":[{"AttributeName":"pk","KeyType":"PRIMARY"}],
			"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`),
			"1 validation error detected: Value 'PRIMARY' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]"},
		{refused(t, s.CreateTable, `{"TableName":"ktab","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
			"AttributeDefinitions":[{"AttributeName":"x","AttributeType":"S"},{"AttributeName":"pk","AttributeType":"STRING"}],"BillingMode":"PAY_PER_REQUEST"}`),
			"1 validation error detected: Value 'STRING' at 'attributeDefinitions.2.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]"},
		{refused(t, s.CreateTable, `{"TableName":"ktab","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`),
			"1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null"},
		{refused(t, s.CreateTable, `{"TableName":"ktab","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],
			"BillingMode":"PAY_PER_REQUEST","GlobalSecondaryIndexes":[{"IndexName":"byg","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"SOME"}}]}`),
			"1 validation error detected: Value 'SOME' at 'globalSecondaryIndexes.1.member.projection.projectionType' failed to satisfy constraint: Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ReturnValues":"BOGUS"}`),
			"1 validation error detected: Value 'BOGUS' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ReturnValues":"ALL_NEW"}`), "Return values set to invalid value"},
		{refused(t, s.CreateTable, `{"TableName":"ktab","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
			"BillingMode":"PAY_PER_REQUEST","GlobalSecondaryIndexes":[]}`),
			"One or more parameter values were invalid: List of GlobalSecondaryIndexes is empty"},
		{refused(t, s.TagResource, `{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/flat","Tags":[]}`), "Atleast one Tag needs to be provided as Input."},
		{refused(t, s.UntagResource, `{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/flat","TagKeys":[]}`), "Atleast one Tag Key needs to be provided as Input."},
		{refused(t, s.ListTables, `{"ExclusiveStartTableName":"h"}`),
			"1 validation error detected: Value 'h' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have length greater than or equal to 3"},
		{refused(t, s.TransactWriteItems, `{"ClientRequestToken":"`+strings.Repeat("t", 37)+`","TransactItems":[{"Put":{"TableName":"flat","Item":{"pk":{"S":"t"}}}}]}`),
			"1 validation error detected: Value '" + strings.Repeat("t", 37) + "' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36"},
		{refused(t, s.UpdateTable, `{"TableName":"flat","AttributeDefinitions":[{"AttributeName":"g","AttributeType":"S"}],"GlobalSecondaryIndexUpdates":[{"Create":
			{"IndexName":"byg","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"SOME"}}}]}`),
			"1 validation error detected: Value 'SOME' at 'globalSecondaryIndexUpdates.1.member.create.projection.projectionType' failed to satisfy constraint: Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]"},
		// The old parameters' operators take the types AWS's reference gives, refused in their own words.
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"Expected":{"a":{"ComparisonOperator":"LT","AttributeValueList":[{"SS":["x"]}]}}}`),
			"One or more parameter values were invalid: ComparisonOperator LT is not valid for SS AttributeValue type"},
		{refused(t, s.Scan, `{"TableName":"flat","ScanFilter":{"a":{"ComparisonOperator":"BEGINS_WITH","AttributeValueList":[{"N":"1"}]}}}`),
			"One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type"},
		{refused(t, s.Scan, `{"TableName":"flat","ScanFilter":{"a":{"ComparisonOperator":"IN","AttributeValueList":[{"N":"1"},{"S":"x"}]}}}`),
			"One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type"},
		{refused(t, s.Scan, `{"TableName":"flat","ScanFilter":{"a":{"ComparisonOperator":"BETWEEN","AttributeValueList":[{"N":"5"},{"N":"1"}]}}}`),
			"The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"},
		{refused(t, s.Scan, `{"TableName":"flat","ScanFilter":{"a":{"ComparisonOperator":"EQ","AttributeValueList":[{"BOOL":true}]}}}`), ""},
		// PartiQL words a check of the expression a statement became without the expression's name.
		{refused(t, s.ExecuteStatement, `{"Statement":"SELECT * FROM flat WHERE pk = 'x' AND val < ?","Parameters":[{"BOOL":true}]}`),
			"Incorrect operand type for operator or function; operator or function: <, operand type: BOOL"},
		{refused(t, s.ExecuteStatement, `{"Statement":"UPDATE flat SET v = 1 WHERE pk = 'x' AND begins_with(s, ?)","Parameters":[{"N":"1"}]}`),
			"Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"},"n":{"N":"+1"}}}`), ""},
	} {
		if c.got != c.want {
			t.Errorf("got  %q\nwant %q", c.got, c.want)
		}
	}
}

// Updates as DynamoDB applies them, where a comparison with dynalite
// found Lakebox otherwise: every list index names an element of the list
// as it was, and a path removed needs its parent.
func TestUpdateListsAndPaths(t *testing.T) {
	s, _, _ := newService(t)
	do(t, s.CreateTable, `{"TableName":"docs","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`)
	put := func(item string) {
		t.Helper()
		do(t, s.PutItem, `{"TableName":"docs","Item":`+item+`}`)
	}
	get := func(attr string) string {
		t.Helper()
		out := do(t, s.GetItem, `{"TableName":"docs","Key":{"pk":{"S":"r"}}}`)
		item, err := out.Item.Decode()
		if err != nil {
			t.Fatal(err)
		}
		v, ok := item[attr]
		if !ok {
			return "missing"
		}
		return string(appendItem(nil, Item{attr: v}))
	}
	update := func(expr, values string) string {
		t.Helper()
		req := `{"TableName":"docs","Key":{"pk":{"S":"r"}},"UpdateExpression":"` + expr + `"`
		if values != "" {
			req += `,"ExpressionAttributeValues":` + values
		}
		return refused(t, s.UpdateItem, req+`}`)
	}
	strs := func(xs ...string) string {
		var parts []string
		for _, x := range xs {
			parts = append(parts, `{"S":"`+x+`"}`)
		}
		return `{"L":[` + strings.Join(parts, ",") + `]}`
	}
	for _, c := range []struct {
		item, expr, values, attr, want string
	}{
		// Appends past the end land in index order, whatever the order written.
		{`{"pk":{"S":"r"},"l":` + strs("a", "b") + `}`, "SET l[5] = :x, l[2] = :y", `{":x":{"S":"X"},":y":{"S":"Y"}}`, "l", `{"l":` + strs("a", "b", "Y", "X") + `}`},
		{`{"pk":{"S":"r"},"l":` + strs("0", "1", "2", "3", "4") + `}`, "SET l[7] = :a, l[6] = :b", `{":a":{"S":"seven"},":b":{"S":"six"}}`, "l",
			`{"l":` + strs("0", "1", "2", "3", "4", "six", "seven") + `}`},
		// Removals name elements of the list as it was, among other paths too.
		{`{"pk":{"S":"r"},"l":` + strs("0", "1", "2", "3", "4") + `,"m":{"M":{"x":{"N":"1"}}}}`, "REMOVE l[1], m.x, l[3]", "", "l", `{"l":` + strs("0", "2", "4") + `}`},
		{`{"pk":{"S":"r"},"l":{"L":[{"S":"a"},{"M":{"x":{"N":"1"},"y":{"N":"2"}}}]}}`, "REMOVE l[1].x, l[0]", "", "l", `{"l":{"L":[{"M":{"y":{"N":"2"}}}]}}`},
		{`{"pk":{"S":"r"},"l":{"L":[` + strs("a") + `,` + strs("b") + `,` + strs("c", "d") + `]}}`, "REMOVE l[0], l[2][1]", "", "l",
			`{"l":{"L":[` + strs("b") + `,` + strs("c") + `]}}`},
		// A leaf that is not there is no error; a parent that is not there, or not a document, is.
		{`{"pk":{"S":"r"},"l":` + strs("a") + `,"m":{"M":{}}}`, "REMOVE m.nope, l[10]", "", "l", `{"l":` + strs("a") + `}`},
	} {
		put(c.item)
		if err := update(c.expr, c.values); err != "" {
			t.Errorf("%s: %s", c.expr, err)
			continue
		}
		if got := get(c.attr); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.expr, got, c.want)
		}
	}
	put(`{"pk":{"S":"r"},"l":` + strs("a") + `,"s":{"S":"x"},"n":{"N":"1"},"m":{"M":{}}}`)
	for _, c := range []struct{ expr, values string }{
		{"REMOVE nope.a", ""}, {"REMOVE nope[0]", ""}, {"REMOVE s.a", ""}, {"REMOVE n[0]", ""}, {"REMOVE m.nope.x", ""}, {"REMOVE l[0].x", ""},
		{"DELETE nope.a :ss", `{":ss":{"SS":["a"]}}`},
	} {
		if got := update(c.expr, c.values); got != "The document path provided in the update expression is invalid for update" {
			t.Errorf("%s: %q", c.expr, got)
		}
	}
	if got := get("l"); got != `{"l":`+strs("a")+`}` {
		t.Errorf("the refused updates changed the item: %s", got)
	}
	// A number, boolean or null has no size: a condition on it is false, not an error.
	if got := refused(t, s.UpdateItem, `{"TableName":"docs","Key":{"pk":{"S":"r"}},"UpdateExpression":"SET z = :z","ConditionExpression":"size(n) > :z",
		"ExpressionAttributeValues":{":z":{"N":"0"}}}`); got != "The conditional request failed" {
		t.Errorf("size of a number: %q", got)
	}
	if out := do(t, s.Scan, `{"TableName":"docs","FilterExpression":"size(n) > :z OR size(s) = :one","ExpressionAttributeValues":{":z":{"N":"0"},":one":{"N":"1"}}}`); out.Count != 1 {
		t.Errorf("Scan filtering on size(n) OR size(s): %d items", out.Count)
	}
	// attribute_type of what has no type is false, not a crash.
	if got := refused(t, s.PutItem, `{"TableName":"docs","Item":{"pk":{"S":"r"}},"ConditionExpression":"attribute_type(nope, :t)",
		"ExpressionAttributeValues":{":t":{"S":"N"}}}`); got != "The conditional request failed" {
		t.Errorf("attribute_type of no type: %q", got)
	}
	// ADD and DELETE of a value of the wrong type are the request's errors,
	// found before the item is read: in a transaction too, not a reason.
	if got := refused(t, s.TransactWriteItems, `{"TransactItems":[{"Update":{"TableName":"docs","Key":{"pk":{"S":"r"}},"UpdateExpression":"ADD q :s","ExpressionAttributeValues":{":s":{"S":"x"}}}}]}`); got != "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING" {
		t.Errorf("a transaction's ADD of a string: %q", got)
	}
	// The old parameters given empty translate into nothing, and are no error.
	do(t, s.PutItem, `{"TableName":"docs","Item":{"pk":{"S":"e"}},"Expected":{}}`)
	do(t, s.Scan, `{"TableName":"docs","ScanFilter":{}}`)
	// The old AttributeUpdates ADD of a list appends, making the list when absent.
	for range 2 {
		do(t, s.UpdateItem, `{"TableName":"docs","Key":{"pk":{"S":"r"}},"AttributeUpdates":{"added":{"Action":"ADD","Value":`+strs("x")+`}}}`)
	}
	if got := get("added"); got != `{"added":`+strs("x", "x")+`}` {
		t.Errorf("AttributeUpdates ADD of a list, twice: %s", got)
	}
}

// What the item an action finds makes invalid cancels the transaction,
// with a ValidationError reason for that action, as on DynamoDB; nothing
// is written.
func TestTransactionValidationError(t *testing.T) {
	s, _, _ := newService(t)
	do(t, s.CreateTable, `{"TableName":"txt","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`)
	do(t, s.PutItem, `{"TableName":"txt","Item":{"pk":{"S":"m"},"s":{"S":"str"}}}`)
	for _, c := range []struct{ update, reason string }{
		{"SET v = nothere + :one", "The provided expression refers to an attribute that does not exist in the item"},
		{"SET v = s + :one", "An operand in the update expression has an incorrect data type"},
		{"SET a.b = :one", "The document path provided in the update expression is invalid for update"},
	} {
		in := &TransactWriteItemsInput{}
		if err := jsonv2.Unmarshal([]byte(`{"TransactItems":[{"Put":{"TableName":"txt","Item":{"pk":{"S":"n1"}}}},
			{"Update":{"TableName":"txt","Key":{"pk":{"S":"m"}},"UpdateExpression":"`+c.update+`","ExpressionAttributeValues":{":one":{"N":"1"}}}}]}`), in); err != nil {
			t.Fatal(err)
		}
		_, err := s.TransactWriteItems(context.Background(), in)
		e, ok := awserr.As(err)
		if !ok || e.Code != "TransactionCanceledException" || e.Message != "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]" {
			t.Fatalf("%s: %v", c.update, err)
		}
		want := `[{"Code":"None"},{"Code":"ValidationError","Message":"` + c.reason + `"}]`
		if got := e.Field("CancellationReasons"); got != want {
			t.Errorf("%s: reasons %s, want %s", c.update, got, want)
		}
	}
	if out := do(t, s.GetItem, `{"TableName":"txt","Key":{"pk":{"S":"n1"}}}`); out.Item != nil {
		t.Errorf("a canceled transaction wrote %s", out.Item)
	}
}

// TestDifferentialRefusals holds what a differential run against dynalite
// (checked against DynamoDB's own emulator, AWS's documentation and live
// answers quoted in other projects) found Lakebox answering otherwise:
// each case is DynamoDB's answer, "" where DynamoDB takes the request.
func TestDifferentialRefusals(t *testing.T) {
	s, _, _ := newService(t)
	do(t, s.CreateTable, `{"TableName":"orders","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"},{"AttributeName":"g","AttributeType":"S"}],
		"BillingMode":"PAY_PER_REQUEST","GlobalSecondaryIndexes":[{"IndexName":"byg","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}]}`)
	do(t, s.CreateTable, `{"TableName":"flat","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`)
	q := func(cond, values string) string {
		return refused(t, s.Query, `{"TableName":"orders","KeyConditionExpression":"`+cond+`","ExpressionAttributeValues":{`+values+`}}`)
	}
	const p = `":p":{"S":"a"}`
	long := "a = :v OR " + strings.Repeat("a = :v OR ", 409) + "a = :v" // 4,110 bytes
	nested := `{"S":"x"}`
	for range 32 {
		nested = `{"M":{"n":` + nested + `}}`
	}
	other := "" // a partition key of Scan segment 1 of 2
	for i := 0; other == ""; i++ {
		if k := fmt.Sprint("k", i); segmentOf(AttributeValue{S: &k}, 2) == 1 {
			other = k
		}
	}
	for _, c := range []struct {
		got, want string
	}{
		{refused(t, s.Scan, `{"TableName":"flat","Segment":0,"TotalSegments":2,"ExclusiveStartKey":{"pk":{"S":"`+other+`"}}}`),
			"The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: 2 Segment: 0"},
		{refused(t, s.Scan, `{"TableName":"flat","Segment":1,"TotalSegments":2,"ExclusiveStartKey":{"pk":{"S":"`+other+`"}}}`), ""},
		{refused(t, s.Scan, `{"TableName":"flat","Segment":-1,"TotalSegments":2}`),
			"1 validation error detected: Value '-1' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0"},
		// Key conditions, as DynamoDB's extractor reads them.
		{q(":v < sk AND :p = pk", p+`,":v":{"N":"1"}`), ""},
		{q("pk = :p AND sk <> :v", p+`,":v":{"N":"1"}`), "Invalid operator used in KeyConditionExpression: <>"},
		{q("pk = :p AND attribute_exists(sk)", p), "Invalid operator used in KeyConditionExpression: attribute_exists"},
		{q("pk = :p AND contains(sk, :v)", p+`,":v":{"N":"1"}`), "Invalid operator used in KeyConditionExpression: contains"},
		{q("pk = :p AND (sk > :v AND sk < :v)", p+`,":v":{"N":"1"}`), "KeyConditionExpressions must only contain one condition per key"},
		{q("pk = :p AND sk.x = :v", p+`,":v":{"N":"1"}`), "Invalid KeyConditionExpression: KeyConditionExpressions cannot have conditions on nested attributes"},
		{q("pk = :p AND sk = pk", p), "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"},
		{q("pk = :p AND size(sk) > :v", p+`,":v":{"N":"1"}`), "KeyConditionExpressions cannot contain nested operations"},
		{q("pk = :p AND :v BETWEEN sk AND :w", p+`,":v":{"N":"1"},":w":{"N":"2"}`),
			"Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand"},
		{q(":p = :v", p+`,":v":{"S":"b"}`), "Invalid condition in KeyConditionExpression: No key attribute specified"},
		{q("pk = :p AND sk > :v AND g = :p", p+`,":v":{"N":"1"}`), "Conditions can be of length 1 or 2 only"},
		{refused(t, s.Query, `{"TableName":"orders","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"a"}]},"sk":{"ComparisonOperator":"IN","AttributeValueList":[{"N":"1"}]}}}`),
			"Attempted conditional constraint is not an indexable operation"},
		{refused(t, s.Query, `{"TableName":"orders","KeyConditions":{}}`), "Conditions can be of length 1 or 2 only"},
		{refused(t, s.Query, `{"TableName":"orders","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"a"}]},"sk":{"ComparisonOperator":"BOGUS","AttributeValueList":[{"N":"1"}]}}}`),
			"1 validation error detected: Value 'BOGUS' at 'keyConditions.sk.member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]"},
		{refused(t, s.Scan, `{"TableName":"flat","ScanFilter":{"a":{"ComparisonOperator":"BOGUS"}}}`),
			"1 validation error detected: Value 'BOGUS' at 'scanFilter.a.member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]"},
		// Two pairs of parentheses around one thing, in any condition.
		{q("((pk = :p))", p), "Invalid KeyConditionExpression: The expression has redundant parentheses;"},
		{q("(pk = :p) AND (sk > :v)", p+`,":v":{"N":"1"}`), ""},
		{refused(t, s.Scan, `{"TableName":"flat","FilterExpression":"NOT ((x = :x))","ExpressionAttributeValues":{":x":{"S":"a"}}}`),
			"Invalid FilterExpression: The expression has redundant parentheses;"},
		{refused(t, s.Scan, `{"TableName":"flat","FilterExpression":"((x = :x AND y = :x) AND z = :x)","ExpressionAttributeValues":{":x":{"S":"a"}}}`), ""}, // boto3's Attr builder writes this
		{refused(t, s.Scan, `{"TableName":"flat","FilterExpression":"(x) = :x AND (y.z) BETWEEN (:x) AND :x","ExpressionAttributeValues":{":x":{"S":"a"}}}`), ""},
		{refused(t, s.Scan, `{"TableName":"flat","FilterExpression":"((x)) = :x","ExpressionAttributeValues":{":x":{"S":"a"}}}`),
			"Invalid FilterExpression: The expression has redundant parentheses;"},
		{refused(t, s.Scan, `{"TableName":"flat","FilterExpression":"(x = :x","ExpressionAttributeValues":{":x":{"S":"a"}}}`),
			"Invalid FilterExpression: Syntax error; token: \"<EOF>\", near: \":x\""},
		// Syntax errors quote the expression's own text around the token.
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET _123 = :v","ExpressionAttributeValues":{":v":{"S":"a"}}}`),
			"Invalid UpdateExpression: Syntax error; token: \"_\", near: \"SET _123\""},
		{refused(t, s.Scan, `{"TableName":"flat","FilterExpression":"a = :v AND __typename = :v","ExpressionAttributeValues":{":v":{"S":"a"}}}`),
			"Invalid FilterExpression: Syntax error; token: \"_\", near: \"AND __\""},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET MyStr = myNum + 1"}`),
			"Invalid UpdateExpression: Syntax error; token: \"1\", near: \"+ 1\""},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET a = list_append(:v)","ExpressionAttributeValues":{":v":{"L":[]}}}`),
			"Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1"},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET n = if_not_exists(n, :v, :v)","ExpressionAttributeValues":{":v":{"N":"1"}}}`),
			"Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 3"},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET n = :s + :n","ExpressionAttributeValues":{":s":{"S":"a"},":n":{"N":"1"}}}`),
			"Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S"},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET l = list_append(l, :s)","ExpressionAttributeValues":{":s":{"S":"a"}}}`),
			"Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S"},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET l = list_append(list_append(:a, :b), :c)","ExpressionAttributeValues":{":a":{"L":[]},":b":{"L":[]},":c":{"L":[]}}}`),
			"Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append"},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET l = list_append(:a, list_append(:b, :c))","ExpressionAttributeValues":{":a":{"L":[]},":b":{"L":[]},":c":{"L":[]}}}`),
			"Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append"},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET l = list_append(if_not_exists(l, :a), :b)","ExpressionAttributeValues":{":a":{"L":[]},":b":{"L":[{"N":"1"}]}}}`), ""},
		// list_append nests nowhere; if_not_exists may.
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET m = if_not_exists(m, list_append(l, :l))","ExpressionAttributeValues":{":l":{"L":[]}}}`),
			"Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append"},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET l = list_append(l, :l) + :x","ExpressionAttributeValues":{":l":{"L":[]},":x":{"N":"1"}}}`),
			"Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append"},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET l = list_append(if_not_exists(l, list_append(:l, :l)), :l)","ExpressionAttributeValues":{":l":{"L":[]}}}`),
			"Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append"},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"nest"}},"UpdateExpression":"SET n = if_not_exists(n, :z) + :x","ExpressionAttributeValues":{":z":{"N":"0"},":x":{"N":"1"}}}`), ""},
		// The first operand, a path, must not come again: for BETWEEN, IN
		// and if_not_exists as for comparisons.
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ConditionExpression":"n BETWEEN n AND :y","ExpressionAttributeValues":{":y":{"N":"1"}}}`),
			"Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: BETWEEN, first operand: [n]"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ConditionExpression":"n IN (:y, n)","ExpressionAttributeValues":{":y":{"N":"1"}}}`),
			"Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: IN, first operand: [n]"},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET n = if_not_exists(n, n)"}`),
			"Invalid UpdateExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: if_not_exists, first operand: [n]"},
		// A function of the other kind of expression (DynamoDB Local's
		// INVALID_CONDITION_FUNCTION and INVALID_VALUE_FUNCTION).
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ConditionExpression":"n = if_not_exists(m, :v)","ExpressionAttributeValues":{":v":{"N":"1"}}}`),
			"Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ConditionExpression":"list_append(l, :v)","ExpressionAttributeValues":{":v":{"L":[]}}}`),
			"Invalid ConditionExpression: The function is not allowed in a condition expression; function: list_append"},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET n = begins_with(s, :v)","ExpressionAttributeValues":{":v":{"S":"x"}}}`),
			"Invalid UpdateExpression: The function is not allowed in an update expression; function: begins_with"},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET n = size(s)"}`),
			"Invalid UpdateExpression: The function is not allowed in an update expression; function: size"},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET n = nosuch(s)"}`),
			"Invalid UpdateExpression: Invalid function name; function: nosuch"},
		// At most 300 operators and functions in an expression.
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ConditionExpression":"`+strings.Repeat("n = :v OR ", 150)+`n = :v","ExpressionAttributeValues":{":v":{"N":"1"}}}`),
			"Invalid ConditionExpression: The expression contains too many operators; operator count: 301"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"ops"}},"ConditionExpression":"NOT `+strings.Repeat("n = :v OR ", 149)+`n = :v","ExpressionAttributeValues":{":v":{"N":"1"}}}`), ""},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET `+setMany(301)+`","ExpressionAttributeValues":{":v":{"N":"1"}}}`),
			"Invalid UpdateExpression: The expression contains too many operators; operator count: 301"},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"ops"}},"UpdateExpression":"SET `+setMany(300)+`","ExpressionAttributeValues":{":v":{"N":"1"}}}`), ""},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"typed"},"s":{"S":"x"}}}`), ""},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"typed"}},"UpdateExpression":"SET l = list_append(s, :l)","ExpressionAttributeValues":{":l":{"L":[]}}}`),
			"An operand in the update expression has an incorrect data type"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ConditionExpression":"n = attribute_type(s, :t)","ExpressionAttributeValues":{":t":{"S":"S"}}}`),
			"Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_type"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(n) = :t","ExpressionAttributeValues":{":t":{"BOOL":true}}}`),
			"Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_exists"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ConditionExpression":"size(s)"}`),
			"Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size"},
		// Old and new parameters, and names or values with no expression.
		{refused(t, s.Query, `{"TableName":"orders","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"a"}]}},"ProjectionExpression":"x"}`), ""},
		{refused(t, s.Scan, `{"TableName":"flat","AttributesToGet":["a"],"ScanFilter":{"a":{"ComparisonOperator":"NULL"}},"ConditionalOperator":"OR","ProjectionExpression":"a","FilterExpression":"a = :v","ExpressionAttributeValues":{":v":{"S":"a"}}}`),
			"Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet, ScanFilter, ConditionalOperator} Expression parameters: {ProjectionExpression, FilterExpression}"},
		{refused(t, s.Scan, `{"TableName":"flat","ExpressionAttributeValues":{":v":{"S":"a"}}}`),
			"ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null"},
		{refused(t, s.Query, `{"TableName":"orders","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"a"}]}},"ExpressionAttributeValues":{":v":{"S":"a"}}}`),
			"ExpressionAttributeValues can only be specified when using expressions: FilterExpression and KeyConditionExpression are null"},
		{refused(t, s.GetItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"AttributesToGet":["a"],"ExpressionAttributeNames":{"#a":"a"}}`),
			"ExpressionAttributeNames can only be specified when using expressions"},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"AttributeUpdates":{"a":{"Action":"PUT","Value":{"S":"x"}}},"ExpressionAttributeValues":{":v":{"S":"a"}}}`),
			"ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ExpressionAttributeValues":{":v":{"S":"a"}}}`),
			"ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null"},
		{refused(t, s.Scan, `{"TableName":"flat","FilterExpression":"`+long+`","ExpressionAttributeValues":{":v":{"S":"a"}}}`),
			fmt.Sprintf("Invalid FilterExpression: Expression size has exceeded the maximum allowed size; expression size: %d", len(long))},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ExpressionAttributeNames":{"#a":""},"ConditionExpression":"attribute_not_exists(#a)"}`),
			"ExpressionAttributeNames contains invalid value: Empty attribute name for key #a"},
		// Keys: empty, longer than 255 UTF-16 code units (a name's length
		// is given, a value's not), or not the sigil and a name's characters.
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ExpressionAttributeNames":{"":"a"},"ConditionExpression":"attribute_not_exists(a)"}`),
			"ExpressionAttributeNames contains invalid key: The expression attribute map contains an empty key;"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ExpressionAttributeNames":{"#`+strings.Repeat("n", 255)+`":"a"},"ConditionExpression":"attribute_not_exists(#`+strings.Repeat("n", 255)+`)"}`),
			"ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: 256"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"keys"}},"ExpressionAttributeNames":{"#`+strings.Repeat("n", 254)+`":"a"},"ConditionExpression":"attribute_not_exists(#`+strings.Repeat("n", 254)+`)"}`), ""},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ExpressionAttributeNames":{"#`+strings.Repeat("😀", 128)+`":"a"},"ConditionExpression":"attribute_not_exists(a)"}`),
			"ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: 257"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ExpressionAttributeValues":{":`+strings.Repeat("v", 255)+`":{"S":"a"}},"ConditionExpression":"a = :`+strings.Repeat("v", 255)+`"}`),
			"ExpressionAttributeValues contains invalid key: The expression attribute map contains a key that is too long;"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ExpressionAttributeValues":{"v":{"S":"a"}},"ConditionExpression":"a = :v"}`),
			`ExpressionAttributeValues contains invalid key: Syntax error; key: "v"`},
		// Of several faults, the keys' first and in order, every time.
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ExpressionAttributeNames":{"#z":"","y":"a","x":"b"},"ConditionExpression":"a = b"}`),
			`ExpressionAttributeNames contains invalid key: Syntax error; key: "x"`},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"ExpressionAttributeValues":{":a":{"N":"x"},"b":{"S":"a"}},"ConditionExpression":"a = :a"}`),
			`ExpressionAttributeValues contains invalid key: Syntax error; key: "b"`},
		// A batch's counts.
		{refused(t, s.BatchWriteItem, `{"RequestItems":{"flat":[]}}`),
			"1 validation error detected: Value '{flat=[]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]"},
		{refused(t, s.BatchWriteItem, `{"RequestItems":{"flat":[`+strings.Repeat(`{"DeleteRequest":{"Key":{"pk":{"S":"x"}}}},`, 20)+`{"DeleteRequest":{"Key":{"pk":{"S":"y"}}}}],"orders":[`+
			strings.Repeat(`{"DeleteRequest":{"Key":{"pk":{"S":"x"},"sk":{"N":"1"}}}},`, 4)+`{"DeleteRequest":{"Key":{"pk":{"S":"y"},"sk":{"N":"1"}}}}]}}`),
			"Too many items requested for the BatchWriteItem call"},
		{refused(t, s.BatchGetItem, `{"RequestItems":{"flat":{"Keys":[]}}}`),
			"1 validation error detected: Value '[]' at 'requestItems.flat.member.keys' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		// A bad expression is refused before the table is looked up.
		{refused(t, s.PutItem, `{"TableName":"missing","Item":{"pk":{"S":"a"}},"ConditionExpression":"a = = :v","ExpressionAttributeValues":{":v":{"S":"a"}}}`),
			"Invalid ConditionExpression: Syntax error; token: \"=\", near: \"= = :v\""},
		{refused(t, s.UpdateItem, `{"TableName":"missing","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET a = :v"}`),
			"Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v"},
		{refused(t, s.GetItem, `{"TableName":"missing","Key":{"pk":{"S":"a"}},"ProjectionExpression":"a, a"}`),
			"Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"},
		{refused(t, s.DeleteItem, `{"TableName":"missing","Key":{"pk":{"S":"a"}},"ConditionExpression":"size = :v","ExpressionAttributeValues":{":v":{"S":"a"}}}`),
			"Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: size"},
		{refused(t, s.DeleteItem, `{"TableName":"missing","Key":{"pk":{"S":"a"}}}`), "Requested resource not found"},
		// The old parameters' own rules.
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"Expected":{"n":{}}}`),
			"One or more parameter values were invalid: Value must be provided when Exists is null for Attribute: n"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"Expected":{"n":{"Exists":true}}}`),
			"One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: n"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"Expected":{"n":{"Exists":false,"Value":{"S":"x"}}}}`),
			"One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: n"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"Expected":{"n":{"Exists":true,"ComparisonOperator":"NULL"}}}`),
			"One or more parameter values were invalid: Exists and ComparisonOperator cannot be used together for Attribute: n"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"Expected":{"n":{"Value":{"S":"x"},"AttributeValueList":[{"S":"x"}],"ComparisonOperator":"EQ"}}}`),
			"One or more parameter values were invalid: Value and AttributeValueList cannot be used together for Attribute: n"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"Expected":{"n":{"ComparisonOperator":"EQ"}}}`),
			"One or more parameter values were invalid: Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: n"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"Expected":{"n":{"AttributeValueList":[{"S":"x"}]}}}`),
			"One or more parameter values were invalid: AttributeValueList can only be used with a ComparisonOperator for Attribute: n"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"}},"Expected":{"n":{"ComparisonOperator":"NULL"},"pk":{"ComparisonOperator":"NE","Value":{"S":"b"}}}}`), ""},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"AttributeUpdates":{"n":{"Action":"ADD","Value":{"S":"x"}}}}`),
			"One or more parameter values were invalid: ADD action is not supported for the type S"},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"AttributeUpdates":{"n":{"Action":"DELETE","Value":{"N":"1"}}}}`),
			"One or more parameter values were invalid: DELETE action with value is not supported for the type N"},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"AttributeUpdates":{"t":{"Action":"PUT","Value":{"N":"1"}}},"ConditionalOperator":"AND"}`),
			"ConditionalOperator cannot be used without Filter or Expected"},
		{refused(t, s.Scan, `{"TableName":"flat","ScanFilter":{"a":{"ComparisonOperator":"NULL"}},"ConditionalOperator":"OR"}`),
			"ConditionalOperator can only be used when Filter or Expected has two or more elements"},
		{refused(t, s.Scan, `{"TableName":"flat","ScanFilter":{"a":{"ComparisonOperator":"NULL"},"b":{"ComparisonOperator":"NULL"}},"ConditionalOperator":"OR"}`), ""},
		// Paths: into a key attribute, a map step beside a list step, past what a global index keeps.
		{refused(t, s.GetItem, `{"TableName":"orders","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"ProjectionExpression":"sk.a"}`),
			"Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: sk"},
		{refused(t, s.Scan, `{"TableName":"orders","FilterExpression":"g.a = :x","ExpressionAttributeValues":{":x":{"S":"a"}}}`),
			"Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: g"},
		{refused(t, s.GetItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"ProjectionExpression":"m.a, m[0]"}`),
			"Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [m, a], path two: [m, [0]]"},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET a.b = :x, a[1] = :x","ExpressionAttributeValues":{":x":{"S":"a"}}}`),
			"Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]"},
		{refused(t, s.Query, `{"TableName":"orders","IndexName":"byg","KeyConditionExpression":"g = :p","ProjectionExpression":"x, pk, y","ExpressionAttributeValues":{`+p+`}}`),
			"One or more parameter values were invalid: Global secondary index byg does not project [x, y]"},
		// Select beside a projection.
		{refused(t, s.Query, `{"TableName":"orders","IndexName":"byg","KeyConditionExpression":"g = :p","Select":"ALL_PROJECTED_ATTRIBUTES","ProjectionExpression":"pk","ExpressionAttributeValues":{`+p+`}}`),
			"Cannot specify the ProjectionExpression when choosing to get ALL_PROJECTED_ATTRIBUTES"},
		{refused(t, s.Scan, `{"TableName":"flat","Select":"COUNT","AttributesToGet":["a"]}`),
			"Cannot specify the AttributesToGet when choosing to get only the Count"},
		{refused(t, s.UpdateItem, `{"TableName":"flat","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET b = :a - :b","ExpressionAttributeValues":{":a":{"N":"1e50"},":b":{"N":"1"}}}`),
			"Number overflow. Attempting to store a number with magnitude larger than supported range"}, // sic, as ScyllaDB's tests record DynamoDB's answer
		// What a review of these changes found.
		{refused(t, s.TransactGetItems, `{"TransactItems":[{"Get":{"TableName":"orders","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"ProjectionExpression":"g.a"}}]}`),
			"Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: g"},
		{refused(t, s.TransactGetItems, `{"TransactItems":[{"Get":{"TableName":"orders","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"ProjectionExpression":"`+strings.Repeat("a,", 2100)+`a"}}]}`),
			"Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size; expression size: 4201"},
		{refused(t, s.Scan, `{"TableName":"flat","Segment":1000000,"TotalSegments":1000000}`),
			"1 validation error detected: Value '1000000' at 'segment' failed to satisfy constraint: Member must have value less than or equal to 999999"},
		{refused(t, s.Scan, `{"TableName":"flat","FilterExpression":"size((x)) > :n","ExpressionAttributeValues":{":n":{"N":"1"}}}`), ""},
		{refused(t, s.Scan, `{"TableName":"flat","FilterExpression":"(x) = :nope","ExpressionAttributeValues":{":n":{"N":"1"}}}`),
			"Invalid FilterExpression: An expression attribute value used in expression is not defined; attribute value: :nope"},
		// Values.
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"},"d":`+nested+`}}`),
			"Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":"a"},"d":`+nested[len(`{"M":{"n":`):len(nested)-2]+`}}`), ""},
		{refused(t, s.PutItem, `{"TableName":"flat","Item":{"pk":{"S":""}}}`),
			"One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"},
	} {
		if c.got != c.want {
			t.Errorf("got  %q\nwant %q", c.got, c.want)
		}
	}
}

// TestReversedKeyConditions: a key condition may name its value first, as
// DynamoDB allows, and reads what the usual order reads.
func TestReversedKeyConditions(t *testing.T) {
	s, _, _ := newService(t)
	do(t, s.CreateTable, `{"TableName":"orders","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}],"BillingMode":"PAY_PER_REQUEST"}`)
	for i := range 6 {
		do(t, s.PutItem, fmt.Sprintf(`{"TableName":"orders","Item":{"pk":{"S":"a"},"sk":{"N":"%d"}}}`, i))
	}
	count := func(cond string) int {
		t.Helper()
		out := do(t, s.Query, `{"TableName":"orders","KeyConditionExpression":"`+cond+`","ExpressionAttributeValues":{":p":{"S":"a"},":v":{"N":"2"}}}`)
		return out.Count
	}
	for _, c := range []struct{ reversed, usual string }{
		{":p = pk AND :v < sk", "pk = :p AND sk > :v"},
		{":v <= sk AND pk = :p", "pk = :p AND sk >= :v"},
		{"pk = :p AND :v > sk", "pk = :p AND sk < :v"},
		{"pk = :p AND :v >= sk", "pk = :p AND sk <= :v"},
		{"pk = :p AND :v = sk", "pk = :p AND sk = :v"},
	} {
		if got, want := count(c.reversed), count(c.usual); got != want || want == 0 {
			t.Errorf("%s: %d items, %s: %d", c.reversed, got, c.usual, want)
		}
	}
}

// operatorCount counts what DynamoDB counts against its 300: each
// comparison, BETWEEN, IN, AND, OR, NOT, +, -, and function.
func TestOperatorCount(t *testing.T) {
	for _, c := range []struct {
		kind, src string
		want      int
	}{
		{"ConditionExpression", "a = :v", 1},
		{"ConditionExpression", "a BETWEEN :x AND :y AND NOT b IN (:x, :y)", 4},
		{"ConditionExpression", "attribute_exists(a) OR size(b) > :n", 4},
		{"FilterExpression", "begins_with(a, :p) and contains(b, :c) or c <> :d", 5},
		{"UpdateExpression", "SET a = :v, b = b + :one, l = list_append(if_not_exists(l, :e), :l) REMOVE c", 3},
		{"UpdateExpression", "SET a = :v ADD n :one", 0},
		{"KeyConditionExpression", "pk = :p AND sk BETWEEN :a AND :b", 3},
		{"ConditionExpression", "a BETWEEN (:x) AND (:y) OR b IN (:x)", 3},
		{"ConditionExpression", "a = :v AND $", 0}, // does not lex: the parser's to report
	} {
		if got := operatorCount(c.kind, c.src); got != c.want {
			t.Errorf("%s %q: %d operators, want %d", c.kind, c.src, got, c.want)
		}
	}
}

// setMany is n SET actions of one operator each: a0=:v-:v, …
func setMany(n int) string {
	acts := make([]string, n)
	for i := range acts {
		acts[i] = fmt.Sprintf("a%d=:v-:v", i)
	}
	return strings.Join(acts, ",")
}

// Operands as DynamoDB's validator takes them: begins_with and contains
// may name the value first (does the value begin with, or contain, the
// attribute?), though a key condition's begins_with must name the key
// first; the existence checks need a path; operands whose type is known
// before the item is read (values, size()) must be of a type the operator
// takes.
func TestOperandRules(t *testing.T) {
	s, _, _ := newService(t)
	do(t, s.CreateTable, `{"TableName":"orders","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`)
	for _, sk := range []string{"ab", "abc", "b", "cab"} {
		do(t, s.PutItem, `{"TableName":"orders","Item":{"pk":{"S":"a"},"sk":{"S":"`+sk+`"},"tag":{"S":"`+sk+`"}}}`)
	}
	matching := func(filter string) []string {
		t.Helper()
		out := do(t, s.Query, `{"TableName":"orders","KeyConditionExpression":"pk = :p","FilterExpression":"`+filter+`",
			"ExpressionAttributeValues":{":p":{"S":"a"},":v":{"S":"abcd"}}}`)
		var got []string
		for _, raw := range out.Items {
			it, err := decodeItem(raw)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, *it["tag"].S)
		}
		return got
	}
	// "abcd" begins with "ab" and "abc"; it contains those and "b".
	if got := matching("begins_with(:v, tag)"); !slices.Equal(got, []string{"ab", "abc"}) {
		t.Errorf("begins_with(:v, tag): %v", got)
	}
	if got := matching("contains(:v, tag)"); !slices.Equal(got, []string{"ab", "abc", "b"}) {
		t.Errorf("contains(:v, tag): %v", got)
	}
	if got := refused(t, s.Query, `{"TableName":"orders","KeyConditionExpression":"pk = :p AND begins_with(:v, sk)",
		"ExpressionAttributeValues":{":p":{"S":"a"},":v":{"S":"abcd"}}}`); got != "Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand" {
		t.Errorf("a key condition's begins_with(:v, sk): %q", got)
	}
	// size() is a number, which begins_with cannot take, wherever it
	// stands.
	if got := refused(t, s.Query, `{"TableName":"orders","KeyConditionExpression":"pk = :p","FilterExpression":"begins_with(:v, size(tag))",
		"ExpressionAttributeValues":{":p":{"S":"a"},":v":{"S":"abcd"}}}`); got != "Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N" {
		t.Errorf("begins_with(:v, size(tag)): %q", got)
	}
	// BETWEEN orders as < does: a boolean bound is refused before reading
	// (DynamoDB Local's Operator gives BETWEEN the ordered types).
	if got := refused(t, s.Query, `{"TableName":"orders","KeyConditionExpression":"pk = :p","FilterExpression":"tag BETWEEN :t AND :t",
		"ExpressionAttributeValues":{":p":{"S":"a"},":t":{"BOOL":true}}}`); got != "Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: BOOL" {
		t.Errorf("BETWEEN of booleans: %q", got)
	}
	if got := refused(t, s.Query, `{"TableName":"orders","KeyConditionExpression":"pk = :p","FilterExpression":"attribute_exists(:v)",
		"ExpressionAttributeValues":{":p":{"S":"a"},":v":{"S":"abcd"}}}`); got != "Invalid FilterExpression: Operator or function requires a document path; operator or function: attribute_exists" {
		t.Errorf("attribute_exists(:v): %q", got)
	}
	// Bounds read from the item the wrong way round are an empty range,
	// not an error (DynamoDB Local's eval_BETWEEN).
	do(t, s.PutItem, `{"TableName":"orders","Item":{"pk":{"S":"r"},"sk":{"S":"1"},"lo":{"N":"5"},"hi":{"N":"1"},"x":{"N":"3"}}}`)
	for _, c := range []struct {
		filter, values string
		want           int
	}{
		{"x BETWEEN lo AND hi", ``, 0},
		{"x BETWEEN hi AND lo", ``, 1},
		{"x BETWEEN :one AND lo", `,":one":{"N":"1"}`, 1},
	} {
		out := do(t, s.Query, `{"TableName":"orders","KeyConditionExpression":"pk = :p","FilterExpression":"`+c.filter+`",
			"ExpressionAttributeValues":{":p":{"S":"r"}`+c.values+`}}`)
		if out.Count != c.want {
			t.Errorf("%s: %d items, want %d", c.filter, out.Count, c.want)
		}
	}
	// size() takes a value as well as a path (DynamoDB Local's size takes
	// any operand of a type with a size): size(:v) is 4 for "abcd", longer
	// than every tag.
	if got := matching("size(tag) < size(:v)"); !slices.Equal(got, []string{"ab", "abc", "b", "cab"}) {
		t.Errorf("size(tag) < size(:v): %v", got)
	}
	if got := matching("size((:v)) = size(tag)"); len(got) != 0 {
		t.Errorf("size((:v)) = size(tag): %v", got)
	}
	// What has no size, and attribute_type's second operand when it is not
	// a type's name, are refused before anything is read, even where no
	// item is read: the filter of a query of an empty partition.
	for _, c := range []struct{ filter, values, want string }{
		{"size(:n) > :z", `":n":{"N":"1"},":z":{"N":"0"}`, "Incorrect operand type for operator or function; operator or function: size, operand type: N"},
		{"size(:b) > :z", `":b":{"BOOL":true},":z":{"N":"0"}`, "Incorrect operand type for operator or function; operator or function: size, operand type: BOOL"},
		{"size(size(tag)) > :z", `":z":{"N":"0"}`, "Incorrect operand type for operator or function; operator or function: size, operand type: N"},
		{"size(attribute_exists(tag)) > :z", `":z":{"N":"0"}`, "The function is not allowed to be used this way in an expression; function: attribute_exists"},
		{"attribute_type(tag, :n)", `":n":{"N":"1"}`, "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N"},
		{"attribute_type(tag, size(tag))", ``, "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N"},
		{"attribute_type(tag, sk)", ``, "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }"},
		{"attribute_type(tag, :t)", `":t":{"S":"STRING"}`, "Invalid attribute type name found; type: STRING, valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }"},
		// DynamoDB checks an operator's operands (size() is one) before
		// the operator, the operators left to right, and a path given
		// again before attribute_type's own rule.
		{"attribute_type(tag, (tag))", ``, "The first operand must be distinct from the remaining operands for this operator or function; operator: attribute_type, first operand: [tag]"},
		{"tag < :b AND size(:n) > :z", `":b":{"BOOL":true},":n":{"N":"1"},":z":{"N":"0"}`, "Incorrect operand type for operator or function; operator or function: <, operand type: BOOL"},
		{":b < size(:n)", `":b":{"BOOL":true},":n":{"N":"1"}`, "Incorrect operand type for operator or function; operator or function: size, operand type: N"},
		{"attribute_type(tag, :t) AND size(:n) > :z", `":t":{"S":"X"},":n":{"N":"1"},":z":{"N":"0"}`, "Invalid attribute type name found; type: X, valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }"},
		{"((size(:n) > :z))", `":n":{"N":"1"},":z":{"N":"0"}`, "The expression has redundant parentheses;"},
		{"size(size(size(tag))) > :z", `":z":{"N":"0"}`, "Incorrect operand type for operator or function; operator or function: size, operand type: N"},
	} {
		values := `":p":{"S":"nobody"}`
		if c.values != "" {
			values += "," + c.values
		}
		got := refused(t, s.Query, `{"TableName":"orders","KeyConditionExpression":"pk = :p","FilterExpression":"`+c.filter+`","ExpressionAttributeValues":{`+values+`}}`)
		if want := "Invalid FilterExpression: " + c.want; got != want {
			t.Errorf("%s:\n got %q\nwant %q", c.filter, got, want)
		}
	}
}

// TestInternalExpressions: what Lakebox builds itself, from the old
// parameters or from PartiQL, is not a request's expression: it keeps
// clear of the request's own placeholders and is not held to the 4 KB a
// request may give.
func TestInternalExpressions(t *testing.T) {
	s, _, _ := newService(t)
	do(t, s.CreateTable, `{"TableName":"orders","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}],"BillingMode":"PAY_PER_REQUEST"}`)
	do(t, s.PutItem, `{"TableName":"orders","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"status":{"S":"open"}}}`)
	do(t, s.PutItem, `{"TableName":"orders","Item":{"pk":{"S":"a"},"sk":{"N":"2"},"status":{"S":"closed"}}}`)
	keyed := `"KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"a"}]}}`
	// The translation's own placeholders are #k1, :k2, …: the request's
	// of the same names keep their meaning.
	out := do(t, s.Query, `{"TableName":"orders",`+keyed+`,"FilterExpression":"#k1 = :k2","ExpressionAttributeNames":{"#k1":"status"},"ExpressionAttributeValues":{":k2":{"S":"open"}}}`)
	if out.Count != 1 {
		t.Errorf("KeyConditions beside a filter with placeholders like its own: %d items, want 1", out.Count)
	}
	out = do(t, s.Query, `{"TableName":"orders",`+keyed+`,"ProjectionExpression":"#k1, sk","ExpressionAttributeNames":{"#k1":"status"}}`)
	if len(out.Items) != 2 || !strings.Contains(string(out.Items[0]), "status") || strings.Contains(string(out.Items[0]), `"pk"`) {
		t.Errorf("KeyConditions beside a projection with placeholders like its own: %s", out.Items)
	}
	// A statement of 2 KB becomes an expression of more than 4.
	var sets []string
	for i := range 300 {
		sets = append(sets, fmt.Sprintf("a%d=1", i))
	}
	do(t, s.ExecuteStatement, `{"Statement":"UPDATE \"orders\" SET `+strings.Join(sets, ", ")+` WHERE pk='a' AND sk=1"}`)
	var ors []string
	for i := range 250 {
		ors = append(ors, fmt.Sprintf("a%d=%d", i, i))
	}
	do(t, s.ExecuteStatement, `{"Statement":"SELECT * FROM \"orders\" WHERE `+strings.Join(ors, " OR ")+`"}`)
}
