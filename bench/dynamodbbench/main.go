// Command dynamodbbench measures DynamoDB side by side in one run:
// Lakebox, moto_server, dynalite (npm; installed into .bench/node when
// missing) and a floor server that answers without doing anything (what
// the client and HTTP cost on this machine). Concurrent clients run
// PutItem, then GetItem, then UpdateItem with ADD, each for a while, on
// items of about 200 bytes; it reports operations per second, p50/p99
// latency and the server's CPU time per operation. All servers run for the
// whole benchmark and take turns in rounds, so a machine that slows down
// for a while slows them alike; each round starts with the next server, so
// none always goes first, and each turn waits until every server is idle,
// so none pays for another's leftover work. PutItem and GetItem then run
// once more at the rate dynalite reached, for latency at a load every
// server sustains.
//
//	go run ./bench/dynamodbbench [-servers lakebox,lakebox-sse,moto,dynalite,floor] [-duration 5s] [-rounds 4] [-clients 16] [-paced -1]
//
// To compare two builds of Lakebox, interleaved in one run as every
// server is, name the other binary with -baseline and add the server
// "baseline":
//
//	go run ./bench/dynamodbbench -baseline /tmp/lakebox-old -servers lakebox,baseline,floor -ops PutItem,GetItem -paced 0
//
// The server "lakebox-sse" is Lakebox with its bench table encrypted with
// a KMS key (SSESpecification), for what sealing every value costs:
//
//	go run ./bench/dynamodbbench -servers lakebox,lakebox-sse,floor -paced 0
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

	"github.com/lakebox/lakebox/bench/internal/pace"
	"github.com/lakebox/lakebox/bench/internal/proc"
	"github.com/lakebox/lakebox/internal/awstest"
)

type config struct {
	servers  []string
	duration time.Duration
	clients  int
	keys     int
	lakebox  string
	baseline string // a second lakebox binary, the server "baseline"
	nodeDir  string
	ops      []string
	rounds   int
	paced    float64
}

func main() {
	if len(os.Args) > 2 && os.Args[1] == "floor-server" {
		runFloor(os.Args[2])
		return
	}
	var cfg config
	servers := flag.String("servers", "lakebox,lakebox-sse,moto,dynalite,floor", "servers to measure, in order")
	flag.DurationVar(&cfg.duration, "duration", 5*time.Second, "how long each operation runs")
	flag.IntVar(&cfg.clients, "clients", 16, "concurrent clients")
	flag.IntVar(&cfg.keys, "keys", 10000, "distinct items")
	flag.StringVar(&cfg.lakebox, "lakebox", "bin/lakebox", "the lakebox binary")
	flag.StringVar(&cfg.baseline, "baseline", "", "another lakebox binary, run as the server \"baseline\" (to compare two builds)")
	flag.StringVar(&cfg.nodeDir, "node", ".bench/node", "where dynalite is installed")
	only := flag.String("ops", strings.Join(opNames, ","), "operations to run, in order")
	flag.IntVar(&cfg.rounds, "rounds", 4, "rounds per operation: each server runs duration/rounds in turn, rounds times")
	flag.Float64Var(&cfg.paced, "paced", -1, "after each PutItem and GetItem, run it again at this many requests/s for latency (-1: the rate dynalite reached; 0: none)")
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
	// paced is the same operation at a fixed rate (-paced).
	paced *pacedResult
}

type pacedResult struct {
	rate     float64 // asked for
	achieved float64
	p50, p99 time.Duration
}

// server is one server under test, started for the whole run.
type server struct {
	name string
	cmd  *exec.Cmd // nil for a server already running
	url  string
	c    *dynamodb.Client
	ops  map[string]opResult
}

var opNames = []string{"PutItem", "GetItem", "UpdateItem ADD", cdcOp, "Query 100 items", globalOp}

// globalOp is PutItem on a global table, with a replica in another region
// (its own table, bench-global): what a replica costs a writer.
const globalOp = "PutItem on a global table"

// cdcOp is UpdateItem ADD on the table once its changes stream into
// Kinesis (a Kinesis streaming destination): what change data capture
// costs a writer, and how soon Kinesis holds every change.
const cdcOp = "UpdateItem ADD + Kinesis CDC"

// queryPartitions are the partitions of 100 items Query reads.
const queryPartitions = 50

