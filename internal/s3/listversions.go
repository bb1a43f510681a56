package s3

import (
	"bytes"
	"context"
	"time"

	"github.com/lakebox/lakebox/internal/storage/meta"
)

type ListObjectVersionsInput struct {
	Bucket    string
	Prefix    string
	Delimiter string
	// MaxKeys caps versions plus common prefixes; above 1000 means 1000.
	MaxKeys int
	// KeyMarker and VersionIDMarker resume a listing after that version
	// (after every version of KeyMarker when VersionIDMarker is empty).
	KeyMarker, VersionIDMarker string
}

// ObjectVersion is one version, or delete marker, in a listing.
type ObjectVersion struct {
	Key          string
	VersionID    string // the wire form: "null" for the null version
	IsLatest     bool
	DeleteMarker bool
	Modified     time.Time
	Owner        Owner
	// The rest are zero for delete markers.
	ETag         string
	Size         int64
	StorageClass string
	Checksum     Checksum // algorithm and type only
}

type ListObjectVersionsOutput struct {
	// Versions holds versions and delete markers in listing order: by key,
	// newest first.
	Versions       []ObjectVersion
	CommonPrefixes []string
	IsTruncated    bool
	// NextKeyMarker and NextVersionIDMarker resume a truncated listing.
	NextKeyMarker, NextVersionIDMarker string
}

// ListObjectVersions lists every version and delete marker of a bucket's
// keys, rolling keys that contain Delimiter after Prefix into common
// prefixes.
func (s *Service) ListObjectVersions(ctx context.Context, in *ListObjectVersionsInput) (_ *ListObjectVersionsOutput, err error) {
	if _, err := s.bucket(ctx, in.Bucket, sameRegion, "s3:ListBucketVersions", ""); err != nil {
		return nil, err
	}
	if in.MaxKeys < 0 {
		return nil, invalidArgument("max-keys", itoa(in.MaxKeys), "Argument maxKeys must be an integer between 0 and 2147483647")
	}
	if in.VersionIDMarker != "" && in.KeyMarker == "" {
		return nil, invalidArgument("version-id-marker", in.VersionIDMarker, "A version-id marker cannot be specified without a key marker.")
	}
	markerID, _, err := parseVersionID(in.VersionIDMarker)
	if err != nil {
		return nil, invalidArgument("version-id-marker", in.VersionIDMarker, "Invalid version id specified")
	}
	out := &ListObjectVersionsOutput{}
	limit := min(in.MaxKeys, MaxListKeys)
	if limit == 0 {
		return out, nil
	}

	c := &versionCursor{curBase: objectPrefix(in.Bucket), oldBase: versionsPrefix(in.Bucket)}
	if err := c.open(s.db, in.Prefix); err != nil {
		return nil, err
	}
	defer c.close(&err)
	if in.KeyMarker < in.Prefix {
		c.first()
	} else if err := s.seekAfter(c, in.Bucket, in.KeyMarker, in.VersionIDMarker != "", markerID); err != nil {
		return nil, err
	}

	owners := map[string]Owner{}
	count := 0
	for c.valid() {
		key, current := c.at()
		if cp, rolled := commonPrefix(key, in.Prefix, in.Delimiter); rolled {
			if cp > in.KeyMarker {
				if count == limit {
					out.IsTruncated = true
					break
				}
				out.CommonPrefixes = append(out.CommonPrefixes, cp)
				out.NextKeyMarker, out.NextVersionIDMarker = cp, ""
				count++
			}
			c.seekPrefixEnd(cp)
			continue
		}
		if count == limit {
			out.IsTruncated = true
			break
		}
		v, err := c.value(current)
		if err != nil {
			return nil, err
		}
		var o objectRecord
		if _, err := o.unmarshalListing(v); err != nil {
			return nil, err
		}
		if _, ok := owners[o.Owner]; !ok {
			owners[o.Owner] = OwnerOf(o.Owner)
		}
		ov := ObjectVersion{
			Key: key, VersionID: orNull(o.VersionID), IsLatest: current, DeleteMarker: o.DeleteMarker,
			Modified: o.Modified, Owner: owners[o.Owner],
		}
		if !o.DeleteMarker {
			ov.ETag, ov.Size, ov.StorageClass = o.ETag, o.Size, o.storageClass()
			ov.Checksum = Checksum{Algorithm: o.Checksum.Algorithm, Type: o.Checksum.Type}
		}
		out.Versions = append(out.Versions, ov)
		out.NextKeyMarker, out.NextVersionIDMarker = key, ov.VersionID
		count++
		c.next(current)
	}
	if !out.IsTruncated {
		out.NextKeyMarker, out.NextVersionIDMarker = "", ""
	}
	return out, nil
}

