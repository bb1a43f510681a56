package dynamodb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/lakebox/lakebox/internal/storage/meta"
)

// Item collections: on a table with local secondary indexes, the items
// that share a partition key value, with their entries in those indexes.
// DynamoDB caps a collection at 10 GB (ItemCollectionSizeLimitExceeded-
// Exception for a write that would grow one past it) and, for
// ReturnItemCollectionMetrics SIZE, tells a writer how large the
// collection it wrote to has grown, as a range of whole gigabytes.
//
// A collection's size is the sizes of its items, and of each of their
// local index entries (the attributes the index projects, keys included)
// plus the 100 bytes of overhead DynamoDB counts per index entry. Lakebox
// keeps each collection's size in the store, changed in the batch that
// changes the collection: a write knows the item it replaces, so what it
// adds is known before it commits, and the limit and the metrics cost one
// read rather than a scan of the collection.

// ItemCollectionMetrics is the estimated size of one item collection.
type ItemCollectionMetrics struct {
	ItemCollectionKey   Item      `json:"ItemCollectionKey"`
	SizeEstimateRangeGB []float64 `json:"SizeEstimateRangeGB"`
}

// DefaultCollectionLimit is DynamoDB's limit on an item collection.
const DefaultCollectionLimit = 10 << 30

// indexEntryOverhead is what DynamoDB adds to the size of every secondary
// index entry, local or global.
const indexEntryOverhead = 100

// collectionPrefix keys the sizes of item collections:
// collectionPrefix, the table's data id, 0x00, the partition key value
// (appendKeyPart) → the size in bytes, a big-endian u64. A collection of
// size 0 has no key.
var collectionPrefix = []byte("ddb\x00c\x00")

func collectionTablePrefix(dataID string) []byte {
	return []byte(string(collectionPrefix) + dataID + "\x00")
}

// checkCollectionMetrics refuses a ReturnItemCollectionMetrics outside its
// enum.
func checkCollectionMetrics(mode string) error {
	switch mode {
	case "", "NONE", "SIZE":
		return nil
	}
	return modelValidation(mode, "returnItemCollectionMetrics", "satisfy enum value set: [SIZE, NONE]")
}

// hasLocalIndexes tells whether the table's items form item collections.
func (r *tableRecord) hasLocalIndexes() bool {
	return slices.ContainsFunc(r.Indexes, func(ix indexRecord) bool { return !ix.Global })
}

// collectionKey is where the size of the collection of item (an item or
// its key) is kept.
func (r *tableRecord) collectionKey(item Item) []byte {
	hash, _ := r.keyNames()
	v := item[hash]
	return appendKeyPart(collectionTablePrefix(r.dataID()), &v)
}

// collectionShare is what item (nil for none) adds to the size of its
// collection: its own size and its local index entries'.
func (r *tableRecord) collectionShare(item Item) int64 {
	if item == nil {
		return 0
	}
	n := itemSize(item)
	for i := range r.Indexes {
		if ix := &r.Indexes[i]; !ix.Global && r.indexes(ix, item) {
			n += itemSize(r.projectIndex(ix, item)) + indexEntryOverhead
		}
	}
	return int64(n)
}

// resize adds to w the change in size of the collection of an item going
// from old to item (either may be nil, not both), on a table with local
// indexes.
func (w *writeBatch) resize(r *tableRecord, old, item Item) {
	if !r.hasLocalIndexes() || old == nil && item == nil {
		return
	}
	if w.grown == nil {
		w.grown = map[string]int64{}
	}
	key := item
	if key == nil {
		key = old
	}
	w.grown[string(r.collectionKey(key))] += r.collectionShare(item) - r.collectionShare(old)
}

// collectionFullError is the commit's refusal of a batch that would grow
// a collection past the limit: DynamoDB's error, and the key of the
// collection for a transaction to name the actions that grew it.
type collectionFullError struct{ key string }

func (e *collectionFullError) Error() string { return ErrCollectionSizeLimit.Error() }
func (e *collectionFullError) Unwrap() error { return ErrCollectionSizeLimit }

// sizeCollections adds to w's batch the new sizes of the collections it
// changes, under their locks, which it returns the release of: the caller
// holds them until the batch has committed (or been dropped). A
// collection that would grow past the limit fails it.
func (w *writeBatch) sizeCollections() (func(), error) {
	keys := make([][]byte, 0, len(w.grown))
	for k := range w.grown {
		keys = append(keys, []byte(k))
	}
	unlock := w.s.collectionLocks.lock(keys...)
	w.sizes = make(map[string]int64, len(w.grown))
	for _, k := range keys {
		was, err := w.s.storedCollectionSize(k)
		if err != nil {
			unlock()
			return nil, err
		}
		d := w.grown[string(k)]
		size := was + d
		if d > 0 && size > w.s.opts.CollectionLimit {
			unlock()
			return nil, &collectionFullError{key: string(k)}
		}
		if d != 0 {
			putCollectionSize(w.b, k, size)
		}
		w.sizes[string(k)] = max(size, 0)
	}
	return unlock, nil
}

// putCollectionSize adds to b the size of the collection at key k: none
// for an empty one.
func putCollectionSize(b *meta.Batch, k []byte, size int64) {
	if size <= 0 {
		b.Delete(k)
		return
	}
	b.Set(k, binary.BigEndian.AppendUint64(nil, uint64(size)))
}

