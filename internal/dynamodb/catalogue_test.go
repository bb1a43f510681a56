package dynamodb

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// Refusals worded as DynamoDB words them today, from a catalogue of its
// live answers (ack-api-quirks, DDB-TABLE-442, verified 2026-10-09).
func TestCatalogueWording(t *testing.T) {
	s, _, _ := newService(t)
	const keys = `"KeySchema":[{"AttributeName":"k","KeyType":"HASH"},{"AttributeName":"r","KeyType":"RANGE"}],
		"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"},{"AttributeName":"r","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}]`
	const gsi = `{"IndexName":"by-g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"},
		"ProvisionedThroughput":{"ReadCapacityUnits":2,"WriteCapacityUnits":2}}`
	do(t, s.CreateTable, `{"TableName":"cat",`+keys+`,"GlobalSecondaryIndexes":[`+gsi+`],
		"LocalSecondaryIndexes":[{"IndexName":"by-l","KeySchema":[{"AttributeName":"k","KeyType":"HASH"},{"AttributeName":"g","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}],
		"BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1},"DeletionProtectionEnabled":true}`)
	do(t, s.UpdateTimeToLive, `{"TableName":"cat","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"ttl"}}`)
	do(t, s.CreateTable, `{"TableName":"ppr",`+keys+`,"GlobalSecondaryIndexes":[{"IndexName":"by-g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],
		"Projection":{"ProjectionType":"ALL"}}],"BillingMode":"PAY_PER_REQUEST"}`)
	for _, tc := range []struct {
		name, got, want string
	}{
		{"first key not HASH", refused(t, s.CreateTable, `{"TableName":"new1","KeySchema":[{"AttributeName":"k","KeyType":"RANGE"}],
			"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`),
			"Invalid KeySchema: The first KeySchemaElement is not a HASH key type"},
		{"index without throughput", refused(t, s.CreateTable, `{"TableName":"new2",`+keys+`,"GlobalSecondaryIndexes":[{"IndexName":"by-g",
			"KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}],
			"BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}`),
			"One or more parameter values were invalid: ProvisionedThroughput is not specified for index: by-g"},
		{"NonKeyAttributes twice", refused(t, s.CreateTable, `{"TableName":"new3",`+keys+`,"GlobalSecondaryIndexes":[{"IndexName":"by-g",
			"KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["a","b","a"]}}],
			"BillingMode":"PAY_PER_REQUEST"}`),
			"One or more parameter values were invalid: Duplicate element in NonKeyAttributes: a"},
		{"stream without view, created", refused(t, s.CreateTable, `{"TableName":"new4","KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],
			"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST","StreamSpecification":{"StreamEnabled":true}}`),
			"One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType is required"},
		{"throughput 0", refused(t, s.CreateTable, `{"TableName":"new5","KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],
			"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],"ProvisionedThroughput":{"ReadCapacityUnits":0,"WriteCapacityUnits":1}}`),
			"1 validation error detected: Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"aws: tag", refused(t, s.TagResource, `{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/cat","Tags":[{"Key":"aws:x","Value":"v"}]}`),
			"Tag Key cannot be prefixed with aws:, Key: aws:x"},
		{"tag twice", refused(t, s.TagResource, `{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/cat","Tags":[{"Key":"a","Value":"1"},{"Key":"a","Value":"2"}]}`),
			"Duplicate Tag Keys provided as input: Duplicate Tag Key found a"},
		{"index exists", refused(t, s.UpdateTable, `{"TableName":"cat","GlobalSecondaryIndexUpdates":[{"Create":`+gsi+`}]}`),
			"Attempting to create an index which already exists"},
		{"no action", refused(t, s.UpdateTable, `{"TableName":"cat","GlobalSecondaryIndexUpdates":[{}]}`),
			"One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null"},
		{"two actions", refused(t, s.UpdateTable, `{"TableName":"cat","GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"by-g"},"Update":{"IndexName":"by-g","ProvisionedThroughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":3}}}]}`),
			"One or more parameter values were invalid: Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object"},
		{"local index deleted", refused(t, s.UpdateTable, `{"TableName":"cat","GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"by-l"}}]}`),
			"Cannot delete an index that is not a GlobalSecondaryIndex: by-l"},
		{"index updated twice", refused(t, s.UpdateTable, `{"TableName":"cat","GlobalSecondaryIndexUpdates":[
			{"Update":{"IndexName":"by-g","ProvisionedThroughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":3}}},
			{"Update":{"IndexName":"by-g","ProvisionedThroughput":{"ReadCapacityUnits":4,"WriteCapacityUnits":4}}}]}`),
			"One or more parameter values were invalid: Only one global secondary index update per index is allowed simultaneously. Index: by-g"},
		{"index throughput as it is", refused(t, s.UpdateTable, `{"TableName":"cat","GlobalSecondaryIndexUpdates":[
			{"Update":{"IndexName":"by-g","ProvisionedThroughput":{"ReadCapacityUnits":2,"WriteCapacityUnits":2}}}]}`),
			"The provisioned throughput for the index by-g will not change. The requested value equals the current value. " +
				"Current ReadCapacityUnits provisioned for index by-g: 2. Requested ReadCapacityUnits: 2. " +
				"Current WriteCapacityUnits provisioned for index by-g: 2. Requested WriteCapacityUnits: 2. " +
				"Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits."},
		{"index throughput 0", refused(t, s.UpdateTable, `{"TableName":"cat","GlobalSecondaryIndexUpdates":[
			{"Update":{"IndexName":"by-g","ProvisionedThroughput":{"ReadCapacityUnits":0,"WriteCapacityUnits":0}}}]}`),
			"2 validation errors detected: Value '0' at 'globalSecondaryIndexUpdates.1.member.update.provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
				"Value '0' at 'globalSecondaryIndexUpdates.1.member.update.provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"index throughput on demand", refused(t, s.UpdateTable, `{"TableName":"ppr","GlobalSecondaryIndexUpdates":[
			{"Update":{"IndexName":"by-g","ProvisionedThroughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":3}}}]}`),
			"One or more parameter values were invalid: The only Updates for index: by-g when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput"},
		{"new index's throughput on demand", refused(t, s.UpdateTable, `{"TableName":"ppr","AttributeDefinitions":[{"AttributeName":"h","AttributeType":"S"}],
			"GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"by-h","KeySchema":[{"AttributeName":"h","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"},
			"ProvisionedThroughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":3}}}]}`),
			"One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: by-h when BillingMode is PAY_PER_REQUEST"},
		{"new index's attribute undefined", refused(t, s.UpdateTable, `{"TableName":"ppr",
			"GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"by-h","KeySchema":[{"AttributeName":"h","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}}]}`),
			"One or more parameter values were invalid: AttributeDefinitions is not specified for index: by-h"},
		{"no index updates", refused(t, s.UpdateTable, `{"TableName":"ppr","GlobalSecondaryIndexUpdates":[]}`),
			"One or more parameter values were invalid: List of GlobalSecondaryIndexUpdates is empty"},
		{"nothing to update", refused(t, s.UpdateTable, `{"TableName":"cat"}`),
			"At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, " +
				"MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required"},
		{"table class", refused(t, s.UpdateTable, `{"TableName":"cat","TableClass":"GLACIER"}`),
			"Invalid table-class parameter provided. Please try again with a valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS]."},
		{"TTL on another attribute", refused(t, s.UpdateTimeToLive, `{"TableName":"cat","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"other"}}`),
			"TimeToLive is active on a different AttributeName: current AttributeName is ttl"},
		{"recovery period turning off", refused(t, s.UpdateContinuousBackups, `{"TableName":"cat","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":false,"RecoveryPeriodInDays":7}}`),
			"Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery."},
		{"backup time range", refused(t, s.ListBackups, `{"TimeRangeLowerBound":20,"TimeRangeUpperBound":10}`),
			"One or more parameter values were invalid: Time range lower bound must be less than or equal to upper bound"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, tc.got, tc.want)
		}
	}
	// Deleting a protected table is a ValidationException, not
	// ResourceInUseException.
	_, err := s.DeleteTable(context.Background(), &TableNameInput{TableName: "cat"})
	if e, ok := awserr.As(err); !ok || e.Code != "ValidationException" {
		t.Errorf("DeleteTable of a protected table: %v", err)
	}
}

