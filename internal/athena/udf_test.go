package athena

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
)

func TestTrinoType(t *testing.T) {
	for duck, want := range map[string]string{
		"INTEGER":                              "integer",
		"DECIMAL(10,2)":                        "decimal(10,2)",
		"VARCHAR[]":                            "array(varchar)",
		"INTEGER[3][]":                         "array(array(integer))",
		"MAP(VARCHAR, DOUBLE[])":               "map(varchar, array(double))",
		"STRUCT(a INTEGER, \"b c\" VARCHAR)":   `row(a integer, "b c" varchar)`,
		"STRUCT(\"q\"\"x\" BLOB)":              `row("q""x" varbinary)`,
		"STRUCT(INTEGER, VARCHAR)":             "row(integer, varchar)",
		"STRUCT(t TIMESTAMP WITH TIME ZONE)[]": "array(row(t timestamp(3) with time zone))",
		"MAP(VARCHAR, STRUCT(x FLOAT))":        "map(varchar, row(x real))",
		"\"NULL\"":                             "unknown",
		"HUGEINT":                              "decimal(38,0)",
		"UNION(a INTEGER)":                     "union(a integer)",
		"STRUCT(DECIMAL(3,1))":                 "row(decimal(3,1))",
		"STRUCT(a ENUM('x', 'y'))":             "row(a enum('x', 'y'))",
		"TIME WITH TIME ZONE":                  "time(3) with time zone",
	} {
		if got := trinoType(duck); got != want {
			t.Errorf("trinoType(%q) = %q, want %q", duck, got, want)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "5": "5", "-5": "-5", "999": "999", "1000": "1K", "1234": "1.23K", "1235": "1.24K",
		"-1234": "-1.23K", "12345": "12.3K", "12350": "12.3K" /* 12.35 is 12.3499… in binary */, "123456": "123K", "999999": "1000K",
		"1000000": "1M", "1999999": "2M", "1.5e15": "1.5Q", "2e18": "2000Q", "12345.9": "12.3K",
		"9223372036854775807": "9223Q", "-9.3e18": "-9223.37Q" /* negative: always two decimals, as in Trino */, "NaN": "0",
	} {
		got, err := formatNumber(in)
		if err != nil || got != want {
			t.Errorf("formatNumber(%s) = %v, %v; want %s", in, got, err, want)
		}
	}
	if _, err := formatNumber("abc"); err == nil {
		t.Error("formatNumber(abc): no error")
	}
}

func TestSoundex(t *testing.T) {
	for in, want := range map[string]string{
		"Robert": "R163", "Rupert": "R163", "Rubin": "R150", "Tymczak": "T522", "Pfister": "P236",
		"Ashcraft": "A261", "Honeyman": "H555", "YDHT": "Y300", "YDAT": "Y330", "a": "A000",
		"": "", "1-2": "", "o'hara": "O600",
	} {
		got, err := soundex(in)
		if err != nil || got != want {
			t.Errorf("soundex(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	if _, err := soundex("Ærø"); err == nil {
		t.Error("soundex of a letter outside A-Z: no error")
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]string{
		"42.8ms": "43", "3.81 d": "329184000", "5m": "300000", " 1h ": "3600000", "0.4ns": "0",
		"1500us": "2", "1499us": "1", "2s": "2000",
	} {
		got, err := parseDuration(in)
		if err != nil || got != want {
			t.Errorf("parseDuration(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"", "ms", "5", "5 years", "-5s", "1e3s", "99999999999999999999d"} {
		if got, err := parseDuration(in); err == nil {
			t.Errorf("parseDuration(%q) = %v, want an error", in, got)
		}
	}
}

func TestISO8601Date(t *testing.T) {
	for in, want := range map[string]string{
		"2020": "2020-01-01", "2020-05": "2020-05-01", "2020-05-11": "2020-05-11",
		"2020-W10": "2020-03-02", "2020-W10-5": "2020-03-06", "2020-W53-7": "2021-01-03",
		"2021-W01-1": "2021-01-04", "2019-W01-1": "2018-12-31", "2020-123": "2020-05-02", "2020-366": "2020-12-31",
	} {
		got, err := iso8601Date(in)
		if err != nil || got != want {
			t.Errorf("iso8601Date(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"", "20", "2020-13", "2020-02-30", "2021-W53", "2020-W00", "2020-W10-8", "2021-366", "2020-000", "2020-5-1"} {
		if got, err := iso8601Date(in); err == nil {
			t.Errorf("iso8601Date(%q) = %v, want an error", in, got)
		}
	}
}

func TestRegexpPosition(t *testing.T) {
	var u udfs
	str := func(s string) *string { return &s }
	s := "I have 23 apples, 5 pears and 13 oranges"
	for _, c := range []struct {
		start, occurrence, want string
	}{
		{"1", "1", "8"}, {"12", "1", "19"}, {"12", "2", "31"}, {"12", "3", "-1"}, {"100", "1", "-1"}, {"41", "1", "-1"},
	} {
		got, err := u.regexpPosition([]*string{str(s), str(`\d+`), str(c.start), str(c.occurrence)})
		if err != nil || got != c.want {
			t.Errorf("regexp_position(start %s, occurrence %s) = %v, %v; want %s", c.start, c.occurrence, got, err, c.want)
		}
	}
	if got, err := u.regexpPosition([]*string{nil, str("a"), str("1"), str("1")}); got != nil || err != nil {
		t.Errorf("NULL input: %v, %v", got, err)
	}
	if _, err := u.regexpPosition([]*string{str("a"), str("("), str("1"), str("1")}); err == nil {
		t.Error("a bad pattern: no error")
	}
}

// FuzzTrinoType: any type string is spelled without a panic or a hang.
func FuzzTrinoType(f *testing.F) {
	for _, s := range []string{"INTEGER[]", "MAP(VARCHAR, STRUCT(\"a\" INTEGER)[])", "STRUCT(", "DECIMAL(", "((((", `"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { trinoType(s) })
}

// FuzzISO8601Date: any input is a date or an error, never a panic.
func FuzzISO8601Date(f *testing.F) {
	for _, s := range []string{"2020-W10-5", "2020-123", "2020-05-11", "9999-W53-7"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, err := iso8601Date(s); err == nil {
			if _, err := time.Parse(time.DateOnly, v.(string)); err != nil {
				t.Fatalf("%q gave %q, not a date", s, v)
			}
		}
	})
}

func TestUTFEncoding(t *testing.T) {
	str := func(s string) *string { return &s }
	for _, c := range []struct{ text, enc, hex string }{
		{"[5]", "UTF8", "5b355d"},
		{"[5]", "UTF16", "5b0035005d00"},
		{"é😀", "UTF16", "e9003dd800de"},
		{"[5]", "UTF32", "5b000000350000005d000000"},
	} {
		got, err := utfEncode([]*string{str(c.text), str(c.enc)})
		if err != nil {
			t.Fatal(err)
		}
		back, err := utfDecode([]*string{str(got.(string)), str(c.enc)})
		if err != nil || back != c.text {
			t.Errorf("%s %q: encoded %v, decoded back %v, %v", c.enc, c.text, got, back, err)
		}
		if got != c.hex {
			t.Errorf("%s %q = %v, want %s", c.enc, c.text, got, c.hex)
		}
	}
	for _, c := range [][2]string{{"5b00", "UTF32"}, {"5b0", "UTF8"}, {"ff", "UTF8"}, {"5b", "UTF16"}, {"00", "EBCDIC"}} {
		if got, err := utfDecode([]*string{str(c[0]), str(c[1])}); err == nil {
			t.Errorf("utfDecode(%s, %s) = %v, want an error", c[0], c[1], got)
		}
	}
}

func TestCaptureGroups(t *testing.T) {
	for p, want := range map[string]int{
		`(\w)(\w*)`: 2, `\(x\)`: 0, `[(]x(y)`: 1, `[]()](a)`: 1, `(?:a)(b)`: 1, `(?i)(a)`: 1,
		`(?P<n>a)(?<m>b)`: 2, `(?<=a)(b)`: 1, `((a)(b))`: 3, `a\\(b)`: 1,
	} {
		if got := captureGroups(p); got != want {
			t.Errorf("captureGroups(%q) = %d, want %d", p, got, want)
		}
	}
}

func TestJSONTopLevel(t *testing.T) {
	for _, c := range []struct {
		doc  string
		kind byte
		n    int
		keys []string
	}{
		{`[]`, '[', 0, nil},
		{`[1, NaN, -Infinity, "a,]\"", [2, 3], {"x": 1}]`, '[', 6, nil},
		{` { "a,\"]}": NaN, "b": [1, {"c": 2}], "\u00e9": null } `, '{', 3, []string{`a,"]}`, "b", "é"}},
		{`{}`, '{', 0, nil},
		{`"text"`, 0, 0, nil},
		{`[1, 2`, '[', 0, nil}, // unterminated: no count
	} {
		kind, n, keys := jsonTopLevel(c.doc)
		if kind != c.kind || n != c.n || !slices.Equal(keys, c.keys) {
			t.Errorf("%s: %q %d %q, want %q %d %q", c.doc, kind, n, keys, c.kind, c.n, c.keys)
		}
	}
}

// FuzzJSONTopLevel holds the scanner to encoding/json on valid documents.
func FuzzJSONTopLevel(f *testing.F) {
	for _, s := range []string{`[1, "a]", [2]]`, `{"a": {"b": [1]}, "c\"": 2}`, `[]`, `{}`, `[NaN]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		kind, n, keys := jsonTopLevel(doc) // never panics
		var arr []json.RawMessage
		if json.Unmarshal([]byte(doc), &arr) == nil {
			if kind != '[' || n != len(arr) {
				t.Fatalf("%s: %q %d, want an array of %d", doc, kind, n, len(arr))
			}
		}
		var obj map[string]json.RawMessage
		if json.Unmarshal([]byte(doc), &obj) == nil && obj != nil {
			if kind != '{' || n < len(obj) {
				t.Fatalf("%s: %q %d, want an object of %d", doc, kind, n, len(obj))
			}
			for _, k := range keys {
				if _, ok := obj[k]; !ok {
					t.Fatalf("%s: key %q is not the object's", doc, k)
				}
			}
		}
	})
}
