package awstest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/parquet-go/parquet-go"

	"github.com/lakebox/lakebox/internal/awstest"
)

type saleV1 struct {
	OrderID int64   `parquet:"order_id"`
	Amount  float64 `parquet:"amount"`
	Region  string  `parquet:"region"`
}

type saleV2 struct {
	OrderID int64   `parquet:"order_id"`
	Amount  float64 `parquet:"amount"`
	Region  string  `parquet:"region"`
	Channel string  `parquet:"channel"`
}

func parquetBytes[T any](t *testing.T, rows []T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := parquet.Write(&b, rows); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func putBytes(t *testing.T, c *s3.Client, bucket, key string, body []byte) {
	t.Helper()
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body)}); err != nil {
		t.Fatal(err)
	}
}

// crawl starts a crawler, waits for it and checks that it succeeded.
func crawl(t *testing.T, srv *awstest.Server, c *glue.Client, name string) *types.Crawler {
	t.Helper()
	must[*glue.StartCrawlerOutput](t)(c.StartCrawler(ctx, &glue.StartCrawlerInput{Name: aws.String(name)}))
	srv.GlueService().WaitCrawls()
	cr := must[*glue.GetCrawlerOutput](t)(c.GetCrawler(ctx, &glue.GetCrawlerInput{Name: aws.String(name)})).Crawler
	if cr.State != types.CrawlerStateReady || cr.LastCrawl == nil || cr.LastCrawl.Status != types.LastCrawlStatusSucceeded {
		t.Fatalf("crawler after its crawl: state %s, last crawl %+v", cr.State, cr.LastCrawl)
	}
	return cr
}

func columns(tb *types.Table) []string {
	var out []string
	for _, c := range tb.StorageDescriptor.Columns {
		out = append(out, aws.ToString(c.Name)+" "+aws.ToString(c.Type))
	}
	return out
}

func partitionValues(t *testing.T, c *glue.Client, db, table string) []string {
	t.Helper()
	var out []string
	p := glue.NewGetPartitionsPaginator(c, &glue.GetPartitionsInput{DatabaseName: aws.String(db), TableName: aws.String(table)})
	for p.HasMorePages() {
		for _, part := range must[*glue.GetPartitionsOutput](t)(p.NextPage(ctx)).Partitions {
			out = append(out, strings.Join(part.Values, "/"))
		}
	}
	return out
}

