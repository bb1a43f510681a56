package kinesis

import (
	"cmp"
	"context"
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/clock"
	"github.com/lakebox/lakebox/internal/storage/meta"
	"github.com/lakebox/lakebox/internal/storage/seal"
	"github.com/lakebox/lakebox/internal/storage/streamlog"
)

// Options configure the service.
type Options struct {
	Logger *slog.Logger
	// Dir holds the streams' logs (DATA_DIR/streams).
	Dir string
	// ShardLimit bounds the open shards of an account in a region
	// (default 500, AWS's default quota).
	ShardLimit int
	// SegmentSize is the size of a log segment (default streamlog's).
	SegmentSize int64
	// MasterKey wraps the data keys of encrypted streams.
	MasterKey *seal.Key
	// Limits enforces AWS's per-shard throughput (1 MiB/s and 1,000
	// records/s in; 2 MiB/s and 5 GetRecords/s out) with
	// ProvisionedThroughputExceededException. Off by default.
	Limits bool
}

// Service is Kinesis Data Streams.
type Service struct {
	db    *meta.DB
	clock *clock.Clock
	opts  Options
	key   []byte // signs iterators

	mu      sync.RWMutex
	streams map[streamKey]*stream
	byID    map[string]*stream

	limits limiter // used when opts.Limits

	subsMu sync.Mutex
	subs   map[string]bool // consumer ARN and shard of each subscription

	// readBufs are buffers GetRecords responses gave back, for the next
	// ones to read into.
	readBufs chan []byte
}

type streamKey struct{ account, region, name string }

// stream is an open stream: its record and its log.
type stream struct {
	// mu guards rec and route. Writers of records hold it shared from
	// routing to the end of the append, so resharding (which holds it
	// exclusively) closes a shard at a position no record passes.
	mu    sync.RWMutex
	rec   streamRecord
	route router
	log   *streamlog.Log
	// key and id never change: they are read without mu.
	key streamKey
	id  string

	// ciphers holds the stream's data keys, unwrapped, by index (a data
	// key never changes once made).
	ciphersMu sync.Mutex
	ciphers   map[int]cipher.AEAD
}

// streamRecord is a stream as stored.
type streamRecord struct {
	Name           string            `json:"name"`
	ID             string            `json:"id"` // names the log's folder
	Account        string            `json:"account"`
	Region         string            `json:"region"`
	Mode           string            `json:"mode"`
	RetentionHours int               `json:"retentionHours"`
	Created        int64             `json:"created"` // Unix ms
	Shards         []shardRecord     `json:"shards"`
	Tags           map[string]string `json:"tags,omitempty"`
	Metrics        []string          `json:"metrics,omitempty"` // enhanced monitoring
	Consumers      []consumerRecord  `json:"consumers,omitempty"`
	Encryption     encryptionRecord  `json:"encryption"`
	// Expired is a time (Unix ms) before which every record is gone: a
	// record past the retention period stays gone when the period grows.
	Expired int64 `json:"expired,omitempty"`
	// MaxRecordKiB is the largest record's data the stream takes, in KiB
	// (0 for the default, 1024).
	MaxRecordKiB int `json:"maxRecordKiB,omitempty"`
}

// maxRecordKiB is the stream's record size limit in KiB.
func (r *streamRecord) maxRecordKiB() int { return cmp.Or(r.MaxRecordKiB, minRecordSizeKiB) }

// maxRecordData is the stream's record size limit in bytes.
func (st *stream) maxRecordData() int {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.rec.maxRecordKiB() << 10
}

// horizon is the arrival time before which records are gone, at now.
func (r *streamRecord) horizon(now int64) int64 {
	return max(r.Expired, now-int64(r.RetentionHours)*int64(time.Hour/time.Millisecond))
}

func (r *streamRecord) arn() string {
	return fmt.Sprintf("arn:aws:kinesis:%s:%s:stream/%s", r.Region, r.Account, r.Name)
}

func (r *streamRecord) openShards() int {
	n := 0
	for i := range r.Shards {
		if r.Shards[i].open() {
			n++
		}
	}
	return n
}

func (r *streamRecord) shard(index int) *shardRecord {
	if index < 0 || index >= len(r.Shards) {
		return nil
	}
	return &r.Shards[index]
}

// Key layout (docs/format/kinesis.md): "kinesis\x00s\x00" account "\x00"
// region "\x00" name -> streamRecord JSON; "kinesis\x00k" -> the iterator
// key.
var (
	streamPrefix = []byte("kinesis\x00s\x00")
	iteratorKey  = []byte("kinesis\x00k")
)

func streamDBKey(k streamKey) []byte {
	return []byte(string(streamPrefix) + k.account + "\x00" + k.region + "\x00" + k.name)
}

