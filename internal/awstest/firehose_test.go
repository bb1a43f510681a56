package awstest_test

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/athena"
	atypes "github.com/aws/aws-sdk-go-v2/service/athena/types"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	ftypes "github.com/aws/aws-sdk-go-v2/service/firehose/types"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/klauspost/compress/snappy"

	"github.com/lakebox/lakebox/internal/awstest"
	"github.com/lakebox/lakebox/internal/kinesis/kpl"
)

const roleARN = "arn:aws:iam::000000000000:role/firehose"

// waitDelivered waits until a delivery stream has delivered every record
// put into it: a condition the server reports, not a sleep.
func waitDelivered(t *testing.T, srv *awstest.Server, name string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ok, err := srv.FirehoseService().Settled("000000000000", "us-east-1", name)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("delivery stream %s did not deliver its records", name)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// advance moves the server's clock the way users do, which wakes the
// workers that act on time.
func advance(t *testing.T, srv *awstest.Server, d time.Duration) {
	t.Helper()
	resp, err := http.Post(srv.URL+"/_lakebox/clock", "application/json", strings.NewReader(fmt.Sprintf(`{"advance":%q}`, d.String())))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("advance clock: %v %v", resp, err)
	}
	resp.Body.Close()
}

// objects lists a bucket's keys under a prefix with their bodies.
func objects(t *testing.T, c *s3.Client, bucket, prefix string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	list := must[*s3.ListObjectsV2Output](t)(c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)}))
	for _, o := range list.Contents {
		out[*o.Key] = readAll(t)(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: o.Key}))
	}
	return out
}

func keysOf(m map[string][]byte) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func putBatch(t *testing.T, c *firehose.Client, name string, records ...string) {
	t.Helper()
	var recs []ftypes.Record
	for _, r := range records {
		recs = append(recs, ftypes.Record{Data: []byte(r)})
	}
	out := must[*firehose.PutRecordBatchOutput](t)(c.PutRecordBatch(ctx, &firehose.PutRecordBatchInput{DeliveryStreamName: aws.String(name), Records: recs}))
	if aws.ToInt32(out.FailedPutCount) != 0 || len(out.RequestResponses) != len(records) {
		t.Fatalf("PutRecordBatch: %+v", out)
	}
}

func s3Dest(bucket string, mod func(*ftypes.ExtendedS3DestinationConfiguration)) *ftypes.ExtendedS3DestinationConfiguration {
	d := &ftypes.ExtendedS3DestinationConfiguration{
		BucketARN: aws.String("arn:aws:s3:::" + bucket), RoleARN: aws.String(roleARN),
		BufferingHints: &ftypes.BufferingHints{IntervalInSeconds: aws.Int32(0), SizeInMBs: aws.Int32(5)},
	}
	if mod != nil {
		mod(d)
	}
	return d
}

func createDelivery(t *testing.T, c *firehose.Client, name string, d *ftypes.ExtendedS3DestinationConfiguration) {
	t.Helper()
	if _, err := c.CreateDeliveryStream(ctx, &firehose.CreateDeliveryStreamInput{DeliveryStreamName: aws.String(name), ExtendedS3DestinationConfiguration: d}); err != nil {
		t.Fatal(err)
	}
}

// An object name as AWS makes them: stream, version, the oldest record's
// arrival to the second, a UUID, the extension.
func objectName(stream, ext string) *regexp.Regexp {
	return regexp.MustCompile(`^` + regexp.QuoteMeta(stream) + `-1-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}` + regexp.QuoteMeta(ext) + `$`)
}

func TestFirehose_DeliversWithDefaultTimePathAndEachCompression(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	s3c, fh := srv.S3(), srv.Firehose()
	createBucket(t, s3c, "lake")
	now := srv.Clock().Now().UTC()
	decode := map[string]func([]byte) []byte{
		"UNCOMPRESSED": func(b []byte) []byte { return b },
		"GZIP": func(b []byte) []byte {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			return must[[]byte](t)(io.ReadAll(zr))
		},
		"ZIP": func(b []byte) []byte {
			zr := must[*zip.Reader](t)(zip.NewReader(bytes.NewReader(b), int64(len(b))))
			if len(zr.File) != 1 {
				t.Fatalf("zip holds %d entries", len(zr.File))
			}
			f := must[io.ReadCloser](t)(zr.File[0].Open())
			return must[[]byte](t)(io.ReadAll(f))
		},
		"Snappy": func(b []byte) []byte { // snappy-java's stream format
			if !bytes.HasPrefix(b, []byte("\x82SNAPPY\x00\x00\x00\x00\x01\x00\x00\x00\x01")) {
				t.Fatalf("no snappy-java header: %x", b[:16])
			}
			var out []byte
			for b = b[16:]; len(b) > 0; {
				n := binary.BigEndian.Uint32(b)
				out = append(out, must[[]byte](t)(snappy.Decode(nil, b[4:4+n]))...)
				b = b[4+n:]
			}
			return out
		},
		"HADOOP_SNAPPY": func(b []byte) []byte {
			var out []byte
			for len(b) > 0 {
				raw, n := binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:])
				block := must[[]byte](t)(snappy.Decode(nil, b[8:8+n]))
				if len(block) != int(raw) {
					t.Fatalf("hadoop block of %d bytes says %d", len(block), raw)
				}
				out = append(out, block...)
				b = b[8+n:]
			}
			return out
		},
	}
	ext := map[string]string{"UNCOMPRESSED": "", "GZIP": ".gz", "ZIP": ".zip", "Snappy": ".snappy", "HADOOP_SNAPPY": ".hsnappy"}
	for format, dec := range decode {
		name := "raw-" + strings.ToLower(strings.ReplaceAll(format, "_", "-"))
		createDelivery(t, fh, name, s3Dest("lake", func(d *ftypes.ExtendedS3DestinationConfiguration) {
			d.Prefix = aws.String(name + "/")
			d.CompressionFormat = ftypes.CompressionFormat(format)
		}))
		big := strings.Repeat("x", 300<<10) // several compression blocks
		putBatch(t, fh, name, `{"a":1}`+"\n", `{"a":2}`+"\n", big)
		waitDelivered(t, srv, name)
		objs := objects(t, s3c, "lake", name+"/")
		if len(objs) != 1 {
			t.Fatalf("%s: objects %v", format, keysOf(objs))
		}
		for key, body := range objs {
			dir := name + "/" + now.Format("2006/01/02/15") + "/"
			if !strings.HasPrefix(key, dir) || !objectName(name, ext[format]).MatchString(strings.TrimPrefix(key, dir)) {
				t.Errorf("%s: key %s, want %s<name>%s", format, key, dir, ext[format])
			}
			if got := string(dec(body)); got != `{"a":1}`+"\n"+`{"a":2}`+"\n"+big {
				t.Errorf("%s: body of %d bytes is not the records", format, len(got))
			}
		}
	}
	// The counts behind AWS's IncomingRecords and DeliveryToS3.Records.
	resp := must[*http.Response](t)(http.Get(srv.URL + "/_lakebox/metrics"))
	metrics := string(must[[]byte](t)(io.ReadAll(resp.Body)))
	resp.Body.Close()
	for _, line := range []string{
		`lakebox_firehose_incoming_records_total{delivery_stream="raw-gzip"} 3`,
		`lakebox_firehose_delivered_records_total{delivery_stream="raw-gzip",kind="data"} 3`,
		`lakebox_firehose_delivered_objects_total{delivery_stream="raw-zip",kind="data"} 1`,
	} {
		if !strings.Contains(metrics, line) {
			t.Errorf("metrics lack %s", line)
		}
	}
}

