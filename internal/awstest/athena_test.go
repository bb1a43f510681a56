package awstest_test

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/athena"
	atypes "github.com/aws/aws-sdk-go-v2/service/athena/types"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/parquet-go/parquet-go"

	"github.com/lakebox/lakebox/internal/awstest"
)

// runQuery starts a query, waits for it to end and returns it.
// succeeds returns a function that runs a statement in database db and
// fails the test unless it succeeds.
func succeeds(t *testing.T, srv *awstest.Server, c *athena.Client, db string) func(sql string) *atypes.QueryExecution {
	return func(sql string) *atypes.QueryExecution {
		t.Helper()
		q := runQuery(t, srv, c, &athena.StartQueryExecutionInput{QueryString: aws.String(sql), QueryExecutionContext: &atypes.QueryExecutionContext{Database: aws.String(db)}})
		if q.Status.State != atypes.QueryExecutionStateSucceeded {
			t.Fatalf("%s: %s %s", sql, q.Status.State, aws.ToString(q.Status.StateChangeReason))
		}
		return q
	}
}

func runQuery(t *testing.T, srv *awstest.Server, c *athena.Client, in *athena.StartQueryExecutionInput) *atypes.QueryExecution {
	t.Helper()
	if in.ResultConfiguration == nil && in.WorkGroup == nil {
		in.ResultConfiguration = &atypes.ResultConfiguration{OutputLocation: aws.String("s3://results/athena/")}
	}
	out := must[*athena.StartQueryExecutionOutput](t)(c.StartQueryExecution(ctx, in))
	srv.AthenaService().Wait()
	return must[*athena.GetQueryExecutionOutput](t)(c.GetQueryExecution(ctx, &athena.GetQueryExecutionInput{QueryExecutionId: out.QueryExecutionId})).QueryExecution
}