// run starts every server, then measures each operation in rounds: every
// server runs a slice of the operation's time in turn, so a machine that
// slows down for a while slows all of them alike.
func run(ctx context.Context, cfg config) error {
	work, err := os.MkdirTemp("", "dynamodbbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	var servers []*server
	defer func() {
		for _, s := range servers {
			proc.Stop(s.cmd)
		}
	}()
	for _, name := range cfg.servers {
		s := &server{name: name, ops: map[string]opResult{}}
		if url, ok := strings.CutPrefix(name, "http://"); ok {
			s.url = "http://" + url // a server already running (to profile it): no CPU figures
		} else {
			cmd, addr, err := start(ctx, name, cfg, work)
			if err != nil {
				fmt.Fprintf(os.Stderr, "skipping %s: %v\n", name, err)
				continue
			}
			s.cmd, s.url = cmd, "http://"+addr
		}
		servers = append(servers, s)
		if err := setup(ctx, s, cfg); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	for _, op := range cfg.ops {
		if err := measure(ctx, servers, op, cfg); err != nil {
			return err
		}
	}
	report(cfg, servers)
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
	case "lakebox", "lakebox-sse", "baseline":
		bin := cfg.lakebox
		if name == "baseline" {
			if bin = cfg.baseline; bin == "" {
				return nil, "", errors.New("no -baseline binary")
			}
		}
		cmd = exec.Command(bin, "serve", "--addr", addr, "--data-dir", filepath.Join(work, name), "--access-log=false")
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

// setup creates the bench table and, when Query is measured, its
// partitions.
func setup(ctx context.Context, s *server, cfg config) error {
	s.c = client(s.url)
	in := benchTable("bench")
	if s.name == "lakebox-sse" {
		in.SSESpecification = &dtypes.SSESpecification{Enabled: aws.Bool(true)}
	}
	_, err := s.c.CreateTable(ctx, in)
	if err != nil {
		return err
	}
	if s.name == "floor" {
		return nil
	}
	if err := dynamodb.NewTableExistsWaiter(s.c).Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("bench")}, 30*time.Second); err != nil {
		return err
	}
	if slices.Contains(cfg.ops, "Query 100 items") {
		return loadPartitions(ctx, s.c)
	}
	return nil
}

// benchTable is the CreateTable of a bench table: the bench's keys, on
// demand.
func benchTable(name string) *dynamodb.CreateTableInput {
	return &dynamodb.CreateTableInput{
		TableName: aws.String(name),
		KeySchema: []dtypes.KeySchemaElement{{AttributeName: aws.String("customer_id"), KeyType: dtypes.KeyTypeHash},
			{AttributeName: aws.String("date"), KeyType: dtypes.KeyTypeRange}},
		AttributeDefinitions: []dtypes.AttributeDefinition{{AttributeName: aws.String("customer_id"), AttributeType: dtypes.ScalarAttributeTypeS},
			{AttributeName: aws.String("date"), AttributeType: dtypes.ScalarAttributeTypeS}},
		BillingMode: dtypes.BillingModePayPerRequest,
	}
}

// makeGlobal makes bench-global, the bench table's twin with a replica
// in eu-west-1 (the floor answers both calls without doing anything).
func makeGlobal(ctx context.Context, s *server) error {
	_, err := s.c.CreateTable(ctx, benchTable("bench-global"))
	if err != nil {
		return err
	}
	_, err = s.c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("bench-global"),
		ReplicaUpdates: []dtypes.ReplicationGroupUpdate{{Create: &dtypes.CreateReplicationGroupMemberAction{RegionName: aws.String("eu-west-1")}}}})
	return err
}

// call returns the function that performs op's i-th request on s.
func call(ctx context.Context, s *server, op string, cfg config) func(i int) error {
	c := s.c
	switch op {
	case "PutItem", globalOp:
		table := "bench"
		if op == globalOp {
			table = "bench-global"
		}
		return func(i int) error {
			item := key(i % cfg.keys)
			item["total_spend"] = &dtypes.AttributeValueMemberN{Value: "123.45"}
			item["status"] = &dtypes.AttributeValueMemberS{Value: "active"}
			item["tags"] = &dtypes.AttributeValueMemberSS{Value: []string{"web", "promo"}}
			item["profile"] = &dtypes.AttributeValueMemberM{Value: map[string]dtypes.AttributeValue{"tier": &dtypes.AttributeValueMemberS{Value: "gold"}, "since": &dtypes.AttributeValueMemberN{Value: "2019"}}}
			_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: item})
			return err
		}
	case "GetItem":
		return func(i int) error {
			_, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("bench"), Key: key(i % cfg.keys)})
			return err
		}
	case "Query 100 items":
		return func(i int) error {
			out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("bench"),
				KeyConditionExpression:    aws.String("customer_id = :c"),
				ExpressionAttributeValues: map[string]dtypes.AttributeValue{":c": &dtypes.AttributeValueMemberS{Value: fmt.Sprintf("partition-%03d", i%queryPartitions)}}})
			if err == nil && len(out.Items) != 100 && s.name != "floor" {
				err = fmt.Errorf("query returned %d items", len(out.Items))
			}
			return err
		}
	case "UpdateItem ADD", cdcOp:
		return func(i int) error {
			_, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("bench"), Key: key(i % cfg.keys),
				UpdateExpression:          aws.String("ADD total_spend :val"),
				ExpressionAttributeValues: map[string]dtypes.AttributeValue{":val": &dtypes.AttributeValueMemberN{Value: "19.99"}}})
			return err
		}
	}
	return nil
}

