package firehose

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/clock"
	"github.com/lakebox/lakebox/internal/storage/meta"
	"github.com/lakebox/lakebox/internal/storage/seal"
	"github.com/lakebox/lakebox/internal/storage/streamlog"
)

// Lake is where delivery writes: Lakebox's S3, with the access of the
// delivery stream's account.
type Lake interface {
	Put(ctx context.Context, account, bucket, key string, body []byte, contentType string) error
}

// Catalog gives the columns of the Glue table that types conversion.
type Catalog interface {
	Columns(ctx context.Context, account, region, database, table string) ([]Column, error)
}

// Source reads the Kinesis stream of a KinesisStreamAsSource delivery
// stream.
type Source interface {
	// Read returns records of the stream after the checkpoint cp (the
	// last sequence number taken, per shard; shards not in cp are read
	// from the records that arrived at or after start), at most max, and
	// the checkpoint that follows them.
	Read(ctx context.Context, account, region, streamARN string, cp map[string]string, start time.Time, max int) ([]SourceRecord, map[string]string, error)
	// Retention is how long the stream keeps its records.
	Retention(ctx context.Context, account, region, streamARN string) (time.Duration, error)
}

// SourceRecord is a record read from a Kinesis stream.
type SourceRecord struct {
	Data     []byte
	Arrival  time.Time
	Sequence string
}

// Metrics receives the counts behind AWS/Firehose's CloudWatch metrics.
type Metrics interface {
	// Incoming counts records put (IncomingRecords, IncomingBytes).
	Incoming(stream string, records, bytes int)
	// Delivered counts an object written: its kind ("data", "error",
	// "backup"), records and bytes (DeliveryToS3.Records, .Bytes).
	Delivered(stream, kind string, records, bytes int)
	// Discarded counts records dropped after their retention ran out
	// while their delivery kept failing.
	Discarded(stream, kind string, records int)
}

// Options configure the service.
type Options struct {
	Logger *slog.Logger
	// Dir holds the delivery streams' buffer logs (DATA_DIR/firehose).
	Dir     string
	Lake    Lake
	Catalog Catalog
	Source  Source
	// MasterKey wraps the data keys of encrypted delivery streams.
	MasterKey *seal.Key
	// Metrics, when set, counts what AWS publishes as CloudWatch metrics.
	Metrics Metrics
	// Wake is how long a worker waits for news before it looks at its
	// buffers again (default one second of wall time).
	Wake time.Duration
	// HTTPClient posts to HTTP endpoint destinations (default: one that
	// follows no redirects, as AWS follows none).
	HTTPClient *http.Client
}

// Service is Amazon Data Firehose.
type Service struct {
	db    *meta.DB
	clock *clock.Clock
	opts  Options

	mu      sync.RWMutex
	streams map[streamKey]*deliveryStream
}

type streamKey struct{ account, region, name string }

// Keys in the meta store (docs/format/firehose.md).
var (
	streamPrefix   = []byte("firehose\x00s\x00")
	progressPrefix = []byte("firehose\x00p\x00")
	sourcePrefix   = []byte("firehose\x00k\x00")
)

func (k streamKey) suffix() string { return k.account + "\x00" + k.region + "\x00" + k.name }

func dbKey(prefix []byte, k streamKey) []byte { return []byte(string(prefix) + k.suffix()) }

// streamRecord is a delivery stream as stored.
type streamRecord struct {
	Account, Region, Name string
	ID                    string // names its buffer log's folder
	Type                  string
	Status                string
	Version               int
	Created, Updated      int64                             // Unix ms
	Source                *KinesisStreamSourceConfiguration `json:",omitempty"`
	// DeliveryStart is when reading the source began (Unix ms).
	DeliveryStart int64                 `json:",omitempty"`
	Destination   ExtendedS3Destination // normalized
	// HTTP is the HTTP endpoint destination, when that is the stream's
	// destination (normalized); Destination is then what goes to S3.
	HTTP *HTTPEndpointDestination `json:",omitempty"`
	// Plain is whether the destination was made as S3DestinationConfiguration.
	Plain      bool              `json:",omitempty"`
	Tags       []Tag             `json:",omitempty"`
	Encryption *encryptionRecord `json:",omitempty"`
}

func (r *streamRecord) arn() string {
	return fmt.Sprintf("arn:aws:firehose:%s:%s:deliverystream/%s", r.Region, r.Account, r.Name)
}