// rows fetches every result row of a succeeded query as text, NULL as "∅".
func rows(t *testing.T, c *athena.Client, id *string) [][]string {
	t.Helper()
	var all [][]string
	p := athena.NewGetQueryResultsPaginator(c, &athena.GetQueryResultsInput{QueryExecutionId: id, MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		page := must[*athena.GetQueryResultsOutput](t)(p.NextPage(ctx))
		for _, r := range page.ResultSet.Rows {
			var row []string
			for _, d := range r.Data {
				if d.VarCharValue == nil {
					row = append(row, "∅")
				} else {
					row = append(row, *d.VarCharValue)
				}
			}
			all = append(all, row)
		}
	}
	return all
}

func TestAthena_QueryCrawledTables(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	s3c, g, c := srv.S3As(awstest.Client{UsePathStyle: true}), srv.Glue(), srv.Athena()
	createBucket(t, s3c, "lake")
	createBucket(t, s3c, "results")
	for _, month := range []string{"01", "02"} {
		putBytes(t, s3c, "lake", "curated/sales/year=2024/month="+month+"/part-0.parquet",
			parquetBytes(t, []saleV1{{1, 9.5, "eu"}, {2, 3, "us"}, {3, 1.25, "eu"}}))
	}
	put(t, s3c, "lake", "raw/orders/dt=2024-03-01/orders.csv", "order_id,customer,amount\n1,alice,9.99\n2,bob,5\n")
	put(t, s3c, "lake", "raw/orders/dt=2024-03-02/orders.csv", "order_id,customer,amount\n3,carol,\n")
	createDatabase(t, g, "lake_db")
	must[*glue.CreateCrawlerOutput](t)(g.CreateCrawler(ctx, &glue.CreateCrawlerInput{
		Name: aws.String("c"), Role: aws.String("r"), DatabaseName: aws.String("lake_db"),
		Targets: &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://lake/curated/sales/")}, {Path: aws.String("s3://lake/raw/orders/")}}},
	}))
	crawl(t, srv, g, "c")
	qctx := &atypes.QueryExecutionContext{Database: aws.String("lake_db")}

	t.Run("ParquetAggregateWithPartitionFilter", func(t *testing.T) {
		q := runQuery(t, srv, c, &athena.StartQueryExecutionInput{QueryExecutionContext: qctx,
			QueryString: aws.String("SELECT region, count(*) AS n, sum(amount) AS total FROM sales WHERE month = '02' GROUP BY region ORDER BY region")})
		if q.Status.State != atypes.QueryExecutionStateSucceeded {
			t.Fatalf("state %s: %s", q.Status.State, aws.ToString(q.Status.StateChangeReason))
		}
		got := rows(t, c, q.QueryExecutionId)
		want := [][]string{{"region", "n", "total"}, {"eu", "2", "10.75"}, {"us", "1", "3.0"}}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("rows = %q, want %q", got, want)
		}
		if q.Statistics.DataScannedInBytes == nil || *q.Statistics.DataScannedInBytes == 0 || q.StatementType != atypes.StatementTypeDml {
			t.Errorf("statistics = %+v, type %s", q.Statistics, q.StatementType)
		}
		res := must[*athena.GetQueryResultsOutput](t)(c.GetQueryResults(ctx, &athena.GetQueryResultsInput{QueryExecutionId: q.QueryExecutionId}))
		cols := res.ResultSet.ResultSetMetadata.ColumnInfo
		if len(cols) != 3 || aws.ToString(cols[0].Type) != "varchar" || aws.ToString(cols[1].Type) != "bigint" || aws.ToString(cols[2].Type) != "double" {
			t.Errorf("column info = %+v", cols)
		}
		csv := get(t, s3c, "results", "athena/"+aws.ToString(q.QueryExecutionId)+".csv")
		if csv != "\"region\",\"n\",\"total\"\n\"eu\",\"2\",\"10.75\"\n\"us\",\"1\",\"3.0\"\n" {
			t.Errorf("result file = %q", csv)
		}
	})
	t.Run("Metrics", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/_lakebox/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if !strings.Contains(string(b), `lakebox_athena_processed_bytes_total{query_state="SUCCEEDED",query_type="DML",workgroup="primary"}`) ||
			!strings.Contains(string(b), "lakebox_athena_engine_execution_seconds_bucket") {
			t.Errorf("no per-query Athena metrics in /_lakebox/metrics")
		}
	})
	t.Run("CSVWithNullsAndQualifiedNames", func(t *testing.T) {
		q := runQuery(t, srv, c, &athena.StartQueryExecutionInput{
			QueryString: aws.String("SELECT o.customer, o.amount, o.dt FROM lake_db.orders o ORDER BY o.order_id")})
		if q.Status.State != atypes.QueryExecutionStateSucceeded {
			t.Fatalf("state %s: %s", q.Status.State, aws.ToString(q.Status.StateChangeReason))
		}
		got := rows(t, c, q.QueryExecutionId)
		want := [][]string{{"customer", "amount", "dt"}, {"alice", "9.99", "2024-03-01"}, {"bob", "5.0", "2024-03-01"}, {"carol", "∅", "2024-03-02"}}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("rows = %q, want %q", got, want)
		}
	})
	t.Run("JoinCTEAndIntegerDivision", func(t *testing.T) {
		q := runQuery(t, srv, c, &athena.StartQueryExecutionInput{QueryExecutionContext: qctx, QueryString: aws.String(
			"WITH s AS (SELECT order_id, region FROM sales WHERE month = '01') SELECT s.region, o.customer, 7 / 2 AS half FROM s JOIN orders o ON o.order_id = s.order_id ORDER BY 1, 2")})
		if q.Status.State != atypes.QueryExecutionStateSucceeded {
			t.Fatalf("state %s: %s", q.Status.State, aws.ToString(q.Status.StateChangeReason))
		}
		got := rows(t, c, q.QueryExecutionId)
		want := [][]string{{"region", "customer", "half"}, {"eu", "alice", "3"}, {"eu", "carol", "3"}, {"us", "bob", "3"}}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("rows = %q, want %q", got, want)
		}
	})
	t.Run("Failures", func(t *testing.T) {
		for sql, want := range map[string]string{
			"SELECT * FROM nope":           "Table 'awsdatacatalog.lake_db.nope' does not exist",
			"SELECT nope FROM sales":       "COLUMN_NOT_FOUND",
			"SELEC 1":                      "line 1:1:",
			"SELECT 1 FROM other_db.t":     "Schema 'other_db' does not exist",
			"INSERT INTO sales VALUES (1)": "Insert query has 1 columns, table lake_db.sales has 5",
			"UNLOAD (SELECT 1) TO 's3://results/u/' WITH (format = 'AVRO')": "not supported by Lakebox yet",
		} {
			q := runQuery(t, srv, c, &athena.StartQueryExecutionInput{QueryExecutionContext: qctx, QueryString: aws.String(sql)})
			if q.Status.State != atypes.QueryExecutionStateFailed || !strings.Contains(aws.ToString(q.Status.StateChangeReason), want) ||
				q.Status.AthenaError == nil || aws.ToString(q.Status.AthenaError.ErrorMessage) == "" {
				t.Errorf("%s: state %s, reason %q; want FAILED with %q", sql, q.Status.State, aws.ToString(q.Status.StateChangeReason), want)
			}
		}
		_, err := c.StartQueryExecution(ctx, &athena.StartQueryExecutionInput{QueryString: aws.String("SELECT 1")})
		wantCode(t, err, "InvalidRequestException")
		q := runQuery(t, srv, c, &athena.StartQueryExecutionInput{QueryString: aws.String("SELECT 1"),
			ResultConfiguration: &atypes.ResultConfiguration{OutputLocation: aws.String("s3://no-such-bucket/x/")}})
		if q.Status.State != atypes.QueryExecutionStateFailed || !strings.Contains(aws.ToString(q.Status.StateChangeReason), "no-such-bucket") {
			t.Errorf("missing output bucket: %s %q", q.Status.State, aws.ToString(q.Status.StateChangeReason))
		}
	})
	t.Run("Utility", func(t *testing.T) {
		q := runQuery(t, srv, c, &athena.StartQueryExecutionInput{QueryString: aws.String("CREATE DATABASE IF NOT EXISTS analytics")})
		if q.Status.State != atypes.QueryExecutionStateSucceeded || q.StatementType != atypes.StatementTypeDdl {
			t.Fatalf("CREATE DATABASE: %s %q", q.Status.State, aws.ToString(q.Status.StateChangeReason))
		}
		must[*glue.GetDatabaseOutput](t)(g.GetDatabase(ctx, &glue.GetDatabaseInput{Name: aws.String("analytics")}))
		q = runQuery(t, srv, c, &athena.StartQueryExecutionInput{QueryExecutionContext: qctx, QueryString: aws.String("SHOW TABLES")})
		if got := rows(t, c, q.QueryExecutionId); fmt.Sprint(got) != "[[orders] [sales]]" {
			t.Errorf("SHOW TABLES = %v", got)
		}
		q = runQuery(t, srv, c, &athena.StartQueryExecutionInput{QueryString: aws.String("SHOW DATABASES")})
		if got := rows(t, c, q.QueryExecutionId); fmt.Sprint(got) != "[[analytics] [lake_db]]" {
			t.Errorf("SHOW DATABASES = %v", got)
		}
	})
	t.Run("MetadataAndNamedQueries", func(t *testing.T) {
		cats := must[*athena.ListDataCatalogsOutput](t)(c.ListDataCatalogs(ctx, &athena.ListDataCatalogsInput{})).DataCatalogsSummary
		if len(cats) != 1 || aws.ToString(cats[0].CatalogName) != "AwsDataCatalog" || cats[0].Type != atypes.DataCatalogTypeGlue {
			t.Errorf("catalogs = %+v", cats)
		}
		tm := must[*athena.GetTableMetadataOutput](t)(c.GetTableMetadata(ctx, &athena.GetTableMetadataInput{CatalogName: aws.String("AwsDataCatalog"),
			DatabaseName: aws.String("lake_db"), TableName: aws.String("sales")})).TableMetadata
		if aws.ToString(tm.Name) != "sales" || len(tm.Columns) != 3 || len(tm.PartitionKeys) != 2 || tm.Parameters["location"] != "s3://lake/curated/sales/" {
			t.Errorf("table metadata = %+v", tm)
		}
		list := must[*athena.ListTableMetadataOutput](t)(c.ListTableMetadata(ctx, &athena.ListTableMetadataInput{CatalogName: aws.String("AwsDataCatalog"), DatabaseName: aws.String("lake_db")}))
		if len(list.TableMetadataList) != 2 {
			t.Errorf("tables = %d", len(list.TableMetadataList))
		}
		_, err := c.GetTableMetadata(ctx, &athena.GetTableMetadataInput{CatalogName: aws.String("AwsDataCatalog"), DatabaseName: aws.String("lake_db"), TableName: aws.String("nope")})
		wantCode(t, err, "MetadataException")
		dbs := must[*athena.ListDatabasesOutput](t)(c.ListDatabases(ctx, &athena.ListDatabasesInput{CatalogName: aws.String("AwsDataCatalog")})).DatabaseList
		if len(dbs) == 0 || aws.ToString(dbs[0].Name) == "" {
			t.Errorf("databases = %+v", dbs)
		}
		id := must[*athena.CreateNamedQueryOutput](t)(c.CreateNamedQuery(ctx, &athena.CreateNamedQueryInput{Name: aws.String("daily revenue"),
			Database: aws.String("lake_db"), QueryString: aws.String("SELECT sum(amount) FROM sales")})).NamedQueryId
		nq := must[*athena.GetNamedQueryOutput](t)(c.GetNamedQuery(ctx, &athena.GetNamedQueryInput{NamedQueryId: id})).NamedQuery
		if aws.ToString(nq.QueryString) != "SELECT sum(amount) FROM sales" || aws.ToString(nq.WorkGroup) != "primary" {
			t.Errorf("named query = %+v", nq)
		}
		ids := must[*athena.ListNamedQueriesOutput](t)(c.ListNamedQueries(ctx, &athena.ListNamedQueriesInput{})).NamedQueryIds
		if len(ids) != 1 || ids[0] != aws.ToString(id) {
			t.Errorf("named queries = %v", ids)
		}
		must[*athena.DeleteNamedQueryOutput](t)(c.DeleteNamedQuery(ctx, &athena.DeleteNamedQueryInput{NamedQueryId: id}))
		_, err = c.GetNamedQuery(ctx, &athena.GetNamedQueryInput{NamedQueryId: id})
		wantCode(t, err, "InvalidRequestException")
	})
	t.Run("WorkGroupAndHistory", func(t *testing.T) {
		must[*athena.CreateWorkGroupOutput](t)(c.CreateWorkGroup(ctx, &athena.CreateWorkGroupInput{Name: aws.String("analysts"),
			Configuration: &atypes.WorkGroupConfiguration{ResultConfiguration: &atypes.ResultConfiguration{OutputLocation: aws.String("s3://results/wg/")},
				EnforceWorkGroupConfiguration: aws.Bool(true), BytesScannedCutoffPerQuery: aws.Int64(10000000)}}))
		q := runQuery(t, srv, c, &athena.StartQueryExecutionInput{WorkGroup: aws.String("analysts"), QueryString: aws.String("SELECT 40 + 2 AS answer"),
			ResultConfiguration: &atypes.ResultConfiguration{OutputLocation: aws.String("s3://elsewhere/")}})
		if q.Status.State != atypes.QueryExecutionStateSucceeded || aws.ToString(q.ResultConfiguration.OutputLocation) != "s3://results/wg/" {
			t.Fatalf("enforced workgroup: %s %q, output %s", q.Status.State, aws.ToString(q.Status.StateChangeReason), aws.ToString(q.ResultConfiguration.OutputLocation))
		}
		list := must[*athena.ListQueryExecutionsOutput](t)(c.ListQueryExecutions(ctx, &athena.ListQueryExecutionsInput{WorkGroup: aws.String("analysts")}))
		if len(list.QueryExecutionIds) != 1 || list.QueryExecutionIds[0] != aws.ToString(q.QueryExecutionId) {
			t.Errorf("history = %v", list.QueryExecutionIds)
		}
		batch := must[*athena.BatchGetQueryExecutionOutput](t)(c.BatchGetQueryExecution(ctx, &athena.BatchGetQueryExecutionInput{QueryExecutionIds: []string{aws.ToString(q.QueryExecutionId), "no-such-id"}}))
		if len(batch.QueryExecutions) != 1 || len(batch.UnprocessedQueryExecutionIds) != 1 || aws.ToString(batch.UnprocessedQueryExecutionIds[0].QueryExecutionId) != "no-such-id" {
			t.Errorf("batch get = %+v", batch)
		}
		wgs := must[*athena.ListWorkGroupsOutput](t)(c.ListWorkGroups(ctx, &athena.ListWorkGroupsInput{}))
		if len(wgs.WorkGroups) != 2 || aws.ToString(wgs.WorkGroups[0].Name) != "analysts" || aws.ToString(wgs.WorkGroups[1].Name) != "primary" {
			t.Errorf("workgroups = %+v", wgs.WorkGroups)
		}
	})
}