// tally is what the slices of one operation on one server add up to.
type tally struct {
	n       int64
	elapsed time.Duration
	cpu     float64 // server seconds
	lat     []time.Duration
}

// measure runs op on every server in cfg.rounds rounds, then, with
// -paced, once more on each at a fixed rate.
func measure(ctx context.Context, servers []*server, op string, cfg config) error {
	if !slices.Contains(opNames, op) {
		return fmt.Errorf("unknown operation %q", op)
	}
	var active []*server
	cdc := map[*server]*kinesis.Client{}
	for _, s := range servers {
		if op == cdcOp && s.name != "floor" {
			kc, err := enableCDC(ctx, s.c, s.url)
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s %s: not supported: %v\n", s.name, op, err)
				s.ops[op] = opResult{note: "not supported"}
				continue
			}
			cdc[s] = kc
		}
		if op == globalOp {
			if err := makeGlobal(ctx, s); err != nil {
				fmt.Fprintf(os.Stderr, "%s %s: not supported: %v\n", s.name, op, err)
				s.ops[op] = opResult{note: "not supported"}
				continue
			}
		}
		active = append(active, s)
	}
	var cmds []*exec.Cmd
	for _, s := range servers {
		cmds = append(cmds, s.cmd)
	}
	tallies := map[*server]*tally{}
	next := map[*server]int{}
	slice := cfg.duration / time.Duration(cfg.rounds)
	for r := range cfg.rounds {
		for i := range active {
			// Each round starts with the next server: the first turn of a
			// round cost the same binary's PutItem up to a tenth more CPU
			// than a later one, in runs with two Lakebox servers.
			s := active[(r+i)%len(active)]
			// Each turn starts on a quiet machine: dynalite's LevelDB, for
			// one, compacts for a while after its writes, and a server
			// whose turn that overlapped paid for it in CPU and latency.
			proc.WaitIdle(cmds, 5*time.Second)
			t := tallies[s]
			if t == nil {
				t = &tally{}
				tallies[s] = t
			}
			if err := runSlice(s, call(ctx, s, op, cfg), slice, cfg.clients, 0, next, t); err != nil {
				return fmt.Errorf("%s %s: %w", s.name, op, err)
			}
		}
	}
	for _, s := range active {
		t := tallies[s]
		slices.Sort(t.lat)
		o := opResult{rate: float64(t.n) / t.elapsed.Seconds(), cpu: t.cpu / float64(t.n) * 1e6}
		if len(t.lat) > 0 {
			o.p50, o.p99 = t.lat[len(t.lat)/2], t.lat[len(t.lat)*99/100]
		}
		if kc := cdc[s]; kc != nil {
			lag, err := drained(ctx, kc, t.n)
			if err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			o.note = fmt.Sprintf("all %d changes in Kinesis %s after the last write", t.n, ms(lag))
		}
		s.ops[op] = o
		fmt.Fprintf(os.Stderr, "%s %s: %.0f ops/s %s\n", s.name, op, o.rate, o.note)
	}
	rate := cfg.paced
	if rate < 0 { // the throughput dynalite reached
		rate = 0
		for _, s := range active {
			if s.name == "dynalite" {
				rate = s.ops[op].rate
			}
		}
	}
	if rate <= 0 || (op != "PutItem" && op != "GetItem") {
		return nil
	}
	for i := range active {
		// Each operation's paced runs start with a different server, as
		// the rounds do.
		s := active[(slices.Index(cfg.ops, op)+i)%len(active)]
		// Latency at a fixed rate is what a server does on a machine that
		// does nothing else: another server's leftover work (dynalite's
		// compactions) must not count against it.
		if waited := proc.WaitIdle(cmds, 30*time.Second); waited > 2*time.Second {
			fmt.Fprintf(os.Stderr, "%s %s paced: waited %v for the servers to go idle\n", s.name, op, waited.Round(100*time.Millisecond))
		}
		t := &tally{}
		if err := runSlice(s, call(ctx, s, op, cfg), cfg.duration, cfg.clients, rate, next, t); err != nil {
			return fmt.Errorf("%s %s paced: %w", s.name, op, err)
		}
		slices.Sort(t.lat)
		o := s.ops[op]
		o.paced = &pacedResult{rate: rate, achieved: float64(t.n) / t.elapsed.Seconds(), p50: t.lat[len(t.lat)/2], p99: t.lat[len(t.lat)*99/100]}
		s.ops[op] = o
	}
	return nil
}