func TestFirehose_PrefixExpressionsAndBufferingOnTheServerClock(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	s3c, fh := srv.S3(), srv.Firehose()
	createBucket(t, s3c, "lake")
	createDelivery(t, fh, "clicks", s3Dest("lake", func(d *ftypes.ExtendedS3DestinationConfiguration) {
		d.Prefix = aws.String("clicks/!{timestamp:'year='yyyy'/month='MM}/!{firehose:random-string}/")
		d.ErrorOutputPrefix = aws.String("errors/!{firehose:error-output-type}/!{timestamp:yyyy}/")
		d.BufferingHints = &ftypes.BufferingHints{IntervalInSeconds: aws.Int32(120), SizeInMBs: aws.Int32(1)}
		d.FileExtension = aws.String(".json")
		d.ProcessingConfiguration = &ftypes.ProcessingConfiguration{Enabled: aws.Bool(true), Processors: []ftypes.Processor{{Type: ftypes.ProcessorTypeAppendDelimiterToRecord}}}
	}))
	arrived := srv.Clock().Now().UTC()
	putBatch(t, fh, "clicks", `{"n":1}`, `{"n":2}`)
	// Not due: nothing is written until the interval passes on the server clock.
	waitDelivered := func() bool {
		ok, _ := srv.FirehoseService().Settled("000000000000", "us-east-1", "clicks")
		return ok
	}
	if waitDelivered() || len(objects(t, s3c, "lake", "")) != 0 {
		t.Fatal("records were delivered before the buffer interval")
	}
	advance(t, srv, 121*time.Second)
	deadline := time.Now().Add(30 * time.Second)
	for !waitDelivered() {
		if time.Now().After(deadline) {
			t.Fatal("not delivered after the interval passed")
		}
		time.Sleep(5 * time.Millisecond)
	}
	objs := objects(t, s3c, "lake", "")
	keys := keysOf(objs)
	want := regexp.MustCompile(`^clicks/year=` + arrived.Format("2006") + `/month=` + arrived.Format("01") + `/[A-Za-z0-9]{11}/` +
		`clicks-1-` + arrived.Format("2006-01-02-15-04-05") + `-[0-9a-f-]{36}\.json$`)
	if len(keys) != 1 || !want.MatchString(keys[0]) {
		t.Fatalf("keys %v, want one matching %s", keys, want)
	}
	if got := string(objs[keys[0]]); got != "{\"n\":1}\n{\"n\":2}\n" {
		t.Fatalf("body %q", got)
	}

	// A full buffer is delivered at once, whatever the interval.
	big := strings.Repeat("y", 600<<10)
	putBatch(t, fh, "clicks", big)
	putBatch(t, fh, "clicks", big)
	deadline = time.Now().Add(30 * time.Second)
	for len(objects(t, s3c, "lake", "clicks/")) < 2 {
		if time.Now().After(deadline) {
			t.Fatal("a full buffer was not delivered")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A failing S3 delivery is retried for as long as Firehose keeps the
// records (24 hours of server time for DirectPut), then the records are
// discarded, as AWS does, and the records behind them flow.
func TestFirehose_FailingDeliveryIsRetriedForTheRetentionThenDiscarded(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	s3c, fh := srv.S3(), srv.Firehose()
	createDelivery(t, fh, "late", s3Dest("late-bucket", nil))
	createDelivery(t, fh, "doomed", s3Dest("never-bucket", nil))
	createDelivery(t, fh, "refilled", s3Dest("refilled-bucket", nil))
	putBatch(t, fh, "late", `{"a":1}`, `{"a":2}`)
	putBatch(t, fh, "doomed", `{"b":1}`, `{"b":2}`, `{"b":3}`)
	putBatch(t, fh, "refilled", `{"c":1}`)

	// 23 hours on, the records are still kept: they arrive once the
	// bucket exists.
	advance(t, srv, 23*time.Hour)
	createBucket(t, s3c, "late-bucket")
	advance(t, srv, time.Second) // wakes the worker out of its backoff
	waitDelivered(t, srv, "late")
	objs := objects(t, s3c, "late-bucket", "")
	if len(objs) != 1 {
		t.Fatalf("late-bucket holds %v", keysOf(objs))
	}
	for _, body := range objs {
		if string(body) != `{"a":1}{"a":2}` {
			t.Fatalf("late delivery: %q", body)
		}
	}
	if ok, _ := srv.FirehoseService().Settled("000000000000", "us-east-1", "doomed"); ok {
		t.Fatal("doomed records were dropped before their retention ran out")
	}
	// A record put while the delivery fails joins the failing buffer; it
	// must not be dropped with the older ones.
	putBatch(t, fh, "refilled", `{"c":2}`)

	// Past 24 hours, the failing records are discarded and counted.
	advance(t, srv, 2*time.Hour)
	waitDelivered(t, srv, "doomed")
	resp := must[*http.Response](t)(http.Get(srv.URL + "/_lakebox/metrics"))
	metrics := string(must[[]byte](t)(io.ReadAll(resp.Body)))
	resp.Body.Close()
	if want := `lakebox_firehose_discarded_records_total{delivery_stream="doomed",kind="data"} 3`; !strings.Contains(metrics, want) {
		t.Errorf("metrics lack %s", want)
	}
	for _, stream := range []string{"late", "refilled"} {
		if strings.Contains(metrics, `lakebox_firehose_discarded_records_total{delivery_stream="`+stream+`"`) {
			t.Errorf("records of the %s stream were counted as discarded", stream)
		}
	}
	createBucket(t, s3c, "refilled-bucket")
	advance(t, srv, time.Second)
	waitDelivered(t, srv, "refilled")
	var refilled string
	objs = objects(t, s3c, "refilled-bucket", "")
	for _, k := range keysOf(objs) {
		refilled += string(objs[k])
	}
	if refilled != `{"c":1}{"c":2}` {
		t.Fatalf("refilled-bucket holds %q: a record put 2 hours before was dropped", refilled)
	}

	// Records put after the discard are delivered normally, alone.
	createBucket(t, s3c, "never-bucket")
	putBatch(t, fh, "doomed", `{"b":4}`)
	waitDelivered(t, srv, "doomed")
	objs = objects(t, s3c, "never-bucket", "")
	if len(objs) != 1 {
		t.Fatalf("never-bucket holds %v", keysOf(objs))
	}
	for _, body := range objs {
		if string(body) != `{"b":4}` {
			t.Fatalf("delivery after the discard: %q", body)
		}
	}
}

// A Kinesis-sourced delivery stream keeps records whose delivery fails for
// as long as its source stream keeps them, not 24 hours.
func TestFirehose_KinesisSourcedFailingDeliveryKeepsTheSourcesRetention(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	s3c, fh, k := srv.S3(), srv.Firehose(), srv.Kinesis()
	createStream(t, k, "kept", 1)
	must[*kinesis.IncreaseStreamRetentionPeriodOutput](t)(k.IncreaseStreamRetentionPeriod(ctx, &kinesis.IncreaseStreamRetentionPeriodInput{
		StreamName: aws.String("kept"), RetentionPeriodHours: aws.Int32(48)}))
	if _, err := fh.CreateDeliveryStream(ctx, &firehose.CreateDeliveryStreamInput{
		DeliveryStreamName: aws.String("from-kept"), DeliveryStreamType: ftypes.DeliveryStreamTypeKinesisStreamAsSource,
		KinesisStreamSourceConfiguration: &ftypes.KinesisStreamSourceConfiguration{
			KinesisStreamARN: aws.String("arn:aws:kinesis:us-east-1:000000000000:stream/kept"), RoleARN: aws.String(roleARN)},
		ExtendedS3DestinationConfiguration: s3Dest("kept-bucket", nil),
	}); err != nil {
		t.Fatal(err)
	}
	advance(t, srv, time.Second) // records before the stream was made are not read
	must[*kinesis.PutRecordOutput](t)(k.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("kept"), PartitionKey: aws.String("p"), Data: []byte("kept")}))
	// Wait until Firehose has read the record from the stream.
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp := must[*http.Response](t)(http.Get(srv.URL + "/_lakebox/metrics"))
		metrics := string(must[[]byte](t)(io.ReadAll(resp.Body)))
		resp.Body.Close()
		if strings.Contains(metrics, `lakebox_firehose_incoming_records_total{delivery_stream="from-kept"} 1`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Firehose did not read the record from its source")
		}
		time.Sleep(5 * time.Millisecond)
	}
	advance(t, srv, 30*time.Hour)
	createBucket(t, s3c, "kept-bucket")
	advance(t, srv, time.Second) // wakes the worker out of its backoff
	waitDelivered(t, srv, "from-kept")
	objs := objects(t, s3c, "kept-bucket", "")
	if len(objs) != 1 || string(objs[keysOf(objs)[0]]) != "kept" {
		t.Fatalf("kept-bucket holds %v: the record was not kept for the source's 48 hours", keysOf(objs))
	}
}

