// Command s3bench measures S3 throughput and latency of Lakebox side by side
// with its peers in one run: moto_server, MinIO (when a minio binary is on
// PATH or in $GOPATH/bin), Lakebox itself with SSE-S3 on (the cost of
// encryption), and a floor server that answers every request
// without doing any work, so the client's own cost is visible. Results are
// ratios from the same run, since the machine is shared and noisy, plus each
// server's CPU time per operation read from /proc/<pid>/stat.
//
//	go run ./bench/s3bench [-servers lakebox,lakebox-sse,moto,minio,floor] [-duration 8s]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/lakebox/lakebox/bench/internal/proc"
)

type config struct {
	servers    []string
	duration   time.Duration
	clients    int
	smallSize  int
	largeSize  int
	largeCount int
	listKeys   int
	lakebox    string
	workdir    string
}

func main() {
	var cfg config
	servers := flag.String("servers", "lakebox,lakebox-sse,moto,minio,floor", "servers to measure, in order")
	flag.DurationVar(&cfg.duration, "duration", 8*time.Second, "length of each small-object phase")
	flag.IntVar(&cfg.clients, "clients", 16, "concurrent clients for small objects")
	flag.IntVar(&cfg.smallSize, "small", 4<<10, "small object size in bytes")
	flag.IntVar(&cfg.largeSize, "large", 64<<20, "large object size in bytes")
	flag.IntVar(&cfg.largeCount, "large-count", 6, "large objects to PUT and GET")
	flag.IntVar(&cfg.listKeys, "list-keys", 10000, "keys in the LIST phase")
	flag.StringVar(&cfg.lakebox, "lakebox", "bin/lakebox", "the lakebox binary")
	flag.StringVar(&cfg.workdir, "workdir", "", "where servers keep data (default: a temporary directory under /work or /tmp)")
	if len(os.Args) > 2 && os.Args[1] == "floor-server" {
		runFloor(os.Args[2])
		return
	}
	flag.Parse()
	proc.TuneClient()
	cfg.servers = strings.Split(*servers, ",")
	if err := run(context.Background(), cfg); err != nil {
		fmt.Fprintln(os.Stderr, "s3bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config) error {
	if cfg.workdir == "" {
		dir, err := os.MkdirTemp(benchRoot(), "s3bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		cfg.workdir = dir
	}
	ref, err := measureDisk(cfg)
	if err != nil {
		return err
	}
	var results []*result
	for _, name := range cfg.servers {
		p, err := startPeer(ctx, name, cfg)
		if err != nil {
			fmt.Fprintf(os.Stderr, "skipping %s: %v\n", name, err)
			continue
		}
		fmt.Fprintf(os.Stderr, "== %s at %s\n", name, p.url)
		r, err := measure(ctx, p, cfg)
		p.stop()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		results = append(results, r)
	}
	report(os.Stdout, cfg, ref, results)
	return nil
}

// benchRoot prefers the disk the project lives on over a tmpfs /tmp.
func benchRoot() string {
	if wd, err := os.Getwd(); err == nil {
		return wd
	}
	return os.TempDir()
}
