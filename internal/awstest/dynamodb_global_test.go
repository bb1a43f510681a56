package awstest_test

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
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

	"github.com/lakebox/lakebox/internal/awstest"
)

// TestDynamoDB_GlobalTables makes a table global with a replica in
// another region, and checks that each region reads what the other
// wrote (by key, through an index, under conditions, in a transaction),
// that each region's stream has every change, that the group's settings
// change for all, that what Lakebox does not change yet is refused, and
// that the replicas survive a restart and leave the group cleanly.
func TestDynamoDB_GlobalTables(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := awstest.New(t, awstest.Options{DataDir: dir})
	east, west := srv.DynamoDB(), srv.DynamoDBAs(awstest.Client{Region: "eu-west-1"})
	must[*dynamodb.CreateTableOutput](t)(east.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String("orders"),
		KeySchema: []dtypes.KeySchemaElement{{AttributeName: aws.String("customer_id"), KeyType: dtypes.KeyTypeHash},
			{AttributeName: aws.String("date"), KeyType: dtypes.KeyTypeRange}},
		AttributeDefinitions: []dtypes.AttributeDefinition{{AttributeName: aws.String("customer_id"), AttributeType: dtypes.ScalarAttributeTypeS},
			{AttributeName: aws.String("date"), AttributeType: dtypes.ScalarAttributeTypeS}, {AttributeName: aws.String("status"), AttributeType: dtypes.ScalarAttributeTypeS}},
		GlobalSecondaryIndexes: []dtypes.GlobalSecondaryIndex{{IndexName: aws.String("by-status"),
			KeySchema:  []dtypes.KeySchemaElement{{AttributeName: aws.String("status"), KeyType: dtypes.KeyTypeHash}},
			Projection: &dtypes.Projection{ProjectionType: dtypes.ProjectionTypeAll}}},
		BillingMode: dtypes.BillingModePayPerRequest,
	}))
	put := func(c *dynamodb.Client, customer, status string) {
		t.Helper()
		must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"),
			Item: map[string]dtypes.AttributeValue{"customer_id": str(customer), "date": str("2026-11-25"), "status": str(status)}}))
	}
	put(east, "before", "open")

	// The replica: the answer says it is being made; DescribeTable in
	// either region says it is there, with the items made before.
	up := must[*dynamodb.UpdateTableOutput](t)(east.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"),
		ReplicaUpdates: []dtypes.ReplicationGroupUpdate{{Create: &dtypes.CreateReplicationGroupMemberAction{RegionName: aws.String("eu-west-1")}}}}))
	if r := up.TableDescription.Replicas; len(r) != 1 || aws.ToString(r[0].RegionName) != "eu-west-1" || r[0].ReplicaStatus != dtypes.ReplicaStatusCreating {
		t.Fatalf("UpdateTable answered replicas %+v", r)
	}
	checkGroup := func(c *dynamodb.Client, other string, items int64) *dtypes.TableDescription {
		t.Helper()
		d := must[*dynamodb.DescribeTableOutput](t)(c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders")})).Table
		if d.TableStatus != dtypes.TableStatusActive || aws.ToString(d.GlobalTableVersion) != "2019.11.21" || len(d.Replicas) != 1 ||
			aws.ToString(d.Replicas[0].RegionName) != other || d.Replicas[0].ReplicaStatus != dtypes.ReplicaStatusActive {
			t.Fatalf("described as %s, version %q, replicas %+v", d.TableStatus, aws.ToString(d.GlobalTableVersion), d.Replicas)
		}
		if aws.ToInt64(d.ItemCount) != items || len(d.GlobalSecondaryIndexes) != 1 || d.StreamSpecification == nil ||
			d.StreamSpecification.StreamViewType != dtypes.StreamViewTypeNewAndOldImages {
			t.Fatalf("items %d, indexes %d, stream %+v", aws.ToInt64(d.ItemCount), len(d.GlobalSecondaryIndexes), d.StreamSpecification)
		}
		return d
	}
	eastDesc := checkGroup(east, "eu-west-1", 1)
	westDesc := checkGroup(west, "us-east-1", 1)
	if aws.ToString(eastDesc.TableId) == aws.ToString(westDesc.TableId) || !strings.Contains(aws.ToString(westDesc.TableArn), ":eu-west-1:") {
		t.Errorf("the replica's id %s and ARN %s", aws.ToString(westDesc.TableId), aws.ToString(westDesc.TableArn))
	}

	// Each region reads what the other writes.
	get := func(c *dynamodb.Client, customer string) map[string]dtypes.AttributeValue {
		t.Helper()
		return must[*dynamodb.GetItemOutput](t)(c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("orders"),
			Key: map[string]dtypes.AttributeValue{"customer_id": str(customer), "date": str("2026-11-25")}})).Item
	}
	if get(west, "before") == nil {
		t.Fatal("the replica lacks the item written before it was made")
	}
	put(west, "west", "open")
	if get(east, "west") == nil {
		t.Fatal("a write in eu-west-1 is not in us-east-1")
	}
	q := must[*dynamodb.QueryOutput](t)(east.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("orders"), IndexName: aws.String("by-status"),
		KeyConditionExpression: aws.String("#s = :s"), ExpressionAttributeNames: map[string]string{"#s": "status"},
		ExpressionAttributeValues: map[string]dtypes.AttributeValue{":s": str("open")}}))
	if q.Count != 2 {
		t.Fatalf("the index in us-east-1 has %d open orders, want 2", q.Count)
	}
	_, err := east.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), ConditionExpression: aws.String("attribute_not_exists(customer_id)"),
		Item: map[string]dtypes.AttributeValue{"customer_id": str("west"), "date": str("2026-11-25")}})
	var ccf *dtypes.ConditionalCheckFailedException
	if !errors.As(err, &ccf) {
		t.Fatalf("a condition in us-east-1 on an item written in eu-west-1: %v", err)
	}
	must[*dynamodb.TransactWriteItemsOutput](t)(east.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []dtypes.TransactWriteItem{
		{Update: &dtypes.Update{TableName: aws.String("orders"), Key: map[string]dtypes.AttributeValue{"customer_id": str("west"), "date": str("2026-11-25")},
			UpdateExpression: aws.String("SET #s = :s"), ExpressionAttributeNames: map[string]string{"#s": "status"}, ExpressionAttributeValues: map[string]dtypes.AttributeValue{":s": str("shipped")}}},
		{Delete: &dtypes.Delete{TableName: aws.String("orders"), Key: map[string]dtypes.AttributeValue{"customer_id": str("before"), "date": str("2026-11-25")}}},
	}}))
	if it := get(west, "west"); it["status"].(*dtypes.AttributeValueMemberS).Value != "shipped" || get(west, "before") != nil {
		t.Fatalf("the transaction in us-east-1, read in eu-west-1: %v, before %v", it, get(west, "before"))
	}

	// Writers in both regions of one item wait for each other: every ADD
	// counts.
	var wg sync.WaitGroup
	for i := range 8 {
		c := east
		if i%2 == 1 {
			c = west
		}
		wg.Go(func() {
			for range 25 {
				if _, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("orders"),
					Key:              map[string]dtypes.AttributeValue{"customer_id": str("counter"), "date": str("2026-11-25")},
					UpdateExpression: aws.String("ADD n :one"), ExpressionAttributeValues: map[string]dtypes.AttributeValue{":one": num("1")}}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := get(west, "counter")["n"].(*dtypes.AttributeValueMemberN).Value; n != "200" {
		t.Fatalf("200 ADDs from both regions made %s", n)
	}
	must[*dynamodb.DeleteItemOutput](t)(west.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("orders"),
		Key: map[string]dtypes.AttributeValue{"customer_id": str("counter"), "date": str("2026-11-25")}}))

	// Each region's stream has every change since the replica was made.
	for _, c := range []struct {
		region string
		arn    *string
	}{{"us-east-1", eastDesc.LatestStreamArn}, {"eu-west-1", westDesc.LatestStreamArn}} {
		sc := srv.DynamoDBStreamsAs(awstest.Client{Region: c.region})
		recs, _ := readStream(t, sc, shardIterator(t, sc, aws.ToString(c.arn), stypes.ShardIteratorTypeTrimHorizon, ""))
		var got []string
		for _, r := range recs {
			got = append(got, string(r.EventName)+" "+r.Dynamodb.Keys["customer_id"].(*stypes.AttributeValueMemberS).Value)
		}
		if want := "INSERT west,MODIFY west,REMOVE before,INSERT counter," + strings.Repeat("MODIFY counter,", 199) + "REMOVE counter"; strings.Join(got, ",") != want {
			t.Errorf("the stream in %s: %s, want %s", c.region, strings.Join(got, ","), want)
		}
	}

	// The time to live is the group's: set in one region, on in both.
	must[*dynamodb.UpdateTimeToLiveOutput](t)(west.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("orders"),
		TimeToLiveSpecification: &dtypes.TimeToLiveSpecification{AttributeName: aws.String("expires"), Enabled: aws.Bool(true)}}))
	ttl := must[*dynamodb.DescribeTimeToLiveOutput](t)(east.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String("orders")}))
	if ttl.TimeToLiveDescription.TimeToLiveStatus != dtypes.TimeToLiveStatusEnabled {
		t.Errorf("the time to live set in eu-west-1 is %s in us-east-1", ttl.TimeToLiveDescription.TimeToLiveStatus)
	}
	must[*dynamodb.PutItemOutput](t)(west.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: map[string]dtypes.AttributeValue{
		"customer_id": str("expiring"), "date": str("2026-11-25"), "expires": num(strconv.FormatInt(srv.Clock().Now().Unix()+60, 10))}}))
	advance(t, srv, 5*time.Minute) // starts an expiry pass, which runs in the background
	for deadline := time.Now().Add(30 * time.Second); get(east, "expiring") != nil || get(west, "expiring") != nil; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("an expired item outlived the expiry pass")
		}
	}

	// Point-in-time recovery is each member's: on in eu-west-1 only, it
	// keeps what us-east-1 writes.
	must[*dynamodb.UpdateContinuousBackupsOutput](t)(west.UpdateContinuousBackups(ctx, &dynamodb.UpdateContinuousBackupsInput{TableName: aws.String("orders"),
		PointInTimeRecoverySpecification: &dtypes.PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: aws.Bool(true)}}))
	advance(t, srv, time.Second)
	put(east, "pitr", "open")
	advance(t, srv, time.Second)
	must[*dynamodb.RestoreTableToPointInTimeOutput](t)(west.RestoreTableToPointInTime(ctx, &dynamodb.RestoreTableToPointInTimeInput{
		SourceTableName: aws.String("orders"), TargetTableName: aws.String("orders-restored"), UseLatestRestorableTime: aws.Bool(true)}))
	if it := must[*dynamodb.GetItemOutput](t)(west.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("orders-restored"),
		Key: map[string]dtypes.AttributeValue{"customer_id": str("pitr"), "date": str("2026-11-25")}})).Item; it == nil {
		t.Fatal("the replica's restore lacks a write made in us-east-1")
	}
	pitr := must[*dynamodb.DescribeContinuousBackupsOutput](t)(east.DescribeContinuousBackups(ctx, &dynamodb.DescribeContinuousBackupsInput{TableName: aws.String("orders")}))
	if pitr.ContinuousBackupsDescription.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus != dtypes.PointInTimeRecoveryStatusDisabled {
		t.Error("point-in-time recovery turned on in eu-west-1 is on in us-east-1")
	}
	must[*dynamodb.DeleteItemOutput](t)(east.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("orders"),
		Key: map[string]dtypes.AttributeValue{"customer_id": str("pitr"), "date": str("2026-11-25")}}))

	// A protected replica is not removed from another region either.
	must[*dynamodb.UpdateTableOutput](t)(west.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"), DeletionProtectionEnabled: aws.Bool(true)}))
	if _, err := east.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"),
		ReplicaUpdates: []dtypes.ReplicationGroupUpdate{{Delete: &dtypes.DeleteReplicationGroupMemberAction{RegionName: aws.String("eu-west-1")}}}}); err == nil ||
		!strings.Contains(err.Error(), "protected against deletion") {
		t.Errorf("removing a protected replica: %v", err)
	}
	must[*dynamodb.UpdateTableOutput](t)(west.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"), DeletionProtectionEnabled: aws.Bool(false)}))

	// Refused: in DynamoDB's words, or as not supported yet.
	createAggregates(t, srv.DynamoDBAs(awstest.Client{Region: "ap-south-1"}), "orders") // a table of that name, of its own
	for _, c := range []struct {
		in   *dynamodb.UpdateTableInput
		want string
	}{
		{&dynamodb.UpdateTableInput{ReplicaUpdates: []dtypes.ReplicationGroupUpdate{{Create: &dtypes.CreateReplicationGroupMemberAction{RegionName: aws.String("us-east-1")}}}},
			"Cannot add, delete, or update the local region through ReplicaUpdates"},
		{&dynamodb.UpdateTableInput{ReplicaUpdates: []dtypes.ReplicationGroupUpdate{{Create: &dtypes.CreateReplicationGroupMemberAction{RegionName: aws.String("eu-west-1")}}}},
			"Replica already exists in region eu-west-1"},
		{&dynamodb.UpdateTableInput{ReplicaUpdates: []dtypes.ReplicationGroupUpdate{{Create: &dtypes.CreateReplicationGroupMemberAction{RegionName: aws.String("ap-south-1")}}},
			DeletionProtectionEnabled: aws.Bool(true)}, "must be the only operation in the request"},
		{&dynamodb.UpdateTableInput{ReplicaUpdates: []dtypes.ReplicationGroupUpdate{{Create: &dtypes.CreateReplicationGroupMemberAction{RegionName: aws.String("ap-south-1")}},
			{Delete: &dtypes.DeleteReplicationGroupMemberAction{RegionName: aws.String("ap-south-1")}}}}, "Only one replica update per region"},
		{&dynamodb.UpdateTableInput{ReplicaUpdates: []dtypes.ReplicationGroupUpdate{{Create: &dtypes.CreateReplicationGroupMemberAction{RegionName: aws.String("ap-south-1")}}}},
			"a table named orders already exists in region ap-south-1"},
		{&dynamodb.UpdateTableInput{StreamSpecification: &dtypes.StreamSpecification{StreamEnabled: aws.Bool(false)}},
			"Disabling Stream is not allowed for a Global Table replica."},
		{&dynamodb.UpdateTableInput{BillingMode: dtypes.BillingModeProvisioned,
			ProvisionedThroughput: &dtypes.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(5)}},
			"Table write capacity should either be Pay-Per-Request or AutoScaled."},
		{&dynamodb.UpdateTableInput{ReplicaUpdates: []dtypes.ReplicationGroupUpdate{{Delete: &dtypes.DeleteReplicationGroupMemberAction{RegionName: aws.String("ap-south-1")}}}},
			"Replica specified in the Replica Update or Replica Delete action of the request was not found."},
		{&dynamodb.UpdateTableInput{ReplicaUpdates: []dtypes.ReplicationGroupUpdate{{Update: &dtypes.UpdateReplicationGroupMemberAction{RegionName: aws.String("ap-south-1"),
			TableClassOverride: dtypes.TableClassStandardInfrequentAccess}}}},
			"Replica specified in the Replica Update or Replica Delete action of the request was not found."},
		{&dynamodb.UpdateTableInput{ReplicaUpdates: []dtypes.ReplicationGroupUpdate{{Update: &dtypes.UpdateReplicationGroupMemberAction{RegionName: aws.String("eu-west-1")}}}},
			"There are no actions specified in the Replica Update Action of the request."},
		{&dynamodb.UpdateTableInput{ReplicaUpdates: []dtypes.ReplicationGroupUpdate{{Update: &dtypes.UpdateReplicationGroupMemberAction{RegionName: aws.String("eu-west-1"),
			TableClassOverride: "COLD"}}}}, "Invalid table-class parameter provided."},
		{&dynamodb.UpdateTableInput{ReplicaUpdates: []dtypes.ReplicationGroupUpdate{{Update: &dtypes.UpdateReplicationGroupMemberAction{RegionName: aws.String("eu-west-1"),
			KMSMasterKeyId: aws.String("west-key")}}}}, "KMSMasterKeyId must be specified for each replica."},
		{&dynamodb.UpdateTableInput{ReplicaUpdates: []dtypes.ReplicationGroupUpdate{{Update: &dtypes.UpdateReplicationGroupMemberAction{RegionName: aws.String("eu-west-1"),
			ProvisionedThroughputOverride: &dtypes.ProvisionedThroughputOverride{ReadCapacityUnits: aws.Int64(5)}}}}},
			"Lakebox does not support ProvisionedThroughputOverride yet"},
	} {
		c.in.TableName = aws.String("orders")
		if _, err := east.UpdateTable(ctx, c.in); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("UpdateTable %+v: %v, want %q", c.in, err, c.want)
		}
	}
	// An index made through one member is every member's, filled once;
	// removed through another, it is gone from all.
	must[*dynamodb.UpdateTableOutput](t)(west.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"),
		AttributeDefinitions: []dtypes.AttributeDefinition{{AttributeName: aws.String("date"), AttributeType: dtypes.ScalarAttributeTypeS}},
		GlobalSecondaryIndexUpdates: []dtypes.GlobalSecondaryIndexUpdate{{Create: &dtypes.CreateGlobalSecondaryIndexAction{IndexName: aws.String("by-date"),
			KeySchema:  []dtypes.KeySchemaElement{{AttributeName: aws.String("date"), KeyType: dtypes.KeyTypeHash}},
			Projection: &dtypes.Projection{ProjectionType: dtypes.ProjectionTypeKeysOnly}}}}}))
	byDate := func(c *dynamodb.Client) (int32, error) {
		q, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("orders"), IndexName: aws.String("by-date"),
			KeyConditionExpression: aws.String("#d = :d"), ExpressionAttributeNames: map[string]string{"#d": "date"},
			ExpressionAttributeValues: map[string]dtypes.AttributeValue{":d": str("2026-11-25")}})
		if err != nil {
			return 0, err
		}
		return q.Count, nil
	}
	if n, err := byDate(east); err != nil || n != 1 {
		t.Fatalf("the index made in eu-west-1, queried in us-east-1: %d items, %v", n, err)
	}
	must[*dynamodb.UpdateTableOutput](t)(east.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"),
		GlobalSecondaryIndexUpdates: []dtypes.GlobalSecondaryIndexUpdate{{Delete: &dtypes.DeleteGlobalSecondaryIndexAction{IndexName: aws.String("by-date")}}}}))
	if _, err := byDate(west); err == nil || !strings.Contains(err.Error(), "does not have the specified index") {
		t.Fatalf("the index removed in us-east-1, queried in eu-west-1: %v", err)
	}
	checkGroup(west, "us-east-1", 1)

	createAggregates(t, east, "provisioned")
	must[*dynamodb.UpdateTableOutput](t)(east.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("provisioned"), BillingMode: dtypes.BillingModeProvisioned,
		ProvisionedThroughput: &dtypes.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(5)}}))
	_, err = east.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("provisioned"),
		ReplicaUpdates: []dtypes.ReplicationGroupUpdate{{Create: &dtypes.CreateReplicationGroupMemberAction{RegionName: aws.String("eu-west-1")}}}})
	if err == nil || !strings.Contains(err.Error(), "Table write capacity should either be Pay-Per-Request or AutoScaled.") {
		t.Errorf("a replica of a provisioned table: %v", err)
	}

	// After a restart the group is as it was.
	srv.Stop()
	srv = awstest.New(t, awstest.Options{DataDir: dir})
	east, west = srv.DynamoDB(), srv.DynamoDBAs(awstest.Client{Region: "eu-west-1"})
	checkGroup(east, "eu-west-1", 1)
	checkGroup(west, "us-east-1", 1)
	put(east, "after", "open")
	if get(west, "after") == nil {
		t.Fatal("after a restart, a write in us-east-1 is not in eu-west-1")
	}

	// The replica deleted in its region leaves the group; the items stay
	// in the other.
	must[*dynamodb.DeleteTableOutput](t)(west.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("orders")}))
	d := must[*dynamodb.DescribeTableOutput](t)(east.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders")})).Table
	if d.Replicas != nil || d.GlobalTableVersion != nil || aws.ToInt64(d.ItemCount) != 2 {
		t.Fatalf("after the replica's deletion: replicas %+v, version %v, %d items", d.Replicas, d.GlobalTableVersion, aws.ToInt64(d.ItemCount))
	}
	var rnf *dtypes.ResourceNotFoundException
	if _, err := west.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders")}); !errors.As(err, &rnf) {
		t.Fatalf("the deleted replica: %v", err)
	}
	// Made again, then removed through ReplicaUpdates from us-east-1.
	must[*dynamodb.UpdateTableOutput](t)(east.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"),
		ReplicaUpdates: []dtypes.ReplicationGroupUpdate{{Create: &dtypes.CreateReplicationGroupMemberAction{RegionName: aws.String("eu-west-1")}}}}))
	if get(west, "after") == nil {
		t.Fatal("the replica made again lacks the items")
	}
	must[*dynamodb.UpdateTableOutput](t)(east.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"),
		ReplicaUpdates: []dtypes.ReplicationGroupUpdate{{Delete: &dtypes.DeleteReplicationGroupMemberAction{RegionName: aws.String("eu-west-1")}}}}))
	if _, err := west.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders")}); !errors.As(err, &rnf) {
		t.Fatalf("the removed replica: %v", err)
	}
	if get(east, "after") == nil {
		t.Fatal("us-east-1 lost its items")
	}
	// Made a third time, the first member deleted: the replica keeps the
	// items, kept under the first member's id; deleting it, the last,
	// takes them.
	must[*dynamodb.UpdateTableOutput](t)(east.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"),
		ReplicaUpdates: []dtypes.ReplicationGroupUpdate{{Create: &dtypes.CreateReplicationGroupMemberAction{RegionName: aws.String("eu-west-1")}}}}))
	must[*dynamodb.DeleteTableOutput](t)(east.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("orders")}))
	d = must[*dynamodb.DescribeTableOutput](t)(west.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders")})).Table
	if d.Replicas != nil || aws.ToInt64(d.ItemCount) != 2 || get(west, "after") == nil {
		t.Fatalf("the survivor: replicas %+v, %d items", d.Replicas, aws.ToInt64(d.ItemCount))
	}
	must[*dynamodb.DeleteTableOutput](t)(west.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("orders")}))
	for _, c := range []*dynamodb.Client{east, west} {
		createAggregates(t, c, "orders")
		if n := must[*dynamodb.ScanOutput](t)(c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("orders")})).Count; n != 0 {
			t.Fatalf("a new table holds %d items", n)
		}
	}
}

