package dynamodb

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/clock"
	"github.com/lakebox/lakebox/internal/storage/meta"
)

func TestSSESpecificationKMSKey(t *testing.T) {
	sc := scope{"123456789012", "eu-west-1"}
	for _, tc := range []struct{ spec, want string }{
		{`null`, ""},
		{`{}`, ""},
		{`{"Enabled":false}`, ""},
		{`{"Enabled":true}`, "arn:aws:kms:eu-west-1:123456789012:alias/aws/dynamodb"},
		{`{"SSEType":"KMS"}`, "arn:aws:kms:eu-west-1:123456789012:alias/aws/dynamodb"},
		{`{"Enabled":true,"SSEType":"KMS","KMSMasterKeyId":"1234abcd-12ab"}`, "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab"},
		{`{"Enabled":true,"SSEType":"KMS","KMSMasterKeyId":"alias/lake"}`, "arn:aws:kms:eu-west-1:123456789012:alias/lake"},
		{`{"Enabled":true,"SSEType":"KMS","KMSMasterKeyId":"arn:aws:kms:eu-west-1:111122223333:key/k"}`, "arn:aws:kms:eu-west-1:111122223333:key/k"}, // another account's
		{`{"Enabled":true,"SSEType":"KMS","KMSMasterKeyId":"arn:aws:kms:us-east-1:123456789012:key/k"}`,
			"error: KMS validation error: com.amazonaws.services.kms.model.NotFoundException: Invalid arn us-east-1"}, // another region's
		{`{"Enabled":true,"SSEType":"AES256"}`, "error: One or more parameter values were invalid: SSEType AES256 is not supported"},
		{`{"Enabled":true,"KMSMasterKeyId":"alias/lake"}`, "error: One or more parameter values were invalid: SSEType KMS is required if KMSMasterKeyId is specified"},
		{`{"Enabled":false,"SSEType":"KMS"}`, "error: One or more parameter values were invalid: SSEType can not be specified if Enabled is false"},
		{`{"Enabled":false,"KMSMasterKeyId":"alias/lake"}`, "error: One or more parameter values were invalid: KMSMasterKeyId can not be specified if Enabled is false"},
		{`{"Enabled":false,"SSEType":"AES256"}`, "error: One or more parameter values were invalid: SSEType can not be specified if Enabled is false"},
		{`{"SSEType":"kms"}`, "error: 1 validation error detected: Value 'kms' at 'x.sSEType' failed to satisfy constraint: Member must satisfy enum value set: [AES256, KMS]"},
	} {
		var spec *SSESpecification
		if err := json.Unmarshal([]byte(tc.spec), &spec); err != nil {
			t.Fatal(err)
		}
		got, err := spec.kmsKey(sc, "x")
		if err != nil {
			e, _ := awserr.As(err)
			got = "error: " + e.Message
		}
		if got != tc.want {
			t.Errorf("%s: %s, want %s", tc.spec, got, tc.want)
		}
	}
}

