package awstest_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash/crc32"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/fxamacker/cbor/v2"

	"github.com/lakebox/lakebox/internal/awstest"
)

// TestDynamoDB_WireFormat checks what the SDKs do not show: every answer
// carries x-amz-crc32, the CRC32 of its body, which the Go SDK and
// botocore check, and its length, small or large (net/http sets a small
// one's itself); and an error's __type names the code in the namespace
// DynamoDB writes it in.
func TestDynamoDB_WireFormat(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	createAggregates(t, srv.DynamoDB(), "wire")
	big := `{"customer_id":{"S":"c"},"date":{"S":"d"},"note":{"S":"` + strings.Repeat("x", 5000) + `"}}`
	if resp, body := signedDynamoDB(t, srv, "PutItem", `{"TableName":"wire","Item":`+big+`}`); resp.StatusCode != 200 {
		t.Fatalf("PutItem: %d %s", resp.StatusCode, body)
	}
	for _, c := range []struct {
		op, body string
		status   int
		typ      string // the error's __type; "" for a success
	}{
		{"ListTables", `{}`, 200, ""},
		{"GetItem", `{"TableName":"wire","Key":{"customer_id":{"S":"c"},"date":{"S":"d"}}}`, 200, ""},
		{"DescribeTable", `{"TableName":"missing"}`, 400, "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"},
		{"CreateTable", `{"TableName":"wire"}`, 400, "com.amazon.coral.validate#ValidationException"},
		{"GetItem", `{"TableName":`, 400, "com.amazon.coral.service#SerializationException"},
		{"NoSuchOperation", `{}`, 400, "com.amazon.coral.service#UnknownOperationException"},
	} {
		resp, body := signedDynamoDB(t, srv, c.op, c.body)
		if resp.StatusCode != c.status {
			t.Errorf("%s %s: status %d, want %d: %s", c.op, c.body, resp.StatusCode, c.status, body)
			continue
		}
		if got, want := resp.Header.Get("X-Amz-Crc32"), strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10); got != want {
			t.Errorf("%s %s: x-amz-crc32 %q, want %q", c.op, c.body, got, want)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/x-amz-json-1.0" {
			t.Errorf("%s: Content-Type %q", c.op, ct)
		}
		if resp.ContentLength != int64(len(body)) || len(resp.TransferEncoding) > 0 {
			t.Errorf("%s: Content-Length %d, Transfer-Encoding %q, for a body of %d bytes", c.op, resp.ContentLength, resp.TransferEncoding, len(body))
		}
		if c.typ == "" {
			continue
		}
		var e struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}
		if err := json.Unmarshal(body, &e); err != nil || e.Type != c.typ || e.Message == "" {
			t.Errorf("%s %s: %s (%v), want __type %s with a message", c.op, c.body, body, err, c.typ)
		}
		if code := c.typ[strings.LastIndex(c.typ, "#")+1:]; resp.Header.Get("X-Amzn-Errortype") != code {
			t.Errorf("%s: X-Amzn-ErrorType %q, want %q", c.op, resp.Header.Get("X-Amzn-Errortype"), code)
		}
	}
}

