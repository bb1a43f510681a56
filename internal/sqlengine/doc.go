// Package sqlengine is the embedded SQL engine (DuckDB through cgo) and the
// only package that imports it, so binaries and tests that need no SQL do
// not pay its link time. A Session is one connection: temporary views made
// in it are its own, and closing it drops them.
//
// It knows nothing of Athena, Glue or S3; it must not import net/http.
package sqlengine