// The seed's Athena pattern: CREATE EXTERNAL TABLE ... PARTITIONED BY ...
// STORED AS PARQUET, partitions loaded with MSCK REPAIR TABLE and ALTER
// TABLE ADD PARTITION, then queried.
func TestAthena_HiveDDL(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	s3c, g, c := srv.S3As(awstest.Client{UsePathStyle: true}), srv.Glue(), srv.Athena()
	createBucket(t, s3c, "my-bucket")
	createBucket(t, s3c, "results")
	type row struct {
		ID     int32   `parquet:"id"`
		Name   string  `parquet:"name"`
		Amount float64 `parquet:"amount"`
	}
	jan, feb := parquetBytes(t, []row{{1, "a", 1.5}, {2, "b", 2.5}}), parquetBytes(t, []row{{3, "c", 10}})
	putBytes(t, s3c, "my-bucket", "data/year=2024/month=1/a.parquet", jan)
	putBytes(t, s3c, "my-bucket", "data/year=2024/month=2/a.parquet", feb)
	putBytes(t, s3c, "my-bucket", "elsewhere/march.parquet", parquetBytes(t, []row{{4, "d", 100}}))
	ok := succeeds(t, srv, c, "lake")
	ok("CREATE DATABASE lake")
	ok(`CREATE EXTERNAL TABLE IF NOT EXISTS my_table (
    id INT,
    name STRING,
    amount DOUBLE
)
PARTITIONED BY (year INT, month INT)
STORED AS PARQUET
LOCATION 's3://my-bucket/data/'`)
	tb := must[*glue.GetTableOutput](t)(g.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("lake"), Name: aws.String("my_table")})).Table
	if aws.ToString(tb.TableType) != "EXTERNAL_TABLE" || len(tb.PartitionKeys) != 2 || aws.ToString(tb.StorageDescriptor.SerdeInfo.SerializationLibrary) != "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" {
		t.Fatalf("table = %+v", tb)
	}
	q := ok("MSCK REPAIR TABLE my_table")
	if got := rows(t, c, q.QueryExecutionId); len(got) != 4 || !strings.Contains(got[2][0], "Repair: Added partition to metastore my_table:year=2024/month=1") {
		t.Errorf("MSCK output = %q", got)
	}
	ok("ALTER TABLE my_table ADD IF NOT EXISTS PARTITION (year=2024, month=3) LOCATION 's3://my-bucket/elsewhere/' PARTITION (year=2024, month=1)")
	if got := rows(t, c, ok("SHOW PARTITIONS my_table").QueryExecutionId); fmt.Sprint(got) != "[[year=2024/month=1] [year=2024/month=2] [year=2024/month=3]]" {
		t.Errorf("SHOW PARTITIONS = %v", got)
	}
	q = ok("SELECT month, count(*) AS n, sum(amount) AS total FROM my_table WHERE year = 2024 AND month >= 2 GROUP BY month ORDER BY month")
	if got := rows(t, c, q.QueryExecutionId); fmt.Sprint(got) != "[[month n total] [2 1 10.0] [3 1 100.0]]" {
		t.Errorf("rows = %v", got)
	}
	all := ok("SELECT sum(amount) FROM my_table")
	pruned := ok("SELECT sum(amount) FROM my_table t WHERE t.month = 2 AND t.year = 2024 AND amount > 0")
	if a, p := aws.ToInt64(all.Statistics.DataScannedInBytes), aws.ToInt64(pruned.Statistics.DataScannedInBytes); p == 0 || p >= a {
		t.Errorf("a query pruned to one partition scanned %d bytes, the whole table %d", p, a)
	}
	if got := rows(t, c, pruned.QueryExecutionId); fmt.Sprint(got) != "[[_col0] [10.0]]" {
		t.Errorf("pruned rows = %v", got)
	}
	// Of Parquet, a query reads the footer and its columns' chunks.
	want := int64(0)
	for _, f := range [][]byte{jan, feb} {
		want += parquetRead(t, f, "amount")
	}
	narrow := ok("SELECT sum(amount) FROM my_table WHERE month < 3")
	if got := aws.ToInt64(narrow.Statistics.DataScannedInBytes); got != want {
		t.Errorf("SELECT sum(amount) scanned %d bytes, want %d (footers and the amount chunks)", got, want)
	}
	wide := ok("SELECT * FROM my_table WHERE month < 3")
	if got := aws.ToInt64(wide.Statistics.DataScannedInBytes); got != int64(len(jan)+len(feb)) {
		t.Errorf("SELECT * scanned %d bytes, want the files' %d", got, len(jan)+len(feb))
	}
	ok("ALTER TABLE my_table DROP PARTITION (year=2024, month=3)")
	q = ok("SELECT count(*) FROM my_table")
	if got := rows(t, c, q.QueryExecutionId); fmt.Sprint(got) != "[[_col0] [3]]" {
		t.Errorf("count after DROP PARTITION = %v", got)
	}
	if got := rows(t, c, ok("SHOW CREATE TABLE my_table").QueryExecutionId); len(got) < 5 || got[0][0] != "CREATE EXTERNAL TABLE `lake`.`my_table`(" {
		t.Errorf("SHOW CREATE TABLE = %q", got)
	}
	ok("DROP TABLE my_table")
	_, err := g.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("lake"), Name: aws.String("my_table")})
	wantCode(t, err, "EntityNotFoundException")
}

