// Package meta is Lakebox's metadata store: an embedded, ordered key-value
// store (Pebble) holding all metadata, small object bodies, catalog entries
// and table items. Keys are byte strings compared bytewise; each service owns
// a key prefix (see docs/format/meta.md).
//
// Durability: Batch.Commit returns only after the batch is in the fsync'd
// write-ahead log. Concurrent commits share one fsync (Pebble's group
// commit), so many small durable writes cost far fewer than one fsync each.
//
// The store also remembers whether the previous process closed it cleanly
// (DB.Clean), so owners of files outside it can reconcile after a crash.
//
// Only this package imports Pebble. It returns ErrNotFound for missing keys
// and plain wrapped errors otherwise; it knows nothing about AWS.
package meta
