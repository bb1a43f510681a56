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

// localEntryOverhead is what DynamoDB adds to the size of every local
// secondary index entry.
const localEntryOverhead = 100

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
// otherwise it returns nil.
func (s *Service) collectionMetrics(mode string, r *tableRecord, item Item) (*ItemCollectionMetrics, error) {
	if mode != "SIZE" || !r.hasLocalIndexes() {
		return nil, nil
	}
	hash, _ := r.keyNames()
	v := item[hash]
	size, err := s.collectionSize(r, &v)
	if err != nil {
		return nil, err
	}
	gb := math.Floor(float64(size) / (1 << 30))
	return &ItemCollectionMetrics{ItemCollectionKey: Item{hash: v}, SizeEstimateRangeGB: []float64{gb, gb + 1}}, nil
}

// collectionSize is the size in bytes of the item collection of partition
// key value v.
func (s *Service) collectionSize(r *tableRecord, v *AttributeValue) (int, error) {
	size, err := s.rangeSize(appendKeyPart(itemKeyPrefix(r.ID), v), 0)
	if err != nil {
		return 0, err
	}
	for _, ix := range r.Indexes {
		if ix.Global {
			continue
		}
		// A local index's key begins with the table's partition key.
		n, err := s.rangeSize(appendKeyPart(indexKeyPrefix(r.ID, ix.IndexName), v), localEntryOverhead)
		if err != nil {
			return 0, err
		}
		size += n
	}
	return size, nil
}

// rangeSize sums the sizes of the items (or index entries) stored under
// prefix, each with overhead added.
func (s *Service) rangeSize(prefix []byte, overhead int) (int, error) {
	it, err := s.db.NewIter(prefix, meta.PrefixEnd(prefix))
	if err != nil {
		return 0, err
	}
	defer it.Close()
	total := 0
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			return 0, err
		}
		n, err := RawItem(v).size()
		if err != nil {
			return 0, err
		}
		total += n + overhead
	}
	return total, it.Close()
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
func (c *collectionsWritten) add(s *Service, table string, rec *tableRecord, item Item) error {
	if c.mode != "SIZE" || !rec.hasLocalIndexes() {
		return nil
	}
	hash, _ := rec.keyNames()
	v := item[hash]
	id := string(appendKeyPart([]byte(table+"\x00"), &v))
	if c.seen[id] {
		return nil
	}
	m, err := s.collectionMetrics(c.mode, rec, item)
	if err != nil {
		return err
	}
	if c.out == nil {
		c.out, c.seen = map[string][]ItemCollectionMetrics{}, map[string]bool{}
	}
	c.seen[id] = true
	c.out[table] = append(c.out[table], *m)
	return nil
}
