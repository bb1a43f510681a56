package dynamodb

import (
	"fmt"
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

// TestPartiQLStatementRules runs statements against a table, for what a
// review found apart from DynamoDB's PartiQL (DynamoDB Local's translators
// and its ValidationExceptionMessages): ORDER BY, IS <type>, set_add and
// set_delete of a set only, repeated document keys, EXISTS's rules, and a
// batch whose one statement does not parse.
func TestPartiQLStatementRules(t *testing.T) {
	s, _, _ := newService(t)
	do(t, s.CreateTable, `{"TableName":"ttt","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`)
	for _, sk := range []string{"a", "b", "c"} {
		do(t, s.ExecuteStatement, `{"Statement":"INSERT INTO ttt VALUE {'pk':'p','sk':'`+sk+`','n':1,'s':'x','l':[1]}"}`)
	}
	sks := func(stmt string) string {
		t.Helper()
		out := do(t, s.ExecuteStatement, `{"Statement":"`+stmt+`"}`)
		var got []string
		for _, raw := range out.Items {
			it, err := decodeItem(raw)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, *it["sk"].S)
		}
		return strings.Join(got, ",")
	}
	for stmt, want := range map[string]string{
		"SELECT * FROM ttt WHERE pk = 'p' ORDER BY sk DESC":               "c,b,a",
		"SELECT * FROM ttt WHERE pk = 'p' ORDER BY sk ASC, pk DESC":       "a,b,c",
		"SELECT * FROM ttt WHERE pk = 'p' AND sk > 'a' ORDER BY sk DESC":  "c,b",
		"SELECT * FROM ttt WHERE pk = 'p' AND s IS STRING":                "a,b,c",
		"SELECT * FROM ttt WHERE pk = 'p' AND n IS NUMERIC AND l IS LIST": "a,b,c",
		"SELECT * FROM ttt WHERE pk = 'p' AND n IS NOT NUMERIC":           "",
		"SELECT * FROM ttt WHERE pk = 'p' AND s IS BOOLEAN":               "",
	} {
		if got := sks(stmt); got != want {
			t.Errorf("%s: %q, want %q", stmt, got, want)
		}
	}
	for stmt, want := range map[string]string{
		"SELECT * FROM ttt ORDER BY sk":                                       "Must have WHERE clause in the statement when using ORDER BY clause.",
		"SELECT * FROM ttt WHERE sk = 'a' ORDER BY sk":                        "Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.",
		"SELECT * FROM ttt WHERE pk = 'p' ORDER BY n":                         "Variable reference n in ORDER BY clause must be part of the primary key",
		"SELECT * FROM ttt WHERE pk = 'p' AND s IS DATE":                      "Unsupported data type for IS operator: DATE. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]",
		"UPDATE ttt SET n = set_add(n, 5) WHERE pk = 'p' AND sk = 'a'":        "The second argument to SET_ADD must be a value with type SET",
		"UPDATE ttt SET n = set_delete(m, <<1>>) WHERE pk = 'p' AND sk = 'a'": "The first argument to SET_DELETE must equal the assignment value",
		"INSERT INTO ttt VALUE {'pk':'q','sk':'a','x':1,'x':2}":               "Duplicate keys in tuple. Key: x under root",
		"INSERT INTO ttt VALUE {'pk':'q','sk':'a','m':{'y':1,'y':2}}":         "Duplicate keys in tuple. Key: y under root.m",
		"SELECT * FROM ttt WHERE pk = 'p' AND n = MISSING":                    "MISSING must be compared using IS operator",
		"INSERT INTO ttt VALUE {'pk':'q','sk':'a'} RETURNING ALL OLD *":       "RETURNING is not supported in INSERT",
		"UPDATE ttt SET n = 2 WHERE pk = 'p' AND sk = 'a' AND sk = 'b'":       "Multiple conditions on same key sk. Only single item Update/Insert/Delete are supported",
		"DELETE FROM ttt WHERE pk = 'p' AND sk = 'a' AND pk IN ['p', 'q']":    "Multiple conditions on same key pk. Only single item Update/Insert/Delete are supported",
	} {
		if got := refused(t, s.ExecuteStatement, `{"Statement":"`+stmt+`"}`); got != want {
			t.Errorf("%s:\n got %q\nwant %q", stmt, got, want)
		}
	}
	if got := refused(t, s.ExecuteStatement, `{"Statement":"INSERT INTO ttt VALUE ?","Parameters":[{"M":{"pk":{"S":"q"},"sk":{"S":"a"}}}]}`); got != "Unsupported format in item expression. Please use struct format {...} to express item values for insert statement." {
		t.Errorf("INSERT INTO ttt VALUE ?: %q", got)
	}
	if got := refused(t, s.ExecuteStatement, `{"Statement":"SELECT * FROM ttt","Parameters":[]}`); got != "1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: Member must have length greater than or equal to 1" {
		t.Errorf("no parameters: %q", got)
	}
	// Comments, as PartiQL has them.
	if got := sks("SELECT * FROM ttt -- the table\\n WHERE /* the partition */ pk = 'p' AND sk = 'a' --"); got != "a" {
		t.Errorf("a statement with comments: %q", got)
	}
	if got := sks("SELECT * FROM ttt WHERE pk = 'p' AND n = 1"); got != "a,b,c" {
		t.Errorf("the refused set_add changed n: %s", got)
	}
	// Several partition key values are queried in turn, in the order given
	// (reversed by ORDER BY pk DESC), reading those partitions only.
	for _, sk := range []string{"x", "y"} {
		do(t, s.ExecuteStatement, `{"Statement":"INSERT INTO ttt VALUE {'pk':'q','sk':'`+sk+`'}"}`)
	}
	do(t, s.PutItem, `{"TableName":"ttt","Item":{"pk":{"S":"z"},"sk":{"S":"big"},"body":{"S":"`+strings.Repeat("z", 40000)+`"}}}`)
	for stmt, want := range map[string]string{
		"SELECT * FROM ttt WHERE pk IN ['q', 'p', 'q']":                      "x,y,a,b,c",
		"SELECT * FROM ttt WHERE pk = 'p' OR pk = 'q'":                       "a,b,c,x,y",
		"SELECT * FROM ttt WHERE pk IN ['q', 'p'] ORDER BY pk DESC":          "a,b,c,x,y",
		"SELECT * FROM ttt WHERE pk IN ['q', 'p'] ORDER BY pk DESC, sk DESC": "y,x,c,b,a", // as DynamoDB Local orders them
		"SELECT * FROM ttt WHERE pk IN ['q', 'p'] ORDER BY sk DESC":          "y,x,c,b,a",
		"SELECT * FROM ttt WHERE pk IN ['q', 'p'] AND sk > 'a' AND sk < 'y'": "x,b,c",
		"SELECT * FROM ttt WHERE pk IN ['q', 'nobody']":                      "x,y",
	} {
		if got := sks(stmt); got != want {
			t.Errorf("%s: %q, want %q", stmt, got, want)
		}
	}
	cc := do(t, s.ExecuteStatement, `{"Statement":"SELECT * FROM ttt WHERE pk IN ['p', 'q']","ReturnConsumedCapacity":"TOTAL"}`).ConsumedCapacity
	if cc == nil || cc.CapacityUnits != 1 { // 5 small items in two partitions: one 4 KB unit, halved, twice; not z's 40 KB
		t.Errorf("SELECT of two partitions: %+v, want 1 unit", cc)
	}
	// Paged by Limit, across partitions, with the tokens DynamoDB's clients
	// pass back.
	var paged []string
	token := ""
	for range 10 {
		req := `{"Statement":"SELECT * FROM ttt WHERE pk IN ['q', 'p']","Limit":2`
		if token != "" {
			req += `,"NextToken":"` + token + `"`
		}
		out := do(t, s.ExecuteStatement, req+`}`)
		for _, raw := range out.Items {
			it, _ := decodeItem(raw)
			paged = append(paged, *it["sk"].S)
		}
		if token = out.NextToken; token == "" {
			break
		}
	}
	if got := strings.Join(paged, ","); got != "x,y,a,b,c" {
		t.Errorf("paged by 2: %s", got)
	}
	// Tokens of another statement, or none at all, are refused rather than
	// read as the start: a key where a position is due, an empty position.
	keyToken := do(t, s.ExecuteStatement, `{"Statement":"SELECT * FROM ttt WHERE pk = 'p'","Limit":1}`).NextToken
	for _, bad := range []string{"bm9wZQ==", keyToken, nextToken(map[string]any{}), nextToken(nil), nextToken(partitionPosition{Partition: 2})} {
		if got := refused(t, s.ExecuteStatement, `{"Statement":"SELECT * FROM ttt WHERE pk IN ['q', 'p']","NextToken":"`+bad+`"}`); got != "Invalid NextToken" {
			t.Errorf("token %s: %q", bad, got)
		}
	}
	// Numbers are one value however written; a page holds 1 MB of items
	// over all its partitions.
	do(t, s.CreateTable, `{"TableName":"ntt","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"N"},{"AttributeName":"sk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`)
	big := strings.Repeat("b", 390_000)
	for _, k := range []string{"1/a", "1/b", "2/c", "2/d", "3/e", "3/f"} {
		pk, sk, _ := strings.Cut(k, "/")
		do(t, s.PutItem, `{"TableName":"ntt","Item":{"pk":{"N":"`+pk+`"},"sk":{"S":"`+sk+`"},"body":{"S":"`+big+`"}}}`)
	}
	if out := do(t, s.ExecuteStatement, `{"Statement":"SELECT sk FROM ntt WHERE pk IN [1, 1.0, 10e-1]"}`); len(out.Items) != 2 {
		t.Errorf("pk IN [1, 1.0, 10e-1]: %d items, want 2", len(out.Items))
	}
	var pages []int
	token = ""
	for range 10 {
		req := `{"Statement":"SELECT sk FROM ntt WHERE pk IN [1, 2, 3]"`
		if token != "" {
			req += `,"NextToken":"` + token + `"`
		}
		out := do(t, s.ExecuteStatement, req+`}`)
		pages = append(pages, len(out.Items))
		if token = out.NextToken; token == "" {
			break
		}
	}
	// 390 KB items: the third passes 1 MB and ends the page, as a Scan's;
	// a page cut by size names where it stopped even when nothing follows.
	if fmt.Sprint(pages) != "[3 3 0]" {
		t.Errorf("pages of 390 KB items over three partitions: %v", pages)
	}
	for stmt, want := range map[string]string{
		"EXISTS(SELECT * FROM ttt WHERE pk = 'p' AND sk = 'a')":             "EXISTS() must contain a single item read with additional condition",
		"EXISTS(SELECT * FROM ttt.i WHERE pk = 'p' AND sk = 'a' AND n = 1)": "Operations on indices are not supported in transactions",
	} {
		if got := refused(t, s.ExecuteTransaction, `{"TransactStatements":[{"Statement":"`+stmt+`"},{"Statement":"UPDATE ttt SET n = 2 WHERE pk = 'p' AND sk = 'b'"}]}`); got != want {
			t.Errorf("%s:\n got %q\nwant %q", stmt, got, want)
		}
	}
	// A batch statement that does not parse is that statement's error; the
	// others run, and an UPDATE's RETURNING comes back as its Item.
	out := do(t, s.BatchExecuteStatement, `{"Statements":[{"Statement":"INSERT INTO ttt VALUE {'pk':'b','sk':'1'}"},
		{"Statement":"INSERT INTO ttt VALUE {'pk': bad"},{"Statement":"INSERT INTO ttt VALUE {'pk':?,'sk':'2'}"},
		{"Statement":"UPDATE ttt SET n = 5 WHERE pk = 'p' AND sk = 'c' RETURNING ALL NEW *"}]}`)
	if len(out.Responses) != 4 || out.Responses[0].Error != nil || out.Responses[3].Error != nil {
		t.Fatalf("responses: %+v", out.Responses)
	}
	for _, i := range []int{1, 2} {
		if e := out.Responses[i].Error; e == nil || e.Code != "ValidationError" {
			t.Errorf("statement %d: %+v, want a ValidationError", i, out.Responses[i])
		}
	}
	if n := out.Responses[3].Item["n"]; n.N == nil || *n.N != "5" {
		t.Errorf("RETURNING ALL NEW in a batch: %+v", out.Responses[3].Item)
	}
	if got := sks("SELECT * FROM ttt WHERE pk = 'b'"); got != "1" {
		t.Errorf("the batch's good INSERT: %q", got)
	}
}
