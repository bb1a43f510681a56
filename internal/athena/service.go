package athena

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/clock"
	"github.com/lakebox/lakebox/internal/glue"
	"github.com/lakebox/lakebox/internal/sqlengine"
	"github.com/lakebox/lakebox/internal/storage/meta"
)

// Objects is what queries need of S3. Calls act with the given account's
// access.
type Objects interface {
	// List calls fn for every object under prefix, in key order.
	List(ctx context.Context, account, bucket, prefix string, fn func(key string, size int64) error) error
	// Link makes an object's current body readable as a file in dir whose
	// name ends in name, and returns its path: the same path for the same
	// body every time. It refuses bodies that are not stored as plaintext.
	Link(ctx context.Context, account, bucket, key, dir, name string) (path string, size int64, err error)
	// Put stores an object. It may return before the object is durable,
	// which the service's next synced commit to its store then makes it:
	// every query's end is one, and nothing reports a query ended before.
	Put(ctx context.Context, account, bucket, key string, body []byte, contentType string) error
}

// Options tune the service. DefaultOptions gives the values Lakebox runs with.
type Options struct {
	Logger *slog.Logger
	// MaxConcurrent is how many queries run at once; more wait QUEUED.
	MaxConcurrent int
	// LinkDir holds the files queries read: links to object bodies, laid
	// out by table and partition, shared by queries and kept between them.
	LinkDir string
	// OnQueryEnd, if set, is told of every query that ends, with the
	// statistics CloudWatch's AWS/Athena metrics carry.
	OnQueryEnd func(QueryStats)
	// MemLinkDir, on a memory-backed file system, holds the plaintext of
	// encrypted bodies queries read; swept like LinkDir.
	MemLinkDir string
	// PollWait is how long GetQueryExecution of a queued or running query
	// waits for the query to end before it answers with the state of the
	// moment (default one second; negative: it answers at once). A client
	// polling in a loop then learns of the end as it happens, not one
	// sleep later.
	PollWait time.Duration
}

// QueryStats are a finished query's metrics, as AWS/Athena publishes them
// (ProcessedBytes, EngineExecutionTime, TotalExecutionTime by WorkGroup,
// QueryState and QueryType).
type QueryStats struct {
	Account, Region string
	WorkGroup       string
	State           string // SUCCEEDED, FAILED, CANCELLED
	Type            string // DML, DDL, UTILITY
	ProcessedBytes  int64
	EngineExecution time.Duration
	TotalExecution  time.Duration
	QueueTime       time.Duration
}

// DefaultOptions returns the options Lakebox uses unless told otherwise.
func DefaultOptions() Options {
	return Options{Logger: slog.New(slog.DiscardHandler), MaxConcurrent: 4, PollWait: time.Second}
}

// Service is Amazon Athena. It is safe for concurrent use.
type Service struct {
	db      *meta.DB
	clock   *clock.Clock
	glue    *glue.Service
	objects Objects
	engine  *sqlengine.Engine
	opts    Options

	macros  prepared      // Trino functions defined in the engine
	sqljson sqlJSON       // json_exists, json_query, json_value
	udfs    udfs          // the other functions written in Go
	footers footerCache   // Parquet column chunk sizes, for DataScannedInBytes
	slots   chan struct{} // one per running query
	// mu guards running and serializes record updates, each held until
	// its batch is durable (see current).
	mu sync.Mutex
	// running holds the queued and running queries.
	running map[string]*active
	// waiting counts GetQueryExecution calls waiting for an end (until
	// the server's shutdown begins: package shutdown).
	waiting atomic.Int64
	wg      sync.WaitGroup
	ctx     context.Context
	stop    context.CancelFunc
}

// New returns a service. Call Recover before serving and Close at the end.
func New(db *meta.DB, clk *clock.Clock, g *glue.Service, objects Objects, engine *sqlengine.Engine, opts Options) *Service {
	def := DefaultOptions()
	if opts.Logger == nil {
		opts.Logger = def.Logger
	}
	if opts.MaxConcurrent <= 0 {
		opts.MaxConcurrent = def.MaxConcurrent
	}
	if opts.PollWait == 0 {
		opts.PollWait = def.PollWait
	}
	s := &Service{db: db, clock: clk, glue: g, objects: objects, engine: engine, opts: opts,
		slots: make(chan struct{}, opts.MaxConcurrent), running: map[string]*active{}}
	s.ctx, s.stop = context.WithCancel(context.Background())
	return s
}

// active is a queued or running query.
type active struct {
	cancel context.CancelFunc
	ended  chan struct{} // closed once the query's end is recorded
}

// Close cancels running queries and waits for them.
func (s *Service) Close() {
	s.stop()
	s.wg.Wait()
}

type scope struct{ account, region string }

func scopeOf(ctx context.Context) scope {
	account, region := auth.Scope(ctx)
	return scope{account, region}
}

// identity is the context a query's catalog and S3 calls run with.
func (sc scope) identity(ctx context.Context) context.Context {
	return auth.WithIdentity(ctx, auth.Identity{Account: sc.account, Region: sc.region})
}

// Key layout (docs/format/athena.md): "athena\x00", a kind byte, "\x00",
// account, region, then names, each ended by "\x00".
const (
	kindWorkGroup  = 'w' // name -> WorkGroup JSON
	kindQuery      = 'q' // id -> queryRecord JSON
	kindList       = 'l' // workgroup, ^submission (8 bytes), id -> empty
	kindRows       = 'r' // id, page (4 bytes) -> JSON rows
	kindToken      = 't' // client request token -> id
	kindNamedQuery = 'n' // named query id -> NamedQuery JSON
	kindPrepared   = 'p' // workgroup, statement name -> PreparedStatement JSON
	kindActive     = 'a' // query id -> empty, while the query is queued or running
)

func (sc scope) key(kind byte, names ...string) []byte {
	k := []byte("athena\x00")
	k = append(k, kind, 0)
	k = append(k, sc.account...)
	k = append(k, 0)
	k = append(k, sc.region...)
	k = append(k, 0)
	for _, n := range names {
		k = append(k, n...)
		k = append(k, 0)
	}
	return k
}

func rowsKey(sc scope, id string, page int) []byte {
	return binary.BigEndian.AppendUint32(sc.key(kindRows, id), uint32(page))
}

func prefixEnd(p []byte) []byte { return meta.PrefixEnd(p) }

func (s *Service) getJSON(key []byte, v any) (bool, error) { return s.db.GetJSON(key, v) }

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("athena: encode %T: %v", v, err))
	}
	return b
}
