// Command athenabench measures Athena in Lakebox side by side with moto in
// one run: the round trip of SELECT 1 (start, poll until done, fetch the
// results) and an aggregate over Parquet files in the lake, which it also
// runs on DuckDB directly over copies of the same files, the engine's own
// floor.
//
//	go run ./bench/athenabench [-servers lakebox,moto] [-files 50] [-rows 20000]
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/athena"
	atypes "github.com/aws/aws-sdk-go-v2/service/athena/types"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gtypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/parquet-go/parquet-go"

	"github.com/lakebox/lakebox/bench/internal/proc"
	"github.com/lakebox/lakebox/internal/awstest"
	"github.com/lakebox/lakebox/internal/sqlengine"
)

type config struct {
	servers []string
	files   int
	rows    int
	runs    int
	lakebox string
	workdir string
}

func main() {
	var cfg config
	servers := flag.String("servers", "lakebox,moto", "servers to measure")
	flag.IntVar(&cfg.files, "files", 50, "Parquet files in the table")
	flag.IntVar(&cfg.rows, "rows", 20000, "rows per file")
	flag.IntVar(&cfg.runs, "runs", 30, "runs of each query (the median is reported)")
	flag.StringVar(&cfg.lakebox, "lakebox", "bin/lakebox", "the lakebox binary")
	flag.Parse()
	proc.TuneClient()
	cfg.servers = strings.Split(*servers, ",")
	if err := run(context.Background(), cfg); err != nil {
		fmt.Fprintln(os.Stderr, "athenabench:", err)
		os.Exit(1)
	}
}

type event struct {
	ID     int64   `parquet:"id"`
	Region string  `parquet:"region"`
	Amount float64 `parquet:"amount"`
}

const aggregate = "SELECT region, count(*) AS n, round(sum(amount), 2) AS total FROM events GROUP BY region ORDER BY region"

