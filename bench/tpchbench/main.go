// Command tpchbench runs the 22 TPC-H queries through Lakebox's Athena API
// (start, poll until done, fetch every page of results) over Parquet files
// in Lakebox's S3, and in the same run through DuckDB directly over the
// same files: the engine's own floor. It checks that both give the same
// rows.
//
// The data is TPC-H's own (DuckDB's dbgen, see bench/internal/tpch), kept
// in -data between runs.
//
//	go run ./bench/tpchbench [-sf 1] [-runs 5] [-poll 10ms] [-queries 1,6] [-data .bench/tpch]
package main

import (
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
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakebox/lakebox/bench/internal/proc"
	"github.com/lakebox/lakebox/bench/internal/tpch"
	"github.com/lakebox/lakebox/internal/awstest"
	"github.com/lakebox/lakebox/internal/sqlengine"
)

var pollEvery = 10 * time.Millisecond

type config struct {
	sf       float64
	runs     int
	data     string
	lakebox  string
	only     map[int]bool
	keep     bool
	logLevel string
}

func main() {
	var cfg config
	flag.Float64Var(&cfg.sf, "sf", 1, "TPC-H scale factor")
	flag.IntVar(&cfg.runs, "runs", 5, "runs of each query (the median is reported)")
	flag.StringVar(&cfg.data, "data", ".bench/tpch", "where the generated data is kept between runs")
	flag.StringVar(&cfg.lakebox, "lakebox", "bin/lakebox", "the lakebox binary")
	flag.BoolVar(&cfg.keep, "keep", false, "keep the server's data directory and log")
	flag.StringVar(&cfg.logLevel, "log-level", "info", "the server's log level")
	flag.DurationVar(&pollEvery, "poll", pollEvery, "how often a running query's state is polled")
	only := flag.String("queries", "", "comma-separated query numbers to run (default all 22)")
	flag.Parse()
	proc.TuneClient()
	if *only != "" {
		cfg.only = map[int]bool{}
		for _, q := range strings.Split(*only, ",") {
			var n int
			fmt.Sscan(q, &n)
			cfg.only[n] = true
		}
	}
	if err := run(context.Background(), cfg); err != nil {
		fmt.Fprintln(os.Stderr, "tpchbench:", err)
		os.Exit(1)
	}
}

// query is one of the 22, in both dialects.
type query struct {
	n              int
	duckdb, athena string
}

// athenaSyntax is DuckDB's text of a TPC-H query as Athena takes it. The
// two dialects differ in two places: Athena (Trino) has no
// SUBSTRING(x FROM a FOR b) (Q22), and it groups by input columns, not by
// an output alias (Q15).
func athenaSyntax(q string) string {
	return strings.NewReplacer(
		"substring(c_phone FROM 1 FOR 2)", "substr(c_phone, 1, 2)",
		"GROUP BY\n        supplier_no", "GROUP BY\n        l_suppkey",
	).Replace(q)
}