// runSlice has clients call f for d and adds what they did to t. With
// rate > 0 the calls are paced: the i-th starts at i/rate seconds, and its
// latency counts from then, so a server that falls behind is charged for
// the wait it causes (no coordinated omission). Clients wait for that
// time with a pace.Sleeper, which wakes them when it comes rather than up
// to a millisecond after, as time.Sleep does here.
func runSlice(s *server, f func(int) error, d time.Duration, clients int, rate float64, next map[*server]int, t *tally) error {
	var mu sync.Mutex // guards t.lat and firstErr
	var firstErr error
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr == nil {
			firstErr = err
		}
	}
	var issued atomic.Int64
	first := next[s]
	cpu0 := proc.CPUSeconds(s.cmd)
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			var sleeper *pace.Sleeper
			if rate > 0 {
				var err error
				if sleeper, err = pace.New(); err != nil {
					fail(err)
					return
				}
				defer sleeper.Close()
			}
			var mine []time.Duration
			for {
				j := issued.Add(1) - 1
				t0 := time.Now()
				if !t0.Before(deadline) {
					break
				}
				if rate > 0 {
					if t0 = start.Add(time.Duration(float64(j) / rate * float64(time.Second))); !t0.Before(deadline) {
						break
					}
					if err := sleeper.Until(t0); err != nil {
						fail(err)
						return
					}
				}
				if err := f(first + int(j)); err != nil {
					fail(err)
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			t.lat = append(t.lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	n := int64(len(t.lat)) - t.n
	t.n += n
	t.elapsed += time.Since(start)
	t.cpu += proc.CPUSeconds(s.cmd) - cpu0
	next[s] = first + int(n) + clients
	return nil
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

func report(cfg config, servers []*server) {
	fmt.Printf("\nDynamoDB benchmark, %s: %d clients, %s per operation in %d rounds, %d items of ~200 B.\n\n",
		time.Now().UTC().Format("2006-01-02"), cfg.clients, cfg.duration, cfg.rounds, cfg.keys)
	fmt.Println("| operation | server | ops/s | p50 | p99 | server CPU µs/op | CPU ÷ floor's |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|")
	var notes []string
	for _, op := range cfg.ops {
		var floor float64
		for _, s := range servers {
			if s.name == "floor" {
				floor = s.ops[op].cpu
			}
		}
		for _, s := range servers {
			o := s.ops[op]
			if o.rate == 0 {
				fmt.Printf("| %s | %s | %s | | | | |\n", op, s.name, o.note)
				continue
			}
			ratio := ""
			if floor > 0 && s.cmd != nil {
				ratio = fmt.Sprintf("%.2f×", o.cpu/floor)
			}
			fmt.Printf("| %s | %s | %.0f | %s | %s | %.0f | %s |\n", op, s.name, o.rate, ms(o.p50), ms(o.p99), o.cpu, ratio)
			if o.note != "" {
				notes = append(notes, fmt.Sprintf("- %s, %s: %s.", op, s.name, o.note))
			}
		}
	}
	if len(notes) > 0 {
		fmt.Printf("\n%s\n", strings.Join(notes, "\n"))
	}
	paced := false
	for _, s := range servers {
		for _, o := range s.ops {
			paced = paced || o.paced != nil
		}
	}
	if !paced {
		return
	}
	fmt.Printf("\nLatency at a fixed rate (%s each; latency counted from when each request was due):\n\n", cfg.duration)
	fmt.Println("| operation | server | rate asked | achieved | p50 | p99 |")
	fmt.Println("|---|---|---:|---:|---:|---:|")
	for _, op := range cfg.ops {
		for _, s := range servers {
			p := s.ops[op].paced
			switch {
			case p == nil:
			case p.achieved < 0.95*p.rate: // its latencies are those of a queue that only grows
				fmt.Printf("| %s | %s | %.0f | %.0f | falls behind | |\n", op, s.name, p.rate, p.achieved)
			default:
				fmt.Printf("| %s | %s | %.0f | %.0f | %s | %s |\n", op, s.name, p.rate, p.achieved, ms(p.p50), ms(p.p99))
			}
		}
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
