// Command dynamodbbench measures DynamoDB side by side in one run:
// Lakebox, moto_server, dynalite (npm; installed into .bench/node when
// missing) and a floor server that answers without doing anything (what
// the client and HTTP cost on this machine). Concurrent clients run
// PutItem, then GetItem, then UpdateItem with ADD, each for a while, on
// items of about 200 bytes; it reports operations per second, p50/p99
// latency and the server's CPU time per operation.
//
//	go run ./bench/dynamodbbench [-servers lakebox,moto,dynalite,floor] [-duration 5s] [-clients 16]
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
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	ktypes "github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/lakebox/lakebox/bench/internal/proc"
	"github.com/lakebox/lakebox/internal/awstest"
)

type config struct {
	servers  []string
	duration time.Duration
	clients  int
	keys     int
	lakebox  string
	nodeDir  string
	ops      []string
}

func main() {
	if len(os.Args) > 2 && os.Args[1] == "floor-server" {
		runFloor(os.Args[2])
		return
	}
	var cfg config
	servers := flag.String("servers", "lakebox,moto,dynalite,floor", "servers to measure, in order")
	flag.DurationVar(&cfg.duration, "duration", 5*time.Second, "how long each operation runs")
	flag.IntVar(&cfg.clients, "clients", 16, "concurrent clients")
	flag.IntVar(&cfg.keys, "keys", 10000, "distinct items")
	flag.StringVar(&cfg.lakebox, "lakebox", "bin/lakebox", "the lakebox binary")
	flag.StringVar(&cfg.nodeDir, "node", ".bench/node", "where dynalite is installed")
	only := flag.String("ops", strings.Join(opNames, ","), "operations to run, in order")
	flag.Parse()
	proc.TuneClient()
	cfg.servers, cfg.ops = strings.Split(*servers, ","), strings.Split(*only, ",")
	if err := run(context.Background(), cfg); err != nil {
		fmt.Fprintln(os.Stderr, "dynamodbbench:", err)
		os.Exit(1)
	}
}

type opResult struct {
	rate     float64
	p50, p99 time.Duration
	cpu      float64 // server µs per operation
	note     string
}

type result struct {
	name string
	ops  map[string]opResult
}

var opNames = []string{"PutItem", "GetItem", "UpdateItem ADD", cdcOp, "Query 100 items"}

// cdcOp is UpdateItem ADD on the table once its changes stream into
// Kinesis (a Kinesis streaming destination): what change data capture
// costs a writer, and how soon Kinesis holds every change.
const cdcOp = "UpdateItem ADD + Kinesis CDC"

// queryPartitions are the partitions of 100 items Query reads.
const queryPartitions = 50

