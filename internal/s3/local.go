package s3

import (
	"context"
	"errors"
	"os"
	"path/filepath"

	"github.com/lakebox/lakebox/internal/storage/meta"
)

// ErrNotLocal is returned by LinkBody for a body that is not stored as
// plaintext (encrypted, or compressed in an archive class): it cannot be
// read in place.
var ErrNotLocal = errors.New("s3: body is not stored as plaintext")

// LinkBody makes an object's current body readable as a plain file in dir,
// for the SQL engine: <dir>/<body id>-<name>. A body in a blob file is
// hard-linked (so a later overwrite or delete of the object cannot take it
// away from a query reading it); a small body kept in the meta store is
// written out. Bodies never change, so a file already there is reused:
// the same path for the same bytes, query after query. The caller needs
// s3:GetObject on the object, checked as GetObject does.
func (s *Service) LinkBody(ctx context.Context, bucket, key, dir, name string) (path string, size int64, err error) {
	if _, err := s.HeadObject(ctx, &HeadObjectInput{Bucket: bucket, Key: key}); err != nil {
		return "", 0, err
	}
	for range 3 { // an overwrite between reading the record and linking retries
		rec, err := s.currentObject(bucket, key)
		if err != nil {
			return "", 0, err
		}
		if rec == nil {
			return "", 0, ErrNoSuchKey
		}
		if rec.Data.Sealed != nil || rec.Data.Packed > 0 {
			return "", 0, ErrNotLocal
		}
		path = filepath.Join(dir, rec.Data.ID+"-"+name)
		if _, err := os.Stat(path); err == nil {
			return path, rec.Size, nil
		}
		if rec.Data.Inline {
			v, err := s.db.Get(dataKey(rec.Data.ID))
			if errors.Is(err, meta.ErrNotFound) {
				continue
			}
			if err != nil {
				return "", 0, err
			}
			tmp := path + ".tmp"
			if err := os.WriteFile(tmp, v, 0o600); err != nil {
				return "", 0, err
			}
			return path, rec.Size, os.Rename(tmp, path)
		}
		if err := os.Link(s.blobs.Path(rec.Data.ID), path); err != nil && !errors.Is(err, os.ErrExist) {
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			return "", 0, err
		}
		return path, rec.Size, nil
	}
	return "", 0, errDataGone
}
