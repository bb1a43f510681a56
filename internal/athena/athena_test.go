package athena

import (
	"testing"
)

func TestDuckType(t *testing.T) {
	for hive, want := range map[string]string{
		"string":                        "VARCHAR",
		"varchar(20)":                   "VARCHAR",
		"int":                           "INTEGER",
		"bigint":                        "BIGINT",
		"decimal(10, 2)":                "DECIMAL(10,2)",
		"array<struct<k:string,v:int>>": `STRUCT("k" VARCHAR, "v" INTEGER)[]`,
		"map<string,array<double>>":     "MAP(VARCHAR, DOUBLE[])",
		"struct<a:int, `b c`:map<string,boolean>>": `STRUCT("a" INTEGER, "b c" MAP(VARCHAR, BOOLEAN))`,
		"timestamp": "TIMESTAMP",
	} {
		got, err := duckType(hive)
		if err != nil || got != want {
			t.Errorf("duckType(%q) = %q, %v; want %q", hive, got, err, want)
		}
	}
	for _, bad := range []string{"", "array<int", "map<string>", "struct<a>", "blob", "array<int>>"} {
		if _, err := duckType(bad); err == nil {
			t.Errorf("duckType(%q) succeeded", bad)
		}
	}
}

func TestBindParameters(t *testing.T) {
	for _, tc := range []struct {
		q      string
		params []string
		want   string
		ok     bool
	}{
		{"SELECT * FROM t WHERE a = ? AND b = ?", []string{"'x'", "42"}, "SELECT * FROM t WHERE a = 'x' AND b = 42", true},
		{"SELECT '?' , ? -- ?\n", []string{"1"}, "SELECT '?' , 1 -- ?\n", true},
		{"SELECT ?", nil, "", false},
		{"SELECT 1", []string{"1"}, "", false},
	} {
		got, err := bindParameters(tc.q, tc.params)
		if (err == nil) != tc.ok || tc.ok && got != tc.want {
			t.Errorf("bindParameters(%q, %q) = %q, %v", tc.q, tc.params, got, err)
		}
	}
}

func TestFirstWordAndStatementType(t *testing.T) {
	for q, want := range map[string]string{
		"select 1": "DML",
		"  -- note\n/* x */ WITH a AS (SELECT 1) SELECT * FROM a": "DML",
		"(SELECT 1)":                      "DML",
		"SHOW TABLES":                     "UTILITY",
		"create external table t (a int)": "DDL",
		"DROP TABLE t":                    "DDL",
	} {
		if got := statementType(q); got != want {
			t.Errorf("statementType(%q) = %s, want %s", q, got, want)
		}
	}
	if l, c := lineCol("SELECT\n  x FROM", 9); l != 2 || c != 3 {
		t.Errorf("lineCol = %d:%d, want 2:3", l, c)
	}
}

func TestLikeMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"", "x", true}, {"sales*", "sales_2024", true}, {"sales*", "orders", false}, {"a|b*", "bee", true}, {"a.b", "axb", false},
	} {
		if got := likeMatch(tc.pattern, tc.name); got != tc.want {
			t.Errorf("likeMatch(%q, %q) = %v", tc.pattern, tc.name, got)
		}
	}
}
