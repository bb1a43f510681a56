package awstest_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lakebox/lakebox/internal/awstest"
)

// The handler benchmarks replay one request, signed by the SDK, straight
// into the server's handler: what Lakebox adds to a request beyond
// net/http's exchange, without a network or a client to share the cores
// with. bench/dynamodbbench measures the whole exchange.

func BenchmarkDynamoDBHandler_GetItem(b *testing.B) {
	srv, c := benchTable(b)
	must[*dynamodb.PutItemOutput](b)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("bench"), Item: benchItem()}))
	replay(b, srv, func(c *dynamodb.Client, _ int) error {
		_, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("bench"), Key: benchItemKey()})
		return err
	})
}

func BenchmarkDynamoDBHandler_PutItem(b *testing.B) {
	srv, _ := benchTable(b)
	// Each concurrent writer its own key, as in bench/dynamodbbench: writes
	// of one key wait for each other.
	replay(b, srv, func(c *dynamodb.Client, i int) error {
		item := benchItem()
		item["customer_id"] = str(fmt.Sprintf("customer-%06d", i))
		_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("bench"), Item: item})
		return err
	})
}

func benchTable(b *testing.B) (*awstest.Server, *dynamodb.Client) {
	srv := awstest.New(b)
	c := srv.DynamoDB()
	createAggregates(b, c, "bench")
	return srv, c
}

func benchItemKey() map[string]dtypes.AttributeValue {
	return map[string]dtypes.AttributeValue{"customer_id": str("customer-000001"), "date": str("2026-11-22")}
}

// benchItem is bench/dynamodbbench's item.
func benchItem() map[string]dtypes.AttributeValue {
	item := benchItemKey()
	item["total_spend"] = num("123.45")
	item["status"] = str("active")
	item["tags"] = &dtypes.AttributeValueMemberSS{Value: []string{"web", "promo"}}
	item["profile"] = &dtypes.AttributeValueMemberM{Value: map[string]dtypes.AttributeValue{"tier": str("gold"), "since": num("2019")}}
	return item
}

// replay captures the requests call sends for 64 variants and serves them
// b.N times from 16 goroutines.
func replay(b *testing.B, srv *awstest.Server, call func(c *dynamodb.Client, variant int) error) {
	b.Helper()
	type captured struct {
		req  *http.Request
		body []byte
	}
	var reqs []captured
	capture := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		req := r.Clone(context.Background())
		req.Host, req.RequestURI = r.URL.Host, r.URL.RequestURI()
		body, _ := io.ReadAll(r.Body)
		reqs = append(reqs, captured{req, body})
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader([]byte("{}"))), Request: r}, nil
	})
	c := dynamodb.New(dynamodb.Options{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(srv.URL), HTTPClient: &http.Client{Transport: capture}, RetryMaxAttempts: 1})
	for i := range 64 {
		if err := call(c, i); err != nil {
			b.Fatal(err)
		}
	}
	var next atomic.Int64
	serve := func(w *discardWriter) {
		clear(w.h)
		w.status = 0
		cr := reqs[int(next.Add(1))%len(reqs)]
		r := *cr.req
		r.Body = io.NopCloser(bytes.NewReader(cr.body))
		srv.Server.ServeHTTP(w, &r)
		if w.status != 0 && w.status != http.StatusOK {
			b.Errorf("status %d", w.status)
		}
	}
	serve(&discardWriter{h: http.Header{}})
	b.ReportAllocs()
	b.SetParallelism(8) // 16 concurrent requests on 2 cores, as bench/dynamodbbench
	cpu0 := cpuTime()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		w := &discardWriter{h: http.Header{}}
		for pb.Next() {
			serve(w)
		}
	})
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// cpuTime is the CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// discardWriter is a ResponseWriter that keeps only the status.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header { return w.h }
func (w *discardWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
