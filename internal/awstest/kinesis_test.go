package awstest_test

import (
	"bytes"
	"crypto/md5"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	ktypes "github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/awstest"
	"github.com/lakebox/lakebox/internal/kinesis/kpl"
)

func createStream(t *testing.T, c *kinesis.Client, name string, shards int32) {
	t.Helper()
	if _, err := c.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String(name), ShardCount: aws.Int32(shards)}); err != nil {
		t.Fatal(err)
	}
}

// readShard reads a shard from an iterator type to where it is caught up,
// three records a call (to page) unless there are many.
func readShard(t *testing.T, c *kinesis.Client, stream, shard string, typ ktypes.ShardIteratorType) []ktypes.Record {
	t.Helper()
	it := must[*kinesis.GetShardIteratorOutput](t)(c.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{
		StreamName: aws.String(stream), ShardId: aws.String(shard), ShardIteratorType: typ})).ShardIterator
	var out []ktypes.Record
	for it != nil {
		limit := int32(3)
		if len(out) > 30 {
			limit = 5000
		}
		res := must[*kinesis.GetRecordsOutput](t)(c.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: it, Limit: aws.Int32(limit)}))
		out = append(out, res.Records...)
		if len(res.Records) == 0 {
			break
		}
		it = res.NextShardIterator
	}
	return out
}

// shardOf is the shard AWS puts a partition key in, for even ranges.
func shardOf(key string, shards int) string {
	sum := md5.Sum([]byte(key))
	h := new(big.Int).SetBytes(sum[:])
	width := new(big.Int).Div(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(int64(shards)))
	i := min(int(new(big.Int).Div(h, width).Int64()), shards-1)
	return fmt.Sprintf("shardId-%012d", i)
}

func TestKinesis_Records(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.Kinesis()
	createStream(t, c, "orders", 2)
	d := must[*kinesis.DescribeStreamOutput](t)(c.DescribeStream(ctx, &kinesis.DescribeStreamInput{StreamName: aws.String("orders")})).StreamDescription
	if d.StreamStatus != ktypes.StreamStatusActive || len(d.Shards) != 2 || aws.ToString(d.Shards[1].HashKeyRange.EndingHashKey) != "340282366920938463463374607431768211455" ||
		aws.ToString(d.StreamARN) != "arn:aws:kinesis:us-east-1:000000000000:stream/orders" || aws.ToInt32(d.RetentionPeriodHours) != 24 {
		t.Fatalf("description = %+v", d)
	}
	one := must[*kinesis.PutRecordOutput](t)(c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("orders"), PartitionKey: aws.String("alice"), Data: []byte("first")}))
	if want := shardOf("alice", 2); aws.ToString(one.ShardId) != want || len(aws.ToString(one.SequenceNumber)) != 56 {
		t.Fatalf("PutRecord = %s %s, want shard %s", aws.ToString(one.ShardId), aws.ToString(one.SequenceNumber), want)
	}
	var entries []ktypes.PutRecordsRequestEntry
	for i := range 20 {
		entries = append(entries, ktypes.PutRecordsRequestEntry{PartitionKey: aws.String(fmt.Sprintf("user-%d", i%5)), Data: []byte(fmt.Sprintf("event-%02d", i))})
	}
	many := must[*kinesis.PutRecordsOutput](t)(c.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String("orders"), Records: entries}))
	if aws.ToInt32(many.FailedRecordCount) != 0 || len(many.Records) != 20 {
		t.Fatalf("PutRecords = %+v", many)
	}
	for i, r := range many.Records {
		if want := shardOf(aws.ToString(entries[i].PartitionKey), 2); aws.ToString(r.ShardId) != want {
			t.Errorf("record %d went to %s, want %s", i, aws.ToString(r.ShardId), want)
		}
	}
	// Each shard gives its records in order; together, every record once.
	total := 0
	for _, shard := range []string{"shardId-000000000000", "shardId-000000000001"} {
		recs := readShard(t, c, "orders", shard, ktypes.ShardIteratorTypeTrimHorizon)
		total += len(recs)
		var events []string
		for i, r := range recs {
			if i > 0 && aws.ToString(r.SequenceNumber) <= aws.ToString(recs[i-1].SequenceNumber) {
				t.Fatalf("%s: sequence numbers out of order", shard)
			}
			if shardOf(aws.ToString(r.PartitionKey), 2) != shard || r.ApproximateArrivalTimestamp == nil {
				t.Fatalf("%s holds %+v", shard, r)
			}
			if strings.HasPrefix(string(r.Data), "event-") {
				events = append(events, string(r.Data))
			}
		}
		if !slices.IsSorted(events) {
			t.Errorf("%s: events out of order: %v", shard, events)
		}
	}
	if total != 21 {
		t.Fatalf("read %d records, wrote 21", total)
	}
	// The other iterator types.
	first := readShard(t, c, "orders", aws.ToString(one.ShardId), ktypes.ShardIteratorTypeTrimHorizon)
	at := func(typ ktypes.ShardIteratorType, seq string, ts *time.Time) []ktypes.Record {
		it := must[*kinesis.GetShardIteratorOutput](t)(c.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String("orders"),
			ShardId: one.ShardId, ShardIteratorType: typ, StartingSequenceNumber: aws.String(seq), Timestamp: ts})).ShardIterator
		return must[*kinesis.GetRecordsOutput](t)(c.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: it})).Records
	}
	if got := at(ktypes.ShardIteratorTypeAtSequenceNumber, aws.ToString(one.SequenceNumber), nil); len(got) != len(first) || string(got[0].Data) != "first" {
		t.Errorf("AT_SEQUENCE_NUMBER gave %d records", len(got))
	}
	if got := at(ktypes.ShardIteratorTypeAfterSequenceNumber, aws.ToString(one.SequenceNumber), nil); len(got) != len(first)-1 {
		t.Errorf("AFTER_SEQUENCE_NUMBER gave %d records, want %d", len(got), len(first)-1)
	}
	if got := at(ktypes.ShardIteratorTypeLatest, "", nil); len(got) != 0 {
		t.Errorf("LATEST gave %d records", len(got))
	}
	past := srv.Clock().Now().Add(-time.Minute)
	if got := at(ktypes.ShardIteratorTypeAtTimestamp, "", &past); len(got) != len(first) {
		t.Errorf("AT_TIMESTAMP a minute ago gave %d records, want %d", len(got), len(first))
	}
	future := srv.Clock().Now().Add(time.Minute)
	if got := at(ktypes.ShardIteratorTypeAtTimestamp, "", &future); len(got) != 0 {
		t.Errorf("AT_TIMESTAMP in a minute gave %d records", len(got))
	}
	// LATEST sees what comes after it.
	latest := must[*kinesis.GetShardIteratorOutput](t)(c.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String("orders"),
		ShardId: one.ShardId, ShardIteratorType: ktypes.ShardIteratorTypeLatest})).ShardIterator
	must[*kinesis.PutRecordOutput](t)(c.PutRecord(ctx, &kinesis.PutRecordInput{StreamARN: d.StreamARN, PartitionKey: aws.String("alice"), Data: []byte("later")}))
	res := must[*kinesis.GetRecordsOutput](t)(c.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: latest}))
	if len(res.Records) != 1 || string(res.Records[0].Data) != "later" || aws.ToInt64(res.MillisBehindLatest) != 0 || res.NextShardIterator == nil {
		t.Fatalf("after LATEST: %+v", res)
	}
}