func run(ctx context.Context, cfg config) error {
	dir := filepath.Join(cfg.data, fmt.Sprintf("sf%g", cfg.sf))
	start := time.Now()
	texts, err := tpch.Generate(ctx, dir, cfg.sf)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "data ready in %s\n", time.Since(start).Round(time.Millisecond))
	var queries []query
	for n := 1; n <= 22; n++ {
		if cfg.only == nil || cfg.only[n] {
			queries = append(queries, query{n: n, duckdb: texts[n], athena: athenaSyntax(texts[n])})
		}
	}

	d, err := openDirect(ctx, dir)
	if err != nil {
		return fmt.Errorf("DuckDB direct: %w", err)
	}
	defer d.close()

	work, err := os.MkdirTemp(cfg.data, "run-")
	if err != nil {
		return err
	}
	if !cfg.keep {
		defer os.RemoveAll(work)
	} else {
		fmt.Fprintln(os.Stderr, "keeping", work) // the server serves pprof
	}
	addr, err := proc.FreePort()
	if err != nil {
		return err
	}
	cmd := exec.Command(cfg.lakebox, "serve", "--addr", addr, "--data-dir", filepath.Join(work, "lakebox"), "--access-log=false", "--log-level="+cfg.logLevel, "--pprof")
	if err := proc.Start(ctx, cmd, addr, filepath.Join(work, "lakebox.log")); err != nil {
		return err
	}
	defer proc.Stop(cmd)
	fmt.Fprintln(os.Stderr, "lakebox at", addr)
	c := newClients("http://" + addr)
	if err := load(ctx, c, dir, d.types); err != nil {
		return err
	}

	// The two sides take turns, query by query, after a warm-up run of
	// each: a shared machine's drift then weighs on both alike.
	cpu0 := proc.CPUSeconds(cmd)
	direct, lake := make([]result, len(queries)), make([]result, len(queries))
	for i, q := range queries {
		var dt, lt, st []time.Duration
		for r := range cfg.runs + 1 {
			elapsed, rows, err := d.query(ctx, q.duckdb)
			if err != nil {
				return fmt.Errorf("DuckDB direct: Q%d: %w", q.n, err)
			}
			direct[i].rows = rows
			start := time.Now()
			rows, st1, err := c.query(ctx, q.athena)
			if err != nil {
				return fmt.Errorf("lakebox: Q%d: %w", q.n, err)
			}
			lake[i].rows, lake[i].scanned = rows, st1.scanned
			if r > 0 {
				dt, lt, st = append(dt, elapsed), append(lt, time.Since(start)), append(st, st1.server)
			}
		}
		direct[i].elapsed, lake[i].elapsed, lake[i].server = median(dt), median(lt), median(st)
		fmt.Fprintf(os.Stderr, "Q%d: direct %s, lakebox %s\n", q.n, direct[i].elapsed, lake[i].elapsed)
	}
	cpu := proc.CPUSeconds(cmd) - cpu0

	fmt.Printf("\nTPC-H SF%g, %d queries, median of %d runs each, %s.\n\n", cfg.sf, len(queries), cfg.runs, time.Now().UTC().Format("2006-01-02"))
	fmt.Println("| query | DuckDB direct | Lakebox Athena (start → poll → all pages) | ratio | server-side time | data scanned | rows | same rows |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---|")
	var sumDirect, sumLake, sumServer time.Duration
	for i, q := range queries {
		d, l := direct[i], lake[i]
		sumDirect, sumLake, sumServer = sumDirect+d.elapsed, sumLake+l.elapsed, sumServer+l.server
		same := "yes"
		if diff := compare(d.rows, l.rows); diff != "" {
			same = "**no**: " + diff
		}
		fmt.Printf("| Q%d | %s | %s | %.2f× | %s | %.1f MB | %d | %s |\n", q.n, ms(d.elapsed), ms(l.elapsed), ratio(l.elapsed, d.elapsed), ms(l.server), float64(l.scanned)/1e6, len(d.rows), same)
	}
	fmt.Printf("| **total** | **%s** | **%s** | **%.2f×** | %s (%.2f×) | | | |\n", ms(sumDirect), ms(sumLake), ratio(sumLake, sumDirect), ms(sumServer), ratio(sumServer, sumDirect))
	fmt.Printf("\nLakebox server CPU over the Athena runs, warm-ups included: %.1f s.\n", cpu)
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

type result struct {
	elapsed time.Duration // median
	server  time.Duration // median TotalExecutionTimeInMillis, Athena only
	scanned int64         // DataScannedInBytes, Athena only
	rows    [][]string
}

// direct is DuckDB over the local files, through the same engine package
// and session settings the server uses.
type direct struct {
	engine  *sqlengine.Engine
	session *sqlengine.Session
	types   map[string][][2]string // table → column name and Hive type
}

func openDirect(ctx context.Context, dir string) (*direct, error) {
	e, err := sqlengine.Open(sqlengine.Options{})
	if err != nil {
		return nil, err
	}
	s, err := e.Session(ctx)
	if err != nil {
		e.Close()
		return nil, err
	}
	d := &direct{engine: e, session: s, types: map[string][][2]string{}}
	for _, t := range tpch.Tables {
		file := filepath.Join(dir, t, "data.parquet")
		if err := s.Exec(ctx, fmt.Sprintf("CREATE VIEW %s AS SELECT * FROM read_parquet('%s')", t, file)); err != nil {
			d.close()
			return nil, err
		}
		_, err := s.Query(ctx, "SELECT column_name, column_type FROM (DESCRIBE "+t+")", func(r []*string) error {
			d.types[t] = append(d.types[t], [2]string{*r[0], hiveType(*r[1])})
			return nil
		})
		if err != nil {
			d.close()
			return nil, err
		}
	}
	return d, nil
}

func (d *direct) close() {
	d.session.Close()
	d.engine.Close()
}

// query runs q and returns how long it took and its rows.
func (d *direct) query(ctx context.Context, q string) (time.Duration, [][]string, error) {
	var rows [][]string
	start := time.Now()
	_, err := d.session.Query(ctx, q, func(r []*string) error {
		row := make([]string, len(r))
		for i, v := range r {
			if v != nil {
				row[i] = *v
			}
		}
		rows = append(rows, row)
		return nil
	})
	return time.Since(start), rows, err
}

func hiveType(duck string) string {
	switch {
	case duck == "INTEGER":
		return "int"
	case duck == "BIGINT":
		return "bigint"
	case duck == "VARCHAR":
		return "string"
	case duck == "DATE":
		return "date"
	case duck == "DOUBLE":
		return "double"
	case strings.HasPrefix(duck, "DECIMAL"):
		return strings.ToLower(duck)
	}
	return strings.ToLower(duck)
}

func median(ds []time.Duration) time.Duration {
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return ds[len(ds)/2]
}

