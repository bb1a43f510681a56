package s3

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"time"

	"github.com/lakebox/lakebox/internal/storage/meta"
)

type ListObjectsInput struct {
	Bucket    string
	Prefix    string
	Delimiter string
	// MaxKeys caps keys plus common prefixes; values above 1000 mean 1000.
	MaxKeys int
	// After lists only keys (and common prefixes) greater than it: the V1
	// marker or the V2 start-after.
	After string
	// ContinuationToken resumes a V2 listing; it wins over After.
	ContinuationToken string
}

// ListEntry is one object in a listing.
type ListEntry struct {
	Key          string
	Modified     time.Time
	ETag         string
	Size         int64
	StorageClass string
	Owner        Owner
	Checksum     Checksum // value left empty: listings carry only the algorithm and type
}

type ListObjectsOutput struct {
	Contents       []ListEntry
	CommonPrefixes []string
	IsTruncated    bool
	// NextMarker is the last key or common prefix returned when truncated.
	NextMarker string
	// NextContinuationToken resumes after NextMarker.
	NextContinuationToken string
}

// ListObjects lists a bucket's objects in key order, rolling keys that
// contain Delimiter after Prefix up into common prefixes.
func (s *Service) ListObjects(ctx context.Context, in *ListObjectsInput) (_ *ListObjectsOutput, err error) {
	bk, err := s.bucket(ctx, in.Bucket, sameRegion, "s3:ListBucket", "")
	if err != nil {
		return nil, err
	}
	if in.MaxKeys < 0 {
		return nil, invalidArgument("max-keys", itoa(in.MaxKeys), "Argument maxKeys must be an integer between 0 and 2147483647")
	}
	maxKeys := min(in.MaxKeys, MaxListKeys)
	after := in.After
	if in.ContinuationToken != "" {
		raw, err := base64.RawURLEncoding.DecodeString(in.ContinuationToken)
		if err != nil {
			return nil, invalidArgument("continuation-token", in.ContinuationToken, "The continuation token provided is incorrect")
		}
		after = string(raw)
	}
	out := &ListObjectsOutput{}
	if maxKeys == 0 {
		return out, nil
	}

	base := objectPrefix(in.Bucket)
	lower := append(bytes.Clone(base), in.Prefix...)
	upper := prefixEnd(lower)
	it, err := s.db.NewIter(lower, upper)
	if err != nil {
		return nil, err
	}
	defer closeIter(it, &err)

	ok := it.First()
	if after >= in.Prefix {
		ok = it.SeekGE(append(append(bytes.Clone(base), after...), 0))
	}
	owners := map[string]Owner{}  // OwnerOf hashes; a listing has few owners
	var live func() (bool, error) // only a versioned bucket has delete markers
	if bk.Versioning != "" {
		live = func() (bool, error) {
			v, err := it.Value()
			return err == nil && !isDeleteMarker(v), err
		}
	}
	out.IsTruncated, err = walk(it, ok, base, in.Prefix, in.Delimiter, after, maxKeys, func(n string) string { return n }, live,
		func(key string, isPrefix bool) error {
			out.NextMarker = key
			if isPrefix {
				out.CommonPrefixes = append(out.CommonPrefixes, key)
				return nil
			}
			v, err := it.Value()
			if err != nil {
				return err
			}
			var o objectRecord
			if _, err := o.unmarshalListing(v); err != nil {
				return err
			}
			if _, ok := owners[o.Owner]; !ok {
				owners[o.Owner] = OwnerOf(o.Owner)
			}
			out.Contents = append(out.Contents, ListEntry{
				Key:          key,
				Modified:     o.Modified,
				ETag:         o.ETag,
				Size:         o.Size,
				StorageClass: o.storageClass(),
				Owner:        owners[o.Owner],
				Checksum:     Checksum{Algorithm: o.Checksum.Algorithm, Type: o.Checksum.Type},
			})
			return nil
		})
	if err != nil {
		return nil, err
	}
	if out.IsTruncated {
		out.NextContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(out.NextMarker))
	} else {
		out.NextMarker = ""
	}
	return out, nil
}

// walk visits, in order, the names under base+prefix that the iterator
// (positioned by the caller; ok says whether it is at a key) reaches:
// names that contain delim after prefix are rolled up into common prefixes,
// each visited once, and only those greater than after. Names are the
// store keys without base, cut by name. When live is set, entries it
// refuses are passed over, and a common prefix is visited only if a live
// entry is under it. walk visits at most limit names and reports whether
// it stopped with more to visit.
func walk(it *meta.Iter, ok bool, base []byte, prefix, delim, after string, limit int,
	name func(string) string, live func() (bool, error), visit func(name string, isPrefix bool) error) (truncated bool, err error) {
	isLive := func() (bool, error) {
		if live == nil {
			return true, nil
		}
		return live()
	}
	count := 0
	for ok {
		n := name(string(it.Key()[len(base):]))
		if cp, rolled := commonPrefix(n, prefix, delim); rolled {
			next := prefixEnd(append(bytes.Clone(base), cp...))
			if cp > after {
				found, err := isLive()
				for !found && err == nil {
					if ok = it.Next(); !ok || !bytes.HasPrefix(it.Key()[len(base):], []byte(cp)) {
						break
					}
					found, err = isLive()
				}
				if err != nil {
					return false, err
				}
				if !found {
					continue // nothing live under cp; the iterator is past it
				}
				if count == limit {
					return true, nil
				}
				if err := visit(cp, true); err != nil {
					return false, err
				}
				count++
			}
			// Skip every other key under the common prefix.
			if next == nil {
				return false, nil
			}
			ok = it.SeekGE(next)
			continue
		}
		found, err := isLive()
		if err != nil {
			return false, err
		}
		if found {
			if count == limit {
				return true, nil
			}
			if err := visit(n, false); err != nil {
				return false, err
			}
			count++
		}
		ok = it.Next()
	}
	return false, nil
}

// commonPrefix returns the common prefix key rolls up into: prefix plus
// everything up to and including the first delimiter after it.
func commonPrefix(key, prefix, delim string) (string, bool) {
	if delim == "" {
		return "", false
	}
	i := strings.Index(key[len(prefix):], delim)
	if i < 0 {
		return "", false
	}
	return key[:len(prefix)+i+len(delim)], true
}

// closeIter closes an iterator and reports its error through *err unless an
// earlier error is already there.
func closeIter(it *meta.Iter, err *error) {
	if cerr := it.Close(); *err == nil {
		*err = cerr
	}
}
