package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/parquet-go/parquet-go"

	"github.com/lakebox/lakebox/bench/internal/proc"
	"github.com/lakebox/lakebox/internal/awstest"
)

type opResult struct {
	name     string
	ops      int64
	errors   int64
	elapsed  time.Duration
	cpuPerOp time.Duration
}

func (o opResult) rate() float64 { return float64(o.ops) / o.elapsed.Seconds() }

type queryResult struct {
	name    string
	matched int
	median  time.Duration
	err     string
}

type result struct {
	name       string
	ops        []opResult
	loaded     int
	loadTime   time.Duration
	queries    []queryResult
	crawlPut   time.Duration
	crawlTime  time.Duration
	crawlState string
	tables     int
	partitions int
}

func clients(s *server) (*glue.Client, *s3.Client) {
	hc := &http.Client{Transport: awstest.BodyWithoutWriterTo{RoundTripper: &http.Transport{MaxIdleConnsPerHost: 64}}}
	creds := credentials.NewStaticCredentialsProvider("test", "test", "")
	g := glue.New(glue.Options{Region: "us-east-1", Credentials: creds, BaseEndpoint: aws.String(s.url), HTTPClient: hc, RetryMaxAttempts: 1})
	c := s3.New(s3.Options{Region: "us-east-1", Credentials: creds, BaseEndpoint: aws.String(s.url), HTTPClient: hc, UsePathStyle: true, RetryMaxAttempts: 1})
	return g, c
}

var partitionKeys = []types.Column{
	{Name: aws.String("year"), Type: aws.String("string")},
	{Name: aws.String("month"), Type: aws.String("string")},
	{Name: aws.String("day"), Type: aws.String("string")},
}

func tableInput(name string) *types.TableInput {
	return &types.TableInput{
		Name: aws.String(name), TableType: aws.String("EXTERNAL_TABLE"), PartitionKeys: partitionKeys,
		Parameters: map[string]string{"classification": "parquet"},
		StorageDescriptor: &types.StorageDescriptor{
			Columns:   []types.Column{{Name: aws.String("id"), Type: aws.String("bigint")}, {Name: aws.String("v"), Type: aws.String("double")}},
			Location:  aws.String("s3://bench/" + name + "/"),
			SerdeInfo: &types.SerDeInfo{SerializationLibrary: aws.String("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe")},
		},
	}
}

// partitionValues is the i-th of n partitions: 10 years × 12 months × days.
func partitionValues(i, n int) []string {
	days := max(1, (n+119)/120)
	return []string{fmt.Sprint(2000 + i/(12*days)%10), fmt.Sprintf("%02d", i/days%12+1), fmt.Sprintf("%04d", i%days+1)}
}

