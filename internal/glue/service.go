package glue

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"log/slog"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/clock"
	"github.com/lakebox/lakebox/internal/storage/meta"
)

// Options tune the service. DefaultOptions gives the values Lakebox runs with.
type Options struct {
	// Logger receives background errors and crawl logs.
	Logger *slog.Logger
	// Lake reads the objects crawlers crawl. Without it crawls fail.
	Lake Lake
}

// DefaultOptions returns the options Lakebox uses unless told otherwise.
func DefaultOptions() Options {
	return Options{Logger: slog.New(slog.DiscardHandler)}
}

// Service is the Glue Data Catalog. It is safe for concurrent use.
type Service struct {
	db    *meta.DB
	clock *clock.Clock
	opts  Options

	seed maphash.Seed
	// catalogMu is held exclusively by database creation and deletion and
	// shared by every other write, so no table is written into a database
	// being dropped.
	catalogMu sync.RWMutex
	// tableLocks serialize the writes to one table (its record, versions,
	// partitions, indexes and statistics).
	tableLocks [64]sync.Mutex
	// crawlerMu serializes changes to crawler records (state, schedule).
	crawlerMu sync.Mutex
	crawls    crawlRunner
}

// New returns a service over db.
func New(db *meta.DB, clk *clock.Clock, opts Options) *Service {
	def := DefaultOptions()
	if opts.Logger == nil {
		opts.Logger = def.Logger
	}
	s := &Service{db: db, clock: clk, opts: opts, seed: maphash.MakeSeed()}
	s.crawls.running = map[string]*run{}
	s.crawls.idle.L = &s.crawls.mu
	s.crawls.ctx, s.crawls.stop = context.WithCancel(context.Background())
	return s
}

// scopeOf returns the caller's (account, region), checking that an explicit
// CatalogId is the caller's own account.
func scopeOf(ctx context.Context, catalogID string) (scope, error) {
	account, region := auth.Scope(ctx)
	if catalogID != "" && catalogID != account {
		return scope{}, ErrAccessDenied.WithMessage("Cross-account access to catalog %s is not supported by Lakebox.", catalogID)
	}
	return scope{account: account, region: region}, nil
}

// lockTable locks the stripe of one table and returns its unlock.
func (s *Service) lockTable(sc scope, db, table string) func() {
	var h maphash.Hash
	h.SetSeed(s.seed)
	h.WriteString(sc.account)
	h.WriteString(sc.region)
	h.WriteString(db)
	h.WriteByte(0)
	h.WriteString(table)
	mu := &s.tableLocks[h.Sum64()%uint64(len(s.tableLocks))]
	mu.Lock()
	return mu.Unlock
}

func (s *Service) getJSON(key []byte, v any) (bool, error) { return s.db.GetJSON(key, v) }

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("glue: encode %T: %v", v, err)) // only plain structs are encoded
	}
	return b
}

// scan calls fn for every key in [lower, upper) in order until fn returns
// false or an error.
func (s *Service) scan(lower, upper []byte, fn func(k, v []byte) (bool, error)) error {
	it, err := s.db.NewIter(lower, upper)
	if err != nil {
		return err
	}
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			it.Close()
			return err
		}
		more, err := fn(it.Key(), v)
		if err != nil {
			it.Close()
			return err
		}
		if !more {
			break
		}
	}
	return it.Close()
}

// Names: Glue lowercases database and table names and limits them to 255
// characters of printable text.
func checkName(what, name string) (string, error) {
	if name == "" {
		return "", invalid("%s name cannot be empty.", what)
	}
	if utf8.RuneCountInString(name) > 255 || !utf8.ValidString(name) {
		return "", invalid("%s name is not valid: it must be 1 to 255 characters of valid UTF-8.", what)
	}
	for _, r := range name {
		if r < 0x20 && r != '\t' {
			return "", invalid("%s name %q is not valid: it contains a control character.", what, name)
		}
	}
	return strings.ToLower(name), nil
}

// Page sizes.
const (
	maxCatalogPage   = 100  // GetDatabases, GetTables, GetTableVersions
	maxPartitionPage = 1000 // GetPartitions, SearchTables
)

func pageSize(max int64, limit int) (int, error) {
	switch {
	case max == 0:
		return limit, nil
	case max < 1 || max > int64(limit):
		return 0, invalid("MaxResults must be between 1 and %d.", limit)
	}
	return int(max), nil
}

// Tokens are opaque to clients: base64 of where the next page starts.
func encodeToken(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func decodeToken(t string) ([]byte, error) {
	b, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil {
		return nil, invalid("The NextToken is not valid.")
	}
	return b, nil
}

func asAWS(err error) (*awserr.Error, bool) { return awserr.As(err) }

func arn(sc scope, resource string) string {
	return "arn:aws:glue:" + sc.region + ":" + sc.account + ":" + resource
}
