package dynamodb

import (
	"strings"
	"testing"
)

// TestIndexEntryRewrittenInPlace: a write that keeps an item's index key
// but changes its projected attributes rewrites the entry, charged as the
// table's item is, by the larger of the entry before and after
// (DynamoDB's recorded figures: a 3 KB entry shrunk to a few bytes costs 3).
func TestIndexEntryRewrittenInPlace(t *testing.T) {
	s, _, _ := newService(t)
	do(t, s.CreateTable, `{"TableName":"cap","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST",
		"GlobalSecondaryIndexes":[{"IndexName":"gix","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]}`)
	do(t, s.PutItem, `{"TableName":"cap","Item":{"pk":{"S":"a"},"g":{"S":"G"},"body":{"S":"`+strings.Repeat("x", 3000)+`"}}}`)
	for _, c := range []struct {
		body         string
		table, index float64
	}{
		{"short", 3, 3},                   // shrunk: the old entry and item are the larger
		{strings.Repeat("y", 2000), 2, 2}, // grown: the new ones are
		{strings.Repeat("y", 2000), 2, 0}, // unchanged: the entry is not written
	} {
		out := do(t, s.UpdateItem, `{"TableName":"cap","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET body = :b",
			"ExpressionAttributeValues":{":b":{"S":"`+c.body+`"}},"ReturnConsumedCapacity":"INDEXES"}`)
		cc := out.ConsumedCapacity
		if cc == nil || cc.Table == nil || cc.Table.CapacityUnits != c.table || cc.GlobalSecondaryIndexes["gix"].CapacityUnits != c.index ||
			cc.CapacityUnits != c.table+c.index {
			t.Errorf("SET body to %d bytes: %+v, want table %v, index %v", len(c.body), cc, c.table, c.index)
		}
	}
}
