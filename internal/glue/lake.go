package glue

import (
	"context"
	"io"
	"time"
)

// Lake is the object store crawlers read: the server hands the service
// one over its S3 service. Calls act as the given account, with the
// access that account's own requests would have.
type Lake interface {
	// List calls fn for every object under prefix in bucket, in key order,
	// until fn returns an error (which List returns). A missing bucket is
	// an *awserr.Error (NoSuchBucket).
	List(ctx context.Context, account, bucket, prefix string, fn func(LakeObject) error) error
	// Open returns the current version of an object for random access.
	// The caller must Close it.
	Open(ctx context.Context, account, bucket, key string) (LakeFile, error)
}

// LakeObject is one listed object.
type LakeObject struct {
	Key      string
	Size     int64
	ETag     string
	Modified time.Time
}

// LakeFile is an open object.
type LakeFile interface {
	io.ReaderAt
	io.Closer
	Size() int64
}
