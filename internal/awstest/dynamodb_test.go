package awstest_test

import (
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	stypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakebox/lakebox/internal/awstest"
)

func str(s string) *dtypes.AttributeValueMemberS { return &dtypes.AttributeValueMemberS{Value: s} }
func num(s string) *dtypes.AttributeValueMemberN { return &dtypes.AttributeValueMemberN{Value: s} }

func attr(name string, typ dtypes.ScalarAttributeType) dtypes.AttributeDefinition {
	return dtypes.AttributeDefinition{AttributeName: aws.String(name), AttributeType: typ}
}

// ks is a key schema: a partition key, and a sort key unless rng is "".
func ks(hash, rng string) []dtypes.KeySchemaElement {
	k := []dtypes.KeySchemaElement{{AttributeName: aws.String(hash), KeyType: dtypes.KeyTypeHash}}
	if rng != "" {
		k = append(k, dtypes.KeySchemaElement{AttributeName: aws.String(rng), KeyType: dtypes.KeyTypeRange})
	}
	return k
}

// createOrders creates "orders", keyed by customer and order, whose
// local index by-total (customer, total) projects projection: its items
// form item collections.
func createOrders(t testing.TB, c *dynamodb.Client, projection dtypes.ProjectionType) {
	t.Helper()
	must[*dynamodb.CreateTableOutput](t)(c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String("orders"), BillingMode: dtypes.BillingModePayPerRequest,
		KeySchema: ks("customer", "order"), AttributeDefinitions: []dtypes.AttributeDefinition{attr("customer", "S"), attr("order", "S"), attr("total", "N")},
		LocalSecondaryIndexes: []dtypes.LocalSecondaryIndex{{IndexName: aws.String("by-total"), KeySchema: ks("customer", "total"),
			Projection: &dtypes.Projection{ProjectionType: projection}}},
	}))
}

func createAggregates(t testing.TB, c *dynamodb.Client, name string) {
	t.Helper()
	must[*dynamodb.CreateTableOutput](t)(c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String(name),
		KeySchema: []dtypes.KeySchemaElement{{AttributeName: aws.String("customer_id"), KeyType: dtypes.KeyTypeHash},
			{AttributeName: aws.String("date"), KeyType: dtypes.KeyTypeRange}},
		AttributeDefinitions: []dtypes.AttributeDefinition{{AttributeName: aws.String("customer_id"), AttributeType: dtypes.ScalarAttributeTypeS},
			{AttributeName: aws.String("date"), AttributeType: dtypes.ScalarAttributeTypeS}},
		BillingMode: dtypes.BillingModePayPerRequest,
	}))
}

// The seed's pipeline: ADD a transaction's amount to a daily aggregate,
// exactly, however many times.
func TestDynamoDB_ExactAggregatesWithAdd(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.DynamoDB()
	createAggregates(t, c, "aggregates")
	w := dynamodb.NewTableExistsWaiter(c)
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("aggregates")}, 5e9); err != nil {
		t.Fatal(err)
	}
	key := map[string]dtypes.AttributeValue{"customer_id": str("c-1"), "date": str("2026-11-22")}
	for range 10 {
		must[*dynamodb.UpdateItemOutput](t)(c.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName: aws.String("aggregates"), Key: key,
			UpdateExpression:          aws.String("ADD total_spend :val"),
			ExpressionAttributeValues: map[string]dtypes.AttributeValue{":val": num("0.1")},
		}))
	}
	out := must[*dynamodb.UpdateItemOutput](t)(c.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String("aggregates"), Key: key,
		UpdateExpression:          aws.String("ADD total_spend :big SET #n = if_not_exists(#n, :zero) + :one, tags = list_append(if_not_exists(tags, :empty), :tag)"),
		ExpressionAttributeNames:  map[string]string{"#n": "count"},
		ExpressionAttributeValues: map[string]dtypes.AttributeValue{":big": num("12345678901234567890123456789012345.67"), ":zero": num("0"), ":one": num("1"), ":empty": &dtypes.AttributeValueMemberL{}, ":tag": &dtypes.AttributeValueMemberL{Value: []dtypes.AttributeValue{str("web")}}},
		ReturnValues:              dtypes.ReturnValueAllNew,
	}))
	if got := out.Attributes["total_spend"].(*dtypes.AttributeValueMemberN).Value; got != "12345678901234567890123456789012346.67" {
		t.Fatalf("total_spend = %s, want exact decimal arithmetic", got)
	}
	if got := out.Attributes["count"].(*dtypes.AttributeValueMemberN).Value; got != "1" {
		t.Fatalf("count = %s", got)
	}
	// 39 significant digits do not fit.
	_, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("aggregates"), Key: key,
		UpdateExpression: aws.String("ADD total_spend :v"), ExpressionAttributeValues: map[string]dtypes.AttributeValue{":v": num("0.0001")}})
	wantCode(t, err, "ValidationException")
	get := must[*dynamodb.GetItemOutput](t)(c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("aggregates"), Key: key,
		ProjectionExpression: aws.String("total_spend, tags[0]"), ConsistentRead: aws.Bool(true)}))
	if len(get.Item) != 2 || get.Item["total_spend"].(*dtypes.AttributeValueMemberN).Value != "12345678901234567890123456789012346.67" {
		t.Fatalf("GetItem: %#v", get.Item)
	}
}

func TestDynamoDB_ConditionsQueryAndScan(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.DynamoDB()
	createAggregates(t, c, "orders")
	for i := range 30 {
		must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: map[string]dtypes.AttributeValue{
			"customer_id": str(fmt.Sprintf("c-%d", i%3)), "date": str(fmt.Sprintf("2026-11-%02d", i+1)),
			"amount": num(fmt.Sprintf("%d.50", i)), "status": str([]string{"new", "paid"}[i%2]),
			"labels": &dtypes.AttributeValueMemberSS{Value: []string{"a", fmt.Sprint(i)}},
		}}))
	}
	// A conditional put that must fail, and one that must succeed.
	_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"),
		Item:                map[string]dtypes.AttributeValue{"customer_id": str("c-0"), "date": str("2026-11-01")},
		ConditionExpression: aws.String("attribute_not_exists(customer_id)")})
	wantCode(t, err, "ConditionalCheckFailedException")
	must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"),
		Item:                      map[string]dtypes.AttributeValue{"customer_id": str("c-9"), "date": str("2026-12-01"), "amount": num("1e2")},
		ConditionExpression:       aws.String("attribute_not_exists(customer_id) AND NOT (#s IN (:a, :b))"),
		ExpressionAttributeNames:  map[string]string{"#s": "status"},
		ExpressionAttributeValues: map[string]dtypes.AttributeValue{":a": str("x"), ":b": str("y")}}))
	item := must[*dynamodb.GetItemOutput](t)(c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("orders"),
		Key: map[string]dtypes.AttributeValue{"customer_id": str("c-9"), "date": str("2026-12-01")}})).Item
	if item["amount"].(*dtypes.AttributeValueMemberN).Value != "100" {
		t.Fatalf("1e2 stored as %v", item["amount"])
	}

	// Query: one partition, a sort key range, a filter, descending, paged.
	var dates []string
	var start map[string]dtypes.AttributeValue
	pages := 0
	for {
		out := must[*dynamodb.QueryOutput](t)(c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("orders"),
			KeyConditionExpression:    aws.String("customer_id = :c AND #d BETWEEN :lo AND :hi"),
			FilterExpression:          aws.String("amount >= :min AND contains(labels, :l)"),
			ProjectionExpression:      aws.String("#d, amount"),
			ExpressionAttributeNames:  map[string]string{"#d": "date"},
			ExpressionAttributeValues: map[string]dtypes.AttributeValue{":c": str("c-1"), ":lo": str("2026-11-05"), ":hi": str("2026-11-28"), ":min": num("9"), ":l": str("a")},
			ScanIndexForward:          aws.Bool(false), Limit: aws.Int32(3), ExclusiveStartKey: start}))
		pages++
		for _, it := range out.Items {
			if len(it) != 2 {
				t.Fatalf("projection gave %v", it)
			}
			dates = append(dates, it["date"].(*dtypes.AttributeValueMemberS).Value)
		}
		if out.LastEvaluatedKey == nil {
			break
		}
		start = out.LastEvaluatedKey
	}
	// c-1 has days 2, 5, 8, ..., 29; between 05 and 28: 5..26 step 3; amount >= 9 means i >= 9 (day >= 10).
	if got := strings.Join(dates, ","); got != "2026-11-26,2026-11-23,2026-11-20,2026-11-17,2026-11-14,2026-11-11" || pages < 2 {
		t.Fatalf("query gave %s in %d pages", got, pages)
	}
	count := must[*dynamodb.QueryOutput](t)(c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("orders"),
		KeyConditionExpression: aws.String("customer_id = :c AND begins_with(#d, :p)"), Select: dtypes.SelectCount,
		ExpressionAttributeNames:  map[string]string{"#d": "date"},
		ExpressionAttributeValues: map[string]dtypes.AttributeValue{":c": str("c-2"), ":p": str("2026-11-1")}}))
	if count.Count != 3 || count.Items != nil { // c-2 has days 3, 6, …, 30: 12, 15 and 18 begin with 2026-11-1
		t.Fatalf("COUNT query: %d items, %v", count.Count, count.Items)
	}

	// Parallel scan: segments partition the table.
	seen := 0
	for seg := range 4 {
		out := must[*dynamodb.ScanOutput](t)(c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("orders"), Segment: aws.Int32(int32(seg)), TotalSegments: aws.Int32(4)}))
		seen += int(out.Count)
	}
	if seen != 31 {
		t.Fatalf("segments saw %d items, want 31", seen)
	}

	// Errors AWS gives.
	for name, in := range map[string]*dynamodb.QueryInput{
		"no partition key": {TableName: aws.String("orders"), KeyConditionExpression: aws.String("#d = :d"),
			ExpressionAttributeNames: map[string]string{"#d": "date"}, ExpressionAttributeValues: map[string]dtypes.AttributeValue{":d": str("x")}},
		"reserved word": {TableName: aws.String("orders"), KeyConditionExpression: aws.String("customer_id = :c AND date = :d"),
			ExpressionAttributeValues: map[string]dtypes.AttributeValue{":c": str("c"), ":d": str("x")}},
		"unused value": {TableName: aws.String("orders"), KeyConditionExpression: aws.String("customer_id = :c"),
			ExpressionAttributeValues: map[string]dtypes.AttributeValue{":c": str("c"), ":unused": str("x")}},
		"syntax": {TableName: aws.String("orders"), KeyConditionExpression: aws.String("customer_id = = :c"),
			ExpressionAttributeValues: map[string]dtypes.AttributeValue{":c": str("c")}},
	} {
		_, err := c.Query(ctx, in)
		wantCode(t, err, "ValidationException")
		if name == "reserved word" && !strings.Contains(err.Error(), "Attribute name is a reserved keyword; reserved keyword: date") {
			t.Errorf("%s: %v", name, err)
		}
	}
	_, err = c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("orders"), Key: map[string]dtypes.AttributeValue{"customer_id": str("c-1")}})
	wantCode(t, err, "ValidationException")
	_, err = c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("nope"), Key: map[string]dtypes.AttributeValue{"customer_id": str("c-1")}})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("orders"),
		Key:              map[string]dtypes.AttributeValue{"customer_id": str("c-1"), "date": str("2026-11-02")},
		UpdateExpression: aws.String("SET customer_id = :x"), ExpressionAttributeValues: map[string]dtypes.AttributeValue{":x": str("y")}})
	wantCode(t, err, "ValidationException")

	// Delete with a condition, returning the old item.
	del := must[*dynamodb.DeleteItemOutput](t)(c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("orders"),
		Key:                 map[string]dtypes.AttributeValue{"customer_id": str("c-9"), "date": str("2026-12-01")},
		ConditionExpression: aws.String("amount > :n"), ExpressionAttributeValues: map[string]dtypes.AttributeValue{":n": num("99.999")},
		ReturnValues: dtypes.ReturnValueAllOld}))
	if del.Attributes["amount"].(*dtypes.AttributeValueMemberN).Value != "100" {
		t.Fatalf("DeleteItem returned %v", del.Attributes)
	}
	d := must[*dynamodb.DescribeTableOutput](t)(c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders")}))
	if aws.ToInt64(d.Table.ItemCount) != 30 || d.Table.TableStatus != dtypes.TableStatusActive {
		t.Fatalf("DescribeTable: %d items, %s", aws.ToInt64(d.Table.ItemCount), d.Table.TableStatus)
	}
}

// Acknowledged writes survive a restart.
func TestDynamoDB_SurvivesRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := awstest.New(t, awstest.Options{DataDir: dir})
	c := srv.DynamoDB()
	createAggregates(t, c, "state")
	must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("state"), Item: map[string]dtypes.AttributeValue{
		"customer_id": str("a"), "date": str("d"), "n": num("-0.000000000000000000000000000000000000000000000000012")}}))
	srv.Stop()
	c = awstest.New(t, awstest.Options{DataDir: dir}).DynamoDB()
	got := must[*dynamodb.GetItemOutput](t)(c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("state"),
		Key: map[string]dtypes.AttributeValue{"customer_id": str("a"), "date": str("d")}}))
	if got.Item["n"].(*dtypes.AttributeValueMemberN).Value != "-0.000000000000000000000000000000000000000000000000012" {
		t.Fatalf("after restart: %v", got.Item)
	}
	tables := must[*dynamodb.ListTablesOutput](t)(c.ListTables(ctx, &dynamodb.ListTablesInput{}))
	if fmt.Sprint(tables.TableNames) != "[state]" {
		t.Fatalf("tables %v", tables.TableNames)
	}
}