func TestGlue_Crawler(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	s3c, c := srv.S3As(awstest.Client{UsePathStyle: true}), srv.Glue()
	createBucket(t, s3c, "lake")
	for _, month := range []string{"01", "02", "03"} {
		for _, part := range []string{"0", "1"} {
			putBytes(t, s3c, "lake", "curated/sales/year=2024/month="+month+"/part-"+part+".parquet", parquetBytes(t, []saleV1{{1, 9.5, "eu"}, {2, 3, "us"}}))
		}
	}
	put(t, s3c, "lake", "curated/sales/_SUCCESS", "")
	put(t, s3c, "lake", "raw/orders/dt=2024-03-01/orders.csv", "order_id,customer,amount\n1,alice,9.99\n2,bob,5\n")
	put(t, s3c, "lake", "raw/orders/dt=2024-03-02/orders.csv", "order_id,customer,amount\n3,carol,1.25\n")
	put(t, s3c, "lake", "raw/orders/dt=2024-03-02/corrupt.csv", "\x00\x01\x02 not text")
	put(t, s3c, "lake", "raw/events/2024/03/01/events.json", `{"id": 1, "user": {"name": "a"}, "tags": ["x"]}`+"\n")
	put(t, s3c, "lake", "raw/events/2024/03/02/events.json", `{"id": 2, "user": {"name": "b", "vip": true}, "tags": []}`+"\n")
	put(t, s3c, "lake", "raw/events/_tmp/scratch.json", `{"junk": true}`)
	createDatabase(t, c, "lake_db")
	must[*glue.CreateCrawlerOutput](t)(c.CreateCrawler(ctx, &glue.CreateCrawlerInput{
		Name: aws.String("lake-crawler"), Role: aws.String("arn:aws:iam::000000000000:role/glue"), DatabaseName: aws.String("lake_db"),
		Targets: &types.CrawlerTargets{S3Targets: []types.S3Target{
			{Path: aws.String("s3://lake/curated/sales/")},
			{Path: aws.String("s3://lake/raw/"), Exclusions: []string{"**/_tmp/**"}},
		}},
		Tags: map[string]string{"team": "data"},
	}))
	cr := must[*glue.GetCrawlerOutput](t)(c.GetCrawler(ctx, &glue.GetCrawlerInput{Name: aws.String("lake-crawler")})).Crawler
	if cr.State != types.CrawlerStateReady || cr.SchemaChangePolicy.UpdateBehavior != types.UpdateBehaviorUpdateInDatabase ||
		cr.SchemaChangePolicy.DeleteBehavior != types.DeleteBehaviorDeprecateInDatabase || cr.RecrawlPolicy.RecrawlBehavior != types.RecrawlBehaviorCrawlEverything {
		t.Fatalf("new crawler = %+v", cr)
	}
	crawl(t, srv, c, "lake-crawler")

	t.Run("Parquet", func(t *testing.T) {
		tb := must[*glue.GetTableOutput](t)(c.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("lake_db"), Name: aws.String("sales")})).Table
		if got := columns(tb); !slices.Equal(got, []string{"order_id bigint", "amount double", "region string"}) {
			t.Errorf("columns = %v", got)
		}
		if len(tb.PartitionKeys) != 2 || aws.ToString(tb.PartitionKeys[0].Name) != "year" || aws.ToString(tb.PartitionKeys[1].Name) != "month" {
			t.Errorf("partition keys = %+v", tb.PartitionKeys)
		}
		sd := tb.StorageDescriptor
		if tb.Parameters["classification"] != "parquet" || aws.ToString(sd.Location) != "s3://lake/curated/sales/" ||
			aws.ToString(sd.SerdeInfo.SerializationLibrary) != "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" ||
			tb.Parameters["recordCount"] != "12" || tb.Parameters["objectCount"] != "6" || aws.ToString(tb.TableType) != "EXTERNAL_TABLE" {
			t.Errorf("table = %+v, sd = %+v", tb.Parameters, sd)
		}
		if got := partitionValues(t, c, "lake_db", "sales"); !slices.Equal(got, []string{"2024/01", "2024/02", "2024/03"}) {
			t.Errorf("partitions = %v", got)
		}
		p := must[*glue.GetPartitionOutput](t)(c.GetPartition(ctx, &glue.GetPartitionInput{DatabaseName: aws.String("lake_db"), TableName: aws.String("sales"), PartitionValues: []string{"2024", "02"}})).Partition
		if aws.ToString(p.StorageDescriptor.Location) != "s3://lake/curated/sales/year=2024/month=02/" || p.Parameters["objectCount"] != "2" {
			t.Errorf("partition = %+v", p.StorageDescriptor)
		}
	})
	t.Run("CSVSkipsCorruptFile", func(t *testing.T) {
		tb := must[*glue.GetTableOutput](t)(c.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("lake_db"), Name: aws.String("orders")})).Table
		if got := columns(tb); !slices.Equal(got, []string{"order_id bigint", "customer string", "amount double"}) {
			t.Errorf("columns = %v", got)
		}
		if tb.Parameters["classification"] != "csv" || tb.Parameters["skip.header.line.count"] != "1" || tb.Parameters["delimiter"] != "," {
			t.Errorf("parameters = %v", tb.Parameters)
		}
		if got := partitionValues(t, c, "lake_db", "orders"); !slices.Equal(got, []string{"2024-03-01", "2024-03-02"}) {
			t.Errorf("partitions = %v", got)
		}
	})
	t.Run("JSONPlainFolders", func(t *testing.T) {
		tb := must[*glue.GetTableOutput](t)(c.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("lake_db"), Name: aws.String("events")})).Table
		if got := columns(tb); !slices.Equal(got, []string{"id int", "user struct<name:string,vip:boolean>", "tags array<string>"}) {
			t.Errorf("columns = %v", got)
		}
		var keys []string
		for _, k := range tb.PartitionKeys {
			keys = append(keys, aws.ToString(k.Name))
		}
		if !slices.Equal(keys, []string{"partition_0", "partition_1", "partition_2"}) {
			t.Errorf("partition keys = %v", keys)
		}
		if aws.ToString(tb.StorageDescriptor.SerdeInfo.SerializationLibrary) != "org.openx.data.jsonserde.JsonSerDe" {
			t.Errorf("serde = %+v", tb.StorageDescriptor.SerdeInfo)
		}
	})
	t.Run("MetricsAndHistory", func(t *testing.T) {
		m := must[*glue.GetCrawlerMetricsOutput](t)(c.GetCrawlerMetrics(ctx, &glue.GetCrawlerMetricsInput{CrawlerNameList: []string{"lake-crawler"}})).CrawlerMetricsList
		if len(m) != 1 || m[0].TablesCreated != 3 || m[0].TablesUpdated != 0 {
			t.Fatalf("metrics = %+v", m)
		}
		crawls := must[*glue.ListCrawlsOutput](t)(c.ListCrawls(ctx, &glue.ListCrawlsInput{CrawlerName: aws.String("lake-crawler")})).Crawls
		if len(crawls) != 1 || crawls[0].State != types.CrawlerHistoryStateCompleted || crawls[0].EndTime == nil {
			t.Fatalf("crawls = %+v", crawls)
		}
		var summary map[string]map[string]map[string]int
		if err := json.Unmarshal([]byte(aws.ToString(crawls[0].Summary)), &summary); err != nil || summary["TABLE"]["ADD"]["Count"] != 3 || summary["PARTITION"]["ADD"]["Count"] != 7 {
			t.Fatalf("summary = %s (%v)", aws.ToString(crawls[0].Summary), err)
		}
		_, err := c.StopCrawler(ctx, &glue.StopCrawlerInput{Name: aws.String("lake-crawler")})
		wantCode(t, err, "CrawlerNotRunningException")
	})
	t.Run("Recrawl", func(t *testing.T) {
		putBytes(t, s3c, "lake", "curated/sales/year=2024/month=04/part-0.parquet", parquetBytes(t, []saleV2{{5, 1, "eu", "web"}}))
		crawl(t, srv, c, "lake-crawler")
		tb := must[*glue.GetTableOutput](t)(c.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("lake_db"), Name: aws.String("sales")})).Table
		if got := columns(tb); !slices.Equal(got, []string{"order_id bigint", "amount double", "region string", "channel string"}) {
			t.Errorf("columns after a new column arrived = %v", got)
		}
		if got := partitionValues(t, c, "lake_db", "sales"); len(got) != 4 {
			t.Errorf("partitions after a new folder = %v", got)
		}
		m := must[*glue.GetCrawlerMetricsOutput](t)(c.GetCrawlerMetrics(ctx, &glue.GetCrawlerMetricsInput{CrawlerNameList: []string{"lake-crawler"}})).CrawlerMetricsList
		if m[0].TablesCreated != 0 || m[0].TablesUpdated != 1 {
			t.Errorf("metrics after recrawl = %+v", m[0])
		}
	})
	t.Run("DeletedData", func(t *testing.T) {
		must[*glue.UpdateCrawlerOutput](t)(c.UpdateCrawler(ctx, &glue.UpdateCrawlerInput{Name: aws.String("lake-crawler"),
			SchemaChangePolicy: &types.SchemaChangePolicy{UpdateBehavior: types.UpdateBehaviorUpdateInDatabase, DeleteBehavior: types.DeleteBehaviorDeleteFromDatabase}}))
		for _, k := range []string{"raw/events/2024/03/01/events.json", "raw/events/2024/03/02/events.json"} {
			must[*s3.DeleteObjectOutput](t)(s3c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("lake"), Key: aws.String(k)}))
		}
		must[*s3.DeleteObjectOutput](t)(s3c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("lake"), Key: aws.String("curated/sales/year=2024/month=01/part-0.parquet")}))
		must[*s3.DeleteObjectOutput](t)(s3c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("lake"), Key: aws.String("curated/sales/year=2024/month=01/part-1.parquet")}))
		crawl(t, srv, c, "lake-crawler")
		_, err := c.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("lake_db"), Name: aws.String("events")})
		wantCode(t, err, "EntityNotFoundException")
		if got := partitionValues(t, c, "lake_db", "sales"); !slices.Equal(got, []string{"2024/02", "2024/03", "2024/04"}) {
			t.Errorf("partitions after month 01 went away = %v", got)
		}
	})
}