// storedCollectionSize reads the size of the collection at key k.
func (s *Service) storedCollectionSize(k []byte) (int64, error) {
	v, err := s.db.Get(k)
	switch {
	case errors.Is(err, meta.ErrNotFound):
		return 0, nil
	case err != nil:
		return 0, err
	case len(v) != 8:
		return 0, fmt.Errorf("dynamodb: a collection size of %d bytes", len(v))
	}
	return int64(binary.BigEndian.Uint64(v)), nil
}

// collectionMetrics is the size of the collection item (an item or its
// key) belongs to, once w (which wrote to the table, or nil) has
// committed, when mode asks for it and the table has local indexes;
// otherwise nil. A store that fails to read the size leaves the metrics
// out (and logs why) rather than failing a write that has happened.
func (s *Service) collectionMetrics(mode string, r *tableRecord, item Item, w *writeBatch) *ItemCollectionMetrics {
	if mode != "SIZE" || !r.hasLocalIndexes() {
		return nil
	}
	k := r.collectionKey(item)
	var size int64
	ok := false
	if w != nil {
		size, ok = w.sizes[string(k)]
	}
	if !ok { // a write that changed nothing: a deletion of no item
		var err error
		if size, err = s.storedCollectionSize(k); err != nil {
			s.opts.Logger.Error("dynamodb: reading an item collection's size", "table", r.Name, "err", err)
			return nil
		}
	}
	hash, _ := r.keyNames()
	return &ItemCollectionMetrics{ItemCollectionKey: Item{hash: item[hash]}, SizeEstimateRangeGB: sizeRangeGB(size)}
}

// sizeRangeGB is the whole gigabytes either side of size bytes.
func sizeRangeGB(size int64) []float64 {
	gb := math.Floor(float64(size) / (1 << 30))
	return []float64{gb, gb + 1}
}

// sizeOldCollections measures, once, the collections of the tables with
// local indexes made before Lakebox kept their sizes (those whose record
// lacks CollectionsSized), and marks them. New calls it before the
// service serves. A crash before the marks are stored leaves them to be
// measured again, from scratch.
func (s *Service) sizeOldCollections() error {
	for _, t := range s.tables {
		if t.rec.CollectionsSized || !t.rec.hasLocalIndexes() {
			continue
		}
		b := s.db.NewBatch()
		if err := s.measureCollections(b, &t.rec); err != nil {
			// A table whose items cannot be read (sealed for a master key
			// the server was not given) must not keep the others from
			// being served: it is measured again at the next start, and
			// its writers meanwhile change sizes counted from nothing.
			b.Close()
			s.opts.Logger.Error("dynamodb: measuring a table's item collections", "table", t.rec.Name, "err", err)
			continue
		}
		for _, m := range s.tables { // a global table's members share its items, and so the sizes
			if m.rec.dataID() == t.rec.dataID() {
				m.rec.CollectionsSized = true
				if err := putTableRecord(b, &m.rec); err != nil {
					b.Close()
					return err
				}
			}
		}
		if err := b.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// measureCollections adds to b the size of every collection of rec's
// items, replacing whatever sizes b's store holds for them.
func (s *Service) measureCollections(b *meta.Batch, rec *tableRecord) error {
	sizes := collectionTablePrefix(rec.dataID())
	b.DeleteRange(sizes, meta.PrefixEnd(sizes))
	prefix := itemKeyPrefix(rec.dataID())
	it, err := s.db.NewIter(prefix, meta.PrefixEnd(prefix))
	if err != nil {
		return err
	}
	defer it.Close()
	// A partition's items are one key range: each collection is summed
	// whole before the next begins.
	var key []byte
	var size int64
	for ok := it.First(); ok; ok = it.Next() {
		v, err := s.opened(it)
		if err != nil {
			return err
		}
		item, err := decodeItem(v)
		if err != nil {
			return err
		}
		if k := rec.collectionKey(item); !slices.Equal(k, key) {
			if key != nil {
				putCollectionSize(b, key, size)
			}
			key, size = k, 0
		}
		size += rec.collectionShare(item)
	}
	if key != nil {
		putCollectionSize(b, key, size)
	}
	return it.Close()
}

// collectionsWritten gathers the ItemCollectionMetrics of a batch or a
// transaction: one per item collection written, by table as the request
// names it.
type collectionsWritten struct {
	mode string
	out  map[string][]ItemCollectionMetrics
	seen map[string]bool // table and collection key
}

// add gives the size of the collection of item in table rec (named table
// in the request) once w has committed, once per collection.
func (c *collectionsWritten) add(s *Service, table string, rec *tableRecord, item Item, w *writeBatch) {
	if c.mode != "SIZE" || !rec.hasLocalIndexes() {
		return
	}
	id := table + "\x00" + string(rec.collectionKey(item))
	if c.seen[id] {
		return
	}
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	c.seen[id] = true
	if m := s.collectionMetrics(c.mode, rec, item, w); m != nil {
		if c.out == nil {
			c.out = map[string][]ItemCollectionMetrics{}
		}
		c.out[table] = append(c.out[table], *m)
	}
}

// rangeStats counts the items (or index entries) stored under prefix and
// sums their sizes, each with overhead added.
func (s *Service) rangeStats(prefix []byte, overhead int) (count, size int64, err error) {
	it, err := s.db.NewIter(prefix, meta.PrefixEnd(prefix))
	if err != nil {
		return 0, 0, err
	}
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		v, err := s.opened(it)
		if err != nil {
			return 0, 0, err
		}
		n, err := RawItem(v).size()
		if err != nil {
			return 0, 0, err
		}
		count++
		size += int64(n + overhead)
	}
	return count, size, it.Close()
}
