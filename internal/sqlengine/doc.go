// Package sqlengine is the embedded SQL engine (DuckDB through cgo) and the
// only package that imports it, so binaries and tests that need no SQL do
// not pay its link time. A Session is one pooled connection, with Trino's
// integer division and UTC set once when the connection is made: callers
// keep no state in a session (no temporary objects, no settings), since
// the next query may reuse its connection.
//
// It knows nothing of Athena, Glue or S3; it must not import net/http.
package sqlengine