// The store keeps an encrypted table's items, index entries and
// point-in-time versions sealed and an unencrypted one's as JSON;
// UpdateTable rewrites them from one form to the other.
func TestEncryptedItemsAreSealed(t *testing.T) {
	s, db, clk := newService(t)
	do(t, s.CreateTable, `{"TableName":"vault","KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],
		"GlobalSecondaryIndexes":[{"IndexName":"by-g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}],
		"BillingMode":"PAY_PER_REQUEST","SSESpecification":{"Enabled":true}}`)
	do(t, s.UpdateContinuousBackups, `{"TableName":"vault","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true}}`)
	do(t, s.PutItem, `{"TableName":"vault","Item":{"k":{"S":"a"},"g":{"S":"x"},"secret":{"S":"hidden"}}}`)
	do(t, s.PutItem, `{"TableName":"vault","Item":{"k":{"S":"b"}}}`)
	// Versions are kept by the millisecond: the deletion's is another,
	// with no value to seal.
	clk.Advance(time.Millisecond)
	do(t, s.DeleteItem, `{"TableName":"vault","Key":{"k":{"S":"b"}}}`)
	stored := func() (sealed, clear int) {
		t.Helper()
		for _, prefix := range [][]byte{itemPrefix, indexPrefix, historyPrefix} {
			it, err := db.NewIter(prefix, meta.PrefixEnd(prefix))
			if err != nil {
				t.Fatal(err)
			}
			for it.First(); it.Valid(); it.Next() {
				v, _ := it.Value()
				if bytes.Equal(prefix, historyPrefix) {
					v = v[1:]
				}
				switch {
				case len(v) == 0: // a deletion
				case v[0] == '{':
					clear++
				case bytes.Contains(v, []byte("hidden")):
					t.Errorf("%q is neither JSON nor sealed: %q", it.Key(), v)
				default:
					sealed++
				}
			}
			it.Close()
		}
		return sealed, clear
	}
	if sealed, clear := stored(); sealed != 4 || clear != 0 {
		t.Fatalf("encrypted: %d values sealed, %d in the clear; want 4 and 0", sealed, clear)
	}
	read := func() string {
		t.Helper()
		get := do(t, s.GetItem, `{"TableName":"vault","Key":{"k":{"S":"a"}}}`)
		q := do(t, s.Query, `{"TableName":"vault","IndexName":"by-g","KeyConditionExpression":"g = :g","ExpressionAttributeValues":{":g":{"S":"x"}}}`)
		b, _ := json.Marshal([]any{get.Item, q.Items})
		return string(b)
	}
	const want = `[{"g":{"S":"x"},"k":{"S":"a"},"secret":{"S":"hidden"}},[{"g":{"S":"x"},"k":{"S":"a"},"secret":{"S":"hidden"}}]]`
	if got := read(); got != want {
		t.Fatalf("read: %s", got)
	}
	// The answer is DynamoDB's to a change it has begun: UPDATING, with
	// the key the table had; DescribeTable tells the new state.
	out := do(t, s.UpdateTable, `{"TableName":"vault","SSESpecification":{"Enabled":false}}`)
	if d := out.TableDescription.SSEDescription; d == nil || *d != (SSEDescription{"UPDATING", "KMS", "arn:aws:kms:us-east-1:000000000000:alias/aws/dynamodb"}) {
		t.Fatalf("UpdateTable's SSEDescription, turning encryption off: %+v", d)
	}
	if d := do(t, s.DescribeTable, `{"TableName":"vault"}`).Table.SSEDescription; d != nil {
		t.Fatalf("SSEDescription after turning encryption off: %+v", d)
	}
	if sealed, clear := stored(); sealed != 0 || clear != 4 {
		t.Fatalf("turned off: %d values sealed, %d in the clear; want 0 and 4", sealed, clear)
	}
	if got := read(); got != want {
		t.Fatalf("read, turned off: %s", got)
	}
	out = do(t, s.UpdateTable, `{"TableName":"vault","SSESpecification":{"Enabled":true,"SSEType":"KMS","KMSMasterKeyId":"alias/other"}}`)
	if d := out.TableDescription.SSEDescription; d == nil || *d != (SSEDescription{Status: "UPDATING"}) {
		t.Fatalf("UpdateTable's SSEDescription, turning encryption on: %+v", d)
	}
	if sealed, clear := stored(); sealed != 4 || clear != 0 {
		t.Fatalf("turned on again: %d values sealed, %d in the clear; want 4 and 0", sealed, clear)
	}
	if got := read(); got != want {
		t.Fatalf("read, turned on again: %s", got)
	}
}