// A query beyond the concurrency limit waits QUEUED; StopQueryExecution
// interrupts a running query, which ends CANCELLED, and the queued one
// then runs.
func TestAthena_QueueAndStop(t *testing.T) {
	t.Parallel()
	// A poll of a query not yet ended answers after this wait with the
	// state of the moment.
	srv := awstest.New(t, awstest.Options{MaxQueries: 1, AthenaPollWait: 20 * time.Millisecond})
	s3c, c := srv.S3As(awstest.Client{UsePathStyle: true}), srv.Athena()
	createBucket(t, s3c, "results")
	out := &atypes.ResultConfiguration{OutputLocation: aws.String("s3://results/")}
	long := must[*athena.StartQueryExecutionOutput](t)(c.StartQueryExecution(ctx, &athena.StartQueryExecutionInput{
		QueryString: aws.String("SELECT count(*) FROM range(1000000000000) t(x) WHERE x % 7 = 3"), ResultConfiguration: out})).QueryExecutionId
	state := func(id *string) atypes.QueryExecutionState {
		return must[*athena.GetQueryExecutionOutput](t)(c.GetQueryExecution(ctx, &athena.GetQueryExecutionInput{QueryExecutionId: id})).QueryExecution.Status.State
	}
	deadline := time.Now().Add(30 * time.Second)
	for state(long) != atypes.QueryExecutionStateRunning {
		if time.Now().After(deadline) {
			t.Fatal("the long query never ran")
		}
		time.Sleep(5 * time.Millisecond)
	}
	queued := must[*athena.StartQueryExecutionOutput](t)(c.StartQueryExecution(ctx, &athena.StartQueryExecutionInput{
		QueryString: aws.String("SELECT 1"), ResultConfiguration: out})).QueryExecutionId
	if st := state(queued); st != atypes.QueryExecutionStateQueued {
		t.Fatalf("second query with one slot taken: %s, want QUEUED", st)
	}
	must[*athena.StopQueryExecutionOutput](t)(c.StopQueryExecution(ctx, &athena.StopQueryExecutionInput{QueryExecutionId: long}))
	srv.AthenaService().Wait()
	if st := state(long); st != atypes.QueryExecutionStateCancelled {
		t.Errorf("stopped query: %s, want CANCELLED", st)
	}
	if q := must[*athena.GetQueryExecutionOutput](t)(c.GetQueryExecution(ctx, &athena.GetQueryExecutionInput{QueryExecutionId: queued})).QueryExecution; q.Status.State != atypes.QueryExecutionStateSucceeded {
		t.Errorf("queued query: %s %q, want SUCCEEDED", q.Status.State, aws.ToString(q.Status.StateChangeReason))
	}
	_, err := c.GetQueryResults(ctx, &athena.GetQueryResultsInput{QueryExecutionId: long})
	wantCode(t, err, "InvalidRequestException")
}

