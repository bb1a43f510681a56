package awstest_test

import (
	"crypto/md5"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

func (c *child) glue() *glue.Client {
	return glue.New(glue.Options{
		Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String("http://" + c.addr), HTTPClient: c.httpClient(), RetryMaxAttempts: 1,
	})
}

// Every acknowledged catalog write (tables, partitions) survives kill -9,
// and a crawl the kill interrupts is recorded as failed, its crawler READY.
func TestCrash_AcknowledgedCatalogWritesSurvive(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	t.Parallel()
	dir := t.TempDir()
	srv := startChild(t, dir)
	s3c, g := srv.client(), srv.glue()
	createBucket(t, s3c, "lake")
	for i := range 200 {
		put(t, s3c, "lake", fmt.Sprintf("raw/dt=%03d/part.csv", i), "id,name\n1,a\n2,b\n")
	}
	must[*glue.CreateDatabaseOutput](t)(g.CreateDatabase(ctx, &glue.CreateDatabaseInput{DatabaseInput: &types.DatabaseInput{Name: aws.String("crash")}}))
	must[*glue.CreateTableOutput](t)(g.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: aws.String("crash"), TableInput: salesTable("parts")}))
	must[*glue.CreateCrawlerOutput](t)(g.CreateCrawler(ctx, &glue.CreateCrawlerInput{Name: aws.String("c"), Role: aws.String("r"), DatabaseName: aws.String("crash"),
		Targets: &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://lake/raw/")}}}}))
	must[*glue.StartCrawlerOutput](t)(g.StartCrawler(ctx, &glue.StartCrawlerInput{Name: aws.String("c")}))

	const killAfter = 150
	acked := writeUntilKilled(srv, 6, killAfter, func(w, i int) (string, [16]byte, error) {
		if w%2 == 0 {
			name := fmt.Sprintf("t_%d_%d", w, i)
			_, err := g.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: aws.String("crash"), TableInput: salesTable(name)})
			return "table " + name, md5.Sum([]byte(name)), err
		}
		var in []types.PartitionInput
		for j := range 10 {
			in = append(in, partitionInput(fmt.Sprint(w), fmt.Sprintf("%d-%d", i, j)))
		}
		out, err := g.BatchCreatePartition(ctx, &glue.BatchCreatePartitionInput{DatabaseName: aws.String("crash"), TableName: aws.String("parts"), PartitionInputList: in})
		if err == nil && len(out.Errors) > 0 {
			err = fmt.Errorf("partition errors: %v", out.Errors)
		}
		return fmt.Sprintf("partitions %d %d", w, i), [16]byte{}, err
	})

	srv = startChild(t, dir)
	g = srv.glue()
	for what := range acked {
		fields := strings.Fields(what)
		if fields[0] == "table" {
			if _, err := g.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("crash"), Name: aws.String(fields[1])}); err != nil {
				t.Fatalf("acknowledged table %s lost: %v", fields[1], err)
			}
			continue
		}
		var keys []types.PartitionValueList
		for j := range 10 {
			keys = append(keys, types.PartitionValueList{Values: []string{fields[1], fields[2] + "-" + fmt.Sprint(j)}})
		}
		out := must[*glue.BatchGetPartitionOutput](t)(g.BatchGetPartition(ctx, &glue.BatchGetPartitionInput{DatabaseName: aws.String("crash"), TableName: aws.String("parts"), PartitionsToGet: keys}))
		if len(out.Partitions) != 10 {
			t.Fatalf("acknowledged %s: %d of 10 partitions survived", what, len(out.Partitions))
		}
	}
	if len(acked) < killAfter {
		t.Fatalf("only %d writes acknowledged", len(acked))
	}
	cr := must[*glue.GetCrawlerOutput](t)(g.GetCrawler(ctx, &glue.GetCrawlerInput{Name: aws.String("c")})).Crawler
	if cr.State != types.CrawlerStateReady || cr.LastCrawl == nil {
		t.Fatalf("crawler after restart: %s, %+v", cr.State, cr.LastCrawl)
	}
	if st := cr.LastCrawl.Status; st != types.LastCrawlStatusSucceeded && !(st == types.LastCrawlStatusFailed && strings.Contains(aws.ToString(cr.LastCrawl.ErrorMessage), "interrupted")) {
		t.Fatalf("last crawl after restart: %+v", cr.LastCrawl)
	}
}
