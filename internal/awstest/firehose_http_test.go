package awstest_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	ftypes "github.com/aws/aws-sdk-go-v2/service/firehose/types"

	"github.com/lakebox/lakebox/internal/awstest"
)

// receiver is an HTTP endpoint as Firehose's contract wants one: it keeps
// what it is sent and answers as told.
type receiver struct {
	mu       sync.Mutex
	requests []received
	answer   string // "ok", "fail" (500), "wrong id" (200 naming another request)
}

type received struct {
	header http.Header
	body   struct {
		RequestID string `json:"requestId"`
		Timestamp int64  `json:"timestamp"`
		Records   []struct {
			Data []byte `json:"data"`
		} `json:"records"`
	}
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		z, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		body = z
	}
	var got received
	got.header = r.Header.Clone()
	if r.Method != http.MethodPost || json.NewDecoder(body).Decode(&got.body) != nil {
		http.Error(w, "bad request", 400)
		return
	}
	rc.mu.Lock()
	rc.requests = append(rc.requests, got)
	answer := rc.answer
	rc.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch answer {
	case "fail":
		w.WriteHeader(500)
		fmt.Fprintf(w, `{"requestId":%q,"timestamp":%d,"errorMessage":"database is down"}`, got.body.RequestID, time.Now().UnixMilli())
	case "wrong id":
		fmt.Fprintf(w, `{"requestId":"someone-else","timestamp":%d}`, time.Now().UnixMilli())
	default:
		fmt.Fprintf(w, `{"requestId":%q,"timestamp":%d}`, got.body.RequestID, time.Now().UnixMilli())
	}
}

func (rc *receiver) set(answer string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.answer = answer
}

