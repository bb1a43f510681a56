package awstest_test

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	stypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	ktypes "github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakebox/lakebox/internal/awstest"
	"github.com/lakebox/lakebox/internal/storage/meta"
)

// sseOf returns a table's encryption as "STATUS TYPE ARN", or "-" when
// DescribeTable reports none.
func sseOf(t *testing.T, c *dynamodb.Client, table string) string {
	t.Helper()
	d := must[*dynamodb.DescribeTableOutput](t)(c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: &table})).Table.SSEDescription
	if d == nil {
		return "-"
	}
	return string(d.Status) + " " + string(d.SSEType) + " " + aws.ToString(d.KMSMasterKeyArn)
}

// A table encrypted with a KMS key keeps none of its items' values in the
// clear on disk: not in its items, its index entries, its stream records,
// its point-in-time versions, its backups, the tables restored from them
// with a key, nor the records on their way to a Kinesis destination. Every
// read returns them, also after a restart; UpdateTable turns encryption
// off and on again, and the items read the same throughout.
func TestDynamoDB_EncryptionAtRest(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := awstest.New(t, awstest.Options{DataDir: dir})
	c, sc, kc := srv.DynamoDB(), srv.DynamoDBStreams(), srv.Kinesis()
	const marker = "PLAINTEXT-MARKER-DDB-5e1b"

	// The Kinesis destination's stream is encrypted too: what it holds
	// is its own to seal.
	must[*kinesis.CreateStreamOutput](t)(kc.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String("vault-changes"), ShardCount: aws.Int32(1)}))
	must[*kinesis.StartStreamEncryptionOutput](t)(kc.StartStreamEncryption(ctx, &kinesis.StartStreamEncryptionInput{StreamName: aws.String("vault-changes"),
		EncryptionType: ktypes.EncryptionTypeKms, KeyId: aws.String("alias/changes")}))
	streamARN := aws.ToString(must[*kinesis.DescribeStreamSummaryOutput](t)(kc.DescribeStreamSummary(ctx,
		&kinesis.DescribeStreamSummaryInput{StreamName: aws.String("vault-changes")})).StreamDescriptionSummary.StreamARN)

	created := must[*dynamodb.CreateTableOutput](t)(c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("vault"),
		KeySchema:            ks("id", ""),
		AttributeDefinitions: []dtypes.AttributeDefinition{attr("id", dtypes.ScalarAttributeTypeS), attr("owner", dtypes.ScalarAttributeTypeS)},
		GlobalSecondaryIndexes: []dtypes.GlobalSecondaryIndex{{IndexName: aws.String("by-owner"), KeySchema: ks("owner", ""),
			Projection: &dtypes.Projection{ProjectionType: dtypes.ProjectionTypeAll}}},
		BillingMode:         dtypes.BillingModePayPerRequest,
		StreamSpecification: &dtypes.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: dtypes.StreamViewTypeNewAndOldImages},
		SSESpecification:    &dtypes.SSESpecification{Enabled: aws.Bool(true)},
	}))
	const managed = "ENABLED KMS arn:aws:kms:us-east-1:000000000000:alias/aws/dynamodb"
	if d := created.TableDescription.SSEDescription; d == nil || string(d.Status)+" "+string(d.SSEType)+" "+aws.ToString(d.KMSMasterKeyArn) != managed {
		t.Fatalf("CreateTable's SSEDescription: %+v", d)
	}
	if got := sseOf(t, c, "vault"); got != managed {
		t.Fatalf("DescribeTable's SSEDescription: %s", got)
	}
	must[*dynamodb.UpdateContinuousBackupsOutput](t)(c.UpdateContinuousBackups(ctx, &dynamodb.UpdateContinuousBackupsInput{TableName: aws.String("vault"),
		PointInTimeRecoverySpecification: &dtypes.PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: aws.Bool(true)}}))
	must[*dynamodb.EnableKinesisStreamingDestinationOutput](t)(c.EnableKinesisStreamingDestination(ctx,
		&dynamodb.EnableKinesisStreamingDestinationInput{TableName: aws.String("vault"), StreamArn: &streamARN}))

	// Every write path: PutItem, UpdateItem, a transaction, a batch, and a
	// deletion (whose old image the stream keeps).
	item := func(id, owner string) map[string]dtypes.AttributeValue {
		return map[string]dtypes.AttributeValue{"id": str(id), "owner": str(owner), "secret": str(marker + "/" + id),
			"doc": &dtypes.AttributeValueMemberM{Value: map[string]dtypes.AttributeValue{"notes": &dtypes.AttributeValueMemberL{
				Value: []dtypes.AttributeValue{str("note " + marker)}}}}}
	}
	for _, id := range []string{"a", "b", "c", "gone"} {
		must[*dynamodb.PutItemOutput](t)(c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("vault"), Item: item(id, "ann")}))
	}
	must[*dynamodb.UpdateItemOutput](t)(c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("vault"),
		Key: map[string]dtypes.AttributeValue{"id": str("a")}, UpdateExpression: aws.String("SET secret = :s"),
		ExpressionAttributeValues: map[string]dtypes.AttributeValue{":s": str(marker + "/a2")}}))
	must[*dynamodb.TransactWriteItemsOutput](t)(c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []dtypes.TransactWriteItem{
		{Put: &dtypes.Put{TableName: aws.String("vault"), Item: item("t", "bob")}}}}))
	must[*dynamodb.BatchWriteItemOutput](t)(c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]dtypes.WriteRequest{
		"vault": {{PutRequest: &dtypes.PutRequest{Item: item("batch", "bob")}}}}}))
	must[*dynamodb.DeleteItemOutput](t)(c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("vault"), Key: map[string]dtypes.AttributeValue{"id": str("gone")}}))
	backup := must[*dynamodb.CreateBackupOutput](t)(c.CreateBackup(ctx, &dynamodb.CreateBackupInput{TableName: aws.String("vault"),
		BackupName: aws.String("vault-backup")})).BackupDetails.BackupArn
	// The backup describes the table it was made of, its key too.
	f := must[*dynamodb.DescribeBackupOutput](t)(c.DescribeBackup(ctx, &dynamodb.DescribeBackupInput{BackupArn: backup})).BackupDescription.SourceTableFeatureDetails
	if f == nil || f.SSEDescription == nil || aws.ToString(f.SSEDescription.KMSMasterKeyArn) != "arn:aws:kms:us-east-1:000000000000:alias/aws/dynamodb" ||
		len(f.GlobalSecondaryIndexes) != 1 || aws.ToString(f.GlobalSecondaryIndexes[0].IndexName) != "by-owner" || f.LocalSecondaryIndexes != nil ||
		f.StreamDescription == nil || f.StreamDescription.StreamViewType != dtypes.StreamViewTypeNewAndOldImages || f.TimeToLiveDescription != nil {
		t.Fatalf("SourceTableFeatureDetails: %+v", f)
	}

	// secrets reads a table's items by a Scan, and by a Query of its
	// index when it has one, as "id=secret" lines.
	secrets := func(c *dynamodb.Client, table string, index bool) string {
		t.Helper()
		var lines []string
		for _, it := range must[*dynamodb.ScanOutput](t)(c.Scan(ctx, &dynamodb.ScanInput{TableName: &table, ConsistentRead: aws.Bool(true)})).Items {
			lines = append(lines, it["id"].(*dtypes.AttributeValueMemberS).Value+"="+it["secret"].(*dtypes.AttributeValueMemberS).Value)
		}
		if index {
			q := must[*dynamodb.QueryOutput](t)(c.Query(ctx, &dynamodb.QueryInput{TableName: &table, IndexName: aws.String("by-owner"),
				KeyConditionExpression: aws.String("#o = :o"), ExpressionAttributeNames: map[string]string{"#o": "owner"},
				ExpressionAttributeValues: map[string]dtypes.AttributeValue{":o": str("bob")}}))
			for _, it := range q.Items {
				lines = append(lines, "bob:"+it["secret"].(*dtypes.AttributeValueMemberS).Value)
			}
		}
		return strings.ReplaceAll(strings.Join(lines, " "), marker, "M")
	}
	const want = "a=M/a2 b=M/b batch=M/batch c=M/c t=M/t bob:M/batch bob:M/t"
	if got := secrets(c, "vault", true); got != want {
		t.Fatalf("items: %s", got)
	}
	got := must[*dynamodb.GetItemOutput](t)(c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("vault"), Key: map[string]dtypes.AttributeValue{"id": str("b")},
		ProjectionExpression: aws.String("doc.notes[0]")})).Item
	if n := got["doc"].(*dtypes.AttributeValueMemberM).Value["notes"].(*dtypes.AttributeValueMemberL).Value[0].(*dtypes.AttributeValueMemberS).Value; n != "note "+marker {
		t.Fatalf("GetItem: %q", n)
	}

	// The stream and the Kinesis destination carry the values, opened.
	streamArn := aws.ToString(created.TableDescription.LatestStreamArn)
	recs, _ := readStream(t, sc, shardIterator(t, sc, streamArn, stypes.ShardIteratorTypeTrimHorizon, ""))
	if len(recs) != 8 {
		t.Fatalf("%d stream records, want 8", len(recs))
	}
	if old := recs[7].Dynamodb.OldImage["secret"].(*stypes.AttributeValueMemberS).Value; recs[7].EventName != stypes.OperationTypeRemove || old != marker+"/gone" {
		t.Fatalf("last stream record: %s %q", recs[7].EventName, old)
	}
	changes := readChanges(t, kc, "vault-changes", 8)
	if s := changes[7].Dynamodb.OldImage["secret"]["S"]; changes[7].EventName != "REMOVE" || s != marker+"/gone" {
		t.Fatalf("last Kinesis change: %s %v", changes[7].EventName, s)
	}

	// Restores: from the backup and to a point in time, each with a key
	// of its own; the restored tables read as the source did.
	must[*dynamodb.RestoreTableFromBackupOutput](t)(c.RestoreTableFromBackup(ctx, &dynamodb.RestoreTableFromBackupInput{BackupArn: backup,
		TargetTableName: aws.String("vault-restored"), SSESpecificationOverride: &dtypes.SSESpecification{Enabled: aws.Bool(true),
			SSEType: dtypes.SSETypeKms, KMSMasterKeyId: aws.String("alias/restores")}}))
	if got := sseOf(t, c, "vault-restored"); got != "ENABLED KMS arn:aws:kms:us-east-1:000000000000:alias/restores" {
		t.Fatalf("restored table's SSEDescription: %s", got)
	}
	must[*dynamodb.RestoreTableToPointInTimeOutput](t)(c.RestoreTableToPointInTime(ctx, &dynamodb.RestoreTableToPointInTimeInput{
		SourceTableName: aws.String("vault"), TargetTableName: aws.String("vault-pitr"), UseLatestRestorableTime: aws.Bool(true),
		SSESpecificationOverride: &dtypes.SSESpecification{Enabled: aws.Bool(true)}}))
	for _, table := range []string{"vault-restored", "vault-pitr"} {
		if got := secrets(c, table, true); got != want {
			t.Fatalf("%s: %s", table, got)
		}
	}

	// An export asked to encrypt its objects with a KMS key writes them
	// so, and its manifest says so.
	s3c := srv.S3As(awstest.Client{UsePathStyle: true})
	createBucket(t, s3c, "vault-exports")
	exp := must[*dynamodb.ExportTableToPointInTimeOutput](t)(c.ExportTableToPointInTime(ctx, &dynamodb.ExportTableToPointInTimeInput{
		TableArn: created.TableDescription.TableArn, S3Bucket: aws.String("vault-exports"), S3SseAlgorithm: dtypes.S3SseAlgorithmKms,
		S3SseKmsKeyId: aws.String("alias/exports")})).ExportDescription
	if exp.ExportStatus != dtypes.ExportStatusCompleted || exp.S3SseAlgorithm != dtypes.S3SseAlgorithmKms || aws.ToString(exp.S3SseKmsKeyId) != "alias/exports" {
		t.Fatalf("export: %+v %s", exp, aws.ToString(exp.FailureMessage))
	}
	exported := objects(t, s3c, "vault-exports", "AWSDynamoDB/")
	for key := range exported {
		h := must[*s3.HeadObjectOutput](t)(s3c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("vault-exports"), Key: aws.String(key)}))
		if h.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || aws.ToString(h.SSEKMSKeyId) != "arn:aws:kms:us-east-1:000000000000:alias/exports" {
			t.Fatalf("%s: %s %s", key, h.ServerSideEncryption, aws.ToString(h.SSEKMSKeyId))
		}
	}
	var summary struct{ S3SseAlgorithm, S3SseKmsKeyId string }
	if err := json.Unmarshal(exported[aws.ToString(exp.ExportManifest)], &summary); err != nil || summary != (struct{ S3SseAlgorithm, S3SseKmsKeyId string }{"KMS", "alias/exports"}) {
		t.Fatalf("manifest summary: %s", exported[aws.ToString(exp.ExportManifest)])
	}

	srv.Stop()
	noPlaintext(t, dir, marker)

	// After a restart, the data keys open what they sealed.
	srv = awstest.New(t, awstest.Options{DataDir: dir})
	c = srv.DynamoDB()
	if got := secrets(c, "vault", true); got != want {
		t.Fatalf("after a restart: %s", got)
	}
	// A restore without an override gets the key AWS owns: its items are
	// kept in the clear, and read the same.
	must[*dynamodb.RestoreTableFromBackupOutput](t)(c.RestoreTableFromBackup(ctx, &dynamodb.RestoreTableFromBackupInput{BackupArn: backup,
		TargetTableName: aws.String("vault-clear")}))
	if got := sseOf(t, c, "vault-clear"); got != "-" {
		t.Fatalf("a restore without an override: %s", got)
	}
	if got := secrets(c, "vault-clear", true); got != want {
		t.Fatalf("vault-clear: %s", got)
	}

	// UpdateTable turns encryption off, then on under a key of the
	// account's; every item and index entry is rewritten each time. It
	// answers as DynamoDB does, UPDATING with the key the table had;
	// DescribeTable tells the new state at once.
	upd := must[*dynamodb.UpdateTableOutput](t)(c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("vault"),
		SSESpecification: &dtypes.SSESpecification{Enabled: aws.Bool(false)}})).TableDescription.SSEDescription
	if upd == nil || upd.Status != dtypes.SSEStatusUpdating || aws.ToString(upd.KMSMasterKeyArn) != "arn:aws:kms:us-east-1:000000000000:alias/aws/dynamodb" ||
		sseOf(t, c, "vault") != "-" {
		t.Fatalf("after turning encryption off: %+v, %s", upd, sseOf(t, c, "vault"))
	}
	if got := secrets(c, "vault", true); got != want {
		t.Fatalf("unencrypted: %s", got)
	}
	must[*dynamodb.UpdateTableOutput](t)(c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("vault"),
		SSESpecification: &dtypes.SSESpecification{Enabled: aws.Bool(true), SSEType: dtypes.SSETypeKms, KMSMasterKeyId: aws.String("1234abcd-12ab-34cd-56ef-1234567890ab")}}))
	if got := sseOf(t, c, "vault"); got != "ENABLED KMS arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab" {
		t.Fatalf("after turning encryption on: %s", got)
	}
	if got := secrets(c, "vault", true); got != want {
		t.Fatalf("encrypted again: %s", got)
	}
	// The stream's records written before read as before.
	sc = srv.DynamoDBStreams()
	if recs, _ := readStream(t, sc, shardIterator(t, sc, streamArn, stypes.ShardIteratorTypeTrimHorizon, "")); len(recs) != 8 {
		t.Fatalf("%d stream records after the restart, want 8", len(recs))
	}
}

