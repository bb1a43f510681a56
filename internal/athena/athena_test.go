package athena

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/epoch"
	"github.com/lakebox/lakebox/internal/clock"
	"github.com/lakebox/lakebox/internal/glue"
	"github.com/lakebox/lakebox/internal/sqlengine"
	"github.com/lakebox/lakebox/internal/storage/meta"
)

// glueParse checks an expression with the Glue service's own parser.
func glueParse(expr string, t *glue.Table) (bool, error) {
	return glue.CheckExpression(expr, t.PartitionKeys)
}

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

func TestParseCreateTable(t *testing.T) {
	ct, err := parseCreateTable(`CREATE EXTERNAL TABLE IF NOT EXISTS my_table (
    id INT COMMENT 'the id',
    name STRING,
    amount DOUBLE,
    tags array<struct<k:string, v:decimal(10, 2)>>,
    date DATE
)
PARTITIONED BY (year INT, month INT)
STORED AS PARQUET
LOCATION 's3://my-bucket/data/'
TBLPROPERTIES ('parquet.compression'='SNAPPY');`, "lake")
	if err != nil {
		t.Fatal(err)
	}
	in := ct.input
	if ct.db != "lake" || in.Name != "my_table" || !ct.ifNotExists || len(in.StorageDescriptor.Columns) != 5 || len(in.PartitionKeys) != 2 {
		t.Fatalf("parsed = %+v", ct)
	}
	if c := in.StorageDescriptor.Columns[3]; c.Type != "array<struct<k:string,v:decimal(10,2)>>" {
		t.Errorf("nested type = %q", c.Type)
	}
	if in.StorageDescriptor.Columns[0].Comment != "the id" || in.StorageDescriptor.SerdeInfo.SerializationLibrary != "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" ||
		in.StorageDescriptor.Location != "s3://my-bucket/data/" || in.Parameters["parquet.compression"] != "SNAPPY" {
		t.Errorf("parsed = %+v %+v", in, in.StorageDescriptor)
	}
	ct, err = parseCreateTable("create external table raw.events (a string, b bigint) ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' LOCATION 's3://b/e/' TBLPROPERTIES ('skip.header.line.count'='1')", "")
	if err != nil {
		t.Fatal(err)
	}
	if p := ct.input.StorageDescriptor.SerdeInfo.Parameters; p["field.delim"] != "\t" || ct.input.StorageDescriptor.Parameters["skip.header.line.count"] != "1" {
		t.Errorf("delimited = %+v", ct.input.StorageDescriptor)
	}
	ct, err = parseCreateTable("CREATE EXTERNAL TABLE j (a string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' WITH SERDEPROPERTIES ('ignore.malformed.json'='true') LOCATION 's3://b/j/'", "d")
	if err != nil || ct.input.StorageDescriptor.SerdeInfo.Parameters["ignore.malformed.json"] != "true" {
		t.Errorf("serde = %+v, %v", ct, err)
	}
	ct, err = parseCreateTable("CREATE EXTERNAL TABLE d.t (a int, b string) CLUSTERED BY (a, `B`) SORTED BY (a DESC, b) INTO 8 BUCKETS LOCATION 's3://b/'", "")
	if sd := ct.input.StorageDescriptor; err != nil || sd.NumberOfBuckets != 8 || fmt.Sprint(sd.BucketColumns) != "[a b]" || fmt.Sprint(sd.SortColumns) != "[{a 0} {b 1}]" {
		t.Errorf("buckets = %+v, %v", ct, err)
	}
	for _, bad := range []string{
		"CREATE EXTERNAL TABLE t (a int) LOCATION 's3://b/'",          // no schema
		"CREATE EXTERNAL TABLE d.t (a nosuchtype) LOCATION 's3://b/'", // bad type
		"CREATE EXTERNAL TABLE d.t (a int)",                           // no location
		"CREATE EXTERNAL TABLE d.t (a int LOCATION 's3://b/'",         // unbalanced
		"CREATE EXTERNAL TABLE d.t (a int) STORED AS SEQUENCEFILE LOCATION 's3://b/'",
		"CREATE EXTERNAL TABLE d.t (a int) LOCATION 's3://b/' garbage",
		"CREATE TABLE d.t (a int)",
	} {
		if _, err := parseCreateTable(bad, ""); err == nil {
			t.Errorf("parseCreateTable(%q) succeeded", bad)
		}
	}
}

func FuzzParseCreateTable(f *testing.F) {
	f.Add("CREATE EXTERNAL TABLE IF NOT EXISTS d.t (a int, b map<string,array<int>>) PARTITIONED BY (y string) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' STORED AS TEXTFILE LOCATION 's3://b/p/' TBLPROPERTIES ('k'='v')")
	f.Add("CREATE EXTERNAL TABLE `d`.`t` (`a` struct<x:int>) ROW FORMAT SERDE 'x' WITH SERDEPROPERTIES ('a'='b') STORED AS INPUTFORMAT 'i' OUTPUTFORMAT 'o' LOCATION 's3://b/'")
	f.Fuzz(func(t *testing.T, q string) {
		ct, err := parseCreateTable(q, "db")
		if err == nil && (ct.input.StorageDescriptor == nil || ct.input.StorageDescriptor.Location == "") {
			t.Fatalf("parsed without a location: %q", q)
		}
	})
}

