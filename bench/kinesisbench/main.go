// Command kinesisbench measures Kinesis Data Streams side by side in one
// run: Lakebox, kinesalite (npm; installed into .bench/node when missing)
// and a floor server that answers PutRecords without doing anything (what
// the client and HTTP cost on this machine). For each: durable ingest with
// 8 producers putting batches of 500 × 1 KiB records, the rate at which
// consumers drain the stream, and put→get latency, with the server
// process's CPU time per record.
//
//	go run ./bench/kinesisbench [-servers lakebox,kinesalite,floor] [-duration 8s] [-shards 4]
package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	ktypes "github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/lakebox/lakebox/bench/internal/proc"
	"github.com/lakebox/lakebox/internal/awstest"
)

type config struct {
	servers   []string
	duration  time.Duration
	producers int
	batch     int
	size      int
	shards    int
	samples   int
	lakebox   string
	nodeDir   string
}

func main() {
	if len(os.Args) > 2 && os.Args[1] == "floor-server" {
		runFloor(os.Args[2])
		return
	}
	var cfg config
	servers := flag.String("servers", "lakebox,kinesalite,floor", "servers to measure, in order")
	flag.DurationVar(&cfg.duration, "duration", 8*time.Second, "how long producers put")
	flag.IntVar(&cfg.producers, "producers", 8, "concurrent producers")
	flag.IntVar(&cfg.batch, "batch", 500, "records per PutRecords")
	flag.IntVar(&cfg.size, "size", 1024, "bytes per record")
	flag.IntVar(&cfg.shards, "shards", 4, "shards of the stream")
	flag.IntVar(&cfg.samples, "samples", 400, "put→get latency samples")
	flag.StringVar(&cfg.lakebox, "lakebox", "bin/lakebox", "the lakebox binary")
	flag.StringVar(&cfg.nodeDir, "node", ".bench/node", "where kinesalite is installed")
	flag.Parse()
	proc.TuneClient()
	cfg.servers = strings.Split(*servers, ",")
	if err := run(context.Background(), cfg); err != nil {
		fmt.Fprintln(os.Stderr, "kinesisbench:", err)
		os.Exit(1)
	}
}

type result struct {
	name                string
	putRate, putMBs     float64
	putCPU              float64 // server µs per record
	drainRate, drainCPU float64
	p50, p99            time.Duration
	records             int64
	skipDelay           bool // the floor: no put→get latency
}

func run(ctx context.Context, cfg config) error {
	work, err := os.MkdirTemp("", "kinesisbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	var results []result
	for _, name := range cfg.servers {
		if url, ok := strings.CutPrefix(name, "http://"); ok {
			// A server already running (to profile it): no CPU figures.
			r, err := measure(ctx, name, nil, "http://"+url, cfg)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			results = append(results, r)
			continue
		}
		cmd, addr, err := start(ctx, name, cfg, work)
		if err != nil {
			fmt.Fprintf(os.Stderr, "skipping %s: %v\n", name, err)
			continue
		}
		r, err := measure(ctx, name, cmd, "http://"+addr, cfg)
		proc.Stop(cmd)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		results = append(results, r)
	}
	report(cfg, results)
	return nil
}

func start(ctx context.Context, name string, cfg config, work string) (*exec.Cmd, string, error) {
	addr, err := proc.FreePort()
	if err != nil {
		return nil, "", err
	}
	var cmd *exec.Cmd
	switch name {
	case "lakebox":
		cmd = exec.Command(cfg.lakebox, "serve", "--addr", addr, "--data-dir", filepath.Join(work, name), "--access-log=false")
	case "kinesalite":
		bin, err := kinesalite(cfg.nodeDir)
		if err != nil {
			return nil, "", err
		}
		_, port, _ := strings.Cut(addr, ":")
		cmd = exec.Command(bin, "--port", port, "--createStreamMs", "0", "--deleteStreamMs", "0", "--updateStreamMs", "0", "--shardLimit", "1000")
	case "floor":
		self, err := os.Executable()
		if err != nil {
			return nil, "", err
		}
		cmd = exec.Command(self, "floor-server", addr)
	default:
		return nil, "", fmt.Errorf("unknown server %q", name)
	}
	if err := proc.Start(ctx, cmd, addr, filepath.Join(work, name+".log")); err != nil {
		return nil, "", err
	}
	return cmd, addr, nil
}

// kinesalite returns kinesalite's binary, installing it with npm first if
// need be.
func kinesalite(dir string) (string, error) {
	bin := filepath.Join(dir, "node_modules", ".bin", "kinesalite")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	out, err := exec.Command("npm", "install", "--prefix", dir, "--no-audit", "--no-fund", "kinesalite@3.3.3").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("npm install kinesalite: %v: %s", err, out)
	}
	return bin, nil
}