func TestKinesis_Errors(t *testing.T) {
	t.Parallel()
	other := auth.Key{AccessKey: "AKIAOTHERACCOUNT", Secret: "other", Account: "123456789012"}
	srv := awstest.New(t, awstest.Options{Keys: []auth.Key{other}})
	c := srv.Kinesis()
	createStream(t, c, "s", 1)
	_, err := c.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String("s"), ShardCount: aws.Int32(1)})
	wantCode(t, err, "ResourceInUseException")
	_, err = c.DescribeStream(ctx, &kinesis.DescribeStreamInput{StreamName: aws.String("nope")})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("s"), PartitionKey: aws.String("k"), Data: make([]byte, 1<<20+1)})
	wantCode(t, err, "ValidationException")
	_, err = c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("s"), PartitionKey: aws.String(strings.Repeat("k", 257)), Data: []byte("x")})
	wantCode(t, err, "ValidationException")
	_, err = c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("s"), PartitionKey: aws.String("k"), Data: []byte("x"), ExplicitHashKey: aws.String("340282366920938463463374607431768211456")})
	wantCode(t, err, "InvalidArgumentException")
	entries := make([]ktypes.PutRecordsRequestEntry, 501)
	for i := range entries {
		entries[i] = ktypes.PutRecordsRequestEntry{PartitionKey: aws.String("k"), Data: []byte("x")}
	}
	_, err = c.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String("s"), Records: entries})
	wantCode(t, err, "ValidationException")
	big := make([]ktypes.PutRecordsRequestEntry, 6)
	for i := range big {
		big[i] = ktypes.PutRecordsRequestEntry{PartitionKey: aws.String("k"), Data: make([]byte, 1<<20)}
	}
	_, err = c.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String("s"), Records: big})
	wantCode(t, err, "InvalidArgumentException")
	_, err = c.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: aws.String("AAAAAAAAAAAAAAAA")})
	wantCode(t, err, "InvalidArgumentException")
	_, err = c.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String("s"), ShardId: aws.String("shardId-000000000009"), ShardIteratorType: ktypes.ShardIteratorTypeLatest})
	wantCode(t, err, "ResourceNotFoundException")
	// A sequence number of another shard is foreign.
	_, err = c.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String("s"), ShardId: aws.String("shardId-000000000000"),
		ShardIteratorType: ktypes.ShardIteratorTypeAtSequenceNumber, StartingSequenceNumber: aws.String("49000000000007000000000000000000000000000000000000000001")})
	wantCode(t, err, "InvalidArgumentException")
	// An iterator expires after five minutes of server time.
	it := must[*kinesis.GetShardIteratorOutput](t)(c.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String("s"), ShardId: aws.String("shardId-000000000000"),
		ShardIteratorType: ktypes.ShardIteratorTypeTrimHorizon})).ShardIterator
	if _, err := srv.AdvanceClock(6 * time.Minute); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: it})
	wantCode(t, err, "ExpiredIteratorException")
	// Retention limits.
	_, err = c.IncreaseStreamRetentionPeriod(ctx, &kinesis.IncreaseStreamRetentionPeriodInput{StreamName: aws.String("s"), RetentionPeriodHours: aws.Int32(8761)})
	wantCode(t, err, "InvalidArgumentException")
	_, err = c.DecreaseStreamRetentionPeriod(ctx, &kinesis.DecreaseStreamRetentionPeriodInput{StreamName: aws.String("s"), RetentionPeriodHours: aws.Int32(48)})
	wantCode(t, err, "InvalidArgumentException")
	// Another account does not see the stream.
	_, err = srv.KinesisAs(awstest.Client{AccessKey: other.AccessKey, SecretKey: other.Secret}).DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String("s")})
	wantCode(t, err, "ResourceNotFoundException")
	// Over the shard quota.
	_, err = c.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String("huge"), ShardCount: aws.Int32(500)})
	wantCode(t, err, "LimitExceededException")
}

