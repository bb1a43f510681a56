// Package blob keeps object bytes in plain files, one file per blob, named
// by a random id and never by an object key: no key can become a path, so no
// key can escape the data directory.
//
// A blob is written once and never modified. Writer.Commit returns only after
// the file's bytes and its directory entry are fsync'd; the owner then
// commits metadata that references the id. A crash between the two leaves an
// unreferenced file that the owner's reconciliation removes (see
// docs/format/blobs.md). Files are plain (neither compressed nor framed), so
// the SQL engine can read Parquet, CSV and JSON objects in place.
//
// Layout: <dir>/<first two id characters>/<id>. The package knows nothing of
// objects, buckets or AWS; it returns ErrNotFound for a missing blob.
package blob