func run(ctx context.Context, cfg config) error {
	dir, err := os.MkdirTemp("", "athenabench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// The data, also kept on local disk for DuckDB direct.
	files := make([][]byte, cfg.files)
	local := filepath.Join(dir, "direct")
	os.MkdirAll(local, 0o755)
	regions := []string{"eu", "us", "ap", "sa"}
	for f := range files {
		rows := make([]event, cfg.rows)
		for i := range rows {
			rows[i] = event{ID: int64(f*cfg.rows + i), Region: regions[i%len(regions)], Amount: float64(i%1000) / 10}
		}
		var b bytes.Buffer
		if err := parquet.Write(&b, rows); err != nil {
			return err
		}
		files[f] = b.Bytes()
		if err := os.WriteFile(filepath.Join(local, fmt.Sprintf("%04d.parquet", f)), files[f], 0o644); err != nil {
			return err
		}
	}
	direct, err := duckdbDirect(ctx, local, cfg.runs)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "DuckDB direct: %s\n", direct.Round(10*time.Microsecond))
	fmt.Printf("\nAthena benchmark, %d Parquet files × %d rows, median of %d runs, %s.\n\n", cfg.files, cfg.rows, cfg.runs, time.Now().UTC().Format("2006-01-02"))
	fmt.Printf("| server | SELECT 1 round trip | aggregate over %d rows | aggregate ÷ DuckDB direct (%s) |\n|---|---:|---:|---:|\n", cfg.files*cfg.rows, ms(direct))
	for _, name := range cfg.servers {
		addr, err := proc.FreePort()
		if err != nil {
			return err
		}
		var cmd *exec.Cmd
		switch name {
		case "lakebox":
			cmd = exec.Command(cfg.lakebox, "serve", "--addr", addr, "--data-dir", filepath.Join(dir, name), "--access-log=false")
		case "moto":
			_, port, _ := strings.Cut(addr, ":")
			cmd = exec.Command("moto_server", "-H", "127.0.0.1", "-p", port)
		default:
			return fmt.Errorf("unknown server %q", name)
		}
		if err := proc.Start(ctx, cmd, addr, filepath.Join(dir, name+".log")); err != nil {
			fmt.Fprintf(os.Stderr, "skipping %s: %v\n", name, err)
			continue
		}
		one, agg, rows, err := measure(ctx, "http://"+addr, files, cfg)
		proc.Stop(cmd)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		fmt.Fprintf(os.Stderr, "%s: SELECT 1 %s, aggregate %s, %d result rows\n", name, one, agg, rows)
		aggText, ratio := ms(agg), fmt.Sprintf("%.2f×", float64(agg)/float64(direct))
		if rows != 5 { // a header and four regions
			aggText, ratio = fmt.Sprintf("%s (%d rows: not the answer)", ms(agg), rows), "—"
		}
		fmt.Printf("| %s | %s | %s | %s |\n", name, ms(one), aggText, ratio)
	}
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func duckdbDirect(ctx context.Context, dir string, runs int) (time.Duration, error) {
	e, err := sqlengine.Open(sqlengine.Options{})
	if err != nil {
		return 0, err
	}
	defer e.Close()
	s, err := e.Session(ctx)
	if err != nil {
		return 0, err
	}
	defer s.Close()
	q := strings.Replace(aggregate, "FROM events", "FROM read_parquet('"+dir+"/*.parquet')", 1)
	var times []time.Duration
	for range runs {
		start := time.Now()
		if _, err := s.Query(ctx, q, func([]*string) error { return nil }); err != nil {
			return 0, err
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	return times[len(times)/2], nil
}

func measure(ctx context.Context, url string, files [][]byte, cfg config) (one, agg time.Duration, rows int, err error) {
	hc := &http.Client{Transport: awstest.BodyWithoutWriterTo{RoundTripper: &http.Transport{MaxIdleConnsPerHost: 8}}}
	creds := credentials.NewStaticCredentialsProvider("test", "test", "")
	a := athena.New(athena.Options{Region: "us-east-1", Credentials: creds, BaseEndpoint: aws.String(url), HTTPClient: hc})
	g := glue.New(glue.Options{Region: "us-east-1", Credentials: creds, BaseEndpoint: aws.String(url), HTTPClient: hc})
	c := s3.New(s3.Options{Region: "us-east-1", Credentials: creds, BaseEndpoint: aws.String(url), HTTPClient: hc, UsePathStyle: true})
	for _, b := range []string{"lake", "results"} {
		if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)}); err != nil {
			return 0, 0, 0, err
		}
	}
	for i, f := range files {
		if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("lake"), Key: aws.String(fmt.Sprintf("events/%04d.parquet", i)), Body: bytes.NewReader(f)}); err != nil {
			return 0, 0, 0, err
		}
	}
	if _, err := g.CreateDatabase(ctx, &glue.CreateDatabaseInput{DatabaseInput: &gtypes.DatabaseInput{Name: aws.String("bench")}}); err != nil {
		return 0, 0, 0, err
	}
	if _, err := g.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: aws.String("bench"), TableInput: &gtypes.TableInput{
		Name: aws.String("events"), TableType: aws.String("EXTERNAL_TABLE"), Parameters: map[string]string{"classification": "parquet"},
		StorageDescriptor: &gtypes.StorageDescriptor{
			Columns:   []gtypes.Column{{Name: aws.String("id"), Type: aws.String("bigint")}, {Name: aws.String("region"), Type: aws.String("string")}, {Name: aws.String("amount"), Type: aws.String("double")}},
			Location:  aws.String("s3://lake/events/"),
			SerdeInfo: &gtypes.SerDeInfo{SerializationLibrary: aws.String("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe")},
		}}}); err != nil {
		return 0, 0, 0, err
	}
	var serverMs []int64 // TotalExecutionTimeInMillis of the aggregate runs
	runOnce := func(q string) (time.Duration, int, error) {
		start := time.Now()
		out, err := a.StartQueryExecution(ctx, &athena.StartQueryExecutionInput{QueryString: aws.String(q),
			QueryExecutionContext: &atypes.QueryExecutionContext{Database: aws.String("bench")},
			ResultConfiguration:   &atypes.ResultConfiguration{OutputLocation: aws.String("s3://results/")}})
		if err != nil {
			return 0, 0, err
		}
		for {
			q, err := a.GetQueryExecution(ctx, &athena.GetQueryExecutionInput{QueryExecutionId: out.QueryExecutionId})
			if err != nil {
				return 0, 0, err
			}
			st := q.QueryExecution.Status.State
			if st == atypes.QueryExecutionStateSucceeded {
				if s := q.QueryExecution.Statistics; s != nil && s.TotalExecutionTimeInMillis != nil {
					serverMs = append(serverMs, *s.TotalExecutionTimeInMillis)
				}
				break
			}
			if st == atypes.QueryExecutionStateFailed || st == atypes.QueryExecutionStateCancelled {
				return 0, 0, errors.New(aws.ToString(q.QueryExecution.Status.StateChangeReason))
			}
			if time.Since(start) > time.Minute {
				return 0, 0, errors.New("query did not finish in a minute")
			}
			time.Sleep(2 * time.Millisecond)
		}
		n := 0
		p := athena.NewGetQueryResultsPaginator(a, &athena.GetQueryResultsInput{QueryExecutionId: out.QueryExecutionId})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return 0, 0, err
			}
			n += len(page.ResultSet.Rows)
		}
		return time.Since(start), n, nil
	}
	median := func(q string) (time.Duration, int, error) {
		var times []time.Duration
		n := 0
		for range cfg.runs {
			d, rows, err := runOnce(q)
			if err != nil {
				return 0, 0, err
			}
			times, n = append(times, d), rows
		}
		slices.Sort(times)
		return times[len(times)/2], n, nil
	}
	if one, _, err = median("SELECT 1"); err != nil {
		return 0, 0, 0, err
	}
	serverMs = nil
	agg, rows, err = median(aggregate)
	if len(serverMs) > 0 {
		slices.Sort(serverMs)
		fmt.Fprintf(os.Stderr, "  server-side TotalExecutionTimeInMillis of the aggregate: median %d ms\n", serverMs[len(serverMs)/2])
	}
	return one, agg, rows, err
}
