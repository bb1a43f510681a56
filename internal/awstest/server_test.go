package awstest_test

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakebox/lakebox/internal/awstest"
)

func httpDo(t *testing.T, srv *awstest.Server, method, path, body string, hdr map[string]string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func TestServer_Health(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	code, body, hdr := httpDo(t, srv, "GET", "/_lakebox/health", "", nil)
	var h struct {
		Status   string            `json:"status"`
		Version  string            `json:"version"`
		Services map[string]string `json:"services"`
	}
	if err := json.Unmarshal([]byte(body), &h); err != nil || code != 200 {
		t.Fatalf("%d %s: %v", code, body, err)
	}
	if h.Status != "ok" || h.Version != "test" || h.Services["s3"] != "running" || hdr.Get("X-Amz-Request-Id") == "" {
		t.Fatalf("health = %+v", h)
	}
}

func TestServer_Clock(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "clock")

	code, body, _ := httpDo(t, srv, "POST", "/_lakebox/clock", `{"advance":"720h"}`, nil)
	var st struct {
		Now    time.Time `json:"now"`
		Offset string    `json:"offset"`
	}
	if err := json.Unmarshal([]byte(body), &st); err != nil || code != 200 || st.Offset != "720h0m0s" {
		t.Fatalf("advance: %d %s", code, body)
	}
	if d := time.Until(st.Now); d < 719*time.Hour || d > 721*time.Hour {
		t.Fatalf("clock now %v is %v ahead", st.Now, d)
	}
	// Data written now carries server time; requests are still signed in real time.
	put(t, c, "clock", "future", "x")
	h := must[*s3.HeadObjectOutput](t)(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("clock"), Key: aws.String("future")}))
	if d := time.Until(aws.ToTime(h.LastModified)); d < 719*time.Hour {
		t.Fatalf("LastModified %v is only %v ahead", h.LastModified, d)
	}
	for _, bad := range []string{`{"advance":"-1h"}`, `{"advance":"soon"}`, `not json`} {
		if code, _, _ := httpDo(t, srv, "POST", "/_lakebox/clock", bad, nil); code != 400 {
			t.Errorf("advance %s: status %d", bad, code)
		}
	}

	// The offset survives a restart.
	srv.Stop()
	again := awstest.New(t, awstest.Options{DataDir: srv.DataDir})
	code, body, _ = httpDo(t, again, "GET", "/_lakebox/clock", "", nil)
	if !strings.Contains(body, `"offset":"720h0m0s"`) || code != 200 {
		t.Fatalf("after restart: %d %s", code, body)
	}
}

