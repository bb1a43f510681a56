package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/lakebox/lakebox/internal/athena"
	"github.com/lakebox/lakebox/internal/athena/athenahttp"
	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/awsproto/sigv4"
	"github.com/lakebox/lakebox/internal/clock"
	"github.com/lakebox/lakebox/internal/dynamodb"
	"github.com/lakebox/lakebox/internal/dynamodb/ddbhttp"
	"github.com/lakebox/lakebox/internal/firehose"
	"github.com/lakebox/lakebox/internal/firehose/firehosehttp"
	"github.com/lakebox/lakebox/internal/glue"
	"github.com/lakebox/lakebox/internal/glue/gluehttp"
	"github.com/lakebox/lakebox/internal/kinesis"
	"github.com/lakebox/lakebox/internal/kinesis/kinesishttp"
	"github.com/lakebox/lakebox/internal/s3"
	"github.com/lakebox/lakebox/internal/s3/s3http"
	"github.com/lakebox/lakebox/internal/shutdown"
	"github.com/lakebox/lakebox/internal/sqlengine"
	"github.com/lakebox/lakebox/internal/storage/blob"
	"github.com/lakebox/lakebox/internal/storage/meta"
	"github.com/lakebox/lakebox/internal/storage/seal"
)

// Config is everything a server is built from. Zero values take the
// defaults documented on each field.
type Config struct {
	// DataDir holds all state. Required.
	DataDir string
	// Keys are the access keys verified for real, besides test/test.
	Keys []auth.Key
	// StrictAuth refuses access keys that are not known.
	StrictAuth bool
	// Domains are extra virtual-hosted-style S3 domains.
	Domains []string
	// InlineMax is the largest object body kept in the meta store
	// (default s3.DefaultOptions().InlineMax).
	InlineMax int64
	// AccessLog logs one line per request.
	AccessLog bool
	// Logger receives the access log and errors (default: discard).
	Logger *slog.Logger
	// Wall is the machine's clock (default time.Now). Tests replace it.
	Wall func() time.Time
	// Version is reported by the health endpoint.
	Version string
	// Pprof serves Go's profiler under /_lakebox/debug/pprof/.
	Pprof bool
	// MasterKey, base64 of 32 bytes, protects objects stored with
	// server-side encryption. Empty: the key in DataDir/master.key,
	// created on first start.
	MasterKey string
	// KinesisLimits enforces AWS's per-shard Kinesis throughput.
	KinesisLimits bool
	// DynamoDBCollectionLimit is the largest item collection of a
	// DynamoDB table with local indexes, in bytes (default DynamoDB's
	// 10 GB).
	DynamoDBCollectionLimit int64
	// SQLMemoryLimit bounds the SQL engine's memory, e.g. "2GB" (default:
	// DuckDB's, 80% of RAM); beyond it queries spill to DataDir/sql/tmp.
	SQLMemoryLimit string
	// MaxQueries is how many Athena queries run at once (default 4).
	MaxQueries int
	// AthenaPollWait is how long GetQueryExecution of a query not yet
	// ended waits for its end (default one second; negative: no wait).
	AthenaPollWait time.Duration
	// LifecycleInterval is how often, in wall time, lifecycle rules are
	// carried out (default one minute). Advancing the clock through
	// /_lakebox/clock runs them at once too.
	LifecycleInterval time.Duration
}

// Server is a running Lakebox: stores, services and the HTTP front.
type Server struct {
	cfg      Config
	log      *slog.Logger
	clock    *clock.Clock
	db       *meta.DB
	blobs    *blob.Store
	s3       *s3.Service
	glue     *glue.Service
	athena   *athena.Service
	kinesis  *kinesis.Service
	firehose *firehose.Service
	dynamodb *dynamodb.Service
	sql      *sqlengine.Engine
	memDir   string // plaintext of encrypted objects being queried
	// services maps a SigV4 credential-scope service name to its handler.
	services map[string]http.Handler
	verifier *sigv4.Verifier
	metrics  *metrics
	ids      *idGenerator
	// serverHeader is the value of every JSON-protocol response's Server
	// header, one slice for all.
	serverHeader []string

	bg     sync.WaitGroup
	cancel context.CancelFunc
	// kick asks the lifecycle worker for a pass now.
	kick chan struct{}
	// crawlKick asks the schedule worker for a pass now.
	crawlKick chan struct{}
	// streamKick asks the stream retention worker for a pass now.
	streamKick chan struct{}
	// expiryKick asks the DynamoDB expiry worker for a pass now.
	expiryKick chan struct{}
}

