package awstest_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	ktypes "github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/fxamacker/cbor/v2"

	"github.com/lakebox/lakebox/internal/awsproto/eventstream"
	"github.com/lakebox/lakebox/internal/awstest"
)

// cborKinesis speaks Kinesis as the AWS SDK for Java does by default
// (and so KCL): JSON 1.1's operations with CBOR bodies, blobs as byte
// strings, timestamps as tag 1 over epoch milliseconds, and objects as
// indefinite-length maps, which is how Jackson's CBOR generator writes them.
type cborKinesis struct {
	t   *testing.T
	srv *awstest.Server
	hc  *http.Client
}

// send posts one operation and returns the response, unread.
func (c cborKinesis) send(op string, in map[string]any) *http.Response {
	c.t.Helper()
	body := indefiniteMap(c.t, in)
	req, err := http.NewRequest("POST", c.srv.URL+"/", bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-cbor-1.1")
	req.Header.Set("X-Amz-Target", "Kinesis_20131202."+op)
	sum := sha256.Sum256(body)
	err = v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"},
		req, hex.EncodeToString(sum[:]), "kinesis", "us-east-1", time.Now())
	if err != nil {
		c.t.Fatal(err)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp
}

// call posts one operation and decodes its CBOR answer.
func (c cborKinesis) call(op string, in map[string]any) (int, map[string]cbor.RawMessage) {
	c.t.Helper()
	resp := c.send(op, in)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/x-amz-cbor-1.1" {
		c.t.Fatalf("%s: content type %q", op, ct)
	}
	var out map[string]cbor.RawMessage
	if err := cbor.Unmarshal(b, &out); err != nil {
		c.t.Fatalf("%s: %v in %x", op, err, b)
	}
	return resp.StatusCode, out
}

// ok calls op and fails the test unless it succeeds.
func (c cborKinesis) ok(op string, in map[string]any) map[string]cbor.RawMessage {
	c.t.Helper()
	status, out := c.call(op, in)
	if status != 200 {
		c.t.Fatalf("%s: status %d: %v", op, status, out)
	}
	return out
}

// indefiniteMap encodes m as Jackson does: a map of indefinite length.
func indefiniteMap(t *testing.T, m map[string]any) []byte {
	b := []byte{0xbf}
	for k, v := range m {
		kb, err := cbor.Marshal(k)
		if err != nil {
			t.Fatal(err)
		}
		vb, err := cbor.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		b = append(append(b, kb...), vb...)
	}
	return append(b, 0xff)
}

func decodeAs[T any](t *testing.T, raw cbor.RawMessage) T {
	t.Helper()
	var v T
	if err := cbor.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%v in %x", err, raw)
	}
	return v
}

// millisOf reads a timestamp as the Java SDK does: tag 1 over epoch
// milliseconds.
func millisOf(t *testing.T, raw cbor.RawMessage) time.Time {
	t.Helper()
	tag := decodeAs[cbor.RawTag](t, raw)
	if tag.Number != 1 {
		t.Fatalf("timestamp %x: tag %d, want 1", raw, tag.Number)
	}
	return time.UnixMilli(decodeAs[int64](t, tag.Content))
}