// seekAfter positions c after the marker: after every version of key, or,
// when byVersion, after the version id of key.
func (s *Service) seekAfter(c *versionCursor, bucket, key string, byVersion bool, id string) error {
	pastKey := append(append(bytes.Clone(c.curBase), key...), 0)
	if !byVersion {
		// Noncurrent entries of key are key NUL stamp: key 0x01 is past them
		// and before every greater key.
		c.seek(pastKey, append(append(bytes.Clone(c.oldBase), key...), 1))
		return nil
	}
	v, err := s.findVersion(bucket, key, id)
	switch {
	case err == nil && v.current:
		c.seek(pastKey, keyVersionsPrefix(bucket, key))
	case err == nil:
		c.seek(pastKey, versionKey(bucket, key, v.rec.order()))
		if c.oldOK && bytes.Equal(c.old.Key(), versionKey(bucket, key, v.rec.order())) {
			c.next(false)
		}
	case isCode(err, "NoSuchVersion"):
		// The marker version is gone: resume at the next older one.
		if stamp, ok := versionStamp(id); ok {
			c.seek(pastKey, versionKey(bucket, key, stamp))
		} else {
			c.seek(pastKey, append(append(bytes.Clone(c.oldBase), key...), 1))
		}
	default:
		return err
	}
	return nil
}

// versionCursor walks a bucket's versions in listing order (by key, then
// newest first) by merging the current versions' range with the noncurrent
// versions' range.
type versionCursor struct {
	curBase, oldBase []byte
	cur, old         *meta.Iter
	curOK, oldOK     bool
}

func (c *versionCursor) open(db *meta.DB, prefix string) error {
	var err error
	lower := append(bytes.Clone(c.curBase), prefix...)
	if c.cur, err = db.NewIter(lower, prefixEnd(lower)); err != nil {
		return err
	}
	lower = append(bytes.Clone(c.oldBase), prefix...)
	if c.old, err = db.NewIter(lower, prefixEnd(lower)); err != nil {
		c.cur.Close()
		return err
	}
	return nil
}

func (c *versionCursor) close(err *error) {
	closeIter(c.cur, err)
	closeIter(c.old, err)
}

func (c *versionCursor) first() { c.curOK, c.oldOK = c.cur.First(), c.old.First() }

func (c *versionCursor) seek(cur, old []byte) {
	c.curOK, c.oldOK = c.cur.SeekGE(cur), c.old.SeekGE(old)
}

// seekPrefixEnd moves past every key that starts with p.
func (c *versionCursor) seekPrefixEnd(p string) {
	cur, old := prefixEnd(append(bytes.Clone(c.curBase), p...)), prefixEnd(append(bytes.Clone(c.oldBase), p...))
	c.curOK = cur != nil && c.cur.SeekGE(cur)
	c.oldOK = old != nil && c.old.SeekGE(old)
}

func (c *versionCursor) valid() bool { return c.curOK || c.oldOK }

// at returns the key of the next entry and whether it is a current version.
// A key's current version comes before its noncurrent ones.
func (c *versionCursor) at() (key string, current bool) {
	if !c.oldOK {
		return string(c.cur.Key()[len(c.curBase):]), true
	}
	old := keyOf(c.old.Key(), c.oldBase)
	if c.curOK {
		if cur := string(c.cur.Key()[len(c.curBase):]); cur <= old {
			return cur, true
		}
	}
	return old, false
}

func (c *versionCursor) value(current bool) ([]byte, error) {
	if current {
		return c.cur.Value()
	}
	return c.old.Value()
}

func (c *versionCursor) next(current bool) {
	if current {
		c.curOK = c.cur.Next()
	} else {
		c.oldOK = c.old.Next()
	}
}
