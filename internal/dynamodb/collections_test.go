package dynamodb

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/storage/meta"
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
	got := keptCollectionSize(t, s, &rec, ann)
	var want int64
	for _, it := range items[:3] {
		item, err := decodeItem([]byte(it))
		if err != nil {
			t.Fatal(err)
		}
		want += int64(itemSize(item))
		for _, ix := range rec.Indexes {
			if !ix.Global && rec.entryKey(&ix, item) != nil {
				want += int64(itemSize(rec.projectIndex(&ix, item)) + 100)
			}
		}
	}
	// The three items, by-placed's two entries, by-status's one.
	if got != want || want <= 3*100 {
		t.Fatalf("ann's collection: %d bytes, want %d", got, want)
	}
	if scanned := scannedCollectionSize(t, s, &rec, ann); scanned != want {
		t.Fatalf("ann's collection as stored: %d bytes, want %d", scanned, want)
	}
	m := s.collectionMetrics("SIZE", &rec, Item{"customer": ann}, nil)
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
	// Items: 3+3+4+9 = 19 and 3+3 = 6; by-x's one entry: p, s and x, 3+3+4,
	// plus 100.
	if got, want := keptCollectionSize(t, s, &rec, seven), int64(19+6+10+100); got != want {
		t.Fatalf("collection p=7: %d bytes, want %d", got, want)
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
	for size, want := range map[int64][2]float64{0: {0, 1}, 1<<30 - 1: {0, 1}, 1 << 30: {1, 2}, 10<<30 + 5: {10, 11}} {
		if got := sizeRangeGB(size); got[0] != want[0] || got[1] != want[1] {
			t.Errorf("sizeRangeGB(%d) = %v, want %v", size, got, want)
		}
	}
}