// Splitting and merging close shards, which keep their records, end with
// ChildShards, and route new records to their children.
func TestKinesis_Resharding(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.Kinesis()
	createStream(t, c, "r", 1)
	put := func(key, data string) string {
		return aws.ToString(must[*kinesis.PutRecordOutput](t)(c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("r"), PartitionKey: aws.String(key), Data: []byte(data)})).ShardId)
	}
	put("a", "before")
	it := must[*kinesis.GetShardIteratorOutput](t)(c.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String("r"),
		ShardId: aws.String("shardId-000000000000"), ShardIteratorType: ktypes.ShardIteratorTypeTrimHorizon})).ShardIterator
	half := "170141183460469231731687303715884105728"
	must[*kinesis.SplitShardOutput](t)(c.SplitShard(ctx, &kinesis.SplitShardInput{StreamName: aws.String("r"), ShardToSplit: aws.String("shardId-000000000000"), NewStartingHashKey: aws.String(half)}))
	shards := must[*kinesis.ListShardsOutput](t)(c.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String("r")})).Shards
	if len(shards) != 3 || shards[0].SequenceNumberRange.EndingSequenceNumber == nil || aws.ToString(shards[1].ParentShardId) != "shardId-000000000000" ||
		aws.ToString(shards[1].HashKeyRange.EndingHashKey) != "170141183460469231731687303715884105727" || aws.ToString(shards[2].HashKeyRange.StartingHashKey) != half {
		t.Fatalf("shards after split = %+v", shards)
	}
	open := must[*kinesis.ListShardsOutput](t)(c.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String("r"), ShardFilter: &ktypes.ShardFilter{Type: ktypes.ShardFilterTypeAtLatest}})).Shards
	if len(open) != 2 {
		t.Fatalf("open shards = %d", len(open))
	}
	if got := put("a", "after"); got == "shardId-000000000000" {
		t.Fatal("a record went to a closed shard")
	}
	// The parent gives its record, then no next iterator and its children.
	res := must[*kinesis.GetRecordsOutput](t)(c.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: it}))
	if len(res.Records) != 1 || string(res.Records[0].Data) != "before" || res.NextShardIterator != nil || len(res.ChildShards) != 2 {
		t.Fatalf("closed parent: %d records, next %v, children %+v", len(res.Records), res.NextShardIterator, res.ChildShards)
	}
	_, err := c.SplitShard(ctx, &kinesis.SplitShardInput{StreamName: aws.String("r"), ShardToSplit: aws.String("shardId-000000000000"), NewStartingHashKey: aws.String(half)})
	wantCode(t, err, "ResourceInUseException")
	must[*kinesis.MergeShardsOutput](t)(c.MergeShards(ctx, &kinesis.MergeShardsInput{StreamName: aws.String("r"),
		ShardToMerge: aws.String("shardId-000000000002"), AdjacentShardToMerge: aws.String("shardId-000000000001")}))
	shards = must[*kinesis.ListShardsOutput](t)(c.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String("r")})).Shards
	merged := shards[3]
	if aws.ToString(merged.ParentShardId) != "shardId-000000000002" || aws.ToString(merged.AdjacentParentShardId) != "shardId-000000000001" ||
		aws.ToString(merged.HashKeyRange.StartingHashKey) != "0" {
		t.Fatalf("merged shard = %+v", merged)
	}
	out := must[*kinesis.UpdateShardCountOutput](t)(c.UpdateShardCount(ctx, &kinesis.UpdateShardCountInput{StreamName: aws.String("r"), TargetShardCount: aws.Int32(2), ScalingType: ktypes.ScalingTypeUniformScaling}))
	if aws.ToInt32(out.CurrentShardCount) != 1 || aws.ToInt32(out.TargetShardCount) != 2 {
		t.Fatalf("UpdateShardCount = %+v", out)
	}
	sum := must[*kinesis.DescribeStreamSummaryOutput](t)(c.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String("r")})).StreamDescriptionSummary
	if aws.ToInt32(sum.OpenShardCount) != 2 {
		t.Fatalf("open shards after UpdateShardCount = %d", aws.ToInt32(sum.OpenShardCount))
	}
	_, err = c.UpdateShardCount(ctx, &kinesis.UpdateShardCountInput{StreamName: aws.String("r"), TargetShardCount: aws.Int32(5), ScalingType: ktypes.ScalingTypeUniformScaling})
	wantCode(t, err, "InvalidArgumentException")

	// 3 → 2: the middle shard straddles the new boundary. It is split,
	// then each half merged with a neighbour, so every new shard names
	// both of the shards it was made from.
	createStream(t, c, "u", 3)
	must[*kinesis.UpdateShardCountOutput](t)(c.UpdateShardCount(ctx, &kinesis.UpdateShardCountInput{StreamName: aws.String("u"), TargetShardCount: aws.Int32(2), ScalingType: ktypes.ScalingTypeUniformScaling}))
	open = must[*kinesis.ListShardsOutput](t)(c.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String("u"), ShardFilter: &ktypes.ShardFilter{Type: ktypes.ShardFilterTypeAtLatest}})).Shards
	all := must[*kinesis.ListShardsOutput](t)(c.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String("u")})).Shards
	if len(open) != 2 || len(all) != 7 || open[0].AdjacentParentShardId == nil || open[1].AdjacentParentShardId == nil {
		t.Fatalf("3 → 2: %d open of %d shards: %+v", len(open), len(all), open)
	}
}

