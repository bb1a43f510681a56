package meta

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/bloom"
	"github.com/cockroachdb/pebble/v2/vfs"
)

// ErrNotFound is returned by Get for a key that does not exist.
var ErrNotFound = errors.New("meta: not found")

// cleanKey is present while no process has the store open: Open deletes it
// (durably) and Close writes it back. Its absence at Open means the previous
// process crashed. The 0x00 prefix is reserved for the store itself.
var cleanKey = []byte("\x00clean-shutdown")

// Options tune the store. DefaultOptions gives the values Lakebox runs with.
type Options struct {
	// CacheSize is the block cache size in bytes.
	CacheSize int64
	// MemTableSize is the size of one memtable in bytes.
	MemTableSize uint64
	// Logger receives Pebble's messages (at debug level) and errors.
	Logger *slog.Logger
	// WALMinSyncInterval is the least time between two syncs of the
	// write-ahead log while two or more writers are committing. Writers that
	// arrive within it after a sync wait for the next one together, so
	// concurrent writers share more of each fdatasync; a writer alone, or
	// one that comes after a quiet spell, is not delayed.
	// On two cores, an interval cut the server's CPU per durable DynamoDB
	// PutItem by about a sixth under 16 writers against none; 250–350µs
	// beat 125µs and 500µs, and 500µs beat 1ms (docs/benchmarks.md,
	// DynamoDB).
	WALMinSyncInterval time.Duration
}

// DefaultOptions returns the options Lakebox uses unless told otherwise.
func DefaultOptions() Options {
	return Options{CacheSize: 128 << 20, MemTableSize: 16 << 20, Logger: slog.New(slog.DiscardHandler), WALMinSyncInterval: 300 * time.Microsecond}
}

// walZeroChunk is how many bytes of zeros a write-ahead log is given at a
// time, as Pebble's appends reach its end (see zeroedWALs).
const walZeroChunk = 1 << 20

// DB is an open store. It is safe for concurrent use.
type DB struct {
	db    *pebble.DB
	clean bool
	// commits counts the batches committed since Open (Commits).
	commits atomic.Uint64
	// syncing counts the writers in a synced commit (Batch.Commit, Sync):
	// the sync interval applies only when there are two or more.
	syncing *atomic.Int32
}

// Open opens or creates the store in dir.
func Open(dir string, opts Options) (*DB, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	cache := pebble.NewCache(opts.CacheSize)
	defer cache.Unref()
	po := &pebble.Options{
		Cache:        cache,
		MemTableSize: opts.MemTableSize,
		FS:           zeroedWALs{FS: vfs.Default, chunk: walZeroChunk},
		Logger:       pebbleLogger{opts.Logger},
		// The newest format, which value separation needs.
		FormatMajorVersion: pebble.FormatValueSeparation,
	}
	// Every point read (a PUT's look at the key's current version, a GET, a
	// GetItem) opens each L0 sublevel overlapping its key. Compacting L0 at
	// two sublevels rather than Pebble's four keeps that short, and
	// compactions are cheap since bodies sit in blob files they pass by
	// reference. In three alternating 15 s runs of s3bench, small PUTs
	// averaged 5,250 ops/s at 190 µs of CPU against 4,950 at 202 µs (within
	// this machine's noise, but never worse); at one sublevel the extra
	// compactions cost more than the reads saved.
	po.L0CompactionThreshold = 2
	syncing := new(atomic.Int32)
	if d := opts.WALMinSyncInterval; d > 0 {
		// Waiting pays only when other writers are there to share the
		// sync. Pebble asks as each sync ends, when the writers it synced
		// are usually still counted (one that has already returned makes
		// the answer 0: a chance to batch missed, never a sync lost). A
		// lone writer (a script putting items one at a time) counts one,
		// and its next commit is synced at once rather than after the
		// interval, which Go's timer stretches to a millisecond in a
		// process with little to do.
		po.WALMinSyncInterval = func() time.Duration {
			if syncing.Load() > 1 {
				return d
			}
			return 0
		}
	}
	// Small object bodies are most of the store's bytes. Value separation
	// writes them once into blob files that compactions then pass by
	// reference, instead of rewriting every body at every level: about a
	// fifth of the CPU a small PUT costs went into those rewrites.
	po.Experimental.ValueSeparationPolicy = func() pebble.ValueSeparationPolicy {
		return pebble.ValueSeparationPolicy{
			Enabled:               true,
			MinimumSize:           512,
			MaxBlobReferenceDepth: 10,
			RewriteMinimumAge:     5 * time.Minute,
			TargetGarbageRatio:    0.2,
		}
	}
	// Bloom filters make a Get of a missing key (a PUT of a new object, a
	// HEAD that misses) skip sstables instead of seeking into each.
	for i := range po.Levels {
		po.Levels[i].FilterPolicy = bloom.FilterPolicy(10)
	}
	// Most of the store's bytes are small object bodies, which are usually
	// compressed or random already: compressing them costs CPU on every
	// flush, compaction and read and saves little.
	po.ApplyCompressionSettings(func() pebble.DBCompressionSettings { return pebble.DBCompressionNone })
	db, err := pebble.Open(dir, po)
	if err != nil {
		return nil, fmt.Errorf("meta: open %s: %w", dir, err)
	}
	d := &DB{db: db, syncing: syncing}
	// A new store counts as clean: there is nothing to reconcile.
	empty, err := d.isEmpty()
	if err != nil {
		db.Close()
		return nil, err
	}
	_, err = d.Get(cleanKey)
	d.clean = empty || err == nil
	if err := db.Delete(cleanKey, pebble.Sync); err != nil {
		db.Close()
		return nil, fmt.Errorf("meta: clear clean-shutdown mark: %w", err)
	}
	return d, nil
}