func run(ctx context.Context, cfg config) error {
	work, err := os.MkdirTemp("", "dynamodbbench-")
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
	host, port, _ := strings.Cut(addr, ":")
	var cmd *exec.Cmd
	switch name {
	case "lakebox":
		cmd = exec.Command(cfg.lakebox, "serve", "--addr", addr, "--data-dir", filepath.Join(work, name), "--access-log=false")
	case "moto":
		path, err := exec.LookPath("moto_server")
		if err != nil {
			return nil, "", err
		}
		cmd = exec.Command(path, "-H", host, "-p", port)
	case "dynalite":
		bin, err := dynalite(cfg.nodeDir)
		if err != nil {
			return nil, "", err
		}
		cmd = exec.Command(bin, "--port", port, "--path", filepath.Join(work, name), "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0")
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

// dynalite returns dynalite's binary, installing it with npm first if need
// be. With --path it keeps tables in LevelDB on disk.
func dynalite(dir string) (string, error) {
	bin := filepath.Join(dir, "node_modules", ".bin", "dynalite")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	out, err := exec.Command("npm", "install", "--prefix", dir, "--no-audit", "--no-fund", "dynalite@3.2.2").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("npm install dynalite: %v: %s", err, out)
	}
	return bin, nil
}

func client(url string) *dynamodb.Client {
	hc := &http.Client{Transport: awstest.BodyWithoutWriterTo{RoundTripper: &http.Transport{MaxIdleConnsPerHost: 64}}}
	return dynamodb.New(dynamodb.Options{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(url), HTTPClient: hc, RetryMaxAttempts: 1})
}

func key(i int) map[string]dtypes.AttributeValue {
	return map[string]dtypes.AttributeValue{
		"customer_id": &dtypes.AttributeValueMemberS{Value: fmt.Sprintf("customer-%06d", i)},
		"date":        &dtypes.AttributeValueMemberS{Value: "2026-11-22"},
	}
}

func measure(ctx context.Context, name string, cmd *exec.Cmd, url string, cfg config) (result, error) {
	c := client(url)
	r := result{name: name, ops: map[string]opResult{}}
	_, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String("bench"),
		KeySchema: []dtypes.KeySchemaElement{{AttributeName: aws.String("customer_id"), KeyType: dtypes.KeyTypeHash},
			{AttributeName: aws.String("date"), KeyType: dtypes.KeyTypeRange}},
		AttributeDefinitions: []dtypes.AttributeDefinition{{AttributeName: aws.String("customer_id"), AttributeType: dtypes.ScalarAttributeTypeS},
			{AttributeName: aws.String("date"), AttributeType: dtypes.ScalarAttributeTypeS}},
		BillingMode: dtypes.BillingModePayPerRequest,
	})
	if err != nil {
		return r, err
	}
	if name != "floor" {
		if err := dynamodb.NewTableExistsWaiter(c).Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("bench")}, 30*time.Second); err != nil {
			return r, err
		}
	}
	ops := map[string]func(i int) error{
		"PutItem": func(i int) error {
			item := key(i % cfg.keys)
			item["total_spend"] = &dtypes.AttributeValueMemberN{Value: "123.45"}
			item["status"] = &dtypes.AttributeValueMemberS{Value: "active"}
			item["tags"] = &dtypes.AttributeValueMemberSS{Value: []string{"web", "promo"}}
			item["profile"] = &dtypes.AttributeValueMemberM{Value: map[string]dtypes.AttributeValue{"tier": &dtypes.AttributeValueMemberS{Value: "gold"}, "since": &dtypes.AttributeValueMemberN{Value: "2019"}}}
			_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("bench"), Item: item})
			return err
		},
		"GetItem": func(i int) error {
			_, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("bench"), Key: key(i % cfg.keys)})
			return err
		},
		"Query 100 items": func(i int) error {
			out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("bench"),
				KeyConditionExpression:    aws.String("customer_id = :c"),
				ExpressionAttributeValues: map[string]dtypes.AttributeValue{":c": &dtypes.AttributeValueMemberS{Value: fmt.Sprintf("partition-%03d", i%queryPartitions)}}})
			if err == nil && len(out.Items) != 100 {
				err = fmt.Errorf("query returned %d items", len(out.Items))
			}
			if name == "floor" {
				err = nil
			}
			return err
		},
		"UpdateItem ADD": func(i int) error {
			_, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("bench"), Key: key(i % cfg.keys),
				UpdateExpression:          aws.String("ADD total_spend :val"),
				ExpressionAttributeValues: map[string]dtypes.AttributeValue{":val": &dtypes.AttributeValueMemberN{Value: "19.99"}}})
			return err
		},
	}
	ops[cdcOp] = ops["UpdateItem ADD"]
	if slices.Contains(cfg.ops, "Query 100 items") && name != "floor" {
		if err := loadPartitions(ctx, c); err != nil {
			return r, err
		}
	}
	for _, op := range cfg.ops {
		if ops[op] == nil {
			return r, fmt.Errorf("unknown operation %q", op)
		}
		var cdc *kinesis.Client
		if op == cdcOp && name != "floor" {
			var err error
			if cdc, err = enableCDC(ctx, c, url); err != nil {
				fmt.Fprintf(os.Stderr, "%s %s: not supported: %v\n", name, op, err)
				r.ops[op] = opResult{note: "not supported"}
				continue
			}
		}
		var n atomic.Int64
		var errs atomic.Value
		var mu sync.Mutex
		var lat []time.Duration
		cpu0 := proc.CPUSeconds(cmd)
		start := time.Now()
		deadline := start.Add(cfg.duration)
		var wg sync.WaitGroup
		for w := range cfg.clients {
			wg.Go(func() {
				var mine []time.Duration
				for i := w; time.Now().Before(deadline); i += cfg.clients {
					t0 := time.Now()
					if err := ops[op](i); err != nil {
						errs.Store(err)
						return
					}
					mine = append(mine, time.Since(t0))
					n.Add(1)
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			})
		}
		wg.Wait()
		elapsed := time.Since(start)
		if err, ok := errs.Load().(error); ok {
			return r, fmt.Errorf("%s: %w", op, err)
		}
		slices.Sort(lat)
		o := opResult{rate: float64(n.Load()) / elapsed.Seconds(), cpu: (proc.CPUSeconds(cmd) - cpu0) / float64(n.Load()) * 1e6}
		if len(lat) > 0 {
			o.p50, o.p99 = lat[len(lat)/2], lat[len(lat)*99/100]
		}
		if cdc != nil {
			lag, err := drained(ctx, cdc, n.Load())
			if err != nil {
				return r, err
			}
			o.note = fmt.Sprintf("all %d changes in Kinesis %s after the last write", n.Load(), ms(lag))
		}
		r.ops[op] = o
		fmt.Fprintf(os.Stderr, "%s %s: %.0f ops/s %s\n", name, op, o.rate, o.note)
	}
	return r, nil
}