func TestDynamoDB_BatchesAndTransactions(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.DynamoDB()
	createAggregates(t, c, "accounts")
	key := func(id string) map[string]dtypes.AttributeValue {
		return map[string]dtypes.AttributeValue{"customer_id": str(id), "date": str("-")}
	}
	var puts []dtypes.WriteRequest
	for i := range 25 {
		item := key(fmt.Sprintf("acct-%02d", i))
		item["balance"] = num("100")
		puts = append(puts, dtypes.WriteRequest{PutRequest: &dtypes.PutRequest{Item: item}})
	}
	out := must[*dynamodb.BatchWriteItemOutput](t)(c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]dtypes.WriteRequest{"accounts": puts}}))
	if len(out.UnprocessedItems) != 0 {
		t.Fatalf("unprocessed: %v", out.UnprocessedItems)
	}
	_, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]dtypes.WriteRequest{"accounts": append(puts, puts[0])}})
	wantCode(t, err, "ValidationException")
	// The same item under the table's name and its ARN is a duplicate too:
	// each write would change the indexes from the item before the batch.
	arn := "arn:aws:dynamodb:us-east-1:000000000000:table/accounts"
	_, err = c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]dtypes.WriteRequest{"accounts": puts[:1],
		arn: {{DeleteRequest: &dtypes.DeleteRequest{Key: key("acct-00")}}}}})
	wantCode(t, err, "ValidationException")
	_, err = c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]dtypes.KeysAndAttributes{
		"accounts": {Keys: []map[string]dtypes.AttributeValue{key("acct-00")}}, arn: {Keys: []map[string]dtypes.AttributeValue{key("acct-00")}}}})
	wantCode(t, err, "ValidationException")
	var keys []map[string]dtypes.AttributeValue
	for i := range 30 {
		keys = append(keys, key(fmt.Sprintf("acct-%02d", i)))
	}
	got := must[*dynamodb.BatchGetItemOutput](t)(c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]dtypes.KeysAndAttributes{
		"accounts": {Keys: keys, ProjectionExpression: aws.String("balance")}}}))
	if n := len(got.Responses["accounts"]); n != 25 || len(got.Responses["accounts"][0]) != 1 {
		t.Fatalf("BatchGetItem: %d items", n)
	}

	// Transfers between accounts, concurrently and conflicting: money is
	// neither made nor lost, and no balance goes negative.
	var wg sync.WaitGroup
	var canceled atomic.Int64
	for w := range 8 {
		wg.Go(func() {
			for i := range 40 {
				from, to := fmt.Sprintf("acct-%02d", (w+i)%4), fmt.Sprintf("acct-%02d", (w+i+1)%4)
				_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []dtypes.TransactWriteItem{
					{Update: &dtypes.Update{TableName: aws.String("accounts"), Key: key(from), UpdateExpression: aws.String("SET balance = balance - :amt"),
						ConditionExpression: aws.String("balance >= :amt"), ExpressionAttributeValues: map[string]dtypes.AttributeValue{":amt": num("30")}}},
					{Update: &dtypes.Update{TableName: aws.String("accounts"), Key: key(to), UpdateExpression: aws.String("SET balance = balance + :amt"),
						ExpressionAttributeValues: map[string]dtypes.AttributeValue{":amt": num("30")}}},
				}})
				var tce *dtypes.TransactionCanceledException
				switch {
				case errors.As(err, &tce):
					if len(tce.CancellationReasons) != 2 || aws.ToString(tce.CancellationReasons[0].Code) != "ConditionalCheckFailed" || aws.ToString(tce.CancellationReasons[1].Code) != "None" {
						t.Errorf("cancellation reasons %+v", tce.CancellationReasons)
					}
					canceled.Add(1)
				case err != nil:
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	total := 0
	for i := range 4 {
		item := must[*dynamodb.GetItemOutput](t)(c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("accounts"), Key: key(fmt.Sprintf("acct-%02d", i))})).Item
		var bal int
		fmt.Sscan(item["balance"].(*dtypes.AttributeValueMemberN).Value, &bal)
		if bal < 0 {
			t.Fatalf("acct-%02d went to %d", i, bal)
		}
		total += bal
	}
	if total != 400 {
		t.Fatalf("balances sum to %d after transfers, want 400 (%d canceled)", total, canceled.Load())
	}

	// Idempotency: the same token and request is a no-op; other parameters are refused.
	tx := &dynamodb.TransactWriteItemsInput{ClientRequestToken: aws.String("tok-1"), TransactItems: []dtypes.TransactWriteItem{
		{Update: &dtypes.Update{TableName: aws.String("accounts"), Key: key("acct-10"), UpdateExpression: aws.String("ADD balance :one"),
			ExpressionAttributeValues: map[string]dtypes.AttributeValue{":one": num("1")}}}}}
	must[*dynamodb.TransactWriteItemsOutput](t)(c.TransactWriteItems(ctx, tx))
	must[*dynamodb.TransactWriteItemsOutput](t)(c.TransactWriteItems(ctx, tx))
	tx.TransactItems[0].Update.ExpressionAttributeValues[":one"] = num("2")
	_, err = c.TransactWriteItems(ctx, tx)
	wantCode(t, err, "IdempotentParameterMismatchException")
	tg := must[*dynamodb.TransactGetItemsOutput](t)(c.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: []dtypes.TransactGetItem{
		{Get: &dtypes.Get{TableName: aws.String("accounts"), Key: key("acct-10")}}, {Get: &dtypes.Get{TableName: aws.String("accounts"), Key: key("nobody")}}}}))
	if tg.Responses[0].Item["balance"].(*dtypes.AttributeValueMemberN).Value != "101" || tg.Responses[1].Item != nil {
		t.Fatalf("TransactGetItems: %+v", tg.Responses)
	}
	_, err = c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []dtypes.TransactWriteItem{
		{ConditionCheck: &dtypes.ConditionCheck{TableName: aws.String("accounts"), Key: key("acct-10"), ConditionExpression: aws.String("attribute_exists(balance)")}},
		{Delete: &dtypes.Delete{TableName: aws.String("accounts"), Key: key("acct-10")}}}})
	wantCode(t, err, "ValidationException") // two actions on one item
}

// Items expire on the server clock once time to live is on.
func TestDynamoDB_TimeToLiveByClockTravel(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.DynamoDB()
	createAggregates(t, c, "sessions")
	must[*dynamodb.UpdateTimeToLiveOutput](t)(c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("sessions"),
		TimeToLiveSpecification: &dtypes.TimeToLiveSpecification{Enabled: aws.Bool(true), AttributeName: aws.String("expires")}}))
	d := must[*dynamodb.DescribeTimeToLiveOutput](t)(c.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String("sessions")}))
	if d.TimeToLiveDescription.TimeToLiveStatus != dtypes.TimeToLiveStatusEnabled || aws.ToString(d.TimeToLiveDescription.AttributeName) != "expires" {
		t.Fatalf("DescribeTimeToLive: %+v", d.TimeToLiveDescription)
	}
	now := srv.Clock().Now().Unix()
	for id, expires := range map[string]dtypes.AttributeValue{
		"soon": num(fmt.Sprint(now + 3600)), "later": num(fmt.Sprint(now + 7*86400)), "text": str("2020-01-01"), "none": nil,
		"ancient": num(fmt.Sprint(now - 6*365*86400)), // more than five years ago: DynamoDB ignores it
	} {
		item := map[string]dtypes.AttributeValue{"customer_id": str(id), "date": str("-")}
		if expires != nil {
			item["expires"] = expires
		}
		must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("sessions"), Item: item}))
	}
	count := func() int32 {
		return must[*dynamodb.ScanOutput](t)(c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("sessions"), Select: dtypes.SelectCount})).Count
	}
	advance(t, srv, 2*time.Hour)
	deadline := time.Now().Add(30 * time.Second)
	for count() != 4 {
		if time.Now().After(deadline) {
			t.Fatalf("after 2 h: %d items, want 4 (the one expiring in 1 h gone)", count())
		}
		time.Sleep(10 * time.Millisecond)
	}
	advance(t, srv, 8*24*time.Hour)
	for count() != 3 {
		if time.Now().After(deadline) {
			t.Fatalf("after 8 days: %d items, want 3 (text, absent and ancient TTLs never expire)", count())
		}
		time.Sleep(10 * time.Millisecond)
	}
	_, err := c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("sessions"),
		TimeToLiveSpecification: &dtypes.TimeToLiveSpecification{Enabled: aws.Bool(true), AttributeName: aws.String("other")}})
	wantCode(t, err, "ValidationException")
}

// TestCrash_DynamoDBCollectionSizesSurvive kills the server while eight
// writers put and delete large items of one item collection (some refused
// as the collection fills), restarts it, empties the collection, and fills
// it again: exactly as many items fit as fit in a collection never
// written before. A size change lost or doubled by the crash would shift
// that count.
func TestCrash_DynamoDBCollectionSizesSurvive(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	t.Parallel()
	dir := t.TempDir()
	limit := childCollectionLimit + "=65536"
	srv := startChild(t, dir, limit)
	c := srv.dynamodbClient()
	createOrders(t, c, dtypes.ProjectionTypeKeysOnly)
	item := func(customer string, order int) map[string]dtypes.AttributeValue {
		return map[string]dtypes.AttributeValue{"customer": str(customer), "order": str(fmt.Sprintf("o%03d", order)),
			"total": num("1"), "filler": str(strings.Repeat("x", 1500))}
	}
	writeUntilKilled(srv, 8, 400, func(w, i int) (string, [16]byte, error) {
		order := w*10 + i%10
		var err error
		if i%3 == 2 {
			_, err = c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("orders"),
				Key: map[string]dtypes.AttributeValue{"customer": str("ann"), "order": str(fmt.Sprintf("o%03d", order))}})
		} else {
			_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: item("ann", order)})
		}
		if _, full := errors.AsType[*dtypes.ItemCollectionSizeLimitExceededException](err); full {
			err = nil // refused, not written: the server is still up
		}
		return fmt.Sprintf("w%d %d", w, i), [16]byte{}, err
	})
	c = startChild(t, dir, limit).dynamodbClient()
	// Empty ann's collection.
	q := must[*dynamodb.QueryOutput](t)(c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("orders"), ConsistentRead: aws.Bool(true),
		KeyConditionExpression: aws.String("customer = :c"), ExpressionAttributeValues: map[string]dtypes.AttributeValue{":c": str("ann")}}))
	if len(q.Items) == 0 {
		t.Fatal("no items survived to check")
	}
	for _, it := range q.Items {
		must[*dynamodb.DeleteItemOutput](t)(c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("orders"),
			Key: map[string]dtypes.AttributeValue{"customer": it["customer"], "order": it["order"]}}))
	}
	fill := func(customer string) int {
		for n := 0; ; n++ {
			_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: item(customer, n)})
			if _, full := errors.AsType[*dtypes.ItemCollectionSizeLimitExceededException](err); full {
				return n
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if ann, bob := fill("ann"), fill("bob"); ann != bob || bob == 0 {
		t.Fatalf("%d items fit in the emptied collection, %d in a new one", ann, bob)
	}
}

// TestCrash_DynamoDBAcknowledgedWritesSurvive kills the server with
// SIGKILL while eight writers put items and ADD to counters, restarts it,
// and checks every acknowledged write: each put item is there, and each
// counter holds its acknowledged additions (plus at most the one in
// flight when the server died). The table's stream holds exactly the
// changes the table does: an INSERT per item, a record per addition.
func TestCrash_DynamoDBAcknowledgedWritesSurvive(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	t.Parallel()
	dir := t.TempDir()
	srv := startChild(t, dir)
	c := srv.dynamodbClient()
	createAggregates(t, c, "crash")
	// Encrypted, so every value below is written sealed.
	must[*dynamodb.UpdateTableOutput](t)(c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("crash"),
		SSESpecification: &dtypes.SSESpecification{Enabled: aws.Bool(true)}}))
	must[*dynamodb.UpdateTableOutput](t)(c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("crash"),
		StreamSpecification: &dtypes.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: dtypes.StreamViewTypeNewImage}}))
	must[*kinesis.CreateStreamOutput](t)(srv.kinesisClient().CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String("crash-cdc"), ShardCount: aws.Int32(2)}))
	must[*dynamodb.EnableKinesisStreamingDestinationOutput](t)(c.EnableKinesisStreamingDestination(ctx, &dynamodb.EnableKinesisStreamingDestinationInput{
		TableName: aws.String("crash"), StreamArn: aws.String("arn:aws:kinesis:us-east-1:000000000000:stream/crash-cdc")}))
	const killAfter = 600
	acked := writeUntilKilled(srv, 8, killAfter, func(w, i int) (string, [16]byte, error) {
		if i%2 == 0 {
			_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("crash"), Item: map[string]dtypes.AttributeValue{
				"customer_id": str(fmt.Sprintf("w%d", w)), "date": str(fmt.Sprintf("%05d", i)), "v": num(fmt.Sprintf("%d.5", i))}})
			return fmt.Sprintf("put w%d %05d", w, i), [16]byte{}, err
		}
		_, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("crash"),
			Key:              map[string]dtypes.AttributeValue{"customer_id": str(fmt.Sprintf("counter-%d", w)), "date": str("-")},
			UpdateExpression: aws.String("ADD n :one"), ExpressionAttributeValues: map[string]dtypes.AttributeValue{":one": num("1")}})
		return fmt.Sprintf("add w%d %05d", w, i), [16]byte{}, err
	})
	if len(acked) < killAfter {
		t.Fatalf("only %d writes acknowledged", len(acked))
	}
	restarted := startChild(t, dir)
	c = restarted.dynamodbClient()
	adds := map[int]int{}
	for id := range acked {
		var w, i int
		var op string
		fmt.Sscanf(id, "%s w%d %d", &op, &w, &i)
		if op == "add" {
			adds[w]++
			continue
		}
		got := must[*dynamodb.GetItemOutput](t)(c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("crash"),
			Key: map[string]dtypes.AttributeValue{"customer_id": str(fmt.Sprintf("w%d", w)), "date": str(fmt.Sprintf("%05d", i))}}))
		if v, ok := got.Item["v"].(*dtypes.AttributeValueMemberN); !ok || v.Value != fmt.Sprintf("%d.5", i) {
			t.Fatalf("acknowledged put %s: %v", id, got.Item)
		}
	}
	for w, n := range adds {
		got := must[*dynamodb.GetItemOutput](t)(c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("crash"),
			Key: map[string]dtypes.AttributeValue{"customer_id": str(fmt.Sprintf("counter-%d", w)), "date": str("-")}}))
		var have int
		fmt.Sscan(got.Item["n"].(*dtypes.AttributeValueMemberN).Value, &have)
		if have != n && have != n+1 {
			t.Fatalf("counter %d holds %d after %d acknowledged additions", w, have, n)
		}
		adds[w] = have
	}

	// The stream: each item's INSERT once, each counter's values 1..n in
	// order, nothing else.
	sc := restarted.dynamodbStreamsClient()
	arn := aws.ToString(must[*dynamodb.DescribeTableOutput](t)(c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("crash")})).Table.LatestStreamArn)
	recs, _ := readStream(t, sc, shardIterator(t, sc, arn, "TRIM_HORIZON", ""))
	puts, counted := 0, map[string]int{}
	for _, r := range recs {
		id := r.Dynamodb.Keys["customer_id"].(*stypes.AttributeValueMemberS).Value
		if !strings.HasPrefix(id, "counter-") {
			puts++
			if r.EventName != stypes.OperationTypeInsert {
				t.Fatalf("item %s: %s", id, r.EventName)
			}
			continue
		}
		counted[id]++
		if v := r.Dynamodb.NewImage["n"].(*stypes.AttributeValueMemberN).Value; v != fmt.Sprint(counted[id]) {
			t.Fatalf("%s's record %d holds %s", id, counted[id], v)
		}
	}
	items := must[*dynamodb.ScanOutput](t)(c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("crash"), Select: dtypes.SelectCount})).Count
	if puts != int(items)-len(counted) {
		t.Fatalf("%d INSERTs of put items in the stream, %d such items in the table", puts, int(items)-len(counted))
	}
	for w, n := range adds {
		if counted[fmt.Sprintf("counter-%d", w)] != n {
			t.Fatalf("counter-%d: %d stream records, value %d", w, counted[fmt.Sprintf("counter-%d", w)], n)
		}
	}

	// Kinesis, at least once: every item in the table has its INSERT and
	// every counter each of its values, whether the pump put them in
	// before the crash or after the restart.
	want := int(items) - len(counted)
	for _, n := range adds {
		want += n
	}
	delivered := map[string]bool{}
	for _, ch := range readChanges(t, restarted.kinesisClient(), "crash-cdc", want) {
		delivered[ch.EventName+" "+fmt.Sprint(ch.Dynamodb.Keys["customer_id"]["S"], " ", ch.Dynamodb.Keys["date"]["S"], " ", ch.Dynamodb.NewImage["n"]["N"])] = true
	}
	for id := range acked {
		var w, i int
		var op string
		fmt.Sscanf(id, "%s w%d %d", &op, &w, &i)
		if op == "put" && !delivered[fmt.Sprintf("INSERT w%d %05d <nil>", w, i)] {
			t.Fatalf("acknowledged %s is not in Kinesis", id)
		}
	}
	for w, n := range adds {
		for v := 1; v <= n; v++ {
			name := "MODIFY"
			if v == 1 {
				name = "INSERT"
			}
			if !delivered[fmt.Sprintf("%s counter-%d - %d", name, w, v)] {
				t.Fatalf("counter-%d's value %d is not in Kinesis", w, v)
			}
		}
	}
}

