// Package epoch is the timestamp of the AWS JSON protocols: seconds since
// the Unix epoch as a JSON number with millisecond precision. Domain
// packages use it for their wire structs; it imports nothing but the
// standard library's time and strconv.
package epoch