// TestCrash_DynamoDBReplicaChangeIsAtomic kills the server while a replica
// is made, or removed, under a stream of writes: after the restart the two
// regions name each other or neither does, an acknowledged change is
// there, and every acknowledged write is in every member.
func TestCrash_DynamoDBReplicaChangeIsAtomic(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	t.Parallel()
	for _, remove := range []bool{false, true} {
		t.Run(map[bool]string{false: "create", true: "delete"}[remove], func(t *testing.T) {
			t.Parallel()
			crashReplicaChange(t, remove)
		})
	}
}

func crashReplicaChange(t *testing.T, remove bool) {
	dir := t.TempDir()
	srv := startChild(t, dir)
	east := srv.dynamodbClient()
	must[*dynamodb.CreateTableOutput](t)(east.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String("crash"), KeySchema: ks("id", ""),
		AttributeDefinitions: []dtypes.AttributeDefinition{attr("id", dtypes.ScalarAttributeTypeS)}, BillingMode: dtypes.BillingModePayPerRequest}))
	change := dtypes.ReplicationGroupUpdate{Create: &dtypes.CreateReplicationGroupMemberAction{RegionName: aws.String("eu-west-1")}}
	if remove {
		must[*dynamodb.UpdateTableOutput](t)(east.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("crash"),
			ReplicaUpdates: []dtypes.ReplicationGroupUpdate{change}}))
		change = dtypes.ReplicationGroupUpdate{Delete: &dtypes.DeleteReplicationGroupMemberAction{RegionName: aws.String("eu-west-1")}}
	}
	// Four writers; after startAt writes the change is asked for, and the
	// server is killed killAfter writes in, a few milliseconds later at
	// most (a replica takes about a millisecond to make or remove).
	startAt := 10 + rand.Int64N(70)
	killAfter := startAt + rand.Int64N(12)
	var started atomic.Int64
	changeAcked := make(chan bool, 1)
	ackedWrites := writeUntilKilled(srv, 4, killAfter, func(w, i int) (string, [16]byte, error) {
		id := fmt.Sprintf("w%d-%06d", w, i)
		_, err := east.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("crash"), Item: map[string]dtypes.AttributeValue{"id": str(id)}})
		if err == nil && started.Add(1) == startAt {
			go func() {
				_, err := east.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("crash"), ReplicaUpdates: []dtypes.ReplicationGroupUpdate{change}})
				changeAcked <- err == nil
			}()
		}
		return id, [16]byte{}, err
	})
	wasAcked := <-changeAcked

	srv = startChild(t, dir)
	east, west := srv.dynamodbClient(), srv.dynamodbClientIn("eu-west-1")
	d := must[*dynamodb.DescribeTableOutput](t)(east.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("crash")})).Table
	wd, err := west.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("crash")})
	var rnf *dtypes.ResourceNotFoundException
	global := len(d.Replicas) == 1
	switch {
	case global && wasAcked && !remove, !global && wasAcked && remove, !wasAcked:
	default:
		t.Fatalf("after the crash (%+v acknowledged): global %v", change, global)
	}
	switch {
	case global && err == nil && len(wd.Table.Replicas) == 1 && aws.ToString(wd.Table.Replicas[0].RegionName) == "us-east-1":
	case !global && errors.As(err, &rnf):
	default:
		t.Fatalf("after the crash (change acknowledged: %v): us-east-1 replicas %+v; eu-west-1: %v", wasAcked, d.Replicas, err)
	}
	clients := []*dynamodb.Client{east}
	if global {
		clients = append(clients, west)
	}
	for _, c := range clients {
		for id := range ackedWrites {
			if must[*dynamodb.GetItemOutput](t)(c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("crash"),
				Key: map[string]dtypes.AttributeValue{"id": str(id)}})).Item == nil {
				t.Fatalf("acknowledged write %s lost", id)
			}
		}
	}
	t.Logf("killed %d writes after the change was asked for; acknowledged: %v; global after the restart: %v; %d writes acknowledged", killAfter-startAt, wasAcked, global, len(ackedWrites))
}