// formAsRecorded opens the store of a stopped server and checks that
// every item, index entry and point-in-time version of a table is in the
// form its record names: sealed when it has a KMS key, JSON otherwise
// (docs/format/dynamodb.md). The table is us-east-1's, or the global
// table whose members are in regions: they share the items and index
// entries, and each has its own versions. It returns how many values it
// checked.
func formAsRecorded(t *testing.T, dir, table string, regions ...string) int {
	t.Helper()
	db, err := meta.Open(filepath.Join(dir, "meta"), meta.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	type check struct {
		prefix string
		header int // a version's first byte says whether it is a deletion
		key    string
	}
	if len(regions) == 0 {
		regions = []string{"us-east-1"}
	}
	var checks []check
	for i, region := range regions {
		v, err := db.Get([]byte("ddb\x00t\x00000000000000\x00" + region + "\x00" + table))
		if err != nil {
			t.Fatal(err)
		}
		var rec struct{ ID, DataID, KMSKey string }
		if err := json.Unmarshal(v, &rec); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			data := cmp.Or(rec.DataID, rec.ID)
			checks = append(checks, check{"ddb\x00i\x00" + data, 0, rec.KMSKey}, check{"ddb\x00x\x00" + data, 0, rec.KMSKey})
		}
		checks = append(checks, check{"ddb\x00h\x00" + rec.ID, 1, rec.KMSKey})
	}
	n := 0
	for _, c := range checks {
		prefix := []byte(c.prefix + "\x00")
		it, err := db.NewIter(prefix, meta.PrefixEnd(prefix))
		if err != nil {
			t.Fatal(err)
		}
		var wrong error // reported once the iterator is closed, which the store's Close needs
		for it.First(); it.Valid() && wrong == nil; it.Next() {
			v, err := it.Value()
			switch {
			case err != nil:
				wrong = err
			case len(v) <= c.header:
			case (v[c.header] != '{') != (c.key != ""):
				wrong = fmt.Errorf("%q sealed: %v, with the table's KMS key %q", it.Key(), v[c.header] != '{', c.key)
			default:
				n++
			}
		}
		if err := it.Close(); wrong != nil || err != nil {
			t.Fatal(cmp.Or(wrong, err))
		}
	}
	return n
}

