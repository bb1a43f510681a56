package athena

import (
	"encoding/json"
	"strings"
	"testing"
)

// jsonRowsPlan is the plan of a cast to ARRAY(ROW(a INTEGER, b
// MAP(VARCHAR, ROW(c DOUBLE)))).
const jsonRowsPlan = `{"t":"array(row(a integer, b map(varchar, row(c double))))","s":{"l":{"r":[{"n":"a"},{"n":"b","s":{"m":{"r":[{"n":"c"}]}}}]}}}`

func TestJSONRows(t *testing.T) {
	u := &udfs{}
	for _, c := range []struct{ in, want, err string }{
		{in: `[{"A":1,"B":{"k":{"C":2.5,"d":0}}}]`, want: `[{"a":1,"b":{"k":{"c":2.5}}}]`},
		{in: `[[1,{"k":[7]}],null,{}]`, want: `[{"a":1,"b":{"k":{"c":7}}},null,{"a":null,"b":null}]`},
		{in: ` [ {"x": [1, {"y": "<&>"}], "a": 12345678901234567890} ] `, want: `[{"a":12345678901234567890,"b":null}]`},
		{in: `[[1]]`, err: "Cannot cast to array(row(a integer, b map(varchar, row(c double)))). Expected a json value for field b, but got ]\n[[1]]"},
		{in: `[{"a":1,"A":2}]`, err: "Duplicate field: a"},
		{in: `[1]`, err: "Expected a json array or object, but got 1"},
		{in: `[{"a":1}] 2`, err: "Unexpected trailing token"},
		{in: `[{"a":`, err: "Cannot convert value to JSON"},
	} {
		in, plan := c.in, jsonRowsPlan
		got, err := u.jsonRows([]*string{&in, &plan})
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s: got %v, %v; want error %q", c.in, got, err, c.err)
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("%s: got %v, %v; want %s", c.in, got, err, c.want)
		}
	}
	tryPlan, in := `{"t":"row(a integer)","try":true,"s":{"r":[{"n":"a"}]}}`, `5`
	if got, err := u.jsonRows([]*string{&in, &tryPlan}); got != nil || err != nil {
		t.Errorf("TRY_CAST of a bad value: got %v, %v; want NULL", got, err)
	}
}

// FuzzJSONRows: any text is reshaped to valid JSON or refused with an
// error, never a panic.
func FuzzJSONRows(f *testing.F) {
	for _, s := range []string{`[{"A":1}]`, `[[1,{"k":[7]}]]`, `[{"a":{"b":[[[{}]]]}}]`, `{`, `[1`, `"x"`} {
		f.Add(s)
	}
	u := &udfs{}
	f.Fuzz(func(t *testing.T, s string) {
		plan := jsonRowsPlan
		got, err := u.jsonRows([]*string{&s, &plan})
		if err == nil && !json.Valid([]byte(got.(string))) {
			t.Fatalf("%q gave %q, not JSON", s, got)
		}
	})
}