// Records past the retention period are not returned once the server's
// clock passes it, and the retention worker removes them from disk.
func TestKinesis_RetentionAndRestart(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.Kinesis()
	createStream(t, c, "keep", 1)
	must[*kinesis.PutRecordOutput](t)(c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("keep"), PartitionKey: aws.String("k"), Data: []byte("old")}))
	if _, err := srv.AdvanceClock(23 * time.Hour); err != nil {
		t.Fatal(err)
	}
	must[*kinesis.PutRecordOutput](t)(c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("keep"), PartitionKey: aws.String("k"), Data: []byte("new")}))
	if got := readShard(t, c, "keep", "shardId-000000000000", ktypes.ShardIteratorTypeTrimHorizon); len(got) != 2 {
		t.Fatalf("within retention: %d records", len(got))
	}
	// Restart: everything acknowledged is there, in order.
	srv.Stop()
	srv = awstest.New(t, awstest.Options{DataDir: srv.DataDir})
	c = srv.Kinesis()
	got := readShard(t, c, "keep", "shardId-000000000000", ktypes.ShardIteratorTypeTrimHorizon)
	if len(got) != 2 || string(got[0].Data) != "old" || string(got[1].Data) != "new" {
		t.Fatalf("after restart: %+v", got)
	}
	if _, err := srv.AdvanceClock(2 * time.Hour); err != nil {
		t.Fatal(err)
	}
	got = readShard(t, c, "keep", "shardId-000000000000", ktypes.ShardIteratorTypeTrimHorizon)
	if len(got) != 1 || string(got[0].Data) != "new" {
		t.Fatalf("after the first record's retention: %+v", got)
	}
	// Longer retention keeps what is still there.
	must[*kinesis.IncreaseStreamRetentionPeriodOutput](t)(c.IncreaseStreamRetentionPeriod(ctx, &kinesis.IncreaseStreamRetentionPeriodInput{StreamName: aws.String("keep"), RetentionPeriodHours: aws.Int32(168)}))
	if _, err := srv.AdvanceClock(48 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if got := readShard(t, c, "keep", "shardId-000000000000", ktypes.ShardIteratorTypeTrimHorizon); len(got) != 1 {
		t.Fatalf("with a week's retention: %d records", len(got))
	}
	must[*kinesis.DeleteStreamOutput](t)(c.DeleteStream(ctx, &kinesis.DeleteStreamInput{StreamName: aws.String("keep")}))
	list := must[*kinesis.ListStreamsOutput](t)(c.ListStreams(ctx, &kinesis.ListStreamsInput{}))
	if len(list.StreamNames) != 0 {
		t.Fatalf("streams after delete = %v", list.StreamNames)
	}
}