// Without a master key there is nothing to seal with: a KMS key is
// refused, an encrypted table's items are an error (never a panic), and
// the tables AWS's own key covers are served as ever.
func TestEncryptionWithoutMasterKey(t *testing.T) {
	keyed, db, _ := newService(t)
	do(t, keyed.CreateTable, `{"TableName":"sealed","KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST","SSESpecification":{"Enabled":true}}`)
	do(t, keyed.PutItem, `{"TableName":"sealed","Item":{"k":{"S":"a"}}}`)
	s, err := New(db, clock.New(0), Options{})
	if err != nil {
		t.Fatal(err)
	}
	msg := refused(t, s.CreateTable, `{"TableName":"vault","KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST","SSESpecification":{"Enabled":true}}`)
	if !strings.Contains(msg, "no master key") {
		t.Fatalf("CreateTable with a KMS key: %s", msg)
	}
	a, b := "a", "b"
	for what, err := range map[string]error{
		"PutItem": func() error {
			_, err := s.PutItem(context.Background(), &PutItemInput{TableName: "sealed", Item: Item{"k": {S: &b}}})
			return err
		}(),
		"GetItem": func() error {
			_, err := s.GetItem(context.Background(), &GetItemInput{TableName: "sealed", Key: Item{"k": {S: &a}}})
			return err
		}(),
	} {
		if err == nil || !strings.Contains(err.Error(), "no master key") {
			t.Errorf("%s of an encrypted table without a master key: %v", what, err)
		}
	}
	if _, err := s.CreateTable(context.Background(), &CreateTableInput{TableName: "vault", KeySchema: []KeySchemaElement{{"k", "HASH"}},
		AttributeDefinitions: []AttributeDefinition{{"k", "S"}}, BillingMode: "PAY_PER_REQUEST"}); err != nil {
		t.Fatal(err)
	}
}

// UpdateTable changes encryption alone, and only to something else.
func TestUpdateTableEncryptionRefusals(t *testing.T) {
	s, _, _ := newService(t)
	do(t, s.CreateTable, `{"TableName":"vault","KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`)
	for _, tc := range []struct{ request, want string }{
		{`{"TableName":"vault","SSESpecification":{"Enabled":false}}`, "One or more parameter values were invalid: Table is already encrypted by default"},
		{`{"TableName":"vault","SSESpecification":{}}`, "One or more parameter values were invalid: Table is already encrypted by default"},
		{`{"TableName":"vault","SSESpecification":{"Enabled":true},"DeletionProtectionEnabled":true}`,
			"One or more parameter values were invalid: Server-Side Encryption modification must be the only operation in the request"},
		{`{"TableName":"vault","SSESpecification":{"Enabled":true},"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}}`,
			"One or more parameter values were invalid: Server-Side Encryption modification must be the only operation in the request"},
	} {
		if got := refused(t, s.UpdateTable, tc.request); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.request, got, tc.want)
		}
	}
	// The table's key named again by its ARN changes nothing and is
	// refused; by an alias or a bare id, DynamoDB re-encrypts under it.
	const key = "arn:aws:kms:us-east-1:000000000000:key/k1"
	do(t, s.UpdateTable, `{"TableName":"vault","SSESpecification":{"Enabled":true,"SSEType":"KMS","KMSMasterKeyId":"`+key+`"}}`)
	const again = "One or more parameter values were invalid: Table is already encrypted with given KMSMasterKeyId. Use KMSMasterKeyId parameter if you want to change Master Key"
	if got := refused(t, s.UpdateTable, `{"TableName":"vault","SSESpecification":{"Enabled":true,"SSEType":"KMS","KMSMasterKeyId":"`+key+`"}}`); got != again {
		t.Errorf("the same key again: %q", got)
	}
	do(t, s.UpdateTable, `{"TableName":"vault","SSESpecification":{"Enabled":true,"SSEType":"KMS","KMSMasterKeyId":"k1"}}`)
	do(t, s.UpdateTable, `{"TableName":"vault","SSESpecification":{"Enabled":true}}`) // another key: the account's own
	// The account's key asked for again re-encrypts under it, as on AWS,
	// also named.
	do(t, s.UpdateTable, `{"TableName":"vault","SSESpecification":{"SSEType":"KMS"}}`)
	do(t, s.UpdateTable, `{"TableName":"vault","SSESpecification":{"Enabled":true}}`)
	do(t, s.UpdateTable, `{"TableName":"vault","SSESpecification":{"Enabled":true,"SSEType":"KMS","KMSMasterKeyId":"alias/aws/dynamodb"}}`)
}

