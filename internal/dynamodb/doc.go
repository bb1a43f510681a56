// Package dynamodb is Amazon DynamoDB on Lakebox's ordered key-value
// store: tables, items kept under order-preserving keys, the expression
// language (conditions, updates, projections, key conditions, filters)
// and DynamoDB's exact decimal numbers.
//
// See docs/dynamodb.md and docs/format/dynamodb.md.
package dynamodb
