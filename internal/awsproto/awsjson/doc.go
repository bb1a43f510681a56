// Package awsjson is the AWS JSON 1.0/1.1 protocol (Glue, Athena, Kinesis,
// Firehose, DynamoDB): a POST whose X-Amz-Target header names the
// operation, a JSON body in and out, errors as {"__type", "message"}.
//
// A service is a table of operations built with Op, which decodes the body
// into the domain input struct, calls the domain method and encodes its
// output. Handlers never write error bodies; Service.ServeHTTP does.
//
// Domain packages must not import this package (it imports net/http); their
// timestamps use package epoch, which encodes as these protocols do.
package awsjson