func TestGlue_CrawlerPolicies(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	s3c, c := srv.S3As(awstest.Client{UsePathStyle: true}), srv.Glue()
	createBucket(t, s3c, "zone")
	createDatabase(t, c, "db")
	target := &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://zone/clicks/")}}}
	role := aws.String("role")
	t.Run("Validation", func(t *testing.T) {
		_, err := c.CreateCrawler(ctx, &glue.CreateCrawlerInput{Name: aws.String("x"), Role: role, DatabaseName: aws.String("db"), Targets: target,
			RecrawlPolicy: &types.RecrawlPolicy{RecrawlBehavior: types.RecrawlBehaviorCrawlNewFoldersOnly}})
		wantCode(t, err, "InvalidInputException")
		_, err = c.CreateCrawler(ctx, &glue.CreateCrawlerInput{Name: aws.String("x"), Role: role, DatabaseName: aws.String("db"), Targets: target, Schedule: aws.String("cron(0 0 * * * *)")})
		wantCode(t, err, "InvalidInputException")
		_, err = c.CreateCrawler(ctx, &glue.CreateCrawlerInput{Name: aws.String("x"), Role: role, DatabaseName: aws.String("db"),
			Targets: &types.CrawlerTargets{JdbcTargets: []types.JdbcTarget{{ConnectionName: aws.String("pg"), Path: aws.String("db/%")}}}})
		wantCode(t, err, "OperationNotSupportedException")
		_, err = c.GetCrawler(ctx, &glue.GetCrawlerInput{Name: aws.String("nope")})
		wantCode(t, err, "EntityNotFoundException")
	})
	t.Run("IncrementalAndSchedule", func(t *testing.T) {
		put(t, s3c, "zone", "clicks/day=1/a.json", `{"page": "/", "ms": 5}`+"\n")
		must[*glue.CreateCrawlerOutput](t)(c.CreateCrawler(ctx, &glue.CreateCrawlerInput{
			Name: aws.String("clicks"), Role: role, DatabaseName: aws.String("db"), Targets: target, TablePrefix: aws.String("raw_"),
			Schedule:           aws.String("cron(0 0 * * ? *)"),
			RecrawlPolicy:      &types.RecrawlPolicy{RecrawlBehavior: types.RecrawlBehaviorCrawlNewFoldersOnly},
			SchemaChangePolicy: &types.SchemaChangePolicy{UpdateBehavior: types.UpdateBehaviorLog, DeleteBehavior: types.DeleteBehaviorLog},
		}))
		cr := must[*glue.GetCrawlerOutput](t)(c.GetCrawler(ctx, &glue.GetCrawlerInput{Name: aws.String("clicks")})).Crawler
		if cr.Schedule == nil || cr.Schedule.State != types.ScheduleStateScheduled || aws.ToString(cr.Schedule.ScheduleExpression) != "cron(0 0 * * ? *)" {
			t.Fatalf("schedule = %+v", cr.Schedule)
		}
		crawl(t, srv, c, "clicks")
		// A new folder, and a changed file in a folder already crawled: only
		// the new folder is read.
		put(t, s3c, "zone", "clicks/day=2/a.json", `{"page": "/x", "ms": 7, "ref": "g"}`+"\n")
		put(t, s3c, "zone", "clicks/day=1/b.json", `{"other": 1}`+"\n")
		// Midnight comes: the schedule starts the crawl.
		resp, err := http.Post(srv.URL+"/_lakebox/clock", "application/json", strings.NewReader(`{"advance":"24h"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if _, err := srv.GlueService().RunSchedules(); err != nil {
			t.Fatal(err)
		}
		srv.GlueService().WaitCrawls()
		crawls := must[*glue.ListCrawlsOutput](t)(c.ListCrawls(ctx, &glue.ListCrawlsInput{CrawlerName: aws.String("clicks")})).Crawls
		if len(crawls) != 2 {
			t.Fatalf("crawls after a day = %d, want 2 (one started by the schedule)", len(crawls))
		}
		if got := partitionValues(t, c, "db", "raw_clicks"); !slices.Equal(got, []string{"1", "2"}) {
			t.Errorf("partitions = %v", got)
		}
		p := must[*glue.GetPartitionOutput](t)(c.GetPartition(ctx, &glue.GetPartitionInput{DatabaseName: aws.String("db"), TableName: aws.String("raw_clicks"), PartitionValues: []string{"1"}})).Partition
		if p.Parameters["objectCount"] != "1" {
			t.Errorf("the old folder was read again: %v", p.Parameters)
		}
		tb := must[*glue.GetTableOutput](t)(c.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("db"), Name: aws.String("raw_clicks")})).Table
		if got := columns(tb); !slices.Equal(got, []string{"page string", "ms int"}) {
			t.Errorf("UpdateBehavior LOG changed the schema: %v", got)
		}
		must[*glue.StopCrawlerScheduleOutput](t)(c.StopCrawlerSchedule(ctx, &glue.StopCrawlerScheduleInput{CrawlerName: aws.String("clicks")}))
		_, err = c.StopCrawlerSchedule(ctx, &glue.StopCrawlerScheduleInput{CrawlerName: aws.String("clicks")})
		wantCode(t, err, "SchedulerNotRunningException")
	})
	t.Run("CustomClassifier", func(t *testing.T) {
		put(t, s3c, "zone", "feeds/items.json", `{"data": {"items": [{"sku": "a", "qty": 1}, {"sku": "b", "qty": 2}]}}`)
		must[*glue.CreateClassifierOutput](t)(c.CreateClassifier(ctx, &glue.CreateClassifierInput{JsonClassifier: &types.CreateJsonClassifierRequest{Name: aws.String("items"), JsonPath: aws.String("$.data.items[*]")}}))
		_, err := c.CreateClassifier(ctx, &glue.CreateClassifierInput{GrokClassifier: &types.CreateGrokClassifierRequest{Name: aws.String("g"), Classification: aws.String("x"), GrokPattern: aws.String("%{WORD}")}})
		wantCode(t, err, "OperationNotSupportedException")
		must[*glue.CreateCrawlerOutput](t)(c.CreateCrawler(ctx, &glue.CreateCrawlerInput{
			Name: aws.String("feeds"), Role: role, DatabaseName: aws.String("db"), Classifiers: []string{"items"},
			Targets: &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://zone/feeds/")}}},
		}))
		crawl(t, srv, c, "feeds")
		tb := must[*glue.GetTableOutput](t)(c.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("db"), Name: aws.String("feeds")})).Table
		if got := columns(tb); !slices.Equal(got, []string{"sku string", "qty int"}) {
			t.Errorf("columns = %v", got)
		}
	})
}
