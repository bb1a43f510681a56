package dynamodb

import (
	"fmt"
	"testing"
)

// A PutItem that asks for ReturnItemCollectionMetrics SIZE into a
// collection of 1,000 items (a table with a local index).
func BenchmarkPutItemCollectionMetrics(b *testing.B) {
	s, _, _ := newService(b)
	do(b, s.CreateTable, lsiTable)
	for i := range 1000 {
		do(b, s.PutItem, fmt.Sprintf(`{"TableName":"orders","Item":{"c":{"S":"ann"},"o":{"N":"%d"},"at":{"S":"x"},"total":{"N":"1"}}}`, i))
	}
	for b.Loop() {
		out := do(b, s.PutItem, `{"TableName":"orders","ReturnItemCollectionMetrics":"SIZE","Item":{"c":{"S":"ann"},"o":{"N":"5"},"at":{"S":"y"},"total":{"N":"2"}}}`)
		if out.ItemCollectionMetrics == nil {
			b.Fatal("no metrics")
		}
	}
}

// A PutItem into a table with a local index, not asking for metrics: what
// keeping the collection's size costs a write.
func BenchmarkPutItemLocalIndex(b *testing.B) {
	s, _, _ := newService(b)
	do(b, s.CreateTable, lsiTable)
	i := 0
	for b.Loop() {
		i++
		do(b, s.PutItem, fmt.Sprintf(`{"TableName":"orders","Item":{"c":{"S":"c%d"},"o":{"N":"%d"},"at":{"S":"y"},"total":{"N":"2"}}}`, i%100, i))
	}
}
