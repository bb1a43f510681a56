package dynamodb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/clock"
	"github.com/lakebox/lakebox/internal/storage/meta"
	"github.com/lakebox/lakebox/internal/storage/seal"
)

// Options configure the service.
type Options struct {
	Logger *slog.Logger
	// Lake receives table exports and holds the data of imports.
	Lake Lake
	// Kinesis receives the records of Kinesis streaming destinations.
	Kinesis KinesisSink
	// MasterKey wraps the data keys that seal encrypted tables; without
	// it, encryption with a KMS key is refused.
	MasterKey *seal.Key
	// CollectionLimit is the largest an item collection may grow, in
	// bytes (default DefaultCollectionLimit, DynamoDB's 10 GB).
	CollectionLimit int64
}

// Service is DynamoDB.
type Service struct {
	db    *meta.DB
	clock *clock.Clock
	opts  Options

	mu      sync.RWMutex
	tables  map[tableKey]*table
	streams map[string]*stream // by stream id
	// outboxes hold the records of Kinesis streaming destinations until
	// the pump has put them into Kinesis, by outbox id.
	outboxes map[string]*outbox
	pumpKick chan struct{}

	// iterKey signs stream shard iterators.
	iterKey []byte

	// ring seals the values of encrypted tables (sse.go); nil without a
	// master key.
	ring *seal.Ring

	// itemLocks serialize the read-check-write of conditional writes and
	// updates, striped by item key.
	itemLocks stripes
	// collectionLocks serialize the changes of an item collection's size
	// (collections.go), striped by collection; a writer takes them last,
	// holding its item locks.
	collectionLocks stripes
	// tokenLocks serialize the transactions that carry one
	// ClientRequestToken, striped by token.
	tokenLocks stripes
}

type tableKey struct{ account, region, name string }

// Keys in the meta store (docs/format/dynamodb.md).
var (
	tablePrefix = []byte("ddb\x00t\x00")
	itemPrefix  = []byte("ddb\x00i\x00")
)

func tableDBKey(k tableKey) []byte {
	return []byte(string(tablePrefix) + k.account + "\x00" + k.region + "\x00" + k.name)
}

// New opens the service, loading the table records.
func New(db *meta.DB, clk *clock.Clock, opts Options) (*Service, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.CollectionLimit == 0 {
		opts.CollectionLimit = DefaultCollectionLimit
	}
	s := &Service{db: db, clock: clk, opts: opts, tables: map[tableKey]*table{}, streams: map[string]*stream{},
		outboxes: map[string]*outbox{}, pumpKick: make(chan struct{}, 1),
		itemLocks: make(stripes, 256), collectionLocks: make(stripes, 64), tokenLocks: make(stripes, 64)}
	var err error
	if s.iterKey, err = s.iteratorKey(); err != nil {
		return nil, err
	}
	if err := s.loadRing(); err != nil {
		return nil, err
	}
	if err := s.loadStreams(); err != nil {
		return nil, err
	}
	if err := s.loadOutboxes(); err != nil {
		return nil, err
	}
	if err := eachJSON(db, tablePrefix, func(rec *tableRecord) error {
		s.tables[tableKey{rec.Account, rec.Region, rec.Name}] = newTable(*rec)
		return nil
	}); err != nil {
		return nil, err
	}
	if err := s.removeUnfilled(); err != nil {
		return nil, err
	}
	if err := s.failInterruptedJobs(); err != nil {
		return nil, err
	}
	if err := s.sizeOldCollections(); err != nil {
		return nil, err
	}
	return s, nil
}

type scope struct{ account, region string }

func scopeOf(ctx context.Context) scope {
	account, region := auth.Scope(ctx)
	return scope{account, region}
}

// lookup finds a table by name or ARN.
func (s *Service) lookup(ctx context.Context, name string) (*table, error) {
	sc := scopeOf(ctx)
	if name == "" {
		return nil, modelValidation(nil, "tableName", "not be null")
	}
	if strings.HasPrefix(name, "arn:") {
		// A table of another account or region is not the caller's table
		// of that name.
		region, account, n, ok := tableARN(name)
		if !ok || region != sc.region || account != sc.account {
			return nil, tableNotFound()
		}
		name = n
	}
	s.mu.RLock()
	t, ok := s.tables[tableKey{sc.account, sc.region, name}]
	s.mu.RUnlock()
	if !ok {
		return nil, tableNotFound()
	}
	return t, nil
}

// lockItems locks the stripes of item keys and returns their unlock.
func (s *Service) lockItems(keys ...[]byte) func() { return s.itemLocks.lock(keys...) }

// stripes are mutexes striped by key.
type stripes []sync.Mutex

// lock locks the stripes of keys in stripe order, so that holders of
// several cannot deadlock, and returns their unlock.
func (st stripes) lock(keys ...[]byte) func() {
	held := make([]int, 0, len(keys))
	for _, k := range keys {
		h := uint32(2166136261) // FNV-1a, without a hash.Hash to allocate
		for _, c := range k {
			h = (h ^ uint32(c)) * 16777619
		}
		held = append(held, int(h%uint32(len(st))))
	}
	slices.Sort(held)
	held = slices.Compact(held)
	for _, i := range held {
		st[i].Lock()
	}
	return func() {
		for _, i := range held {
			st[i].Unlock()
		}
	}
}

func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// lockTable read-locks one table, as lockTables does, and returns its
// record, which stays valid until release.
func (s *Service) lockTable(ctx context.Context, name string) (*tableRecord, func(), error) {
	t, err := s.lookup(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	t.mu.RLock()
	if t.deleted {
		t.mu.RUnlock()
		return nil, nil, tableNotFound()
	}
	if !t.rec.global() {
		return &t.rec, t.readUnlock, nil
	}
	// A global table's writer writes for every member: all are locked.
	t.mu.RUnlock()
	release, err := s.readLockAll([]*table{t})
	if err != nil {
		return nil, nil, err
	}
	return &t.rec, release, nil
}

// lockTables read-locks the named tables (in name order, each once) and
// returns their records: writers hold them until they commit, so a
// table's indexes cannot change under a write (UpdateTable write-locks).
func (s *Service) lockTables(ctx context.Context, names ...string) (map[string]tableRecord, func(), error) {
	// Tables are locked once each, in the order of their names, however
	// a request names them (by name or by ARN): a table read-locked twice,
	// or two tables locked in different orders, could deadlock behind a
	// waiting UpdateTable.
	byTable := map[*table][]string{}
	var tables []*table
	for _, name := range names {
		t, err := s.lookup(ctx, name)
		if err != nil {
			return nil, nil, err
		}
		if byTable[t] == nil {
			tables = append(tables, t)
		}
		byTable[t] = append(byTable[t], name)
	}
	// With the other members of global tables, in tableOrder.
	release, err := s.readLockAll(tables)
	if err != nil {
		return nil, nil, err
	}
	recs := make(map[string]tableRecord, len(names))
	for _, t := range tables {
		for _, name := range byTable[t] {
			recs[name] = t.rec
		}
	}
	return recs, release, nil
}