// Resource ARNs of the tag operations, and backup ARNs, refused as
// DynamoDB refuses them.
func TestCatalogueARNs(t *testing.T) {
	s, _, _ := newService(t)
	for _, tc := range []struct{ arn, want string }{
		{"table/cat", "One or more parameter values were invalid: ARNs must start with 'arn:': table/cat"},
		{"arn:aws:s3:::bucket", "One or more parameter values were invalid: Provided Arn is not a DynamoDB resource arn: arn:aws:s3:::bucket"},
		{"arn:aws:dynamodb:us-east-1:000000000000:table/cat/index/by-g",
			"One or more parameter values were invalid: Invalid resource arn provided, only table or stream is accepted. Provided resource arn: arn:aws:dynamodb:us-east-1:000000000000:table/cat/index/by-g"},
		{"arn:aws:dynamodb:eu-west-1:000000000000:table/cat", "Invalid TableArn: Invalid ResourceArn provided as input arn:aws:dynamodb:eu-west-1:000000000000:table/cat"},
	} {
		if got := refused(t, s.ListTagsOfResource, `{"ResourceArn":"`+tc.arn+`"}`); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.arn, got, tc.want)
		}
	}
	if got := refused(t, s.DescribeBackup, `{"BackupArn":"not-an-arn-but-long-enough-for-the-model-0123456789"}`); got != "Invalid Backup ARN" {
		t.Errorf("DescribeBackup of a malformed ARN: %s", got)
	}
}

