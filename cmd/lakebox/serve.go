package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/server"
)

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:4566", "address to listen on")
	dataDir := fs.String("data-dir", ".lakebox", "directory holding all data")
	credentials := fs.String("credentials", "", "file of known access keys: ACCESS_KEY_ID SECRET_ACCESS_KEY [ACCOUNT_ID] per line")
	strict := fs.Bool("strict-auth", false, "refuse access keys that are not test/test or in --credentials")
	domains := fs.String("domain", "", "comma-separated extra domains for virtual-hosted-style S3 (<bucket>.<domain>)")
	inlineMax := fs.Int64("inline-max", 0, "largest object body, in bytes, kept in the metadata store instead of a file (default 16384)")
	accessLog := fs.Bool("access-log", true, "log one JSON line per request")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	pprof := fs.Bool("pprof", false, "serve Go's profiler under /_lakebox/debug/pprof/")
	kinesisLimits := fs.Bool("kinesis-limits", false, "enforce AWS's per-shard Kinesis throughput (1 MiB/s and 1,000 records/s in, 2 MiB/s and 5 GetRecords/s out)")
	collectionLimit := fs.Int64("dynamodb-collection-limit", 0, "largest item collection of a DynamoDB table with local secondary indexes, in bytes; lower it to see your code meet ItemCollectionSizeLimitExceededException (default: DynamoDB's 10 GB)")
	lifecycleEvery := fs.Duration("lifecycle-interval", time.Minute, "how often, in wall time, lifecycle rules run (also after every clock advance)")
	maxQueries := fs.Int("max-queries", 4, "Athena queries that run at once; more wait QUEUED")
	pollWait := fs.Duration("athena-poll-wait", time.Second, "how long GetQueryExecution of a query not yet ended waits for its end before it answers (0: it answers at once)")
	sqlMemory := fs.String("sql-memory-limit", "", "memory the SQL engine may use, e.g. 4GB, before it spills to DATA_DIR/sql/tmp (default: DuckDB's, 80% of RAM)")
	masterKey := fs.String("master-key", "", "base64 of the 32-byte key protecting server-side-encrypted objects (default: DATA_DIR/master.key, created on first start)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *collectionLimit < 0 {
		return fmt.Errorf("--dynamodb-collection-limit: %d is not a size", *collectionLimit)
	}
	if *pollWait <= 0 {
		*pollWait = -1 // at once, for the server's options
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve: unexpected arguments %q", fs.Args())
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	// A server's heap is mostly short-lived request and response buffers:
	// collecting at five times the live heap rather than twice saves much
	// CPU (15% more Kinesis ingest) for little memory. GOGC and GOMEMLIMIT
	// in the environment still decide.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	logOut := newLogWriter(stderr, 100*time.Millisecond)
	defer logOut.Close()
	log := slog.New(slog.NewJSONHandler(logOut, &slog.HandlerOptions{Level: level}))

	var keys []auth.Key
	if *credentials != "" {
		var err error
		if keys, err = auth.LoadKeys(*credentials); err != nil {
			return fmt.Errorf("--credentials: %w", err)
		}
	}
	var doms []string
	for d := range strings.SplitSeq(*domains, ",") {
		if d = strings.TrimSpace(d); d != "" {
			doms = append(doms, d)
		}
	}
	srv, err := server.New(server.Config{
		DataDir: *dataDir, Keys: keys, StrictAuth: *strict, Domains: doms,
		InlineMax: *inlineMax, AccessLog: *accessLog, Logger: log, Version: version, Pprof: *pprof,
		MasterKey: *masterKey, LifecycleInterval: *lifecycleEvery, MaxQueries: *maxQueries, AthenaPollWait: *pollWait, SQLMemoryLimit: *sqlMemory, KinesisLimits: *kinesisLimits,
		DynamoDBCollectionLimit: *collectionLimit,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		srv.Close()
		return err
	}
	log.Info("lakebox listening", "addr", ln.Addr().String(), "data_dir", *dataDir, "version", version, "strict_auth", *strict)
	serveErr := srv.Serve(ctx, ln)
	closeErr := srv.Close()
	log.Info("lakebox stopped")
	if serveErr != nil {
		return serveErr
	}
	return closeErr
}
