package dynamodb

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

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

func (l *heldLake) Put(ctx context.Context, _, _, _ string, _ []byte, _ string) error {
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
// gives its answer.
func start[In, Out any](t *testing.T, ctx context.Context, op func(context.Context, *In) (*Out, error), request string) <-chan *Out {
	t.Helper()
	in := new(In)
	if err := jsonv2.Unmarshal([]byte(request), in); err != nil {
		t.Fatal(err)
	}
	done := make(chan *Out, 1)
	go func() {
		out, err := op(ctx, in)
		if err != nil {
			t.Error(err)
		}
		done <- out
	}()
	return done
}

// A retry of an import that is still running (boto3 retries one that
// outlasts its read timeout) gets that import, IN_PROGRESS, and
// DescribeImport follows it to COMPLETED.
func TestImportRetriedWhileRunning(t *testing.T) {
	lake := newHeldLake()
	s, _, _ := newServiceWith(t, Options{Lake: lake})
	done := start(t, context.Background(), s.ImportTable, heldImport)
	<-lake.reading
	retry := do(t, s.ImportTable, heldImport).ImportTableDescription
	if retry.ImportStatus != "IN_PROGRESS" {
		t.Fatalf("retry during the import: %s", retry.ImportStatus)
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
}

// An import a crash cuts short is FAILED when the server starts again, and
// its half-filled table is gone.
func TestImportCutShortByCrash(t *testing.T) {
	lake := newHeldLake()
	s, db, clk := newServiceWith(t, Options{Lake: lake})
	ctx, cancel := context.WithCancel(context.Background())
	done := start(t, ctx, s.ImportTable, heldImport)
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
	cancel() // the first service's import ends, whatever it then records
	<-done
}

// Exports too: a retry while one runs gets it IN_PROGRESS, and one a crash
// cuts short is FAILED at the next start.
func TestExportRetriedWhileRunningAndCutShort(t *testing.T) {
	lake := newHeldLake()
	s, db, clk := newServiceWith(t, Options{Lake: lake})
	do(t, s.CreateTable, `{"TableName":"orders","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`)
	do(t, s.UpdateContinuousBackups, `{"TableName":"orders","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true}}`)
	do(t, s.PutItem, `{"TableName":"orders","Item":{"id":{"S":"a"}}}`)
	arn := s.tables[tableKey{"000000000000", "us-east-1", "orders"}].rec.arn()
	request := `{"TableArn":"` + arn + `","S3Bucket":"lake","ClientToken":"once"}`
	ctx, cancel := context.WithCancel(context.Background())
	done := start(t, ctx, s.ExportTableToPointInTime, request)
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
	cancel()
	<-done
}