// A KPL-aggregated record is stored and returned as sent; kpl unpacks it.
func TestKinesis_AggregatedRecords(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.Kinesis()
	createStream(t, c, "kpl", 1)
	users := []kpl.UserRecord{{PartitionKey: "u1", Data: []byte("a")}, {PartitionKey: "u2", ExplicitHashKey: "7", Data: []byte("b")}}
	agg := kpl.Aggregate(users)
	must[*kinesis.PutRecordOutput](t)(c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("kpl"), PartitionKey: aws.String("u1"), Data: agg}))
	recs := readShard(t, c, "kpl", "shardId-000000000000", ktypes.ShardIteratorTypeTrimHorizon)
	if len(recs) != 1 || string(recs[0].Data) != string(agg) {
		t.Fatalf("records = %+v", recs)
	}
	got, err := kpl.Deaggregate(aws.ToString(recs[0].PartitionKey), recs[0].Data)
	if err != nil || len(got) != 2 || string(got[1].Data) != "b" || got[1].ExplicitHashKey != "7" || got[1].SubSequence != 1 {
		t.Fatalf("deaggregated = %+v, %v", got, err)
	}
}

func TestKinesis_TagsAndListing(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.Kinesis()
	for _, n := range []string{"b", "a", "c"} {
		createStream(t, c, n, 1)
	}
	page := must[*kinesis.ListStreamsOutput](t)(c.ListStreams(ctx, &kinesis.ListStreamsInput{Limit: aws.Int32(2)}))
	if fmt.Sprint(page.StreamNames) != "[a b]" || !aws.ToBool(page.HasMoreStreams) || len(page.StreamSummaries) != 2 {
		t.Fatalf("first page = %+v", page)
	}
	page = must[*kinesis.ListStreamsOutput](t)(c.ListStreams(ctx, &kinesis.ListStreamsInput{NextToken: page.NextToken}))
	if fmt.Sprint(page.StreamNames) != "[c]" || aws.ToBool(page.HasMoreStreams) {
		t.Fatalf("second page = %+v", page)
	}
	must[*kinesis.AddTagsToStreamOutput](t)(c.AddTagsToStream(ctx, &kinesis.AddTagsToStreamInput{StreamName: aws.String("a"), Tags: map[string]string{"team": "data", "env": "dev"}}))
	must[*kinesis.RemoveTagsFromStreamOutput](t)(c.RemoveTagsFromStream(ctx, &kinesis.RemoveTagsFromStreamInput{StreamName: aws.String("a"), TagKeys: []string{"env"}}))
	tags := must[*kinesis.ListTagsForStreamOutput](t)(c.ListTagsForStream(ctx, &kinesis.ListTagsForStreamInput{StreamName: aws.String("a")}))
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "team" {
		t.Fatalf("tags = %+v", tags.Tags)
	}
	mon := must[*kinesis.EnableEnhancedMonitoringOutput](t)(c.EnableEnhancedMonitoring(ctx, &kinesis.EnableEnhancedMonitoringInput{StreamName: aws.String("a"), ShardLevelMetrics: []ktypes.MetricsName{ktypes.MetricsNameAll}}))
	if len(mon.CurrentShardLevelMetrics) != 0 || len(mon.DesiredShardLevelMetrics) != 7 {
		t.Fatalf("monitoring = %+v", mon)
	}
	limits := must[*kinesis.DescribeLimitsOutput](t)(c.DescribeLimits(ctx, &kinesis.DescribeLimitsInput{}))
	if aws.ToInt32(limits.OpenShardCount) != 3 || aws.ToInt32(limits.ShardLimit) != 500 {
		t.Fatalf("limits = %+v", limits)
	}
}

// TestCrash_AcknowledgedRecordsSurvive kills the server with SIGKILL while
// eight producers put batches, restarts it, and reads every shard: every
// record the server acknowledged is there, once, in each producer's order,
// with the sequence number it was given.
func TestCrash_AcknowledgedRecordsSurvive(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	t.Parallel()
	dir := t.TempDir()
	srv := startChild(t, dir)
	c := srv.kinesisClient()
	createStream(t, c, "crash", 4)

	const killAfter = 150 // acknowledged batches before the kill
	acked := writeUntilKilled(srv, 8, killAfter, func(w, i int) (string, [16]byte, error) {
		entries := make([]ktypes.PutRecordsRequestEntry, 50)
		for j := range entries {
			entries[j] = ktypes.PutRecordsRequestEntry{PartitionKey: aws.String(fmt.Sprintf("p%d-%d", w, j%7)), Data: []byte(fmt.Sprintf("w%d/b%05d/r%02d", w, i, j))}
		}
		out, err := c.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String("crash"), Records: entries})
		if err != nil {
			return "", [16]byte{}, err
		}
		// One entry per batch, naming the sequence numbers it was given.
		var seqs []string
		for _, r := range out.Records {
			seqs = append(seqs, aws.ToString(r.SequenceNumber))
		}
		return fmt.Sprintf("w%d/b%05d", w, i), md5.Sum([]byte(strings.Join(seqs, ","))), nil
	})

	c = startChild(t, dir).kinesisClient()
	seqOf := map[string]string{} // data -> sequence number
	for s := range 4 {
		recs := readShard(t, c, "crash", fmt.Sprintf("shardId-%012d", s), ktypes.ShardIteratorTypeTrimHorizon)
		last := map[string]string{}
		for _, r := range recs {
			data := string(r.Data)
			key := aws.ToString(r.PartitionKey)
			if prev, ok := last[key]; ok && data <= prev {
				t.Fatalf("shard %d: %s after %s", s, data, prev)
			}
			last[key] = data
			seqOf[data] = aws.ToString(r.SequenceNumber)
		}
	}
	for batch, sum := range acked {
		var seqs []string // the batch's records carry the acknowledged sequence numbers
		for j := range 50 {
			if seq, ok := seqOf[fmt.Sprintf("%s/r%02d", batch, j)]; ok {
				seqs = append(seqs, seq)
			}
		}
		if len(seqs) != 50 || md5.Sum([]byte(strings.Join(seqs, ","))) != sum {
			t.Fatalf("acknowledged batch %s: %d of 50 records back, or not with their sequence numbers", batch, len(seqs))
		}
	}
	if len(acked) < killAfter {
		t.Fatalf("only %d batches acknowledged", len(acked))
	}
}

