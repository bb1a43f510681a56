package awstest_test

import (
	"bytes"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/athena"
	atypes "github.com/aws/aws-sdk-go-v2/service/athena/types"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakebox/lakebox/internal/awstest"
	"github.com/lakebox/lakebox/internal/orc"
)

type orcOrder struct {
	id     int64
	user   *string
	amount int64 // cents
	day    time.Time
	items  []string
}

// orcOrders writes an ORC file of orders, Snappy-compressed, in two
// stripes: struct<order_id:bigint, User:string, amount:decimal(12,2),
// placed:timestamp, day:date, items:array<string>>.
func orcOrders(t *testing.T, orders []orcOrder) []byte {
	types := []orc.Type{
		{Kind: orc.Struct, Children: []int{1, 2, 3, 4, 5, 6}, Names: []string{"order_id", "User", "amount", "placed", "day", "items"}},
		{Kind: orc.Long}, {Kind: orc.String}, {Kind: orc.Decimal, Precision: 12, Scale: 2}, {Kind: orc.Timestamp}, {Kind: orc.Date},
		{Kind: orc.List, Children: []int{7}}, {Kind: orc.String},
	}
	var buf bytes.Buffer
	w, err := orc.NewWriter(&buf, types, orc.WriterOptions{Compression: orc.Snappy})
	if err != nil {
		t.Fatal(err)
	}
	for half := range 2 {
		part := orders[half*len(orders)/2 : (half+1)*len(orders)/2]
		n := len(part)
		row := &orc.Column{ID: 0, Rows: n}
		id := &orc.Column{ID: 1, Rows: n}
		user := &orc.Column{ID: 2, Rows: n, Present: make([]bool, n)}
		amount := &orc.Column{ID: 3, Rows: n}
		placed := &orc.Column{ID: 4, Rows: n}
		day := &orc.Column{ID: 5, Rows: n}
		items := &orc.Column{ID: 6, Rows: n}
		item := &orc.Column{ID: 7}
		for i, o := range part {
			id.Ints = append(id.Ints, o.id)
			if o.user != nil {
				user.Present[i] = true
				user.Bytes = append(user.Bytes, []byte(*o.user))
			}
			amount.Decimals = append(amount.Decimals, big.NewInt(o.amount))
			amount.Scales = append(amount.Scales, 2)
			placed.Times = append(placed.Times, o.day.Add(9*time.Hour+30*time.Minute))
			day.Ints = append(day.Ints, o.day.Unix()/86400)
			items.Lengths = append(items.Lengths, int64(len(o.items)))
			for _, it := range o.items {
				item.Bytes = append(item.Bytes, []byte(it))
				item.Rows++
			}
		}
		items.Children = []*orc.Column{item}
		row.Children = []*orc.Column{id, user, amount, placed, day, items}
		if err := w.WriteStripe(row); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// ORC files are queried through Athena: crawled by a Glue crawler, and
// declared with CREATE EXTERNAL TABLE ... STORED AS ORC, whose columns take
// the file's by position, as Athena reads ORC by default, or by name when
// the SerDe says 'orc.column.index.access'='false'.
func TestAthena_ORCTables(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	s3c, g, c := srv.S3As(awstest.Client{UsePathStyle: true}), srv.Glue(), srv.Athena()
	createBucket(t, s3c, "lake")
	createBucket(t, s3c, "results")
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	ann, bob := "ann", "bob"
	putBytes(t, s3c, "lake", "curated/orders/dt=2024-03-01/part-0.orc", orcOrders(t, []orcOrder{
		{1, &ann, 1234, day, []string{"tea", "cake"}},
		{2, nil, 5, day, nil},
	}))
	putBytes(t, s3c, "lake", "curated/orders/dt=2024-03-02/part-0.orc", orcOrders(t, []orcOrder{
		{3, &bob, 10000, day.AddDate(0, 0, 1), []string{"coffee"}},
		{4, &ann, -250, day.AddDate(0, 0, 1), []string{}},
	}))
	createDatabase(t, g, "orc_db")
	must[*glue.CreateCrawlerOutput](t)(g.CreateCrawler(ctx, &glue.CreateCrawlerInput{
		Name: aws.String("orders"), Role: aws.String("r"), DatabaseName: aws.String("orc_db"),
		Targets: &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://lake/curated/orders/")}}},
	}))
	crawl(t, srv, g, "orders")
	qctx := &atypes.QueryExecutionContext{Database: aws.String("orc_db")}
	query := func(sql string) [][]string {
		t.Helper()
		q := runQuery(t, srv, c, &athena.StartQueryExecutionInput{QueryExecutionContext: qctx, QueryString: aws.String(sql)})
		if q.Status.State != atypes.QueryExecutionStateSucceeded {
			t.Fatalf("%s: %s %s", sql, q.Status.State, aws.ToString(q.Status.StateChangeReason))
		}
		if s := aws.ToInt64(q.Statistics.DataScannedInBytes); s <= 0 && strings.HasPrefix(sql, "SELECT") {
			t.Fatalf("%s: DataScannedInBytes %d", sql, s)
		}
		return rows(t, c, q.QueryExecutionId)
	}
	got := query(`SELECT order_id, "user", amount, placed, day, cardinality(items), element_at(items, 1), dt FROM orders ORDER BY order_id`)
	want := [][]string{
		{"order_id", "user", "amount", "placed", "day", "_col5", "_col6", "dt"},
		{"1", "ann", "12.34", "2024-03-01 09:30:00.000", "2024-03-01", "2", "tea", "2024-03-01"},
		{"2", "∅", "0.05", "2024-03-01 09:30:00.000", "2024-03-01", "0", "∅", "2024-03-01"},
		{"3", "bob", "100.00", "2024-03-02 09:30:00.000", "2024-03-02", "1", "coffee", "2024-03-02"},
		{"4", "ann", "-2.50", "2024-03-02 09:30:00.000", "2024-03-02", "0", "∅", "2024-03-02"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("crawled table:\n%v\nwant\n%v", got, want)
	}
	if got := query(`SELECT sum(amount) FROM orders WHERE dt = '2024-03-02'`); fmt.Sprint(got) != "[[_col0] [97.50]]" {
		t.Fatalf("pruned sum: %v", got)
	}

	// Declared by hand with other names: by position, as Athena reads ORC.
	query(`CREATE EXTERNAL TABLE orders_renamed (id bigint, customer string, total decimal(12,2))
		STORED AS ORC LOCATION 's3://lake/curated/orders/dt=2024-03-01/'`)
	if got := query(`SELECT id, customer, total FROM orders_renamed ORDER BY id`); fmt.Sprint(got) != "[[id customer total] [1 ann 12.34] [2 ∅ 0.05]]" {
		t.Fatalf("by position: %v", got)
	}
	// By name, in another order, a column the files lack read as NULL.
	query(`CREATE EXTERNAL TABLE orders_by_name (amount decimal(12,2), missing string, order_id bigint, user string)
		ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.orc.OrcSerde'
		WITH SERDEPROPERTIES ('orc.column.index.access'='false')
		STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.orc.OrcInputFormat'
		OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat'
		LOCATION 's3://lake/curated/orders/dt=2024-03-01/'`)
	if got := query(`SELECT order_id, "user", amount, missing FROM orders_by_name ORDER BY order_id`); fmt.Sprint(got) != "[[order_id user amount missing] [1 ann 12.34 ∅] [2 ∅ 0.05 ∅]]" {
		t.Fatalf("by name: %v", got)
	}

	// CTAS writes ORC (ZLIB by default), partitioned too; INSERT INTO adds
	// files to it; UNLOAD writes ORC files that internal/orc reads back.
	query(`CREATE TABLE orders_copy WITH (format = 'ORC', partitioned_by = ARRAY['dt']) AS
		SELECT order_id, "user", amount, placed, items, CAST(ROW(order_id, "user") AS ROW(id bigint, who varchar)) AS who,
		       MAP(ARRAY['n'], ARRAY[order_id]) AS m, dt FROM orders`)
	query(`INSERT INTO orders_copy SELECT 5, 'cy', 1.25, TIMESTAMP '2024-03-03 08:00:00', ARRAY['x'], CAST(ROW(5, 'cy') AS ROW(id bigint, who varchar)), MAP(ARRAY['n'], ARRAY[5]), '2024-03-03'`)
	got = query(`SELECT order_id, "user", amount, placed, cardinality(items), who.who, m['n'], dt FROM orders_copy ORDER BY order_id`)
	if fmt.Sprint(got) != "[[order_id user amount placed _col4 who _col6 dt] [1 ann 12.34 2024-03-01 09:30:00.000 2 ann 1 2024-03-01] "+
		"[2 ∅ 0.05 2024-03-01 09:30:00.000 0 ∅ 2 2024-03-01] [3 bob 100.00 2024-03-02 09:30:00.000 1 bob 3 2024-03-02] "+
		"[4 ann -2.50 2024-03-02 09:30:00.000 0 ann 4 2024-03-02] [5 cy 1.25 2024-03-03 08:00:00.000 1 cy 5 2024-03-03]]" {
		t.Fatalf("CTAS and INSERT as ORC: %v", got)
	}
	// An instant (from_unixtime) is written as Hive's timestamp, its time
	// in the session's zone, UTC.
	query(`CREATE TABLE instants WITH (format = 'ORC') AS SELECT from_unixtime(1700000000) AS ts`)
	if got := query(`SELECT ts FROM instants`); fmt.Sprint(got) != "[[ts] [2023-11-14 22:13:20.000]]" {
		t.Fatalf("instants: %v", got)
	}
	// A NULL partition key goes to Hive's default partition and reads back
	// NULL; partition values that need escaping name their folders as the
	// catalog's partition locations do; binary keeps its bytes.
	query(`CREATE TABLE odd_keys WITH (format = 'ORC', partitioned_by = ARRAY['k']) AS
		SELECT * FROM (VALUES (1, X'00FF41', 'New York'), (2, X'', 'a=b/c:d'), (3, NULL, NULL)) AS t(id, raw, k)`)
	if got := query(`SELECT id, to_hex(raw), k, k IS NULL FROM odd_keys ORDER BY id`); fmt.Sprint(got) != "[[id _col1 k _col3] [1 00FF41 New York false] [2  a=b/c:d false] [3 ∅ ∅ true]]" {
		t.Fatalf("odd partition keys: %v", got)
	}
	query(`UNLOAD (SELECT order_id, amount FROM orders WHERE dt = '2024-03-01') TO 's3://lake/unloaded/' WITH (format = 'ORC', compression = 'SNAPPY')`)
	list := must[*s3.ListObjectsV2Output](t)(s3c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("lake"), Prefix: aws.String("unloaded/")}))
	if len(list.Contents) != 1 || !strings.HasSuffix(aws.ToString(list.Contents[0].Key), ".orc") {
		t.Fatalf("unloaded %+v", list.Contents)
	}
	body := []byte(get(t, s3c, "lake", aws.ToString(list.Contents[0].Key)))
	f, err := orc.Open(bytes.NewReader(body), int64(len(body)))
	if err != nil || f.Rows != 2 || f.Compression != orc.Snappy || fmt.Sprint(f.Types[0].Names) != "[order_id amount]" {
		t.Fatalf("unloaded file: %v %+v", err, f)
	}
	for _, sql := range []string{
		`CREATE TABLE bad_compression WITH (format = 'ORC', write_compression = 'GZIP') AS SELECT 1 AS x`,
	} {
		q := runQuery(t, srv, c, &athena.StartQueryExecutionInput{QueryExecutionContext: qctx, QueryString: aws.String(sql)})
		if q.Status.State != atypes.QueryExecutionStateFailed || !strings.Contains(aws.ToString(q.Status.StateChangeReason), "NOT_SUPPORTED") {
			t.Fatalf("%s: %s %s", sql, q.Status.State, aws.ToString(q.Status.StateChangeReason))
		}
	}

	// A damaged file fails the query with Athena's error.
	putBytes(t, s3c, "lake", "broken/part-0.orc", []byte("ORC this is not"))
	query(`CREATE EXTERNAL TABLE broken (id bigint) STORED AS ORC LOCATION 's3://lake/broken/'`)
	for _, sql := range []string{`SELECT * FROM broken`} {
		q := runQuery(t, srv, c, &athena.StartQueryExecutionInput{QueryExecutionContext: qctx, QueryString: aws.String(sql)})
		if q.Status.State != atypes.QueryExecutionStateFailed {
			t.Fatalf("%s: %s", sql, q.Status.State)
		}
		t.Logf("%s: %s", sql, aws.ToString(q.Status.StateChangeReason))
	}
}

// Partitioned JSON tables are written as ORC ones are, from the engine's
// rows (its JSON output has no partitioning): a CTAS and an INSERT, gzip
// compressed, read back.
func TestAthena_PartitionedJSONWrites(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	s3c, a := srv.S3As(awstest.Client{UsePathStyle: true}), srv.Athena()
	createBucket(t, s3c, "lake")
	createBucket(t, s3c, "results")
	sql := succeeds(t, srv, a, "default")
	sql("CREATE DATABASE d")
	sql(`CREATE TABLE d.events WITH (format = 'JSON', write_compression = 'GZIP', external_location = 's3://lake/events/', partitioned_by = ARRAY['day'])
		AS SELECT * FROM (VALUES (1, 'click', DATE '2024-03-01'), (2, 'view', DATE '2024-03-02'), (3, 'click', NULL)) AS t(id, kind, day)`)
	sql(`INSERT INTO d.events SELECT 4, 'buy', DATE '2024-03-02'`)
	list := must[*s3.ListObjectsV2Output](t)(s3c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("lake"), Prefix: aws.String("events/")}))
	var keys []string
	for _, o := range list.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	if len(keys) != 4 || !strings.HasPrefix(keys[0], "events/day=2024-03-01/") || !strings.HasSuffix(keys[0], ".json.gz") {
		t.Fatalf("objects %v", keys)
	}
	q := sql(`SELECT id, kind, day FROM d.events ORDER BY id`)
	if got := rows(t, a, q.QueryExecutionId); fmt.Sprint(got) != "[[id kind day] [1 click 2024-03-01] [2 view 2024-03-02] [3 click ∅] [4 buy 2024-03-02]]" {
		t.Fatalf("rows %v", got)
	}
}