func TestFirehose_DynamicPartitioningWithJQ(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	s3c, fh := srv.S3(), srv.Firehose()
	createBucket(t, s3c, "lake")
	createDelivery(t, fh, "orders", s3Dest("lake", func(d *ftypes.ExtendedS3DestinationConfiguration) {
		d.Prefix = aws.String("orders/customer=!{partitionKeyFromQuery:customer}/region=!{partitionKeyFromQuery:region}/")
		d.ErrorOutputPrefix = aws.String("errors/!{firehose:error-output-type}/")
		d.BufferingHints = &ftypes.BufferingHints{IntervalInSeconds: aws.Int32(60), SizeInMBs: aws.Int32(64)}
		d.DynamicPartitioningConfiguration = &ftypes.DynamicPartitioningConfiguration{Enabled: aws.Bool(true)}
		d.ProcessingConfiguration = &ftypes.ProcessingConfiguration{Enabled: aws.Bool(true), Processors: []ftypes.Processor{
			{Type: ftypes.ProcessorTypeRecordDeAggregation, Parameters: []ftypes.ProcessorParameter{{ParameterName: "SubRecordType", ParameterValue: aws.String("JSON")}}},
			{Type: ftypes.ProcessorTypeMetadataExtraction, Parameters: []ftypes.ProcessorParameter{
				{ParameterName: "MetadataExtractionQuery", ParameterValue: aws.String("{customer: .customer_id, region: .geo.region | ascii_downcase}")},
				{ParameterName: "JsonParsingEngine", ParameterValue: aws.String("JQ-1.6")},
			}},
			{Type: ftypes.ProcessorTypeAppendDelimiterToRecord},
		}}
	}))
	now := srv.Clock().Now().UTC()
	putBatch(t, fh, "orders",
		`{"customer_id":7,"geo":{"region":"EU"},"total":1}{"customer_id":8,"geo":{"region":"US"},"total":2}`, // de-aggregated
		`{"customer_id":7,"geo":{"region":"eu"},"total":3}`,
		`{"geo":{"region":"eu"}}`, // no customer: an error
		`not json`)
	advance(t, srv, time.Minute)
	waitDelivered(t, srv, "orders")
	got := map[string]string{}
	for k, v := range objects(t, s3c, "lake", "") {
		got[k[:strings.Index(k, "orders-1-")]] += string(v)
	}
	want := map[string]string{
		"orders/customer=7/region=eu/": `{"customer_id":7,"geo":{"region":"EU"},"total":1}` + "\n" + `{"customer_id":7,"geo":{"region":"eu"},"total":3}` + "\n",
		"orders/customer=8/region=us/": `{"customer_id":8,"geo":{"region":"US"},"total":2}` + "\n",
	}
	for dir, body := range want {
		if got[dir] != body {
			t.Errorf("%s holds %q, want %q", dir, got[dir], body)
		}
	}
	var errs []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(got["errors/processing-failed/"+now.Format("2006/01/02/15/")]), "\n") {
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("error record %q: %v", line, err)
		}
		errs = append(errs, e)
	}
	if len(errs) != 2 || len(got) != 3 {
		t.Fatalf("folders %v, error records %v", keysOf(objects(t, s3c, "lake", "")), errs)
	}
	raw, _ := base64.StdEncoding.DecodeString(errs[1]["rawData"].(string))
	if string(raw) != "not json" || errs[0]["errorCode"] != "DynamicPartitioning.MetadataExtractionFailed" || errs[0]["attemptsMade"] != 1.0 {
		t.Errorf("error records %v", errs)
	}
}