func TestServer_Metrics(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "metered")
	put(t, c, "metered", "k", "v")
	_, body, _ := httpDo(t, srv, "GET", "/metrics", "", nil)
	for _, want := range []string{
		`lakebox_requests_total{operation="PutObject",service="s3",status="200"} 1`,
		`lakebox_request_duration_seconds_count{operation="CreateBucket",service="s3"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestServer_Unroutable(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	code, body, hdr := httpDo(t, srv, "POST", "/", `{}`, map[string]string{"X-Amz-Target": "Kinesis_20131202.ListStreams"})
	if code != 403 || hdr.Get("X-Amzn-Errortype") != "MissingAuthenticationTokenException" || !strings.Contains(body, "__type") {
		t.Fatalf("unsigned JSON request: %d %s %v", code, body, hdr)
	}
	code, body, _ = httpDo(t, srv, "POST", "/", `{}`, map[string]string{
		"X-Amz-Target": "AmazonSQS.ListQueues", "X-Amz-Date": time.Now().UTC().Format("20060102T150405Z"),
		"Authorization": "AWS4-HMAC-SHA256 Credential=AKIAX/" + time.Now().UTC().Format("20060102") + "/us-east-1/sqs/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + strings.Repeat("a", 64),
	})
	if code != 501 || !strings.Contains(body, `"NotImplemented"`) {
		t.Fatalf("unknown service: %d %s", code, body)
	}
	// A service name any client can make up is no metric label.
	_, body, _ = httpDo(t, srv, "GET", "/metrics", "", nil)
	if strings.Contains(body, `service="sqs"`) || !strings.Contains(body, `lakebox_requests_total{operation="Unknown",service="unknown",status="501"} 1`) {
		t.Errorf("metrics of the unknown service's request:\n%s", body)
	}
	code, body, _ = httpDo(t, srv, "GET", "/no-such-bucket/key", "", nil)
	if code != 404 || !strings.Contains(body, "<Code>NoSuchBucket</Code>") {
		t.Fatalf("anonymous GET of a missing bucket: %d %s", code, body)
	}
}

// JSON-protocol answers carry x-amzn-RequestId, as AWS's do; S3's carry
// x-amz-request-id and x-amz-id-2.
func TestServer_RequestIDHeadersByProtocol(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	_, _, hdr := httpDo(t, srv, "POST", "/", `{}`, map[string]string{"X-Amz-Target": "DynamoDB_20120810.ListTables"})
	if hdr.Get("X-Amzn-Requestid") == "" || hdr.Get("X-Amz-Request-Id") != "" || hdr.Get("X-Amz-Id-2") != "" || hdr.Get("Server") != "Lakebox" {
		t.Errorf("JSON protocol headers: %v", hdr)
	}
	_, _, hdr = httpDo(t, srv, "GET", "/no-such-bucket/key", "", nil)
	if hdr.Get("X-Amz-Request-Id") == "" || hdr.Get("X-Amz-Id-2") == "" || hdr.Get("X-Amzn-Requestid") != "" || hdr.Get("Server") != "Lakebox" {
		t.Errorf("S3 headers: %v", hdr)
	}
}

func TestServer_MalformedInput(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "garbage")
	put(t, c, "garbage", "kept", "still here")
	signed := func(method, path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if body != "" {
			sum := md5.Sum([]byte(body))
			req.Header.Set("Content-MD5", base64.StdEncoding.EncodeToString(sum[:]))
		}
		signRequest(t, req, body)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tc := range []struct{ method, path, body, code string }{
		{"POST", "/garbage?delete", "<Delete><Object><Key>kept", "MalformedXML"},
		{"PUT", "/newbucket", "<CreateBucketConfiguration><LocationConstraint>", "MalformedXML"},
		{"PUT", "/garbage?tagging", "not xml at all", "MalformedXML"},
		{"PUT", "/garbage/k?tagging", "<Tagging><TagSet><Tag><Key>a</Key></Tag>", "MalformedXML"},
		{"POST", "/garbage/k?uploadId=bogus", "<CompleteMultipartUpload>", "MalformedXML"},
		{"GET", "/garbage?list-type=2&max-keys=many", "", "InvalidArgument"},
		{"GET", "/garbage/k?partNumber=x", "", "InvalidArgument"},
		{"PATCH", "/garbage/k", "", "MethodNotAllowed"},
		{"PUT", "/garbage?policy", `{"Version":"2012-10-17"}`, "MalformedPolicy"},
		{"PUT", "/garbage?lifecycle", `<LifecycleConfiguration/>`, "MalformedXML"},
		{"PUT", "/garbage?website", `<WebsiteConfiguration/>`, "NotImplemented"},
	} {
		code, body := signed(tc.method, tc.path, tc.body)
		if !strings.Contains(body, "<Code>"+tc.code+"</Code>") {
			t.Errorf("%s %s: %d %s, want %s", tc.method, tc.path, code, body, tc.code)
		}
	}
	if got := get(t, c, "garbage", "kept"); got != "still here" {
		t.Fatalf("object damaged: %q", got)
	}
}

func TestServer_Restart(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "durable")
	small, large := "small body", strings.Repeat("large body ", 10000)
	put(t, c, "durable", "small", small)
	put(t, c, "durable", "large", large)
	srv.Stop()

	again := awstest.New(t, awstest.Options{DataDir: srv.DataDir})
	c = again.S3()
	if get(t, c, "durable", "small") != small || get(t, c, "durable", "large") != large {
		t.Fatal("objects lost across restart")
	}
}