// clockKey is where the clock's offset survives restarts.
var clockKey = []byte("lakebox/clock-offset")

// New opens the stores under cfg.DataDir and builds the services.
func New(cfg Config) (*Server, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("server: no data directory")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Wall == nil {
		cfg.Wall = time.Now
	}
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("server: data dir: %w", err)
	}
	mo := meta.DefaultOptions()
	mo.Logger = cfg.Logger
	db, err := meta.Open(filepath.Join(cfg.DataDir, "meta"), mo)
	if err != nil {
		return nil, err
	}
	blobs, err := blob.Open(filepath.Join(cfg.DataDir, "blobs"))
	if err != nil {
		db.Close()
		return nil, err
	}
	offset, err := loadOffset(db)
	if err != nil {
		db.Close()
		return nil, err
	}
	clk := clock.NewFake(cfg.Wall, offset)
	so := s3.DefaultOptions()
	if cfg.MasterKey != "" {
		so.MasterKey, err = seal.ParseKey(cfg.MasterKey)
	} else {
		so.MasterKey, err = seal.LoadOrCreate(filepath.Join(cfg.DataDir, "master.key"))
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("server: master key: %w", err)
	}
	if cfg.InlineMax > 0 {
		so.InlineMax = cfg.InlineMax
	}
	so.Logger = cfg.Logger
	svc, err := s3.New(db, blobs, clk, so)
	if err != nil {
		db.Close()
		return nil, err
	}
	gsvc := glue.New(db, clk, glue.Options{Logger: cfg.Logger, Lake: lake{svc}})
	if err := gsvc.RecoverCrawls(); err != nil {
		db.Close()
		return nil, err
	}
	sqlDir := filepath.Join(cfg.DataDir, "sql")
	// The link farm is a cache of links to object files: rebuilt on demand,
	// so nothing stale (an object deleted while Lakebox was down) survives a
	// restart.
	os.RemoveAll(filepath.Join(sqlDir, "links"))
	os.RemoveAll(filepath.Join(sqlDir, "tmp"))
	for _, d := range []string{"tmp", "links"} {
		if err := os.MkdirAll(filepath.Join(sqlDir, d), 0o755); err != nil {
			db.Close()
			return nil, fmt.Errorf("server: sql dir: %w", err)
		}
	}
	engine, err := sqlengine.Open(sqlengine.Options{MemoryLimit: cfg.SQLMemoryLimit, TempDir: filepath.Join(sqlDir, "tmp")})
	if err != nil {
		db.Close()
		return nil, err
	}
	linkDir := filepath.Join(sqlDir, "links")
	// Plaintext of encrypted objects a query reads goes to memory, never to
	// the disk: a folder on /dev/shm, removed at Close.
	memDir, _ := os.MkdirTemp("/dev/shm", "lakebox-sql-")
	met := newMetrics()
	asvc := athena.New(db, clk, gsvc, objects{s3: svc, linkDir: linkDir, memDir: memDir, unsynced: true}, engine,
		athena.Options{Logger: cfg.Logger, MaxConcurrent: cfg.MaxQueries, PollWait: cfg.AthenaPollWait, LinkDir: linkDir, MemLinkDir: memDir, OnQueryEnd: met.athenaQuery})
	if err := asvc.Recover(); err != nil {
		engine.Close()
		db.Close()
		return nil, err
	}
	ksvc, err := kinesis.New(db, clk, kinesis.Options{Logger: cfg.Logger, Dir: filepath.Join(cfg.DataDir, "streams"), Limits: cfg.KinesisLimits, MasterKey: &so.MasterKey})
	if err != nil {
		asvc.Close()
		engine.Close()
		db.Close()
		return nil, err
	}
	fsvc, err := firehose.New(db, clk, firehose.Options{
		Logger: cfg.Logger, Dir: filepath.Join(cfg.DataDir, "firehose"), MasterKey: &so.MasterKey,
		Lake: objects{s3: svc}, Catalog: firehoseCatalog{gsvc}, Source: firehoseSource{ksvc}, Metrics: firehoseMetrics{met},
	})
	if err != nil {
		ksvc.Close()
		asvc.Close()
		engine.Close()
		db.Close()
		return nil, err
	}
	dsvc, err := dynamodb.New(db, clk, dynamodb.Options{Logger: cfg.Logger, Lake: ddbLake{objects{s3: svc}}, Kinesis: ddbKinesis{ksvc}, MasterKey: &so.MasterKey,
		CollectionLimit: cfg.DynamoDBCollectionLimit})
	if err != nil {
		fsvc.Close()
		ksvc.Close()
		asvc.Close()
		engine.Close()
		db.Close()
		return nil, err
	}
	s := &Server{
		cfg:      cfg,
		log:      cfg.Logger,
		clock:    clk,
		db:       db,
		blobs:    blobs,
		s3:       svc,
		glue:     gsvc,
		athena:   asvc,
		kinesis:  ksvc,
		firehose: fsvc,
		dynamodb: dsvc,
		sql:      engine,
		memDir:   memDir,
		services: map[string]http.Handler{
			"s3":       s3http.New(svc, s3http.Options{Domains: cfg.Domains}),
			"glue":     gluehttp.New(gsvc),
			"athena":   athenahttp.New(asvc),
			"kinesis":  kinesishttp.New(ksvc),
			"firehose": firehosehttp.New(fsvc),
			"dynamodb": ddbhttp.New(dsvc),
		},
		verifier:     sigv4.NewVerifier(auth.NewKeys(cfg.StrictAuth, cfg.Keys...), clk.Wall),
		metrics:      met,
		ids:          newIDGenerator(),
		serverHeader: []string{"Lakebox"},
		kick:         make(chan struct{}, 1),
		crawlKick:    make(chan struct{}, 1),
		streamKick:   make(chan struct{}, 1),
		expiryKick:   make(chan struct{}, 1),
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	if !db.Clean() {
		s.bg.Go(func() { s.reconcile(ctx) })
	}
	s.bg.Go(func() { s.lifecycleWorker(ctx) })
	s.bg.Go(func() { s.scheduleWorker(ctx) })
	s.bg.Go(func() { s.linkSweeper(ctx) })
	s.bg.Go(func() { s.streamWorker(ctx) })
	s.bg.Go(func() { s.expiryWorker(ctx) })
	s.bg.Go(func() { dsvc.PumpKinesis(ctx) })
	return s, nil
}