// What DynamoDB refuses of a table's encryption, and how it names it.
func TestDynamoDB_EncryptionRefused(t *testing.T) {
	t.Parallel()
	c := awstest.New(t).DynamoDB()
	create := func(name string, sse *dtypes.SSESpecification) error {
		_, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String(name), KeySchema: ks("id", ""),
			AttributeDefinitions: []dtypes.AttributeDefinition{attr("id", dtypes.ScalarAttributeTypeS)},
			BillingMode:          dtypes.BillingModePayPerRequest, SSESpecification: sse})
		return err
	}
	for _, tc := range []struct {
		sse  *dtypes.SSESpecification
		want string
	}{
		{&dtypes.SSESpecification{Enabled: aws.Bool(true), SSEType: dtypes.SSETypeAes256},
			"One or more parameter values were invalid: SSEType AES256 is not supported"},
		{&dtypes.SSESpecification{Enabled: aws.Bool(true), KMSMasterKeyId: aws.String("alias/k")},
			"One or more parameter values were invalid: SSEType KMS is required if KMSMasterKeyId is specified"},
		{&dtypes.SSESpecification{Enabled: aws.Bool(true), SSEType: "RSA"},
			"1 validation error detected: Value 'RSA' at 'sSESpecification.sSEType' failed to satisfy constraint: Member must satisfy enum value set: [AES256, KMS]"},
		// A key serves its own region only.
		{&dtypes.SSESpecification{Enabled: aws.Bool(true), SSEType: dtypes.SSETypeKms, KMSMasterKeyId: aws.String("arn:aws:kms:eu-west-1:000000000000:key/k")},
			"KMS validation error: com.amazonaws.services.kms.model.NotFoundException: Invalid arn eu-west-1"},
	} {
		wantMessage(t, create("refused", tc.sse), tc.want)
	}
	// A table's own region is updated through ReplicaUpdates only while
	// the table is global (as Terraform changes a global table's key).
	if err := create("plain", nil); err != nil {
		t.Fatal(err)
	}
	_, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("plain"), ReplicaUpdates: []dtypes.ReplicationGroupUpdate{
		{Update: &dtypes.UpdateReplicationGroupMemberAction{RegionName: aws.String("us-east-1"), KMSMasterKeyId: aws.String("k")}}}})
	wantMessage(t, err, "Cannot add, delete, or update the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or UpdateTable as required.")
	_, err = c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("plain"), ReplicaUpdates: []dtypes.ReplicationGroupUpdate{
		{Update: &dtypes.UpdateReplicationGroupMemberAction{RegionName: aws.String("eu-west-1"), TableClassOverride: dtypes.TableClassStandard}}}})
	wantMessage(t, err, "Replica specified in the Replica Update or Replica Delete action of the request was not found.")
	// Enabled false, or nothing asked, is the key AWS owns.
	for i, sse := range []*dtypes.SSESpecification{nil, {}, {Enabled: aws.Bool(false)}} {
		name := "owned" + itoa(i)
		if err := create(name, sse); err != nil {
			t.Fatal(err)
		}
		if got := sseOf(t, c, name); got != "-" {
			t.Fatalf("%+v: %s", sse, got)
		}
	}
}