// TestDynamoDB_GlobalTableEncryption checks what each member of a global
// table has for itself, its KMS key and its table class, as Terraform
// sets them: a replica of a table under a customer's key needs a key of
// its own; ReplicaUpdates Update changes any member's, the table's own
// region's too; UpdateTable's SSESpecification through a member turns
// the group's encryption off or on for all, resealing the items they
// share in one commit; and the members are never encrypted unalike.
func TestDynamoDB_GlobalTableEncryption(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := awstest.New(t, awstest.Options{DataDir: dir})
	east, west := srv.DynamoDB(), srv.DynamoDBAs(awstest.Client{Region: "eu-west-1"})
	const (
		eastKey = "arn:aws:kms:us-east-1:000000000000:key/east-1"
		westKey = "arn:aws:kms:eu-west-1:000000000000:key/west-1"
	)
	must[*dynamodb.CreateTableOutput](t)(east.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String("ledger"), KeySchema: ks("id", ""),
		AttributeDefinitions: []dtypes.AttributeDefinition{attr("id", dtypes.ScalarAttributeTypeS)}, BillingMode: dtypes.BillingModePayPerRequest,
		SSESpecification: &dtypes.SSESpecification{Enabled: aws.Bool(true), SSEType: dtypes.SSETypeKms, KMSMasterKeyId: aws.String(eastKey)}}))
	must[*dynamodb.UpdateContinuousBackupsOutput](t)(east.UpdateContinuousBackups(ctx, &dynamodb.UpdateContinuousBackupsInput{TableName: aws.String("ledger"),
		PointInTimeRecoverySpecification: &dtypes.PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: aws.Bool(true)}}))
	put := func(c *dynamodb.Client, id string) {
		t.Helper()
		must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("ledger"),
			Item: map[string]dtypes.AttributeValue{"id": str(id), "secret": str("s-" + id)}}))
	}
	ids := func(c *dynamodb.Client) string {
		t.Helper()
		var got []string
		for _, it := range must[*dynamodb.ScanOutput](t)(c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("ledger")})).Items {
			got = append(got, it["id"].(*dtypes.AttributeValueMemberS).Value+"="+it["secret"].(*dtypes.AttributeValueMemberS).Value)
		}
		slices.Sort(got)
		return strings.Join(got, " ")
	}
	replicaUpdate := func(c *dynamodb.Client, u ...dtypes.ReplicationGroupUpdate) (*dynamodb.UpdateTableOutput, error) {
		return c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("ledger"), ReplicaUpdates: u})
	}
	create := func(region string, key *string) dtypes.ReplicationGroupUpdate {
		return dtypes.ReplicationGroupUpdate{Create: &dtypes.CreateReplicationGroupMemberAction{RegionName: aws.String(region), KMSMasterKeyId: key}}
	}
	rekey := func(region, key string) dtypes.ReplicationGroupUpdate {
		return dtypes.ReplicationGroupUpdate{Update: &dtypes.UpdateReplicationGroupMemberAction{RegionName: aws.String(region), KMSMasterKeyId: aws.String(key)}}
	}
	// keys reads each region's key from its own DescribeTable, and checks
	// that the other region's Replicas entry reports the same.
	keys := func() string {
		t.Helper()
		e := must[*dynamodb.DescribeTableOutput](t)(east.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("ledger")})).Table
		w := must[*dynamodb.DescribeTableOutput](t)(west.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("ledger")})).Table
		key := func(d *dtypes.SSEDescription) string {
			if d == nil {
				return "-"
			}
			return aws.ToString(d.KMSMasterKeyArn)
		}
		if len(e.Replicas) != 1 || len(w.Replicas) != 1 || cmp.Or(aws.ToString(e.Replicas[0].KMSMasterKeyId), "-") != key(w.SSEDescription) ||
			cmp.Or(aws.ToString(w.Replicas[0].KMSMasterKeyId), "-") != key(e.SSEDescription) {
			t.Fatalf("us-east-1: %s, replicas %+v; eu-west-1: %s, replicas %+v", key(e.SSEDescription), e.Replicas, key(w.SSEDescription), w.Replicas)
		}
		return key(e.SSEDescription) + " " + key(w.SSEDescription)
	}
	put(east, "a")

	// A replica of a table under a customer's key needs a key of its own,
	// in its region; one named for a replica of a table in the clear is
	// refused too (checked below, once the table is in the clear).
	if _, err := replicaUpdate(east, create("eu-west-1", nil)); err == nil || !strings.Contains(err.Error(), "KMSMasterKeyId must be specified for each replica.") {
		t.Fatalf("a replica without a key of a table under a customer's key: %v", err)
	}
	up := must[*dynamodb.UpdateTableOutput](t)(replicaUpdate(east, dtypes.ReplicationGroupUpdate{Create: &dtypes.CreateReplicationGroupMemberAction{
		RegionName: aws.String("eu-west-1"), KMSMasterKeyId: aws.String("west-1"), TableClassOverride: dtypes.TableClassStandardInfrequentAccess}}))
	if r := up.TableDescription.Replicas; len(r) != 1 || aws.ToString(r[0].KMSMasterKeyId) != westKey || r[0].ReplicaStatus != dtypes.ReplicaStatusCreating ||
		r[0].ReplicaTableClassSummary == nil || r[0].ReplicaTableClassSummary.TableClass != dtypes.TableClassStandardInfrequentAccess {
		t.Fatalf("UpdateTable answered replicas %+v", r)
	}
	if got := keys(); got != eastKey+" "+westKey {
		t.Fatalf("keys: %s", got)
	}
	wd := must[*dynamodb.DescribeTableOutput](t)(west.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("ledger")})).Table
	ed := must[*dynamodb.DescribeTableOutput](t)(east.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("ledger")})).Table
	if wd.TableClassSummary == nil || wd.TableClassSummary.TableClass != dtypes.TableClassStandardInfrequentAccess || ed.TableClassSummary != nil {
		t.Fatalf("classes: eu-west-1 %+v, us-east-1 %+v", wd.TableClassSummary, ed.TableClassSummary)
	}
	put(west, "b")
	if got := ids(east); got != "a=s-a b=s-b" {
		t.Fatalf("us-east-1 reads %s", got)
	}

	// Terraform's change of a global table's key: one UpdateTable with an
	// Update for every member, the table's own region among them.
	up = must[*dynamodb.UpdateTableOutput](t)(replicaUpdate(east, rekey("eu-west-1", "alias/west-2"), rekey("us-east-1", "east-2")))
	if r := up.TableDescription.Replicas; len(r) != 1 || r[0].ReplicaStatus != dtypes.ReplicaStatusUpdating {
		t.Fatalf("UpdateTable answered replicas %+v", r)
	}
	if got := keys(); got != "arn:aws:kms:us-east-1:000000000000:key/east-2 arn:aws:kms:eu-west-1:000000000000:alias/west-2" {
		t.Fatalf("keys after the change: %s", got)
	}
	// Refused, as DynamoDB refuses them: the key a member has already, a
	// key of another region, and the account's DynamoDB key (asked of
	// every member at once by SSESpecification; a replica made with it
	// beside the customer's keys of the others is a mix of kinds).
	for _, c := range []struct {
		u    dtypes.ReplicationGroupUpdate
		want string
	}{
		{rekey("eu-west-1", "alias/west-2"), "KMSMasterKeyId must be specified for each replica."},
		{rekey("eu-west-1", "arn:aws:kms:us-east-1:000000000000:key/east-3"), "KMS validation error for region eu-west-1: com.amazonaws.services.kms.model.NotFoundException: Invalid arn us-east-1"},
		{rekey("eu-west-1", "alias/aws/dynamodb"), "KMSMasterKeyId must be specified for each replica."},
		{create("ap-south-1", aws.String("alias/aws/dynamodb")), "All replica keys must either be Customer Managed CMK or AWS Managed CMK."},
	} {
		if _, err := replicaUpdate(east, c.u); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.u, err, c.want)
		}
	}
	// A customer's key through a member's own SSESpecification is that
	// member's alone.
	must[*dynamodb.UpdateTableOutput](t)(west.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("ledger"),
		SSESpecification: &dtypes.SSESpecification{Enabled: aws.Bool(true), SSEType: dtypes.SSETypeKms, KMSMasterKeyId: aws.String("west-3")}}))
	if got := keys(); got != "arn:aws:kms:us-east-1:000000000000:key/east-2 arn:aws:kms:eu-west-1:000000000000:key/west-3" {
		t.Fatalf("keys after eu-west-1's own change: %s", got)
	}
	// A class of the table's own, through its own region; a class given
	// by UpdateTable is every member's.
	classes := func() string {
		t.Helper()
		var got []string
		for _, c := range []*dynamodb.Client{east, west} {
			d := must[*dynamodb.DescribeTableOutput](t)(c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("ledger")})).Table
			got = append(got, string(d.TableClassSummary.TableClass)+"/"+string(d.Replicas[0].ReplicaTableClassSummary.TableClass))
		}
		return strings.Join(got, " ")
	}
	classOverride := func(region string, class dtypes.TableClass) {
		t.Helper()
		must[*dynamodb.UpdateTableOutput](t)(replicaUpdate(east, dtypes.ReplicationGroupUpdate{Update: &dtypes.UpdateReplicationGroupMemberAction{
			RegionName: aws.String(region), TableClassOverride: class}}))
	}
	classOverride("us-east-1", dtypes.TableClassStandardInfrequentAccess)
	classOverride("eu-west-1", dtypes.TableClassStandard)
	if got := classes(); got != "STANDARD_INFREQUENT_ACCESS/STANDARD STANDARD/STANDARD_INFREQUENT_ACCESS" {
		t.Fatalf("classes (own/other's, by region): %s", got)
	}
	must[*dynamodb.UpdateTableOutput](t)(west.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("ledger"), TableClass: dtypes.TableClassStandard}))
	if got := classes(); got != "STANDARD/STANDARD STANDARD/STANDARD" {
		t.Fatalf("classes after UpdateTable's: %s", got)
	}
	// us-east-1's class has changed twice: in 30 days it changes no more,
	// through its own region or another's, which names it (DDB-TABLE-294).
	for _, c := range []struct {
		client *dynamodb.Client
		in     *dynamodb.UpdateTableInput
		want   string
	}{
		{east, &dynamodb.UpdateTableInput{TableClass: dtypes.TableClassStandardInfrequentAccess},
			"Subscriber limit exceeded: Updates to TableClass are limited to 2 times in 30 day(s)."},
		{west, &dynamodb.UpdateTableInput{TableClass: dtypes.TableClassStandardInfrequentAccess},
			"Limit exceeded for replica in us-east-1. Updates to TableClass are limited to 2 times in 30 day(s)"},
		{west, &dynamodb.UpdateTableInput{ReplicaUpdates: []dtypes.ReplicationGroupUpdate{{Update: &dtypes.UpdateReplicationGroupMemberAction{
			RegionName: aws.String("us-east-1"), TableClassOverride: dtypes.TableClassStandardInfrequentAccess}}}},
			"Limit exceeded for replica in us-east-1. Updates to TableClass are limited to 2 times in 30 day(s)"},
	} {
		c.in.TableName = aws.String("ledger")
		if _, err := c.client.UpdateTable(ctx, c.in); err == nil || !strings.Contains(err.Error(), "LimitExceededException: "+c.want) {
			t.Errorf("%+v: %v, want %q", c.in, err, c.want)
		}
	}
	if got := classes(); got != "STANDARD/STANDARD STANDARD/STANDARD" {
		t.Fatalf("classes after the refusals: %s", got)
	}

	// Encryption off through one member is off for both, and every item
	// and version is resealed in the clear.
	advance(t, srv, time.Second)
	put(east, "c")
	must[*dynamodb.UpdateTableOutput](t)(west.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("ledger"),
		SSESpecification: &dtypes.SSESpecification{Enabled: aws.Bool(false)}}))
	if got := keys(); got != "- -" {
		t.Fatalf("keys with encryption off: %s", got)
	}
	if _, err := replicaUpdate(east, rekey("eu-west-1", westKey)); err == nil || !strings.Contains(err.Error(), "KMSMasterKeyId must be specified for each replica.") {
		t.Fatalf("a key for one member of a table in the clear: %v", err)
	}
	if _, err := east.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("ledger"),
		SSESpecification: &dtypes.SSESpecification{Enabled: aws.Bool(true), SSEType: dtypes.SSETypeKms, KMSMasterKeyId: aws.String(eastKey)}}); err == nil ||
		!strings.Contains(err.Error(), "KMSMasterKeyId must be specified for each replica.") {
		t.Fatalf("a customer's key through SSESpecification, for a group in the clear: %v", err)
	}
	srv.Stop()
	if n := formAsRecorded(t, dir, "ledger", "us-east-1", "eu-west-1"); n < 4 {
		t.Fatalf("%d values checked in the clear", n)
	}
	srv = awstest.New(t, awstest.Options{DataDir: dir})
	east, west = srv.DynamoDB(), srv.DynamoDBAs(awstest.Client{Region: "eu-west-1"})

	// On again, with the account's DynamoDB key: each member gets its
	// region's. A customer's key for one of them would mix the kinds.
	must[*dynamodb.UpdateTableOutput](t)(east.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("ledger"),
		SSESpecification: &dtypes.SSESpecification{Enabled: aws.Bool(true)}}))
	if got := keys(); got != "arn:aws:kms:us-east-1:000000000000:alias/aws/dynamodb arn:aws:kms:eu-west-1:000000000000:alias/aws/dynamodb" {
		t.Fatalf("keys with the account's DynamoDB key: %s", got)
	}
	if _, err := east.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("ledger"),
		SSESpecification: &dtypes.SSESpecification{Enabled: aws.Bool(true), SSEType: dtypes.SSETypeKms, KMSMasterKeyId: aws.String(eastKey)}}); err == nil ||
		!strings.Contains(err.Error(), "All replica keys must either be Customer Managed CMK or AWS Managed CMK.") {
		t.Fatalf("a customer's key for one member of a group under the account's key: %v", err)
	}
	// A third replica named with the account's key, as it would get it
	// unnamed: its own region's. Deleted in its region, it answers the
	// others' keys.
	up = must[*dynamodb.UpdateTableOutput](t)(replicaUpdate(east, create("ap-south-1", aws.String("alias/aws/dynamodb"))))
	const southKey = "arn:aws:kms:ap-south-1:000000000000:alias/aws/dynamodb"
	if r := up.TableDescription.Replicas; len(r) != 2 || aws.ToString(r[0].KMSMasterKeyId) != southKey {
		t.Fatalf("UpdateTable answered replicas %+v", r)
	}
	south := srv.DynamoDBAs(awstest.Client{Region: "ap-south-1"})
	if got := sseOf(t, south, "ledger"); got != "ENABLED KMS "+southKey {
		t.Fatalf("ap-south-1's encryption: %s", got)
	}
	gone := must[*dynamodb.DeleteTableOutput](t)(south.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("ledger")})).TableDescription
	if r := gone.Replicas; len(r) != 2 || aws.ToString(r[1].KMSMasterKeyId) != "arn:aws:kms:us-east-1:000000000000:alias/aws/dynamodb" {
		t.Fatalf("DeleteTable answered replicas %+v", r)
	}
	put(west, "d")
	if got := ids(east); got != "a=s-a b=s-b c=s-c d=s-d" {
		t.Fatalf("us-east-1 reads %s", got)
	}
	// Point-in-time recovery reads the versions resealed twice.
	restored := must[*dynamodb.RestoreTableToPointInTimeOutput](t)(east.RestoreTableToPointInTime(ctx, &dynamodb.RestoreTableToPointInTimeInput{
		SourceTableName: aws.String("ledger"), TargetTableName: aws.String("ledger-then"), UseLatestRestorableTime: aws.Bool(true)}))
	if restored.TableDescription == nil {
		t.Fatal("no restore")
	}
	if it := must[*dynamodb.GetItemOutput](t)(east.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("ledger-then"),
		Key: map[string]dtypes.AttributeValue{"id": str("c")}})).Item; it == nil || it["secret"].(*dtypes.AttributeValueMemberS).Value != "s-c" {
		t.Fatalf("the restore holds %v", it)
	}
	// A global table is on demand: Lakebox has no auto scaling.
	if _, err := west.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("ledger"), BillingMode: dtypes.BillingModeProvisioned,
		ProvisionedThroughput: &dtypes.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1), WriteCapacityUnits: aws.Int64(1)}}); err == nil ||
		!strings.Contains(err.Error(), "Table write capacity should either be Pay-Per-Request or AutoScaled.") {
		t.Fatalf("a global table made provisioned: %v", err)
	}
	srv.Stop()
	if n := formAsRecorded(t, dir, "ledger", "us-east-1", "eu-west-1"); n < 4 {
		t.Fatalf("%d values checked sealed", n)
	}
}
