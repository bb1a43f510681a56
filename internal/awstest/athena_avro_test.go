package awstest_test

import (
	"bytes"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/athena"
	atypes "github.com/aws/aws-sdk-go-v2/service/athena/types"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/hamba/avro/v2"
	"github.com/hamba/avro/v2/ocf"

	"github.com/lakebox/lakebox/internal/awstest"
)

// avroEvents writes an Avro object container file of events, as Kafka
// Connect's S3 sink or Spark write them.
func avroEvents(t *testing.T, rows []map[string]any) []byte {
	t.Helper()
	schema := `{"type":"record","name":"Event","fields":[
		{"name":"id","type":"long"},
		{"name":"userName","type":["null","string"],"default":null},
		{"name":"score","type":"double"},
		{"name":"ok","type":"boolean"},
		{"name":"day","type":{"type":"int","logicalType":"date"}},
		{"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}},
		{"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
		{"name":"tags","type":{"type":"array","items":"string"}},
		{"name":"counts","type":{"type":"map","values":"long"}},
		{"name":"device","type":{"type":"record","name":"Device","fields":[{"name":"os","type":"string"},{"name":"version","type":"int"}]}},
		{"name":"kind","type":{"type":"enum","name":"Kind","symbols":["CLICK","VIEW"]}}]}`
	var buf bytes.Buffer
	enc, err := ocf.NewEncoder(schema, &buf, ocf.WithEncoderSchemaCache(&avro.SchemaCache{}), ocf.WithCodec(ocf.Deflate))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func avroEvent(id int64, user *string, score float64, amount string, day time.Time, tags []string, os string, kind string) map[string]any {
	r, _ := new(big.Rat).SetString(amount)
	return map[string]any{"id": id, "userName": user, "score": score, "ok": id%2 == 0, "day": day, "at": day.Add(90 * time.Minute),
		"amount": r, "tags": tags, "counts": map[string]any{"a": id}, "device": map[string]any{"os": os, "version": int(id)}, "kind": kind}
}

// Avro files, crawled by a Glue crawler, are queried through Athena with
// every type as the crawler declared it.
func TestAthena_AvroTables(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	s3c, g, c := srv.S3As(awstest.Client{UsePathStyle: true}), srv.Glue(), srv.Athena()
	createBucket(t, s3c, "lake")
	createBucket(t, s3c, "results")
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	ann := "ann"
	putBytes(t, s3c, "lake", "raw/events/dt=2024-03-01/part-0.avro", avroEvents(t, []map[string]any{
		avroEvent(1, &ann, 1.5, "12.34", day, []string{"a", "b"}, "ios", "CLICK"),
		avroEvent(2, nil, -2, "0.05", day, []string{}, "android", "VIEW"),
	}))
	putBytes(t, s3c, "lake", "raw/events/dt=2024-03-02/part-0.avro", avroEvents(t, []map[string]any{
		avroEvent(3, &ann, 3.25, "100.00", day.AddDate(0, 0, 1), []string{"c"}, "ios", "VIEW"),
	}))
	createDatabase(t, g, "avro_db")
	must[*glue.CreateCrawlerOutput](t)(g.CreateCrawler(ctx, &glue.CreateCrawlerInput{
		Name: aws.String("avro"), Role: aws.String("r"), DatabaseName: aws.String("avro_db"),
		Targets: &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://lake/raw/events/")}}},
	}))
	crawl(t, srv, g, "avro")
	qctx := &atypes.QueryExecutionContext{Database: aws.String("avro_db")}
	q := runQuery(t, srv, c, &athena.StartQueryExecutionInput{QueryExecutionContext: qctx, QueryString: aws.String(
		`SELECT id, username, score, ok, day, at, amount, cardinality(tags), counts['a'], device.os, device.version, kind, dt
		 FROM events ORDER BY id`)})
	if q.Status.State != atypes.QueryExecutionStateSucceeded {
		t.Fatalf("state %s: %s", q.Status.State, aws.ToString(q.Status.StateChangeReason))
	}
	want := [][]string{
		{"id", "username", "score", "ok", "day", "at", "amount", "_col7", "_col8", "os", "version", "kind", "dt"},
		{"1", "ann", "1.5", "false", "2024-03-01", "2024-03-01 01:30:00.000", "12.34", "2", "1", "ios", "1", "CLICK", "2024-03-01"},
		{"2", "∅", "-2.0", "true", "2024-03-01", "2024-03-01 01:30:00.000", "0.05", "0", "2", "android", "2", "VIEW", "2024-03-01"},
		{"3", "ann", "3.25", "false", "2024-03-02", "2024-03-02 01:30:00.000", "100.00", "1", "3", "ios", "3", "VIEW", "2024-03-02"},
	}
	if got := rows(t, c, q.QueryExecutionId); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("rows\n%v\nwant\n%v", got, want)
	}
	if s := aws.ToInt64(q.Statistics.DataScannedInBytes); s <= 0 {
		t.Fatalf("DataScannedInBytes %d", s)
	}
	// Partition pruning reads one file; writing is refused clearly.
	q = runQuery(t, srv, c, &athena.StartQueryExecutionInput{QueryExecutionContext: qctx,
		QueryString: aws.String(`SELECT sum(amount) FROM events WHERE dt = '2024-03-01'`)})
	if got := rows(t, c, q.QueryExecutionId); q.Status.State != atypes.QueryExecutionStateSucceeded || fmt.Sprint(got) != "[[_col0] [12.39]]" {
		t.Fatalf("%s %s: %v", q.Status.State, aws.ToString(q.Status.StateChangeReason), got)
	}
	q = runQuery(t, srv, c, &athena.StartQueryExecutionInput{QueryExecutionContext: qctx,
		QueryString: aws.String(`INSERT INTO events SELECT * FROM events`)})
	if q.Status.State != atypes.QueryExecutionStateFailed {
		t.Fatalf("INSERT INTO an Avro table: %s", q.Status.State)
	}
}