func TestFirehose_API(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	fh := srv.Firehose()
	createDelivery(t, fh, "s1", s3Dest("lake", nil))
	d := must[*firehose.DescribeDeliveryStreamOutput](t)(fh.DescribeDeliveryStream(ctx, &firehose.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String("s1")})).DeliveryStreamDescription
	if d.DeliveryStreamStatus != ftypes.DeliveryStreamStatusActive || aws.ToString(d.VersionId) != "1" || len(d.Destinations) != 1 ||
		aws.ToString(d.Destinations[0].DestinationId) != "destinationId-000000000001" || d.Destinations[0].S3DestinationDescription == nil ||
		d.Destinations[0].ExtendedS3DestinationDescription.CompressionFormat != ftypes.CompressionFormatUncompressed ||
		aws.ToString(d.DeliveryStreamARN) != "arn:aws:firehose:us-east-1:000000000000:deliverystream/s1" {
		t.Fatalf("describe: %+v", d)
	}
	_, err := fh.CreateDeliveryStream(ctx, &firehose.CreateDeliveryStreamInput{DeliveryStreamName: aws.String("s1"), ExtendedS3DestinationConfiguration: s3Dest("lake", nil)})
	wantCode(t, err, "ResourceInUseException")
	_, err = fh.DescribeDeliveryStream(ctx, &firehose.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String("nope")})
	wantCode(t, err, "ResourceNotFoundException")
	if !strings.Contains(err.Error(), "Firehose nope under account 000000000000 not found.") {
		t.Errorf("message: %v", err)
	}

	// UpdateDestination checks the version and bumps it.
	_, err = fh.UpdateDestination(ctx, &firehose.UpdateDestinationInput{DeliveryStreamName: aws.String("s1"), CurrentDeliveryStreamVersionId: aws.String("7"),
		DestinationId: aws.String("destinationId-000000000001"), ExtendedS3DestinationUpdate: &ftypes.ExtendedS3DestinationUpdate{CompressionFormat: ftypes.CompressionFormatGzip}})
	wantCode(t, err, "ConcurrentModificationException")
	must[*firehose.UpdateDestinationOutput](t)(fh.UpdateDestination(ctx, &firehose.UpdateDestinationInput{DeliveryStreamName: aws.String("s1"), CurrentDeliveryStreamVersionId: aws.String("1"),
		DestinationId: aws.String("destinationId-000000000001"), ExtendedS3DestinationUpdate: &ftypes.ExtendedS3DestinationUpdate{CompressionFormat: ftypes.CompressionFormatGzip}}))
	d = must[*firehose.DescribeDeliveryStreamOutput](t)(fh.DescribeDeliveryStream(ctx, &firehose.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String("s1")})).DeliveryStreamDescription
	if aws.ToString(d.VersionId) != "2" || d.Destinations[0].ExtendedS3DestinationDescription.CompressionFormat != ftypes.CompressionFormatGzip ||
		aws.ToInt32(d.Destinations[0].ExtendedS3DestinationDescription.BufferingHints.IntervalInSeconds) != 0 {
		t.Fatalf("after update: %+v", d.Destinations[0].ExtendedS3DestinationDescription)
	}
	_, err = fh.UpdateDestination(ctx, &firehose.UpdateDestinationInput{DeliveryStreamName: aws.String("s1"), CurrentDeliveryStreamVersionId: aws.String("2"),
		DestinationId: aws.String("destinationId-000000000001"), ExtendedS3DestinationUpdate: &ftypes.ExtendedS3DestinationUpdate{
			DynamicPartitioningConfiguration: &ftypes.DynamicPartitioningConfiguration{Enabled: aws.Bool(true)}}})
	wantCode(t, err, "InvalidArgumentException")

	// Configurations AWS refuses, and what Lakebox does not do.
	for name, d := range map[string]*ftypes.ExtendedS3DestinationConfiguration{
		"expr-no-error-prefix": s3Dest("lake", func(d *ftypes.ExtendedS3DestinationConfiguration) { d.Prefix = aws.String("!{timestamp:yyyy}/") }),
		"error-type-in-prefix": s3Dest("lake", func(d *ftypes.ExtendedS3DestinationConfiguration) {
			d.Prefix = aws.String("!{firehose:error-output-type}/")
			d.ErrorOutputPrefix = aws.String("e/!{firehose:error-output-type}")
		}),
		"bad-namespace": s3Dest("lake", func(d *ftypes.ExtendedS3DestinationConfiguration) {
			d.Prefix = aws.String("!{nope:x}/")
			d.ErrorOutputPrefix = aws.String("e/!{firehose:error-output-type}")
		}),
		"key-without-partitioning": s3Dest("lake", func(d *ftypes.ExtendedS3DestinationConfiguration) {
			d.Prefix = aws.String("!{partitionKeyFromQuery:k}/")
			d.ErrorOutputPrefix = aws.String("e/!{firehose:error-output-type}")
		}),
		"lambda": s3Dest("lake", func(d *ftypes.ExtendedS3DestinationConfiguration) {
			d.ProcessingConfiguration = &ftypes.ProcessingConfiguration{Enabled: aws.Bool(true), Processors: []ftypes.Processor{{Type: ftypes.ProcessorTypeLambda,
				Parameters: []ftypes.ProcessorParameter{{ParameterName: "LambdaArn", ParameterValue: aws.String("arn:aws:lambda:us-east-1:000000000000:function:f")}}}}}
		}),
		"partitioning-small-buffer": s3Dest("lake", func(d *ftypes.ExtendedS3DestinationConfiguration) {
			d.Prefix = aws.String("!{partitionKeyFromQuery:k}/")
			d.ErrorOutputPrefix = aws.String("e/!{firehose:error-output-type}")
			d.DynamicPartitioningConfiguration = &ftypes.DynamicPartitioningConfiguration{Enabled: aws.Bool(true)}
		}),
		"orc-0.11": s3Dest("lake", func(d *ftypes.ExtendedS3DestinationConfiguration) {
			d.BufferingHints = &ftypes.BufferingHints{SizeInMBs: aws.Int32(64), IntervalInSeconds: aws.Int32(60)}
			d.DataFormatConversionConfiguration = &ftypes.DataFormatConversionConfiguration{
				SchemaConfiguration:       &ftypes.SchemaConfiguration{DatabaseName: aws.String("db"), TableName: aws.String("t"), RoleARN: aws.String(roleARN)},
				InputFormatConfiguration:  &ftypes.InputFormatConfiguration{Deserializer: &ftypes.Deserializer{OpenXJsonSerDe: &ftypes.OpenXJsonSerDe{}}},
				OutputFormatConfiguration: &ftypes.OutputFormatConfiguration{Serializer: &ftypes.Serializer{OrcSerDe: &ftypes.OrcSerDe{FormatVersion: ftypes.OrcFormatVersionV011}}},
			}
		}),
	} {
		_, err := fh.CreateDeliveryStream(ctx, &firehose.CreateDeliveryStreamInput{DeliveryStreamName: aws.String(name), ExtendedS3DestinationConfiguration: d})
		wantCode(t, err, "InvalidArgumentException")
	}
	_, err = fh.CreateDeliveryStream(ctx, &firehose.CreateDeliveryStreamInput{DeliveryStreamName: aws.String("splunk"),
		SplunkDestinationConfiguration: &ftypes.SplunkDestinationConfiguration{HECEndpoint: aws.String("https://x"), HECEndpointType: ftypes.HECEndpointTypeRaw,
			HECToken: aws.String("t"), S3Configuration: &ftypes.S3DestinationConfiguration{BucketARN: aws.String("arn:aws:s3:::lake"), RoleARN: aws.String(roleARN)}}})
	wantCode(t, err, "InvalidArgumentException")

	// Record limits.
	_, err = fh.PutRecord(ctx, &firehose.PutRecordInput{DeliveryStreamName: aws.String("s1"), Record: &ftypes.Record{Data: make([]byte, 1_024_001)}})
	wantCode(t, err, "ValidationException")
	_, err = fh.PutRecordBatch(ctx, &firehose.PutRecordBatchInput{DeliveryStreamName: aws.String("s1"), Records: slices.Repeat([]ftypes.Record{{Data: []byte("x")}}, 501)})
	wantCode(t, err, "ValidationException")
	_, err = fh.PutRecord(ctx, &firehose.PutRecordInput{DeliveryStreamName: aws.String("nope"), Record: &ftypes.Record{Data: []byte("x")}})
	wantCode(t, err, "ResourceNotFoundException")

	// Listing and tags.
	createDelivery(t, fh, "s2", s3Dest("lake", nil))
	createDelivery(t, fh, "s0", s3Dest("lake", nil))
	l := must[*firehose.ListDeliveryStreamsOutput](t)(fh.ListDeliveryStreams(ctx, &firehose.ListDeliveryStreamsInput{Limit: aws.Int32(2)}))
	if fmt.Sprint(l.DeliveryStreamNames) != "[s0 s1]" || !aws.ToBool(l.HasMoreDeliveryStreams) {
		t.Fatalf("list: %+v", l)
	}
	l = must[*firehose.ListDeliveryStreamsOutput](t)(fh.ListDeliveryStreams(ctx, &firehose.ListDeliveryStreamsInput{ExclusiveStartDeliveryStreamName: aws.String("s1")}))
	if fmt.Sprint(l.DeliveryStreamNames) != "[s2]" || aws.ToBool(l.HasMoreDeliveryStreams) {
		t.Fatalf("list after s1: %+v", l)
	}
	if other := srv.FirehoseAs(awstest.Client{Region: "eu-west-1"}); len(must[*firehose.ListDeliveryStreamsOutput](t)(other.ListDeliveryStreams(ctx, &firehose.ListDeliveryStreamsInput{})).DeliveryStreamNames) != 0 {
		t.Fatal("streams of us-east-1 are visible in eu-west-1")
	}
	must[*firehose.TagDeliveryStreamOutput](t)(fh.TagDeliveryStream(ctx, &firehose.TagDeliveryStreamInput{DeliveryStreamName: aws.String("s1"),
		Tags: []ftypes.Tag{{Key: aws.String("team"), Value: aws.String("data")}, {Key: aws.String("env"), Value: aws.String("dev")}}}))
	must[*firehose.UntagDeliveryStreamOutput](t)(fh.UntagDeliveryStream(ctx, &firehose.UntagDeliveryStreamInput{DeliveryStreamName: aws.String("s1"), TagKeys: []string{"env"}}))
	tags := must[*firehose.ListTagsForDeliveryStreamOutput](t)(fh.ListTagsForDeliveryStream(ctx, &firehose.ListTagsForDeliveryStreamInput{DeliveryStreamName: aws.String("s1")}))
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "team" {
		t.Fatalf("tags: %+v", tags.Tags)
	}
	must[*firehose.DeleteDeliveryStreamOutput](t)(fh.DeleteDeliveryStream(ctx, &firehose.DeleteDeliveryStreamInput{DeliveryStreamName: aws.String("s1")}))
	_, err = fh.DescribeDeliveryStream(ctx, &firehose.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String("s1")})
	wantCode(t, err, "ResourceNotFoundException")
}