// A backup describes its source's indexes, stream, time to live and
// encryption as the model shapes them: a local index without throughput.
func TestBackupSourceTableFeatures(t *testing.T) {
	s, _, _ := newService(t)
	do(t, s.CreateTable, `{"TableName":"source","KeySchema":[{"AttributeName":"k","KeyType":"HASH"},{"AttributeName":"r","KeyType":"RANGE"}],
		"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"},{"AttributeName":"r","AttributeType":"S"},{"AttributeName":"l","AttributeType":"S"}],
		"LocalSecondaryIndexes":[{"IndexName":"by-l","KeySchema":[{"AttributeName":"k","KeyType":"HASH"},{"AttributeName":"l","KeyType":"RANGE"}],
			"Projection":{"ProjectionType":"KEYS_ONLY"},"ProvisionedThroughput":{"ReadCapacityUnits":7,"WriteCapacityUnits":7}}],
		"GlobalSecondaryIndexes":[{"IndexName":"by-r","KeySchema":[{"AttributeName":"r","KeyType":"HASH"}],
			"Projection":{"ProjectionType":"ALL"},"ProvisionedThroughput":{"ReadCapacityUnits":2,"WriteCapacityUnits":3}}],
		"BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5},
		"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"},"SSESpecification":{"Enabled":true,"SSEType":"KMS","KMSMasterKeyId":"k1"}}`)
	do(t, s.UpdateTimeToLive, `{"TableName":"source","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"expires"}}`)
	arn := do(t, s.CreateBackup, `{"TableName":"source","BackupName":"bak"}`).BackupDetails.BackupArn
	d := do(t, s.DescribeBackup, `{"BackupArn":"`+arn+`"}`)
	got, _ := json.Marshal(d.BackupDescription.SourceTableFeatureDetails)
	const want = `{"LocalSecondaryIndexes":[{"IndexName":"by-l","KeySchema":[{"AttributeName":"k","KeyType":"HASH"},{"AttributeName":"l","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}],` +
		`"GlobalSecondaryIndexes":[{"IndexName":"by-r","KeySchema":[{"AttributeName":"r","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"},"ProvisionedThroughput":{"ReadCapacityUnits":2,"WriteCapacityUnits":3}}],` +
		`"StreamDescription":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"},"TimeToLiveDescription":{"TimeToLiveStatus":"ENABLED","AttributeName":"expires"},` +
		`"SSEDescription":{"Status":"ENABLED","SSEType":"KMS","KMSMasterKeyArn":"arn:aws:kms:us-east-1:000000000000:key/k1"}}`
	if string(got) != want {
		t.Fatalf("SourceTableFeatureDetails:\n%s\nwant\n%s", got, want)
	}
}

// An export's own encryption: AES256 or KMS, a key only with KMS.
func TestExportEncryptionRefused(t *testing.T) {
	s, _, _ := newService(t)
	do(t, s.CreateTable, `{"TableName":"vault","KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`)
	do(t, s.UpdateContinuousBackups, `{"TableName":"vault","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true}}`)
	const arn = "arn:aws:dynamodb:us-east-1:000000000000:table/vault"
	for _, tc := range []struct{ request, want string }{
		{`{"TableArn":"` + arn + `","S3Bucket":"b","S3SseAlgorithm":"aws:kms"}`,
			"1 validation error detected: Value 'aws:kms' at 's3SseAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [AES256, KMS]"},
		{`{"TableArn":"` + arn + `","S3Bucket":"b","S3SseAlgorithm":"AES256","S3SseKmsKeyId":"alias/k"}`,
			"Invalid Request: KMS Key Id is not supported for this encryption type"},
	} {
		if got := refused(t, s.ExportTableToPointInTime, tc.request); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.request, got, tc.want)
		}
	}
}
