package athena

import (
	"encoding/json"
	"testing"
)

func TestJSONParse(t *testing.T) {
	for in, want := range map[string]string{
		`{"b": 1, "a": 2}`:                  `{"a":2,"b":1}`,
		`{"a": 1, "a": 2}`:                  `{"a":2}`,
		` [1.10, 1e2, 1e10, 1E-4, -0, 0.5]`: `[1.1,100.0,1.0E10,1.0E-4,0,0.5]`,
		`123456789012345678901234567890`:    `123456789012345678901234567890`,
		`1e400`:                             `"Infinity"`,
		`"a\u0001\n\/é"`:                    `"a\u0001\n/é"`,
		`{"é": 1, "z": 2, "𝄞": 3, "": 4}`:   `{"":4,"z":2,"é":1,"\uD834\uDD1E":3}`,
		`"😀\u0000"`:                         `"\uD83D\uDE00\u0000"`,
		`{"x": {"d": [], "c": {}}}`:         `{"x":{"c":{},"d":[]}}`,
		`null`:                              `null`,
		`true`:                              `true`,
	} {
		got, err := jsonParse([]*string{&in})
		if err != nil || got != want {
			t.Errorf("jsonParse(%s) = %v, %v; want %s", in, got, err, want)
		}
	}
	// Java orders strings by UTF-16 units: U+FFFD sorts after U+1D11E.
	if javaCompare("\U0001D11E", "\uFFFD") >= 0 {
		t.Error("javaCompare: a supplementary character sorts before U+FFFD in UTF-16")
	}
	for _, bad := range []string{`{`, `[1,]`, `{} x`, `{"a" 1}`, ``, `01`} {
		if got, err := jsonParse([]*string{&bad}); err == nil {
			t.Errorf("jsonParse(%q) = %v, want an error", bad, got)
		}
	}
}

// FuzzJSONParse: json_parse never panics, writes JSON, and its form is a
// fixed point: parsing what it wrote writes the same.
func FuzzJSONParse(f *testing.F) {
	for _, s := range []string{`{"b":[1.5e3,{"a":"\u001f"}],"a":-0}`, `[1e10]`, `"x"`, `{`, `{"a":1,"a":[]}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := jsonParse([]*string{&s})
		if err != nil {
			return
		}
		text := got.(string)
		if !json.Valid([]byte(text)) {
			t.Fatalf("%q gave %q, not JSON", s, text)
		}
		again, err := jsonParse([]*string{&text})
		if err != nil || again != text {
			t.Fatalf("%q gave %q, which gives %v, %v", s, text, again, err)
		}
	})
}