func client(url string) *kinesis.Client {
	hc := &http.Client{Transport: awstest.BodyWithoutWriterTo{RoundTripper: &http.Transport{MaxIdleConnsPerHost: 64}}}
	return kinesis.New(kinesis.Options{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(url), HTTPClient: hc, RetryMaxAttempts: 1})
}

func measure(ctx context.Context, name string, cmd *exec.Cmd, url string, cfg config) (result, error) {
	c := client(url)
	r := result{name: name, skipDelay: name == "floor"}
	stream := "bench"
	if _, err := c.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String(stream), ShardCount: aws.Int32(int32(cfg.shards))}); err != nil {
		return r, err
	}
	if err := waitActive(ctx, c, stream); err != nil {
		return r, err
	}

	// Ingest.
	data := make([]byte, cfg.size)
	rand.Read(data)
	var n atomic.Int64
	var errs atomic.Value
	cpu0 := proc.CPUSeconds(cmd)
	start := time.Now()
	deadline := start.Add(cfg.duration)
	var wg sync.WaitGroup
	for p := range cfg.producers {
		wg.Go(func() {
			entries := make([]ktypes.PutRecordsRequestEntry, cfg.batch)
			for i := 0; time.Now().Before(deadline); i++ {
				for j := range entries {
					entries[j] = ktypes.PutRecordsRequestEntry{PartitionKey: aws.String(fmt.Sprintf("p%d-%d", p, (i*cfg.batch+j)%1000)), Data: data}
				}
				out, err := c.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String(stream), Records: entries})
				if err != nil {
					errs.Store(err)
					return
				}
				n.Add(int64(cfg.batch) - int64(aws.ToInt32(out.FailedRecordCount)))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err, ok := errs.Load().(error); ok {
		return r, fmt.Errorf("PutRecords: %w", err)
	}
	r.records = n.Load()
	r.putRate = float64(r.records) / elapsed.Seconds()
	r.putMBs = r.putRate * float64(cfg.size) / 1e6
	r.putCPU = (proc.CPUSeconds(cmd) - cpu0) / float64(r.records) * 1e6
	fmt.Fprintf(os.Stderr, "%s: put %d records in %s\n", name, r.records, elapsed.Round(time.Millisecond))

	// Drain: a consumer per shard reads it all from the start.
	cpu0 = proc.CPUSeconds(cmd)
	start = time.Now()
	var read atomic.Int64
	for s := range cfg.shards {
		wg.Go(func() {
			it, err := c.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String(stream),
				ShardId: aws.String(fmt.Sprintf("shardId-%012d", s)), ShardIteratorType: ktypes.ShardIteratorTypeTrimHorizon})
			if err != nil {
				errs.Store(err)
				return
			}
			next := it.ShardIterator
			for next != nil {
				out, err := c.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: next, Limit: aws.Int32(10000)})
				if err != nil {
					errs.Store(err)
					return
				}
				read.Add(int64(len(out.Records)))
				if len(out.Records) == 0 && aws.ToInt64(out.MillisBehindLatest) == 0 {
					return
				}
				next = out.NextShardIterator
			}
		})
	}
	wg.Wait()
	elapsed = time.Since(start)
	if err, ok := errs.Load().(error); ok {
		return r, fmt.Errorf("GetRecords: %w", err)
	}
	if read.Load() != r.records && !r.skipDelay {
		fmt.Fprintf(os.Stderr, "%s: drained %d records of %d put\n", name, read.Load(), r.records)
	}
	r.drainRate = float64(read.Load()) / elapsed.Seconds()
	r.drainCPU = (proc.CPUSeconds(cmd) - cpu0) / float64(read.Load()) * 1e6
	if r.skipDelay {
		return r, nil // the floor keeps no records to wait for
	}

	// Latency: a producer puts one record at a time on a one-shard stream;
	// a consumer polls it every millisecond and notes when each arrives.
	// The drain left the client's heap full of garbage (10 MiB responses);
	// collecting it now keeps that collection out of the latency samples.
	runtime.GC()
	var err error
	r.p50, r.p99, err = latency(ctx, c, cfg.samples)
	return r, err
}