// With --kinesis-limits a shard takes 1 MiB/s and gives 5 GetRecords/s;
// beyond that, ProvisionedThroughputExceededException (per record for
// PutRecords), until the server clock moves on.
func TestKinesis_Limits(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t, awstest.Options{KinesisLimits: true})
	c := srv.Kinesis()
	createStream(t, c, "limited", 1)
	entries := make([]ktypes.PutRecordsRequestEntry, 500)
	for i := range entries {
		entries[i] = ktypes.PutRecordsRequestEntry{PartitionKey: aws.String("k"), Data: make([]byte, 3000)}
	}
	out := must[*kinesis.PutRecordsOutput](t)(c.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String("limited"), Records: entries}))
	failed := aws.ToInt32(out.FailedRecordCount)
	if failed < 100 || failed > 200 || aws.ToString(out.Records[499].ErrorCode) != "ProvisionedThroughputExceededException" || out.Records[0].SequenceNumber == nil {
		t.Fatalf("1.5 MB into a 1 MiB/s shard: %d records failed", failed)
	}
	// A second of server time refills the shard's allowance. (The meters'
	// arithmetic, on fixed times, is tested in internal/kinesis.)
	if _, err := srv.AdvanceClock(time.Second); err != nil {
		t.Fatal(err)
	}
	must[*kinesis.PutRecordOutput](t)(c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("limited"), PartitionKey: aws.String("k"), Data: make([]byte, 1<<20)}))
}

