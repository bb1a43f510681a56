package dynamodb

import (
	"math"
	"slices"

	"github.com/lakebox/lakebox/internal/storage/meta"
)

// Item collections: on a table with local secondary indexes, the items
// that share a partition key value, with their entries in those indexes.
// DynamoDB caps a collection at 10 GB and, for ReturnItemCollectionMetrics
// SIZE, tells a writer how large the collection it wrote to has grown, as
// a range of whole gigabytes. Lakebox measures the collection when asked:
// the sizes of its items, and of each index entry (its projected
// attributes, keys included) plus the 100 bytes of overhead DynamoDB
// counts per local index entry.

// ItemCollectionMetrics is the estimated size of one item collection.
type ItemCollectionMetrics struct {
	ItemCollectionKey   Item      `json:"ItemCollectionKey"`
	SizeEstimateRangeGB []float64 `json:"SizeEstimateRangeGB"`
}

// indexEntryOverhead is what DynamoDB adds to the size of every secondary
// index entry, local or global.
const indexEntryOverhead = 100

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

// collectionMetrics measures the item collection item (an item or its
// key) belongs to, when mode asks for it and the table has local indexes;
// otherwise it returns nil. It runs once the write is committed: a store
// that fails to read the collection leaves the metrics out (and logs why)
// rather than failing a write that has happened.
func (s *Service) collectionMetrics(mode string, r *tableRecord, item Item) *ItemCollectionMetrics {
	if mode != "SIZE" || !r.hasLocalIndexes() {
		return nil
	}
	hash, _ := r.keyNames()
	v := item[hash]
	size, err := s.collectionSize(r, &v)
	if err != nil {
		s.opts.Logger.Error("dynamodb: measuring an item collection", "table", r.Name, "err", err)
		return nil
	}
	return &ItemCollectionMetrics{ItemCollectionKey: Item{hash: v}, SizeEstimateRangeGB: sizeRangeGB(size)}
}

// sizeRangeGB is the whole gigabytes either side of size bytes.
func sizeRangeGB(size int) []float64 {
	gb := math.Floor(float64(size) / (1 << 30))
	return []float64{gb, gb + 1}
}

// collectionSize is the size in bytes of the item collection of partition
// key value v.
func (s *Service) collectionSize(r *tableRecord, v *AttributeValue) (int, error) {
	_, size, err := s.rangeStats(appendKeyPart(itemKeyPrefix(r.dataID()), v), 0)
	if err != nil {
		return 0, err
	}
	for _, ix := range r.Indexes {
		if ix.Global {
			continue
		}
		// A local index's key begins with the table's partition key.
		_, n, err := s.rangeStats(appendKeyPart(indexKeyPrefix(r.dataID(), ix.IndexName), v), indexEntryOverhead)
		if err != nil {
			return 0, err
		}
		size += n
	}
	return int(size), nil
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

// collectionsWritten gathers the ItemCollectionMetrics of a batch or a
// transaction: one per item collection written, by table as the request
// names it.
type collectionsWritten struct {
	mode string
	out  map[string][]ItemCollectionMetrics
	seen map[string]bool // table and collection key
}

// add measures the collection of item in table rec (named table in the
// request), once per collection.
func (c *collectionsWritten) add(s *Service, table string, rec *tableRecord, item Item) {
	if c.mode != "SIZE" || !rec.hasLocalIndexes() {
		return
	}
	hash, _ := rec.keyNames()
	v := item[hash]
	id := string(appendKeyPart([]byte(table+"\x00"), &v))
	if c.seen[id] {
		return
	}
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	c.seen[id] = true
	if m := s.collectionMetrics(c.mode, rec, item); m != nil {
		if c.out == nil {
			c.out = map[string][]ItemCollectionMetrics{}
		}
		c.out[table] = append(c.out[table], *m)
	}
}
