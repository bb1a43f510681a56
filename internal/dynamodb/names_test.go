package dynamodb

import (
	"context"
	"strings"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// fail runs a request that must fail and returns its error's message.
func fail[In, Out any](t *testing.T, f func(context.Context, *In) (*Out, error), request string) string {
	t.Helper()
	in := new(In)
	if err := jsonv2.Unmarshal([]byte(request), in); err != nil {
		t.Fatal(err)
	}
	_, err := f(context.Background(), in)
	e, ok := awserr.As(err)
	if !ok {
		t.Fatalf("%s: %v, want an AWS error", request, err)
	}
	return e.Code + ": " + e.Message
}

// Table, index and backup names break the model's pattern, its length, or
// both, and DynamoDB lists every rule broken, the pattern first, at the
// request's own member.
func TestNameRules(t *testing.T) {
	s, _, _ := newService(t)
	do(t, s.CreateTable, `{"TableName":"named","BillingMode":"PAY_PER_REQUEST",
		"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}]}`)
	const (
		pattern = "failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
		short   = "failed to satisfy constraint: Member must have length greater than or equal to 3"
		long    = "failed to satisfy constraint: Member must have length less than or equal to 255"
	)
	table := func(name, gsi, lsi string) string {
		return `{"TableName":"` + name + `","BillingMode":"PAY_PER_REQUEST",
			"KeySchema":[{"AttributeName":"id","KeyType":"HASH"},{"AttributeName":"r","KeyType":"RANGE"}],
			"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"},{"AttributeName":"r","AttributeType":"S"}],
			"GlobalSecondaryIndexes":[{"IndexName":"` + gsi + `","KeySchema":[{"AttributeName":"r","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}],
			"LocalSecondaryIndexes":[{"IndexName":"` + lsi + `","KeySchema":[{"AttributeName":"id","KeyType":"HASH"},{"AttributeName":"r","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]}`
	}
	tooLong := strings.Repeat("x", 256)
	tests := []struct {
		name string
		got  func() string
		want string
	}{
		{"short table name", func() string { return fail(t, s.CreateTable, table("ab", "gsi", "lsi")) },
			"ValidationException: 1 validation error detected: Value 'ab' at 'tableName' " + short},
		{"empty table name", func() string { return fail(t, s.CreateTable, table("", "gsi", "lsi")) },
			"ValidationException: 2 validation errors detected: Value '' at 'tableName' " + pattern + "; Value '' at 'tableName' " + short},
		{"long table name", func() string { return fail(t, s.CreateTable, table(tooLong, "gsi", "lsi")) },
			"ValidationException: 1 validation error detected: Value '" + tooLong + "' at 'tableName' " + long},
		{"table and index names", func() string { return fail(t, s.CreateTable, table("a;", "g!h", "ok-name")) },
			"ValidationException: 3 validation errors detected: Value 'a;' at 'tableName' " + pattern + "; Value 'a;' at 'tableName' " + short +
				"; Value 'g!h' at 'globalSecondaryIndexes.1.member.indexName' " + pattern},
		{"local index name", func() string { return fail(t, s.CreateTable, table("fine", "gsi", "l")) },
			"ValidationException: 1 validation error detected: Value 'l' at 'localSecondaryIndexes.1.member.indexName' " + short},
		{"index to create", func() string {
			return fail(t, s.UpdateTable, `{"TableName":"named","AttributeDefinitions":[{"AttributeName":"g","AttributeType":"S"}],
				"GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"gg;","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}}]}`)
		}, "ValidationException: 1 validation error detected: Value 'gg;' at 'globalSecondaryIndexUpdates.1.member.create.indexName' " + pattern},
		{"index to delete", func() string {
			return fail(t, s.UpdateTable, `{"TableName":"named","GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"x"}}]}`)
		}, "ValidationException: 1 validation error detected: Value 'x' at 'globalSecondaryIndexUpdates.1.member.delete.indexName' " + short},
		{"backup name", func() string { return fail(t, s.CreateBackup, `{"TableName":"named","BackupName":"b"}`) },
			"ValidationException: 1 validation error detected: Value 'b' at 'backupName' " + short},
		// Terraform's provider disables TTL so (hashicorp/terraform-provider-aws#39195).
		{"TTL attribute name", func() string {
			return fail(t, s.UpdateTimeToLive, `{"TableName":"named","TimeToLiveSpecification":{"AttributeName":"","Enabled":false}}`)
		}, "ValidationException: 1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		// Left out, it is null to the model, not empty.
		{"TTL attribute name missing", func() string {
			return fail(t, s.UpdateTimeToLive, `{"TableName":"named","TimeToLiveSpecification":{"Enabled":true}}`)
		}, "ValidationException: 1 validation error detected: Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null"},
		{"TTL specification empty", func() string {
			return fail(t, s.UpdateTimeToLive, `{"TableName":"named","TimeToLiveSpecification":{}}`)
		}, "ValidationException: 2 validation errors detected: Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null; " +
			"Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null"},
		// A restore's target is named by targetTableName.
		{"restore target", func() string {
			arn := do(t, s.CreateBackup, `{"TableName":"named","BackupName":"bak"}`).BackupDetails.BackupArn
			return fail(t, s.RestoreTableFromBackup, `{"BackupArn":"`+arn+`","TargetTableName":"x;"}`)
		}, "ValidationException: 2 validation errors detected: Value 'x;' at 'targetTableName' " + pattern + "; Value 'x;' at 'targetTableName' " + short},
		// A Query's or a Scan's index.
		{"index read", func() string {
			return fail(t, s.Query, `{"TableName":"named","IndexName":"ab","KeyConditionExpression":"id = :v","ExpressionAttributeValues":{":v":{"S":"x"}}}`)
		},
			"ValidationException: 1 validation error detected: Value 'ab' at 'indexName' " + short},
		{"index missing", func() string { return fail(t, s.Scan, `{"TableName":"named","IndexName":"nowhere"}`) },
			"ValidationException: The table does not have the specified index: nowhere"},
		{"missing table", func() string { return fail(t, s.GetItem, `{"TableName":"missing","Key":{"id":{"S":"x"}}}`) },
			"ResourceNotFoundException: Requested resource not found"},
		{"no table name", func() string { return fail(t, s.GetItem, `{"Key":{"id":{"S":"x"}}}`) },
			"ValidationException: 1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.got(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