// A client polling GetQueryExecution learns of the end as it happens: a
// poll of a running query waits for the end (here up to an hour), so one
// poll right after the start sees the query finished.
func TestAthena_PollWaitsForTheEnd(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t, awstest.Options{AthenaPollWait: time.Hour})
	s3c, c := srv.S3As(awstest.Client{UsePathStyle: true}), srv.Athena()
	createBucket(t, s3c, "results")
	for sql, want := range map[string]atypes.QueryExecutionState{
		"SELECT count(*) FROM range(3000000) t(x) WHERE x % 7 = 3": atypes.QueryExecutionStateSucceeded,
		"SELECT * FROM no_such_table":                              atypes.QueryExecutionStateFailed,
	} {
		id := must[*athena.StartQueryExecutionOutput](t)(c.StartQueryExecution(ctx, &athena.StartQueryExecutionInput{
			QueryString: aws.String(sql), QueryExecutionContext: &atypes.QueryExecutionContext{Database: aws.String("default")},
			ResultConfiguration: &atypes.ResultConfiguration{OutputLocation: aws.String("s3://results/")}})).QueryExecutionId
		q := must[*athena.GetQueryExecutionOutput](t)(c.GetQueryExecution(ctx, &athena.GetQueryExecutionInput{QueryExecutionId: id})).QueryExecution
		if q.Status.State != want {
			t.Errorf("%s: first poll says %s, want %s", sql, q.Status.State, want)
		}
	}
	// A poll waiting when the server shuts down answers at once, with the
	// state of the moment, and does not hold the shutdown up.
	id := must[*athena.StartQueryExecutionOutput](t)(c.StartQueryExecution(ctx, &athena.StartQueryExecutionInput{
		QueryString:         aws.String("SELECT count(*) FROM range(1000000000000) t(x) WHERE x % 7 = 3"),
		ResultConfiguration: &atypes.ResultConfiguration{OutputLocation: aws.String("s3://results/")}})).QueryExecutionId
	type answer struct {
		out *athena.GetQueryExecutionOutput
		err error
	}
	done := make(chan answer, 1)
	go func() {
		out, err := c.GetQueryExecution(ctx, &athena.GetQueryExecutionInput{QueryExecutionId: id})
		done <- answer{out, err}
	}()
	for srv.AthenaService().PollsWaiting() == 0 {
		time.Sleep(time.Millisecond)
	}
	srv.Stop()
	a := <-done
	if a.err != nil {
		t.Fatalf("poll waiting at shutdown: %v", a.err)
	}
	if st := a.out.QueryExecution.Status.State; st != atypes.QueryExecutionStateRunning {
		t.Errorf("poll waiting at shutdown says %s, want RUNNING", st)
	}
}

