package awstest_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	stypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/aws/smithy-go"

	"github.com/lakebox/lakebox/internal/awstest"
)

// readStream reads a stream's shard from an iterator to where it stops
// (an empty page of an open shard, or the end of a closed one).
func readStream(t *testing.T, c *dynamodbstreams.Client, it *string) ([]stypes.Record, *string) {
	t.Helper()
	var all []stypes.Record
	for it != nil {
		out := must[*dynamodbstreams.GetRecordsOutput](t)(c.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it, Limit: aws.Int32(2)}))
		all = append(all, out.Records...)
		it = out.NextShardIterator
		if len(out.Records) == 0 {
			break
		}
	}
	return all, it
}

func shardIterator(t *testing.T, c *dynamodbstreams.Client, arn string, typ stypes.ShardIteratorType, seq string) *string {
	t.Helper()
	d := must[*dynamodbstreams.DescribeStreamOutput](t)(c.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: &arn}))
	in := &dynamodbstreams.GetShardIteratorInput{StreamArn: &arn, ShardId: d.StreamDescription.Shards[0].ShardId, ShardIteratorType: typ}
	if seq != "" {
		in.SequenceNumber = &seq
	}
	return must[*dynamodbstreams.GetShardIteratorOutput](t)(c.GetShardIterator(ctx, in)).ShardIterator
}

// events renders records as "NAME key old→new" lines.
func events(recs []stypes.Record) string {
	var b strings.Builder
	for _, r := range recs {
		img := func(m map[string]stypes.AttributeValue) string {
			if m == nil {
				return "-"
			}
			if v, ok := m["spend"].(*stypes.AttributeValueMemberN); ok {
				return v.Value
			}
			return "{}"
		}
		key := r.Dynamodb.Keys["customer_id"].(*stypes.AttributeValueMemberS).Value
		fmt.Fprintf(&b, "%s %s %s→%s\n", r.EventName, key, img(r.Dynamodb.OldImage), img(r.Dynamodb.NewImage))
	}
	return b.String()
}

