package dynamodb

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/lakebox/lakebox/internal/clock"
	"github.com/lakebox/lakebox/internal/storage/meta"
	"github.com/lakebox/lakebox/internal/storage/seal"
)

// do decodes a request's JSON and calls an operation with it.
func do[In, Out any](t testing.TB, f func(context.Context, *In) (*Out, error), request string) *Out {
	t.Helper()
	in := new(In)
	if err := jsonv2.Unmarshal([]byte(request), in); err != nil {
		t.Fatal(err)
	}
	out, err := f(context.Background(), in)
	if err != nil {
		t.Fatalf("%s: %v", request, err)
	}
	return out
}

// ids returns the "id" of each item a table held at ms, sorted, with its
// "v" when it has one.
func ids(t *testing.T, s *Service, tableID string, ms int64) string {
	t.Helper()
	var got []string
	err := s.stateAt(tableID, ms, func(_, body []byte) error {
		item, err := decodeItem(body)
		if err != nil {
			return err
		}
		e := *item["id"].S
		if v, ok := item["v"]; ok {
			e += "=" + *v.N
		}
		got = append(got, e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(got)
	return strings.Join(got, " ")
}

// newService opens a service on a store of its own, closed with the test.
func newService(t testing.TB) (*Service, *meta.DB, *clock.Clock) {
	t.Helper()
	return newServiceWith(t, Options{})
}

// newServiceWith is newService with opts.
func newServiceWith(t testing.TB, opts Options) (*Service, *meta.DB, *clock.Clock) {
	t.Helper()
	db, err := meta.Open(t.TempDir(), meta.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := clock.New(0)
	if opts.MasterKey == nil {
		k := seal.NewKey()
		opts.MasterKey = &k
	}
	s, err := New(db, clk, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s, db, clk
}

func TestPointInTimeHistory(t *testing.T) {
	s, _, clk := newService(t)
	do(t, s.CreateTable, `{"TableName":"events","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST","TableClass":"STANDARD_INFREQUENT_ACCESS"}`)
	do(t, s.PutItem, `{"TableName":"events","Item":{"id":{"S":"a"},"v":{"N":"1"}}}`)
	do(t, s.PutItem, `{"TableName":"events","Item":{"id":{"S":"b"},"v":{"N":"1"}}}`)
	do(t, s.UpdateContinuousBackups, `{"TableName":"events","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true,"RecoveryPeriodInDays":1}}`)
	rec := s.tables[tableKey{"000000000000", "us-east-1", "events"}].rec
	id, enabled := rec.ID, rec.PITR.Since
	clk.Advance(time.Minute)
	do(t, s.UpdateItem, `{"TableName":"events","Key":{"id":{"S":"a"}},"UpdateExpression":"ADD v :one","ExpressionAttributeValues":{":one":{"N":"1"}}}`)
	do(t, s.DeleteItem, `{"TableName":"events","Key":{"id":{"S":"b"}}}`)
	do(t, s.PutItem, `{"TableName":"events","Item":{"id":{"S":"c"}}}`)
	now := clk.Now().UnixMilli()
	if got := ids(t, s, id, enabled); got != "a=1 b=1" {
		t.Fatalf("when enabled: %q", got)
	}
	if got := ids(t, s, id, now); got != "a=2 c" {
		t.Fatalf("now: %q", got)
	}
	if got := ids(t, s, id, enabled-1); got != "" {
		t.Fatalf("before it was enabled: %q", got)
	}

	// Past the one-day period, the versions the period no longer needs
	// go: a's first, and b entirely (its last version is a deletion).
	clk.Advance(48 * time.Hour)
	n, err := s.TrimHistory()
	if err != nil || n != 3 {
		t.Fatalf("trimmed %d (%v), want 3", n, err)
	}
	if got := ids(t, s, id, clk.Now().UnixMilli()); got != "a=2 c" {
		t.Fatalf("after trimming: %q", got)
	}
	if n, _ := s.TrimHistory(); n != 0 {
		t.Fatalf("trimmed again: %d", n)
	}

	// A longer period does not reach back past what was let go.
	before := clk.Now().Add(-24 * time.Hour).Truncate(time.Millisecond)
	out35 := do(t, s.UpdateContinuousBackups, `{"TableName":"events","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true,"RecoveryPeriodInDays":35}}`)
	if d := out35.ContinuousBackupsDescription.PointInTimeRecoveryDescription; d.RecoveryPeriodInDays != 35 || d.EarliestRestorableDateTime.Before(before) {
		t.Fatalf("after lengthening the period: earliest %v, want at or after %v", d.EarliestRestorableDateTime, before)
	}

	// A restore makes a new table with the items of then.
	out := do(t, s.RestoreTableToPointInTime, `{"SourceTableName":"events","TargetTableName":"events-copy","UseLatestRestorableTime":true}`)
	if d := out.TableDescription; d.ItemCount != 2 || d.TableStatus != "ACTIVE" || d.TableClassSummary == nil || d.TableClassSummary.TableClass != "STANDARD_INFREQUENT_ACCESS" {
		t.Fatalf("restored: %+v", out.TableDescription)
	}

	// Turning it off forgets the versions.
	do(t, s.UpdateContinuousBackups, `{"TableName":"events","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":false}}`)
	if got := ids(t, s, id, clk.Now().UnixMilli()); got != "" {
		t.Fatalf("after turning it off: %q", got)
	}
}

// A table a restore or an import was filling when the server stopped is
// removed at the next start, items and all: its request never answered.
func TestUnfilledTablesRemovedAtStart(t *testing.T) {
	s, db, clk := newService(t)
	in := new(CreateTableInput)
	if err := jsonv2.Unmarshal([]byte(`{"TableName":"half","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`), in); err != nil {
		t.Fatal(err)
	}
	_, half, err := s.createTable(context.Background(), in, true, nameFields{table: "tableName", gsis: "globalSecondaryIndexes", lsis: "localSecondaryIndexes"})
	if err != nil {
		t.Fatal(err)
	}
	half.unlockFilled() // as a crash leaves it: still marked Filling in the store
	do(t, s.CreateTable, `{"TableName":"whole","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`)
	do(t, s.PutItem, `{"TableName":"half","Item":{"id":{"S":"a"}}}`)
	id := s.tables[tableKey{"000000000000", "us-east-1", "half"}].rec.ID

	s, err = New(db, clk, Options{}) // as after a crash: the same store, opened again
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.tables[tableKey{"000000000000", "us-east-1", "half"}]; ok {
		t.Fatal("the half-filled table is still there")
	}
	if _, ok := s.tables[tableKey{"000000000000", "us-east-1", "whole"}]; !ok {
		t.Fatal("a whole table was removed")
	}
	it, err := db.NewIter(itemKeyPrefix(id), meta.PrefixEnd(itemKeyPrefix(id)))
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	if it.First() {
		t.Fatal("the half-filled table's items are still there")
	}
}