func TestAthena_Views(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	s3c, g, c := srv.S3As(awstest.Client{UsePathStyle: true}), srv.Glue(), srv.Athena()
	createBucket(t, s3c, "lake")
	createBucket(t, s3c, "results")
	put(t, s3c, "lake", "orders/a.csv", "1,alice,10\n2,bob,5\n3,alice,7\n")
	ok := succeeds(t, srv, c, "shop")
	ok("CREATE DATABASE shop")
	ok("CREATE EXTERNAL TABLE orders (id int, customer string, amount double) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://lake/orders/'")
	ok("CREATE VIEW revenue AS SELECT customer, sum(amount) AS total FROM orders GROUP BY customer")
	v := must[*glue.GetTableOutput](t)(g.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("shop"), Name: aws.String("revenue")})).Table
	if aws.ToString(v.TableType) != "VIRTUAL_VIEW" || !strings.HasPrefix(aws.ToString(v.ViewOriginalText), "/* Presto View: ") || v.Parameters["presto_view"] != "true" ||
		len(v.StorageDescriptor.Columns) != 2 || aws.ToString(v.StorageDescriptor.Columns[1].Type) != "double" {
		t.Fatalf("view in the catalog = %+v", v)
	}
	q := ok("SELECT r.customer, r.total FROM revenue r WHERE r.total > 6 ORDER BY 1")
	if got := rows(t, c, q.QueryExecutionId); fmt.Sprint(got) != "[[customer total] [alice 17.0]]" {
		t.Errorf("rows = %v", got)
	}
	ok("CREATE OR REPLACE VIEW big AS SELECT * FROM revenue WHERE total > 100")
	if got := rows(t, c, ok("SELECT count(*) FROM big").QueryExecutionId); fmt.Sprint(got) != "[[_col0] [0]]" {
		t.Errorf("view of a view = %v", got)
	}
	if got := rows(t, c, ok("SHOW VIEWS").QueryExecutionId); fmt.Sprint(got) != "[[big] [revenue]]" {
		t.Errorf("SHOW VIEWS = %v", got)
	}
	q = runQuery(t, srv, c, &athena.StartQueryExecutionInput{QueryString: aws.String("CREATE VIEW revenue AS SELECT 1 AS x"), QueryExecutionContext: &atypes.QueryExecutionContext{Database: aws.String("shop")}})
	if q.Status.State != atypes.QueryExecutionStateFailed || !strings.Contains(aws.ToString(q.Status.StateChangeReason), "already exists") {
		t.Errorf("CREATE VIEW over an existing view: %s %q", q.Status.State, aws.ToString(q.Status.StateChangeReason))
	}
	ok("DROP VIEW big")
	ok("DROP VIEW IF EXISTS big")

	// Prepared statements, in SQL and through the API.
	ok("PREPARE by_customer FROM SELECT sum(amount) AS total FROM orders WHERE customer = ?")
	if got := rows(t, c, ok("EXECUTE by_customer USING 'alice'").QueryExecutionId); fmt.Sprint(got) != "[[total] [17.0]]" {
		t.Errorf("EXECUTE USING = %v", got)
	}
	must[*athena.CreatePreparedStatementOutput](t)(c.CreatePreparedStatement(ctx, &athena.CreatePreparedStatementInput{
		StatementName: aws.String("big_orders"), WorkGroup: aws.String("primary"), QueryStatement: aws.String("SELECT id FROM orders WHERE amount > ? ORDER BY id")}))
	q = runQuery(t, srv, c, &athena.StartQueryExecutionInput{QueryString: aws.String("EXECUTE big_orders"), ExecutionParameters: []string{"6"},
		QueryExecutionContext: &atypes.QueryExecutionContext{Database: aws.String("shop")}})
	if got := rows(t, c, q.QueryExecutionId); fmt.Sprint(got) != "[[id] [1] [3]]" {
		t.Errorf("EXECUTE with ExecutionParameters = %v (%s)", got, aws.ToString(q.Status.StateChangeReason))
	}
	list := must[*athena.ListPreparedStatementsOutput](t)(c.ListPreparedStatements(ctx, &athena.ListPreparedStatementsInput{WorkGroup: aws.String("primary")}))
	if len(list.PreparedStatements) != 2 {
		t.Errorf("prepared statements = %+v", list.PreparedStatements)
	}
	batch := must[*athena.BatchGetPreparedStatementOutput](t)(c.BatchGetPreparedStatement(ctx, &athena.BatchGetPreparedStatementInput{
		WorkGroup: aws.String("primary"), PreparedStatementNames: []string{"big_orders", "nope", "by_customer"}}))
	if len(batch.PreparedStatements) != 2 || aws.ToString(batch.PreparedStatements[0].QueryStatement) != "SELECT id FROM orders WHERE amount > ? ORDER BY id" ||
		len(batch.UnprocessedPreparedStatementNames) != 1 || aws.ToString(batch.UnprocessedPreparedStatementNames[0].ErrorCode) != "STATEMENT_NOT_FOUND" {
		t.Errorf("BatchGetPreparedStatement = %+v", batch)
	}
	ok("DEALLOCATE PREPARE by_customer")

	// CTAS writes Parquet partitions and registers them; INSERT INTO adds.
	q = ok("CREATE TABLE orders_by_customer WITH (format = 'PARQUET', external_location = 's3://lake/curated/obc/', partitioned_by = ARRAY['customer']) AS SELECT id, amount, customer FROM orders")
	res := must[*athena.GetQueryResultsOutput](t)(c.GetQueryResults(ctx, &athena.GetQueryResultsInput{QueryExecutionId: q.QueryExecutionId}))
	if aws.ToInt64(res.UpdateCount) != 3 {
		t.Errorf("CTAS update count = %d", aws.ToInt64(res.UpdateCount))
	}
	ctas := must[*glue.GetTableOutput](t)(g.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("shop"), Name: aws.String("orders_by_customer")})).Table
	if len(ctas.PartitionKeys) != 1 || aws.ToString(ctas.PartitionKeys[0].Name) != "customer" || len(ctas.StorageDescriptor.Columns) != 2 ||
		aws.ToString(ctas.StorageDescriptor.SerdeInfo.SerializationLibrary) != "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" {
		t.Errorf("CTAS table = %+v", ctas)
	}
	if got := rows(t, c, ok("SHOW PARTITIONS orders_by_customer").QueryExecutionId); fmt.Sprint(got) != "[[customer=alice] [customer=bob]]" {
		t.Errorf("CTAS partitions = %v", got)
	}
	ok("INSERT INTO orders_by_customer SELECT 9, 1.5, 'carol'")
	if got := rows(t, c, ok("SELECT customer, count(*) AS n, sum(amount) AS total FROM orders_by_customer GROUP BY customer ORDER BY customer").QueryExecutionId); fmt.Sprint(got) != "[[customer n total] [alice 2 17.0] [bob 1 5.0] [carol 1 1.5]]" {
		t.Errorf("after INSERT = %v", got)
	}
	ok("UNLOAD (SELECT id, customer FROM orders WHERE amount > 6) TO 's3://lake/exports/big/' WITH (format = 'JSON', compression = 'NONE')")
	listed := must[*s3.ListObjectsV2Output](t)(s3c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("lake"), Prefix: aws.String("exports/big/")}))
	if len(listed.Contents) != 1 {
		t.Fatalf("UNLOAD wrote %d objects", len(listed.Contents))
	}
	if body := get(t, s3c, "lake", aws.ToString(listed.Contents[0].Key)); !strings.Contains(body, `"customer":"alice"`) || strings.Count(body, "\n") != 2 {
		t.Errorf("UNLOAD output = %q", body)
	}
	q = runQuery(t, srv, c, &athena.StartQueryExecutionInput{QueryString: aws.String("CREATE TABLE orders_by_customer AS SELECT 1 AS x"), QueryExecutionContext: &atypes.QueryExecutionContext{Database: aws.String("shop")}})
	if q.Status.State != atypes.QueryExecutionStateFailed {
		t.Errorf("CTAS over an existing table: %s", q.Status.State)
	}
	_, err := c.GetPreparedStatement(ctx, &athena.GetPreparedStatementInput{StatementName: aws.String("by_customer"), WorkGroup: aws.String("primary")})
	wantCode(t, err, "ResourceNotFoundException")
}

