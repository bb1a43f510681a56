// Command gluebench measures the Glue Data Catalog and crawlers of Lakebox
// side by side with moto_server and a floor server (one that answers every
// JSON request with {} and does no work) in one run:
//
//   - catalog operations (CreateTable, GetTable, GetPartition) per second
//     from concurrent clients, with each server's CPU time per operation;
//
//   - loading partitions with BatchCreatePartition, then GetPartitions with
//     an Expression over all of them (issue goal: milliseconds at 100,000);
//
//   - a crawl of many small Parquet objects across many partitions (issue
//     goal: 10,000 objects in 1,000 partitions in under 10 seconds).
//
//     go run ./bench/gluebench [-servers lakebox,moto,floor] [-partitions 100000] [-objects 10000]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/lakebox/lakebox/bench/internal/proc"
)

type config struct {
	servers    []string
	duration   time.Duration
	clients    int
	partitions int
	objects    int
	folders    int
	crawlWait  time.Duration
	lakebox    string
	workdir    string
}

func main() {
	var cfg config
	servers := flag.String("servers", "lakebox,moto,floor", "servers to measure, in order")
	flag.DurationVar(&cfg.duration, "duration", 5*time.Second, "length of each operation phase")
	flag.IntVar(&cfg.clients, "clients", 16, "concurrent clients")
	flag.IntVar(&cfg.partitions, "partitions", 100000, "partitions to load before GetPartitions")
	flag.IntVar(&cfg.objects, "objects", 10000, "objects to crawl")
	flag.IntVar(&cfg.folders, "folders", 1000, "partition folders the crawled objects are spread over")
	flag.DurationVar(&cfg.crawlWait, "crawl-wait", time.Minute, "how long to wait for a crawl to end")
	flag.StringVar(&cfg.lakebox, "lakebox", "bin/lakebox", "the lakebox binary")
	flag.StringVar(&cfg.workdir, "workdir", "", "where servers keep data (default: a temporary directory)")
	if len(os.Args) > 2 && os.Args[1] == "floor-server" {
		runFloor(os.Args[2])
		return
	}
	flag.Parse()
	proc.TuneClient()
	cfg.servers = strings.Split(*servers, ",")
	if err := run(context.Background(), cfg); err != nil {
		fmt.Fprintln(os.Stderr, "gluebench:", err)
		os.Exit(1)
	}
}

// server is a peer under test.
type server struct {
	name  string
	url   string
	cmd   *exec.Cmd
	floor bool
}

func start(ctx context.Context, name string, cfg config) (*server, error) {
	addr, err := proc.FreePort()
	if err != nil {
		return nil, err
	}
	s := &server{name: name, url: "http://" + addr}
	dir := filepath.Join(cfg.workdir, name)
	switch name {
	case "lakebox":
		s.cmd = exec.Command(cfg.lakebox, "serve", "--addr", addr, "--data-dir", dir, "--access-log=false")
	case "moto":
		path, err := exec.LookPath("moto_server")
		if err != nil {
			return nil, err
		}
		_, port, _ := strings.Cut(addr, ":")
		s.cmd = exec.Command(path, "-H", "127.0.0.1", "-p", port)
	case "floor":
		self, err := os.Executable()
		if err != nil {
			return nil, err
		}
		s.cmd = exec.Command(self, "floor-server", addr)
		s.floor = true
	default:
		return nil, fmt.Errorf("unknown server %q", name)
	}
	return s, proc.Start(ctx, s.cmd, addr, filepath.Join(cfg.workdir, name+".log"))
}

func run(ctx context.Context, cfg config) error {
	if cfg.workdir == "" {
		dir, err := os.MkdirTemp("", "gluebench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		cfg.workdir = dir
	}
	if err := os.MkdirAll(cfg.workdir, 0o755); err != nil {
		return err
	}
	var results []*result
	for _, name := range cfg.servers {
		s, err := start(ctx, name, cfg)
		if err != nil {
			fmt.Fprintf(os.Stderr, "skipping %s: %v\n", name, err)
			continue
		}
		fmt.Fprintf(os.Stderr, "== %s at %s\n", name, s.url)
		r, err := measure(ctx, s, cfg)
		proc.Stop(s.cmd)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		results = append(results, r)
	}
	if len(results) == 0 {
		return fmt.Errorf("no server could be measured")
	}
	report(os.Stdout, cfg, results)
	return nil
}
