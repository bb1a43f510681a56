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

// TestFunctionErrors: calls of functions the engine does not have, or
// with arguments no overload takes, fail as Athena's FUNCTION_NOT_FOUND.
func TestFunctionErrors(t *testing.T) {
	e, err := sqlengine.Open(sqlengine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	s := &Service{engine: e, opts: DefaultOptions()}
	for q, want := range map[string]string{
		"SELECT no_such_function(1)":                                                        "FUNCTION_NOT_FOUND: line 1:8: Function 'no_such_function' not registered",
		"SELECT 1,\n  upper(No_Such_Function ('a'))":                                        "FUNCTION_NOT_FOUND: line 2:9: Function 'no_such_function' not registered",
		"SELECT bit_count(1, 2, 3)":                                                         "FUNCTION_NOT_FOUND: No function matches",
		"SELECT combinations(ARRAY[1], 6)":                                                  "combination size must not exceed 5",
		"SELECT regexp_position('abc', 'b', 0, 1)":                                          "start position cannot be smaller than 1",
		"SELECT parse_duration('5 parsecs')":                                                "Unknown time unit: parsecs",
		"SELECT from_iso8601_date('2020-W54')":                                              `Invalid format: "2020-W54"`,
		"SELECT bit_count(300, 8)":                                                          "Number must be representable with the bits specified",
		"SELECT soundex('Müller')":                                                          "is not mapped",
		"SELECT json_object('x' : 1, 'x' : 2 WITH UNIQUE KEYS)":                             "duplicate key passed to JSON_OBJECT function",
		"SELECT json_object(NULL : 1)":                                                      "null value passed for JSON object key",
		"SELECT json_object(NULL : 1, 'a' : 2 WITH UNIQUE KEYS)":                            "null value passed for JSON object key",
		"SELECT json_object('x' : '1' FORMAT JSON WITH UNIQUE KEYS)":                        "WITH UNIQUE KEYS behavior is not supported",
		"SELECT json_array(1 RETURNING INTEGER)":                                            "RETURNING INTEGER is not a character or binary string type",
		"SELECT json_object('x' 1)":                                                         "an entry wants a key and a value",
		"SELECT json_array(1 NULL ON NULL ABSENT ON NULL)":                                  "the ON NULL clause is given twice",
		"SELECT json_array('[1' FORMAT JSON)":                                               "Malformed JSON",
		"SELECT array_sort(ARRAY[2, 1], (x, y) -> 2)":                                       "Lambda comparator must return either -1, 0, or 1",
		"SELECT TIMESTAMP '2020-01-01 00:00:00' AT TIME ZONE 'Mars/Olympus'":                "Mars/Olympus",
		"SELECT with_timezone(TIMESTAMP '2020-01-01 00:00:00', 'Nowhere')":                  "Nowhere",
		`SELECT CAST(json_parse('[1, "x", 3]') AS ROW(a INTEGER, b VARCHAR))`:               "INVALID_CAST_ARGUMENT: Cannot cast to row(a integer, b varchar). Expected json array ending, but got 3",
		`SELECT CAST(json_parse('{"a": 1, "A": 2}') AS ROW(a INTEGER))`:                     "INVALID_CAST_ARGUMENT: Cannot cast to row(a integer). Duplicate field: a",
		`SELECT CAST(json_parse('[5]') AS ARRAY(ROW("X y" INTEGER)))`:                       `Cannot cast to array(row("X y" integer)). Expected a json array or object, but got 5`,
		`SELECT CAST(json_parse('{"a": [1}') AS ROW(a INTEGER))`:                            "Cannot convert value to JSON: '{\"a\": [1}'",
		"SELECT from_big_endian_64(from_hex('1111'))":                                       "expected 8-byte input, but got instead: 2",
		"SELECT from_big_endian_32(X'')":                                                    "expected 4-byte input, but got instead: 0",
		"SELECT from_ieee754_32(from_hex('0000'))":                                          "Input floating-point value must be exactly 4 bytes long",
		"SELECT from_ieee754_64(X'00')":                                                     "Input floating-point value must be exactly 8 bytes long",
		"SELECT from_base64url('a$b')":                                                      "Illegal base64 character",
		"SELECT from_base64url('aGVs' || chr(10) || 'bG8=')":                                "Illegal base64 character",
		"SELECT format('%tZ', TIMESTAMP '2020-01-01 00:00:00')":                             "Invalid type specifier",
		"SELECT format('%tZ', from_unixtime(0, 'America/Sao_Paulo'))":                       "NOT_SUPPORTED: format's %tZ of the zone America/Sao_Paulo",
		"SELECT format('%tZ', from_unixtime(-820000000, 'Pacific/Honolulu'))":               "NOT_SUPPORTED: format's %tZ of the zone Pacific/Honolulu",
		"SELECT length(123)":                                                                "FUNCTION_NOT_FOUND: Unexpected parameters (integer) for function length",
		"SELECT length(x) FROM (VALUES 1.5) t(x)":                                           "FUNCTION_NOT_FOUND: Unexpected parameters (decimal(2,1)) for function length",
		"SELECT CAST(j AS VARCHAR) FROM (SELECT json_parse('{\"b\": 1, \"a\": [2]}') AS j)": `Cannot cast '{"a":[2],"b":1}' to varchar`,
		"SELECT CAST(json_parse('[1]') AS VARCHAR)":                                         `Cannot cast '[1]' to varchar`,
		"SELECT format('%tF %s %s', DATE '2020-01-01', 'x')":                                "Invalid type specifier",
		"SELECT concat('a')":                                                                "There must be two or more concatenation arguments",
		"SELECT ARRAY[1, 2][3]":                                                             "INVALID_FUNCTION_ARGUMENT: Array subscript must be less than or equal to array length: 3 > 2",
		"SELECT split('a-b', '-')[0]":                                                       "INVALID_FUNCTION_ARGUMENT: SQL array indices start at 1",
		"SELECT ARRAY[1, 2][-1]":                                                            "INVALID_FUNCTION_ARGUMENT: Array subscript is negative: -1",
		"SELECT x[i] FROM (VALUES (ARRAY[1, NULL], 2), (ARRAY[3], 2)) t(x, i)":              "Array subscript must be less than or equal to array length: 2 > 1",
		"SELECT MAP(ARRAY['a'], ARRAY[1])['b']":                                             "INVALID_FUNCTION_ARGUMENT: Key not present in map: b",
		"SELECT MAP(ARRAY[1], ARRAY[2])[3]":                                                 "Key not present in map: 3",
		"SELECT lpad(X'01', -1, X'00')":                                                     "INVALID_FUNCTION_ARGUMENT: Target length must be in the range [0..2147483647]",
		"SELECT rpad(X'01', 3, X'')":                                                        "INVALID_FUNCTION_ARGUMENT: Padding bytes must not be empty",
	} {
		rec := &queryRecord{QueryExecution: QueryExecution{QueryExecutionId: "test", QueryExecutionContext: &QueryExecutionContext{}}}
		_, err := s.selectQuery(context.Background(), scope{"000000000000", "us-east-1"}, rec, q)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", q, err, want)
		}
	}
}