func TestKinesis_CBOR(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := cborKinesis{t, srv, srv.HTTPClient()}
	before := time.Now().Add(-time.Second)
	c.ok("CreateStream", map[string]any{"StreamName": "java", "ShardCount": 1})
	summary := decodeAs[map[string]cbor.RawMessage](t, c.ok("DescribeStreamSummary", map[string]any{"StreamName": "java"})["StreamDescriptionSummary"])
	if created := millisOf(t, summary["StreamCreationTimestamp"]); created.Before(before) || created.After(time.Now().Add(time.Second)) {
		t.Fatalf("StreamCreationTimestamp = %v", created)
	}
	if n := decodeAs[int](t, summary["OpenShardCount"]); n != 1 {
		t.Fatalf("OpenShardCount = %d", n)
	}

	// Blobs go in and come out as byte strings, every byte intact.
	data := []byte{0, 0xff, 0xfe, '"', '\\', 0x80}
	put := c.ok("PutRecord", map[string]any{"StreamName": "java", "PartitionKey": "k", "Data": data})
	first := decodeAs[string](t, put["SequenceNumber"])
	batch := c.ok("PutRecords", map[string]any{"StreamName": "java", "Records": []any{
		map[string]any{"PartitionKey": "k", "Data": []byte("second")},
		map[string]any{"PartitionKey": "k", "Data": []byte{}},
	}})
	if n := decodeAs[int](t, batch["FailedRecordCount"]); n != 0 {
		t.Fatalf("FailedRecordCount = %d", n)
	}

	// AT_TIMESTAMP with the Java SDK's timestamp: tag 1 over milliseconds.
	it := c.ok("GetShardIterator", map[string]any{"StreamName": "java", "ShardId": "shardId-000000000000",
		"ShardIteratorType": "AT_TIMESTAMP", "Timestamp": cbor.Tag{Number: 1, Content: before.UnixMilli()}})
	got := c.ok("GetRecords", map[string]any{"ShardIterator": decodeAs[string](t, it["ShardIterator"])})
	records := decodeAs[[]map[string]cbor.RawMessage](t, got["Records"])
	if len(records) != 3 {
		t.Fatalf("records = %d, want 3", len(records))
	}
	if d := decodeAs[[]byte](t, records[0]["Data"]); !bytes.Equal(d, data) {
		t.Fatalf("Data = %x, want %x", d, data)
	}
	if s := decodeAs[string](t, records[0]["SequenceNumber"]); s != first {
		t.Fatalf("SequenceNumber = %s, want %s", s, first)
	}
	if at := millisOf(t, records[0]["ApproximateArrivalTimestamp"]); at.Before(before) || at.After(time.Now().Add(time.Second)) {
		t.Fatalf("ApproximateArrivalTimestamp = %v", at)
	}
	if d := decodeAs[[]byte](t, records[2]["Data"]); len(d) != 0 {
		t.Fatalf("empty Data = %x", d)
	}
	if ms := decodeAs[int64](t, got["MillisBehindLatest"]); ms < 0 {
		t.Fatalf("MillisBehindLatest = %d", ms)
	}
	// A timestamp after every record finds none.
	it = c.ok("GetShardIterator", map[string]any{"StreamName": "java", "ShardId": "shardId-000000000000",
		"ShardIteratorType": "AT_TIMESTAMP", "Timestamp": cbor.Tag{Number: 1, Content: time.Now().Add(time.Hour).UnixMilli()}})
	got = c.ok("GetRecords", map[string]any{"ShardIterator": decodeAs[string](t, it["ShardIterator"])})
	if n := len(decodeAs[[]any](t, got["Records"])); n != 0 {
		t.Fatalf("records after the last = %d", n)
	}

	// Errors are CBOR maps with the code and message.
	status, e := c.call("DescribeStream", map[string]any{"StreamName": "missing"})
	if status != 400 || decodeAs[string](t, e["__type"]) != "ResourceNotFoundException" || decodeAs[string](t, e["message"]) == "" {
		t.Fatalf("error %d %v", status, e)
	}
	status, e = c.call("PutRecord", map[string]any{"StreamName": "java", "PartitionKey": "k", "Data": "not a blob"})
	if status != 400 || decodeAs[string](t, e["__type"]) != "SerializationException" {
		t.Fatalf("a text string for a blob: %d %v", status, e)
	}

	// Enhanced fan-out: the events' payloads are CBOR too.
	arn := decodeAs[string](t, summary["StreamARN"])
	consumer := decodeAs[map[string]cbor.RawMessage](t, c.ok("RegisterStreamConsumer", map[string]any{"StreamARN": arn, "ConsumerName": "kcl"})["Consumer"])
	resp := c.send("SubscribeToShard", map[string]any{"ConsumerARN": decodeAs[string](t, consumer["ConsumerARN"]),
		"ShardId": "shardId-000000000000", "StartingPosition": map[string]any{"Type": "TRIM_HORIZON"}})
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.amazon.eventstream" {
		t.Fatalf("SubscribeToShard: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	headers, payload := readEvent(t, resp.Body)
	if headers[":event-type"] != "initial-response" || headers[":content-type"] != "application/x-amz-cbor-1.1" || !bytes.Equal(payload, []byte{0xa0}) {
		t.Fatalf("first event %v %x", headers, payload)
	}
	headers, payload = readEvent(t, resp.Body)
	ev := decodeAs[map[string]cbor.RawMessage](t, payload)
	pushed := decodeAs[[]map[string]cbor.RawMessage](t, ev["Records"])
	if headers[":event-type"] != "SubscribeToShardEvent" || len(pushed) != 3 || !bytes.Equal(decodeAs[[]byte](t, pushed[0]["Data"]), data) {
		t.Fatalf("event %v with %d records", headers, len(pushed))
	}
	millisOf(t, pushed[1]["ApproximateArrivalTimestamp"])
}

// readEvent reads the next event-stream message of an open response.
func readEvent(t *testing.T, r io.Reader) (map[string]string, []byte) {
	t.Helper()
	prelude := make([]byte, 4)
	if _, err := io.ReadFull(r, prelude); err != nil {
		t.Fatal(err)
	}
	msg := make([]byte, binary.BigEndian.Uint32(prelude))
	copy(msg, prelude)
	if _, err := io.ReadFull(r, msg[4:]); err != nil {
		t.Fatal(err)
	}
	hs, payload, _, err := eventstream.ReadMessage(msg)
	if err != nil {
		t.Fatal(err)
	}
	headers := map[string]string{}
	for _, h := range hs {
		headers[h.Name] = h.Value
	}
	return headers, payload
}

// TestKinesis_HTTP2: the AWS SDK for Java sends SubscribeToShard over
// HTTP/2 only, without TLS to a plain endpoint. A client that speaks
// nothing but HTTP/2 subscribes and gets its records pushed.
func TestKinesis_HTTP2(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	h2 := new(http.Protocols)
	h2.SetUnencryptedHTTP2(true)
	var notH2 atomic.Int32
	hc := &http.Client{Transport: h2Only{&http.Transport{Protocols: h2}, &notH2}}
	c := kinesis.New(kinesis.Options{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(srv.URL), HTTPClient: hc, RetryMaxAttempts: 1})
	createStream(t, c, "h2", 1)
	stream := subscribe(t, c, "h2", "java", ktypes.ShardIteratorTypeLatest)
	defer stream.Close()
	// Records put while the subscription is open arrive on it.
	must[*kinesis.PutRecordOutput](t)(c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("h2"), PartitionKey: aws.String("k"), Data: []byte("pushed")}))
	for ev := range stream.Events() {
		e := ev.(*ktypes.SubscribeToShardEventStreamMemberSubscribeToShardEvent)
		if len(e.Value.Records) == 0 {
			continue
		}
		if string(e.Value.Records[0].Data) != "pushed" {
			t.Fatalf("records = %+v", e.Value.Records)
		}
		if n := notH2.Load(); n > 0 {
			t.Fatalf("%d responses were not HTTP/2", n)
		}
		return
	}
	t.Fatalf("the stream ended without the record: %v", stream.Err())
}