// A restore's overrides must fit the source table.
func TestCatalogueRestoreOverrides(t *testing.T) {
	s, _, _ := newService(t)
	do(t, s.CreateTable, `{"TableName":"src","KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],
		"GlobalSecondaryIndexes":[{"IndexName":"by-g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}],
		"BillingMode":"PAY_PER_REQUEST"}`)
	arn := do(t, s.CreateBackup, `{"TableName":"src","BackupName":"bak"}`).BackupDetails.BackupArn
	restore := func(overrides string) string {
		return refused(t, s.RestoreTableFromBackup, `{"BackupArn":"`+arn+`","TargetTableName":"dst"`+overrides+`}`)
	}
	for _, tc := range []struct{ overrides, want string }{
		{`,"BillingModeOverride":"PAY_PER_REQUEST","ProvisionedThroughputOverride":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}`,
			"Invalid Request: Cannot override ProvisionedThroughput if BillingMode is overridden to PAY_PER_REQUEST"},
		{`,"ProvisionedThroughputOverride":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}`,
			"Invalid Request: Cannot override ProvisionedThroughput unless BillingMode is PROVISIONED"},
		{`,"BillingModeOverride":"PROVISIONED"`,
			"Invalid Request: Must override ProvisionedThroughput if BillingMode is overridden to PROVISIONED"},
		{`,"GlobalSecondaryIndexOverride":[{"IndexName":"by-x","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]`,
			"Invalid Request: Index by-x does not match a secondary index that existed in the source table and cannot be created during the restore operation"},
		{`,"GlobalSecondaryIndexOverride":[{"IndexName":"by-g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}]`,
			"Invalid Request: Index by-g does not match a secondary index that existed in the source table and cannot be created during the restore operation"},
	} {
		if got := restore(tc.overrides); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.overrides, got, tc.want)
		}
	}
	do(t, s.UpdateContinuousBackups, `{"TableName":"src","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true}}`)
	for _, tc := range []struct{ request, want string }{
		{`{"TargetTableName":"dst"}`, "Invalid Request: Must provide exactly one of: sourceTableArn, sourceTableName"},
		{`{"SourceTableName":"src","SourceTableArn":"arn:aws:dynamodb:us-east-1:000000000000:table/src","TargetTableName":"dst"}`,
			"Invalid Request: Must provide exactly one of: sourceTableArn, sourceTableName"},
		{`{"SourceTableName":"src","TargetTableName":"dst"}`,
			"Invalid Request: Either one of RestoreDateTime or UseLatestRestorableTime must be specified, but not both"},
	} {
		if got := refused(t, s.RestoreTableToPointInTime, tc.request); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.request, got, tc.want)
		}
	}
	// The source's own index, or none, is restored.
	do(t, s.RestoreTableFromBackup, `{"BackupArn":"`+arn+`","TargetTableName":"dst","GlobalSecondaryIndexOverride":[
		{"IndexName":"by-g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]}`)
	do(t, s.RestoreTableFromBackup, `{"BackupArn":"`+arn+`","TargetTableName":"dst2","GlobalSecondaryIndexOverride":[]}`)
}