// Records converted to Parquet by the Glue table's schema read back
// through Athena with their types; records that do not fit the schema go
// to the error output.
func TestFirehose_ParquetConversionReadBackThroughAthena(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	s3c, fh, a := srv.S3As(awstest.Client{UsePathStyle: true}), srv.Firehose(), srv.Athena()
	createBucket(t, s3c, "lake")
	createBucket(t, s3c, "results")
	sql := succeeds(t, srv, a, "default")
	sql("CREATE DATABASE shop")
	// The schema conversion uses: no location, as Firehose users make it.
	sql(`CREATE EXTERNAL TABLE shop.order_schema (id bigint, Customer string, amount decimal(10,2), ts timestamp, day date,
		tags array<string>, attrs map<string,int>, ship struct<city:string,zip:int>, ok boolean, score double) STORED AS PARQUET LOCATION 's3://lake/none/'`)
	createDelivery(t, fh, "orders", s3Dest("lake", func(d *ftypes.ExtendedS3DestinationConfiguration) {
		d.Prefix = aws.String("curated/orders/")
		d.BufferingHints = &ftypes.BufferingHints{SizeInMBs: aws.Int32(128), IntervalInSeconds: aws.Int32(60)}
		d.DataFormatConversionConfiguration = &ftypes.DataFormatConversionConfiguration{
			SchemaConfiguration: &ftypes.SchemaConfiguration{DatabaseName: aws.String("shop"), TableName: aws.String("order_schema"), RoleARN: aws.String(roleARN)},
			InputFormatConfiguration: &ftypes.InputFormatConfiguration{Deserializer: &ftypes.Deserializer{OpenXJsonSerDe: &ftypes.OpenXJsonSerDe{
				ColumnToJsonKeyMappings: map[string]string{"score": "rating"}}}},
			OutputFormatConfiguration: &ftypes.OutputFormatConfiguration{Serializer: &ftypes.Serializer{ParquetSerDe: &ftypes.ParquetSerDe{Compression: ftypes.ParquetCompressionGzip}}},
		}
	}))
	putBatch(t, fh, "orders",
		`{"id":1,"CUSTOMER":"ann","amount":12.345,"ts":"2024-03-01T10:00:00Z","day":"2024-03-01","tags":["a","b"],"attrs":{"x":1},"ship":{"City":"Oslo","zip":150},"ok":true,"rating":4.5,"extra":"dropped"}`,
		`{"id":"2","customer":"bob","amount":"7","ts":1709287200000,"tags":[],"ok":false}`,
		`{"id":3,"customer":"cy","amount":"abc"}`,
		`{"id":4`)
	advance(t, srv, time.Minute)
	waitDelivered(t, srv, "orders")
	objs := objects(t, s3c, "lake", "curated/orders/2") // the time path; errors are under curated/orders/format-conversion-failed/
	keys := keysOf(objs)
	if len(keys) != 1 || !strings.HasSuffix(keys[0], ".parquet") || !bytes.HasPrefix(objs[keys[0]], []byte("PAR1")) {
		t.Fatalf("delivered %v", keys)
	}
	folder := keys[0][:strings.LastIndex(keys[0], "/")+1]
	checkConvertedOrders(t, a, sql, `(id bigint, customer string, amount decimal(10,2), ts timestamp, day date,
		tags array<string>, attrs map<string,int>, ship struct<city:string,zip:int>, ok boolean, score double) STORED AS PARQUET`, folder)
	errs := objects(t, s3c, "lake", "curated/orders/format-conversion-failed/")
	var lines []string
	for _, body := range errs {
		lines = append(lines, strings.Split(strings.TrimSpace(string(body)), "\n")...)
	}
	if len(lines) != 2 {
		t.Fatalf("error output %v: %q", keysOf(errs), lines)
	}
	var e struct {
		LastErrorCode    string `json:"lastErrorCode"`
		RawData          []byte `json:"rawData"`
		DataCatalogTable struct {
			DatabaseName, TableName string
		} `json:"dataCatalogTable"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &e); err != nil || e.LastErrorCode != "DataFormatConversion.MalformedData" ||
		!strings.Contains(string(e.RawData), `"abc"`) || e.DataCatalogTable.TableName != "order_schema" {
		t.Fatalf("error record %s: %+v %v", lines[0], e, err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &e); err != nil || e.LastErrorCode != "DataFormatConversion.ParseError" {
		t.Fatalf("error record %s", lines[1])
	}
}

// checkConvertedOrders declares shop.orders (its columns and format) over
// the folder Firehose delivered the orders of the conversion tests to, and
// reads them back: the first two records converted, the third and fourth
// in the error output.
func checkConvertedOrders(t *testing.T, a *athena.Client, sql func(string) *atypes.QueryExecution, table, folder string) {
	t.Helper()
	sql(`CREATE EXTERNAL TABLE shop.orders ` + table + ` LOCATION 's3://lake/` + folder + `'`)
	q := sql(`SELECT id, customer, amount, ts, day, cardinality(tags), attrs['x'], ship.city, ship.zip, ok, score FROM shop.orders ORDER BY id`)
	want := [][]string{
		{"id", "customer", "amount", "ts", "day", "_col5", "_col6", "city", "zip", "ok", "score"},
		{"1", "ann", "12.35", "2024-03-01 10:00:00.000", "2024-03-01", "2", "1", "Oslo", "150", "true", "4.5"},
		{"2", "bob", "7.00", "2024-03-01 10:00:00.000", "∅", "0", "∅", "∅", "∅", "false", "∅"},
	}
	if got := rows(t, a, q.QueryExecutionId); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("rows\n%v\nwant\n%v", got, want)
	}
}

// Records converted to ORC by the Glue table's schema read back through
// Athena with their types, from a table STORED AS ORC over the delivery.
func TestFirehose_ORCConversionReadBackThroughAthena(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	s3c, fh, a := srv.S3As(awstest.Client{UsePathStyle: true}), srv.Firehose(), srv.Athena()
	createBucket(t, s3c, "lake")
	createBucket(t, s3c, "results")
	sql := succeeds(t, srv, a, "default")
	sql("CREATE DATABASE shop")
	columns := `(id bigint, customer string, amount decimal(10,2), ts timestamp, day date,
		tags array<string>, attrs map<string,int>, ship struct<city:string,zip:int>, ok boolean, score double)`
	sql(`CREATE EXTERNAL TABLE shop.order_schema ` + columns + ` STORED AS ORC LOCATION 's3://lake/none/'`)
	conversion := func(serde *ftypes.OrcSerDe) *ftypes.DataFormatConversionConfiguration {
		return &ftypes.DataFormatConversionConfiguration{
			SchemaConfiguration:       &ftypes.SchemaConfiguration{DatabaseName: aws.String("shop"), TableName: aws.String("order_schema"), RoleARN: aws.String(roleARN)},
			InputFormatConfiguration:  &ftypes.InputFormatConfiguration{Deserializer: &ftypes.Deserializer{OpenXJsonSerDe: &ftypes.OpenXJsonSerDe{}}},
			OutputFormatConfiguration: &ftypes.OutputFormatConfiguration{Serializer: &ftypes.Serializer{OrcSerDe: serde}},
		}
	}
	for _, tc := range []struct {
		serde *ftypes.OrcSerDe
		code  string
	}{
		{&ftypes.OrcSerDe{FormatVersion: ftypes.OrcFormatVersionV011}, "InvalidArgumentException"},
		{&ftypes.OrcSerDe{StripeSizeBytes: aws.Int32(1 << 20)}, "ValidationException"},
		{&ftypes.OrcSerDe{DictionaryKeyThreshold: aws.Float64(2)}, "ValidationException"},
	} {
		_, err := fh.CreateDeliveryStream(ctx, &firehose.CreateDeliveryStreamInput{DeliveryStreamName: aws.String("bad"),
			ExtendedS3DestinationConfiguration: s3Dest("lake", func(d *ftypes.ExtendedS3DestinationConfiguration) {
				d.BufferingHints = &ftypes.BufferingHints{SizeInMBs: aws.Int32(64), IntervalInSeconds: aws.Int32(60)}
				d.DataFormatConversionConfiguration = conversion(tc.serde)
			})})
		wantCode(t, err, tc.code)
		if !strings.Contains(err.Error(), "orcSerDe") && !strings.Contains(err.Error(), "OrcSerDe") {
			t.Fatalf("%+v: %v", tc.serde, err)
		}
	}
	createDelivery(t, fh, "orders", s3Dest("lake", func(d *ftypes.ExtendedS3DestinationConfiguration) {
		d.Prefix = aws.String("curated/orders/")
		d.BufferingHints = &ftypes.BufferingHints{SizeInMBs: aws.Int32(128), IntervalInSeconds: aws.Int32(60)}
		d.DataFormatConversionConfiguration = conversion(&ftypes.OrcSerDe{Compression: ftypes.OrcCompressionZlib, StripeSizeBytes: aws.Int32(8 << 20)})
	}))
	putBatch(t, fh, "orders",
		`{"id":1,"CUSTOMER":"ann","amount":12.345,"ts":"2024-03-01T10:00:00Z","day":"2024-03-01","tags":["a","b"],"attrs":{"x":1},"ship":{"City":"Oslo","zip":150},"ok":true,"score":4.5}`,
		`{"id":"2","customer":"bob","amount":"7","ts":1709287200000,"tags":[],"ok":false}`,
		`{"id":3,"customer":"cy","amount":"abc"}`)
	advance(t, srv, time.Minute)
	waitDelivered(t, srv, "orders")
	objs := objects(t, s3c, "lake", "curated/orders/2")
	keys := keysOf(objs)
	if len(keys) != 1 || !strings.HasSuffix(keys[0], ".orc") || !bytes.HasPrefix(objs[keys[0]], []byte("ORC")) {
		t.Fatalf("delivered %v", keys)
	}
	folder := keys[0][:strings.LastIndex(keys[0], "/")+1]
	checkConvertedOrders(t, a, sql, columns+" STORED AS ORC", folder)
	if errs := objects(t, s3c, "lake", "curated/orders/format-conversion-failed/"); len(errs) != 1 {
		t.Fatalf("error output %v", keysOf(errs))
	}
}

// A Kinesis-sourced delivery stream reads the records that arrive after
// it is made, KPL aggregates de-aggregated; producers cannot put into it.
func TestFirehose_KinesisSourceEncryptionAndBackup(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	s3c, fh, k := srv.S3(), srv.Firehose(), srv.Kinesis()
	createBucket(t, s3c, "lake")
	createStream(t, k, "events", 2)
	must[*kinesis.PutRecordOutput](t)(k.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("events"), PartitionKey: aws.String("p"), Data: []byte("before\n")}))
	arn := "arn:aws:kinesis:us-east-1:000000000000:stream/events"
	if _, err := fh.CreateDeliveryStream(ctx, &firehose.CreateDeliveryStreamInput{
		DeliveryStreamName: aws.String("from-kinesis"), DeliveryStreamType: ftypes.DeliveryStreamTypeKinesisStreamAsSource,
		KinesisStreamSourceConfiguration:   &ftypes.KinesisStreamSourceConfiguration{KinesisStreamARN: aws.String(arn), RoleARN: aws.String(roleARN)},
		ExtendedS3DestinationConfiguration: s3Dest("lake", func(d *ftypes.ExtendedS3DestinationConfiguration) { d.Prefix = aws.String("stream/") }),
	}); err != nil {
		t.Fatal(err)
	}
	advance(t, srv, time.Second) // records before the stream was made are not read
	agg := kpl.Aggregate([]kpl.UserRecord{{PartitionKey: "a", Data: []byte("agg1\n")}, {PartitionKey: "b", Data: []byte("agg2\n")}})
	for _, data := range [][]byte{[]byte("one\n"), agg, []byte("two\n")} {
		must[*kinesis.PutRecordOutput](t)(k.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("events"), PartitionKey: aws.String("p"), Data: data}))
	}
	deadline := time.Now().Add(30 * time.Second)
	var got []string
	for len(got) < 4 {
		got = nil
		for _, body := range objects(t, s3c, "lake", "stream/") {
			got = append(got, strings.Fields(string(body))...)
		}
		if time.Now().After(deadline) {
			t.Fatalf("delivered %v", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
	sort.Strings(got)
	if fmt.Sprint(got) != "[agg1 agg2 one two]" {
		t.Fatalf("delivered %v, want the records put after the delivery stream was made", got)
	}
	_, err := fh.PutRecord(ctx, &firehose.PutRecordInput{DeliveryStreamName: aws.String("from-kinesis"), Record: &ftypes.Record{Data: []byte("x")}})
	wantCode(t, err, "InvalidArgumentException")

	// Encryption at rest in the buffer log, and the raw records backed up.
	createDelivery(t, fh, "sealed", s3Dest("lake", func(d *ftypes.ExtendedS3DestinationConfiguration) {
		d.Prefix = aws.String("sealed/")
		d.BufferingHints = &ftypes.BufferingHints{SizeInMBs: aws.Int32(5), IntervalInSeconds: aws.Int32(300)}
		d.ProcessingConfiguration = &ftypes.ProcessingConfiguration{Enabled: aws.Bool(true), Processors: []ftypes.Processor{{Type: ftypes.ProcessorTypeAppendDelimiterToRecord}}}
		d.S3BackupMode = ftypes.S3BackupModeEnabled
		d.S3BackupConfiguration = &ftypes.S3DestinationConfiguration{BucketARN: aws.String("arn:aws:s3:::lake"), RoleARN: aws.String(roleARN), Prefix: aws.String("backup/"),
			BufferingHints: &ftypes.BufferingHints{SizeInMBs: aws.Int32(5), IntervalInSeconds: aws.Int32(300)}}
	}))
	must[*firehose.StartDeliveryStreamEncryptionOutput](t)(fh.StartDeliveryStreamEncryption(ctx, &firehose.StartDeliveryStreamEncryptionInput{
		DeliveryStreamName: aws.String("sealed"), DeliveryStreamEncryptionConfigurationInput: &ftypes.DeliveryStreamEncryptionConfigurationInput{KeyType: ftypes.KeyTypeAwsOwnedCmk}}))
	d := must[*firehose.DescribeDeliveryStreamOutput](t)(fh.DescribeDeliveryStream(ctx, &firehose.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String("sealed")})).DeliveryStreamDescription
	if d.DeliveryStreamEncryptionConfiguration.Status != ftypes.DeliveryStreamEncryptionStatusEnabled {
		t.Fatalf("encryption: %+v", d.DeliveryStreamEncryptionConfiguration)
	}
	out := must[*firehose.PutRecordOutput](t)(fh.PutRecord(ctx, &firehose.PutRecordInput{DeliveryStreamName: aws.String("sealed"), Record: &ftypes.Record{Data: []byte("top-secret-payload")}}))
	if !aws.ToBool(out.Encrypted) {
		t.Fatal("PutRecord does not report the record encrypted")
	}
	logs, _ := filepath.Glob(filepath.Join(srv.DataDir, "firehose", "*", "*.log"))
	for _, f := range logs {
		if b, _ := os.ReadFile(f); bytes.Contains(b, []byte("top-secret-payload")) {
			t.Fatalf("%s holds the record in the clear", f)
		}
	}
	advance(t, srv, 5*time.Minute)
	waitDelivered(t, srv, "sealed")
	for prefix, want := range map[string]string{"sealed/": "top-secret-payload\n", "backup/": "top-secret-payload"} {
		objs := objects(t, s3c, "lake", prefix)
		if len(objs) != 1 || string(objs[keysOf(objs)[0]]) != want {
			t.Errorf("%s: %v", prefix, objs)
		}
	}
}

// TestCrash_FirehoseDeliversAcknowledgedRecords kills the server with
// SIGKILL while eight producers put batches into a delivery stream
// (delivering as it goes), restarts it, and checks that every
// acknowledged record is delivered, exactly once.
func TestCrash_FirehoseDeliversAcknowledgedRecords(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	t.Parallel()
	dir := t.TempDir()
	srv := startChild(t, dir)
	s3c, fh := srv.client(), srv.firehoseClient()
	createBucket(t, s3c, "lake")
	createDelivery(t, fh, "crash", s3Dest("lake", func(d *ftypes.ExtendedS3DestinationConfiguration) {
		d.Prefix = aws.String("out/")
		d.BufferingHints = &ftypes.BufferingHints{SizeInMBs: aws.Int32(1), IntervalInSeconds: aws.Int32(0)}
		d.CompressionFormat = ftypes.CompressionFormatGzip
	}))
	const killAfter = 300
	acked := writeUntilKilled(srv, 8, killAfter, func(w, i int) (string, [16]byte, error) {
		recs := make([]ftypes.Record, 20)
		for j := range recs {
			recs[j].Data = []byte(fmt.Sprintf("w%d/b%05d/r%02d %s\n", w, i, j, strings.Repeat("x", 200)))
		}
		out, err := fh.PutRecordBatch(ctx, &firehose.PutRecordBatchInput{DeliveryStreamName: aws.String("crash"), Records: recs})
		if err != nil {
			return "", [16]byte{}, err
		}
		if aws.ToInt32(out.FailedPutCount) != 0 {
			return "", [16]byte{}, fmt.Errorf("%d records failed", aws.ToInt32(out.FailedPutCount))
		}
		return fmt.Sprintf("w%d/b%05d", w, i), [16]byte{}, nil
	})
	if len(acked) < killAfter {
		t.Fatalf("only %d batches acknowledged", len(acked))
	}

	s3c = startChild(t, dir).client()
	deadline := time.Now().Add(60 * time.Second)
	for {
		seen := map[string]int{}
		p := s3.NewListObjectsV2Paginator(s3c, &s3.ListObjectsV2Input{Bucket: aws.String("lake"), Prefix: aws.String("out/")})
		for p.HasMorePages() {
			page := must[*s3.ListObjectsV2Output](t)(p.NextPage(ctx))
			for _, o := range page.Contents {
				body := readAll(t)(s3c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("lake"), Key: o.Key}))
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatalf("%s: %v", *o.Key, err)
				}
				text := must[[]byte](t)(io.ReadAll(zr))
				for _, line := range strings.Split(strings.TrimSpace(string(text)), "\n") {
					id, _, _ := strings.Cut(line, " ")
					seen[id]++
				}
			}
		}
		missing := 0
		for batch := range acked {
			for j := range 20 {
				if seen[fmt.Sprintf("%s/r%02d", batch, j)] == 0 {
					missing++
				}
			}
		}
		if missing == 0 {
			for id, n := range seen {
				if n > 1 {
					t.Fatalf("record %s delivered %d times", id, n)
				}
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d acknowledged records of %d batches not delivered after restart", missing, len(acked))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