// waitRequests waits until the receiver has n requests and returns them.
func (rc *receiver) waitRequests(t *testing.T, n int) []received {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		rc.mu.Lock()
		got := append([]received(nil), rc.requests...)
		rc.mu.Unlock()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d requests, want %d", len(got), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// errorLines waits for the failed-data objects under prefix to hold n
// records and returns them.
func errorLines(t *testing.T, srv *awstest.Server, prefix string, n int) []map[string]any {
	t.Helper()
	s3c := srv.S3As(awstest.Client{UsePathStyle: true})
	deadline := time.Now().Add(30 * time.Second)
	for {
		var out []map[string]any
		for _, body := range objects(t, s3c, "lake", prefix) {
			for _, line := range bytes.Split(bytes.TrimSpace(body), []byte("\n")) {
				var m map[string]any
				if err := json.Unmarshal(line, &m); err != nil {
					t.Fatalf("error record %q: %v", line, err)
				}
				out = append(out, m)
			}
		}
		if len(out) >= n {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d failed records under %s, want %d", len(out), prefix, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Records reach an HTTP endpoint under AWS's contract: gzip, the access
// key, common attributes, a request id kept across retries; an endpoint
// that keeps failing past the retry duration (server time) sends the
// records to S3 as failed data, as does a response that breaks the
// contract.
func TestFirehose_HTTPEndpoint(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	fh := srv.Firehose()
	createBucket(t, srv.S3As(awstest.Client{UsePathStyle: true}), "lake")
	rc := &receiver{answer: "ok"}
	endpoint := httptest.NewServer(rc)
	defer endpoint.Close()
	must[*firehose.CreateDeliveryStreamOutput](t)(fh.CreateDeliveryStream(ctx, &firehose.CreateDeliveryStreamInput{
		DeliveryStreamName: aws.String("to-http"),
		HttpEndpointDestinationConfiguration: &ftypes.HttpEndpointDestinationConfiguration{
			EndpointConfiguration: &ftypes.HttpEndpointConfiguration{Url: aws.String(endpoint.URL + "/ingest"), Name: aws.String("local"), AccessKey: aws.String("s3cret")},
			BufferingHints:        &ftypes.HttpEndpointBufferingHints{SizeInMBs: aws.Int32(1), IntervalInSeconds: aws.Int32(0)},
			RequestConfiguration: &ftypes.HttpEndpointRequestConfiguration{ContentEncoding: ftypes.ContentEncodingGzip,
				CommonAttributes: []ftypes.HttpEndpointCommonAttribute{{AttributeName: aws.String("env"), AttributeValue: aws.String("local")}}},
			RetryOptions:    &ftypes.HttpEndpointRetryOptions{DurationInSeconds: aws.Int32(60)},
			S3Configuration: &ftypes.S3DestinationConfiguration{BucketARN: aws.String("arn:aws:s3:::lake"), RoleARN: aws.String(roleARN), Prefix: aws.String("http/")},
		},
	}))
	d := must[*firehose.DescribeDeliveryStreamOutput](t)(fh.DescribeDeliveryStream(ctx, &firehose.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String("to-http")})).DeliveryStreamDescription
	hd := d.Destinations[0].HttpEndpointDestinationDescription
	if hd == nil || aws.ToString(hd.EndpointConfiguration.Url) != endpoint.URL+"/ingest" || hd.S3BackupMode != ftypes.HttpEndpointS3BackupModeFailedDataOnly ||
		aws.ToInt32(hd.RetryOptions.DurationInSeconds) != 60 || aws.ToString(hd.S3DestinationDescription.BucketARN) != "arn:aws:s3:::lake" {
		t.Fatalf("describe: %+v", d.Destinations[0])
	}

	putBatch(t, fh, "to-http", "one", "two", "three")
	req := rc.waitRequests(t, 1)[0]
	var data []string
	for _, r := range req.body.Records {
		data = append(data, string(r.Data))
	}
	h := req.header
	if fmt.Sprint(data) != "[one two three]" || h.Get("X-Amz-Firehose-Protocol-Version") != "1.0" || h.Get("X-Amz-Firehose-Request-Id") != req.body.RequestID ||
		h.Get("X-Amz-Firehose-Access-Key") != "s3cret" || h.Get("X-Amz-Firehose-Source-Arn") != "arn:aws:firehose:us-east-1:000000000000:deliverystream/to-http" ||
		h.Get("X-Amz-Firehose-Common-Attributes") != `{"commonAttributes":{"env":"local"}}` || h.Get("Content-Type") != "application/json" ||
		h.Get("Content-Encoding") != "gzip" || req.body.Timestamp <= 0 {
		t.Fatalf("request %v %+v", data, h)
	}
	waitDelivered(t, srv, "to-http")

	// A failing endpoint: retried with the same request id until the
	// retry duration of server time has passed, then failed data in S3.
	rc.set("fail")
	putBatch(t, fh, "to-http", "four")
	rc.waitRequests(t, 2)
	putBatch(t, fh, "to-http", "later") // waits in the log: the retry is the same batch
	retried := rc.waitRequests(t, 3)
	if retried[1].body.RequestID != retried[2].body.RequestID || retried[1].body.RequestID == req.body.RequestID ||
		len(retried[2].body.Records) != 1 || string(retried[2].body.Records[0].Data) != "four" {
		t.Fatalf("request ids: first batch %s, retries %s and %s; retried %d records", req.body.RequestID, retried[1].body.RequestID,
			retried[2].body.RequestID, len(retried[2].body.Records))
	}
	advance(t, srv, 2*time.Minute)
	failed := errorLines(t, srv, "http/http-endpoint-failed/", 1)
	raw, _ := base64.StdEncoding.DecodeString(fmt.Sprint(failed[0]["rawData"]))
	if string(raw) != "four" || failed[0]["errorCode"] != "HttpEndpoint.DestinationException" ||
		!strings.Contains(fmt.Sprint(failed[0]["errorMessage"]), "database is down") || failed[0]["attemptsMade"].(float64) < 2 {
		t.Fatalf("failed record: %v", failed[0])
	}
	rc.set("ok") // the batch that waited goes once the endpoint is back
	waitDelivered(t, srv, "to-http")
	if got := rc.waitRequests(t, 4); string(got[len(got)-1].body.Records[0].Data) != "later" {
		t.Fatalf("after the endpoint came back: %d requests", len(got))
	}

	// No retries, and a response that names another request.
	// An update naming only the URL keeps the access key (Describe never
	// shows it) and the gzip encoding.
	must[*firehose.UpdateDestinationOutput](t)(fh.UpdateDestination(ctx, &firehose.UpdateDestinationInput{DeliveryStreamName: aws.String("to-http"),
		CurrentDeliveryStreamVersionId: aws.String("1"), DestinationId: aws.String("destinationId-000000000001"),
		HttpEndpointDestinationUpdate: &ftypes.HttpEndpointDestinationUpdate{RetryOptions: &ftypes.HttpEndpointRetryOptions{DurationInSeconds: aws.Int32(0)},
			EndpointConfiguration: &ftypes.HttpEndpointConfiguration{Url: aws.String(endpoint.URL + "/ingest")},
			RequestConfiguration:  &ftypes.HttpEndpointRequestConfiguration{CommonAttributes: []ftypes.HttpEndpointCommonAttribute{{AttributeName: aws.String("env"), AttributeValue: aws.String("dev")}}}}}))
	rc.set("wrong id")
	putBatch(t, fh, "to-http", "five")
	failed = errorLines(t, srv, "http/http-endpoint-failed/", 2)
	last := rc.waitRequests(t, 1)
	if h := last[len(last)-1].header; h.Get("X-Amz-Firehose-Access-Key") != "s3cret" || h.Get("Content-Encoding") != "gzip" ||
		h.Get("X-Amz-Firehose-Common-Attributes") != `{"commonAttributes":{"env":"dev"}}` {
		t.Fatalf("after a partial update: %+v", h)
	}
	var codes []string
	for _, f := range failed {
		codes = append(codes, fmt.Sprint(f["errorCode"]))
	}
	if !strings.Contains(strings.Join(codes, " "), "HttpEndpoint.InvalidResponseFromDestination") {
		t.Fatalf("error codes %v", codes)
	}

	// AllData: every record is backed up to S3 as well.
	rc.set("ok")
	must[*firehose.CreateDeliveryStreamOutput](t)(fh.CreateDeliveryStream(ctx, &firehose.CreateDeliveryStreamInput{
		DeliveryStreamName: aws.String("to-http-all"),
		HttpEndpointDestinationConfiguration: &ftypes.HttpEndpointDestinationConfiguration{
			EndpointConfiguration: &ftypes.HttpEndpointConfiguration{Url: aws.String(endpoint.URL)},
			BufferingHints:        &ftypes.HttpEndpointBufferingHints{SizeInMBs: aws.Int32(1), IntervalInSeconds: aws.Int32(0)},
			S3BackupMode:          ftypes.HttpEndpointS3BackupModeAllData,
			S3Configuration: &ftypes.S3DestinationConfiguration{BucketARN: aws.String("arn:aws:s3:::lake"), RoleARN: aws.String(roleARN), Prefix: aws.String("all/"),
				BufferingHints: &ftypes.BufferingHints{SizeInMBs: aws.Int32(1), IntervalInSeconds: aws.Int32(0)}},
		},
	}))
	putBatch(t, fh, "to-http-all", "six\n", "seven\n")
	waitDelivered(t, srv, "to-http-all")
	var backedUp []string
	for _, body := range objects(t, srv.S3As(awstest.Client{UsePathStyle: true}), "lake", "all/") {
		backedUp = append(backedUp, strings.Fields(string(body))...)
	}
	if fmt.Sprint(backedUp) != "[six seven]" {
		t.Fatalf("AllData backup: %v", backedUp)
	}

	_, err := fh.CreateDeliveryStream(ctx, &firehose.CreateDeliveryStreamInput{DeliveryStreamName: aws.String("bad-url"),
		HttpEndpointDestinationConfiguration: &ftypes.HttpEndpointDestinationConfiguration{
			EndpointConfiguration: &ftypes.HttpEndpointConfiguration{Url: aws.String("ftp://example.com/")},
			S3Configuration:       &ftypes.S3DestinationConfiguration{BucketARN: aws.String("arn:aws:s3:::lake"), RoleARN: aws.String(roleARN)},
		}})
	wantCode(t, err, "InvalidArgumentException")
}