// What UpdateTable may change together, and how it answers (ack-api-quirks
// DDB-TABLE-382, 433, 177, 284, 004).
func TestCatalogueUpdateTableCombinations(t *testing.T) {
	s, _, clk := newService(t)
	do(t, s.CreateTable, `{"TableName":"cat","KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],
		"GlobalSecondaryIndexes":[{"IndexName":"by-g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"},
			"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}],
		"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}`)
	for _, tc := range []struct{ request, want string }{
		{`"TableClass":"STANDARD_INFREQUENT_ACCESS","DeletionProtectionEnabled":true`,
			"One or more parameter values were invalid: TableClass modification must be the only operation in the request"},
		{`"DeletionProtectionEnabled":true,"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}`,
			"One or more parameter values were invalid: DeletionProtection modification must be the only operation in the request"},
		{`"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"},"ProvisionedThroughput":{"ReadCapacityUnits":2,"WriteCapacityUnits":2}`,
			"One or more parameter values were invalid: You cannot modify stream status while updating table IOPS"},
		{`"ProvisionedThroughput":{"ReadCapacityUnits":2,"WriteCapacityUnits":2},"GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"by-g"}}]`,
			"One or more parameter values were invalid: You cannot create or delete index while updating table IOPS"},
		{`"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"},"GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"by-g"}}]`,
			"One or more parameter values were invalid: You cannot create or delete index while changing stream status"},
	} {
		if got := refused(t, s.UpdateTable, `{"TableName":"cat",`+tc.request+`}`); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.request, got, tc.want)
		}
	}
	// On demand with a stream together is fine; the answer says UPDATING
	// for what DynamoDB does in the background, and DescribeTable ACTIVE.
	out := do(t, s.UpdateTable, `{"TableName":"cat","BillingMode":"PAY_PER_REQUEST","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}}`)
	if out.TableDescription.TableStatus != "UPDATING" {
		t.Errorf("UpdateTable's TableStatus for a stream: %s", out.TableDescription.TableStatus)
	}
	if d := do(t, s.DescribeTable, `{"TableName":"cat"}`).Table; d.TableStatus != "ACTIVE" {
		t.Errorf("DescribeTable after it: %s", d.TableStatus)
	}
	if out := do(t, s.UpdateTable, `{"TableName":"cat","DeletionProtectionEnabled":false}`); out.TableDescription.TableStatus != "ACTIVE" {
		t.Errorf("UpdateTable's TableStatus for deletion protection: %s", out.TableDescription.TableStatus)
	}
	// STANDARD asked of a table that never named a class changes nothing;
	// a real change is described with its time.
	do(t, s.UpdateTable, `{"TableName":"cat","TableClass":"STANDARD"}`)
	if d := do(t, s.DescribeTable, `{"TableName":"cat"}`).Table; d.TableClassSummary != nil {
		t.Errorf("TableClassSummary after STANDARD: %+v", d.TableClassSummary)
	}
	clk.Advance(time.Hour)
	before := clk.Now().Truncate(time.Millisecond)
	do(t, s.UpdateTable, `{"TableName":"cat","TableClass":"STANDARD_INFREQUENT_ACCESS"}`)
	if c := do(t, s.DescribeTable, `{"TableName":"cat"}`).Table.TableClassSummary; c == nil || c.TableClass != "STANDARD_INFREQUENT_ACCESS" ||
		c.LastUpdateDateTime == nil || c.LastUpdateDateTime.Before(before) || c.LastUpdateDateTime.After(clk.Now()) {
		t.Errorf("TableClassSummary after a change: %+v", c)
	}
	// Two changes in 30 days, then none, even of the class the table has
	// (ack-api-quirks DDB-TABLE-443); 30 days after the first, one more.
	clk.Advance(24 * time.Hour)
	do(t, s.UpdateTable, `{"TableName":"cat","TableClass":"STANDARD"}`)
	for _, class := range []string{"STANDARD_INFREQUENT_ACCESS", "STANDARD"} {
		if got := refused(t, s.UpdateTable, `{"TableName":"cat","TableClass":"`+class+`"}`); got != "Subscriber limit exceeded: Updates to TableClass are limited to 2 times in 30 day(s)." {
			t.Errorf("a third class change (%s) in 30 days: %q", class, got)
		}
	}
	clk.Advance(29*24*time.Hour - time.Minute)
	if got := refused(t, s.UpdateTable, `{"TableName":"cat","TableClass":"STANDARD_INFREQUENT_ACCESS"}`); got == "" {
		t.Error("a third class change a minute before 30 days passed")
	}
	clk.Advance(time.Minute)
	do(t, s.UpdateTable, `{"TableName":"cat","TableClass":"STANDARD_INFREQUENT_ACCESS"}`)
}