func TestDynamoDB_SecondaryIndexes(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.DynamoDB()
	must[*dynamodb.CreateTableOutput](t)(c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String("orders"), BillingMode: dtypes.BillingModePayPerRequest, KeySchema: ks("customer", "order"),
		AttributeDefinitions: []dtypes.AttributeDefinition{attr("customer", "S"), attr("order", "S"), attr("status", "S"), attr("total", "N")},
		GlobalSecondaryIndexes: []dtypes.GlobalSecondaryIndex{
			{IndexName: aws.String("by-status"), KeySchema: ks("status", "total"), Projection: &dtypes.Projection{ProjectionType: dtypes.ProjectionTypeAll}},
			{IndexName: aws.String("status-keys"), KeySchema: ks("status", ""), Projection: &dtypes.Projection{ProjectionType: dtypes.ProjectionTypeInclude, NonKeyAttributes: []string{"note"}}},
		},
		LocalSecondaryIndexes: []dtypes.LocalSecondaryIndex{
			{IndexName: aws.String("by-total"), KeySchema: ks("customer", "total"), Projection: &dtypes.Projection{ProjectionType: dtypes.ProjectionTypeKeysOnly}},
		},
	}))
	put := func(customer, order, status, total string) {
		item := map[string]dtypes.AttributeValue{"customer": str(customer), "order": str(order), "note": str("n-" + order), "other": str("x")}
		if status != "" {
			item["status"] = str(status)
		}
		if total != "" {
			item["total"] = num(total)
		}
		must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: item}))
	}
	put("ann", "o1", "open", "30")
	put("ann", "o2", "open", "10")
	put("bob", "o3", "shipped", "20")
	put("bob", "o4", "open", "5")
	put("cy", "o5", "", "7") // no status: not in the by-status indexes
	query := func(in *dynamodb.QueryInput) []string {
		t.Helper()
		in.TableName = aws.String("orders")
		var got []string
		p := dynamodb.NewQueryPaginator(c, in)
		for p.HasMorePages() {
			page := must[*dynamodb.QueryOutput](t)(p.NextPage(ctx))
			for _, it := range page.Items {
				var keys []string
				for k := range it {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				got = append(got, it["order"].(*dtypes.AttributeValueMemberS).Value+fmt.Sprint(keys))
			}
		}
		return got
	}
	vals := func(kv ...string) map[string]dtypes.AttributeValue {
		m := map[string]dtypes.AttributeValue{}
		for i := 0; i < len(kv); i += 2 {
			if strings.HasPrefix(kv[i], ":n") {
				m[kv[i]] = num(kv[i+1])
			} else {
				m[kv[i]] = str(kv[i+1])
			}
		}
		return m
	}
	got := query(&dynamodb.QueryInput{IndexName: aws.String("by-status"), KeyConditionExpression: aws.String("#s = :s AND #t >= :n"),
		ExpressionAttributeNames: map[string]string{"#s": "status", "#t": "total"}, ExpressionAttributeValues: vals(":s", "open", ":n", "6"), Limit: aws.Int32(1)})
	if fmt.Sprint(got) != "[o2[customer note order other status total] o1[customer note order other status total]]" {
		t.Fatalf("GSI query: %v", got)
	}
	got = query(&dynamodb.QueryInput{IndexName: aws.String("status-keys"), KeyConditionExpression: aws.String("#s = :s"),
		ExpressionAttributeNames: map[string]string{"#s": "status"}, ExpressionAttributeValues: vals(":s", "open")})
	if len(got) != 3 || !strings.HasSuffix(got[0], "[customer note order status]") {
		t.Fatalf("INCLUDE projection: %v", got)
	}
	got = query(&dynamodb.QueryInput{IndexName: aws.String("by-total"), KeyConditionExpression: aws.String("customer = :c"),
		ExpressionAttributeValues: vals(":c", "bob"), ScanIndexForward: aws.Bool(false)})
	if fmt.Sprint(got) != "[o3[customer order total] o4[customer order total]]" {
		t.Fatalf("LSI KEYS_ONLY query: %v", got)
	}
	got = query(&dynamodb.QueryInput{IndexName: aws.String("by-total"), KeyConditionExpression: aws.String("customer = :c"),
		ExpressionAttributeValues: vals(":c", "bob"), Select: dtypes.SelectAllAttributes})
	if len(got) != 2 || !strings.Contains(got[0], "other") {
		t.Fatalf("LSI ALL_ATTRIBUTES fetches the item: %v", got)
	}
	// So does an attribute the index does not keep that the projection
	// or the filter names; a global index has no item to fetch.
	got = query(&dynamodb.QueryInput{IndexName: aws.String("by-total"), KeyConditionExpression: aws.String("customer = :c"),
		ExpressionAttributeNames: map[string]string{"#o": "order"}, ExpressionAttributeValues: vals(":c", "bob"), ProjectionExpression: aws.String("#o, note")})
	if fmt.Sprint(got) != "[o4[note order] o3[note order]]" {
		t.Fatalf("LSI projection of an attribute it does not keep: %v", got)
	}
	got = query(&dynamodb.QueryInput{IndexName: aws.String("by-total"), KeyConditionExpression: aws.String("customer = :c"),
		FilterExpression: aws.String("note = :v"), ExpressionAttributeValues: vals(":c", "bob", ":v", "n-o3")})
	if fmt.Sprint(got) != "[o3[customer order total]]" {
		t.Fatalf("LSI filter on an attribute it does not keep: %v", got)
	}
	got = query(&dynamodb.QueryInput{IndexName: aws.String("by-total"), KeyConditionExpression: aws.String("customer = :c"),
		FilterExpression: aws.String("size(note) = :n"), ExpressionAttributeValues: vals(":c", "bob", ":n", "4")})
	if len(got) != 2 {
		t.Fatalf("LSI filter on the size of an attribute it does not keep: %v", got)
	}
	// A global index has only what it keeps: a projection naming more is
	// refused, as DynamoDB refuses it.
	_, refusal := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("orders"), IndexName: aws.String("status-keys"), KeyConditionExpression: aws.String("#s = :s"),
		ExpressionAttributeNames: map[string]string{"#s": "status", "#o": "order", "#x": "other"}, ExpressionAttributeValues: vals(":s", "shipped"), ProjectionExpression: aws.String("#o, #x")})
	if !strings.Contains(fmt.Sprint(refusal), "ValidationException: One or more parameter values were invalid: Global secondary index status-keys does not project [other]") {
		t.Fatalf("GSI projection of an attribute it does not keep: %v", refusal)
	}
	got = query(&dynamodb.QueryInput{IndexName: aws.String("status-keys"), KeyConditionExpression: aws.String("#s = :s"),
		ExpressionAttributeNames: map[string]string{"#s": "status", "#o": "order"}, ExpressionAttributeValues: vals(":s", "shipped"), ProjectionExpression: aws.String("#o")})
	if fmt.Sprint(got) != "[o3[order]]" {
		t.Fatalf("GSI projection of a table key it keeps: %v", got)
	}
	// The index's entries are charged to the index, together; each item
	// fetched is charged to the table, as a GetItem of it.
	fetched := must[*dynamodb.QueryOutput](t)(c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("orders"), IndexName: aws.String("by-total"),
		KeyConditionExpression: aws.String("customer = :c"), ExpressionAttributeValues: vals(":c", "bob"), Select: dtypes.SelectAllAttributes,
		ReturnConsumedCapacity: dtypes.ReturnConsumedCapacityIndexes}))
	if cc := fetched.ConsumedCapacity; aws.ToFloat64(cc.CapacityUnits) != 1.5 || aws.ToFloat64(cc.Table.CapacityUnits) != 1 ||
		aws.ToFloat64(cc.LocalSecondaryIndexes["by-total"].CapacityUnits) != 0.5 {
		t.Fatalf("LSI query fetching two items: %+v %+v", cc, cc.LocalSecondaryIndexes)
	}

	// Updates move items between index partitions; deletes remove them.
	must[*dynamodb.UpdateItemOutput](t)(c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("orders"),
		Key: map[string]dtypes.AttributeValue{"customer": str("ann"), "order": str("o1")}, UpdateExpression: aws.String("SET #s = :s"),
		ExpressionAttributeNames: map[string]string{"#s": "status"}, ExpressionAttributeValues: vals(":s", "shipped")}))
	must[*dynamodb.DeleteItemOutput](t)(c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("orders"),
		Key: map[string]dtypes.AttributeValue{"customer": str("bob"), "order": str("o3")}}))
	got = query(&dynamodb.QueryInput{IndexName: aws.String("by-status"), KeyConditionExpression: aws.String("#s = :s"),
		ExpressionAttributeNames: map[string]string{"#s": "status"}, ExpressionAttributeValues: vals(":s", "shipped")})
	if len(got) != 1 || !strings.HasPrefix(got[0], "o1") {
		t.Fatalf("after update and delete: %v", got)
	}

	// An index on a type DynamoDB has no keys of is refused, as CreateTable
	// refuses it.
	_, err0 := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"),
		AttributeDefinitions: []dtypes.AttributeDefinition{attr("note", "X")},
		GlobalSecondaryIndexUpdates: []dtypes.GlobalSecondaryIndexUpdate{{Create: &dtypes.CreateGlobalSecondaryIndexAction{
			IndexName: aws.String("by-note"), KeySchema: ks("note", ""), Projection: &dtypes.Projection{ProjectionType: dtypes.ProjectionTypeKeysOnly}}}}})
	wantCode(t, err0, "ValidationException")
	// So is an index update that neither creates, updates nor deletes one.
	_, err0 = c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"),
		GlobalSecondaryIndexUpdates: []dtypes.GlobalSecondaryIndexUpdate{{}}})
	wantCode(t, err0, "ValidationException")

	// A new index is filled from the items already there.
	must[*dynamodb.UpdateTableOutput](t)(c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"),
		AttributeDefinitions: []dtypes.AttributeDefinition{attr("note", "S")},
		GlobalSecondaryIndexUpdates: []dtypes.GlobalSecondaryIndexUpdate{{Create: &dtypes.CreateGlobalSecondaryIndexAction{
			IndexName: aws.String("by-note"), KeySchema: ks("note", ""), Projection: &dtypes.Projection{ProjectionType: dtypes.ProjectionTypeKeysOnly}}}}}))
	got = query(&dynamodb.QueryInput{IndexName: aws.String("by-note"), KeyConditionExpression: aws.String("note = :x"), ExpressionAttributeValues: vals(":x", "n-o5")})
	if fmt.Sprint(got) != "[o5[customer note order]]" {
		t.Fatalf("backfilled index: %v", got)
	}
	d := must[*dynamodb.DescribeTableOutput](t)(c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders")})).Table
	if len(d.GlobalSecondaryIndexes) != 3 || len(d.LocalSecondaryIndexes) != 1 || d.GlobalSecondaryIndexes[2].IndexStatus != dtypes.IndexStatusActive {
		t.Fatalf("DescribeTable indexes: %+v %+v", d.GlobalSecondaryIndexes, d.LocalSecondaryIndexes)
	}
	must[*dynamodb.UpdateTableOutput](t)(c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"),
		GlobalSecondaryIndexUpdates: []dtypes.GlobalSecondaryIndexUpdate{{Delete: &dtypes.DeleteGlobalSecondaryIndexAction{IndexName: aws.String("by-note")}}}}))
	_, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("orders"), IndexName: aws.String("by-note"),
		KeyConditionExpression: aws.String("note = :x"), ExpressionAttributeValues: vals(":x", "n-o5")})
	wantCode(t, err, "ValidationException")
	// The attribute only the deleted index's key used is no longer
	// described (Terraform, which declares attributes, would plan its
	// removal on every run otherwise).
	d = must[*dynamodb.DescribeTableOutput](t)(c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders")})).Table
	var defined []string
	for _, a := range d.AttributeDefinitions {
		defined = append(defined, aws.ToString(a.AttributeName))
	}
	if slices.Contains(defined, "note") || !slices.Contains(defined, "status") || !slices.Contains(defined, "customer") {
		t.Errorf("attribute definitions after the index's deletion: %v", defined)
	}

	// What DynamoDB refuses.
	_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: map[string]dtypes.AttributeValue{
		"customer": str("z"), "order": str("z"), "total": str("not a number")}})
	wantCode(t, err, "ValidationException")
	for _, start := range []map[string]dtypes.AttributeValue{
		{"status": str("open"), "total": num("5")}, // an index's starting key names the table's key too
		{"status": str("open"), "total": num("5"), "customer": str("c1"), "order": num("1")},
	} {
		_, err = c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("orders"), IndexName: aws.String("by-status"),
			KeyConditionExpression: aws.String("#s = :s"), ExpressionAttributeNames: map[string]string{"#s": "status"},
			ExpressionAttributeValues: vals(":s", "open"), ExclusiveStartKey: start})
		wantCode(t, err, "ValidationException")
	}
	_, err = c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("orders"), IndexName: aws.String("by-status"), ConsistentRead: aws.Bool(true),
		KeyConditionExpression: aws.String("#s = :s"), ExpressionAttributeNames: map[string]string{"#s": "status"}, ExpressionAttributeValues: vals(":s", "open")})
	wantCode(t, err, "ValidationException")
	_, err = c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("orders"), IndexName: aws.String("status-keys"), Select: dtypes.SelectAllAttributes,
		KeyConditionExpression: aws.String("#s = :s"), ExpressionAttributeNames: map[string]string{"#s": "status"}, ExpressionAttributeValues: vals(":s", "open")})
	wantCode(t, err, "ValidationException")
}

// DescribeEndpoints names Lakebox itself, with its scheme, so that a client
// discovering endpoints keeps calling it.
func TestDynamoDB_DescribeEndpoints(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	out := must[*dynamodb.DescribeEndpointsOutput](t)(srv.DynamoDB().DescribeEndpoints(ctx, &dynamodb.DescribeEndpointsInput{}))
	if len(out.Endpoints) != 1 || aws.ToString(out.Endpoints[0].Address) != srv.URL || out.Endpoints[0].CachePeriodInMinutes != 1440 {
		t.Fatalf("endpoints: %+v (server at %s)", out.Endpoints, srv.URL)
	}
}

func TestDynamoDB_TagsAndConditionFailureItem(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.DynamoDB()
	createAggregates(t, c, "tagged")
	arn := aws.ToString(must[*dynamodb.DescribeTableOutput](t)(c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("tagged")})).Table.TableArn)
	must[*dynamodb.TagResourceOutput](t)(c.TagResource(ctx, &dynamodb.TagResourceInput{ResourceArn: aws.String(arn),
		Tags: []dtypes.Tag{{Key: aws.String("team"), Value: aws.String("data")}, {Key: aws.String("env"), Value: aws.String("dev")}}}))
	must[*dynamodb.UntagResourceOutput](t)(c.UntagResource(ctx, &dynamodb.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"env"}}))
	tags := must[*dynamodb.ListTagsOfResourceOutput](t)(c.ListTagsOfResource(ctx, &dynamodb.ListTagsOfResourceInput{ResourceArn: aws.String(arn)}))
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "team" {
		t.Fatalf("tags: %+v", tags.Tags)
	}
	key := map[string]dtypes.AttributeValue{"customer_id": str("a"), "date": str("d")}
	item := map[string]dtypes.AttributeValue{"customer_id": str("a"), "date": str("d"), "v": num("1")}
	must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("tagged"), Item: item}))
	_, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("tagged"), Key: key,
		UpdateExpression: aws.String("SET v = :two"), ConditionExpression: aws.String("v = :two"),
		ExpressionAttributeValues:           map[string]dtypes.AttributeValue{":two": num("2")},
		ReturnValuesOnConditionCheckFailure: dtypes.ReturnValuesOnConditionCheckFailureAllOld})
	var ccf *dtypes.ConditionalCheckFailedException
	if !errors.As(err, &ccf) || ccf.Item["v"].(*dtypes.AttributeValueMemberN).Value != "1" {
		t.Fatalf("ConditionalCheckFailedException with the item: %v %+v", err, ccf)
	}
}

