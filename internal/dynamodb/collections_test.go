package dynamodb

import (
	"testing"
)

// An item collection's size is its items' sizes, plus each local index
// entry's (the projection, keys included) and 100 bytes per entry; global
// indexes and other partitions do not count.
func TestItemCollectionSize(t *testing.T) {
	s, _, _ := newService(t)
	do(t, s.CreateTable, `{"TableName":"orders","BillingMode":"PAY_PER_REQUEST",
		"KeySchema":[{"AttributeName":"customer","KeyType":"HASH"},{"AttributeName":"order","KeyType":"RANGE"}],
		"AttributeDefinitions":[{"AttributeName":"customer","AttributeType":"S"},{"AttributeName":"order","AttributeType":"N"},
			{"AttributeName":"placed","AttributeType":"S"},{"AttributeName":"status","AttributeType":"S"}],
		"LocalSecondaryIndexes":[
			{"IndexName":"by-placed","KeySchema":[{"AttributeName":"customer","KeyType":"HASH"},{"AttributeName":"placed","KeyType":"RANGE"}],
				"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["total"]}},
			{"IndexName":"by-status","KeySchema":[{"AttributeName":"customer","KeyType":"HASH"},{"AttributeName":"status","KeyType":"RANGE"}],
				"Projection":{"ProjectionType":"ALL"}}],
		"GlobalSecondaryIndexes":[{"IndexName":"all-by-status","KeySchema":[{"AttributeName":"status","KeyType":"HASH"}],
			"Projection":{"ProjectionType":"ALL"}}]}`)
	items := []string{
		`{"customer":{"S":"ann"},"order":{"N":"1"},"placed":{"S":"2026-11-01"},"status":{"S":"open"},"total":{"N":"12.5"},"note":{"S":"gift wrap, please"}}`,
		`{"customer":{"S":"ann"},"order":{"N":"2"},"placed":{"S":"2026-11-02"},"total":{"N":"7"}}`,
		`{"customer":{"S":"ann"},"order":{"N":"3"},"note":{"S":"in neither local index"}}`,
		`{"customer":{"S":"bob"},"order":{"N":"1"},"placed":{"S":"2026-11-03"},"status":{"S":"open"},"total":{"N":"99"}}`,
		// Begins with ann's key value: another collection all the same.
		`{"customer":{"S":"anna"},"order":{"N":"1"},"placed":{"S":"2026-11-04"},"status":{"S":"open"},"total":{"N":"1"}}`,
	}
	for _, it := range items {
		do(t, s.PutItem, `{"TableName":"orders","Item":`+it+`}`)
	}
	rec := s.tables[tableKey{"000000000000", "us-east-1", "orders"}].rec
	a := "ann"
	ann := AttributeValue{S: &a}
	got, err := s.collectionSize(&rec, &ann)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, it := range items[:3] {
		item, err := decodeItem([]byte(it))
		if err != nil {
			t.Fatal(err)
		}
		want += itemSize(item)
		for _, ix := range rec.Indexes {
			if !ix.Global && rec.entryKey(&ix, item) != nil {
				want += itemSize(rec.projectIndex(&ix, item)) + 100
			}
		}
	}
	// The three items, by-placed's two entries, by-status's one.
	if got != want || want <= 3*100 {
		t.Fatalf("ann's collection: %d bytes, want %d", got, want)
	}
	m := s.collectionMetrics("SIZE", &rec, Item{"customer": ann})
	if m == nil || *m.ItemCollectionKey["customer"].S != "ann" || len(m.ItemCollectionKey) != 1 ||
		m.SizeEstimateRangeGB[0] != 0 || m.SizeEstimateRangeGB[1] != 1 {
		t.Fatalf("metrics = %+v", m)
	}
}