// TestCrash_DynamoDBEncryptionChangeIsAtomic kills the server while
// UpdateTable turns a table's encryption on, resealing its items and
// index entries, and restarts it: the change is there whole or not at all
// (once acknowledged, there), and every item reads back, by key and
// through the index. The kill lands anywhere from before the request to
// after its answer; each place must hold. The table is a plain one, and a
// global one whose encryption is turned on through its replica: every
// member's key and every member's point-in-time versions change in the
// one commit.
func TestCrash_DynamoDBEncryptionChangeIsAtomic(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	t.Parallel()
	for _, regions := range [][]string{{"us-east-1"}, {"us-east-1", "eu-west-1"}} {
		t.Run(strings.Join(regions, "+"), func(t *testing.T) {
			t.Parallel()
			crashEncryptionChange(t, regions)
		})
	}
}

func crashEncryptionChange(t *testing.T, regions []string) {
	dir := t.TempDir()
	srv := startChild(t, dir)
	c := srv.dynamodbClient()
	// The change is asked of the last member.
	via := srv.dynamodbClientIn(regions[len(regions)-1])
	const items = 3000
	fill := func(table string) {
		t.Helper()
		must[*dynamodb.CreateTableOutput](t)(c.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String(table), KeySchema: ks("id", ""),
			AttributeDefinitions: []dtypes.AttributeDefinition{attr("id", dtypes.ScalarAttributeTypeS), attr("g", dtypes.ScalarAttributeTypeS)},
			GlobalSecondaryIndexes: []dtypes.GlobalSecondaryIndex{{IndexName: aws.String("by-g"), KeySchema: ks("g", ""),
				Projection: &dtypes.Projection{ProjectionType: dtypes.ProjectionTypeAll}}},
			BillingMode: dtypes.BillingModePayPerRequest}))
		for _, region := range regions[1:] {
			must[*dynamodb.UpdateTableOutput](t)(c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String(table),
				ReplicaUpdates: []dtypes.ReplicationGroupUpdate{{Create: &dtypes.CreateReplicationGroupMemberAction{RegionName: aws.String(region)}}}}))
		}
		// Point-in-time recovery keeps a version of each, in each member:
		// the change rewrites those too.
		for _, region := range regions {
			must[*dynamodb.UpdateContinuousBackupsOutput](t)(srv.dynamodbClientIn(region).UpdateContinuousBackups(ctx, &dynamodb.UpdateContinuousBackupsInput{
				TableName: aws.String(table), PointInTimeRecoverySpecification: &dtypes.PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: aws.Bool(true)}}))
		}
		for i := 0; i < items; i += 25 {
			var puts []dtypes.WriteRequest
			for j := i; j < i+25; j++ {
				puts = append(puts, dtypes.WriteRequest{PutRequest: &dtypes.PutRequest{Item: map[string]dtypes.AttributeValue{
					"id": str(fmt.Sprintf("item-%05d", j)), "g": str(fmt.Sprint(j % 10)), "v": num(fmt.Sprintf("%d.25", j))}}})
			}
			must[*dynamodb.BatchWriteItemOutput](t)(c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]dtypes.WriteRequest{table: puts}}))
		}
	}
	encrypt := &dtypes.SSESpecification{Enabled: aws.Bool(true)}
	// How long the change takes, on a table like the one killed.
	fill("timed")
	start := time.Now()
	must[*dynamodb.UpdateTableOutput](t)(via.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("timed"), SSESpecification: encrypt}))
	took := time.Since(start)

	fill("crash")
	acked := make(chan bool, 1)
	go func() {
		_, err := via.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("crash"), SSESpecification: encrypt})
		acked <- err == nil
	}()
	delay := time.Duration(rand.Int64N(int64(2 * took)))
	time.Sleep(delay)
	srv.kill()
	wasAcked := <-acked
	// On disk, before the restart: every value in one form, the records'.
	values := formAsRecorded(t, dir, "crash", regions...)
	if want := (2 + len(regions)) * items; values != want { // items, index entries, each member's versions
		t.Fatalf("%d values of the table on disk, want %d", values, want)
	}

	srv = startChild(t, dir)
	c = srv.dynamodbClient()
	var got []string
	for _, region := range regions {
		got = append(got, sseOf(t, srv.dynamodbClientIn(region), "crash"))
	}
	on, off := true, true
	for i, region := range regions {
		on = on && got[i] == "ENABLED KMS arn:aws:kms:"+region+":000000000000:alias/aws/dynamodb"
		off = off && got[i] == "-"
	}
	if !on && !(off && !wasAcked) {
		t.Fatalf("after the crash (UpdateTable acknowledged: %v): %s", wasAcked, got)
	}
	for i := range items {
		got := must[*dynamodb.GetItemOutput](t)(c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("crash"),
			Key: map[string]dtypes.AttributeValue{"id": str(fmt.Sprintf("item-%05d", i))}})).Item
		if v, ok := got["v"].(*dtypes.AttributeValueMemberN); !ok || v.Value != fmt.Sprintf("%d.25", i) {
			t.Fatalf("item %d after the crash: %v", i, got)
		}
	}
	n := 0
	for g := range 10 {
		p := dynamodb.NewQueryPaginator(c, &dynamodb.QueryInput{TableName: aws.String("crash"), IndexName: aws.String("by-g"),
			KeyConditionExpression: aws.String("g = :g"), ExpressionAttributeValues: map[string]dtypes.AttributeValue{":g": str(fmt.Sprint(g))}})
		for p.HasMorePages() {
			n += len(must[*dynamodb.QueryOutput](t)(p.NextPage(ctx)).Items)
		}
	}
	if n != items {
		t.Fatalf("%d items through the index after the crash, want %d", n, items)
	}
	t.Logf("killed %v into a change that takes %v; acknowledged: %v; after the restart: %s", delay, took, wasAcked, got)
}