// The legacy parameters still work, translated into expressions.
func TestDynamoDB_LegacyParameters(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.DynamoDB()
	createAggregates(t, c, "legacy")
	key := map[string]dtypes.AttributeValue{"customer_id": str("a"), "date": str("1")}
	item := map[string]dtypes.AttributeValue{"customer_id": str("a"), "date": str("1"), "n": num("1"), "tmp": str("x")}
	must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("legacy"), Item: item,
		Expected: map[string]dtypes.ExpectedAttributeValue{"customer_id": {Exists: aws.Bool(false)}}}))
	_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("legacy"), Item: item,
		Expected: map[string]dtypes.ExpectedAttributeValue{"customer_id": {Exists: aws.Bool(false)}}})
	wantCode(t, err, "ConditionalCheckFailedException")
	out := must[*dynamodb.UpdateItemOutput](t)(c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("legacy"), Key: key,
		AttributeUpdates: map[string]dtypes.AttributeValueUpdate{
			"n":    {Action: dtypes.AttributeActionAdd, Value: num("2.5")},
			"name": {Action: dtypes.AttributeActionPut, Value: str("ann")},
			"tmp":  {Action: dtypes.AttributeActionDelete},
		},
		Expected:     map[string]dtypes.ExpectedAttributeValue{"n": {ComparisonOperator: dtypes.ComparisonOperatorLt, AttributeValueList: []dtypes.AttributeValue{num("2")}}},
		ReturnValues: dtypes.ReturnValueAllNew}))
	if out.Attributes["n"].(*dtypes.AttributeValueMemberN).Value != "3.5" || out.Attributes["name"].(*dtypes.AttributeValueMemberS).Value != "ann" || out.Attributes["tmp"] != nil {
		t.Fatalf("AttributeUpdates: %v", out.Attributes)
	}
	got := must[*dynamodb.GetItemOutput](t)(c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("legacy"), Key: key, AttributesToGet: []string{"name"}}))
	if len(got.Item) != 1 || got.Item["name"] == nil {
		t.Fatalf("AttributesToGet: %v", got.Item)
	}
	for i := 2; i <= 5; i++ {
		must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("legacy"), Item: map[string]dtypes.AttributeValue{
			"customer_id": str("a"), "date": str(fmt.Sprint(i)), "n": num(fmt.Sprint(i * 10))}}))
	}
	q := must[*dynamodb.QueryOutput](t)(c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("legacy"),
		KeyConditions: map[string]dtypes.Condition{
			"customer_id": {ComparisonOperator: dtypes.ComparisonOperatorEq, AttributeValueList: []dtypes.AttributeValue{str("a")}},
			"date":        {ComparisonOperator: dtypes.ComparisonOperatorBetween, AttributeValueList: []dtypes.AttributeValue{str("2"), str("5")}},
		},
		QueryFilter: map[string]dtypes.Condition{
			"n": {ComparisonOperator: dtypes.ComparisonOperatorIn, AttributeValueList: []dtypes.AttributeValue{num("20"), num("50")}},
		},
	}))
	if q.Count != 2 || q.ScannedCount != 4 {
		t.Fatalf("KeyConditions + QueryFilter: %d of %d", q.Count, q.ScannedCount)
	}
	s := must[*dynamodb.ScanOutput](t)(c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("legacy"), ConditionalOperator: dtypes.ConditionalOperatorOr,
		ScanFilter: map[string]dtypes.Condition{
			"name": {ComparisonOperator: dtypes.ComparisonOperatorNotNull},
			"n":    {ComparisonOperator: dtypes.ComparisonOperatorGe, AttributeValueList: []dtypes.AttributeValue{num("40")}},
		}}))
	if s.Count != 3 {
		t.Fatalf("ScanFilter with OR: %d items", s.Count)
	}
	_, err = c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("legacy"), Key: key, AttributesToGet: []string{"name"}, ProjectionExpression: aws.String("n")})
	wantCode(t, err, "ValidationException")
	if !strings.Contains(err.Error(), "Can not use both expression and non-expression parameters") {
		t.Errorf("mixing: %v", err)
	}
	// An empty AttributesToGet is refused, not read as every attribute.
	_, err = c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("legacy"), Key: key, AttributesToGet: []string{}})
	wantCode(t, err, "ValidationException")
	_, err = c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("legacy"), AttributesToGet: []string{}})
	wantCode(t, err, "ValidationException")
	_, err = c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]dtypes.KeysAndAttributes{
		"legacy": {Keys: []map[string]dtypes.AttributeValue{key}, AttributesToGet: []string{}}}})
	wantCode(t, err, "ValidationException")
}

// Writes charge each index they touch, as DynamoDB counts it: a new entry
// or a removed one costs its projection's units, a moved key both, and a
// change outside an index's projection nothing. Index reads are charged
// to the index.
func TestDynamoDB_IndexCapacity(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.DynamoDB()
	s := dtypes.ScalarAttributeTypeS
	must[*dynamodb.CreateTableOutput](t)(c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("cap"),
		KeySchema:            []dtypes.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: dtypes.KeyTypeHash}},
		AttributeDefinitions: []dtypes.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: s}, {AttributeName: aws.String("status"), AttributeType: s}},
		BillingMode:          dtypes.BillingModePayPerRequest,
		GlobalSecondaryIndexes: []dtypes.GlobalSecondaryIndex{{IndexName: aws.String("by-status"),
			KeySchema:  []dtypes.KeySchemaElement{{AttributeName: aws.String("status"), KeyType: dtypes.KeyTypeHash}},
			Projection: &dtypes.Projection{ProjectionType: dtypes.ProjectionTypeKeysOnly}}},
	}))
	key := map[string]dtypes.AttributeValue{"pk": str("a")}
	check := func(what string, cc *dtypes.ConsumedCapacity, total, table, index float64) {
		t.Helper()
		got := fmt.Sprintf("%v %v", aws.ToFloat64(cc.CapacityUnits), aws.ToFloat64(cc.Table.CapacityUnits))
		want := fmt.Sprintf("%v %v", total, table)
		gsi, ok := cc.GlobalSecondaryIndexes["by-status"]
		if ok {
			got += fmt.Sprintf(" %v", aws.ToFloat64(gsi.CapacityUnits))
		}
		if index > 0 {
			want += fmt.Sprintf(" %v", index)
		}
		if got != want {
			t.Fatalf("%s: units %s, want %s", what, got, want)
		}
	}
	put := must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("cap"), ReturnConsumedCapacity: dtypes.ReturnConsumedCapacityIndexes,
		Item: map[string]dtypes.AttributeValue{"pk": str("a"), "status": str("new"), "body": str(strings.Repeat("x", 1500))}}))
	check("put", put.ConsumedCapacity, 3, 2, 1) // a 1.5 KB item; its key-only index entry
	upd := func(expr string, names map[string]string, vals map[string]dtypes.AttributeValue) *dtypes.ConsumedCapacity {
		return must[*dynamodb.UpdateItemOutput](t)(c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("cap"), Key: key,
			UpdateExpression: aws.String(expr), ExpressionAttributeValues: vals, ReturnConsumedCapacity: dtypes.ReturnConsumedCapacityIndexes,
			ExpressionAttributeNames: names})).ConsumedCapacity
	}
	check("update outside the projection", upd("SET body = :b", nil, map[string]dtypes.AttributeValue{":b": str("short")}), 2, 2, 0)
	check("update moving the index key", upd("SET #s = :s", map[string]string{"#s": "status"}, map[string]dtypes.AttributeValue{":s": str("paid")}), 3, 1, 2)
	q := must[*dynamodb.QueryOutput](t)(c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("cap"), IndexName: aws.String("by-status"),
		KeyConditionExpression: aws.String("#s = :s"), ExpressionAttributeNames: map[string]string{"#s": "status"},
		ExpressionAttributeValues: map[string]dtypes.AttributeValue{":s": str("paid")}, ReturnConsumedCapacity: dtypes.ReturnConsumedCapacityIndexes}))
	check("index query", q.ConsumedCapacity, 0.5, 0, 0.5)
	del := must[*dynamodb.DeleteItemOutput](t)(c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("cap"), Key: key,
		ReturnConsumedCapacity: dtypes.ReturnConsumedCapacityTotal}))
	if aws.ToFloat64(del.ConsumedCapacity.CapacityUnits) != 2 || del.ConsumedCapacity.Table != nil {
		t.Fatalf("delete, TOTAL: %+v", del.ConsumedCapacity)
	}

	// Batches and transactions charge the indexes too (transactions
	// double).
	item := func(pk, status string) map[string]dtypes.AttributeValue {
		return map[string]dtypes.AttributeValue{"pk": str(pk), "status": str(status)}
	}
	bw := must[*dynamodb.BatchWriteItemOutput](t)(c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{ReturnConsumedCapacity: dtypes.ReturnConsumedCapacityIndexes,
		RequestItems: map[string][]dtypes.WriteRequest{"cap": {{PutRequest: &dtypes.PutRequest{Item: item("b", "new")}}, {PutRequest: &dtypes.PutRequest{Item: map[string]dtypes.AttributeValue{"pk": str("c")}}}}}}))
	check("batch", &bw.ConsumedCapacity[0], 3, 2, 1) // two items, one of them indexed
	tw := must[*dynamodb.TransactWriteItemsOutput](t)(c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{ReturnConsumedCapacity: dtypes.ReturnConsumedCapacityIndexes,
		TransactItems: []dtypes.TransactWriteItem{{Put: &dtypes.Put{TableName: aws.String("cap"), Item: item("d", "new")}}}}))
	check("transaction", &tw.ConsumedCapacity[0], 4, 2, 2)
	big := map[string]dtypes.AttributeValue{"pk": str("e"), "body": str(strings.Repeat("y", 3000))}
	must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("cap"), Item: big}))
	bd := must[*dynamodb.BatchWriteItemOutput](t)(c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{ReturnConsumedCapacity: dtypes.ReturnConsumedCapacityTotal,
		RequestItems: map[string][]dtypes.WriteRequest{"cap": {{DeleteRequest: &dtypes.DeleteRequest{Key: map[string]dtypes.AttributeValue{"pk": str("e")}}}}}}))
	if aws.ToFloat64(bd.ConsumedCapacity[0].CapacityUnits) != 3 {
		t.Fatalf("batch delete of a 3 KB item: %v units", aws.ToFloat64(bd.ConsumedCapacity[0].CapacityUnits))
	}
	// A write is charged by the larger of the item before and after it, in
	// batches and transactions as in PutItem.
	must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("cap"), Item: big}))
	bp := must[*dynamodb.BatchWriteItemOutput](t)(c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{ReturnConsumedCapacity: dtypes.ReturnConsumedCapacityTotal,
		RequestItems: map[string][]dtypes.WriteRequest{"cap": {{PutRequest: &dtypes.PutRequest{Item: map[string]dtypes.AttributeValue{"pk": str("e")}}}}}}))
	if u := aws.ToFloat64(bp.ConsumedCapacity[0].CapacityUnits); u != 3 {
		t.Fatalf("batch put of a small item over a 3 KB one: %v units, want 3", u)
	}
	must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("cap"), Item: big}))
	td := must[*dynamodb.TransactWriteItemsOutput](t)(c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{ReturnConsumedCapacity: dtypes.ReturnConsumedCapacityTotal,
		TransactItems: []dtypes.TransactWriteItem{{Delete: &dtypes.Delete{TableName: aws.String("cap"), Key: map[string]dtypes.AttributeValue{"pk": str("e")}}}}}))
	if u := aws.ToFloat64(td.ConsumedCapacity[0].CapacityUnits); u != 6 {
		t.Fatalf("transactional delete of a 3 KB item: %v units, want 6", u)
	}
	// BatchGetItem charges each key as a GetItem of it: b and c are tiny,
	// x is missing, each half a unit read eventually consistent.
	bg := must[*dynamodb.BatchGetItemOutput](t)(c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{ReturnConsumedCapacity: dtypes.ReturnConsumedCapacityTotal,
		RequestItems: map[string]dtypes.KeysAndAttributes{"cap": {Keys: []map[string]dtypes.AttributeValue{{"pk": str("b")}, {"pk": str("c")}, {"pk": str("x")}}}}}))
	if u := aws.ToFloat64(bg.ConsumedCapacity[0].CapacityUnits); u != 1.5 {
		t.Fatalf("BatchGetItem of two small items and a missing one: %v units, want 1.5", u)
	}

	// A table named by its ARN is charged under its ARN, indexes and all.
	arn := aws.String("arn:aws:dynamodb:us-east-1:000000000000:table/cap")
	var got []*dtypes.ConsumedCapacity
	got = append(got, must[*dynamodb.GetItemOutput](t)(c.GetItem(ctx, &dynamodb.GetItemInput{TableName: arn, Key: key,
		ReturnConsumedCapacity: dtypes.ReturnConsumedCapacityTotal})).ConsumedCapacity)
	got = append(got, must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: arn, Item: item("a", "new"),
		ReturnConsumedCapacity: dtypes.ReturnConsumedCapacityIndexes})).ConsumedCapacity)
	got = append(got, must[*dynamodb.QueryOutput](t)(c.Query(ctx, &dynamodb.QueryInput{TableName: arn, KeyConditionExpression: aws.String("pk = :a"),
		ExpressionAttributeValues: map[string]dtypes.AttributeValue{":a": str("a")}, ReturnConsumedCapacity: dtypes.ReturnConsumedCapacityTotal})).ConsumedCapacity)
	bw = must[*dynamodb.BatchWriteItemOutput](t)(c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{ReturnConsumedCapacity: dtypes.ReturnConsumedCapacityIndexes,
		RequestItems: map[string][]dtypes.WriteRequest{*arn: {{PutRequest: &dtypes.PutRequest{Item: item("f", "new")}}}}}))
	got = append(got, &bw.ConsumedCapacity[0])
	tw = must[*dynamodb.TransactWriteItemsOutput](t)(c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{ReturnConsumedCapacity: dtypes.ReturnConsumedCapacityIndexes,
		TransactItems: []dtypes.TransactWriteItem{{Put: &dtypes.Put{TableName: arn, Item: item("g", "new")}}}}))
	got = append(got, &tw.ConsumedCapacity[0])
	tg := must[*dynamodb.TransactGetItemsOutput](t)(c.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{ReturnConsumedCapacity: dtypes.ReturnConsumedCapacityTotal,
		TransactItems: []dtypes.TransactGetItem{{Get: &dtypes.Get{TableName: arn, Key: key}}}}))
	got = append(got, &tg.ConsumedCapacity[0])
	for i, cc := range got {
		if aws.ToString(cc.TableName) != *arn {
			t.Errorf("call %d by ARN: consumed capacity of %q", i, aws.ToString(cc.TableName))
		}
	}
	check("put by ARN", got[1], 2, 1, 1)
	check("batch by ARN", got[3], 2, 1, 1)
	check("transaction by ARN", got[4], 4, 2, 2)
}