func waitActive(ctx context.Context, c *kinesis.Client, stream string) error {
	for range 200 {
		d, err := c.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(stream)})
		if err == nil && d.StreamDescriptionSummary.StreamStatus == ktypes.StreamStatusActive {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("the stream did not become ACTIVE")
}

func latency(ctx context.Context, c *kinesis.Client, samples int) (time.Duration, time.Duration, error) {
	const stream = "latency"
	if _, err := c.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String(stream), ShardCount: aws.Int32(1)}); err != nil {
		return 0, 0, err
	}
	if err := waitActive(ctx, c, stream); err != nil {
		return 0, 0, err
	}
	it, err := c.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String(stream), ShardId: aws.String("shardId-000000000000"),
		ShardIteratorType: ktypes.ShardIteratorTypeLatest})
	if err != nil {
		return 0, 0, err
	}
	var lat []time.Duration
	done := make(chan error, 1)
	go func() {
		next := it.ShardIterator
		for len(lat) < samples {
			out, err := c.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: next})
			if err != nil {
				done <- err
				return
			}
			now := time.Now()
			for _, rec := range out.Records {
				sent := time.Unix(0, int64(binary.BigEndian.Uint64(rec.Data)))
				lat = append(lat, now.Sub(sent))
			}
			next = out.NextShardIterator
			if len(out.Records) == 0 {
				time.Sleep(time.Millisecond)
			}
		}
		done <- nil
	}()
	for range samples {
		data := binary.BigEndian.AppendUint64(nil, uint64(time.Now().UnixNano()))
		if _, err := c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String(stream), PartitionKey: aws.String("k"), Data: data}); err != nil {
			return 0, 0, err
		}
		time.Sleep(5 * time.Millisecond)
	}
	select {
	case err := <-done:
		if err != nil {
			return 0, 0, err
		}
	case <-time.After(30 * time.Second):
		return 0, 0, errors.New("the consumer did not see every record")
	}
	slices.Sort(lat)
	return lat[len(lat)/2], lat[len(lat)*99/100], nil
}

func report(cfg config, results []result) {
	fmt.Printf("\nKinesis benchmark, %s: %d producers × PutRecords of %d × %d B for %s into %d shards; drain with a GetRecords consumer per shard; put→get latency over %d records.\n\n",
		time.Now().UTC().Format("2006-01-02"), cfg.producers, cfg.batch, cfg.size, cfg.duration, cfg.shards, cfg.samples)
	fmt.Println("| server | ingest records/s | MB/s | server CPU µs/record | drain records/s | server CPU µs/record | put→get p50 | p99 |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range results {
		p50, p99 := ms(r.p50), ms(r.p99)
		if r.skipDelay {
			p50, p99 = "—", "—"
		}
		fmt.Printf("| %s | %.0f | %.1f | %.1f | %.0f | %.1f | %s | %s |\n", r.name, r.putRate, r.putMBs, r.putCPU, r.drainRate, r.drainCPU, p50, p99)
	}
	var lake, kl *result
	for i := range results {
		switch results[i].name {
		case "lakebox":
			lake = &results[i]
		case "kinesalite":
			kl = &results[i]
		}
	}
	if lake != nil && kl != nil {
		fmt.Printf("\nLakebox ÷ kinesalite: ingest %.1f×, drain %.1f×.\n", lake.putRate/kl.putRate, lake.drainRate/kl.drainRate)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
