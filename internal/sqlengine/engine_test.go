package sqlengine

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestSession(t *testing.T) {
	e, err := Open(Options{MemoryLimit: "256MB", TempDir: t.TempDir(), Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ctx := context.Background()
	s, err := e.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var got [][]string
	cols, err := s.Query(ctx, `SELECT 7 / 2 AS q, 2.5::DOUBLE AS d, 2::DOUBLE AS w, 1.50::DECIMAL(5,2) AS m, NULL AS n,
		DATE '2024-03-01' AS day, TIMESTAMP '2024-03-01 10:00:01.5' AS ts, [1, 2] AS arr, MAP {'k': 1} AS mp, true AS b, 'x' AS s`,
		func(row []*string) error {
			var r []string
			for _, v := range row {
				if v == nil {
					r = append(r, "NULL")
				} else {
					r = append(r, *v)
				}
			}
			got = append(got, r)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	want := "3|2.5|2.0|1.50|NULL|2024-03-01|2024-03-01 10:00:01.500|[1, 2]|{k=1}|true|x"
	if len(got) != 1 || strings.Join(got[0], "|") != want {
		t.Fatalf("row = %q, want %s", got, want)
	}
	if cols[0].Name != "q" || cols[0].Type != "INTEGER" || cols[3].Type != "DECIMAL(5,2)" {
		t.Errorf("columns = %+v", cols)
	}
	if _, err := s.Parse(ctx, "SELEC 1"); err == nil {
		t.Error("Parse accepted a syntax error")
	} else {
		var ee *Error
		if !errors.As(err, &ee) || !strings.EqualFold(ee.Kind, "parser") || ee.Position != 0 {
			t.Errorf("parse error = %#v", err)
		}
	}
	tree, err := s.Parse(ctx, "SELECT a FROM t WHERE a > 1")
	if err != nil {
		t.Fatal(err)
	}
	q, err := s.Deparse(ctx, tree)
	if err != nil || !strings.Contains(q, "FROM t") {
		t.Errorf("Deparse = %q, %v", q, err)
	}
	// A query parsed again, and its tree deparsed again, are answered from
	// the engine's memory; a syntax error is not remembered.
	if again, err := s.Parse(ctx, "SELECT a FROM t WHERE a > 1"); err != nil || again != tree {
		t.Errorf("second Parse = %.60q, %v; want the first tree", again, err)
	}
	if _, ok := e.parsed.get("SELECT a FROM t WHERE a > 1"); !ok {
		t.Error("the parsed tree was not kept")
	}
	if _, ok := e.deparsed.get(tree); !ok {
		t.Error("the deparsed SQL was not kept")
	}
	if _, ok := e.parsed.get("SELEC 1"); ok {
		t.Error("a syntax error was kept")
	}
	_, err = s.Query(ctx, "SELECT * FROM missing_table", func([]*string) error { return nil })
	var ee *Error
	if !errors.As(err, &ee) || ee.Kind != "Catalog" {
		t.Errorf("missing table error = %#v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Query(cctx, "SELECT count(*) FROM range(1000000000)", func([]*string) error { return nil }); err == nil {
		t.Error("a cancelled query ran")
	}
}

// TestTextsBounded: the memory of parsed and deparsed texts starts over
// rather than grow past its bound.
func TestTextsBounded(t *testing.T) {
	var c texts
	big := strings.Repeat("x", textsMaxBytes/3)
	for i, key := range []string{"a", "b", "c", "d"} {
		c.put(key, big)
		if _, ok := c.get(key); !ok {
			t.Fatalf("put %d: %s not kept", i, key)
		}
		if c.bytes > textsMaxBytes {
			t.Fatalf("put %d: %d bytes kept, bound %d", i, c.bytes, textsMaxBytes)
		}
	}
	if _, ok := c.get("a"); ok {
		t.Error("a kept after the memory filled and started over")
	}
	if _, ok := c.get("d"); !ok {
		t.Error("d, the last put, lost")
	}
}

func TestJSONAsVarchar(t *testing.T) {
	for typ, want := range map[string]string{
		"JSON":                                "VARCHAR",
		"JSON[]":                              "VARCHAR[]",
		"MAP(VARCHAR, JSON)":                  "MAP(VARCHAR, VARCHAR)",
		"STRUCT(a JSON, json INTEGER)":        "STRUCT(a VARCHAR, json INTEGER)",
		`STRUCT("JSON" JSON[], "x,JSON" INT)`: `STRUCT("JSON" VARCHAR[], "x,JSON" INT)`,
		"STRUCT(JSONB INTEGER)":               "STRUCT(JSONB INTEGER)",
		`STRUCT("a""JSON" JSON)`:              `STRUCT("a""JSON" VARCHAR)`,
	} {
		if got := jsonAsVarchar(typ); got != want {
			t.Errorf("jsonAsVarchar(%q) = %q, want %q", typ, got, want)
		}
	}
}