// A Query's 1 MB page and its capacity count DynamoDB's item sizes, not
// the bytes of the JSON the items are sent in: an item of 300 small
// numbers is 1,810 bytes to DynamoDB and some 5 KB of JSON.
func TestDynamoDB_QueryCountsItemSizes(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.DynamoDB()
	must[*dynamodb.CreateTableOutput](t)(c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String("wide"),
		KeySchema: []dtypes.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: dtypes.KeyTypeHash},
			{AttributeName: aws.String("sk"), KeyType: dtypes.KeyTypeRange}},
		AttributeDefinitions: []dtypes.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: dtypes.ScalarAttributeTypeS},
			{AttributeName: aws.String("sk"), AttributeType: dtypes.ScalarAttributeTypeS}},
		BillingMode: dtypes.BillingModePayPerRequest,
	}))
	const items, itemBytes = 700, 3 + 7 + 300*6 // pk "p", sk "s0000", a000..a299 each the number 1
	for i := 0; i < items; i += 25 {
		var puts []dtypes.WriteRequest
		for j := i; j < i+25 && j < items; j++ {
			item := map[string]dtypes.AttributeValue{"pk": str("p"), "sk": str(fmt.Sprintf("s%04d", j))}
			for a := range 300 {
				item[fmt.Sprintf("a%03d", a)] = num("1")
			}
			puts = append(puts, dtypes.WriteRequest{PutRequest: &dtypes.PutRequest{Item: item}})
		}
		must[*dynamodb.BatchWriteItemOutput](t)(c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]dtypes.WriteRequest{"wide": puts}}))
	}
	page := must[*dynamodb.QueryOutput](t)(c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("wide"), KeyConditionExpression: aws.String("pk = :p"),
		ExpressionAttributeValues: map[string]dtypes.AttributeValue{":p": str("p")}, ConsistentRead: aws.Bool(true),
		ReturnConsumedCapacity: dtypes.ReturnConsumedCapacityTotal, Select: dtypes.SelectCount}))
	// The page ends with the item that brings it to 1 MB.
	want := (1<<20 + itemBytes - 1) / itemBytes
	if page.Count != int32(want) || page.LastEvaluatedKey == nil {
		t.Fatalf("first page: %d items, want %d", page.Count, want)
	}
	if u, want := aws.ToFloat64(page.ConsumedCapacity.CapacityUnits), math.Ceil(float64(want*itemBytes)/4096); u != want {
		t.Fatalf("first page: %v units, want %v", u, want)
	}
}

// A ClientRequestToken makes a transaction apply once: under concurrent
// retries, after a restart, and for ten minutes of server time.
func TestDynamoDB_TransactionTokens(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := awstest.New(t, awstest.Options{DataDir: dir})
	c := srv.DynamoDB()
	createAggregates(t, c, "ledger")
	key := map[string]dtypes.AttributeValue{"customer_id": str("c"), "date": str("-")}
	tx := func(token, by string) error {
		_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{ClientRequestToken: aws.String(token), TransactItems: []dtypes.TransactWriteItem{
			{Update: &dtypes.Update{TableName: aws.String("ledger"), Key: key, UpdateExpression: aws.String("ADD n :by"),
				ExpressionAttributeValues: map[string]dtypes.AttributeValue{":by": num(by)}}}}})
		return err
	}
	value := func() string {
		got := must[*dynamodb.GetItemOutput](t)(c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("ledger"), Key: key}))
		return got.Item["n"].(*dtypes.AttributeValueMemberN).Value
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if err := tx("retry-me", "1"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if v := value(); v != "1" {
		t.Fatalf("eight concurrent retries of one token: n = %s", v)
	}
	srv.Stop()
	srv = awstest.New(t, awstest.Options{DataDir: dir})
	c = srv.DynamoDB()
	if err := tx("retry-me", "1"); err != nil || value() != "1" {
		t.Fatalf("retry after a restart: %v, n = %s", err, value())
	}
	wantCode(t, tx("retry-me", "2"), "IdempotentParameterMismatchException")
	advance(t, srv, 11*time.Minute)
	if err := tx("retry-me", "1"); err != nil || value() != "2" {
		t.Fatalf("the token after ten minutes: %v, n = %s", err, value())
	}
}

// Point-in-time recovery: reading it (as Terraform does for every table),
// turning it on, restoring a table as it was at a moment of its period
// into a new one (with its indexes), and AWS's errors for the rest.
func TestDynamoDB_PointInTimeRecovery(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.DynamoDB()
	createAggregates(t, c, "orders")
	must[*dynamodb.UpdateTableOutput](t)(c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"),
		AttributeDefinitions: []dtypes.AttributeDefinition{{AttributeName: aws.String("status"), AttributeType: dtypes.ScalarAttributeTypeS}},
		GlobalSecondaryIndexUpdates: []dtypes.GlobalSecondaryIndexUpdate{{Create: &dtypes.CreateGlobalSecondaryIndexAction{
			IndexName: aws.String("by_status"), KeySchema: []dtypes.KeySchemaElement{{AttributeName: aws.String("status"), KeyType: dtypes.KeyTypeHash}},
			Projection: &dtypes.Projection{ProjectionType: dtypes.ProjectionTypeAll}}}}}))
	pitr := func(table string) *dtypes.PointInTimeRecoveryDescription {
		return must[*dynamodb.DescribeContinuousBackupsOutput](t)(c.DescribeContinuousBackups(ctx,
			&dynamodb.DescribeContinuousBackupsInput{TableName: aws.String(table)})).ContinuousBackupsDescription.PointInTimeRecoveryDescription
	}
	// Continuous backups are on for every table; recovery to a point in time is what is turned on.
	if d := must[*dynamodb.DescribeContinuousBackupsOutput](t)(c.DescribeContinuousBackups(ctx,
		&dynamodb.DescribeContinuousBackupsInput{TableName: aws.String("orders")})).ContinuousBackupsDescription; d.ContinuousBackupsStatus != dtypes.ContinuousBackupsStatusEnabled {
		t.Fatalf("ContinuousBackupsStatus %q", d.ContinuousBackupsStatus)
	}
	if d := pitr("orders"); d.PointInTimeRecoveryStatus != dtypes.PointInTimeRecoveryStatusDisabled {
		t.Fatalf("before: %+v", d)
	}
	put := func(id, status string) {
		must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"),
			Item: map[string]dtypes.AttributeValue{"customer_id": str(id), "date": str("d"), "status": str(status)}}))
	}
	put("a", "open")
	put("b", "open")
	_, err := c.RestoreTableToPointInTime(ctx, &dynamodb.RestoreTableToPointInTimeInput{SourceTableName: aws.String("orders"),
		TargetTableName: aws.String("copy"), UseLatestRestorableTime: aws.Bool(true)})
	var unavailable *dtypes.PointInTimeRecoveryUnavailableException
	if !errors.As(err, &unavailable) {
		t.Fatalf("restore without recovery: %v", err)
	}
	must[*dynamodb.UpdateContinuousBackupsOutput](t)(c.UpdateContinuousBackups(ctx, &dynamodb.UpdateContinuousBackupsInput{TableName: aws.String("orders"),
		PointInTimeRecoverySpecification: &dtypes.PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: aws.Bool(true)}}))
	d := pitr("orders")
	if d.PointInTimeRecoveryStatus != dtypes.PointInTimeRecoveryStatusEnabled || aws.ToInt32(d.RecoveryPeriodInDays) != 35 || d.EarliestRestorableDateTime == nil {
		t.Fatalf("enabled: %+v", d)
	}
	then := *d.EarliestRestorableDateTime

	advance(t, srv, time.Hour)
	put("a", "shipped")
	must[*dynamodb.DeleteItemOutput](t)(c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("orders"),
		Key: map[string]dtypes.AttributeValue{"customer_id": str("b"), "date": str("d")}}))
	put("c", "open")

	restore := func(target string, at *time.Time) (*dynamodb.RestoreTableToPointInTimeOutput, error) {
		return c.RestoreTableToPointInTime(ctx, &dynamodb.RestoreTableToPointInTimeInput{SourceTableName: aws.String("orders"),
			TargetTableName: aws.String(target), RestoreDateTime: at, UseLatestRestorableTime: aws.Bool(at == nil)})
	}
	statuses := func(table string) string {
		var got []string
		for _, item := range must[*dynamodb.ScanOutput](t)(c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(table)})).Items {
			got = append(got, item["customer_id"].(*dtypes.AttributeValueMemberS).Value+"="+item["status"].(*dtypes.AttributeValueMemberS).Value)
		}
		slices.Sort(got)
		return strings.Join(got, " ")
	}
	out := must[*dynamodb.RestoreTableToPointInTimeOutput](t)(restore("orders-then", &then))
	if out.TableDescription.ItemCount == nil || *out.TableDescription.ItemCount != 2 || len(out.TableDescription.GlobalSecondaryIndexes) != 1 {
		t.Fatalf("restored: %+v", out.TableDescription)
	}
	// The new table tells where its items came from, as DynamoDB's do.
	source := must[*dynamodb.DescribeTableOutput](t)(c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders")})).Table.TableArn
	summary := must[*dynamodb.DescribeTableOutput](t)(c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders-then")})).Table.RestoreSummary
	if summary == nil || aws.ToString(summary.SourceTableArn) != aws.ToString(source) || summary.SourceBackupArn != nil ||
		!summary.RestoreDateTime.Equal(then.Truncate(time.Millisecond)) || aws.ToBool(summary.RestoreInProgress) {
		t.Fatalf("RestoreSummary: %+v (then %v)", summary, then)
	}
	if got := statuses("orders-then"); got != "a=open b=open" {
		t.Fatalf("as it was then: %q", got)
	}
	must[*dynamodb.RestoreTableToPointInTimeOutput](t)(restore("orders-now", nil))
	if got := statuses("orders-now"); got != "a=shipped c=open" {
		t.Fatalf("as it is now: %q", got)
	}
	// The restored table's index holds the restored items.
	q := must[*dynamodb.QueryOutput](t)(c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("orders-then"), IndexName: aws.String("by_status"),
		KeyConditionExpression: aws.String("#s = :s"), ExpressionAttributeNames: map[string]string{"#s": "status"},
		ExpressionAttributeValues: map[string]dtypes.AttributeValue{":s": str("open")}}))
	if q.Count != 2 {
		t.Fatalf("index of the restored table: %d items", q.Count)
	}

	before := then.Add(-time.Minute)
	_, err = restore("too-early", &before)
	var invalid *dtypes.InvalidRestoreTimeException
	if !errors.As(err, &invalid) {
		t.Fatalf("before the period: %v", err)
	}
	_, err = restore("orders-now", nil)
	var exists *dtypes.TableAlreadyExistsException
	if !errors.As(err, &exists) {
		t.Fatalf("onto a table that exists: %v", err)
	}
	_, err = c.DescribeContinuousBackups(ctx, &dynamodb.DescribeContinuousBackupsInput{TableName: aws.String("missing")})
	var missing *dtypes.TableNotFoundException
	if !errors.As(err, &missing) || !strings.Contains(err.Error(), "Table not found: missing") {
		t.Fatalf("missing table: %v", err)
	}
	must[*dynamodb.UpdateContinuousBackupsOutput](t)(c.UpdateContinuousBackups(ctx, &dynamodb.UpdateContinuousBackupsInput{TableName: aws.String("orders"),
		PointInTimeRecoverySpecification: &dtypes.PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: aws.Bool(false)}}))
	if d := pitr("orders"); d.PointInTimeRecoveryStatus != dtypes.PointInTimeRecoveryStatusDisabled {
		t.Fatalf("after turning it off: %+v", d)
	}
}

