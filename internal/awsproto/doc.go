// Package awsproto holds what every AWS protocol adapter shares: the
// per-request information (request id, service, operation) that the server
// creates and adapters fill in, for logs and metrics.
//
// The codecs live in subpackages (restxml, later awsjson, awsquery,
// rpcv2cbor); the one client-facing error type lives in awserr; request
// authentication in sigv4.
package awsproto