type clients struct {
	athena *athena.Client
	s3     *s3.Client
}

func newClients(url string) *clients {
	hc := &http.Client{Transport: awstest.BodyWithoutWriterTo{RoundTripper: &http.Transport{MaxIdleConnsPerHost: 8}}}
	creds := credentials.NewStaticCredentialsProvider("test", "test", "")
	return &clients{
		athena: athena.New(athena.Options{Region: "us-east-1", Credentials: creds, BaseEndpoint: aws.String(url), HTTPClient: hc}),
		s3:     s3.New(s3.Options{Region: "us-east-1", Credentials: creds, BaseEndpoint: aws.String(url), HTTPClient: hc, UsePathStyle: true}),
	}
}

// load puts the files in the lake and declares the tables with Athena DDL.
func load(ctx context.Context, c *clients, dir string, types map[string][][2]string) error {
	for _, b := range []string{"lake", "results"} {
		if _, err := c.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)}); err != nil {
			return err
		}
	}
	if _, _, err := c.query(ctx, "CREATE DATABASE tpch"); err != nil {
		return err
	}
	for _, t := range tpch.Tables {
		// The file is streamed, not read into memory: a client holding the
		// 330 MB of SF1 would set its collector's goal at five times that,
		// and every page of results it decodes would then fault in fresh
		// memory from the kernel.
		if err := c.putFile(ctx, "lake", "tpch/"+t+"/data.parquet", filepath.Join(dir, t, "data.parquet")); err != nil {
			return err
		}
		var cols []string
		for _, col := range types[t] {
			cols = append(cols, col[0]+" "+col[1])
		}
		ddl := fmt.Sprintf("CREATE EXTERNAL TABLE %s (%s) STORED AS PARQUET LOCATION 's3://lake/tpch/%s/'", t, strings.Join(cols, ", "), t)
		if _, _, err := c.query(ctx, ddl); err != nil {
			return fmt.Errorf("%s: %w", ddl, err)
		}
	}
	return nil
}

func (c *clients) putFile(ctx context.Context, bucket, key, file string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = c.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: f})
	return err
}

// stats are what the server reports of a query.
type stats struct {
	server  time.Duration // TotalExecutionTimeInMillis
	scanned int64         // DataScannedInBytes
}

// query runs one statement the way an Athena client does and returns its
// rows, without a query's header row, and the server's statistics.
func (c *clients) query(ctx context.Context, q string) ([][]string, stats, error) {
	a := c.athena
	start := time.Now()
	var st stats
	out, err := a.StartQueryExecution(ctx, &athena.StartQueryExecutionInput{QueryString: aws.String(q),
		QueryExecutionContext: &atypes.QueryExecutionContext{Database: aws.String("tpch")},
		ResultConfiguration:   &atypes.ResultConfiguration{OutputLocation: aws.String("s3://results/")}})
	if err != nil {
		return nil, st, err
	}
	var query *atypes.QueryExecution
	for {
		e, err := a.GetQueryExecution(ctx, &athena.GetQueryExecutionInput{QueryExecutionId: out.QueryExecutionId})
		if err != nil {
			return nil, st, err
		}
		query = e.QueryExecution
		state := query.Status.State
		if state == atypes.QueryExecutionStateSucceeded {
			if s := query.Statistics; s != nil {
				st = stats{server: time.Duration(aws.ToInt64(s.TotalExecutionTimeInMillis)) * time.Millisecond, scanned: aws.ToInt64(s.DataScannedInBytes)}
			}
			break
		}
		if state == atypes.QueryExecutionStateFailed || state == atypes.QueryExecutionStateCancelled {
			return nil, st, errors.New(aws.ToString(e.QueryExecution.Status.StateChangeReason))
		}
		if time.Since(start) > 10*time.Minute {
			return nil, st, errors.New("query did not finish in ten minutes")
		}
		time.Sleep(pollEvery)
	}
	var rows [][]string
	p := athena.NewGetQueryResultsPaginator(a, &athena.GetQueryResultsInput{QueryExecutionId: out.QueryExecutionId})
	header := query.StatementType == atypes.StatementTypeDml // a query's first row names its columns
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, st, err
		}
		for _, r := range page.ResultSet.Rows {
			if header {
				header = false
				continue
			}
			row := make([]string, len(r.Data))
			for i, d := range r.Data {
				row[i] = aws.ToString(d.VarCharValue)
			}
			rows = append(rows, row)
		}
	}
	return rows, st, nil
}

// compare reports the first difference between two results, or "".
func compare(want, got [][]string) string {
	if len(want) != len(got) {
		return fmt.Sprintf("%d rows, want %d", len(got), len(want))
	}
	for i := range want {
		if !slices.Equal(want[i], got[i]) {
			return fmt.Sprintf("row %d is %q, want %q", i+1, got[i], want[i])
		}
	}
	return ""
}