// A table exported to S3 in DynamoDB's layout, then queried with Athena
// the way AWS's guide does: a JSON table whose one column is the item.
func TestDynamoDB_ExportToS3AndQuery(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c, s3c, a := srv.DynamoDB(), srv.S3As(awstest.Client{UsePathStyle: true}), srv.Athena()
	createBucket(t, s3c, "exports")
	createBucket(t, s3c, "results")
	createAggregates(t, c, "sales")
	arn := aws.ToString(must[*dynamodb.DescribeTableOutput](t)(c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("sales")})).Table.TableArn)
	export := func(token string) (*dynamodb.ExportTableToPointInTimeOutput, error) {
		return c.ExportTableToPointInTime(ctx, &dynamodb.ExportTableToPointInTimeInput{TableArn: aws.String(arn),
			S3Bucket: aws.String("exports"), S3Prefix: aws.String("ddb/sales"), ClientToken: aws.String(token)})
	}
	_, err := export("first")
	var unavailable *dtypes.PointInTimeRecoveryUnavailableException
	if !errors.As(err, &unavailable) {
		t.Fatalf("without point-in-time recovery: %v", err)
	}
	for i, amount := range []string{"10.5", "0.1", "7"} {
		must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("sales"),
			Item: map[string]dtypes.AttributeValue{"customer_id": str(fmt.Sprint("c", i)), "date": str("2026-11-23"), "amount": num(amount)}}))
	}
	must[*dynamodb.UpdateContinuousBackupsOutput](t)(c.UpdateContinuousBackups(ctx, &dynamodb.UpdateContinuousBackupsInput{TableName: aws.String("sales"),
		PointInTimeRecoverySpecification: &dtypes.PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: aws.Bool(true)}}))
	out := must[*dynamodb.ExportTableToPointInTimeOutput](t)(export("first"))
	d := out.ExportDescription
	if d.ExportStatus != dtypes.ExportStatusCompleted || aws.ToInt64(d.ItemCount) != 3 || d.ExportFormat != dtypes.ExportFormatDynamodbJson {
		t.Fatalf("export: %+v %s", d, aws.ToString(d.FailureMessage))
	}
	// The same token again is the same export.
	if again := must[*dynamodb.ExportTableToPointInTimeOutput](t)(export("first")); aws.ToString(again.ExportDescription.ExportArn) != aws.ToString(d.ExportArn) {
		t.Fatalf("retried export: %s", aws.ToString(again.ExportDescription.ExportArn))
	}
	desc := must[*dynamodb.DescribeExportOutput](t)(c.DescribeExport(ctx, &dynamodb.DescribeExportInput{ExportArn: d.ExportArn}))
	if aws.ToString(desc.ExportDescription.ExportManifest) != aws.ToString(d.ExportManifest) {
		t.Fatalf("described: %+v", desc.ExportDescription)
	}
	list := must[*dynamodb.ListExportsOutput](t)(c.ListExports(ctx, &dynamodb.ListExportsInput{TableArn: aws.String(arn)}))
	if len(list.ExportSummaries) != 1 {
		t.Fatalf("exports: %+v", list.ExportSummaries)
	}

	id := aws.ToString(d.ExportArn)[strings.LastIndex(aws.ToString(d.ExportArn), "/")+1:]
	base := "ddb/sales/AWSDynamoDB/" + id + "/"
	files := objects(t, s3c, "exports", base)
	var summary struct {
		ItemCount          int64  `json:"itemCount"`
		ManifestFilesS3Key string `json:"manifestFilesS3Key"`
		OutputFormat       string `json:"outputFormat"`
		ExportType         string `json:"exportType"`
	}
	if err := json.Unmarshal(files[base+"manifest-summary.json"], &summary); err != nil || summary.ItemCount != 3 ||
		summary.ManifestFilesS3Key != base+"manifest-files.json" || summary.OutputFormat != "DYNAMODB_JSON" || summary.ExportType != "FULL_EXPORT" {
		t.Fatalf("manifest summary %s (%v); files %v", files[base+"manifest-summary.json"], err, keysOf(files))
	}
	// Each manifest's MD5, in base64, in a .md5 file beside it, as real exports have them.
	for _, m := range []string{"manifest-summary", "manifest-files"} {
		sum := md5.Sum(files[base+m+".json"])
		if got := string(files[base+m+".md5"]); got != base64.StdEncoding.EncodeToString(sum[:]) {
			t.Fatalf("%s.md5 = %q; files %v", m, got, keysOf(files))
		}
	}
	if _, ok := files[base+"_started"]; !ok {
		t.Fatalf("no _started: %v", keysOf(files))
	}
	var entry struct {
		ItemCount     int64  `json:"itemCount"`
		DataFileS3Key string `json:"dataFileS3Key"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(files[base+"manifest-files.json"]), &entry); err != nil || entry.ItemCount != 3 {
		t.Fatalf("manifest files %s (%v)", files[base+"manifest-files.json"], err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(files[entry.DataFileS3Key]))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(must[[]byte](t)(io.ReadAll(zr)))), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], `{"Item":{`) {
		t.Fatalf("data: %q", lines)
	}

	// Athena reads the export as AWS's guide shows.
	ok := succeeds(t, srv, a, "exports")
	ok("CREATE DATABASE exports")
	ok(`CREATE EXTERNAL TABLE sales_export (Item struct<customer_id:struct<S:string>, amount:struct<N:string>>)
		ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://exports/` + base + `data/'`)
	q := ok(`SELECT Item.customer_id.S, CAST(Item.amount.N AS DECIMAL(10, 2)) FROM sales_export ORDER BY 1`)
	got := rows(t, a, q.QueryExecutionId)
	if fmt.Sprint(got[1:]) != "[[c0 10.50] [c1 0.10] [c2 7.00]]" {
		t.Fatalf("queried export: %v", got)
	}
}

// An export imported into a new table gives the same items back; a CSV
// import types the keys, keeps the rest strings, and counts bad lines.
func TestDynamoDB_ImportFromS3(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c, s3c := srv.DynamoDB(), srv.S3As(awstest.Client{UsePathStyle: true})
	createBucket(t, s3c, "lake")
	createAggregates(t, c, "orders")
	for i, amount := range []string{"10.5", "0.1", "123456789012345678901234567890.5"} {
		must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"),
			Item: map[string]dtypes.AttributeValue{"customer_id": str(fmt.Sprint("c", i)), "date": str("d"), "amount": num(amount),
				"tags": &dtypes.AttributeValueMemberSS{Value: []string{"x", "y"}}}}))
	}
	must[*dynamodb.UpdateContinuousBackupsOutput](t)(c.UpdateContinuousBackups(ctx, &dynamodb.UpdateContinuousBackupsInput{TableName: aws.String("orders"),
		PointInTimeRecoverySpecification: &dtypes.PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: aws.Bool(true)}}))
	arn := aws.ToString(must[*dynamodb.DescribeTableOutput](t)(c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders")})).Table.TableArn)
	exp := must[*dynamodb.ExportTableToPointInTimeOutput](t)(c.ExportTableToPointInTime(ctx, &dynamodb.ExportTableToPointInTimeInput{
		TableArn: aws.String(arn), S3Bucket: aws.String("lake"), S3Prefix: aws.String("exports")})).ExportDescription
	id := aws.ToString(exp.ExportArn)[strings.LastIndex(aws.ToString(exp.ExportArn), "/")+1:]

	schema := &dtypes.TableCreationParameters{TableName: aws.String("orders_copy"),
		KeySchema: []dtypes.KeySchemaElement{{AttributeName: aws.String("customer_id"), KeyType: dtypes.KeyTypeHash},
			{AttributeName: aws.String("date"), KeyType: dtypes.KeyTypeRange}},
		AttributeDefinitions: []dtypes.AttributeDefinition{{AttributeName: aws.String("customer_id"), AttributeType: dtypes.ScalarAttributeTypeS},
			{AttributeName: aws.String("date"), AttributeType: dtypes.ScalarAttributeTypeS}},
		BillingMode: dtypes.BillingModePayPerRequest, SSESpecification: &dtypes.SSESpecification{Enabled: aws.Bool(true)}}
	imp := must[*dynamodb.ImportTableOutput](t)(c.ImportTable(ctx, &dynamodb.ImportTableInput{
		S3BucketSource: &dtypes.S3BucketSource{S3Bucket: aws.String("lake"), S3KeyPrefix: aws.String("exports/AWSDynamoDB/" + id + "/data/")},
		InputFormat:    dtypes.InputFormatDynamodbJson, InputCompressionType: dtypes.InputCompressionTypeGzip, TableCreationParameters: schema,
	})).ImportTableDescription
	if imp.ImportStatus != dtypes.ImportStatusCompleted || imp.ImportedItemCount != 3 || imp.ErrorCount != 0 {
		t.Fatalf("import: %+v %s", imp, aws.ToString(imp.FailureMessage))
	}
	got := must[*dynamodb.GetItemOutput](t)(c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("orders_copy"),
		Key: map[string]dtypes.AttributeValue{"customer_id": str("c2"), "date": str("d")}})).Item
	if got["amount"].(*dtypes.AttributeValueMemberN).Value != "123456789012345678901234567890.5" || len(got["tags"].(*dtypes.AttributeValueMemberSS).Value) != 2 {
		t.Fatalf("imported item: %+v", got)
	}
	if d := must[*dynamodb.DescribeImportOutput](t)(c.DescribeImport(ctx, &dynamodb.DescribeImportInput{ImportArn: imp.ImportArn})); aws.ToString(d.ImportTableDescription.TableArn) != aws.ToString(imp.TableArn) {
		t.Fatalf("described: %+v", d.ImportTableDescription)
	}
	// The new table is encrypted as its creation parameters asked.
	if got := sseOf(t, c, "orders_copy"); got != "ENABLED KMS arn:aws:kms:us-east-1:000000000000:alias/aws/dynamodb" {
		t.Fatalf("the imported table's encryption: %s", got)
	}
	_, err := c.ImportTable(ctx, &dynamodb.ImportTableInput{S3BucketSource: &dtypes.S3BucketSource{S3Bucket: aws.String("lake")},
		InputFormat: dtypes.InputFormatDynamodbJson, TableCreationParameters: schema})
	wantCode(t, err, "ResourceInUseException")

	// CSV: a header, a number key, a line with too many fields.
	csvBody := "id,n,name\na,1,alpha\nb,2,beta\nc,x,bad-number\nd,4,delta,extra\n"
	must[*s3.PutObjectOutput](t)(s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("lake"), Key: aws.String("csv/part-0.csv"), Body: strings.NewReader(csvBody)}))
	csvImport := &dynamodb.ImportTableInput{
		S3BucketSource: &dtypes.S3BucketSource{S3Bucket: aws.String("lake"), S3KeyPrefix: aws.String("csv/")},
		InputFormat:    dtypes.InputFormatCsv, ClientToken: aws.String("csv-once"),
		TableCreationParameters: &dtypes.TableCreationParameters{TableName: aws.String("from_csv"),
			KeySchema:            []dtypes.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: dtypes.KeyTypeHash}, {AttributeName: aws.String("n"), KeyType: dtypes.KeyTypeRange}},
			AttributeDefinitions: []dtypes.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: dtypes.ScalarAttributeTypeS}, {AttributeName: aws.String("n"), AttributeType: dtypes.ScalarAttributeTypeN}},
			BillingMode:          dtypes.BillingModePayPerRequest},
	}
	imp = must[*dynamodb.ImportTableOutput](t)(c.ImportTable(ctx, csvImport)).ImportTableDescription
	if imp.ImportedItemCount != 2 || imp.ErrorCount != 2 || imp.ProcessedItemCount != 4 {
		t.Fatalf("CSV import: imported %d, errors %d, processed %d", imp.ImportedItemCount, imp.ErrorCount, imp.ProcessedItemCount)
	}
	// An import that skipped items ends FAILED, as on AWS; its table keeps the valid ones.
	if imp.ImportStatus != dtypes.ImportStatusFailed || aws.ToString(imp.FailureCode) != "ItemValidationError" ||
		!strings.HasPrefix(aws.ToString(imp.FailureMessage), "Some of the items failed validation checks and were not imported.") {
		t.Fatalf("CSV import with bad lines: %s %s %s", imp.ImportStatus, aws.ToString(imp.FailureCode), aws.ToString(imp.FailureMessage))
	}
	// ProcessedSizeBytes counts the lines' bytes, after decompression: the
	// same lines gzipped count the same.
	if imp.ProcessedSizeBytes == nil || *imp.ProcessedSizeBytes != int64(len(csvBody)) {
		t.Fatalf("CSV import: ProcessedSizeBytes %v, want %d", aws.ToInt64(imp.ProcessedSizeBytes), len(csvBody))
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(csvBody))
	zw.Close()
	must[*s3.PutObjectOutput](t)(s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("lake"), Key: aws.String("csvgz/part-0.csv.gz"), Body: bytes.NewReader(gz.Bytes())}))
	gzImport := *csvImport
	gzParams := *csvImport.TableCreationParameters
	gzParams.TableName = aws.String("from_csv_gz")
	gzImport.TableCreationParameters, gzImport.ClientToken, gzImport.InputCompressionType = &gzParams, nil, dtypes.InputCompressionTypeGzip
	gzImport.S3BucketSource = &dtypes.S3BucketSource{S3Bucket: aws.String("lake"), S3KeyPrefix: aws.String("csvgz/")}
	if n := must[*dynamodb.ImportTableOutput](t)(c.ImportTable(ctx, &gzImport)).ImportTableDescription.ProcessedSizeBytes; aws.ToInt64(n) != int64(len(csvBody)) {
		t.Fatalf("gzipped CSV import: ProcessedSizeBytes %d, want %d", aws.ToInt64(n), len(csvBody))
	}
	// The same request again is the same import; its token with any other
	// parameter is a conflict.
	if again := must[*dynamodb.ImportTableOutput](t)(c.ImportTable(ctx, csvImport)).ImportTableDescription; aws.ToString(again.ImportArn) != aws.ToString(imp.ImportArn) {
		t.Fatalf("a retry made import %s, not %s", aws.ToString(again.ImportArn), aws.ToString(imp.ImportArn))
	}
	for _, change := range []func(in *dynamodb.ImportTableInput){
		func(in *dynamodb.ImportTableInput) { in.InputCompressionType = dtypes.InputCompressionTypeGzip },
		func(in *dynamodb.ImportTableInput) {
			in.InputFormatOptions = &dtypes.InputFormatOptions{Csv: &dtypes.CsvOptions{Delimiter: aws.String(";")}}
		},
		func(in *dynamodb.ImportTableInput) { in.TableCreationParameters.TableName = aws.String("from_csv_2") },
	} {
		other := *csvImport
		params := *csvImport.TableCreationParameters
		other.TableCreationParameters = &params
		change(&other)
		_, err := c.ImportTable(ctx, &other)
		wantCode(t, err, "ImportConflictException")
	}
	item := must[*dynamodb.GetItemOutput](t)(c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("from_csv"),
		Key: map[string]dtypes.AttributeValue{"id": str("b"), "n": num("2")}})).Item
	if item["name"].(*dtypes.AttributeValueMemberS).Value != "beta" {
		t.Fatalf("CSV item: %+v", item)
	}

	// A key repeated in the data: the later line wins, in the index too.
	// Lines that are not JSON, that name an attribute twice or that hold
	// invalid UTF-8 are errors.
	dup := `{"Item":{"id":{"S":"a"},"status":{"S":"open"}}}` + "\n" + `{"Item":{"id":{"S":"a"},"status":{"S":"shipped"}}}` + "\n" + `not json` + "\n" +
		`{"Item":{"id":{"S":"z"},"id":{"S":"y"}}}` + "\n" + "{\"Item\":{\"id\":{\"S\":\"x\xff\"}}}\n"
	must[*s3.PutObjectOutput](t)(s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("lake"), Key: aws.String("dup/part-0.json"), Body: strings.NewReader(dup)}))
	imp = must[*dynamodb.ImportTableOutput](t)(c.ImportTable(ctx, &dynamodb.ImportTableInput{
		S3BucketSource: &dtypes.S3BucketSource{S3Bucket: aws.String("lake"), S3KeyPrefix: aws.String("dup/")},
		InputFormat:    dtypes.InputFormatDynamodbJson,
		TableCreationParameters: &dtypes.TableCreationParameters{TableName: aws.String("with_index"),
			KeySchema: []dtypes.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: dtypes.KeyTypeHash}},
			AttributeDefinitions: []dtypes.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: dtypes.ScalarAttributeTypeS},
				{AttributeName: aws.String("status"), AttributeType: dtypes.ScalarAttributeTypeS}},
			BillingMode: dtypes.BillingModePayPerRequest,
			GlobalSecondaryIndexes: []dtypes.GlobalSecondaryIndex{{IndexName: aws.String("by_status"),
				KeySchema:  []dtypes.KeySchemaElement{{AttributeName: aws.String("status"), KeyType: dtypes.KeyTypeHash}},
				Projection: &dtypes.Projection{ProjectionType: dtypes.ProjectionTypeAll}}}},
	})).ImportTableDescription
	// Every write counts as imported, as AWS counts: processed = imported + errors.
	if imp.ImportedItemCount != 2 || imp.ErrorCount != 3 || imp.ProcessedItemCount != 5 {
		t.Fatalf("import with a repeated key: imported %d, errors %d, processed %d", imp.ImportedItemCount, imp.ErrorCount, imp.ProcessedItemCount)
	}
	for status, want := range map[string]int32{"open": 0, "shipped": 1} {
		q := must[*dynamodb.QueryOutput](t)(c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("with_index"), IndexName: aws.String("by_status"),
			KeyConditionExpression: aws.String("#s = :s"), ExpressionAttributeNames: map[string]string{"#s": "status"},
			ExpressionAttributeValues: map[string]dtypes.AttributeValue{":s": str(status)}}))
		if q.Count != want {
			t.Fatalf("index entries for %s: %d, want %d", status, q.Count, want)
		}
	}
	list := must[*dynamodb.ListImportsOutput](t)(c.ListImports(ctx, &dynamodb.ListImportsInput{}))
	if len(list.ImportSummaryList) != 4 {
		t.Fatalf("imports: %+v", list.ImportSummaryList)
	}
}

