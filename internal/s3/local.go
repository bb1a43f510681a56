package s3

import (
	"context"
	"errors"
	"os"

	"github.com/lakebox/lakebox/internal/storage/meta"
)

// LocalBody is where an object's current body can be read without going
// through GetObject: a plain file (Path), or, for a small body kept in the
// meta store, its bytes (Inline).
type LocalBody struct {
	Path   string
	Inline []byte
	Size   int64
	ETag   string
}

// ErrNotLocal is returned by LinkBody for a body that is not stored as
// plaintext (encrypted or compressed in an archive class): it cannot be
// read in place.
var ErrNotLocal = errors.New("s3: body is not stored as plaintext")

// LinkBody gives the SQL engine an object's current body for reading in
// place: a file body is hard-linked to dst (so a concurrent overwrite or
// delete cannot take it away mid-query) and an inline body returned. The
// caller needs s3:GetObject on the object, checked as GetObject does.
func (s *Service) LinkBody(ctx context.Context, bucket, key, dst string) (LocalBody, error) {
	head, err := s.HeadObject(ctx, &HeadObjectInput{Bucket: bucket, Key: key})
	if err != nil {
		return LocalBody{}, err
	}
	for range 3 { // an overwrite between reading the record and linking retries
		rec, err := s.currentObject(bucket, key)
		if err != nil {
			return LocalBody{}, err
		}
		if rec == nil {
			return LocalBody{}, ErrNoSuchKey
		}
		if rec.Data.Sealed != nil || rec.Data.Packed > 0 {
			return LocalBody{}, ErrNotLocal
		}
		body := LocalBody{Size: rec.Size, ETag: head.Object.ETag}
		if rec.Data.Inline {
			v, err := s.db.Get(dataKey(rec.Data.ID))
			if errors.Is(err, meta.ErrNotFound) {
				continue
			}
			body.Inline = v
			return body, err
		}
		if err := os.Link(s.blobs.Path(rec.Data.ID), dst); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			return LocalBody{}, err
		}
		body.Path = dst
		return body, nil
	}
	return LocalBody{}, errDataGone
}