// Every write that changes an item lands in the table's stream, in
// order, with the images its view type names; writes that change nothing
// do not.
func TestDynamoDBStreams_ChangesInOrder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := awstest.New(t, awstest.Options{DataDir: dir})
	c, sc := srv.DynamoDB(), srv.DynamoDBStreams()
	must[*dynamodb.CreateTableOutput](t)(c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("orders"),
		KeySchema:            []dtypes.KeySchemaElement{{AttributeName: aws.String("customer_id"), KeyType: dtypes.KeyTypeHash}},
		AttributeDefinitions: []dtypes.AttributeDefinition{{AttributeName: aws.String("customer_id"), AttributeType: dtypes.ScalarAttributeTypeS}},
		BillingMode:          dtypes.BillingModePayPerRequest,
		StreamSpecification:  &dtypes.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: dtypes.StreamViewTypeNewAndOldImages},
	}))
	desc := must[*dynamodb.DescribeTableOutput](t)(c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders")})).Table
	arn := aws.ToString(desc.LatestStreamArn)
	if desc.StreamSpecification == nil || desc.StreamSpecification.StreamViewType != dtypes.StreamViewTypeNewAndOldImages ||
		!strings.HasPrefix(arn, "arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/") || !strings.HasSuffix(arn, aws.ToString(desc.LatestStreamLabel)) {
		t.Fatalf("DescribeTable: %+v %s", desc.StreamSpecification, arn)
	}
	key := func(id string) map[string]dtypes.AttributeValue {
		return map[string]dtypes.AttributeValue{"customer_id": str(id)}
	}
	put := func(id, total string) {
		must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"),
			Item: map[string]dtypes.AttributeValue{"customer_id": str(id), "spend": num(total)}}))
	}
	put("a", "1")
	put("a", "1.0") // the same item: no record
	must[*dynamodb.UpdateItemOutput](t)(c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("orders"), Key: key("a"),
		UpdateExpression: aws.String("ADD spend :v"), ExpressionAttributeValues: map[string]dtypes.AttributeValue{":v": num("0.5")}}))
	must[*dynamodb.DeleteItemOutput](t)(c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("orders"), Key: key("missing")}))
	must[*dynamodb.BatchWriteItemOutput](t)(c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]dtypes.WriteRequest{
		"orders": {{PutRequest: &dtypes.PutRequest{Item: map[string]dtypes.AttributeValue{"customer_id": str("b"), "spend": num("7")}}}}}}))
	must[*dynamodb.TransactWriteItemsOutput](t)(c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []dtypes.TransactWriteItem{
		{Delete: &dtypes.Delete{TableName: aws.String("orders"), Key: key("a")}},
		{Update: &dtypes.Update{TableName: aws.String("orders"), Key: key("b"), UpdateExpression: aws.String("SET spend = :t"),
			ExpressionAttributeValues: map[string]dtypes.AttributeValue{":t": num("8")}}}}}))

	streams := must[*dynamodbstreams.ListStreamsOutput](t)(sc.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{TableName: aws.String("orders")}))
	if len(streams.Streams) != 1 || aws.ToString(streams.Streams[0].StreamArn) != arn {
		t.Fatalf("ListStreams: %+v", streams.Streams)
	}
	recs, open := readStream(t, sc, shardIterator(t, sc, arn, stypes.ShardIteratorTypeTrimHorizon, ""))
	want := "INSERT a -→1\nMODIFY a 1→1.5\nINSERT b -→7\nREMOVE a 1.5→-\nMODIFY b 7→8\n"
	if got := events(recs); got != want || open == nil {
		t.Fatalf("stream:\n%s(open %v), want\n%s", got, open != nil, want)
	}
	for i, r := range recs {
		if r.Dynamodb.StreamViewType != stypes.StreamViewTypeNewAndOldImages || aws.ToString(r.EventSource) != "aws:dynamodb" ||
			len(aws.ToString(r.EventID)) == 0 || r.Dynamodb.ApproximateCreationDateTime == nil || aws.ToInt64(r.Dynamodb.SizeBytes) <= 0 {
			t.Fatalf("record %d: %+v %+v", i, r, r.Dynamodb)
		}
		if i > 0 && aws.ToString(r.Dynamodb.SequenceNumber) <= aws.ToString(recs[i-1].Dynamodb.SequenceNumber) {
			t.Fatalf("sequence numbers out of order: %s after %s", aws.ToString(r.Dynamodb.SequenceNumber), aws.ToString(recs[i-1].Dynamodb.SequenceNumber))
		}
	}

	// LATEST sees only what comes after it; the open iterator continues.
	latest := shardIterator(t, sc, arn, stypes.ShardIteratorTypeLatest, "")
	put("c", "3")
	if got, _ := readStream(t, sc, latest); events(got) != "INSERT c -→3\n" {
		t.Fatalf("from LATEST: %s", events(got))
	}
	if got, _ := readStream(t, sc, open); events(got) != "INSERT c -→3\n" {
		t.Fatalf("from the last iterator: %s", events(got))
	}
	second := aws.ToString(recs[1].Dynamodb.SequenceNumber)
	if got, _ := readStream(t, sc, shardIterator(t, sc, arn, stypes.ShardIteratorTypeAfterSequenceNumber, second)); !strings.HasPrefix(events(got), "INSERT b") {
		t.Fatalf("after %s: %s", second, events(got))
	}
	if got, _ := readStream(t, sc, shardIterator(t, sc, arn, stypes.ShardIteratorTypeAtSequenceNumber, second)); !strings.HasPrefix(events(got), "MODIFY a") {
		t.Fatalf("at %s: %s", second, events(got))
	}

	// A restart keeps the records and goes on numbering after them.
	srv.Stop()
	srv = awstest.New(t, awstest.Options{DataDir: dir})
	c, sc = srv.DynamoDB(), srv.DynamoDBStreams()
	put("d", "4")
	all, _ := readStream(t, sc, shardIterator(t, sc, arn, stypes.ShardIteratorTypeTrimHorizon, ""))
	if got := events(all); got != want+"INSERT c -→3\nINSERT d -→4\n" {
		t.Fatalf("after restart:\n%s", got)
	}

	// Disabling closes the shard; the table keeps naming its latest stream.
	wantMessage(t, must2(c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"),
		StreamSpecification: &dtypes.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: dtypes.StreamViewTypeKeysOnly}})),
		"Table already has an enabled stream: TableName: orders")
	wantMessage(t, must2(c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"),
		StreamSpecification: &dtypes.StreamSpecification{StreamEnabled: aws.Bool(false), StreamViewType: dtypes.StreamViewTypeKeysOnly}})),
		"One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified")
	must[*dynamodb.UpdateTableOutput](t)(c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"),
		StreamSpecification: &dtypes.StreamSpecification{StreamEnabled: aws.Bool(false)}}))
	wantMessage(t, must2(c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"),
		StreamSpecification: &dtypes.StreamSpecification{StreamEnabled: aws.Bool(false)}})),
		"Table has no stream to disable: TableName: orders")
	desc = must[*dynamodb.DescribeTableOutput](t)(c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders")})).Table
	if desc.StreamSpecification != nil || aws.ToString(desc.LatestStreamArn) != arn {
		t.Fatalf("after disabling: %+v %s", desc.StreamSpecification, aws.ToString(desc.LatestStreamArn))
	}
	put("e", "5") // not streamed
	d := must[*dynamodbstreams.DescribeStreamOutput](t)(sc.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: &arn})).StreamDescription
	last := aws.ToString(all[len(all)-1].Dynamodb.SequenceNumber)
	if d.StreamStatus != stypes.StreamStatusDisabled || aws.ToString(d.Shards[0].SequenceNumberRange.EndingSequenceNumber) != last {
		t.Fatalf("disabled stream: %s %+v", d.StreamStatus, d.Shards[0].SequenceNumberRange)
	}
	if got, end := readStream(t, sc, shardIterator(t, sc, arn, stypes.ShardIteratorTypeTrimHorizon, "")); len(got) != 7 || end != nil {
		t.Fatalf("closed shard: %d records, next iterator %v", len(got), end)
	}

	// Re-enabling makes a new stream; the old one is still listed.
	must[*dynamodb.UpdateTableOutput](t)(c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"),
		StreamSpecification: &dtypes.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: dtypes.StreamViewTypeKeysOnly}}))
	desc = must[*dynamodb.DescribeTableOutput](t)(c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders")})).Table
	arn2 := aws.ToString(desc.LatestStreamArn)
	if arn2 == arn || len(must[*dynamodbstreams.ListStreamsOutput](t)(sc.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{})).Streams) != 2 {
		t.Fatalf("re-enabled: %s", arn2)
	}
	put("e", "6")
	if got, _ := readStream(t, sc, shardIterator(t, sc, arn2, stypes.ShardIteratorTypeTrimHorizon, "")); events(got) != "MODIFY e -→-\n" {
		t.Fatalf("KEYS_ONLY stream: %s", events(got))
	}

	// Iterators last 15 minutes; records 24 hours; a disabled stream is
	// forgotten once its records are gone.
	it := shardIterator(t, sc, arn2, stypes.ShardIteratorTypeTrimHorizon, "")
	advance(t, srv, 16*time.Minute)
	_, err := sc.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it})
	wantCode(t, err, "ExpiredIteratorException")
	advance(t, srv, 24*time.Hour)
	deadline := time.Now().Add(30 * time.Second)
	for {
		listed := must[*dynamodbstreams.ListStreamsOutput](t)(sc.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{})).Streams
		// A trim between getting an iterator and using it is
		// TrimmedDataAccessException, as on AWS: then look again.
		page, err := sc.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: shardIterator(t, sc, arn2, stypes.ShardIteratorTypeTrimHorizon, "")})
		if len(listed) == 1 && err == nil && len(page.Records) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 24 h: %d streams listed; reading the enabled one: %v %v", len(listed), page, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	_, err = sc.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: &arn})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = sc.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it})
	wantCode(t, err, "ExpiredIteratorException")
}