// On-demand backups hold the items as they were, outlive their table, and
// restore into new tables until deleted.
func TestDynamoDB_OnDemandBackups(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.DynamoDB()
	createAggregates(t, c, "ledger")
	put := func(id, v string) {
		must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("ledger"),
			Item: map[string]dtypes.AttributeValue{"customer_id": str(id), "date": str("d"), "v": num(v)}}))
	}
	put("a", "1")
	put("b", "2")
	bk := must[*dynamodb.CreateBackupOutput](t)(c.CreateBackup(ctx, &dynamodb.CreateBackupInput{TableName: aws.String("ledger"), BackupName: aws.String("nightly")})).BackupDetails
	if bk.BackupStatus != dtypes.BackupStatusAvailable || bk.BackupType != dtypes.BackupTypeUser || aws.ToInt64(bk.BackupSizeBytes) == 0 {
		t.Fatalf("backup: %+v", bk)
	}
	put("a", "100")
	put("c", "3")
	must[*dynamodb.DeleteTableOutput](t)(c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("ledger")}))

	desc := must[*dynamodb.DescribeBackupOutput](t)(c.DescribeBackup(ctx, &dynamodb.DescribeBackupInput{BackupArn: bk.BackupArn})).BackupDescription
	if aws.ToInt64(desc.SourceTableDetails.ItemCount) != 2 || aws.ToString(desc.SourceTableDetails.TableName) != "ledger" {
		t.Fatalf("described: %+v", desc.SourceTableDetails)
	}
	list := must[*dynamodb.ListBackupsOutput](t)(c.ListBackups(ctx, &dynamodb.ListBackupsInput{TableName: aws.String("ledger")}))
	if len(list.BackupSummaries) != 1 || aws.ToString(list.BackupSummaries[0].BackupName) != "nightly" {
		t.Fatalf("listed: %+v", list.BackupSummaries)
	}
	out := must[*dynamodb.RestoreTableFromBackupOutput](t)(c.RestoreTableFromBackup(ctx, &dynamodb.RestoreTableFromBackupInput{
		BackupArn: bk.BackupArn, TargetTableName: aws.String("ledger")}))
	if aws.ToInt64(out.TableDescription.ItemCount) != 2 {
		t.Fatalf("restored: %+v", out.TableDescription)
	}
	// An override given empty restores without indexes of its kind.
	bare := must[*dynamodb.RestoreTableFromBackupOutput](t)(c.RestoreTableFromBackup(ctx, &dynamodb.RestoreTableFromBackupInput{
		BackupArn: bk.BackupArn, TargetTableName: aws.String("ledger_bare"),
		GlobalSecondaryIndexOverride: []dtypes.GlobalSecondaryIndex{}, LocalSecondaryIndexOverride: []dtypes.LocalSecondaryIndex{}}))
	if d := bare.TableDescription; len(d.GlobalSecondaryIndexes)+len(d.LocalSecondaryIndexes) != 0 || aws.ToInt64(d.ItemCount) != 2 {
		t.Fatalf("restored with empty overrides: %+v", d)
	}
	if r := out.TableDescription.RestoreSummary; r == nil || aws.ToString(r.SourceBackupArn) != aws.ToString(bk.BackupArn) ||
		!strings.HasSuffix(aws.ToString(r.SourceTableArn), ":table/ledger") || !r.RestoreDateTime.Equal(*desc.BackupDetails.BackupCreationDateTime) {
		t.Fatalf("RestoreSummary: %+v", r)
	}
	got := must[*dynamodb.GetItemOutput](t)(c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("ledger"),
		Key: map[string]dtypes.AttributeValue{"customer_id": str("a"), "date": str("d")}})).Item
	if got["v"].(*dtypes.AttributeValueMemberN).Value != "1" {
		t.Fatalf("restored item: %+v", got)
	}
	_, err := c.RestoreTableFromBackup(ctx, &dynamodb.RestoreTableFromBackupInput{BackupArn: bk.BackupArn, TargetTableName: aws.String("ledger")})
	var exists *dtypes.TableAlreadyExistsException
	if !errors.As(err, &exists) {
		t.Fatalf("restore onto a table that exists: %v", err)
	}
	// An override's errors name it as the request does.
	_, err = c.RestoreTableFromBackup(ctx, &dynamodb.RestoreTableFromBackupInput{BackupArn: bk.BackupArn, TargetTableName: aws.String("ledger_kms"),
		SSESpecificationOverride: &dtypes.SSESpecification{Enabled: aws.Bool(true), SSEType: "RSA"}})
	wantCode(t, err, "ValidationException")
	if !strings.Contains(err.Error(), "sSESpecificationOverride.sSEType") {
		t.Fatalf("an override of an unknown type: %v", err)
	}
	must[*dynamodb.DeleteBackupOutput](t)(c.DeleteBackup(ctx, &dynamodb.DeleteBackupInput{BackupArn: bk.BackupArn}))
	_, err = c.DescribeBackup(ctx, &dynamodb.DescribeBackupInput{BackupArn: bk.BackupArn})
	var gone *dtypes.BackupNotFoundException
	if !errors.As(err, &gone) {
		t.Fatalf("deleted backup: %v", err)
	}
}

// Table settings are kept and described, or refused: never dropped.
func TestDynamoDB_TableSettings(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.DynamoDB()
	keys := []dtypes.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: dtypes.KeyTypeHash}}
	defs := []dtypes.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: dtypes.ScalarAttributeTypeS}}
	create := func(name string, f func(*dynamodb.CreateTableInput)) error {
		in := &dynamodb.CreateTableInput{TableName: aws.String(name), KeySchema: keys, AttributeDefinitions: defs, BillingMode: dtypes.BillingModePayPerRequest}
		f(in)
		_, err := c.CreateTable(ctx, in)
		return err
	}
	if err := create("cold", func(in *dynamodb.CreateTableInput) { in.TableClass = dtypes.TableClassStandardInfrequentAccess }); err != nil {
		t.Fatal(err)
	}
	class := func() dtypes.TableClass {
		d := must[*dynamodb.DescribeTableOutput](t)(c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("cold")})).Table
		if d.TableClassSummary == nil {
			return ""
		}
		return d.TableClassSummary.TableClass
	}
	if got := class(); got != dtypes.TableClassStandardInfrequentAccess {
		t.Fatalf("table class %q after CreateTable", got)
	}
	must[*dynamodb.UpdateTableOutput](t)(c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("cold"), TableClass: dtypes.TableClassStandard}))
	if got := class(); got != dtypes.TableClassStandard {
		t.Fatalf("table class %q after UpdateTable", got)
	}
	wantCode(t, create("bad-class", func(in *dynamodb.CreateTableInput) { in.TableClass = "GLACIER" }), "ValidationException")

	for what, f := range map[string]func(*dynamodb.CreateTableInput){
		"OnDemandThroughput": func(in *dynamodb.CreateTableInput) {
			in.OnDemandThroughput = &dtypes.OnDemandThroughput{MaxReadRequestUnits: aws.Int64(10)}
		},
		"ResourcePolicy": func(in *dynamodb.CreateTableInput) { in.ResourcePolicy = aws.String(`{"Version":"2012-10-17"}`) },
		"AES256": func(in *dynamodb.CreateTableInput) {
			in.SSESpecification = &dtypes.SSESpecification{Enabled: aws.Bool(true), SSEType: dtypes.SSETypeAes256}
		},
		"should not be specified for index": func(in *dynamodb.CreateTableInput) {
			in.GlobalSecondaryIndexes = []dtypes.GlobalSecondaryIndex{{IndexName: aws.String("by-pk"), KeySchema: keys,
				Projection: &dtypes.Projection{ProjectionType: dtypes.ProjectionTypeAll}, ProvisionedThroughput: &dtypes.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(5)}}}
		},
		"Tag Key": func(in *dynamodb.CreateTableInput) {
			in.Tags = []dtypes.Tag{{Key: aws.String(strings.Repeat("k", 129)), Value: aws.String("v")}}
		},
		"WarmThroughput": func(in *dynamodb.CreateTableInput) {
			in.GlobalSecondaryIndexes = []dtypes.GlobalSecondaryIndex{{IndexName: aws.String("by-pk"), KeySchema: keys,
				Projection: &dtypes.Projection{ProjectionType: dtypes.ProjectionTypeAll}, WarmThroughput: &dtypes.WarmThroughput{ReadUnitsPerSecond: aws.Int64(12000)}}}
		},
	} {
		// Each is refused for its own reason, named in the message.
		if err := create("refused", f); err == nil || !strings.Contains(err.Error(), what) {
			t.Errorf("CreateTable refusing %s: %v", what, err)
		} else {
			wantCode(t, err, "ValidationException")
		}
	}
	for what, in := range map[string]*dynamodb.UpdateTableInput{
		"nothing":                {},
		"ReplicaUpdates Update":  {ReplicaUpdates: []dtypes.ReplicationGroupUpdate{{Update: &dtypes.UpdateReplicationGroupMemberAction{RegionName: aws.String("eu-west-1")}}}},
		"MultiRegionConsistency": {MultiRegionConsistency: dtypes.MultiRegionConsistencyStrong},
		"AES256":                 {SSESpecification: &dtypes.SSESpecification{Enabled: aws.Bool(true), SSEType: dtypes.SSETypeAes256}},
		"WarmThroughput":         {WarmThroughput: &dtypes.WarmThroughput{WriteUnitsPerSecond: aws.Int64(5000)}},
	} {
		in.TableName = aws.String("cold")
		_, err := c.UpdateTable(ctx, in)
		if err == nil {
			t.Errorf("UpdateTable with %s succeeded", what)
		} else {
			wantCode(t, err, "ValidationException")
		}
	}

	// A global index has its own throughput while the table is
	// provisioned, and none once it is on demand again.
	gsi := []dtypes.GlobalSecondaryIndex{{IndexName: aws.String("by-pk"), KeySchema: keys, Projection: &dtypes.Projection{ProjectionType: dtypes.ProjectionTypeKeysOnly}}}
	if err := create("billing", func(in *dynamodb.CreateTableInput) { in.GlobalSecondaryIndexes = gsi }); err != nil {
		t.Fatal(err)
	}
	five := &dtypes.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(5)}
	_, err0 := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("billing"), BillingMode: dtypes.BillingModeProvisioned, ProvisionedThroughput: five})
	wantCode(t, err0, "ValidationException") // by-pk's throughput is missing
	must[*dynamodb.UpdateTableOutput](t)(c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("billing"), BillingMode: dtypes.BillingModeProvisioned,
		ProvisionedThroughput: five, GlobalSecondaryIndexUpdates: []dtypes.GlobalSecondaryIndexUpdate{{Update: &dtypes.UpdateGlobalSecondaryIndexAction{IndexName: aws.String("by-pk"), ProvisionedThroughput: five}}}}))
	describe := func() *dtypes.TableDescription {
		return must[*dynamodb.DescribeTableOutput](t)(c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("billing")})).Table
	}
	if d := describe(); aws.ToInt64(d.GlobalSecondaryIndexes[0].ProvisionedThroughput.ReadCapacityUnits) != 5 || d.BillingModeSummary != nil {
		t.Fatalf("provisioned: %+v %+v", d.GlobalSecondaryIndexes[0].ProvisionedThroughput, d.BillingModeSummary)
	}
	// A throughput that would not change is refused, as DynamoDB refuses it.
	_, err0 = c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("billing"), ProvisionedThroughput: five})
	if wantCode(t, err0, "ValidationException"); !strings.Contains(err0.Error(), "The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5.") {
		t.Fatalf("UpdateTable to the same throughput: %v", err0)
	}
	// Increases and decreases are dated, and the day's decreases counted, on the server clock.
	for _, rw := range [][2]int64{{10, 5}, {4, 5}, {4, 3}} {
		must[*dynamodb.UpdateTableOutput](t)(c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("billing"),
			ProvisionedThroughput: &dtypes.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(rw[0]), WriteCapacityUnits: aws.Int64(rw[1])}}))
	}
	must[*dynamodb.UpdateTableOutput](t)(c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("billing"),
		GlobalSecondaryIndexUpdates: []dtypes.GlobalSecondaryIndexUpdate{{Update: &dtypes.UpdateGlobalSecondaryIndexAction{IndexName: aws.String("by-pk"),
			ProvisionedThroughput: &dtypes.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1), WriteCapacityUnits: aws.Int64(5)}}}}}))
	if p := describe().ProvisionedThroughput; aws.ToInt64(p.NumberOfDecreasesToday) != 2 || p.LastIncreaseDateTime == nil || p.LastDecreaseDateTime == nil ||
		p.LastDecreaseDateTime.Before(*p.LastIncreaseDateTime) {
		t.Fatalf("table throughput changes: %+v", p)
	}
	if p := describe().GlobalSecondaryIndexes[0].ProvisionedThroughput; aws.ToInt64(p.NumberOfDecreasesToday) != 1 || p.LastIncreaseDateTime != nil {
		t.Fatalf("index throughput changes: %+v", p)
	}
	advance(t, srv, 24*time.Hour)
	if p := describe().ProvisionedThroughput; aws.ToInt64(p.NumberOfDecreasesToday) != 0 || p.LastDecreaseDateTime == nil {
		t.Fatalf("a day later: %+v", p)
	}
	// Four decreases a UTC day, then one an hour, as DynamoDB allows:
	// counted from the next noon on the server clock, far from midnight.
	now := srv.Clock().Now().UTC()
	noon := time.Date(now.Year(), now.Month(), now.Day()+1, 12, 0, 0, 0, time.UTC)
	advance(t, srv, noon.Sub(now))
	lower := func(r, w int64) error {
		_, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("billing"),
			ProvisionedThroughput: &dtypes.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(r), WriteCapacityUnits: aws.Int64(w)}})
		return err
	}
	for _, rw := range [][2]int64{{4, 2}, {4, 1}, {3, 1}, {2, 1}} {
		if err := lower(rw[0], rw[1]); err != nil {
			t.Fatal(err)
		}
	}
	err0 = lower(1, 1)
	if wantCode(t, err0, "LimitExceededException"); !strings.Contains(err0.Error(), "Number of decreases today: 4. Last decrease at "+noon.Format("Monday, January 2, 2006")) ||
		!strings.Contains(err0.Error(), "Next decrease can be made at "+noon.Format("Monday, January 2, 2006")+" at 1:00:") {
		t.Fatalf("a fifth decrease in the day: %v", err0)
	}
	advance(t, srv, time.Hour)
	if err := lower(1, 1); err != nil {
		t.Fatalf("a decrease an hour later: %v", err)
	}
	must[*dynamodb.UpdateTableOutput](t)(c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("billing"), BillingMode: dtypes.BillingModePayPerRequest}))
	d := describe()
	if aws.ToInt64(d.GlobalSecondaryIndexes[0].ProvisionedThroughput.ReadCapacityUnits) != 0 ||
		d.BillingModeSummary.LastUpdateToPayPerRequestDateTime.Sub(*d.CreationDateTime) < time.Hour {
		t.Fatalf("on demand again: %+v %+v", d.GlobalSecondaryIndexes[0].ProvisionedThroughput, d.BillingModeSummary)
	}

	// A refused UpdateTable changes nothing: the index it would have
	// deleted keeps its entries.
	two := []dtypes.GlobalSecondaryIndex{{IndexName: aws.String("ix-a"), KeySchema: keys, Projection: &dtypes.Projection{ProjectionType: dtypes.ProjectionTypeKeysOnly}},
		{IndexName: aws.String("ix-b"), KeySchema: keys, Projection: &dtypes.Projection{ProjectionType: dtypes.ProjectionTypeKeysOnly}}}
	if err := create("two-indexes", func(in *dynamodb.CreateTableInput) { in.GlobalSecondaryIndexes = two }); err != nil {
		t.Fatal(err)
	}
	must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("two-indexes"), Item: map[string]dtypes.AttributeValue{"pk": str("a")}}))
	_, err0 = c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("two-indexes"), BillingMode: dtypes.BillingModeProvisioned, ProvisionedThroughput: five,
		GlobalSecondaryIndexUpdates: []dtypes.GlobalSecondaryIndexUpdate{{Delete: &dtypes.DeleteGlobalSecondaryIndexAction{IndexName: aws.String("ix-a")}}}})
	wantCode(t, err0, "ValidationException") // ix-b's throughput is missing
	q := must[*dynamodb.QueryOutput](t)(c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("two-indexes"), IndexName: aws.String("ix-a"),
		KeyConditionExpression: aws.String("pk = :a"), ExpressionAttributeValues: map[string]dtypes.AttributeValue{":a": str("a")}}))
	if q.Count != 1 {
		t.Fatalf("ix-a after a refused UpdateTable: %d items", q.Count)
	}

	// A table's ARN names its account and region: another region's ARN is
	// not this region's table of that name.
	key := map[string]dtypes.AttributeValue{"pk": str("a")}
	must[*dynamodb.GetItemOutput](t)(c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("arn:aws:dynamodb:us-east-1:000000000000:table/cold"), Key: key}))
	_, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("arn:aws:dynamodb:eu-west-1:000000000000:table/cold"), Key: key})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.ListTagsOfResource(ctx, &dynamodb.ListTagsOfResourceInput{ResourceArn: aws.String("arn:aws:dynamodb:us-east-1:111111111111:table/cold")})
	wantCode(t, err, "ResourceNotFoundException")
	// ConditionalOperator belongs to the legacy parameters: with an
	// expression it is refused, not ignored.
	_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("cold"), Item: key, ConditionExpression: aws.String("attribute_not_exists(pk)"),
		ConditionalOperator: dtypes.ConditionalOperatorOr})
	wantCode(t, err, "ValidationException")
}