// Quotas DynamoDB answers with LimitExceededException, in its words
// (ack-api-quirks DDB-TABLE-171, 443): 40,000 read or write capacity units
// for a table and for a global index, a twenty-first global index made by
// UpdateTable (CreateTable refuses twenty-one as a ValidationException),
// and two indexes made or removed in one UpdateTable (DDB-TABLE-159).
func TestCatalogueQuotas(t *testing.T) {
	s, _, _ := newService(t)
	const key = `"KeySchema":[{"AttributeName":"k","KeyType":"HASH"}]`
	do(t, s.CreateTable, `{"TableName":"cap",`+key+`,"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],
		"GlobalSecondaryIndexes":[{"IndexName":"by-g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"},
			"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}],
		"ProvisionedThroughput":{"ReadCapacityUnits":40000,"WriteCapacityUnits":40000}}`)
	gsis := func(n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"IndexName":"ix%02d","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}`, i)
		}
		return b.String()
	}
	do(t, s.CreateTable, `{"TableName":"twenty",`+key+`,"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],
		"GlobalSecondaryIndexes":[`+gsis(20)+`],"BillingMode":"PAY_PER_REQUEST"}`)
	for _, tc := range []struct {
		name string
		err  error
		code string
		want string
	}{
		{"a table", refusal(t, s.CreateTable, `{"TableName":"big",`+key+`,"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],
			"ProvisionedThroughput":{"ReadCapacityUnits":40001,"WriteCapacityUnits":1}}`), "LimitExceededException",
			"The requested ReadCapacityUnits, 40001, is above the per table maximum for the account in us-east-1. Per table maximum: 40000. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits."},
		{"a table raised", refusal(t, s.UpdateTable, `{"TableName":"cap","ProvisionedThroughput":{"ReadCapacityUnits":40000,"WriteCapacityUnits":50000}}`), "LimitExceededException",
			"The requested WriteCapacityUnits, 50000, is above the per table maximum for the account in us-east-1. Per table maximum: 40000. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits."},
		{"an index raised", refusal(t, s.UpdateTable, `{"TableName":"cap","GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"by-g","ProvisionedThroughput":{"ReadCapacityUnits":40001,"WriteCapacityUnits":1}}}]}`), "LimitExceededException",
			"The requested ReadCapacityUnits for index by-g, 40001, is above the per index maximum for the account in us-east-1. Per index maximum: 40000. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits."},
		{"a twenty-first index made", refusal(t, s.UpdateTable, `{"TableName":"twenty","GlobalSecondaryIndexUpdates":[{"Create":`+strings.Replace(gsis(1), "ix00", "ix20", 1)+`}]}`), "LimitExceededException",
			"Subscriber limit exceeded: Number of global secondary indexes exceeds per-table limit of 20"},
		{"two indexes made at once", refusal(t, s.UpdateTable, `{"TableName":"cap","GlobalSecondaryIndexUpdates":[{"Create":`+strings.Replace(gsis(1), "ix00", "ix-a", 1)+`},
			{"Create":`+strings.Replace(gsis(1), "ix00", "ix-b", 1)+`}]}`), "LimitExceededException",
			"Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table"},
		{"twenty-one indexes created", refusal(t, s.CreateTable, `{"TableName":"more",`+key+`,"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],
			"GlobalSecondaryIndexes":[`+gsis(21)+`],"BillingMode":"PAY_PER_REQUEST"}`), "ValidationException",
			"One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20"},
	} {
		e, _ := awserr.As(tc.err)
		if e == nil || e.Code != tc.code || e.Message != tc.want {
			t.Errorf("%s: %v, want %s: %s", tc.name, tc.err, tc.code, tc.want)
		}
	}
}
