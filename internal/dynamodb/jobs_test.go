package dynamodb

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/lakebox/lakebox/internal/clock"
)

// heldLake serves one CSV object, and takes exports' objects, but the
// first read or write waits until released (or the request is
// cancelled), so a test can act while an import or export runs.
type heldLake struct {
	once    sync.Once
	reading chan struct{} // closed when the job first reads or writes
	release chan struct{}
}

func newHeldLake() *heldLake {
	return &heldLake{reading: make(chan struct{}), release: make(chan struct{})}
}

func (l *heldLake) hold(ctx context.Context) error {
	l.once.Do(func() { close(l.reading) })
	select {
	case <-l.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l *heldLake) Put(ctx context.Context, _, _, _ string, _ []byte, _ ObjectWrite) error {
	return l.hold(ctx)
}

func (l *heldLake) List(_ context.Context, _, _, _ string, fn func(key string, size int64) error) error {
	return fn("in/part-0.csv", 20)
}

func (l *heldLake) Get(ctx context.Context, _, _, _ string) (io.ReadCloser, error) {
	if err := l.hold(ctx); err != nil {
		return nil, err
	}
	return io.NopCloser(strings.NewReader("id,v\na,1\nb,2\n")), nil
}

const heldImport = `{"ClientToken":"once","S3BucketSource":{"S3Bucket":"lake","S3KeyPrefix":"in/"},"InputFormat":"CSV",
	"TableCreationParameters":{"TableName":"imported","BillingMode":"PAY_PER_REQUEST",
		"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}]}}`

// start runs op with request in the background; the returned channel
// gives its answer, and cancel its context. The test waits for it to end.
func start[In, Out any](t *testing.T, op func(context.Context, *In) (*Out, error), request string) (<-chan *Out, context.CancelFunc) {
	t.Helper()
	in := new(In)
	if err := jsonv2.Unmarshal([]byte(request), in); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	answer, finished := make(chan *Out, 1), make(chan struct{})
	go func() {
		defer close(finished)
		out, err := op(ctx, in)
		if err != nil {
			t.Error(err)
		}
		answer <- out
	}()
	t.Cleanup(func() {
		cancel()
		<-finished
	})
	return answer, cancel
}

// A retry of an import that is still running (boto3 retries one that
// outlasts its read timeout) gets that import, IN_PROGRESS, and
// DescribeImport follows it to COMPLETED.
func TestImportRetriedWhileRunning(t *testing.T) {
	lake := newHeldLake()
	s, _, _ := newServiceWith(t, Options{Lake: lake})
	done, _ := start(t, s.ImportTable, heldImport)
	<-lake.reading
	retry := do(t, s.ImportTable, heldImport).ImportTableDescription
	if retry.ImportStatus != "IN_PROGRESS" {
		t.Fatalf("retry during the import: %s", retry.ImportStatus)
	}
	other := new(ImportTableInput)
	if err := jsonv2.Unmarshal([]byte(heldImport), other); err != nil {
		t.Fatal(err)
	}
	other.InputCompressionType = "GZIP"
	if _, err := s.ImportTable(context.Background(), other); !errors.Is(err, ErrImportConflict) {
		t.Fatalf("a retry with other parameters during the import: %v", err)
	}
	if l := do(t, s.ListImports, `{}`).ImportSummaryList; len(l) != 1 || l[0].ImportStatus != "IN_PROGRESS" {
		t.Fatalf("listed during the import: %+v", l)
	}
	// The table, being filled, is CREATING: DescribeTable answers at once,
	// a change is refused at once, and neither waits for the fill.
	answered := make(chan struct{})
	go func() {
		defer close(answered)
		if tbl, err := s.DescribeTable(context.Background(), &TableNameInput{TableName: "imported"}); err != nil || tbl.Table.TableStatus != "CREATING" {
			t.Errorf("the table during the import: %+v, %v", tbl, err)
		}
		ttl := new(UpdateTimeToLiveInput)
		if err := jsonv2.Unmarshal([]byte(`{"TableName":"imported","TimeToLiveSpecification":{"AttributeName":"exp","Enabled":true}}`), ttl); err != nil {
			t.Error(err)
		}
		if _, err := s.UpdateTimeToLive(context.Background(), ttl); !errors.Is(err, ErrResourceInUse) {
			t.Errorf("a change to the table during the import: %v", err)
		}
		if _, err := s.Expire(); err != nil { // the TTL sweep passes it by
			t.Error(err)
		}
	}()
	select {
	case <-answered:
	case <-time.After(time.Minute): // a guard against a hang, not a timing
		t.Fatal("DescribeTable, UpdateTimeToLive or the TTL sweep waited for the import")
	}
	desc := func() ImportTableDescription {
		return do(t, s.DescribeImport, `{"ImportArn":"`+retry.ImportArn+`"}`).ImportTableDescription
	}
	if d := desc(); d.ImportStatus != "IN_PROGRESS" {
		t.Fatalf("described during the import: %s", d.ImportStatus)
	}
	close(lake.release)
	first := (<-done).ImportTableDescription
	if first.ImportArn != retry.ImportArn || first.ImportStatus != "COMPLETED" || first.ImportedItemCount != 2 {
		t.Fatalf("the import: %+v", first)
	}
	if d := desc(); d.ImportStatus != "COMPLETED" || d.ImportedItemCount != 2 {
		t.Fatalf("described after the import: %+v", d)
	}
	if tbl := do(t, s.DescribeTable, `{"TableName":"imported"}`).Table; tbl.TableStatus != "ACTIVE" || tbl.ItemCount != 2 {
		t.Fatalf("the table after the import: %+v", tbl)
	}
}

// An import a crash cuts short is FAILED when the server starts again, and
// its half-filled table is gone.
func TestImportCutShortByCrash(t *testing.T) {
	lake := newHeldLake()
	s, db, clk := newServiceWith(t, Options{Lake: lake})
	done, cancel := start(t, s.ImportTable, heldImport)
	<-lake.reading
	arn := do(t, s.ImportTable, heldImport).ImportTableDescription.ImportArn

	// The store as a crash leaves it, opened by a new service.
	again, err := New(db, clock.New(clk.Offset()), Options{Lake: lake})
	if err != nil {
		t.Fatal(err)
	}
	d := do(t, again.DescribeImport, `{"ImportArn":"`+arn+`"}`).ImportTableDescription
	if d.ImportStatus != "FAILED" || d.FailureCode == "" || d.EndTime == nil {
		t.Fatalf("after the crash: %+v", d)
	}
	if _, err := again.DescribeTable(context.Background(), &TableNameInput{TableName: "imported"}); !errors.Is(err, ErrResourceNotFound) {
		t.Fatalf("the half-filled table: %v", err)
	}
	// The first service's import fails when its read does: FAILED with
	// the reason, its table taken away.
	cancel()
	if d := (<-done).ImportTableDescription; d.ImportStatus != "FAILED" || !strings.Contains(d.FailureMessage, "context canceled") {
		t.Fatalf("the failed import: %+v", d)
	}
	if _, err := s.DescribeTable(context.Background(), &TableNameInput{TableName: "imported"}); !errors.Is(err, ErrResourceNotFound) {
		t.Fatalf("the failed import's table: %v", err)
	}
}

// Exports too: a retry while one runs gets it IN_PROGRESS, one a crash cut
// short is FAILED at the next start, and one that runs on completes.
func TestExportRetriedWhileRunningAndCutShort(t *testing.T) {
	lake := newHeldLake()
	s, db, clk := newServiceWith(t, Options{Lake: lake})
	do(t, s.CreateTable, `{"TableName":"orders","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`)
	do(t, s.UpdateContinuousBackups, `{"TableName":"orders","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true}}`)
	do(t, s.PutItem, `{"TableName":"orders","Item":{"id":{"S":"a"}}}`)
	arn := s.tables[tableKey{"000000000000", "us-east-1", "orders"}].rec.arn()
	request := `{"TableArn":"` + arn + `","S3Bucket":"lake","ClientToken":"once"}`
	done, _ := start(t, s.ExportTableToPointInTime, request)
	<-lake.reading
	retry := do(t, s.ExportTableToPointInTime, request).ExportDescription
	if retry.ExportStatus != "IN_PROGRESS" {
		t.Fatalf("retry during the export: %s", retry.ExportStatus)
	}
	again, err := New(db, clock.New(clk.Offset()), Options{Lake: lake})
	if err != nil {
		t.Fatal(err)
	}
	if d := do(t, again.DescribeExport, `{"ExportArn":"`+retry.ExportArn+`"}`).ExportDescription; d.ExportStatus != "FAILED" || d.EndTime == nil {
		t.Fatalf("after a crash: %+v", d)
	}
	close(lake.release)
	if d := (<-done).ExportDescription; d.ExportArn != retry.ExportArn || d.ExportStatus != "COMPLETED" || d.ItemCount != 1 {
		t.Fatalf("the export: %+v", d)
	}
	if d := do(t, s.DescribeExport, `{"ExportArn":"`+retry.ExportArn+`"}`).ExportDescription; d.ExportStatus != "COMPLETED" {
		t.Fatalf("described after the export: %+v", d)
	}
}