// Time to live deletes show up as REMOVE records made by the service.
func TestDynamoDBStreams_TimeToLive(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c, sc := srv.DynamoDB(), srv.DynamoDBStreams()
	createAggregates(t, c, "sessions")
	must[*dynamodb.UpdateTableOutput](t)(c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("sessions"),
		StreamSpecification: &dtypes.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: dtypes.StreamViewTypeOldImage}}))
	must[*dynamodb.UpdateTimeToLiveOutput](t)(c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("sessions"),
		TimeToLiveSpecification: &dtypes.TimeToLiveSpecification{Enabled: aws.Bool(true), AttributeName: aws.String("expires")}}))
	must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("sessions"), Item: map[string]dtypes.AttributeValue{
		"customer_id": str("s"), "date": str("-"), "expires": num(fmt.Sprint(srv.Clock().Now().Unix() + 60))}}))
	arn := aws.ToString(must[*dynamodb.DescribeTableOutput](t)(c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("sessions")})).Table.LatestStreamArn)
	advance(t, srv, time.Hour)
	deadline := time.Now().Add(30 * time.Second)
	for {
		recs, _ := readStream(t, sc, shardIterator(t, sc, arn, stypes.ShardIteratorTypeTrimHorizon, ""))
		if len(recs) == 2 {
			r := recs[1]
			if r.EventName != stypes.OperationTypeRemove || r.UserIdentity == nil || aws.ToString(r.UserIdentity.Type) != "Service" ||
				aws.ToString(r.UserIdentity.PrincipalId) != "dynamodb.amazonaws.com" || r.Dynamodb.OldImage == nil || r.Dynamodb.NewImage != nil {
				t.Fatalf("TTL record: %+v %+v", r, r.Dynamodb)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d records, want the insert and the expiry", len(recs))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// must2 keeps a call's error.
func must2[T any](_ T, err error) error { return err }

// wantMessage checks an error's message.
func wantMessage(t *testing.T, err error, msg string) {
	t.Helper()
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorMessage() != msg {
		t.Fatalf("got %v, want the message %q", err, msg)
	}
}

// A stream disabled without ever holding a record is forgotten after its
// 24 hours, like any other.
func TestDynamoDBStreams_EmptyDisabledStreamIsForgotten(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c, sc := srv.DynamoDB(), srv.DynamoDBStreams()
	createAggregates(t, c, "quiet")
	for _, on := range []bool{true, false} {
		spec := &dtypes.StreamSpecification{StreamEnabled: aws.Bool(on)}
		if on {
			spec.StreamViewType = dtypes.StreamViewTypeKeysOnly
		}
		must[*dynamodb.UpdateTableOutput](t)(c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("quiet"), StreamSpecification: spec}))
	}
	if n := len(must[*dynamodbstreams.ListStreamsOutput](t)(sc.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{})).Streams); n != 1 {
		t.Fatalf("%d streams listed after disabling, want 1", n)
	}
	advance(t, srv, 25*time.Hour)
	deadline := time.Now().Add(30 * time.Second)
	for len(must[*dynamodbstreams.ListStreamsOutput](t)(sc.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{})).Streams) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the empty disabled stream is still listed after 25 h")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
