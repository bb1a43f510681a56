// Package s3 is Lakebox's object store: buckets, objects, multipart uploads,
// listings and tags, with the semantics of Amazon S3.
//
// Service methods take and return this package's own Input/Output structs and
// fail with *awserr.Error values listed in errors.go; package s3http turns
// HTTP requests into calls and results back into S3's REST-XML. This package
// must not import net/http or any AWS SDK.
//
// Storage: metadata lives in the meta store under the "s3/" prefix (layout in
// docs/format/meta.md). Object bodies up to Options.InlineMax bytes are kept
// in the meta store next to their record, so a small PUT costs one
// group-committed fsync; larger bodies are blob files.
//
// Invariants:
//   - A 2xx means the body and its record are durable: the blob (if any) is
//     fsync'd before the record commits with a synced batch.
//   - A record is the only way to reach a body. Every file blob that a record
//     references has a reference key (s3/r/<id>) written in the same batch,
//     so reconciliation after a crash can tell orphans from live blobs.
//   - Writers to one object key serialize on a striped key lock; the last
//     commit wins atomically and readers see either the old or the new
//     object, never a mix.
//
// Lock order: keyLocks (sorted by stripe) before bucketLocks; neither is held
// across a body upload, only around the read-check-commit of metadata.
package s3
