// Command firehosebench measures Firehose delivery side by side in one
// run: Lakebox, moto_server and a floor server that answers PutRecordBatch
// without doing anything (what the client and HTTP cost on this machine).
// Eight producers put batches of 500 JSON records of about 1 KiB for a
// while, in four configurations: GZIP-compressed objects, records
// converted to Snappy Parquet or to Snappy ORC by a Glue table's schema,
// and gzipped POSTs to an HTTP endpoint (a receiver in this process). It
// reports the
// rate records are acknowledged at, the end-to-end rate (from the first
// put until the last record is in S3), and the server's CPU time per
// record.
//
//	go run ./bench/firehosebench [-servers lakebox,moto,floor] [-duration 8s]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	ftypes "github.com/aws/aws-sdk-go-v2/service/firehose/types"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gtypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakebox/lakebox/bench/internal/proc"
	"github.com/lakebox/lakebox/internal/awstest"
)

type config struct {
	servers   []string
	modes     []string
	duration  time.Duration
	producers int
	batch     int
	lakebox   string
}

func main() {
	if len(os.Args) > 2 && os.Args[1] == "floor-server" {
		runFloor(os.Args[2])
		return
	}
	var cfg config
	servers := flag.String("servers", "lakebox,moto,floor", "servers to measure, in order")
	modes := flag.String("modes", "gzip,parquet,orc,http", "delivery configurations to measure")
	flag.DurationVar(&cfg.duration, "duration", 8*time.Second, "how long producers put")
	flag.IntVar(&cfg.producers, "producers", 8, "concurrent producers")
	flag.IntVar(&cfg.batch, "batch", 500, "records per PutRecordBatch")
	flag.StringVar(&cfg.lakebox, "lakebox", "bin/lakebox", "the lakebox binary")
	flag.Parse()
	proc.TuneClient()
	cfg.servers, cfg.modes = strings.Split(*servers, ","), strings.Split(*modes, ",")
	if err := run(context.Background(), cfg); err != nil {
		fmt.Fprintln(os.Stderr, "firehosebench:", err)
		os.Exit(1)
	}
}

type result struct {
	server, mode    string
	records         int64
	bytes           int64
	ackRate, ackMBs float64
	e2eRate, e2eMBs float64
	cpu             float64 // server µs per record, put to delivered
	objects         int
	objectBytes     int64
	requests        int64 // taken by the HTTP endpoint
	note            string
}