func measure(ctx context.Context, s *server, cfg config) (*result, error) {
	g, c := clients(s)
	r := &result{name: s.name}
	if _, err := g.CreateDatabase(ctx, &glue.CreateDatabaseInput{DatabaseInput: &types.DatabaseInput{Name: aws.String("bench")}}); err != nil && !s.floor {
		return nil, err
	}
	if _, err := g.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: aws.String("bench"), TableInput: tableInput("p")}); err != nil && !s.floor {
		return nil, err
	}
	// Catalog operations.
	made := make([]int, cfg.clients) // tables each client created: t_<client>_0 ... made-1
	r.ops = append(r.ops, phase(s, cfg, "CreateTable", func(client, i int) error {
		_, err := g.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: aws.String("bench"), TableInput: tableInput(fmt.Sprintf("t_%d_%d", client, made[client]))})
		if err == nil {
			made[client]++
		}
		return err
	}))
	r.ops = append(r.ops, phase(s, cfg, "GetTable", func(client, i int) error {
		_, err := g.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("bench"), Name: aws.String(fmt.Sprintf("t_%d_%d", client, i%max(1, made[client])))})
		return err
	}))
	// Partitions.
	start, cpu0 := time.Now(), proc.CPUSeconds(s.cmd)
	loaded, err := load(ctx, g, cfg)
	if err != nil && !s.floor {
		return nil, err
	}
	r.loaded, r.loadTime = loaded, time.Since(start)
	fmt.Fprintf(os.Stderr, "  loaded %d partitions in %s (server CPU %.1fs)\n", loaded, r.loadTime.Round(time.Millisecond), proc.CPUSeconds(s.cmd)-cpu0)
	r.ops = append(r.ops, phase(s, cfg, "GetPartition", func(client, i int) error {
		_, err := g.GetPartition(ctx, &glue.GetPartitionInput{DatabaseName: aws.String("bench"), TableName: aws.String("p"), PartitionValues: partitionValues(rand.IntN(cfg.partitions), cfg.partitions)})
		return err
	}))
	mid := partitionValues(cfg.partitions/2, cfg.partitions)
	for _, q := range []struct{ name, expr string }{
		{"all three keys pinned", fmt.Sprintf("year = '%s' AND month = '%s' AND day = '%s'", mid[0], mid[1], mid[2])},
		{"year and month pinned", fmt.Sprintf("year = '%s' AND month = '%s'", mid[0], mid[1])},
		{"year IN, month range", fmt.Sprintf("year IN ('%s', '2003') AND month BETWEEN '03' AND '04' AND day < '0010'", mid[0])},
		{"only day (3rd key)", fmt.Sprintf("day = '%s'", mid[2])},
	} {
		r.queries = append(r.queries, query(ctx, g, q.name, q.expr))
	}
	if _, err := g.CreatePartitionIndex(ctx, &glue.CreatePartitionIndexInput{DatabaseName: aws.String("bench"), TableName: aws.String("p"),
		PartitionIndex: &types.PartitionIndex{IndexName: aws.String("by_day"), Keys: []string{"day"}}}); err != nil {
		r.queries = append(r.queries, queryResult{name: "only day, with a partition index", err: shortErr(err)})
	} else {
		r.queries = append(r.queries, query(ctx, g, "only day, with a partition index", fmt.Sprintf("day = '%s'", mid[2])))
	}
	// The crawl (the floor has nothing to crawl).
	if !s.floor {
		if err := crawlPhase(ctx, g, c, s, cfg, r); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func shortErr(err error) string {
	msg := err.Error()
	if len(msg) > 80 {
		msg = msg[len(msg)-80:]
	}
	return msg
}

// phase runs op from cfg.clients goroutines for cfg.duration.
func phase(s *server, cfg config, name string, op func(client, i int) error) opResult {
	var ops, errs atomic.Int64
	cpu0 := proc.CPUSeconds(s.cmd)
	start := time.Now()
	deadline := start.Add(cfg.duration)
	var wg sync.WaitGroup
	var once sync.Once
	for client := range cfg.clients {
		wg.Go(func() {
			for i := 0; time.Now().Before(deadline); i++ {
				if err := op(client, i); err != nil {
					errs.Add(1)
					once.Do(func() { fmt.Fprintf(os.Stderr, "  %s %s error: %v\n", s.name, name, err) })
					continue
				}
				ops.Add(1)
			}
		})
	}
	wg.Wait()
	res := opResult{name: name, ops: ops.Load(), errors: errs.Load(), elapsed: time.Since(start)}
	if res.ops > 0 {
		res.cpuPerOp = time.Duration((proc.CPUSeconds(s.cmd) - cpu0) / float64(res.ops) * 1e9)
	}
	fmt.Fprintf(os.Stderr, "  %-12s %8.0f ops/s  %s CPU/op  (%d errors)\n", name, res.rate(), res.cpuPerOp, res.errors)
	return res
}

// load creates cfg.partitions partitions in batches of 100 from all clients.
func load(ctx context.Context, g *glue.Client, cfg config) (int, error) {
	batches := make(chan []types.PartitionInput)
	var loaded atomic.Int64
	var firstErr error
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range cfg.clients {
		wg.Go(func() {
			for b := range batches {
				out, err := g.BatchCreatePartition(ctx, &glue.BatchCreatePartitionInput{DatabaseName: aws.String("bench"), TableName: aws.String("p"), PartitionInputList: b})
				if err != nil {
					mu.Lock()
					firstErr = errors.Join(firstErr, err)
					mu.Unlock()
					continue
				}
				loaded.Add(int64(len(b) - len(out.Errors)))
			}
		})
	}
	for i := 0; i < cfg.partitions; i += 100 {
		var b []types.PartitionInput
		for j := i; j < min(i+100, cfg.partitions); j++ {
			v := partitionValues(j, cfg.partitions)
			b = append(b, types.PartitionInput{Values: v, StorageDescriptor: &types.StorageDescriptor{
				Location: aws.String(fmt.Sprintf("s3://bench/p/year=%s/month=%s/day=%s/", v[0], v[1], v[2])),
				Columns:  []types.Column{{Name: aws.String("id"), Type: aws.String("bigint")}, {Name: aws.String("v"), Type: aws.String("double")}},
			}})
		}
		batches <- b
	}
	close(batches)
	wg.Wait()
	if firstErr != nil && loaded.Load() == 0 {
		return 0, firstErr
	}
	return int(loaded.Load()), nil
}

// query runs GetPartitions with expr (all pages) until 20 runs or 10
// seconds, and reports the median.
func query(ctx context.Context, g *glue.Client, name, expr string) queryResult {
	q := queryResult{name: name}
	var times []time.Duration
	begin := time.Now()
	for len(times) < 20 && (len(times) < 3 || time.Since(begin) < 10*time.Second) {
		start := time.Now()
		n := 0
		p := glue.NewGetPartitionsPaginator(g, &glue.GetPartitionsInput{DatabaseName: aws.String("bench"), TableName: aws.String("p"), Expression: aws.String(expr)})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				q.err = shortErr(err)
				return q
			}
			n += len(out.Partitions)
		}
		times = append(times, time.Since(start))
		q.matched = n
	}
	slices.Sort(times)
	q.median = times[len(times)/2]
	fmt.Fprintf(os.Stderr, "  GetPartitions %-36s %6d partitions  median %s\n", name, q.matched, q.median.Round(10*time.Microsecond))
	return q
}

