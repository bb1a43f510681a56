package hivetype

import (
	"fmt"
	"strings"
	"testing"
)

// render writes t back in Hive's syntax, for comparing.
func render(t *Type) string {
	switch t.Name {
	case "decimal":
		return fmt.Sprintf("decimal(%d,%d)", t.Precision, t.Scale)
	case "array":
		return "array<" + render(t.Elem) + ">"
	case "map":
		return "map<" + render(t.Key) + "," + render(t.Elem) + ">"
	case "struct":
		var parts []string
		for _, f := range t.Fields {
			parts = append(parts, f.Name+":"+render(f.Type))
		}
		return "struct<" + strings.Join(parts, ",") + ">"
	}
	return t.Name
}

func TestParse(t *testing.T) {
	for in, want := range map[string]string{
		"bigint":                               "bigint",
		"INTEGER":                              "int",
		"varchar(20)":                          "string",
		"decimal(10, 2)":                       "decimal(10,2)",
		"decimal":                              "decimal(10,0)",
		"array<struct<a:int,b:array<string>>>": "array<struct<a:int,b:array<string>>>",
		"map<string, struct<x : double>>":      "map<string,struct<x:double>>",
		" struct<ts:timestamp,d:date,bin:binary>": "struct<ts:timestamp,d:date,bin:binary>",
	} {
		got, err := Parse(in)
		if err != nil {
			t.Errorf("Parse(%q): %v", in, err)
			continue
		}
		if render(got) != want {
			t.Errorf("Parse(%q) = %s, want %s", in, render(got), want)
		}
	}
	for _, bad := range []string{"", "array<int", "map<int>", "decimal(40,2)", "decimal(5,6)", "struct<>", "uniontype<int>", "int extra", strings.Repeat("array<", 40) + "int" + strings.Repeat(">", 40)} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"int", "array<map<string,struct<a:int>>>", "decimal(3,1)", "varchar(3)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ty, err := Parse(s); err == nil {
			render(ty)
		}
	})
}