// ReturnItemCollectionMetrics SIZE measures the item collection each write
// touched, on a table with a local index; a table without one answers
// nothing, as DynamoDB does.
func TestDynamoDB_ItemCollectionMetrics(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.DynamoDB()
	createOrders(t, c, dtypes.ProjectionTypeAll)
	createAggregates(t, c, "plain") // no local index
	item := func(customer, order string) map[string]dtypes.AttributeValue {
		return map[string]dtypes.AttributeValue{"customer": str(customer), "order": str(order), "total": num("10")}
	}
	// The collection's key and a whole-gigabyte range around its size.
	check := func(what string, m *dtypes.ItemCollectionMetrics, customer string) {
		t.Helper()
		if m == nil {
			t.Fatalf("%s: no ItemCollectionMetrics", what)
		}
		if got, ok := m.ItemCollectionKey["customer"].(*dtypes.AttributeValueMemberS); !ok || got.Value != customer || len(m.ItemCollectionKey) != 1 {
			t.Fatalf("%s: ItemCollectionKey = %#v, want customer %s", what, m.ItemCollectionKey, customer)
		}
		if !slices.Equal(m.SizeEstimateRangeGB, []float64{0, 1}) {
			t.Fatalf("%s: SizeEstimateRangeGB = %v", what, m.SizeEstimateRangeGB)
		}
	}
	put := must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: item("ann", "o1"),
		ReturnItemCollectionMetrics: dtypes.ReturnItemCollectionMetricsSize}))
	check("PutItem", put.ItemCollectionMetrics, "ann")
	upd := must[*dynamodb.UpdateItemOutput](t)(c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("orders"),
		Key: map[string]dtypes.AttributeValue{"customer": str("ann"), "order": str("o1")}, UpdateExpression: aws.String("ADD #t :one"),
		ExpressionAttributeNames: map[string]string{"#t": "total"}, ExpressionAttributeValues: map[string]dtypes.AttributeValue{":one": num("1")},
		ReturnItemCollectionMetrics: dtypes.ReturnItemCollectionMetricsSize}))
	check("UpdateItem", upd.ItemCollectionMetrics, "ann")
	del := must[*dynamodb.DeleteItemOutput](t)(c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("orders"),
		Key: map[string]dtypes.AttributeValue{"customer": str("ann"), "order": str("o1")}, ReturnItemCollectionMetrics: dtypes.ReturnItemCollectionMetricsSize}))
	check("DeleteItem", del.ItemCollectionMetrics, "ann")
	// Not asked for, or no local index: none.
	if out := must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: item("ann", "o2")})); out.ItemCollectionMetrics != nil {
		t.Fatalf("PutItem without SIZE: %+v", out.ItemCollectionMetrics)
	}
	plain := must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("plain"), Item: benchItem(),
		ReturnItemCollectionMetrics: dtypes.ReturnItemCollectionMetricsSize}))
	if plain.ItemCollectionMetrics != nil {
		t.Fatalf("a table without local indexes: %+v", plain.ItemCollectionMetrics)
	}
	_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: item("ann", "o3"), ReturnItemCollectionMetrics: "COUNT"})
	wantCode(t, err, "ValidationException")

	// Batches and transactions: one entry per collection written, by
	// table; a table without local indexes has none.
	putReq := func(customer, order string) dtypes.WriteRequest {
		return dtypes.WriteRequest{PutRequest: &dtypes.PutRequest{Item: item(customer, order)}}
	}
	batch := must[*dynamodb.BatchWriteItemOutput](t)(c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{
		RequestItems: map[string][]dtypes.WriteRequest{
			"orders": {putReq("bob", "o1"), putReq("bob", "o2"), putReq("cy", "o1"),
				{DeleteRequest: &dtypes.DeleteRequest{Key: map[string]dtypes.AttributeValue{"customer": str("ann"), "order": str("o2")}}}},
			"plain": {{PutRequest: &dtypes.PutRequest{Item: benchItem()}}},
		},
		ReturnItemCollectionMetrics: dtypes.ReturnItemCollectionMetricsSize,
	}))
	if len(batch.ItemCollectionMetrics) != 1 || len(batch.ItemCollectionMetrics["orders"]) != 3 {
		t.Fatalf("BatchWriteItem: %+v", batch.ItemCollectionMetrics)
	}
	for i, customer := range []string{"bob", "cy", "ann"} {
		check("BatchWriteItem", &batch.ItemCollectionMetrics["orders"][i], customer)
	}
	tx := must[*dynamodb.TransactWriteItemsOutput](t)(c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
		TransactItems: []dtypes.TransactWriteItem{
			{Put: &dtypes.Put{TableName: aws.String("orders"), Item: item("dee", "o1")}},
			{Delete: &dtypes.Delete{TableName: aws.String("orders"), Key: map[string]dtypes.AttributeValue{"customer": str("eve"), "order": str("none")}}},
			{Update: &dtypes.Update{TableName: aws.String("orders"), Key: map[string]dtypes.AttributeValue{"customer": str("fay"), "order": str("o1")},
				UpdateExpression: aws.String("SET note = :n"), ExpressionAttributeValues: map[string]dtypes.AttributeValue{":n": str("new")}}},
			{ConditionCheck: &dtypes.ConditionCheck{TableName: aws.String("orders"), Key: map[string]dtypes.AttributeValue{"customer": str("bob"), "order": str("o1")},
				ConditionExpression: aws.String("attribute_exists(#t)"), ExpressionAttributeNames: map[string]string{"#t": "total"}}},
		},
		ReturnItemCollectionMetrics: dtypes.ReturnItemCollectionMetricsSize,
	}))
	if len(tx.ItemCollectionMetrics["orders"]) != 3 {
		t.Fatalf("TransactWriteItems: %+v", tx.ItemCollectionMetrics)
	}
	check("TransactWriteItems", &tx.ItemCollectionMetrics["orders"][0], "dee")
	check("TransactWriteItems", &tx.ItemCollectionMetrics["orders"][1], "eve") // deleting nothing still names it
	check("TransactWriteItems", &tx.ItemCollectionMetrics["orders"][2], "fay")
}

// A write that would grow an item collection past its limit gets
// ItemCollectionSizeLimitExceededException (a transaction, the reason on
// the action that grew it), and writes nothing; the size is kept across a
// restart, and a deletion makes room again. The limit is lowered from
// DynamoDB's 10 GB to 1,500 bytes.
func TestDynamoDB_ItemCollectionLimit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	opts := awstest.Options{DataDir: dir, DynamoDBCollectionLimit: 1500}
	srv := awstest.New(t, opts)
	c := srv.DynamoDB()
	createOrders(t, c, dtypes.ProjectionTypeKeysOnly)
	item := func(customer, order string) map[string]dtypes.AttributeValue {
		return map[string]dtypes.AttributeValue{"customer": str(customer), "order": str(order), "total": num("10"), "filler": str(strings.Repeat("x", 400))}
	}
	put := func(customer, order string) error {
		_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: item(customer, order)})
		return err
	}
	// About 540 bytes an item with its index entry: two fit, a third does not.
	for _, order := range []string{"o1", "o2"} {
		if err := put("ann", order); err != nil {
			t.Fatal(err)
		}
	}
	full := func(what string, err error) {
		t.Helper()
		var e *dtypes.ItemCollectionSizeLimitExceededException
		if !errors.As(err, &e) || e.ErrorMessage() != "Collection size exceeded." {
			t.Fatalf("%s: %v, want ItemCollectionSizeLimitExceededException", what, err)
		}
	}
	full("PutItem", put("ann", "o3"))
	_, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("orders"),
		Key: map[string]dtypes.AttributeValue{"customer": str("ann"), "order": str("o1")}, UpdateExpression: aws.String("SET more = :m"),
		ExpressionAttributeValues: map[string]dtypes.AttributeValue{":m": str(strings.Repeat("y", 500))}})
	full("UpdateItem", err)
	_, err = c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]dtypes.WriteRequest{"orders": {
		{PutRequest: &dtypes.PutRequest{Item: item("bob", "o1")}}, {PutRequest: &dtypes.PutRequest{Item: item("ann", "o3")}}}}})
	full("BatchWriteItem", err)
	_, err = c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []dtypes.TransactWriteItem{
		{Put: &dtypes.Put{TableName: aws.String("orders"), Item: item("bob", "o1")}},
		{Put: &dtypes.Put{TableName: aws.String("orders"), Item: item("ann", "o3")}}}})
	var canceled *dtypes.TransactionCanceledException
	if !errors.As(err, &canceled) || len(canceled.CancellationReasons) != 2 ||
		aws.ToString(canceled.CancellationReasons[0].Code) != "None" ||
		aws.ToString(canceled.CancellationReasons[1].Code) != "ItemCollectionSizeLimitExceeded" {
		t.Fatalf("TransactWriteItems: %v", err)
	}
	// Nothing refused was written: bob has no item.
	scan := must[*dynamodb.ScanOutput](t)(c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("orders"), Select: dtypes.SelectCount}))
	if scan.Count != 2 {
		t.Fatalf("%d items, want 2", scan.Count)
	}

	srv.Stop()
	c = awstest.New(t, opts).DynamoDB()
	full("PutItem after a restart", put("ann", "o3"))
	must[*dynamodb.DeleteItemOutput](t)(c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("orders"),
		Key: map[string]dtypes.AttributeValue{"customer": str("ann"), "order": str("o1")}}))
	if err := put("ann", "o3"); err != nil {
		t.Fatalf("after a deletion: %v", err)
	}
	if err := put("bob", "o1"); err != nil { // another collection
		t.Fatal(err)
	}
}

// DescribeTable counts a table's items and index entries as they are when
// it answers (AWS refreshes them every six hours). A count stands while
// the store commits nothing, so a second DescribeTable of an idle table
// scans nothing; every kind of write in between is counted: puts, a batch,
// a deletion, a transaction, an expiry on the server clock, an index made.
func TestDynamoDB_DescribeTableCountsNow(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.DynamoDB()
	must[*dynamodb.CreateTableOutput](t)(c.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String("counted"), KeySchema: ks("id", ""),
		AttributeDefinitions: []dtypes.AttributeDefinition{attr("id", dtypes.ScalarAttributeTypeS), attr("status", dtypes.ScalarAttributeTypeS)},
		GlobalSecondaryIndexes: []dtypes.GlobalSecondaryIndex{{IndexName: aws.String("by-status"), KeySchema: ks("status", ""),
			Projection: &dtypes.Projection{ProjectionType: dtypes.ProjectionTypeKeysOnly}}},
		BillingMode: dtypes.BillingModePayPerRequest}))
	must[*dynamodb.UpdateTimeToLiveOutput](t)(c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("counted"),
		TimeToLiveSpecification: &dtypes.TimeToLiveSpecification{AttributeName: aws.String("expires"), Enabled: aws.Bool(true)}}))
	// counts reads DescribeTable twice, the second answer from the first's
	// count, and returns "items/entries of each index" after checking the
	// two agree.
	counts := func() string {
		t.Helper()
		var got [2]string
		for i := range got {
			d := must[*dynamodb.DescribeTableOutput](t)(c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("counted")})).Table
			got[i] = fmt.Sprint(aws.ToInt64(d.ItemCount))
			for _, ix := range d.GlobalSecondaryIndexes {
				got[i] += fmt.Sprintf("/%s:%d", aws.ToString(ix.IndexName), aws.ToInt64(ix.ItemCount))
			}
			if aws.ToInt64(d.ItemCount) > 0 && aws.ToInt64(d.TableSizeBytes) == 0 {
				t.Fatalf("%d items of no size", aws.ToInt64(d.ItemCount))
			}
		}
		if got[0] != got[1] {
			t.Fatalf("DescribeTable twice: %s, then %s", got[0], got[1])
		}
		return got[0]
	}
	put := func(id string, extra map[string]dtypes.AttributeValue) {
		t.Helper()
		item := map[string]dtypes.AttributeValue{"id": str(id), "status": str("open")}
		for k, v := range extra {
			item[k] = v
		}
		must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("counted"), Item: item}))
	}
	if got := counts(); got != "0/by-status:0" {
		t.Fatalf("a new table: %s", got)
	}
	put("a", nil)
	put("b", map[string]dtypes.AttributeValue{"expires": num(strconv.FormatInt(srv.Clock().Now().Unix()+60, 10))})
	if got := counts(); got != "2/by-status:2" {
		t.Fatalf("after two puts: %s", got)
	}
	must[*dynamodb.BatchWriteItemOutput](t)(c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]dtypes.WriteRequest{"counted": {
		{PutRequest: &dtypes.PutRequest{Item: map[string]dtypes.AttributeValue{"id": str("c")}}},
		{DeleteRequest: &dtypes.DeleteRequest{Key: map[string]dtypes.AttributeValue{"id": str("a")}}}}}}))
	if got := counts(); got != "2/by-status:1" {
		t.Fatalf("after a batch: %s", got)
	}
	must[*dynamodb.TransactWriteItemsOutput](t)(c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []dtypes.TransactWriteItem{
		{Put: &dtypes.Put{TableName: aws.String("counted"), Item: map[string]dtypes.AttributeValue{"id": str("d"), "status": str("shut")}}}}}))
	if got := counts(); got != "3/by-status:2" {
		t.Fatalf("after a transaction: %s", got)
	}
	advance(t, srv, 5*time.Minute) // b expires, in a pass that runs in the background
	for deadline := time.Now().Add(30 * time.Second); counts() != "2/by-status:1"; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after b's expiry: %s", counts())
		}
	}
	must[*dynamodb.UpdateTableOutput](t)(c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("counted"),
		AttributeDefinitions: []dtypes.AttributeDefinition{attr("id", dtypes.ScalarAttributeTypeS)},
		GlobalSecondaryIndexUpdates: []dtypes.GlobalSecondaryIndexUpdate{{Create: &dtypes.CreateGlobalSecondaryIndexAction{IndexName: aws.String("by-id"),
			KeySchema: ks("id", ""), Projection: &dtypes.Projection{ProjectionType: dtypes.ProjectionTypeKeysOnly}}}}}))
	if got := counts(); got != "2/by-status:1/by-id:2" {
		t.Fatalf("after an index was made: %s", got)
	}
}