// keptCollectionSize is the size Lakebox keeps of the collection of
// partition key value v.
func keptCollectionSize(t *testing.T, s *Service, rec *tableRecord, v AttributeValue) int64 {
	t.Helper()
	hash, _ := rec.keyNames()
	n, err := s.storedCollectionSize(rec.collectionKey(Item{hash: v}))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// scannedCollectionSize measures the collection of partition key value v
// from what the store holds: its items, and its local index entries with
// 100 bytes each.
func scannedCollectionSize(t *testing.T, s *Service, rec *tableRecord, v AttributeValue) int64 {
	t.Helper()
	_, size, err := s.rangeStats(appendKeyPart(itemKeyPrefix(rec.dataID()), &v), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, ix := range rec.Indexes {
		if !ix.Global {
			_, n, err := s.rangeStats(appendKeyPart(indexKeyPrefix(rec.dataID(), ix.IndexName), &v), indexEntryOverhead)
			if err != nil {
				t.Fatal(err)
			}
			size += n
		}
	}
	return size
}

// lsiTable is a table with a local index that projects one attribute, for
// the tests of kept sizes.
const lsiTable = `{"TableName":"orders","BillingMode":"PAY_PER_REQUEST",
	"KeySchema":[{"AttributeName":"c","KeyType":"HASH"},{"AttributeName":"o","KeyType":"RANGE"}],
	"AttributeDefinitions":[{"AttributeName":"c","AttributeType":"S"},{"AttributeName":"o","AttributeType":"N"},{"AttributeName":"at","AttributeType":"S"}],
	"LocalSecondaryIndexes":[{"IndexName":"by-at","KeySchema":[{"AttributeName":"c","KeyType":"HASH"},{"AttributeName":"at","KeyType":"RANGE"}],
		"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["total"]}}]}`

// Every way of writing keeps a collection's size equal to what a scan of
// it measures: puts that replace items, updates that move an item into or
// out of the local index, deletions, batches, transactions and expiry by
// time to live, in a random order.
func TestCollectionSizesFollowWrites(t *testing.T) {
	s, _, clk := newService(t)
	do(t, s.CreateTable, lsiTable)
	do(t, s.UpdateTimeToLive, `{"TableName":"orders","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"ttl"}}`)
	rec := s.tables[tableKey{"000000000000", "us-east-1", "orders"}].rec
	customers := []string{"ann", "bob", "cy"}
	rng := rand.New(rand.NewPCG(1, 2))
	item := func() string {
		c, o := customers[rng.IntN(len(customers))], rng.IntN(6)
		key := fmt.Sprintf(`"c":{"S":%q},"o":{"N":"%d"}`, c, o)
		if rng.IntN(3) == 0 {
			return key // in no index
		}
		return fmt.Sprintf(`%s,"at":{"S":"2026-11-%02d"},"total":{"N":"%d"},"filler":{"S":%q}`, key, rng.IntN(28)+1, rng.IntN(1000), strings.Repeat("x", rng.IntN(50)))
	}
	key := func() string {
		return fmt.Sprintf(`"c":{"S":%q},"o":{"N":"%d"}`, customers[rng.IntN(len(customers))], rng.IntN(6))
	}
	now := clk.Now().Unix()
	for step := range 300 {
		var req string
		switch op := rng.IntN(7); op {
		case 0, 1:
			req = `{"Item":{` + item() + `}}`
			do(t, s.PutItem, `{"TableName":"orders",`+req[1:])
		case 2:
			do(t, s.UpdateItem, `{"TableName":"orders","Key":{`+key()+`},"UpdateExpression":"SET #at = :at, filler = :p","ExpressionAttributeNames":{"#at":"at"},
				"ExpressionAttributeValues":{":at":{"S":"2026-12-01"},":p":{"S":"`+strings.Repeat("y", rng.IntN(40))+`"}}}`)
		case 3:
			do(t, s.UpdateItem, `{"TableName":"orders","Key":{`+key()+`},"UpdateExpression":"REMOVE #at","ExpressionAttributeNames":{"#at":"at"}}`)
		case 4:
			do(t, s.DeleteItem, `{"TableName":"orders","Key":{`+key()+`}}`)
		case 5:
			a, b := item(), key()
			if strings.HasPrefix(a, b) {
				continue // one item twice
			}
			do(t, s.BatchWriteItem, `{"RequestItems":{"orders":[{"PutRequest":{"Item":{`+a+`}}},{"DeleteRequest":{"Key":{`+b+`}}}]}}`)
		case 6:
			// An item that expires, swept at once: the sweep deletes it.
			do(t, s.TransactWriteItems, `{"TransactItems":[{"Put":{"TableName":"orders","Item":{`+item()+`,"ttl":{"N":"`+fmt.Sprint(now-1)+`"}}}}]}`)
			if _, err := s.expireTable(s.tables[tableKey{"000000000000", "us-east-1", "orders"}], clk.Now().Unix()); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range customers {
			v := AttributeValue{S: &c}
			if kept, scanned := keptCollectionSize(t, s, &rec, v), scannedCollectionSize(t, s, &rec, v); kept != scanned {
				t.Fatalf("step %d: %s's collection kept as %d bytes, measures %d", step, c, kept, scanned)
			}
		}
	}
}

// A write that would grow a collection past the limit is refused, whole,
// with DynamoDB's error; writes that shrink it, and other collections, go
// on. A transaction names the action that grew it.
func TestCollectionLimit(t *testing.T) {
	s, _, _ := newServiceWith(t, Options{CollectionLimit: 1000})
	do(t, s.CreateTable, lsiTable)
	rec := s.tables[tableKey{"000000000000", "us-east-1", "orders"}].rec
	pad := strings.Repeat("x", 300)
	item := func(c string, o int) string {
		return fmt.Sprintf(`{"c":{"S":%q},"o":{"N":"%d"},"at":{"S":"2026"},"filler":{"S":%q}}`, c, o, pad)
	}
	put := func(c string, o int) string { return `{"TableName":"orders","Item":` + item(c, o) + `}` }
	ann := AttributeValue{S: new("ann")}
	// Each item: c 1+3, o 1+2, at 2+4, filler 6+300 = 319; its index entry
	// (c, o, at) 13 + 100.
	do(t, s.PutItem, put("ann", 1))
	do(t, s.PutItem, put("ann", 2))
	if got := keptCollectionSize(t, s, &rec, ann); got != 2*(319+113) {
		t.Fatalf("ann: %d bytes, want %d", got, 2*(319+113))
	}
	const full = "ItemCollectionSizeLimitExceededException: Collection size exceeded."
	if got := fail(t, s.PutItem, put("ann", 3)); got != full {
		t.Fatalf("PutItem past the limit: %s", got)
	}
	if got := fail(t, s.BatchWriteItem, `{"RequestItems":{"orders":[{"PutRequest":{"Item":`+item("bob", 1)+`}},{"PutRequest":{"Item":`+item("ann", 3)+`}}]}}`); got != full {
		t.Fatalf("BatchWriteItem past the limit: %s", got)
	}
	err := refusal(t, s.TransactWriteItems, `{"TransactItems":[{"Put":`+put("bob", 1)+`},{"Put":`+put("ann", 3)+`}]}`)
	if e, ok := awserr.As(err); !ok || e.Code != "TransactionCanceledException" ||
		e.Message != "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ItemCollectionSizeLimitExceeded]" {
		t.Fatalf("TransactWriteItems past the limit: %v", err)
	}
	// An update that shrinks the collection is not named; the put that
	// grows it is.
	err = refusal(t, s.TransactWriteItems, `{"TransactItems":[{"Update":{"TableName":"orders","Key":{"c":{"S":"ann"},"o":{"N":"1"}},
		"UpdateExpression":"SET filler = :f","ExpressionAttributeValues":{":f":{"S":"`+pad[10:]+`"}}}},{"Put":`+put("ann", 3)+`}]}`)
	if e, ok := awserr.As(err); !ok || !strings.HasSuffix(e.Message, "[None, ItemCollectionSizeLimitExceeded]") {
		t.Fatalf("TransactWriteItems shrinking and growing: %v", err)
	}
	// A PartiQL batch reports the statement's error by its code.
	batch := do(t, s.BatchExecuteStatement, `{"Statements":[{"Statement":"INSERT INTO orders VALUE {'c': 'ann', 'o': 3, 'filler': '`+pad+`'}"}]}`)
	if e := batch.Responses[0].Error; e == nil || e.Code != "ItemCollectionSizeLimitExceeded" || e.Message != "Collection size exceeded." {
		t.Fatalf("BatchExecuteStatement: %+v", batch.Responses[0])
	}
	// Nothing of the refused writes was written.
	if n := do(t, s.Scan, `{"TableName":"orders","Select":"COUNT"}`).Count; n != 2 {
		t.Fatalf("%d items after the refusals, want 2", n)
	}
	if got := keptCollectionSize(t, s, &rec, ann); got != 2*(319+113) {
		t.Fatalf("ann after the refusals: %d bytes", got)
	}
	// Smaller, and out of the index: taken. Another collection: taken.
	do(t, s.PutItem, `{"TableName":"orders","Item":{"c":{"S":"ann"},"o":{"N":"2"}}}`)
	do(t, s.PutItem, put("ann", 3))
	do(t, s.PutItem, put("bob", 1))
	do(t, s.DeleteItem, `{"TableName":"orders","Key":{"c":{"S":"ann"},"o":{"N":"1"}}}`)
	// Left: item 3, and item 2 with its key alone (c 4, o 3).
	if kept, scanned := keptCollectionSize(t, s, &rec, ann), scannedCollectionSize(t, s, &rec, ann); kept != scanned || kept != 319+113+7 {
		t.Fatalf("ann: kept %d, scanned %d, want %d", kept, scanned, 319+113+7)
	}
}

// A table with local indexes made before Lakebox kept collection sizes
// has them measured when the service opens, once.
func TestOldCollectionsMeasured(t *testing.T) {
	s, db, clk := newService(t)
	do(t, s.CreateTable, lsiTable)
	for i := range 5 {
		do(t, s.PutItem, fmt.Sprintf(`{"TableName":"orders","Item":{"c":{"S":"c%d"},"o":{"N":"%d"},"at":{"S":"x"},"total":{"N":"1"}}}`, i%2, i))
	}
	do(t, s.PutItem, `{"TableName":"orders","Item":{"c":{"S":"c2"},"o":{"N":"1"}}}`)
	// As an older Lakebox left it: no sizes, no mark.
	rec := s.tables[tableKey{"000000000000", "us-east-1", "orders"}].rec
	want := map[string]int64{}
	for _, c := range []string{"c0", "c1", "c2"} {
		want[c] = keptCollectionSize(t, s, &rec, AttributeValue{S: &c})
	}
	unmark(t, db, rec)
	s, err := New(db, clk, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rec = s.tables[tableKey{"000000000000", "us-east-1", "orders"}].rec
	if !rec.CollectionsSized {
		t.Fatal("the table is not marked")
	}
	for c, n := range want {
		if got := keptCollectionSize(t, s, &rec, AttributeValue{S: &c}); got != n || n == 0 {
			t.Errorf("%s: %d bytes, want %d", c, got, n)
		}
	}
}

// unmark makes rec's table look as an older Lakebox left it: no sizes kept,
// no mark.
func unmark(t *testing.T, db *meta.DB, rec tableRecord) {
	t.Helper()
	b := db.NewBatch()
	sizes := collectionTablePrefix(rec.dataID())
	b.DeleteRange(sizes, meta.PrefixEnd(sizes))
	rec.CollectionsSized = false
	if err := putTableRecord(b, &rec); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
}

// A table whose items cannot be measured at start (sealed, and the server
// given no master key) does not keep the service from opening: it is left
// to be measured at the next start.
func TestUnreadableOldCollections(t *testing.T) {
	s, db, clk := newService(t)
	do(t, s.CreateTable, strings.Replace(lsiTable, `"BillingMode"`, `"SSESpecification":{"Enabled":true},"BillingMode"`, 1))
	do(t, s.PutItem, `{"TableName":"orders","Item":{"c":{"S":"ann"},"o":{"N":"1"},"at":{"S":"x"}}}`)
	unmark(t, db, s.tables[tableKey{"000000000000", "us-east-1", "orders"}].rec)
	s, err := New(db, clk, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.tables[tableKey{"000000000000", "us-east-1", "orders"}].rec.CollectionsSized {
		t.Fatal("a table that could not be measured is marked")
	}
}

// Writers of different items of one collection, at once, keep its size
// exact: each change of the size is made under the collection's lock.
func TestCollectionSizeConcurrentWriters(t *testing.T) {
	s, _, _ := newService(t)
	do(t, s.CreateTable, lsiTable)
	rec := s.tables[tableKey{"000000000000", "us-east-1", "orders"}].rec
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 40 {
				o := w*100 + i%7
				var err error
				if i%3 == 2 {
					err = refusal(t, s.DeleteItem, fmt.Sprintf(`{"TableName":"orders","Key":{"c":{"S":"ann"},"o":{"N":"%d"}}}`, o))
				} else {
					err = refusal(t, s.PutItem, fmt.Sprintf(`{"TableName":"orders","Item":{"c":{"S":"ann"},"o":{"N":"%d"},"at":{"S":"%d"},"filler":{"S":%q}}}`,
						o, i, strings.Repeat("z", i)))
				}
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	ann := AttributeValue{S: new("ann")}
	if kept, scanned := keptCollectionSize(t, s, &rec, ann), scannedCollectionSize(t, s, &rec, ann); kept != scanned || kept == 0 {
		t.Fatalf("kept %d bytes, scanned %d", kept, scanned)
	}
}