// every runs pass every interval and whenever kick (which may be nil)
// asks, until ctx ends.
func every(ctx context.Context, interval time.Duration, kick <-chan struct{}, pass func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-kick:
		}
		pass()
	}
}

// lifecycleWorker carries out lifecycle rules every LifecycleInterval and
// whenever the clock is advanced.
func (s *Server) lifecycleWorker(ctx context.Context) {
	interval := s.cfg.LifecycleInterval
	if interval <= 0 {
		interval = time.Minute
	}
	every(ctx, interval, s.kick, func() {
		if st, err := s.s3.RunLifecycle(ctx); err != nil && !errors.Is(err, context.Canceled) {
			s.log.Error("lifecycle pass", "err", err)
		} else if st != (s3.LifecycleStats{Scanned: st.Scanned}) {
			s.log.Info("lifecycle pass", "stats", st)
		}
	})
}

// streamWorker removes stream records past their retention every minute
// and whenever the clock is advanced (reads skip them meanwhile).
func (s *Server) streamWorker(ctx context.Context) {
	every(ctx, time.Minute, s.streamKick, func() {
		if n, err := s.kinesis.Trim(); err != nil {
			s.log.Error("stream retention", "err", err)
		} else if n > 0 {
			s.log.Info("stream retention", "segments", n)
		}
	})
}

// expiryWorker deletes DynamoDB items past their time to live, and stream
// records past their 24 hours, every minute and whenever the clock is
// advanced.
func (s *Server) expiryWorker(ctx context.Context) {
	every(ctx, time.Minute, s.expiryKick, func() {
		if n, err := s.dynamodb.Expire(); err != nil {
			s.log.Error("dynamodb expiry", "err", err)
		} else if n > 0 {
			s.log.Info("dynamodb expiry", "deleted", n)
		}
		if n, err := s.dynamodb.TrimStreams(); err != nil {
			s.log.Error("dynamodb stream retention", "err", err)
		} else if n > 0 {
			s.log.Info("dynamodb stream retention", "streams", n)
		}
		if n, err := s.dynamodb.TrimHistory(); err != nil {
			s.log.Error("dynamodb point-in-time recovery retention", "err", err)
		} else if n > 0 {
			s.log.Info("dynamodb point-in-time recovery retention", "versions", n)
		}
	})
}