func run(ctx context.Context, cfg config) error {
	work, err := os.MkdirTemp("", "firehosebench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	var results []result
	for _, mode := range cfg.modes {
		for _, name := range cfg.servers {
			if url, ok := strings.CutPrefix(name, "http://"); ok {
				// A Lakebox already running (to profile it): no CPU figures.
				r, err := measure(ctx, "lakebox", mode, nil, "http://"+url, cfg)
				if err != nil {
					return fmt.Errorf("%s %s: %w", name, mode, err)
				}
				results = append(results, r)
				continue
			}
			cmd, addr, err := start(ctx, name, cfg, work, mode)
			if err != nil {
				fmt.Fprintf(os.Stderr, "skipping %s: %v\n", name, err)
				continue
			}
			r, err := measure(ctx, name, mode, cmd, "http://"+addr, cfg)
			proc.Stop(cmd)
			if err != nil {
				return fmt.Errorf("%s %s: %w", name, mode, err)
			}
			results = append(results, r)
		}
	}
	report(cfg, results)
	return nil
}

func start(ctx context.Context, name string, cfg config, work, mode string) (*exec.Cmd, string, error) {
	addr, err := proc.FreePort()
	if err != nil {
		return nil, "", err
	}
	var cmd *exec.Cmd
	switch name {
	case "lakebox":
		cmd = exec.Command(cfg.lakebox, "serve", "--addr", addr, "--data-dir", filepath.Join(work, name+"-"+mode), "--access-log=false")
	case "moto":
		path, err := exec.LookPath("moto_server")
		if err != nil {
			return nil, "", err
		}
		host, port, _ := strings.Cut(addr, ":")
		cmd = exec.Command(path, "-H", host, "-p", port)
	case "floor":
		self, err := os.Executable()
		if err != nil {
			return nil, "", err
		}
		cmd = exec.Command(self, "floor-server", addr)
	default:
		return nil, "", fmt.Errorf("unknown server %q", name)
	}
	if err := proc.Start(ctx, cmd, addr, filepath.Join(work, name+"-"+mode+".log")); err != nil {
		return nil, "", err
	}
	return cmd, addr, nil
}

func clients(url string) (*firehose.Client, *s3.Client, *glue.Client) {
	hc := &http.Client{Transport: awstest.BodyWithoutWriterTo{RoundTripper: &http.Transport{MaxIdleConnsPerHost: 64}}}
	creds := credentials.NewStaticCredentialsProvider("test", "test", "")
	return firehose.New(firehose.Options{Region: "us-east-1", Credentials: creds, BaseEndpoint: aws.String(url), HTTPClient: hc, RetryMaxAttempts: 1}),
		s3.New(s3.Options{Region: "us-east-1", Credentials: creds, BaseEndpoint: aws.String(url), HTTPClient: hc, UsePathStyle: true, RetryMaxAttempts: 1}),
		glue.New(glue.Options{Region: "us-east-1", Credentials: creds, BaseEndpoint: aws.String(url), HTTPClient: hc, RetryMaxAttempts: 1})
}

// records makes a batch of JSON records of about 1 KiB each.
func records(p, i, n int) []ftypes.Record {
	recs := make([]ftypes.Record, n)
	pad := strings.Repeat("x", 820)
	for j := range recs {
		id := (p*1_000_000+i)*1000 + j
		recs[j].Data = fmt.Appendf(nil, `{"id":%d,"customer":"c%05d","amount":%d.%02d,"ts":"2024-03-%02dT%02d:%02d:%02dZ","tags":["web","promo","t%d"],"payload":"%s"}`+"\n",
			id, id%50000, id%10000, id%100, 1+id%28, id%24, id%60, id%60, id%7, pad)
	}
	return recs
}

func measure(ctx context.Context, name, mode string, cmd *exec.Cmd, url string, cfg config) (result, error) {
	fh, s3c, g := clients(url)
	r := result{server: name, mode: mode}
	if name != "floor" {
		if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("lake")}); err != nil {
			return r, err
		}
	}
	dest := &ftypes.ExtendedS3DestinationConfiguration{
		BucketARN: aws.String("arn:aws:s3:::lake"), RoleARN: aws.String("arn:aws:iam::000000000000:role/firehose"),
		Prefix:         aws.String(mode + "/"),
		BufferingHints: &ftypes.BufferingHints{SizeInMBs: aws.Int32(64), IntervalInSeconds: aws.Int32(60)},
	}
	switch mode {
	case "gzip":
		dest.CompressionFormat = ftypes.CompressionFormatGzip
	case "parquet", "orc":
		if name != "floor" {
			if _, err := g.CreateDatabase(ctx, &glue.CreateDatabaseInput{DatabaseInput: &gtypes.DatabaseInput{Name: aws.String("bench")}}); err != nil {
				return r, err
			}
			cols := []gtypes.Column{{Name: aws.String("id"), Type: aws.String("bigint")}, {Name: aws.String("customer"), Type: aws.String("string")},
				{Name: aws.String("amount"), Type: aws.String("decimal(10,2)")}, {Name: aws.String("ts"), Type: aws.String("timestamp")},
				{Name: aws.String("tags"), Type: aws.String("array<string>")}, {Name: aws.String("payload"), Type: aws.String("string")}}
			if _, err := g.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: aws.String("bench"), TableInput: &gtypes.TableInput{
				Name: aws.String("events"), StorageDescriptor: &gtypes.StorageDescriptor{Columns: cols}}}); err != nil {
				return r, err
			}
		}
		dest.DataFormatConversionConfiguration = &ftypes.DataFormatConversionConfiguration{
			Enabled:                   aws.Bool(true),
			SchemaConfiguration:       &ftypes.SchemaConfiguration{DatabaseName: aws.String("bench"), TableName: aws.String("events"), RoleARN: aws.String("arn:aws:iam::000000000000:role/firehose")},
			InputFormatConfiguration:  &ftypes.InputFormatConfiguration{Deserializer: &ftypes.Deserializer{OpenXJsonSerDe: &ftypes.OpenXJsonSerDe{}}},
			OutputFormatConfiguration: &ftypes.OutputFormatConfiguration{Serializer: &ftypes.Serializer{ParquetSerDe: &ftypes.ParquetSerDe{Compression: ftypes.ParquetCompressionSnappy}}},
		}
		if mode == "orc" {
			dest.DataFormatConversionConfiguration.OutputFormatConfiguration.Serializer = &ftypes.Serializer{OrcSerDe: &ftypes.OrcSerDe{Compression: ftypes.OrcCompressionSnappy}}
		}
	}
	create := &firehose.CreateDeliveryStreamInput{DeliveryStreamName: aws.String("bench"), ExtendedS3DestinationConfiguration: dest}
	var rc *receiver
	if mode == "http" {
		var err error
		if rc, err = newReceiver(); err != nil {
			return r, err
		}
		defer rc.close()
		create.ExtendedS3DestinationConfiguration = nil
		create.HttpEndpointDestinationConfiguration = &ftypes.HttpEndpointDestinationConfiguration{
			EndpointConfiguration: &ftypes.HttpEndpointConfiguration{Url: aws.String(rc.url)},
			BufferingHints:        &ftypes.HttpEndpointBufferingHints{SizeInMBs: aws.Int32(64), IntervalInSeconds: aws.Int32(60)},
			RequestConfiguration:  &ftypes.HttpEndpointRequestConfiguration{ContentEncoding: ftypes.ContentEncodingGzip},
			S3Configuration:       &ftypes.S3DestinationConfiguration{BucketARN: dest.BucketARN, RoleARN: dest.RoleARN, Prefix: aws.String("http-failed/")},
		}
	}
	if _, err := fh.CreateDeliveryStream(ctx, create); err != nil {
		return r, err
	}
	for range 100 {
		d, err := fh.DescribeDeliveryStream(ctx, &firehose.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String("bench")})
		if err == nil && d.DeliveryStreamDescription.DeliveryStreamStatus == ftypes.DeliveryStreamStatusActive {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}

	var n, size atomic.Int64
	var errs atomic.Value
	cpu0 := proc.CPUSeconds(cmd)
	start := time.Now()
	deadline := start.Add(cfg.duration)
	var wg sync.WaitGroup
	for p := range cfg.producers {
		wg.Go(func() {
			for i := 0; time.Now().Before(deadline); i++ {
				recs := records(p, i, cfg.batch)
				out, err := fh.PutRecordBatch(ctx, &firehose.PutRecordBatchInput{DeliveryStreamName: aws.String("bench"), Records: recs})
				if err != nil {
					errs.Store(err)
					return
				}
				ok := int64(len(recs)) - int64(aws.ToInt32(out.FailedPutCount))
				n.Add(ok)
				size.Add(ok * int64(len(recs[0].Data)))
			}
		})
	}
	wg.Wait()
	acked := time.Since(start)
	if err, ok := errs.Load().(error); ok {
		return r, fmt.Errorf("PutRecordBatch: %w", err)
	}
	r.records, r.bytes = n.Load(), size.Load()
	r.ackRate = float64(r.records) / acked.Seconds()
	r.ackMBs = float64(r.bytes) / acked.Seconds() / 1e6
	fmt.Fprintf(os.Stderr, "%s %s: put %d records (%.0f MB) in %s\n", name, mode, r.records, float64(r.bytes)/1e6, acked.Round(time.Millisecond))

	switch {
	case name == "lakebox":
		// What is left in buffers is delivered when the interval passes:
		// move the server clock past it and wait for the count.
		if err := advance(url, 61*time.Second); err != nil {
			return r, err
		}
		if rc != nil {
			if err := rc.wait(ctx, r.records); err != nil {
				return r, err
			}
		} else if err := waitDelivered(ctx, url, r.records); err != nil {
			return r, err
		}
	case name == "moto" && rc != nil:
		if err := rc.wait(ctx, r.records); err != nil {
			return r, err
		}
		r.note = "POSTs each call's records as it is made: no buffering, no gzip, no retries"
	case name == "moto":
		r.note = "stores each call's records as one object as sent: no buffering, no GZIP, no conversion"
	case name == "floor":
		r.note = "stores nothing"
	}
	total := time.Since(start)
	if rc != nil {
		r.requests = rc.requests.Load()
	}
	r.e2eRate = float64(r.records) / total.Seconds()
	r.e2eMBs = float64(r.bytes) / total.Seconds() / 1e6
	r.cpu = (proc.CPUSeconds(cmd) - cpu0) / float64(r.records) * 1e6
	if name != "floor" {
		p := s3.NewListObjectsV2Paginator(s3c, &s3.ListObjectsV2Input{Bucket: aws.String("lake")})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return r, err
			}
			for _, o := range page.Contents {
				r.objects++
				r.objectBytes += aws.ToInt64(o.Size)
			}
		}
	}
	return r, nil
}

