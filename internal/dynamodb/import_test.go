package dynamodb

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/lakebox/lakebox/internal/clock"
)

// heldLake serves one CSV object whose reading waits until released (or
// the request is cancelled), so a test can act while an import runs.
type heldLake struct {
	reading chan struct{} // closed when the import starts reading
	release chan struct{}
}

func newHeldLake() *heldLake {
	return &heldLake{reading: make(chan struct{}), release: make(chan struct{})}
}

func (l *heldLake) Put(context.Context, string, string, string, []byte, string) error {
	return errors.New("not for imports")
}

func (l *heldLake) List(_ context.Context, _, _, _ string, fn func(key string, size int64) error) error {
	return fn("in/part-0.csv", 20)
}

func (l *heldLake) Get(ctx context.Context, _, _, _ string) (io.ReadCloser, error) {
	close(l.reading)
	select {
	case <-l.release:
		return io.NopCloser(strings.NewReader("id,v\na,1\nb,2\n")), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

const heldImport = `{"ClientToken":"once","S3BucketSource":{"S3Bucket":"lake","S3KeyPrefix":"in/"},"InputFormat":"CSV",
	"TableCreationParameters":{"TableName":"imported","BillingMode":"PAY_PER_REQUEST",
		"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}]}}`

// startImport runs heldImport in the background; the returned channel
// gives its answer.
func startImport(t *testing.T, s *Service, ctx context.Context) <-chan *ImportTableOutput {
	t.Helper()
	in := new(ImportTableInput)
	if err := jsonv2.Unmarshal([]byte(heldImport), in); err != nil {
		t.Fatal(err)
	}
	done := make(chan *ImportTableOutput, 1)
	go func() {
		out, err := s.ImportTable(ctx, in)
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
	done := startImport(t, s, context.Background())
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
	done := startImport(t, s, ctx)
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
