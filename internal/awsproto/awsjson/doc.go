// Package awsjson is the AWS JSON 1.0/1.1 protocol (Kinesis, DynamoDB, Glue,
// Athena, Firehose): today only its error shape, used by the server to answer
// requests for JSON services it cannot route. Operation tables come with the
// first JSON service.
package awsjson
