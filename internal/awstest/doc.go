// Package awstest starts a whole Lakebox server inside a test, on a random
// loopback port with a temporary data directory, and hands out real
// aws-sdk-go-v2 clients pointed at it. Servers are independent, so tests
// using them run in parallel.
//
// The S3 client uses virtual-hosted-style addressing, as the SDK does by
// default: its HTTP client dials the test server whatever the host name.
// This package is for tests only.
package awstest
