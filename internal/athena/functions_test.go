package athena

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lakebox/lakebox/internal/sqlengine"
)

// TestFunctions runs testdata/functions*.sql: Trino queries through the
// query path (parse, translate, run) against the answers Athena gives.
func TestFunctions(t *testing.T) {
	files, err := filepath.Glob("testdata/functions*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no function tests: %v", err)
	}
	var data []byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		data = append(append(data, b...), "\n\n"...)
	}
	e, err := sqlengine.Open(sqlengine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	s := &Service{engine: e, opts: DefaultOptions()}
	ctx := context.Background()
	for _, c := range strings.Split(string(data), "\n\n") {
		var lines []string
		for _, l := range strings.Split(strings.TrimSpace(c), "\n") {
			if !strings.HasPrefix(l, "#") {
				lines = append(lines, l)
			}
		}
		if len(lines) == 0 || len(lines) == 1 && lines[0] == "" {
			continue
		}
		sep := -1
		for i, l := range lines {
			if l == "----" {
				sep = i
			}
		}
		if sep < 0 {
			t.Fatalf("case without ----: %q", lines)
		}
		q := strings.Join(lines[:sep], "\n")
		want := strings.Join(lines[sep+1:], "\n")
		rec := &queryRecord{QueryExecution: QueryExecution{QueryExecutionId: "test", QueryExecutionContext: &QueryExecutionContext{}}}
		res, err := s.selectQuery(ctx, scope{"000000000000", "us-east-1"}, rec, q)
		if err != nil {
			t.Errorf("%s\n  failed: %v", q, err)
			continue
		}
		var got []string
		for _, row := range res.rows {
			var vals []string
			for _, v := range row {
				if v == nil {
					vals = append(vals, "NULL")
				} else {
					vals = append(vals, *v)
				}
			}
			got = append(got, strings.Join(vals, " | "))
		}
		if g := strings.Join(got, "\n"); g != want {
			t.Errorf("%s\n   got %s\n  want %s", q, g, want)
		}
	}
}
