package dynamodb

import (
	"strings"
	"testing"
)

// Statements become the expression language the item operations take.
func TestPartiQLTranslation(t *testing.T) {
	one := "1"
	for _, tc := range []struct {
		stmt       string
		params     []AttributeValue
		where, upd string
	}{
		{`SELECT * FROM t WHERE a = 'x' AND (b < 3 OR NOT c IS MISSING)`, nil,
			"((#n0 = :v0) AND ((#n1 < :v1) OR (NOT attribute_not_exists(#n2))))", ""},
		{`select "x y".z[2] from "t"."ix" where x IN ['a', ?] and size(y) > 1 and y is not null`, []AttributeValue{{N: &one}},
			"(((#n0 IN (:v0, :v1)) AND (size(#n1) > :v2)) AND (NOT attribute_type(#n1, :v3)))", ""},
		{`UPDATE t SET a = a + 1, b = list_append(b, [2]) SET s = set_delete(s, <<'x'>>) REMOVE c.d[0] WHERE k = 'v' RETURNING MODIFIED NEW *`, nil,
			"(#n0 = :v0)", "SET #n1 = #n1 + :v1, #n2 = list_append(#n2, :v2) DELETE #n3 :v3 REMOVE #n4.#n5[0]"},
		{`DELETE FROM t WHERE k = -1.5e3 RETURNING ALL OLD *;`, nil, "(#n0 = :v0)", ""},
	} {
		st, err := parsePartiQL(tc.stmt, tc.params)
		if err != nil {
			t.Errorf("%s: %v", tc.stmt, err)
			continue
		}
		w := newPQWriter()
		where, err := w.expr(st.where)
		if err != nil || where != tc.where {
			t.Errorf("%s: WHERE %q, %v; want %q", tc.stmt, where, err, tc.where)
		}
		if tc.upd != "" {
			if upd, err := w.update(st); err != nil || string(upd) != tc.upd {
				t.Errorf("%s: update %q, %v; want %q", tc.stmt, upd, err, tc.upd)
			}
		}
	}
	for _, bad := range []string{``, `SELECT`, `SELECT * FROM`, `SELECT * FROM t WHERE a =`, `SELECT * FROM t LIMIT 5`,
		`INSERT INTO t VALUE {'a' 1}`, `UPDATE t WHERE a = 1`, `DELETE FROM t WHERE a = 1 RETURNING ALL NEW *`,
		`SELECT * FROM t WHERE a = 'unterminated`, `SELECT * FROM t WHERE a = ?`, `SELECT * FROM t WHERE a = <<1, 'x'>>`,
		`SELECT * FROM t WHERE x[a] = 1`, `SELECT * FROM t WHERE a = 1 @`} {
		if _, err := parsePartiQL(bad, nil); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	if _, err := parsePartiQL("SELECT * FROM t WHERE "+strings.Repeat("(", 9000)+"a = 1", nil); err == nil {
		t.Error("a statement over 8 KB parsed")
	}
	// set_add and set_delete change the attribute they are assigned to.
	st, err := parsePartiQL(`UPDATE t SET a = set_add(b, <<1>>) WHERE k = 1`, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newPQWriter().update(st); err == nil {
		t.Error("SET a = set_add(b, ...) accepted")
	}
}

func FuzzPartiQL(f *testing.F) {
	for _, s := range []string{
		`SELECT a, b.c[1] FROM "t"."i" WHERE a = 'x' AND b BETWEEN 1 AND 2 OR c IN [1, 2] AND d IS NOT MISSING`,
		`INSERT INTO t VALUE {'a': 1, 'b': [TRUE, NULL, {'c': <<'x', 'y'>>}]}`,
		`UPDATE t SET a = a - 1 SET b = set_add(b, <<1>>) REMOVE c WHERE k = ? AND s = 'x' RETURNING ALL OLD *`,
		`DELETE FROM t WHERE k = 1 AND begins_with(s, 'a')`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		one := "1"
		st, err := parsePartiQL(src, []AttributeValue{{N: &one}})
		if err != nil {
			return
		}
		w := newPQWriter()
		if st.where != nil {
			w.expr(st.where)
		}
		if st.kind == "UPDATE" {
			w.update(st)
		}
	})
}
