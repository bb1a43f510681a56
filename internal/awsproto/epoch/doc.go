// Package epoch is the timestamp of the AWS JSON protocols: seconds since
// the Unix epoch as a JSON number with millisecond precision, and in their
// CBOR encoding tag 1 over epoch milliseconds. Domain packages use it for
// their wire structs; it imports nothing but the standard library.
package epoch