// Counted by hand: a table keyed by a number, with a KEYS_ONLY local index.
func TestItemCollectionSizeByHand(t *testing.T) {
	s, _, _ := newService(t)
	do(t, s.CreateTable, `{"TableName":"things","BillingMode":"PAY_PER_REQUEST",
		"KeySchema":[{"AttributeName":"p","KeyType":"HASH"},{"AttributeName":"s","KeyType":"RANGE"}],
		"AttributeDefinitions":[{"AttributeName":"p","AttributeType":"N"},{"AttributeName":"s","AttributeType":"S"},{"AttributeName":"x","AttributeType":"S"}],
		"LocalSecondaryIndexes":[{"IndexName":"by-x","KeySchema":[{"AttributeName":"p","KeyType":"HASH"},{"AttributeName":"x","KeyType":"RANGE"}],
			"Projection":{"ProjectionType":"KEYS_ONLY"}}]}`)
	// p=7: 1 + 2 bytes; s="ab": 1 + 2; x="xyz": 1 + 3; note="hello": 4 + 5.
	do(t, s.PutItem, `{"TableName":"things","Item":{"p":{"N":"7"},"s":{"S":"ab"},"x":{"S":"xyz"},"note":{"S":"hello"}}}`)
	// Not in by-x: p and s only.
	do(t, s.PutItem, `{"TableName":"things","Item":{"p":{"N":"7"},"s":{"S":"cd"}}}`)
	// p=70 is another collection.
	do(t, s.PutItem, `{"TableName":"things","Item":{"p":{"N":"70"},"s":{"S":"ab"},"x":{"S":"xyz"}}}`)
	rec := s.tables[tableKey{"000000000000", "us-east-1", "things"}].rec
	seven := AttributeValue{N: new("7")}
	got, err := s.collectionSize(&rec, &seven)
	// Items: 3+3+4+9 = 19 and 3+3 = 6; by-x's one entry: p, s and x, 3+3+4,
	// plus 100.
	if want := 19 + 6 + 10 + 100; err != nil || got != want {
		t.Fatalf("collection p=7: %d bytes (%v), want %d", got, err, want)
	}

	// DescribeTable counts the same way: three items, 19 + 6 + 10 bytes (70
	// is one base-100 digit, as short as 7); by-x's two entries, 10 bytes
	// each and 100 each.
	d := do(t, s.DescribeTable, `{"TableName":"things"}`).Table
	if d.ItemCount != 3 || d.TableSizeBytes != 19+6+10 {
		t.Errorf("table: %d items, %d bytes; want 3, %d", d.ItemCount, d.TableSizeBytes, 19+6+10)
	}
	if ix := d.LocalSecondaryIndexes[0]; ix.ItemCount != 2 || ix.IndexSizeBytes != 10+10+200 {
		t.Errorf("by-x: %d entries, %d bytes; want 2, %d", ix.ItemCount, ix.IndexSizeBytes, 10+10+200)
	}
}

// DescribeTable counts each global index's entries: the items that have its
// keys, projected.
func TestDescribeTableIndexStats(t *testing.T) {
	s, _, _ := newService(t)
	do(t, s.CreateTable, `{"TableName":"tab","BillingMode":"PAY_PER_REQUEST",
		"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],
		"GlobalSecondaryIndexes":[
			{"IndexName":"keys","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"}},
			{"IndexName":"all","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]}`)
	// id="a": 2+1; g="bb": 1+2; pad="xxxx": 3+4.
	do(t, s.PutItem, `{"TableName":"tab","Item":{"id":{"S":"a"},"g":{"S":"bb"},"pad":{"S":"xxxx"}}}`)
	do(t, s.PutItem, `{"TableName":"tab","Item":{"id":{"S":"c"},"pad":{"S":"xxxx"}}}`) // in neither index
	d := do(t, s.DescribeTable, `{"TableName":"tab"}`).Table
	got := map[string][2]int64{}
	for _, ix := range d.GlobalSecondaryIndexes {
		got[ix.IndexName] = [2]int64{ix.ItemCount, ix.IndexSizeBytes}
	}
	if want := map[string][2]int64{"keys": {1, 3 + 3 + 100}, "all": {1, 3 + 3 + 7 + 100}}; got["keys"] != want["keys"] || got["all"] != want["all"] {
		t.Errorf("indexes (entries, bytes) = %v, want %v", got, want)
	}
	if d.ItemCount != 2 || d.TableSizeBytes != 13+10 {
		t.Errorf("table: %d items, %d bytes", d.ItemCount, d.TableSizeBytes)
	}
}

func TestSizeRangeGB(t *testing.T) {
	for size, want := range map[int][2]float64{0: {0, 1}, 1<<30 - 1: {0, 1}, 1 << 30: {1, 2}, 10<<30 + 5: {10, 11}} {
		if got := sizeRangeGB(size); got[0] != want[0] || got[1] != want[1] {
			t.Errorf("sizeRangeGB(%d) = %v, want %v", size, got, want)
		}
	}
}