// scheduleWorker starts scheduled Glue crawlers when their cron time comes:
// it looks every minute of wall time and at once when the clock is
// advanced.
func (s *Server) scheduleWorker(ctx context.Context) {
	every(ctx, time.Minute, s.crawlKick, func() {
		if n, err := s.glue.RunSchedules(); err != nil {
			s.log.Error("crawler schedules", "err", err)
		} else if n > 0 {
			s.log.Info("crawler schedules", "started", n)
		}
	})
}

// linkSweeper clears the SQL engine's link farm of links to bodies that
// are gone, every ten minutes.
func (s *Server) linkSweeper(ctx context.Context) {
	every(ctx, 10*time.Minute, nil, func() {
		if n, err := s.athena.SweepLinks(); err != nil {
			s.log.Error("sweep query links", "err", err)
		} else if n > 0 {
			s.log.Info("swept query links", "removed", n)
		}
	})
}

func loadOffset(db *meta.DB) (time.Duration, error) {
	v, err := db.Get(clockKey)
	if errors.Is(err, meta.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("server: clock offset %q: %w", v, err)
	}
	return time.Duration(n), nil
}

// reconcile removes blob files orphaned by a crash.
func (s *Server) reconcile(ctx context.Context) {
	n, err := s.s3.Reconcile(ctx)
	if err != nil && !errors.Is(err, context.Canceled) {
		s.log.Error("reconcile blobs after unclean shutdown", "err", err)
		return
	}
	s.log.Info("reconciled blobs after unclean shutdown", "removed", n)
}

// AthenaService returns the Athena service (tests wait on its queries).
func (s *Server) AthenaService() *athena.Service { return s.athena }

// GlueService returns the Glue service (tests wait on its crawls).
func (s *Server) GlueService() *glue.Service { return s.glue }

// Clock returns the server's clock.
func (s *Server) Clock() *clock.Clock { return s.clock }

// AdvanceClock moves server time forward and persists the new offset.
func (s *Server) AdvanceClock(d time.Duration) (time.Time, error) {
	now, err := s.clock.Advance(d)
	if err != nil {
		return time.Time{}, err
	}
	b := s.db.NewBatch()
	b.Set(clockKey, strconv.AppendInt(nil, int64(s.clock.Offset()), 10))
	return now, b.Commit()
}

// kickTimers asks the workers that act on server time (lifecycle, crawler
// schedules, stream retention, DynamoDB expiry, Firehose buffers) for a
// pass now.
func (s *Server) kickTimers() {
	for _, c := range []chan struct{}{s.kick, s.crawlKick, s.streamKick, s.expiryKick} {
		select {
		case c <- struct{}{}:
		default: // a pass is already asked for
		}
	}
	s.firehose.Kick()
}

// Serve answers requests on ln until ctx ends, then stops accepting, lets
// in-flight requests finish (up to 30 seconds) and returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	begun := make(chan struct{}) // closed as the shutdown begins (package shutdown)
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
		BaseContext:       func(net.Listener) context.Context { return shutdown.WithSignal(context.WithoutCancel(ctx), begun) },
		Protocols:         new(http.Protocols),
	}
	// HTTP/1.1, and HTTP/2 without TLS for clients that start with its
	// preface ("prior knowledge"): the AWS SDK for Java sends Kinesis's
	// SubscribeToShard over HTTP/2 only.
	srv.Protocols.SetHTTP1(true)
	srv.Protocols.SetUnencryptedHTTP2(true)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Requests that wait answer now: Athena's polls (for a query's end)
	// and Kinesis's subscriptions (up to five minutes).
	close(begun)
	stop, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(stop); err != nil {
		srv.Close()
		return fmt.Errorf("server: shutdown: %w", err)
	}
	return nil
}

// Close stops background work and closes the stores. Call it after Serve
// has returned.
func (s *Server) Close() error {
	s.cancel()
	s.bg.Wait()
	s.firehose.Close() // before the services it delivers from and to
	s.glue.Close()
	s.athena.Close()
	s.kinesis.Close()
	s.sql.Close()
	if s.memDir != "" {
		os.RemoveAll(s.memDir)
	}
	return s.db.Close()
}

// FirehoseService returns the Firehose service (tests wait on deliveries).
func (s *Server) FirehoseService() *firehose.Service { return s.firehose }
