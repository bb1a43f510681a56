// Package gluehttp puts the Glue service on the wire: AWS JSON 1.1 with the
// target prefix "AWSGlue". It is only the table of operations; decoding,
// encoding and errors are package awsjson's.
package gluehttp
