package dynamodb

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/lakebox/lakebox/internal/storage/meta"
)

// fakeKinesis is a Kinesis that takes records only when told to, and
// refuses the ones listed.
type fakeKinesis struct {
	mu      sync.Mutex
	streams map[string]bool // that exist
	open    bool            // takes records
	refuse  map[int]bool    // refuses the nth record of every Put
	got     []KinesisRecord
}

func (k *fakeKinesis) Exists(_ context.Context, _, _, arn string) (bool, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.streams[arn], nil
}

func (k *fakeKinesis) Put(_ context.Context, _, _, arn string, recs []KinesisRecord) ([]bool, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if !k.streams[arn] {
		return nil, errors.New("stream not found")
	}
	if !k.open {
		return nil, errors.New("unavailable")
	}
	taken := make([]bool, len(recs))
	for i, r := range recs {
		if !k.refuse[i] {
			taken[i] = true
			k.got = append(k.got, r)
		}
	}
	return taken, nil
}

// ids lists the "id" of each record taken, in order.
func (k *fakeKinesis) ids(t *testing.T) []string {
	t.Helper()
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []string
	for _, r := range k.got {
		var c struct {
			Dynamodb struct{ Keys map[string]map[string]string }
		}
		if err := json.Unmarshal(r.Data, &c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c.Dynamodb.Keys["id"]["S"])
	}
	return out
}

// outboxEntries counts what the store holds of outboxes: records and entries.
func outboxEntries(t *testing.T, db *meta.DB) (int, int) {
	t.Helper()
	count := func(p []byte) int {
		it, err := db.NewIter(p, meta.PrefixEnd(p))
		if err != nil {
			t.Fatal(err)
		}
		defer it.Close()
		n := 0
		for it.First(); it.Valid(); it.Next() {
			n++
		}
		return n
	}
	return count(outboxPrefix), count(outboxEntryPrefix)
}

// The outbox keeps every change until Kinesis takes it, across a restart
// and after its table is deleted, retries what Kinesis refused, and is
// forgotten once retired and empty.
func TestOutboxDelivery(t *testing.T) {
	s, db, clk := newService(t)
	const arn = "arn:aws:kinesis:us-east-1:000000000000:stream/cdc"
	k := &fakeKinesis{streams: map[string]bool{arn: true}}
	s.opts.Kinesis = k
	ctx := context.Background()
	do(t, s.CreateTable, `{"TableName":"orders","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`)
	do(t, s.EnableKinesisStreamingDestination, `{"TableName":"orders","StreamArn":"`+arn+`"}`)
	for i := range 3 {
		do(t, s.PutItem, fmt.Sprintf(`{"TableName":"orders","Item":{"id":{"S":"%d"}}}`, i))
	}
	s.pumpPass(ctx) // Kinesis is unavailable: nothing is lost
	if boxes, entries := outboxEntries(t, db); boxes != 1 || entries != 3 {
		t.Fatalf("%d outboxes, %d entries after a failed delivery", boxes, entries)
	}

	// A restart finds the outbox and goes on numbering after its entries.
	s, err := New(db, clk, Options{Kinesis: k})
	if err != nil {
		t.Fatal(err)
	}
	do(t, s.PutItem, `{"TableName":"orders","Item":{"id":{"S":"3"}}}`)
	k.open, k.refuse = true, map[int]bool{1: true}
	s.pumpPass(ctx)
	if got := fmt.Sprint(k.ids(t)); got != "[0 2 3]" {
		t.Fatalf("first delivery took %s", got)
	}
	// The refused record stays and goes on the next pass.
	k.refuse = nil
	s.pumpPass(ctx)
	if got := fmt.Sprint(k.ids(t)); got != "[0 2 3 1]" {
		t.Fatalf("after the retry: %s", got)
	}

	// A deleted table's changes are still delivered; then its outbox goes.
	k.open = false
	do(t, s.DeleteItem, `{"TableName":"orders","Key":{"id":{"S":"0"}}}`)
	do(t, s.DeleteTable, `{"TableName":"orders"}`)
	s.pumpPass(ctx)
	if boxes, entries := outboxEntries(t, db); boxes != 1 || entries != 1 {
		t.Fatalf("%d outboxes, %d entries after deleting the table", boxes, entries)
	}
	k.open = true
	s.pumpPass(ctx)
	s.pumpPass(ctx)
	if got := fmt.Sprint(k.ids(t)); got != "[0 2 3 1 0]" {
		t.Fatalf("after deleting the table: %s", got)
	}
	if boxes, entries := outboxEntries(t, db); boxes != 0 || entries != 0 || len(s.outboxes) != 0 {
		t.Fatalf("%d outboxes (%d at run time), %d entries once delivered", boxes, len(s.outboxes), entries)
	}
}

// A retired outbox whose stream is gone is dropped: nothing can take it.
func TestOutboxOfAGoneStreamIsDropped(t *testing.T) {
	s, db, _ := newService(t)
	const arn = "arn:aws:kinesis:us-east-1:000000000000:stream/gone"
	k := &fakeKinesis{streams: map[string]bool{arn: true}}
	s.opts.Kinesis = k
	do(t, s.CreateTable, `{"TableName":"orders","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`)
	do(t, s.EnableKinesisStreamingDestination, `{"TableName":"orders","StreamArn":"`+arn+`"}`)
	do(t, s.PutItem, `{"TableName":"orders","Item":{"id":{"S":"a"}}}`)
	delete(k.streams, arn)
	s.pumpPass(context.Background()) // still live: kept
	if boxes, entries := outboxEntries(t, db); boxes != 1 || entries != 1 {
		t.Fatalf("%d outboxes, %d entries while the destination is live", boxes, entries)
	}
	do(t, s.DisableKinesisStreamingDestination, `{"TableName":"orders","StreamArn":"`+arn+`"}`)
	s.pumpPass(context.Background())
	if boxes, entries := outboxEntries(t, db); boxes != 0 || entries != 0 {
		t.Fatalf("%d outboxes, %d entries after disabling", boxes, entries)
	}
}

// A change too large for a Kinesis record (a big item's two images) is
// dropped, and the changes after it still go.
func TestOutboxDropsWhatKinesisCannotTake(t *testing.T) {
	s, db, _ := newService(t)
	const arn = "arn:aws:kinesis:us-east-1:000000000000:stream/cdc"
	k := &fakeKinesis{streams: map[string]bool{arn: true}, open: true}
	s.opts.Kinesis = k
	do(t, s.CreateTable, `{"TableName":"blobs","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`)
	do(t, s.EnableKinesisStreamingDestination, `{"TableName":"blobs","StreamArn":"`+arn+`"}`)
	big := base64.StdEncoding.EncodeToString(make([]byte, 399<<10))
	do(t, s.PutItem, `{"TableName":"blobs","Item":{"id":{"S":"big"},"b":{"B":"`+big+`"}}}`)
	do(t, s.UpdateItem, `{"TableName":"blobs","Key":{"id":{"S":"big"}},"UpdateExpression":"SET n = :n","ExpressionAttributeValues":{":n":{"N":"1"}}}`)
	do(t, s.PutItem, `{"TableName":"blobs","Item":{"id":{"S":"small"}}}`)
	s.pumpPass(context.Background())
	if got := fmt.Sprint(k.ids(t)); got != "[big small]" {
		t.Fatalf("delivered %s, want the INSERTs without the oversized MODIFY", got)
	}
	if _, entries := outboxEntries(t, db); entries != 0 {
		t.Fatalf("%d entries left", entries)
	}
}