// Enhanced fan-out: a registered consumer subscribes to a shard and is
// pushed what is there and what arrives, through the Go SDK's event
// stream reader.
func TestKinesis_EnhancedFanOut(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.Kinesis()
	createStream(t, c, "efo", 1)
	arn := must[*kinesis.DescribeStreamSummaryOutput](t)(c.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String("efo")})).StreamDescriptionSummary.StreamARN
	reg := must[*kinesis.RegisterStreamConsumerOutput](t)(c.RegisterStreamConsumer(ctx, &kinesis.RegisterStreamConsumerInput{StreamARN: arn, ConsumerName: aws.String("app")}))
	if reg.Consumer.ConsumerStatus != ktypes.ConsumerStatusActive || !strings.HasPrefix(aws.ToString(reg.Consumer.ConsumerARN), aws.ToString(arn)+"/consumer/app:") {
		t.Fatalf("consumer = %+v", reg.Consumer)
	}
	_, err := c.RegisterStreamConsumer(ctx, &kinesis.RegisterStreamConsumerInput{StreamARN: arn, ConsumerName: aws.String("app")})
	wantCode(t, err, "ResourceInUseException")
	list := must[*kinesis.ListStreamConsumersOutput](t)(c.ListStreamConsumers(ctx, &kinesis.ListStreamConsumersInput{StreamARN: arn}))
	if len(list.Consumers) != 1 {
		t.Fatalf("consumers = %+v", list.Consumers)
	}
	must[*kinesis.PutRecordOutput](t)(c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("efo"), PartitionKey: aws.String("k"), Data: []byte("before")}))

	sub, err := c.SubscribeToShard(ctx, &kinesis.SubscribeToShardInput{ConsumerARN: reg.Consumer.ConsumerARN, ShardId: aws.String("shardId-000000000000"),
		StartingPosition: &ktypes.StartingPosition{Type: ktypes.ShardIteratorTypeTrimHorizon}})
	if err != nil {
		t.Fatal(err)
	}
	stream := sub.GetStream()
	defer stream.Close()
	// A second subscription of the same consumer to the shard is refused.
	_, err = c.SubscribeToShard(ctx, &kinesis.SubscribeToShardInput{ConsumerARN: reg.Consumer.ConsumerARN, ShardId: aws.String("shardId-000000000000"),
		StartingPosition: &ktypes.StartingPosition{Type: ktypes.ShardIteratorTypeLatest}})
	wantCode(t, err, "ResourceInUseException")
	var got []string
	var continuation string
	for ev := range stream.Events() {
		e, ok := ev.(*ktypes.SubscribeToShardEventStreamMemberSubscribeToShardEvent)
		if !ok {
			t.Fatalf("event %T", ev)
		}
		for _, r := range e.Value.Records {
			got = append(got, string(r.Data))
		}
		continuation = aws.ToString(e.Value.ContinuationSequenceNumber)
		if len(got) == 1 {
			must[*kinesis.PutRecordOutput](t)(c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("efo"), PartitionKey: aws.String("k"), Data: []byte("pushed")}))
		}
		if len(got) == 2 {
			break
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[before pushed]" || len(continuation) != 56 {
		t.Fatalf("records = %v, continuation %q", got, continuation)
	}
	stream.Close()
	// At the end of a closed shard the last event names its children and
	// the stream ends.
	must[*kinesis.SplitShardOutput](t)(c.SplitShard(ctx, &kinesis.SplitShardInput{StreamName: aws.String("efo"), ShardToSplit: aws.String("shardId-000000000000"),
		NewStartingHashKey: aws.String("170141183460469231731687303715884105728")}))
	other := must[*kinesis.RegisterStreamConsumerOutput](t)(c.RegisterStreamConsumer(ctx, &kinesis.RegisterStreamConsumerInput{StreamARN: arn, ConsumerName: aws.String("other")}))
	sub2 := must[*kinesis.SubscribeToShardOutput](t)(c.SubscribeToShard(ctx, &kinesis.SubscribeToShardInput{ConsumerARN: other.Consumer.ConsumerARN, ShardId: aws.String("shardId-000000000000"),
		StartingPosition: &ktypes.StartingPosition{Type: ktypes.ShardIteratorTypeAfterSequenceNumber, SequenceNumber: aws.String(continuation)}}))
	var children []ktypes.ChildShard
	for ev := range sub2.GetStream().Events() {
		e := ev.(*ktypes.SubscribeToShardEventStreamMemberSubscribeToShardEvent)
		children = append(children, e.Value.ChildShards...)
	}
	if len(children) != 2 {
		t.Fatalf("children at the end of the shard = %+v", children)
	}
	_, err = c.DeleteStream(ctx, &kinesis.DeleteStreamInput{StreamName: aws.String("efo")})
	wantCode(t, err, "ResourceInUseException")
	must[*kinesis.DeregisterStreamConsumerOutput](t)(c.DeregisterStreamConsumer(ctx, &kinesis.DeregisterStreamConsumerInput{ConsumerARN: reg.Consumer.ConsumerARN}))
	_, err = c.DescribeStreamConsumer(ctx, &kinesis.DescribeStreamConsumerInput{ConsumerARN: reg.Consumer.ConsumerARN})
	wantCode(t, err, "ResourceNotFoundException")
	must[*kinesis.DeleteStreamOutput](t)(c.DeleteStream(ctx, &kinesis.DeleteStreamInput{StreamName: aws.String("efo"), EnforceConsumerDeletion: aws.Bool(true)}))
}