// A subscription open when the server shuts down ends, its stream closed
// cleanly, and does not hold the shutdown up (which would fail the test
// after 30 s with "serve: server: shutdown: context deadline exceeded").
func TestKinesis_SubscriptionEndsAtShutdown(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.Kinesis()
	createStream(t, c, "drain", 1)
	must[*kinesis.PutRecordOutput](t)(c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("drain"), PartitionKey: aws.String("k"), Data: []byte("first")}))
	stream := subscribe(t, c, "drain", "c", ktypes.ShardIteratorTypeTrimHorizon)
	defer stream.Close()
	ev := <-stream.Events() // the subscription is open: its first event came
	if e, ok := ev.(*ktypes.SubscribeToShardEventStreamMemberSubscribeToShardEvent); !ok || len(e.Value.Records) != 1 {
		t.Fatalf("first event: %#v", ev)
	}
	srv.Stop()
	for range stream.Events() {
	}
	if err := stream.Err(); err != nil {
		t.Errorf("the stream ended with %v", err)
	}
}

// subscribe registers a consumer of a stream and subscribes it to the
// stream's first shard.
func subscribe(t *testing.T, c *kinesis.Client, streamName, consumer string, start ktypes.ShardIteratorType) *kinesis.SubscribeToShardEventStream {
	t.Helper()
	arn := must[*kinesis.DescribeStreamSummaryOutput](t)(c.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(streamName)})).StreamDescriptionSummary.StreamARN
	reg := must[*kinesis.RegisterStreamConsumerOutput](t)(c.RegisterStreamConsumer(ctx, &kinesis.RegisterStreamConsumerInput{StreamARN: arn, ConsumerName: aws.String(consumer)}))
	sub := must[*kinesis.SubscribeToShardOutput](t)(c.SubscribeToShard(ctx, &kinesis.SubscribeToShardInput{ConsumerARN: reg.Consumer.ConsumerARN,
		ShardId: aws.String("shardId-000000000000"), StartingPosition: &ktypes.StartingPosition{Type: start}}))
	return sub.GetStream()
}

// h2Only counts the responses that are not HTTP/2.
type h2Only struct {
	http.RoundTripper
	other *atomic.Int32
}

func (h h2Only) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := h.RoundTripper.RoundTrip(r)
	if err == nil && resp.ProtoMajor != 2 {
		h.other.Add(1)
	}
	return resp, err
}