// Objects stored encrypted are queryable, and their plaintext never lands
// in the data directory.
func TestAthena_EncryptedObjects(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	s3c, c := srv.S3As(awstest.Client{UsePathStyle: true}), srv.Athena()
	createBucket(t, s3c, "vault")
	createBucket(t, s3c, "results")
	const marker = "zebra-secret-7731"
	for i, sse := range []s3types.ServerSideEncryption{s3types.ServerSideEncryptionAes256, s3types.ServerSideEncryptionAwsKms} {
		body := fmt.Sprintf("%d,%s\n", i, marker)
		if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("vault"), Key: aws.String(fmt.Sprintf("t/part-%d.csv", i)),
			Body: strings.NewReader(body), ServerSideEncryption: sse}); err != nil {
			t.Fatal(err)
		}
	}
	q := runQuery(t, srv, c, &athena.StartQueryExecutionInput{QueryString: aws.String("CREATE DATABASE v")})
	q = runQuery(t, srv, c, &athena.StartQueryExecutionInput{QueryString: aws.String("CREATE EXTERNAL TABLE v.secrets (id int, word string) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://vault/t/'")})
	q = runQuery(t, srv, c, &athena.StartQueryExecutionInput{QueryString: aws.String("SELECT count(*) AS n, max(word) AS w FROM v.secrets")})
	if q.Status.State != atypes.QueryExecutionStateSucceeded {
		t.Fatalf("%s %s", q.Status.State, aws.ToString(q.Status.StateChangeReason))
	}
	if got := rows(t, c, q.QueryExecutionId); fmt.Sprint(got) != "[[n w] [2 "+marker+"]]" {
		t.Fatalf("rows = %v", got)
	}
	// The result file holds the marker (results are not encrypted); nothing
	// else in the data directory may.
	resultBody := []byte(marker)
	filepath.WalkDir(srv.DataDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(p)
		if bytes.Contains(b, resultBody) && !strings.Contains(p, "meta") {
			t.Errorf("plaintext of an encrypted object in %s", p)
		}
		return nil
	})
}

