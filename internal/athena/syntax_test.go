package athena

import (
	"strings"
	"testing"
)

func TestTrinoSyntax(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT id, at FROM t WHERE at > 1", `SELECT id, "at" FROM t WHERE "at" > 1`},
		{"SELECT if(a > 1, 'x'), IF(b, f(1, 2), 3), if (c, 1)", "SELECT if(a > 1, 'x', NULL), IF(b, f(1, 2), 3), if (c, 1, NULL)"},
		{"SELECT if(", "SELECT if("},
		{"SELECT ts AT TIME ZONE 'UTC', t.at", `SELECT ts AT TIME ZONE 'UTC', t."at"`},
		{"SELECT `a b` FROM t", `SELECT "a b" FROM t`},
		{"SELECT '`not a name`', \"`q`\"", "SELECT '`not a name`', \"`q`\""},
		{"SELECT CAST(x AS ARRAY(INTEGER))", "SELECT CAST(x AS INTEGER[])"},
		{"SELECT TRY_CAST(x AS array(array(varchar)))", "SELECT TRY_CAST(x AS varchar[][])"},
		{"SELECT CAST(x AS MAP(VARCHAR, ARRAY(DOUBLE)))", "SELECT CAST(x AS MAP(VARCHAR, DOUBLE[]))"},
		{"SELECT CAST(r AS ROW(a INTEGER, \"b c\" VARCHAR))", `SELECT CAST(r AS STRUCT(a INTEGER, "b c" VARCHAR))`},
		{"SELECT CAST(b AS VARBINARY), CAST(t AS TIMESTAMP(3) WITH TIME ZONE)", "SELECT CAST(b AS BLOB), CAST(t AS TIMESTAMP WITH TIME ZONE)"},
		{"SELECT CAST(d AS DECIMAL(10, 2)), CAST(v AS VARCHAR(5)), CAST(f AS DOUBLE PRECISION)", "SELECT CAST(d AS DECIMAL(10,2)), CAST(v AS VARCHAR(5)), CAST(f AS DOUBLE PRECISION)"},
		{"SELECT CAST(CAST(x AS ARRAY(INT)) AS ARRAY(BIGINT))", "SELECT CAST(CAST(x AS INT[]) AS BIGINT[])"},
		{"SELECT * FROM (VALUES 1, 2) t(x)", "SELECT * FROM (VALUES (1), (2)) t(x)"},
		{"SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(x, y)", "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(x, y)"},
		{"VALUES 'a', 'b' ORDER BY 1", "VALUES ('a'), ('b') ORDER BY 1"},
		{"SELECT * FROM (VALUES (1) + 2) t(x)", "SELECT * FROM (VALUES ((1) + 2)) t(x)"},
		{"INSERT INTO t VALUES 1", "INSERT INTO t VALUES (1)"},
		{"SELECT TIMESTAMP '2020-01-01 00:00:00 UTC', TIMESTAMP '2020-01-01 00:00:00'", "SELECT TIMESTAMPTZ '2020-01-01 00:00:00 UTC', TIMESTAMP '2020-01-01 00:00:00'"},
		{"SELECT TIMESTAMP '2020-01-01 00:00:00 +01:00'", "SELECT TIMESTAMPTZ '2020-01-01 00:00:00+01:00'"},
		{"SELECT TIMESTAMP '2020-01-01 00:00 GMT-8', timestamp '2020-01-01 01:02:03.4 UTC+0530'", "SELECT TIMESTAMPTZ '2020-01-01 00:00:00-08:00', TIMESTAMPTZ '2020-01-01 01:02:03.4+05:30'"},
		{"SELECT TIMESTAMP '2020-01-01 00:00 Europe/Paris', TIMESTAMP '2020-01-01 x+99'", "SELECT TIMESTAMPTZ '2020-01-01 00:00:00 Europe/Paris', TIMESTAMP '2020-01-01 x+99'"},
		{"SELECT TIMESTAMP '2020-01-01 00:00:00+05:30', TIMESTAMP '2020-01-01 01:02:03.25-08'", "SELECT TIMESTAMPTZ '2020-01-01 00:00:00+05:30', TIMESTAMPTZ '2020-01-01 01:02:03.25-08:00'"},
		{"SELECT listagg(v, ',' ON OVERFLOW ERROR) WITHIN GROUP (ORDER BY v)", "SELECT string_agg(v, ',' ORDER BY v)"},
		{"SELECT TIME '12:00:00+09:00', TIME '12:00:00', t AT TIME ZONE 'UTC'", "SELECT TIMETZ '12:00:00+09:00', TIME '12:00:00', t AT TIME ZONE 'UTC'"},
		{"SELECT X'6869', x = 'a'", "SELECT unhex('6869'), x = 'a'"},
		{"SELECT JSON '[1, 2]', CAST(x AS JSON)", "SELECT json_parse('[1, 2]'), CAST(x AS JSON)"},
		{"SELECT 0x1F, 0o17, 0b101, 0", "SELECT 31, 15, 5, 0"},
		{"SELECT listagg(x, ',') WITHIN GROUP (ORDER BY x DESC) FROM t", "SELECT string_agg(x, ',' ORDER BY x DESC) FROM t"},
		{"SELECT listagg(x) WITHIN GROUP (ORDER BY x) FROM t", "SELECT string_agg(x, '' ORDER BY x) FROM t"},
		{"SELECT 1 -- CAST(x AS ARRAY(INT))\n", "SELECT 1 -- CAST(x AS ARRAY(INT))\n"},
		{"SELECT CAST(x AS", "SELECT CAST(x AS"}, // incomplete: the engine reports it
		{"SELECT * FROM (VALUES 1, 2 -- two\n) t(x)", "SELECT * FROM (VALUES (1), (2) -- two\n) t(x)"},
		{"SELECT CAST(x AS ARRAY<VARCHAR>)", "SELECT CAST(x AS ARRAY<VARCHAR>)"}, // not Trino's: left as written
	} {
		if got := trinoSyntax(tc.in); got != tc.want {
			t.Errorf("trinoSyntax(%q)\n   = %q\n want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzTrinoSyntax: any text is rewritten without a panic, and text with
// nothing to rewrite comes back as it was.
func FuzzTrinoSyntax(f *testing.F) {
	for _, s := range []string{"SELECT CAST(x AS ARRAY(ROW(a INT)))", "VALUES 1, (2), 3", "SELECT `a`", "listagg(x) WITHIN GROUP (ORDER BY", "CAST(", "VALUES", "X'", "TIMESTAMP '1 UTC",
		"json_object('a' : json_array(1, NULL ABSENT ON NULL) WITH UNIQUE KEYS RETURNING VARBINARY FORMAT JSON ENCODING UTF16)",
		"json_object(KEY k VALUE X'00' FORMAT JSON ENCODING UTF32", "json_array(RETURNING", "json_object(:)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		out := trinoSyntax(q)
		if !needsRewrite(lex(q)) && out != q {
			t.Fatalf("%q rewritten to %q", q, out)
		}
		var b strings.Builder
		for _, tok := range lex(q) {
			b.WriteString(tok.text)
		}
		if b.String() != q {
			t.Fatalf("lexing %q lost text: %q", q, b.String())
		}
	})
}

// Clauses a SQL/JSON function does not take fail the query, saying which.
func TestSQLJSONClausesRefused(t *testing.T) {
	for q, want := range map[string]string{
		`SELECT json_value(j, 'lax $' EMPTY ARRAY ON EMPTY)`:           "json_value: EMPTY ARRAY ON EMPTY is not allowed",
		`SELECT json_exists(j, 'lax $' NULL ON ERROR)`:                 "json_exists: NULL ON ERROR is not allowed",
		`SELECT json_exists(j, 'lax $' TRUE ON EMPTY)`:                 "json_exists: TRUE ON EMPTY is not allowed",
		`SELECT json_query(j, 'lax $' DEFAULT 1 ON EMPTY)`:             "json_query: DEFAULT ON EMPTY is not allowed",
		`SELECT json_query(j, 'lax $' NULL ON ERROR ERROR ON ERROR)`:   "json_query: the ON ERROR clause is given twice",
		`SELECT json_query(j, 'lax $' PASSING 1 AS x PASSING 2 AS y)`:  "json_query: unexpected PASSING 2 AS y",
		`SELECT json_query(j, 'lax $' PASSING 1)`:                      "json_query: PASSING wants value AS name",
		`SELECT json_exists(j, 'lax $' RETURNING varchar)`:             "json_exists: unexpected RETURNING varchar",
		`SELECT json_query(j, 'lax $' WITH ARRAY WRAPPER OMIT QUOTES)`: "json_query: OMIT QUOTES cannot go with an array wrapper",
	} {
		if got := trinoSyntax(q); !strings.Contains(got, "error('"+want) {
			t.Errorf("%s\n  became %s\n  want error('%s...", q, got, want)
		}
	}
	// A json_value type may hold WITH: it is not json_query's wrapper.
	if got := trinoSyntax(`SELECT json_value(j, 'lax $.t' RETURNING timestamp(3) with time zone)`); strings.Contains(got, "error(") {
		t.Errorf("RETURNING timestamp(3) with time zone refused: %s", got)
	}
}