func (d *DB) isEmpty() (bool, error) {
	it, err := d.db.NewIter(nil)
	if err != nil {
		return false, fmt.Errorf("meta: iterate: %w", err)
	}
	defer it.Close()
	return !it.First(), nil
}

// Clean reports whether the previous process closed the store cleanly (or it
// was created by this Open). After a crash it is false.
func (d *DB) Clean() bool { return d.clean }

// Close marks a clean shutdown and closes the store. Callers must have
// finished every write that references files outside the store.
func (d *DB) Close() error {
	if err := d.db.Set(cleanKey, nil, pebble.Sync); err != nil {
		d.db.Close()
		return fmt.Errorf("meta: mark clean shutdown: %w", err)
	}
	return d.db.Close()
}

// Get returns a copy of the value stored at key, or ErrNotFound.
func (d *DB) Get(key []byte) ([]byte, error) {
	v, closer, err := d.db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("meta: get: %w", err)
	}
	out := bytes.Clone(v)
	closer.Close()
	return out, nil
}

// Has reports whether key exists.
func (d *DB) Has(key []byte) (bool, error) {
	_, closer, err := d.db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("meta: get: %w", err)
	}
	closer.Close()
	return true, nil
}

// Commits returns how many batches have been committed since the store was
// opened, each counted once its writes are visible. Every write goes
// through a batch, so a count that has not moved means the store holds
// what it held when the count was read before: what was computed from it
// then still stands.
func (d *DB) Commits() uint64 { return d.commits.Load() }

// Batch is a set of writes committed atomically and durably.
type Batch struct {
	b *pebble.Batch
	d *DB
}

// NewBatch returns an empty batch. Commit or Close releases it; a Close
// after either does nothing, so a deferred Close is safe.
func (d *DB) NewBatch() *Batch { return &Batch{b: d.db.NewBatch(), d: d} }

// Set records key = value. The batch copies both.
func (b *Batch) Set(key, value []byte) { b.b.Set(key, value, nil) }

// Delete records the removal of key.
func (b *Batch) Delete(key []byte) { b.b.Delete(key, nil) }

// DeleteRange records the removal of every key in [start, end).
func (b *Batch) DeleteRange(start, end []byte) { b.b.DeleteRange(start, end, nil) }

// Empty reports whether the batch holds no writes.
func (b *Batch) Empty() bool { return b.b.Empty() }

// Commit applies the batch atomically and returns once it is durable. The
// batch is released either way.
func (b *Batch) Commit() error {
	defer b.Close()
	b.d.syncing.Add(1)
	defer b.d.syncing.Add(-1)
	if err := b.b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("meta: commit: %w", err)
	}
	b.d.commits.Add(1) // after the commit: a count read before it must not stand for it
	return nil
}