// While encryption is on, records are sealed on disk and come back
// readable, marked KMS; across a restart and after it is stopped too.
func TestKinesis_Encryption(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.Kinesis()
	createStream(t, c, "sealed", 1)
	put := func(data string) *kinesis.PutRecordOutput {
		return must[*kinesis.PutRecordOutput](t)(c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("sealed"), PartitionKey: aws.String("k"), Data: []byte(data)}))
	}
	put("clear-before")
	must[*kinesis.StartStreamEncryptionOutput](t)(c.StartStreamEncryption(ctx, &kinesis.StartStreamEncryptionInput{StreamName: aws.String("sealed"),
		EncryptionType: ktypes.EncryptionTypeKms, KeyId: aws.String("alias/aws/kinesis")}))
	if out := put("secret-record"); out.EncryptionType != ktypes.EncryptionTypeKms {
		t.Fatalf("PutRecord while encrypting: %s", out.EncryptionType)
	}
	sum := must[*kinesis.DescribeStreamSummaryOutput](t)(c.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String("sealed")})).StreamDescriptionSummary
	if sum.EncryptionType != ktypes.EncryptionTypeKms || aws.ToString(sum.KeyId) != "alias/aws/kinesis" {
		t.Fatalf("summary = %s %s", sum.EncryptionType, aws.ToString(sum.KeyId))
	}
	must[*kinesis.StopStreamEncryptionOutput](t)(c.StopStreamEncryption(ctx, &kinesis.StopStreamEncryptionInput{StreamName: aws.String("sealed"),
		EncryptionType: ktypes.EncryptionTypeKms, KeyId: aws.String("alias/aws/kinesis")}))
	put("clear-after")
	// Nothing of the sealed record is on disk in the clear.
	err := filepath.WalkDir(filepath.Join(srv.DataDir, "streams"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(path)
			if bytes.Contains(b, []byte("secret-record")) {
				t.Errorf("%s holds the sealed record's plaintext", path)
			}
			if !bytes.Contains(b, []byte("clear-after")) {
				t.Errorf("%s lacks the record written in the clear", path)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	srv = awstest.New(t, awstest.Options{DataDir: srv.DataDir})
	c = srv.Kinesis()
	recs := readShard(t, c, "sealed", "shardId-000000000000", ktypes.ShardIteratorTypeTrimHorizon)
	var got []string
	for _, r := range recs {
		got = append(got, string(r.Data)+"/"+string(r.EncryptionType))
	}
	if fmt.Sprint(got) != "[clear-before/ secret-record/KMS clear-after/]" {
		t.Fatalf("records = %v", got)
	}
	_, err = c.StartStreamEncryption(ctx, &kinesis.StartStreamEncryptionInput{StreamName: aws.String("sealed"), EncryptionType: ktypes.EncryptionTypeNone, KeyId: aws.String("k")})
	wantCode(t, err, "InvalidArgumentException")
}

// A stream takes records up to 1 MiB unless UpdateMaxRecordSize (or
// CreateStream's MaxRecordSizeInKiB) lets it take up to 10 MiB.
func TestKinesis_MaxRecordSize(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.Kinesis()
	createStream(t, c, "big", 1)
	arn := "arn:aws:kinesis:us-east-1:000000000000:stream/big"
	summary := func() int32 {
		return aws.ToInt32(must[*kinesis.DescribeStreamSummaryOutput](t)(c.DescribeStreamSummary(ctx,
			&kinesis.DescribeStreamSummaryInput{StreamARN: aws.String(arn)})).StreamDescriptionSummary.MaxRecordSizeInKiB)
	}
	if got := summary(); got != 1024 {
		t.Fatalf("MaxRecordSizeInKiB %d, want 1024", got)
	}
	big := bytes.Repeat([]byte("x"), 3<<20)
	_, err := c.PutRecord(ctx, &kinesis.PutRecordInput{StreamARN: aws.String(arn), PartitionKey: aws.String("p"), Data: big})
	wantCode(t, err, "ValidationException")
	_, err = c.UpdateMaxRecordSize(ctx, &kinesis.UpdateMaxRecordSizeInput{StreamARN: aws.String(arn), MaxRecordSizeInKiB: aws.Int32(20000)})
	wantCode(t, err, "ValidationException")
	must[*kinesis.UpdateMaxRecordSizeOutput](t)(c.UpdateMaxRecordSize(ctx, &kinesis.UpdateMaxRecordSizeInput{StreamARN: aws.String(arn), MaxRecordSizeInKiB: aws.Int32(4096)}))
	if got := summary(); got != 4096 {
		t.Fatalf("MaxRecordSizeInKiB %d after the update, want 4096", got)
	}
	must[*kinesis.PutRecordOutput](t)(c.PutRecord(ctx, &kinesis.PutRecordInput{StreamARN: aws.String(arn), PartitionKey: aws.String("p"), Data: big}))
	must[*kinesis.PutRecordsOutput](t)(c.PutRecords(ctx, &kinesis.PutRecordsInput{StreamARN: aws.String(arn),
		Records: []ktypes.PutRecordsRequestEntry{{PartitionKey: aws.String("p"), Data: big}}}))
	_, err = c.PutRecord(ctx, &kinesis.PutRecordInput{StreamARN: aws.String(arn), PartitionKey: aws.String("p"), Data: bytes.Repeat([]byte("y"), 5<<20)})
	wantCode(t, err, "ValidationException")
	it := must[*kinesis.GetShardIteratorOutput](t)(c.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamARN: aws.String(arn),
		ShardId: aws.String("shardId-000000000000"), ShardIteratorType: ktypes.ShardIteratorTypeTrimHorizon})).ShardIterator
	var got [][]byte
	for len(got) < 2 {
		out := must[*kinesis.GetRecordsOutput](t)(c.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: it}))
		for _, r := range out.Records {
			got = append(got, r.Data)
		}
		if len(out.Records) == 0 {
			t.Fatalf("read %d large records, want 2", len(got))
		}
		it = out.NextShardIterator
	}
	if !bytes.Equal(got[0], big) || !bytes.Equal(got[1], big) {
		t.Fatal("large records read back changed")
	}

	must[*kinesis.CreateStreamOutput](t)(c.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String("bigger"), ShardCount: aws.Int32(1), MaxRecordSizeInKiB: aws.Int32(10240)}))
	_, err = c.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String("too-small"), ShardCount: aws.Int32(1), MaxRecordSizeInKiB: aws.Int32(512)})
	wantCode(t, err, "ValidationException")
}