// New opens the service: every stream's log is opened, and the folders of
// streams no longer in the catalog are removed.
func New(db *meta.DB, clk *clock.Clock, opts Options) (*Service, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.ShardLimit <= 0 {
		opts.ShardLimit = 500
	}
	s := &Service{db: db, clock: clk, opts: opts, streams: map[streamKey]*stream{}, byID: map[string]*stream{},
		readBufs: make(chan []byte, 8)}
	key, err := db.Get(iteratorKey)
	if errors.Is(err, meta.ErrNotFound) {
		key = make([]byte, 32)
		rand.Read(key)
		b := db.NewBatch()
		b.Set(iteratorKey, key)
		err = b.Commit()
	}
	if err != nil {
		return nil, fmt.Errorf("kinesis: iterator key: %w", err)
	}
	s.key = key
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("kinesis: %w", err)
	}
	it, err := db.NewIter(streamPrefix, meta.PrefixEnd(streamPrefix))
	if err != nil {
		return nil, err
	}
	for it.First(); it.Valid(); it.Next() {
		v, err := it.Value()
		if err != nil {
			it.Close()
			s.Close()
			return nil, err
		}
		var rec streamRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			it.Close()
			s.Close()
			return nil, fmt.Errorf("kinesis: stream record %q: %w", it.Key(), err)
		}
		st, err := s.openStream(rec)
		if err != nil {
			it.Close()
			s.Close()
			return nil, err
		}
		s.register(st)
	}
	if err := it.Close(); err != nil {
		s.Close()
		return nil, err
	}
	// A crash between deleting a stream's record and its folder leaves
	// the folder.
	entries, _ := os.ReadDir(opts.Dir)
	for _, e := range entries {
		if _, ok := s.byID[e.Name()]; !ok {
			os.RemoveAll(filepath.Join(opts.Dir, e.Name()))
		}
	}
	return s, nil
}

// openStream opens a stream's log.
func (s *Service) openStream(rec streamRecord) (*stream, error) {
	log, err := streamlog.Open(filepath.Join(s.opts.Dir, rec.ID), streamlog.Options{SegmentSize: s.opts.SegmentSize})
	if err != nil {
		return nil, fmt.Errorf("kinesis: stream %s: %w", rec.Name, err)
	}
	return &stream{rec: rec, route: newRouter(rec.Shards), log: log, key: streamKey{rec.Account, rec.Region, rec.Name}, id: rec.ID}, nil
}

// register makes a stream reachable; s.mu is held.
func (s *Service) register(st *stream) {
	s.streams[st.key] = st
	s.byID[st.id] = st
}

// Close closes every stream's log.
func (s *Service) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.streams {
		st.log.Close()
	}
	s.streams, s.byID = map[streamKey]*stream{}, map[string]*stream{}
	return nil
}

type scope struct{ account, region string }

func scopeOf(ctx context.Context) scope {
	account, region := auth.Scope(ctx)
	return scope{account, region}
}

var streamNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_.-]{1,128}$`)

// lookup finds a stream by name or ARN (one of them must be given).
func (s *Service) lookup(ctx context.Context, name, arn string) (*stream, error) {
	sc := scopeOf(ctx)
	if arn != "" {
		region, account, n, ok := parseStreamARN(arn)
		if !ok {
			return nil, validation(arn, "streamARN", "satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+")
		}
		if name != "" && name != n {
			return nil, invalidArg("StreamARN %s and StreamName %s name different streams.", arn, name)
		}
		if account != sc.account || region != sc.region {
			return nil, notFound(n, account)
		}
		name = n
	}
	if name == "" {
		return nil, invalidArg("Either StreamName or StreamARN should be provided.")
	}
	if !streamNamePattern.MatchString(name) {
		return nil, validation(name, "streamName", "satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
	}
	s.mu.RLock()
	st, ok := s.streams[streamKey{sc.account, sc.region, name}]
	s.mu.RUnlock()
	if !ok {
		return nil, notFound(name, sc.account)
	}
	return st, nil
}

// parseStreamARN reads arn:aws:kinesis:<region>:<account>:stream/<name>.
func parseStreamARN(arn string) (region, account, name string, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || !strings.HasPrefix(parts[1], "aws") || parts[2] != "kinesis" {
		return "", "", "", false
	}
	name, ok = strings.CutPrefix(parts[5], "stream/")
	if !ok || len(parts[4]) != 12 {
		return "", "", "", false
	}
	return parts[3], parts[4], name, streamNamePattern.MatchString(name)
}

// save stores a stream's record, synced.
func (s *Service) save(rec *streamRecord) error {
	v, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	b := s.db.NewBatch()
	b.Set(streamDBKey(streamKey{rec.Account, rec.Region, rec.Name}), v)
	return b.Commit()
}

func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Service) nowMs() int64 { return s.clock.Now().UnixMilli() }

// Trim removes records past every stream's retention and returns how many
// segments it removed. Reads skip such records anyway; this frees the disk.
func (s *Service) Trim() (int, error) {
	s.mu.RLock()
	var streams []*stream
	for _, st := range s.streams {
		streams = append(streams, st)
	}
	s.mu.RUnlock()
	total := 0
	for _, st := range streams {
		st.mu.RLock()
		cutoff := st.rec.horizon(s.nowMs())
		st.mu.RUnlock()
		n, err := st.log.Trim(cutoff)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}