type event struct {
	ID    int64   `parquet:"id"`
	User  string  `parquet:"user"`
	Value float64 `parquet:"value"`
}

// crawlPhase writes cfg.objects small Parquet objects over cfg.folders
// dt=... folders, crawls them and counts what the crawler created.
func crawlPhase(ctx context.Context, g *glue.Client, c *s3.Client, s *server, cfg config, r *result) error {
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("crawl")}); err != nil {
		return err
	}
	var body bytes.Buffer
	if err := parquet.Write(&body, []event{{1, "a", 1.5}, {2, "b", 2.5}}); err != nil {
		return err
	}
	data := body.Bytes()
	start := time.Now()
	keys := make(chan string)
	var wg sync.WaitGroup
	var putErr atomic.Value
	for range cfg.clients {
		wg.Go(func() {
			for k := range keys {
				if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("crawl"), Key: aws.String(k), Body: bytes.NewReader(data)}); err != nil {
					putErr.Store(err)
				}
			}
		})
	}
	for i := range cfg.objects {
		keys <- fmt.Sprintf("events/dt=%04d/part-%05d.parquet", i%cfg.folders, i)
	}
	close(keys)
	wg.Wait()
	if err, _ := putErr.Load().(error); err != nil {
		return err
	}
	r.crawlPut = time.Since(start)
	if _, err := g.CreateDatabase(ctx, &glue.CreateDatabaseInput{DatabaseInput: &types.DatabaseInput{Name: aws.String("crawled")}}); err != nil {
		return err
	}
	if _, err := g.CreateCrawler(ctx, &glue.CreateCrawlerInput{Name: aws.String("bench"), Role: aws.String("role"), DatabaseName: aws.String("crawled"),
		Targets: &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://crawl/events/")}}}}); err != nil {
		return err
	}
	start = time.Now()
	if _, err := g.StartCrawler(ctx, &glue.StartCrawlerInput{Name: aws.String("bench")}); err != nil {
		return err
	}
	for {
		out, err := g.GetCrawler(ctx, &glue.GetCrawlerInput{Name: aws.String("bench")})
		if err != nil {
			return err
		}
		if out.Crawler != nil && out.Crawler.State == types.CrawlerStateReady {
			r.crawlTime = time.Since(start)
			if out.Crawler.LastCrawl != nil {
				r.crawlState = string(out.Crawler.LastCrawl.Status)
			}
			break
		}
		if time.Since(start) > cfg.crawlWait {
			r.crawlTime = time.Since(start)
			r.crawlState = fmt.Sprintf("not READY after %s", cfg.crawlWait)
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	tables, err := g.GetTables(ctx, &glue.GetTablesInput{DatabaseName: aws.String("crawled")})
	if err != nil {
		return err
	}
	r.tables = len(tables.TableList)
	for _, t := range tables.TableList {
		p := glue.NewGetPartitionsPaginator(g, &glue.GetPartitionsInput{DatabaseName: aws.String("crawled"), TableName: t.Name})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				return err
			}
			r.partitions += len(out.Partitions)
		}
	}
	fmt.Fprintf(os.Stderr, "  crawl of %d objects: PUTs %s, crawl %s (%s), %d tables, %d partitions\n",
		cfg.objects, r.crawlPut.Round(time.Millisecond), r.crawlTime.Round(time.Millisecond), r.crawlState, r.tables, r.partitions)
	return nil
}
