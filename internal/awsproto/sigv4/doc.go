// Package sigv4 authenticates AWS Signature Version 4 requests in all the
// forms the SDKs send: the Authorization header, presigned query strings,
// signed and unsigned payload hashes, aws-chunked streaming bodies with
// per-chunk signatures, and aws-chunked bodies with checksum trailers.
//
// Parse reads what a request claims (access key, scope, signed headers)
// without any secret, so the server can route by the credential scope's
// service first. Verifier.Verify then checks the signature against the known
// keys and replaces the request body with one that enforces the payload
// claim: a body whose SHA-256 or chunk signatures do not match fails on Read
// with an *awserr.Error, so a handler that streams the body to storage never
// commits an unauthenticated byte. Trailing headers of aws-chunked bodies
// (x-amz-checksum-*) are placed in http.Request.Trailer when the body reaches
// EOF.
//
// Time comes from an injected wall-clock function, never from time.Now.
// The package imports awserr and auth only; it holds no package-level mutable
// state.
package sigv4