func TestPruneExpression(t *testing.T) {
	e, err := sqlengine.Open(sqlengine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	sess, err := e.Session(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	table := &glue.Table{Name: "t", PartitionKeys: []glue.Column{{Name: "year", Type: "int"}, {Name: "month", Type: "string"}, {Name: "dt", Type: "date"}}}
	for q, want := range map[string]string{
		"SELECT * FROM t WHERE year = 2024":                                               "`year` = 2024",
		"SELECT * FROM t x WHERE x.year >= 2023 AND amount > 1 AND month IN ('01', '02')": "(`year` >= 2023 AND `month` IN ('01', '02'))",
		"SELECT * FROM t WHERE 2024 < year OR month = 'x'":                                "(`year` > 2024 OR `month` = 'x')",
		"SELECT * FROM t WHERE year = 2024 OR amount > 1":                                 "",
		"SELECT * FROM t WHERE month = 1":                                                 "", // text key, number: the engine casts, Glue would not
		"SELECT * FROM t WHERE dt BETWEEN '2024-01-01' AND '2024-02-01'":                  "`dt` BETWEEN '2024-01-01' AND '2024-02-01'",
		"SELECT * FROM t WHERE NOT (month LIKE '0%')":                                     "NOT (`month` LIKE '0%')",
		"SELECT * FROM t JOIN u ON t.id = u.id WHERE year = 2024":                         "", // unqualified in a join: whose?
		"SELECT * FROM t JOIN u ON t.id = u.id WHERE t.year = 2024":                       "`year` = 2024",
		"SELECT * FROM t WHERE y.year = 2024":                                             "",
	} {
		tree, err := sess.Parse(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		var root any
		dec := json.NewDecoder(strings.NewReader(tree))
		dec.UseNumber()
		dec.Decode(&root)
		markPrunes(root)
		got := ""
		var find func(v any)
		find = func(v any) {
			switch n := v.(type) {
			case map[string]any:
				if p, ok := n[pruneKey].(pruneTarget); ok && n["table_name"] == "t" {
					got = p.expression(table)
				}
				for _, c := range n {
					find(c)
				}
			case []any:
				for _, c := range n {
					find(c)
				}
			}
		}
		find(root)
		if got != want {
			t.Errorf("%s\n got %q\nwant %q", q, got, want)
		}
		if got != "" {
			if _, err := glueParse(got, table); err != nil {
				t.Errorf("%s: Glue cannot parse %q: %v", q, got, err)
			}
		}
	}
}

// A query a crash left QUEUED or RUNNING is FAILED by Recover, which reads
// only the queries still marked active.
func TestService_Recover(t *testing.T) {
	db, err := meta.Open(t.TempDir(), meta.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	clk := clock.NewFake(func() time.Time { return time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC) }, 0)
	s := New(db, clk, nil, nil, nil, Options{})
	sc := scope{"000000000000", "us-east-1"}
	for id, state := range map[string]string{"running": stateRunning, "queued": stateQueued, "done": stateSucceeded} {
		rec := &queryRecord{QueryExecution: QueryExecution{QueryExecutionId: id, Status: QueryExecutionStatus{State: state, SubmissionDateTime: epoch.Ptr(clk.Now())}, Statistics: &QueryExecutionStatistics{}}}
		b := db.NewBatch()
		b.Set(sc.key(kindQuery, id), mustJSON(rec))
		if state != stateSucceeded {
			b.Set(sc.key(kindActive, id), nil)
		}
		if err := b.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Recover(); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"running": stateFailed, "queued": stateFailed, "done": stateSucceeded} {
		rec, err := s.record(sc, id)
		if err != nil || rec.Status.State != want {
			t.Errorf("%s after Recover: %+v, %v; want %s", id, rec, err, want)
		}
		if has, _ := db.Has(sc.key(kindActive, id)); has {
			t.Errorf("%s still marked active", id)
		}
	}
}

// Engine types are named as Glue columns are, nested ones included.
func TestHiveType(t *testing.T) {
	for duck, want := range map[string]string{
		"INTEGER":                              "int",
		"DECIMAL(5,2)":                         "decimal(5,2)",
		"TIMESTAMP WITH TIME ZONE":             "timestamp",
		"VARCHAR[]":                            "array<string>",
		"INTEGER[3]":                           "array<int>",
		`STRUCT("id" BIGINT, "Who X" VARCHAR)`: "struct<id:bigint,who x:string>",
		`STRUCT(a INTEGER, "b,""c" DOUBLE)`:    `struct<a:int,b,"c:double>`,
		"MAP(VARCHAR, DECIMAL(10,2))":          "map<string,decimal(10,2)>",
		`STRUCT("x" DECIMAL(5,2)[], m MAP(INTEGER, VARCHAR[]))[]`: "array<struct<x:array<decimal(5,2)>,m:map<int,array<string>>>>",
		"UUID": "string",
	} {
		if got := hiveType(duck); got != want {
			t.Errorf("hiveType(%s) = %s, want %s", duck, got, want)
		}
	}
}

// ColumnInfo types and precisions of the engine's timestamps: Trino's
// timestamp(3), and timestamp(9) from the nanosecond functions.
func TestColumnInfo_Timestamps(t *testing.T) {
	for duck, want := range map[string][2]any{
		"TIMESTAMP":                   {"timestamp", int64(3)},
		"TIMESTAMP_NS":                {"timestamp", int64(3)}, // a file's nanoseconds: Athena's timestamp(3)
		"TIMESTAMP WITH TIME ZONE":    {"timestamp with time zone", int64(3)},
		"TIMESTAMP(9) WITH TIME ZONE": {"timestamp with time zone", int64(9)},
	} {
		if c := columnInfo("t", duck); c.Type != want[0] || c.Precision != want[1] {
			t.Errorf("columnInfo(%s) = %s(%d), want %s(%d)", duck, c.Type, c.Precision, want[0], want[1])
		}
	}
	if got := hiveType("TIMESTAMP_NS"); got != "timestamp" {
		t.Errorf("hiveType(TIMESTAMP_NS) = %s", got)
	}
}