// enableCDC makes a Kinesis stream and streams the bench table's changes
// into it.
func enableCDC(ctx context.Context, c *dynamodb.Client, url string) (*kinesis.Client, error) {
	kc := kinesis.New(kinesis.Options{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(url), RetryMaxAttempts: 1})
	if _, err := kc.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String("bench-cdc"), ShardCount: aws.Int32(4)}); err != nil {
		return nil, err
	}
	if err := kinesis.NewStreamExistsWaiter(kc).Wait(ctx, &kinesis.DescribeStreamInput{StreamName: aws.String("bench-cdc")}, 30*time.Second); err != nil {
		return nil, err
	}
	arn := "arn:aws:kinesis:us-east-1:000000000000:stream/bench-cdc"
	if _, err := c.EnableKinesisStreamingDestination(ctx, &dynamodb.EnableKinesisStreamingDestinationInput{TableName: aws.String("bench"), StreamArn: &arn}); err != nil {
		return nil, err
	}
	for range 300 {
		out, err := c.DescribeKinesisStreamingDestination(ctx, &dynamodb.DescribeKinesisStreamingDestinationInput{TableName: aws.String("bench")})
		if err != nil {
			return nil, err
		}
		if len(out.KinesisDataStreamDestinations) == 1 && out.KinesisDataStreamDestinations[0].DestinationStatus == dtypes.DestinationStatusActive {
			return kc, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return nil, errors.New("the destination did not become ACTIVE")
}

// drained waits until the CDC stream holds want records and returns how
// long that took.
func drained(ctx context.Context, kc *kinesis.Client, want int64) (time.Duration, error) {
	start := time.Now()
	shards, err := kc.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String("bench-cdc")})
	if err != nil {
		return 0, err
	}
	iters := map[string]*string{}
	for _, sh := range shards.Shards {
		it, err := kc.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String("bench-cdc"), ShardId: sh.ShardId, ShardIteratorType: ktypes.ShardIteratorTypeTrimHorizon})
		if err != nil {
			return 0, err
		}
		iters[*sh.ShardId] = it.ShardIterator
	}
	var have int64
	for time.Since(start) < time.Minute {
		for id, it := range iters {
			out, err := kc.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: it})
			if err != nil {
				return 0, err
			}
			have += int64(len(out.Records))
			iters[id] = out.NextShardIterator
		}
		if have >= want {
			return time.Since(start), nil
		}
		time.Sleep(5 * time.Millisecond)
	}
	return 0, fmt.Errorf("Kinesis holds %d of %d changes after a minute", have, want)
}

// loadPartitions writes the partitions Query reads, 25 items a batch.
func loadPartitions(ctx context.Context, c *dynamodb.Client) error {
	for p := range queryPartitions {
		for b := range 4 {
			var reqs []dtypes.WriteRequest
			for j := range 25 {
				reqs = append(reqs, dtypes.WriteRequest{PutRequest: &dtypes.PutRequest{Item: map[string]dtypes.AttributeValue{
					"customer_id": &dtypes.AttributeValueMemberS{Value: fmt.Sprintf("partition-%03d", p)},
					"date":        &dtypes.AttributeValueMemberS{Value: fmt.Sprintf("2026-%05d", b*25+j)},
					"total_spend": &dtypes.AttributeValueMemberN{Value: "123.45"},
					"status":      &dtypes.AttributeValueMemberS{Value: "active"},
				}}})
			}
			out, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]dtypes.WriteRequest{"bench": reqs}})
			if err != nil {
				return err
			}
			for len(out.UnprocessedItems) > 0 {
				if out, err = c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: out.UnprocessedItems}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func report(cfg config, results []result) {
	fmt.Printf("\nDynamoDB benchmark, %s: %d clients, %s per operation, %d items of ~200 B.\n\n", time.Now().UTC().Format("2006-01-02"), cfg.clients, cfg.duration, cfg.keys)
	fmt.Println("| operation | server | ops/s | p50 | p99 | server CPU µs/op |")
	fmt.Println("|---|---|---:|---:|---:|---:|")
	var notes []string
	for _, op := range cfg.ops {
		for _, r := range results {
			o := r.ops[op]
			if o.rate == 0 {
				fmt.Printf("| %s | %s | %s | | | |\n", op, r.name, o.note)
				continue
			}
			fmt.Printf("| %s | %s | %.0f | %s | %s | %.0f |\n", op, r.name, o.rate, ms(o.p50), ms(o.p99), o.cpu)
			if o.note != "" {
				notes = append(notes, fmt.Sprintf("- %s, %s: %s.", op, r.name, o.note))
			}
		}
	}
	if len(notes) > 0 {
		fmt.Printf("\n%s\n", strings.Join(notes, "\n"))
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