// TestJSON_AuthRefusals checks the front door's refusals of JSON-protocol
// requests: in the JSON protocols' codes, not S3's, and for DynamoDB with
// its status, namespaces and CRC32.
func TestJSON_AuthRefusals(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t, awstest.Options{StrictAuth: true})
	good := aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}
	now := time.Now()
	for _, c := range []struct {
		name         string
		target       string
		creds        aws.Credentials
		at           time.Time
		header       map[string]string // set after signing
		status       int
		typ, message string // message: a prefix
		crc, json10  bool
	}{
		{"WrongSecret", "DynamoDB_20120810.ListTables", aws.Credentials{AccessKeyID: "test", SecretAccessKey: "wrong"}, now, nil,
			400, "com.amazon.coral.service#InvalidSignatureException", "The request signature we calculated does not match the signature you provided.", true, true},
		{"UnknownKey", "DynamoDB_20120810.ListTables", aws.Credentials{AccessKeyID: "AKIAUNKNOWN", SecretAccessKey: "x"}, now, nil,
			400, "com.amazon.coral.service#UnrecognizedClientException", "The security token included in the request is invalid.", true, true},
		{"Skewed", "DynamoDB_20120810.ListTables", good, now.Add(-20 * time.Minute), nil,
			400, "com.amazon.coral.service#InvalidSignatureException", "Signature expired: " + now.Add(-20*time.Minute).UTC().Format("20060102T150405Z") + " is now earlier than ", true, true},
		{"Unsigned", "DynamoDB_20120810.ListTables", aws.Credentials{}, now, nil,
			400, "com.amazon.coral.service#MissingAuthenticationTokenException", "Request is missing Authentication Token", true, true},
		{"Malformed", "DynamoDB_20120810.ListTables", aws.Credentials{}, now, map[string]string{"Authorization": "AWS4-HMAC-SHA256 Credential=x"},
			400, "com.amazon.coral.service#IncompleteSignatureException", "The authorization header is malformed", true, true},
		{"StreamsWrongSecret", "DynamoDBStreams_20120810.ListStreams", aws.Credentials{AccessKeyID: "test", SecretAccessKey: "wrong"}, now, nil,
			400, "InvalidSignatureException", "The request signature we calculated", false, true},
		{"KinesisWrongSecret", "Kinesis_20131202.ListStreams", aws.Credentials{AccessKeyID: "test", SecretAccessKey: "wrong"}, now, nil,
			400, "InvalidSignatureException", "The request signature we calculated", false, false},
		{"KinesisUnsigned", "Kinesis_20131202.ListStreams", aws.Credentials{}, now, nil,
			403, "MissingAuthenticationTokenException", "Missing Authentication Token", false, false},
		{"GlueUnknownKey", "AWSGlue.GetDatabases", aws.Credentials{AccessKeyID: "AKIAUNKNOWN", SecretAccessKey: "x"}, now, nil,
			400, "UnrecognizedClientException", "The security token included in the request is invalid.", false, false},
		{"AthenaWrongSecret", "AmazonAthena.ListWorkGroups", aws.Credentials{AccessKeyID: "test", SecretAccessKey: "wrong"}, now, nil,
			400, "InvalidSignatureException", "The request signature we calculated", false, false},
		{"FirehoseSkewed", "Firehose_20150804.ListDeliveryStreams", good, now.Add(20 * time.Minute), nil,
			400, "InvalidSignatureException", "Signature not yet current: ", false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			service := map[string]string{"DynamoDB_20120810": "dynamodb", "DynamoDBStreams_20120810": "dynamodb", "Kinesis_20131202": "kinesis",
				"AWSGlue": "glue", "AmazonAthena": "athena", "Firehose_20150804": "firehose"}[strings.Split(c.target, ".")[0]]
			resp, body := signedJSON(t, srv, service, c.target, `{}`, c.creds, c.at, c.header)
			var e struct {
				Type    string `json:"__type"`
				Message string `json:"message"`
			}
			if err := json.Unmarshal(body, &e); err != nil || resp.StatusCode != c.status || e.Type != c.typ || !strings.HasPrefix(e.Message, c.message) {
				t.Fatalf("%d %s (%v); want %d, __type %s, a message beginning %q", resp.StatusCode, body, err, c.status, c.typ, c.message)
			}
			if crc := resp.Header.Get("X-Amz-Crc32"); (crc != "") != c.crc || c.crc && crc != strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10) {
				t.Errorf("x-amz-crc32 %q", crc)
			}
			if ct := resp.Header.Get("Content-Type"); (ct == "application/x-amz-json-1.0") != c.json10 {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
	// A CBOR request to Kinesis is refused in CBOR, as the SDK for Java
	// that sends it reads its errors.
	resp, body := signedJSON(t, srv, "kinesis", "Kinesis_20131202.ListStreams", `{}`, aws.Credentials{AccessKeyID: "test", SecretAccessKey: "wrong"}, now,
		map[string]string{"Content-Type": "application/x-amz-cbor-1.1"})
	var e struct {
		Type    string `cbor:"__type"`
		Message string `cbor:"message"`
	}
	if err := cbor.Unmarshal(body, &e); err != nil || resp.StatusCode != 400 || e.Type != "InvalidSignatureException" ||
		resp.Header.Get("Content-Type") != "application/x-amz-cbor-1.1" {
		t.Errorf("a CBOR request refused: %d %s %q (%v)", resp.StatusCode, resp.Header.Get("Content-Type"), body, err)
	}
	// The canonical request the server expected is in the message, as
	// AWS's front end puts it there.
	_, body = signedJSON(t, srv, "dynamodb", "DynamoDB_20120810.ListTables", `{}`, aws.Credentials{AccessKeyID: "test", SecretAccessKey: "wrong"}, now, nil)
	if !strings.Contains(string(body), `The Canonical String for this request should have been\n'POST\n/\n`) {
		t.Errorf("no canonical request in %s", body)
	}
}

// signedDynamoDB posts one DynamoDB operation, signed as the SDKs sign it,
// and returns the response and its body.
func signedDynamoDB(t *testing.T, srv *awstest.Server, op, body string) (*http.Response, []byte) {
	t.Helper()
	return signedJSON(t, srv, "dynamodb", "DynamoDB_20120810."+op, body, aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, time.Now(), nil)
}

// signedJSON posts a JSON-protocol request signed with creds at a time
// (unsigned for empty creds), header set after signing, and returns the
// response and its body.
func signedJSON(t *testing.T, srv *awstest.Server, service, target, body string, creds aws.Credentials, at time.Time, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("POST", srv.URL+"/", bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	if service == "kinesis" {
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	}
	req.Header.Set("X-Amz-Target", target)
	if creds.AccessKeyID != "" {
		sum := sha256.Sum256([]byte(body))
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, "us-east-1", at); err != nil {
			t.Fatal(err)
		}
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}
