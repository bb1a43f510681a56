// Package ddbhttp serves DynamoDB's JSON 1.0 protocol
// (DynamoDB_20120810.*) from a dynamodb.Service.
package ddbhttp