// deliveryStream is a delivery stream at run time: its record, its buffer
// log and its delivery worker.
type deliveryStream struct {
	key streamKey
	log *streamlog.Log

	mu  sync.RWMutex
	rec streamRecord
	// keys seal records while encryption is on and open the records
	// sealed before (nil if the stream was never encrypted).
	keys *seal.Ring

	// settled is the worker's state after its last pass: where it had
	// read the log to, and whether it held undelivered buffers.
	settled atomic.Pointer[settledState]

	kick     chan struct{} // asks the worker for a pass now
	quit     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

type settledState struct {
	cursor   uint64
	buffered bool
}

// Settled reports whether every record put into a delivery stream so far
// has been delivered (tests wait for it instead of for time to pass).
func (s *Service) Settled(account, region, name string) (bool, error) {
	s.mu.RLock()
	ds, ok := s.streams[streamKey{account, region, name}]
	s.mu.RUnlock()
	if !ok {
		return false, notFound(name, account)
	}
	st := ds.settled.Load()
	return st != nil && !st.buffered && st.cursor >= ds.log.Next(), nil
}

// New opens the service and starts a delivery worker for every stream.
func New(db *meta.DB, clk *clock.Clock, opts Options) (*Service, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Wake <= 0 {
		opts.Wake = time.Second
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("firehose: %w", err)
	}
	s := &Service{db: db, clock: clk, opts: opts, streams: map[streamKey]*deliveryStream{}}
	it, err := db.NewIter(streamPrefix, meta.PrefixEnd(streamPrefix))
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for it.First(); it.Valid(); it.Next() {
		v, err := it.Value()
		if err == nil {
			var rec streamRecord
			if err = json.Unmarshal(v, &rec); err == nil {
				ids[rec.ID] = true
				err = s.start(rec)
			}
		}
		if err != nil {
			it.Close()
			s.Close()
			return nil, fmt.Errorf("firehose: open %q: %w", it.Key(), err)
		}
	}
	if err := it.Close(); err != nil {
		s.Close()
		return nil, err
	}
	// A crash between deleting a stream's record and its folder leaves
	// the folder.
	entries, _ := os.ReadDir(opts.Dir)
	for _, e := range entries {
		if !ids[e.Name()] {
			os.RemoveAll(filepath.Join(opts.Dir, e.Name()))
		}
	}
	return s, nil
}

// start opens a stream's log and starts its workers.
func (s *Service) start(rec streamRecord) error {
	log, err := streamlog.Open(filepath.Join(s.opts.Dir, rec.ID), streamlog.Options{})
	if err != nil {
		return err
	}
	ds := &deliveryStream{
		key: streamKey{rec.Account, rec.Region, rec.Name}, log: log, rec: rec,
		kick: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{}),
	}
	if rec.Encryption != nil && len(rec.Encryption.Keys) > 0 {
		ds.keys = seal.NewRing(s.opts.MasterKey, []byte(rec.ID), rec.Encryption.Keys)
	}
	w, err := s.newWorker(ds)
	if err != nil {
		log.Close()
		return err
	}
	s.mu.Lock()
	s.streams[ds.key] = ds
	s.mu.Unlock()
	go w.run()
	return nil
}

// record returns the stream's record as it is now.
func (ds *deliveryStream) record() streamRecord {
	ds.mu.RLock()
	defer ds.mu.RUnlock()
	return ds.rec
}

// stop ends a stream's workers and closes its log.
func (ds *deliveryStream) stop() {
	ds.stopOnce.Do(func() {
		close(ds.quit)
		<-ds.done
		ds.log.Close()
	})
}

// Close stops every worker and closes the logs. Records not yet
// delivered stay in the logs for the next start.
func (s *Service) Close() error {
	s.mu.Lock()
	streams := s.streams
	s.streams = map[streamKey]*deliveryStream{}
	s.mu.Unlock()
	for _, ds := range streams {
		ds.stop()
	}
	return nil
}

// Kick asks every worker for a pass now: the clock moved.
func (s *Service) Kick() {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, ds := range s.streams {
		select {
		case ds.kick <- struct{}{}:
		default:
		}
	}
}

type scope struct{ account, region string }

func scopeOf(ctx context.Context) scope {
	account, region := auth.Scope(ctx)
	return scope{account, region}
}

// lookup finds a delivery stream by name.
func (s *Service) lookup(ctx context.Context, name string) (*deliveryStream, error) {
	if !namePattern.MatchString(name) {
		return nil, validation(name, "deliveryStreamName", "satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
	}
	sc := scopeOf(ctx)
	s.mu.RLock()
	ds, ok := s.streams[streamKey{sc.account, sc.region, name}]
	s.mu.RUnlock()
	if !ok {
		return nil, notFound(name, sc.account)
	}
	return ds, nil
}

// save stores a stream's record, synced.
func (s *Service) save(rec *streamRecord) error {
	v, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	b := s.db.NewBatch()
	b.Set(dbKey(streamPrefix, streamKey{rec.Account, rec.Region, rec.Name}), v)
	return b.Commit()
}

// update changes a stream's record durably; ds.mu is held.
func (s *Service) update(ds *deliveryStream, change func(*streamRecord)) error {
	rec := ds.rec
	change(&rec)
	rec.Updated = s.clock.Now().UnixMilli()
	if err := s.save(&rec); err != nil {
		return err
	}
	ds.rec = rec
	select {
	case ds.kick <- struct{}{}:
	default:
	}
	return nil
}

func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// splitARN returns the parts of arn:aws:<service>:<region>:<account>:<resource>.
func splitARN(arn, service string) (region, account, resource string, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || !strings.HasPrefix(parts[1], "aws") || parts[2] != service {
		return "", "", "", false
	}
	return parts[3], parts[4], parts[5], true
}
