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
	m, err := s.collectionMetrics("SIZE", &rec, Item{"customer": ann})
	if err != nil || m == nil || *m.ItemCollectionKey["customer"].S != "ann" || len(m.ItemCollectionKey) != 1 ||
		m.SizeEstimateRangeGB[0] != 0 || m.SizeEstimateRangeGB[1] != 1 {
		t.Fatalf("metrics = %+v, %v", m, err)
	}
}
