package athena

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lakebox/lakebox/internal/sqlengine"
)

func TestUsedColumns(t *testing.T) {
	ctx := context.Background()
	e, err := sqlengine.Open(sqlengine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	sess, err := e.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	// Table 0 has columns a and b, table 1 has c and a.
	for sql, want := range map[string]string{
		"SELECT sum(a) FROM __lakebox_table_0 t WHERE b > 1":                                                    "[a b] []",
		"SELECT * FROM __lakebox_table_0":                                                                       "all []",
		"SELECT x.b FROM __lakebox_table_0 x JOIN __lakebox_table_1 y ON x.b = y.c":                             "[b] [c]",
		"SELECT a FROM __lakebox_table_0 x, __lakebox_table_1 y":                                                "[a] [a]",
		"SELECT count(*) FROM __lakebox_table_0 WHERE EXISTS (SELECT * FROM __lakebox_table_1 y WHERE y.c = 1)": "[] [c]",
		"SELECT y.* FROM __lakebox_table_0 x, __lakebox_table_1 y":                                              "[] all",
	} {
		tree, err := sess.Parse(ctx, sql)
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(strings.NewReader(tree))
		dec.UseNumber()
		var root any
		if err := dec.Decode(&root); err != nil {
			t.Fatal(err)
		}
		tables := &boundTables{reads: []tableRead{{columns: []string{"a", "b"}}, {columns: []string{"c", "a"}}}}
		var got []string
		for _, cols := range tables.usedColumns(root) {
			if cols == nil {
				got = append(got, "all")
				continue
			}
			var names []string
			for c := range cols {
				names = append(names, c)
			}
			slices.Sort(names)
			got = append(got, fmt.Sprint(names))
		}
		if g := strings.Join(got, " "); g != want {
			t.Errorf("%s: used %s, want %s", sql, g, want)
		}
	}
}