// CommitUnsynced applies the batch atomically without waiting for it to be
// durable: a crash may lose it (but nothing committed before it). For
// bookkeeping that is cheap to lose, such as access times.
func (b *Batch) CommitUnsynced() error {
	defer b.Close()
	if err := b.b.Commit(pebble.NoSync); err != nil {
		return fmt.Errorf("meta: commit: %w", err)
	}
	b.d.commits.Add(1)
	return nil
}

// Sync returns once every batch committed before it, synced or not, is
// durable. A writer that must answer only after its write is durable, but
// has work to start meanwhile, commits unsynced, starts that work, then
// calls Sync.
func (d *DB) Sync() error {
	// The write-ahead log is one sequence: syncing a record of no data
	// syncs everything written before it.
	d.syncing.Add(1)
	defer d.syncing.Add(-1)
	if err := d.db.LogData(nil, pebble.Sync); err != nil {
		return fmt.Errorf("meta: sync: %w", err)
	}
	return nil
}

// Close releases the batch (Pebble reuses it: releasing it twice would
// hand it to two writers).
func (b *Batch) Close() {
	if b.b != nil {
		b.b.Close()
		b.b = nil
	}
}

// Iter walks keys in [lower, upper) in order. The key and value slices are
// valid until the next positioning call.
type Iter struct{ it *pebble.Iterator }

// NewIter returns an iterator over [lower, upper); nil bounds are open.
// The caller must Close it.
func (d *DB) NewIter(lower, upper []byte) (*Iter, error) {
	it, err := d.db.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: upper})
	if err != nil {
		return nil, fmt.Errorf("meta: iterate: %w", err)
	}
	return &Iter{it: it}, nil
}

// First moves to the first key; it reports whether one exists.
func (i *Iter) First() bool { return i.it.First() }

// SeekGE moves to the first key >= key.
func (i *Iter) SeekGE(key []byte) bool { return i.it.SeekGE(key) }

// Next moves to the next key.
func (i *Iter) Next() bool { return i.it.Next() }

// Last moves to the last key; it reports whether one exists.
func (i *Iter) Last() bool { return i.it.Last() }

// SeekLT moves to the last key < key.
func (i *Iter) SeekLT(key []byte) bool { return i.it.SeekLT(key) }

// Prev moves to the previous key.
func (i *Iter) Prev() bool { return i.it.Prev() }

// Valid reports whether the iterator is at a key.
func (i *Iter) Valid() bool { return i.it.Valid() }

// Err is the error that ended the iteration early, if one did.
func (i *Iter) Err() error { return i.it.Error() }

// Key returns the current key.
func (i *Iter) Key() []byte { return i.it.Key() }

// Value returns the current value.
func (i *Iter) Value() ([]byte, error) {
	v, err := i.it.ValueAndErr()
	if err != nil {
		return nil, fmt.Errorf("meta: value: %w", err)
	}
	return v, nil
}

// Close releases the iterator and reports any error met while iterating.
//
// Closing again does nothing: a Pebble iterator goes back to a pool when
// closed, and a second Close could close whoever took it next.
func (i *Iter) Close() error {
	if i.it == nil {
		return nil
	}
	it := i.it
	i.it = nil
	if err := it.Close(); err != nil {
		return fmt.Errorf("meta: iterate: %w", err)
	}
	return nil
}

type pebbleLogger struct{ l *slog.Logger }

func (p pebbleLogger) Infof(format string, args ...any) {
	p.l.Debug(fmt.Sprintf(format, args...), "component", "pebble")
}

func (p pebbleLogger) Errorf(format string, args ...any) {
	p.l.Error(fmt.Sprintf(format, args...), "component", "pebble")
}

func (p pebbleLogger) Fatalf(format string, args ...any) {
	// Pebble calls Fatalf for unrecoverable corruption; it expects no return.
	panic(fmt.Sprintf("pebble: "+format, args...))
}

// PrefixEnd returns the first key after every key that starts with p: the
// exclusive upper bound of p's range (nil when there is none).
func PrefixEnd(p []byte) []byte {
	end := append([]byte(nil), p...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// GetJSON decodes the JSON value stored at key into v; it reports false
// for a missing key.
func (d *DB) GetJSON(key []byte, v any) (bool, error) {
	b, err := d.Get(key)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("meta: decode %q: %w", key, err)
	}
	return true, nil
}
