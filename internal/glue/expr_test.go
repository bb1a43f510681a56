package glue

import (
	"bytes"
	"slices"
	"testing"
)

var exprKeys = []Column{{Name: "year", Type: "int"}, {Name: "month", Type: "string"}, {Name: "ratio", Type: "double"}, {Name: "dt", Type: "date"}}

func TestParseExpr(t *testing.T) {
	values := []string{"2024", "03", "0.5", "2024-03-15"}
	for _, tc := range []struct {
		expr string
		want bool
	}{
		{"year = 2024", true},
		{"year = '2024'", true},
		{"YEAR = 2024", true},
		{"`year` = 2024", true},
		{"year = 2024.0", true},
		{"year <> 2024", false},
		{"year != 2023", true},
		{"year > 999", true},   // numeric, not "2024" > "999" as text
		{"month > '1'", false}, // text: "03" < "1"
		{"month = 3", false},   // text comparison with "3"
		{"ratio < 1", true},
		{"ratio >= 0.5 AND ratio <= 0.5", true},
		{"dt BETWEEN '2024-03-01' AND '2024-03-31'", true},
		{"dt NOT BETWEEN '2024-03-01' AND '2024-03-31'", false},
		{"month IN ('01', '03')", true},
		{"month NOT IN ('01', '03')", false},
		{"year IN (2023, 2024) AND month LIKE '0_'", true},
		{"month LIKE '1%'", false},
		{"NOT year = 2024 OR month = '03'", true},
		{"NOT (year = 2024 OR month = '03')", false},
		{"year = 2023 OR year = 2024 AND month = '04'", false}, // AND binds tighter
		{"(year = 2023 OR year = 2024) AND month = '03'", true},
		{"2025 > year", true},
		{"month = 'it''s'", false},
		{"year == 2024", true},
	} {
		p, err := parseExpr(tc.expr, exprKeys)
		if err != nil {
			t.Errorf("parseExpr(%q): %v", tc.expr, err)
			continue
		}
		if got := p.eval(values); got != tc.want {
			t.Errorf("%q = %v, want %v", tc.expr, got, tc.want)
		}
	}
	// A value that is not of the key's type matches no comparison.
	p, _ := parseExpr("year < 3000", exprKeys)
	if p.eval([]string{"__HIVE_DEFAULT_PARTITION__", "", "", ""}) {
		t.Error("a non-integer value compared as an integer")
	}
	for _, bad := range []string{"", "year", "year =", "year = 1 AND", "(year = 1", "year = 1)", "nope = 1", "year IN ()",
		"year IN (1", "year BETWEEN 1", "year ! 1", "month = 'x", "year = 1 2", "NOT", "year LIKE month", "= 1", "year @ 1"} {
		if _, err := parseExpr(bad, exprKeys); err == nil {
			t.Errorf("parseExpr(%q) succeeded", bad)
		}
	}
}

func TestPlanFor(t *testing.T) {
	rec := &tableRecord{Table: Table{PartitionKeys: []Column{{Name: "year", Type: "int"}, {Name: "month", Type: "string"}, {Name: "day", Type: "string"}}}}
	rec.Indexes = []*indexDef{{Name: "by_day", Keys: []string{"day"}}}
	for _, tc := range []struct {
		expr     string
		index    string
		prefixes int
	}{
		{"year > 2020", "", 1}, // full scan
		{"year = 2020", "", 1}, // one prefix
		{"year IN (2020, 2021) AND month IN ('01','02')", "", 4}, // cartesian product
		{"year = 2020 OR month = '01'", "", 1},                   // OR pins nothing
		{"day = '05'", "by_day", 1},                              // the index leads with day
		{"year = 2020 AND day = '05'", "", 1},                    // a tie keeps the partitions' order
		{"year = 2020 AND year = 2021", "", 0},                   // contradiction: nothing to scan
		{"year = 2020.5", "", 1},                                 // not an integer: no seek
	} {
		p, err := parseExpr(tc.expr, rec.PartitionKeys)
		if err != nil {
			t.Fatal(err)
		}
		pl := planFor(p, rec)
		name := ""
		if pl.index != nil {
			name = pl.index.Name
		}
		if name != tc.index || len(pl.prefixes) != tc.prefixes {
			t.Errorf("plan(%q) = index %q, %d prefixes; want %q, %d", tc.expr, name, len(pl.prefixes), tc.index, tc.prefixes)
		}
	}
}

// TestPlan_TextRange checks that range seeks on a text key return exactly
// what evaluating the predicate on every partition does.
func TestPlan_TextRange(t *testing.T) {
	keys := []Column{{Name: "region", Type: "string"}, {Name: "day", Type: "string"}}
	rec := &tableRecord{Table: Table{PartitionKeys: keys}}
	var all [][]string
	for _, r := range []string{"eu", "us"} {
		for _, d := range []string{"", "0", "01", "01\x00", "01a", "02", "1", "10", "9", "\xff"} {
			all = append(all, []string{r, d})
		}
	}
	for _, expr := range []string{"day >= '01'", "day > '01'", "day <= '01'", "day < '01'", "day BETWEEN '01' AND '1'",
		"region = 'eu' AND day > '01' AND day < '10'", "region = 'us' AND day >= '02' AND day <= '02'", "day > '9' AND day < '1'",
		"region IN ('eu', 'us') AND day > ''", "region > 'eu'"} {
		p, err := parseExpr(expr, keys)
		if err != nil {
			t.Fatal(err)
		}
		pl := planFor(p, rec)
		var got, want []string
		for _, v := range all {
			if p.eval(v) {
				want = append(want, v[0]+"/"+v[1])
			}
			enc := appendTuple([]byte("base"), v...)
			for _, prefix := range pl.prefixes {
				lo, hi := pl.bounds([]byte("base"), prefix)
				if bytes.Compare(enc, lo) >= 0 && bytes.Compare(enc, hi) < 0 && p.eval(v) {
					got = append(got, v[0]+"/"+v[1])
				}
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: seeks find %q, want %q", expr, got, want)
		}
	}
}

func FuzzParseExpr(f *testing.F) {
	for _, s := range []string{"year = 2024", "month IN ('01','02') AND NOT year < 3", "dt BETWEEN 'a' AND 'b' OR month LIKE '%x_'",
		"((((year = 1))))", "`year` != 'it''s'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		p, err := parseExpr(expr, exprKeys)
		if err != nil {
			return
		}
		p.eval([]string{"2024", "03", "x", ""})
		planFor(p, &tableRecord{Table: Table{PartitionKeys: exprKeys}})
	})
}