// Partition projection: a NOW-relative date range follows the server's
// clock, and a query that names fewer projected partitions reads less.
func TestAthena_PartitionProjection(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	s3c, c := srv.S3As(awstest.Client{UsePathStyle: true}), srv.Athena()
	createBucket(t, s3c, "lake")
	createBucket(t, s3c, "results")
	today := srv.Clock().Now().UTC()
	day := func(n int) string { return today.AddDate(0, 0, n).Format("2006-01-02") }
	for _, n := range []int{-2, -1, 0, 1} {
		put(t, s3c, "lake", "daily/day="+day(n)+"/a.csv", fmt.Sprintf("%d\n", n))
	}
	ok := succeeds(t, srv, c, "lake")
	ok("CREATE DATABASE lake")
	ok(`CREATE EXTERNAL TABLE daily (n int) PARTITIONED BY (day string)
ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://lake/daily/'
TBLPROPERTIES ('projection.enabled'='true', 'projection.day.type'='date',
  'projection.day.range'='NOW-1DAYS,NOW', 'projection.day.format'='yyyy-MM-dd')`)
	// Yesterday and today: the day before is out of range, tomorrow not yet.
	all := ok("SELECT sum(n), count(*) FROM daily")
	if got := rows(t, c, all.QueryExecutionId); fmt.Sprint(got) != "[[_col0 _col1] [-1 2]]" {
		t.Errorf("rows = %v", got)
	}
	pruned := ok("SELECT sum(n) FROM daily WHERE day = '" + day(0) + "'")
	if got := rows(t, c, pruned.QueryExecutionId); fmt.Sprint(got) != "[[_col0] [0]]" {
		t.Errorf("pruned rows = %v", got)
	}
	if a, p := aws.ToInt64(all.Statistics.DataScannedInBytes), aws.ToInt64(pruned.Statistics.DataScannedInBytes); p == 0 || p >= a {
		t.Errorf("a query pruned to one projected partition scanned %d bytes, the whole range %d", p, a)
	}
	// A day later, the range has moved with the clock.
	if _, err := srv.Clock().Advance(24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if got := rows(t, c, ok("SELECT sum(n), count(*) FROM daily").QueryExecutionId); fmt.Sprint(got) != "[[_col0 _col1] [1 2]]" {
		t.Errorf("rows a day later = %v", got)
	}
}

// parquetRead is what reading the given columns of a Parquet file costs:
// its size less the chunks of the other columns.
func parquetRead(t *testing.T, file []byte, columns ...string) int64 {
	t.Helper()
	f, err := parquet.OpenFile(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	n := int64(len(file))
	for _, rg := range f.Metadata().RowGroups {
		for _, cc := range rg.Columns {
			if !slices.Contains(columns, cc.MetaData.PathInSchema[0]) {
				n -= cc.MetaData.TotalCompressedSize
			}
		}
	}
	return n
}

// Athena reads a Parquet timestamp stored finer than milliseconds as its
// timestamp(3), rounded half up (Trino's Parquet reader): in what it
// prints and in what it compares. Millisecond files read as they are.
func TestAthena_ParquetTimestampsRoundToMilliseconds(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	s3c, c := srv.S3As(awstest.Client{UsePathStyle: true}), srv.Athena()
	createBucket(t, s3c, "lake")
	createBucket(t, s3c, "results")
	type micros struct {
		ID int64     `parquet:"id"`
		TS time.Time `parquet:"ts,timestamp(microsecond)"`
	}
	type millis struct {
		ID int64     `parquet:"id"`
		TS time.Time `parquet:"ts,timestamp(millisecond)"`
	}
	at := func(s string) time.Time {
		v, err := time.Parse("2006-01-02 15:04:05.999999", s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	putBytes(t, s3c, "lake", "us/part-0.parquet", parquetBytes(t, []micros{
		{1, at("2020-01-01 00:00:00.123499")}, {2, at("2020-01-01 00:00:00.1235")},
		{3, at("2020-01-01 23:59:59.9995")}, {4, at("1969-12-31 23:59:59.9985")},
	}))
	putBytes(t, s3c, "lake", "ms/part-0.parquet", parquetBytes(t, []millis{{5, at("2020-01-01 00:00:00.123")}}))
	run := succeeds(t, srv, c, "times")
	run("CREATE DATABASE times")
	run("CREATE EXTERNAL TABLE us (id bigint, ts timestamp) STORED AS PARQUET LOCATION 's3://lake/us/'")
	run("CREATE EXTERNAL TABLE ms (id bigint, ts timestamp) STORED AS PARQUET LOCATION 's3://lake/ms/'")
	for sql, want := range map[string][][]string{
		"SELECT id, ts FROM us ORDER BY id": {{"id", "ts"},
			{"1", "2020-01-01 00:00:00.123"}, {"2", "2020-01-01 00:00:00.124"},
			{"3", "2020-01-02 00:00:00.000"}, {"4", "1969-12-31 23:59:59.999"}},
		"SELECT id FROM us WHERE ts = TIMESTAMP '2020-01-01 00:00:00.124'":              {{"id"}, {"2"}},
		"SELECT id, to_unixtime(ts) FROM ms WHERE ts > TIMESTAMP '2020-01-01 00:00:00'": {{"id", "_col1"}, {"5", "1.577836800123E9"}},
	} {
		q := run(sql)
		if got := rows(t, c, q.QueryExecutionId); !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("%s\n got %q\nwant %q", sql, got, want)
		}
	}
	// A table Lakebox writes stores milliseconds: it reads back as written.
	run("CREATE TABLE copied WITH (format = 'PARQUET', external_location = 's3://lake/copied/') AS SELECT id, ts FROM us")
	list := must[*s3.ListObjectsV2Output](t)(s3c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("lake"), Prefix: aws.String("copied/")}))
	if len(list.Contents) != 1 {
		t.Fatalf("CTAS wrote %d files", len(list.Contents))
	}
	body := []byte(get(t, s3c, "lake", aws.ToString(list.Contents[0].Key)))
	f, err := parquet.OpenFile(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	if col, ok := f.Schema().Lookup("ts"); !ok || col.Node.Type().LogicalType().String() != "TIMESTAMP(isAdjustedToUTC=false,unit=MILLIS)" {
		t.Errorf("CTAS's timestamp column: %v", col.Node.Type().LogicalType())
	}
	q := run("SELECT id, ts FROM copied WHERE ts >= TIMESTAMP '2020-01-01 00:00:00.124' ORDER BY id")
	want := [][]string{{"id", "ts"}, {"2", "2020-01-01 00:00:00.124"}, {"3", "2020-01-02 00:00:00.000"}}
	if got := rows(t, c, q.QueryExecutionId); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("read back: got %q, want %q", got, want)
	}
}