func advance(url string, d time.Duration) error {
	resp, err := http.Post(url+"/_lakebox/clock", "application/json", strings.NewReader(fmt.Sprintf(`{"advance":%q}`, d.String())))
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("advance clock: %s", resp.Status)
	}
	return nil
}

// waitDelivered waits until Lakebox's metrics count every record as
// delivered (data or error output).
func waitDelivered(ctx context.Context, url string, want int64) error {
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url + "/_lakebox/metrics")
		if err != nil {
			return err
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var got float64
		for _, line := range strings.Split(string(body), "\n") {
			if strings.HasPrefix(line, "lakebox_firehose_delivered_records_total{") && !strings.Contains(line, `kind="backup"`) {
				v, _ := strconv.ParseFloat(line[strings.LastIndex(line, " ")+1:], 64)
				got += v
			}
		}
		if int64(got) >= want {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return errors.New("records were not delivered in five minutes")
}

func report(cfg config, results []result) {
	fmt.Printf("\nFirehose benchmark, %s: %d producers × PutRecordBatch of %d JSON records (~1 KiB) for %s; 64 MiB / 60 s buffers.\n\n",
		time.Now().UTC().Format("2006-01-02"), cfg.producers, cfg.batch, cfg.duration)
	fmt.Println("| delivery | server | acknowledged records/s | MB/s | end-to-end records/s | MB/s | server CPU µs/record | objects (MB) or requests | note |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|---:|---|")
	for _, r := range results {
		objs := "—"
		switch {
		case r.requests > 0:
			objs = fmt.Sprintf("%d requests", r.requests)
		case r.server != "floor":
			objs = fmt.Sprintf("%d (%.1f)", r.objects, float64(r.objectBytes)/1e6)
		}
		fmt.Printf("| %s | %s | %.0f | %.1f | %.0f | %.1f | %.1f | %s | %s |\n", r.mode, r.server, r.ackRate, r.ackMBs, r.e2eRate, r.e2eMBs, r.cpu, objs, r.note)
	}
}
