package jsonpath

import (
	"errors"
	"strings"
	"testing"
)

const doc = `{"comment": "nice", "children": [10, 13, 16], "pets": [{"name": "Rex", "age": 3}, {"name": "Tom", "age": 7.5}], "none": null, "ok": true}`

func TestEval(t *testing.T) {
	d, err := Decode(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path, want string // want: the items as a JSON array, or "error"
	}{
		{"$", `[` + Encode(d) + `]`},
		{"lax $.comment", `["nice"]`},
		{"$.\"comment\"", `["nice"]`},
		{"lax $.missing", `[]`},
		{"strict $.missing", "error"},
		{"lax $.children[0]", `[10]`},
		{"lax $.children[last]", `[16]`},
		{"lax $.children[last - 1]", `[13]`},
		{"lax $.children[0, 2]", `[10,16]`},
		{"lax $.children[1 to last]", `[13,16]`},
		{"lax $.children[5]", `[]`},
		{"strict $.children[5]", "error"},
		{"lax $.children[*]", `[10,13,16]`},
		{"lax $.comment[0]", `["nice"]`},
		{"strict $.comment[0]", "error"},
		{"lax $.pets.name", `["Rex","Tom"]`},
		{"strict $.pets.name", "error"},
		{"strict $.pets[*].name", `["Rex","Tom"]`},
		{"lax $.pets[*]?(@.age > 5).name", `["Tom"]`},
		{"lax $.children[*]?(@ > 10 && @ < 16)", `[13]`},
		{"lax $.children[*]?(@ < 11 || @ == 16)", `[10,16]`},
		{"lax $.children?(@ > 12)", `[13,16]`},
		{"lax $.children[*]?(!(@ > 12))", `[10]`},
		{`lax $.pets[*]?(@.name == "Rex").age`, `[3]`},
		{`lax $.pets[*]?(@.name starts with "T").name`, `["Tom"]`},
		{`lax $.pets[*]?(@.name like_regex "^r" flag "i").name`, `["Rex"]`},
		{"lax $.pets[*]?(exists(@.age)).name", `["Rex","Tom"]`},
		{"lax $?(@.none == null).ok", `[true]`},
		{`lax $.children[*]?((@ > "a") is unknown)`, `[10,13,16]`},
		{"lax $.children.size()", `[3]`},
		{"lax $.comment.size()", `[1]`},
		{"strict $.comment.size()", "error"},
		{"lax $.none.type()", `["null"]`},
		{"lax $.pets[1].age.floor()", `[7]`},
		{"lax $.pets[1].age.ceiling()", `[8]`},
		{"lax (-$.children[0]).abs()", `[10]`},
		{"lax $.children[0] + $.children[1] * 2", `[36]`},
		{"lax $.children[0] % 3", `[1]`},
		{"lax $.children[0] / 0", "error"},
		{"lax $.children[0] + $.comment", "error"},
		{"lax -$.children[*]", `[-10,-13,-16]`},
		{"lax $.pets[0].keyvalue()", `[{"name":"name","value":"Rex","id":0},{"name":"age","value":3,"id":0}]`},
		{"lax $.*", `["nice",[10,13,16],[{"name":"Rex","age":3},{"name":"Tom","age":7.5}],null,true]`},
		{`lax "x"`, `["x"]`},
		{"lax $x", "error"},
		{"lax $.children[*]?(!exists(@.x))", `[10,13,16]`},
		{"lax $.pets[*]?(@ != null).name", `["Rex","Tom"]`},
		{"lax $?(@.pets == null).ok", `[]`},
		{"lax $?(9007199254740993 == 9007199254740992).ok", `[]`},
		{"lax 9007199254740993 + 0", `[9007199254740993]`},
		{"lax 7 / 2", `[3]`},
		{"lax 7.0 / 2", `[3.5]`},
		{"lax -7 % 3", `[-1]`},
		{`lax "NaN".double()`, "error"},
		{`lax "0x1p3".double()`, "error"},
		{`lax " 2.5 ".double()`, `[2.5]`},
		{"lax $.pets[*].keyvalue().id", `[0,0,1,1]`},
		{"lax $" + strings.Repeat("[0,0]", 25), "error"},
	} {
		p, err := Parse(c.path)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.path, err)
			continue
		}
		got, err := p.Eval(d, nil)
		switch {
		case c.want == "error" && err == nil:
			t.Errorf("%s = %s, want an error", c.path, Encode(got))
		case c.want != "error" && err != nil:
			t.Errorf("%s: %v", c.path, err)
		case c.want != "error" && Encode(append([]any{}, got...)) != c.want:
			t.Errorf("%s = %s, want %s", c.path, Encode(append([]any{}, got...)), c.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, path := range []string{"", "lax", "$.", "$[", "$[1", "$?(@ >)", `$."open`, "$.a.nosuch()", "$ $", "$ # x", `$?(@ like_regex "(")`} {
		if _, err := Parse(path); err == nil {
			t.Errorf("Parse(%q) succeeded", path)
		}
	}
}

func TestFunctions(t *testing.T) {
	str := func(s string) *string { return &s }
	in := str(doc)
	must := func(path string) *Path {
		p, err := Parse(path)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		name string
		got  func() (any, error)
		want any // "error" for an error
	}{
		{"exists", func() (any, error) { return Exists(in, must("lax $.pets"), nil, "") }, true},
		{"exists empty", func() (any, error) { return Exists(in, must("lax $.nope"), nil, "") }, false},
		{"exists error false", func() (any, error) { return Exists(in, must("strict $.nope"), nil, "") }, false},
		{"exists error true", func() (any, error) { return Exists(in, must("strict $.nope"), nil, "true") }, true},
		{"exists error unknown", func() (any, error) { return Exists(in, must("strict $.nope"), nil, "unknown") }, nil},
		{"exists error error", func() (any, error) { return Exists(in, must("strict $.nope"), nil, "error") }, "error"},
		{"exists bad json", func() (any, error) { return Exists(str("{"), must("$"), nil, "error") }, "error"},
		{"exists null input", func() (any, error) { return Exists(nil, must("$"), nil, "error") }, nil},
		{"query object", func() (any, error) { return Query(in, must("lax $.pets[0]"), nil, QueryOptions{}) }, `{"name":"Rex","age":3}`},
		{"query many", func() (any, error) { return Query(in, must("lax $.children[*]"), nil, QueryOptions{}) }, nil},
		{"query many error", func() (any, error) {
			return Query(in, must("lax $.children[*]"), nil, QueryOptions{OnError: Behavior{Mode: "error"}})
		}, "error"},
		{"query empty object", func() (any, error) {
			return Query(in, must("lax $.nope"), nil, QueryOptions{OnEmpty: Behavior{Mode: "empty object"}})
		}, "{}"},
		{"query empty error", func() (any, error) {
			return Query(in, must("lax $.nope"), nil, QueryOptions{OnEmpty: Behavior{Mode: "error"}})
		}, "error"},
		{"query omit quotes", func() (any, error) { return Query(in, must("lax $.comment"), nil, QueryOptions{OmitQuotes: true}) }, "nice"},
		{"query keep quotes", func() (any, error) { return Query(in, must("lax $.comment"), nil, QueryOptions{}) }, `"nice"`},
		{"value", func() (any, error) { return Value(in, must("lax $.pets[1].age"), nil, ValueOptions{}) }, "7.5"},
		{"value bool", func() (any, error) { return Value(in, must("lax $.ok"), nil, ValueOptions{Returning: "boolean"}) }, "true"},
		{"value null", func() (any, error) { return Value(in, must("lax $.none"), nil, ValueOptions{}) }, nil},
		{"value object", func() (any, error) { return Value(in, must("lax $.pets[0]"), nil, ValueOptions{}) }, nil},
		{"value object error", func() (any, error) {
			return Value(in, must("lax $.pets[0]"), nil, ValueOptions{OnError: Behavior{Mode: "error"}})
		}, "error"},
		{"value rounds to integer", func() (any, error) {
			return Value(in, must("lax $.pets[1].age"), nil, ValueOptions{Returning: "bigint", OnError: Behavior{Mode: "default", Default: str("-1")}})
		}, "8"},
		{"value string not integer", func() (any, error) {
			return Value(in, must("lax $.comment"), nil, ValueOptions{Returning: "integer", OnError: Behavior{Mode: "default", Default: str("-1")}})
		}, "-1"},
		{"value numeric string", func() (any, error) {
			return Value(str(`{"a":" 12 "}`), must("lax $.a"), nil, ValueOptions{Returning: "integer"})
		}, "12"},
		{"value boolean string", func() (any, error) {
			return Value(str(`{"a":"TRUE"}`), must("lax $.a"), nil, ValueOptions{Returning: "boolean"})
		}, "true"},
		{"value decimal too wide", func() (any, error) {
			return Value(str(`{"a":1234.5}`), must("lax $.a"), nil, ValueOptions{Returning: "decimal(4,1)"})
		}, nil},
		{"value date", func() (any, error) {
			return Value(str(`{"d":"2026-11-23"}`), must("lax $.d"), nil, ValueOptions{Returning: "date"})
		}, "2026-11-23"},
		{"value bad date", func() (any, error) {
			return Value(str(`{"d":"oops"}`), must("lax $.d"), nil, ValueOptions{Returning: "date", OnError: Behavior{Mode: "error"}})
		}, "error"},
		{"value decimal", func() (any, error) {
			return Value(in, must("lax $.pets[1].age"), nil, ValueOptions{Returning: "decimal(5,2)"})
		}, "7.50"},
		{"value smallint", func() (any, error) {
			return Value(in, must("lax $.children[0]"), nil, ValueOptions{Returning: "smallint"})
		}, "10"},
		{"value empty default", func() (any, error) {
			return Value(in, must("lax $.nope"), nil, ValueOptions{OnEmpty: Behavior{Mode: "default", Default: str("d")}})
		}, "d"},
	} {
		got, err := c.got()
		switch {
		case c.want == "error":
			if err == nil {
				t.Errorf("%s = %v, want an error", c.name, got)
			}
		case err != nil:
			t.Errorf("%s: %v", c.name, err)
		case got != c.want:
			t.Errorf("%s = %#v, want %#v", c.name, got, c.want)
		}
	}
}

func TestStructuralError(t *testing.T) {
	d, _ := Decode(doc)
	_, err := must(t, "strict $.nope").Eval(d, nil)
	if !errors.Is(err, ErrStructural) {
		t.Fatalf("strict missing member: %v, want ErrStructural", err)
	}
}

func must(t *testing.T, path string) *Path {
	t.Helper()
	p, err := Parse(path)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// FuzzPath parses any path and evaluates it over any document: neither
// may panic, whatever the input.
func FuzzPath(f *testing.F) {
	for _, s := range []string{"lax $.a[*]?(@ > 1)", "strict $.a[last - 1 to last]", `$?(@.b like_regex "x" flag "i")`, "$.a.keyvalue()", "-$[0] * 2 % 3", `$."k"?(exists(@.x) && !(@ == null))`} {
		f.Add(s, `{"a":[1,2,{"b":"x"}],"k":{"x":null}}`)
	}
	f.Fuzz(func(t *testing.T, path, document string) {
		p, err := Parse(path)
		if err != nil {
			return
		}
		d, err := Decode(document)
		if err != nil {
			return
		}
		if items, err := p.Eval(d, nil); err == nil {
			Encode(items)
		}
	})
}

func TestDeepNestingIsRefused(t *testing.T) {
	deep := func(open, close string, n int) string {
		b := make([]byte, 0, n*(len(open)+len(close)))
		for range n {
			b = append(b, open...)
		}
		for range n {
			b = append(b, close...)
		}
		return string(b)
	}
	if _, err := Decode(deep("[", "]", 100000)); err == nil {
		t.Error("a document nested 100,000 deep was decoded")
	}
	if _, err := Parse("$?(" + deep("(", ")", 100000) + "@ > 1)"); err == nil {
		t.Error("a path nested 100,000 deep was parsed")
	}
	if _, err := Parse(deep("-", "", 100000) + "$"); err == nil {
		t.Error("a path of 100,000 minus signs was parsed")
	}
}
