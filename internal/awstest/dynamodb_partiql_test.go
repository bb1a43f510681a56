package awstest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lakebox/lakebox/internal/awstest"
)

// PartiQL statements do what their item operations do: INSERT refuses a
// duplicate key, UPDATE changes an item that exists, DELETE of a missing
// item succeeds, SELECT queries a partition or scans, with paging.
func TestDynamoDB_PartiQL(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.DynamoDB()
	createAggregates(t, c, "orders")
	exec := func(stmt string, params ...dtypes.AttributeValue) (*dynamodb.ExecuteStatementOutput, error) {
		return c.ExecuteStatement(ctx, &dynamodb.ExecuteStatementInput{Statement: aws.String(stmt), Parameters: params})
	}
	for i := range 5 {
		must[*dynamodb.ExecuteStatementOutput](t)(exec(`INSERT INTO "orders" VALUE {'customer_id': ?, 'date': ?, 'total': ?, 'tags': <<'a', 'b'>>, 'meta': {'n': [1, 'two', TRUE, NULL]}}`,
			str("c-1"), str(fmt.Sprintf("2026-11-%02d", i+1)), num(fmt.Sprintf("%d.5", i))))
	}
	_, err := exec(`INSERT INTO orders VALUE {'customer_id': 'c-1', 'date': '2026-11-01'}`)
	wantCode(t, err, "DuplicateItemException")

	got := must[*dynamodb.ExecuteStatementOutput](t)(exec(`SELECT "date", total FROM orders WHERE customer_id = 'c-1' AND total >= 2 AND "date" BETWEEN '2026-11-01' AND '2026-11-04'`))
	if len(got.Items) != 2 || got.Items[0]["date"].(*dtypes.AttributeValueMemberS).Value != "2026-11-03" || len(got.Items[0]) != 2 {
		t.Fatalf("SELECT: %v", got.Items)
	}
	// A statement that names no attribute scans the table.
	if all := must[*dynamodb.ExecuteStatementOutput](t)(exec(`SELECT * FROM orders`)); len(all.Items) != 5 {
		t.Fatalf("SELECT * FROM orders: %d items", len(all.Items))
	}
	// A second condition on the sort key filters, which a Query's own
	// FilterExpression may not do.
	got = must[*dynamodb.ExecuteStatementOutput](t)(exec(`SELECT "date" FROM orders WHERE customer_id = 'c-1' AND "date" >= '2026-11-03' AND "date" <> '2026-11-04'`))
	if len(got.Items) != 2 || got.Items[0]["date"].(*dtypes.AttributeValueMemberS).Value != "2026-11-03" || got.Items[1]["date"].(*dtypes.AttributeValueMemberS).Value != "2026-11-05" {
		t.Fatalf("SELECT with two sort-key conditions: %v", got.Items)
	}
	_, err = c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("orders"), KeyConditionExpression: aws.String("customer_id = :c"),
		FilterExpression: aws.String("#d <> :d"), ExpressionAttributeNames: map[string]string{"#d": "date"},
		ExpressionAttributeValues: map[string]dtypes.AttributeValue{":c": str("c-1"), ":d": str("2026-11-04")}})
	if wantCode(t, err, "ValidationException"); !strings.Contains(err.Error(), "Filter Expression can only contain non-primary key attributes: Primary key attribute: date") {
		t.Fatalf("a Query filtering on its sort key: %v", err)
	}
	// A sort-key condition is a key condition: Limit counts only the items in range.
	first := must[*dynamodb.ExecuteStatementOutput](t)(c.ExecuteStatement(ctx, &dynamodb.ExecuteStatementInput{
		Statement: aws.String(`SELECT * FROM orders WHERE customer_id = 'c-1' AND "date" > '2026-11-03'`), Limit: aws.Int32(1)}))
	if len(first.Items) != 1 || first.Items[0]["date"].(*dtypes.AttributeValueMemberS).Value != "2026-11-04" {
		t.Fatalf("SELECT with a sort-key range and Limit 1: %v", first.Items)
	}
	all := must[*dynamodb.ExecuteStatementOutput](t)(exec(`SELECT * FROM orders WHERE meta.n[1] = 'two' AND contains(tags, 'b')`))
	if len(all.Items) != 5 {
		t.Fatalf("scan with a document path: %d items", len(all.Items))
	}
	var pages, items int
	for token := (*string)(nil); ; {
		pages++
		out := must[*dynamodb.ExecuteStatementOutput](t)(c.ExecuteStatement(ctx, &dynamodb.ExecuteStatementInput{
			Statement: aws.String(`SELECT * FROM orders WHERE customer_id = ?`), Parameters: []dtypes.AttributeValue{str("c-1")},
			Limit: aws.Int32(2), NextToken: token}))
		items += len(out.Items)
		if token = out.NextToken; token == nil {
			break
		}
	}
	if items != 5 || pages != 3 {
		t.Fatalf("paged SELECT: %d items in %d pages", items, pages)
	}

	upd := must[*dynamodb.ExecuteStatementOutput](t)(exec(`UPDATE orders SET total = total + ?, note = 'rush' SET tags = set_add(tags, <<'c'>>) REMOVE meta WHERE customer_id = 'c-1' AND "date" = '2026-11-01' RETURNING ALL NEW *`, num("0.25")))
	item := upd.Items[0]
	if item["total"].(*dtypes.AttributeValueMemberN).Value != "0.75" || item["note"].(*dtypes.AttributeValueMemberS).Value != "rush" ||
		len(item["tags"].(*dtypes.AttributeValueMemberSS).Value) != 3 || item["meta"] != nil {
		t.Fatalf("UPDATE RETURNING ALL NEW: %v", item)
	}
	_, err = exec(`UPDATE orders SET total = 1 WHERE customer_id = 'c-9' AND "date" = '2026-11-01'`)
	wantCode(t, err, "ConditionalCheckFailedException") // no such item
	_, err = exec(`UPDATE orders SET total = 1 WHERE customer_id = 'c-1' AND "date" = '2026-11-01' AND total > 100`)
	wantCode(t, err, "ConditionalCheckFailedException")
	_, err = exec(`UPDATE orders SET total = 1 WHERE customer_id = 'c-1'`)
	wantCode(t, err, "ValidationException") // not the whole key

	must[*dynamodb.ExecuteStatementOutput](t)(exec(`DELETE FROM orders WHERE customer_id = 'c-9' AND "date" = 'x'`)) // missing: fine
	_, err = exec(`DELETE FROM orders WHERE customer_id = 'c-1' AND "date" = '2026-11-02' AND total > 100`)
	wantCode(t, err, "ConditionalCheckFailedException")
	del := must[*dynamodb.ExecuteStatementOutput](t)(exec(`DELETE FROM orders WHERE customer_id = 'c-1' AND "date" = '2026-11-02' RETURNING ALL OLD *`))
	if len(del.Items) != 1 || del.Items[0]["total"].(*dtypes.AttributeValueMemberN).Value != "1.5" {
		t.Fatalf("DELETE RETURNING ALL OLD: %v", del.Items)
	}

	batch := must[*dynamodb.BatchExecuteStatementOutput](t)(c.BatchExecuteStatement(ctx, &dynamodb.BatchExecuteStatementInput{Statements: []dtypes.BatchStatementRequest{
		{Statement: aws.String(`SELECT total FROM orders WHERE customer_id = 'c-1' AND "date" = '2026-11-03'`)},
		{Statement: aws.String(`SELECT * FROM orders WHERE customer_id = 'c-1' AND "date" = 'none'`)},
		{Statement: aws.String(`SELECT * FROM nope WHERE customer_id = 'c-1' AND "date" = 'x'`)},
	}}))
	if r := batch.Responses; r[0].Item["total"].(*dtypes.AttributeValueMemberN).Value != "2.5" || r[1].Item != nil || r[1].Error != nil ||
		r[2].Error == nil || r[2].Error.Code != dtypes.BatchStatementErrorCodeEnumResourceNotFound {
		t.Fatalf("batch reads: %+v", batch.Responses)
	}
	writes := must[*dynamodb.BatchExecuteStatementOutput](t)(c.BatchExecuteStatement(ctx, &dynamodb.BatchExecuteStatementInput{Statements: []dtypes.BatchStatementRequest{
		{Statement: aws.String(`INSERT INTO orders VALUE {'customer_id': 'c-2', 'date': 'd'}`)},
		{Statement: aws.String(`INSERT INTO orders VALUE {'customer_id': 'c-1', 'date': '2026-11-03'}`)},
	}}))
	if writes.Responses[0].Error != nil || writes.Responses[1].Error == nil || writes.Responses[1].Error.Code != dtypes.BatchStatementErrorCodeEnumDuplicateItem {
		t.Fatalf("batch writes: %+v %+v", writes.Responses[0].Error, writes.Responses[1].Error)
	}
	// A statement's failed condition carries the item when it asks for it.
	writes = must[*dynamodb.BatchExecuteStatementOutput](t)(c.BatchExecuteStatement(ctx, &dynamodb.BatchExecuteStatementInput{Statements: []dtypes.BatchStatementRequest{
		{Statement: aws.String(`UPDATE orders SET n = 1 WHERE customer_id = 'c-2' AND "date" = 'd' AND attribute_exists(n)`),
			ReturnValuesOnConditionCheckFailure: dtypes.ReturnValuesOnConditionCheckFailureAllOld},
	}}))
	if e := writes.Responses[0].Error; e == nil || e.Code != dtypes.BatchStatementErrorCodeEnumConditionalCheckFailed || e.Item["customer_id"].(*dtypes.AttributeValueMemberS).Value != "c-2" {
		t.Fatalf("batch update whose condition fails: %+v", e)
	}
	_, err = c.BatchExecuteStatement(ctx, &dynamodb.BatchExecuteStatementInput{Statements: []dtypes.BatchStatementRequest{
		{Statement: aws.String(`DELETE FROM orders WHERE customer_id = 'c-2' AND "date" = 'd'`), ReturnValuesOnConditionCheckFailure: "UPDATED_OLD"}}})
	wantCode(t, err, "ValidationException")
	// A batch's capacity is its statements', a figure per table.
	batchReads := must[*dynamodb.BatchExecuteStatementOutput](t)(c.BatchExecuteStatement(ctx, &dynamodb.BatchExecuteStatementInput{
		ReturnConsumedCapacity: dtypes.ReturnConsumedCapacityTotal, Statements: []dtypes.BatchStatementRequest{
			{Statement: aws.String(`SELECT * FROM orders WHERE customer_id = 'c-2' AND "date" = 'd'`)},
			{Statement: aws.String(`SELECT * FROM orders WHERE customer_id = 'nobody' AND "date" = 'd'`), ConsistentRead: aws.Bool(true)},
		}}))
	if cc := batchReads.ConsumedCapacity; len(cc) != 1 || aws.ToString(cc[0].TableName) != "orders" || aws.ToFloat64(cc[0].CapacityUnits) != 1.5 {
		t.Fatalf("batch of an eventually consistent read and a consistent one: %+v", cc)
	}
	_, err = c.BatchExecuteStatement(ctx, &dynamodb.BatchExecuteStatementInput{ReturnConsumedCapacity: "ALL", Statements: []dtypes.BatchStatementRequest{
		{Statement: aws.String(`SELECT * FROM orders WHERE customer_id = 'c-2' AND "date" = 'd'`)}}})
	wantCode(t, err, "ValidationException")
	_, err = c.BatchExecuteStatement(ctx, &dynamodb.BatchExecuteStatementInput{Statements: []dtypes.BatchStatementRequest{
		{Statement: aws.String(`INSERT INTO orders VALUE {'customer_id': 'c-3', 'date': 'd'}`)},
		{Statement: aws.String(`SELECT * FROM orders WHERE customer_id = 'c-1' AND "date" = 'd'`)},
	}})
	wantCode(t, err, "ValidationException") // reads and writes mixed

	// Transactions: writes all or none, with a reason per statement.
	tx := func(stmts ...string) error {
		var ps []dtypes.ParameterizedStatement
		for _, st := range stmts {
			ps = append(ps, dtypes.ParameterizedStatement{Statement: aws.String(st)})
		}
		_, err := c.ExecuteTransaction(ctx, &dynamodb.ExecuteTransactionInput{TransactStatements: ps})
		return err
	}
	err = tx(`UPDATE orders SET total = total - 1 WHERE customer_id = 'c-1' AND "date" = '2026-11-03'`,
		`INSERT INTO orders VALUE {'customer_id': 'c-1', 'date': '2026-11-04'}`)
	wantCode(t, err, "TransactionCanceledException")
	if !strings.Contains(err.Error(), "[None, DuplicateItem]") {
		t.Fatalf("cancellation reasons: %v", err)
	}
	err = tx(`EXISTS(SELECT * FROM orders WHERE customer_id = 'c-1' AND "date" = '2026-11-03' AND total > 100)`,
		`INSERT INTO orders VALUE {'customer_id': 'c-4', 'date': 'd'}`)
	wantCode(t, err, "TransactionCanceledException")
	if err := tx(`EXISTS(SELECT * FROM orders WHERE customer_id = 'c-1' AND "date" = '2026-11-05' AND total = 4.5)`,
		`UPDATE orders SET total = total - 1 WHERE customer_id = 'c-1' AND "date" = '2026-11-03'`,
		`INSERT INTO orders VALUE {'customer_id': 'c-4', 'date': 'd', 'total': 1}`); err != nil {
		t.Fatal(err)
	}
	reads := must[*dynamodb.ExecuteTransactionOutput](t)(c.ExecuteTransaction(ctx, &dynamodb.ExecuteTransactionInput{TransactStatements: []dtypes.ParameterizedStatement{
		{Statement: aws.String(`SELECT total FROM orders WHERE customer_id = 'c-1' AND "date" = '2026-11-03'`)},
		{Statement: aws.String(`SELECT * FROM orders WHERE customer_id = ? AND "date" = 'd'`), Parameters: []dtypes.AttributeValue{str("c-4")}},
	}}))
	if reads.Responses[0].Item["total"].(*dtypes.AttributeValueMemberN).Value != "1.5" || reads.Responses[1].Item["total"].(*dtypes.AttributeValueMemberN).Value != "1" {
		t.Fatalf("transaction reads: %v", reads.Responses)
	}
	_, err = exec(`EXISTS(SELECT * FROM orders WHERE customer_id = 'c-4' AND "date" = 'd')`)
	wantCode(t, err, "ValidationException") // only in transactions

	for _, bad := range []string{`SELECT * FORM orders`, `SELECT * FROM orders WHERE`, `INSERT INTO orders VALUE 5`, `DROP TABLE orders`, `SELECT * FROM orders WHERE customer_id = ?`} {
		_, err = exec(bad)
		wantCode(t, err, "ValidationException")
	}
}
