package s3

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"errors"

	"github.com/lakebox/lakebox/internal/storage/meta"
)

// Versioning states of a bucket. A bucket that was never configured has
// neither; it can be suspended but never return to that state.
const (
	VersioningEnabled   = "Enabled"
	VersioningSuspended = "Suspended"
)

// httpDate is the format of HTTP date headers (net/http's TimeFormat).
const httpDate = "Mon, 02 Jan 2006 15:04:05 GMT"

// NullVersion is the wire name of the version written while versioning was
// off or suspended. Records store it as "".
const NullVersion = "null"

// Versions of a key are ordered by stamp. The current version lives under
// objectKey, so reads and listings of a bucket that has never been
// versioned pay nothing for versioning; noncurrent versions live under
// versionKey, newest first (docs/format/meta.md).

// stamp returns a new version stamp: Unix nanoseconds of the server clock,
// made strictly increasing.
func (s *Service) stamp() uint64 {
	now := uint64(s.clock.Now().UnixNano())
	for {
		last := s.lastStamp.Load()
		next := max(now, last+1)
		if s.lastStamp.CompareAndSwap(last, next) {
			return next
		}
	}
}

// versionEncoding writes version ids in Crockford's base32: 26 characters
// for 16 bytes, sorting as the stamp they start with.
var versionEncoding = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// newVersionID returns a version id that embeds the version's stamp, so a
// versioned read finds a noncurrent version with one point lookup.
func newVersionID(stamp uint64) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], stamp)
	rand.Read(b[8:])
	return versionEncoding.EncodeToString(b[:])
}

// newInlineID returns the id of a new inline body. Ids start with a stamp,
// so new bodies' data keys sort after every older one: the meta store
// appends them instead of scattering them through its key space, and its
// compactions then move whole sstables of bodies, each referring to the one
// blob file a flush wrote, instead of rewriting the bodies to restore
// locality. (Random ids cost a fifth of a small PUT's CPU in those rewrites.)
func (s *Service) newInlineID() string { return newVersionID(s.stamp()) }

// versionStamp returns the stamp a version id embeds; ok is false for
// strings that are not version ids at all.
func versionStamp(id string) (stamp uint64, ok bool) {
	if len(id) != 26 {
		return 0, false
	}
	b, err := versionEncoding.DecodeString(id)
	if err != nil || len(b) != 16 {
		return 0, false
	}
	return binary.BigEndian.Uint64(b[:8]), true
}

// parseVersionID turns a versionId parameter into a record's VersionID;
// given is false when there was none.
func parseVersionID(v string) (id string, given bool, err error) {
	switch {
	case v == "":
		return "", false, nil
	case v == NullVersion:
		return "", true, nil
	}
	if _, ok := versionStamp(v); !ok {
		return "", false, invalidArgument("versionId", v, "Invalid version id specified")
	}
	return v, true, nil
}

// wireVersion is the x-amz-version-id of a record: "" (no header) only in
// a bucket that has never had versioning.
func wireVersion(b *bucketRecord, o *objectRecord) string {
	switch {
	case o.VersionID != "":
		return o.VersionID
	case b.Versioning != "":
		return NullVersion
	}
	return ""
}

func noSuchVersion(key, id string) error {
	return ErrNoSuchVersion.With("Key", key).With("VersionId", orNull(id))
}

func orNull(id string) string {
	if id == "" {
		return NullVersion
	}
	return id
}

// deleteMarkerError is the error for reading a key whose current version is
// a delete marker (404) or a delete marker by version id (405).
func deleteMarkerError(b *bucketRecord, key string, o *objectRecord, byVersion bool) error {
	var e = ErrNoSuchKey.With("Key", key)
	if byVersion {
		e = ErrMethodNotAllowed.With("Method", "GET").With("ResourceType", "DeleteMarker")
	}
	e = e.WithHeader("x-amz-delete-marker", "true").WithHeader("Last-Modified", o.Modified.UTC().Format(httpDate))
	if v := wireVersion(b, o); v != "" {
		e = e.WithHeader("x-amz-version-id", v)
	}
	return e
}

// version is one version of a key found by findVersion.
type version struct {
	rec     *objectRecord
	current bool
}

// findVersion finds a version of a key by id ("" is the null version).
func (s *Service) findVersion(bucket, key, id string) (version, error) {
	cur, err := s.currentRecord(bucket, key)
	if err != nil {
		return version{}, err
	}
	if cur != nil && cur.VersionID == id {
		return version{rec: cur, current: true}, nil
	}
	if id == "" {
		o, err := s.nullNoncurrent(bucket, key)
		if err != nil || o == nil {
			return version{}, cmpErr(err, noSuchVersion(key, id))
		}
		return version{rec: o}, nil
	}
	stamp, _ := versionStamp(id)
	v, err := s.db.Get(versionKey(bucket, key, stamp))
	if errors.Is(err, meta.ErrNotFound) {
		return version{}, noSuchVersion(key, id)
	}
	if err != nil {
		return version{}, err
	}
	o, err := decodeObject(v)
	if err != nil {
		return version{}, err
	}
	if o.VersionID != id {
		return version{}, noSuchVersion(key, id)
	}
	return version{rec: o}, nil
}

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// currentRecord returns the current version of a key, a delete marker
// included, or nil.
func (s *Service) currentRecord(bucket, key string) (*objectRecord, error) {
	v, err := s.db.Get(objectKey(bucket, key))
	switch {
	case isNotFound(err):
		return nil, nil // the usual answer to a PUT of a new key: build no error
	case err != nil:
		return nil, err
	}
	return decodeObject(v)
}

// nullNoncurrent returns the noncurrent null version of a key, or nil. A
// key has at most one null version; finding it scans the key's versions.
func (s *Service) nullNoncurrent(bucket, key string) (*objectRecord, error) {
	return s.firstNoncurrent(bucket, key, func(o *objectRecord) bool { return o.VersionID == "" })
}

// newestNoncurrent returns the newest noncurrent version of a key, or nil.
func (s *Service) newestNoncurrent(bucket, key string) (*objectRecord, error) {
	return s.firstNoncurrent(bucket, key, func(*objectRecord) bool { return true })
}

// firstNoncurrent returns the newest noncurrent version of a key that match
// accepts (judging by the listing fields), or nil.
func (s *Service) firstNoncurrent(bucket, key string, match func(*objectRecord) bool) (_ *objectRecord, err error) {
	p := keyVersionsPrefix(bucket, key)
	it, err := s.db.NewIter(p, prefixEnd(p))
	if err != nil {
		return nil, err
	}
	defer closeIter(it, &err)
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			return nil, err
		}
		var o objectRecord
		if _, err := o.unmarshalListing(v); err != nil {
			return nil, err
		}
		if match(&o) {
			return decodeObject(v)
		}
	}
	return nil, nil
}

// setCurrent records in b that rec becomes the current version of key,
// replacing cur (nil if none) as the bucket's versioning state says: with
// versioning enabled cur becomes noncurrent; otherwise rec is the null
// version and replaces any other null version. It stamps rec and gives it
// its version id. The returned functions run after b commits.
func (s *Service) setCurrent(b *meta.Batch, bk *bucketRecord, key string, cur, rec *objectRecord) ([]func(), error) {
	rec.Stamp = s.stamp()
	if cur != nil && rec.Stamp <= cur.order() {
		rec.Stamp = cur.order() + 1 // the wall clock stepped back since cur was written
	}
	var after []func()
	switch bk.Versioning {
	case "":
		rec.VersionID = ""
		if cur != nil {
			after = append(after, s.drop(b, cur.Data))
		}
	case VersioningEnabled:
		rec.VersionID = newVersionID(rec.Stamp)
		if cur != nil {
			b.Set(versionKey(bk.Name, key, cur.order()), cur.marshal())
		}
	case VersioningSuspended:
		rec.VersionID = ""
		switch {
		case cur == nil:
		case cur.VersionID == "":
			after = append(after, s.drop(b, cur.Data))
		default:
			b.Set(versionKey(bk.Name, key, cur.order()), cur.marshal())
			old, err := s.nullNoncurrent(bk.Name, key)
			if err != nil {
				return nil, err
			}
			if old != nil {
				b.Delete(versionKey(bk.Name, key, old.order()))
				after = append(after, s.drop(b, old.Data))
			}
		}
	}
	b.Set(objectKey(bk.Name, key), rec.marshal())
	return after, nil
}

// removeVersion records in b the permanent deletion of one version. When it
// is the current one, the newest noncurrent version (possibly a delete
// marker) becomes current.
func (s *Service) removeVersion(b *meta.Batch, bucket, key string, v version) ([]func(), error) {
	if !v.current {
		b.Delete(versionKey(bucket, key, v.rec.order()))
		return []func(){s.drop(b, v.rec.Data)}, nil
	}
	next, err := s.newestNoncurrent(bucket, key)
	if err != nil {
		return nil, err
	}
	if next != nil {
		b.Delete(versionKey(bucket, key, next.order()))
		b.Set(objectKey(bucket, key), next.marshal())
	} else {
		b.Delete(objectKey(bucket, key))
	}
	return []func(){s.drop(b, v.rec.Data)}, nil
}

type PutBucketVersioningInput struct {
	Bucket string
	// Status is VersioningEnabled or VersioningSuspended.
	Status string
	// MFADelete is the configuration's MfaDelete, if any.
	MFADelete string
}

type PutBucketVersioningOutput struct{}

// PutBucketVersioning enables or suspends versioning.
func (s *Service) PutBucketVersioning(ctx context.Context, in *PutBucketVersioningInput) (*PutBucketVersioningOutput, error) {
	switch in.MFADelete {
	case "", "Disabled":
	case "Enabled":
		return nil, ErrNotImplementedMFADelete
	default:
		return nil, ErrMalformedXML
	}
	if in.Status != VersioningEnabled && in.Status != VersioningSuspended {
		return nil, ErrMalformedXML
	}
	err := s.updateBucket(ctx, "s3:PutBucketVersioning", in.Bucket, func(b *bucketRecord) error {
		if b.Lock != nil && in.Status != VersioningEnabled {
			return ErrLockVersions
		}
		b.Versioning = in.Status
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &PutBucketVersioningOutput{}, nil
}

type GetBucketVersioningInput struct{ Bucket string }

type GetBucketVersioningOutput struct {
	// Status is "" for a bucket that has never had versioning configured.
	Status string
}

func (s *Service) GetBucketVersioning(ctx context.Context, in *GetBucketVersioningInput) (*GetBucketVersioningOutput, error) {
	b, err := s.bucket(ctx, in.Bucket, sameRegion, "s3:GetBucketVersioning", "")
	if err != nil {
		return nil, err
	}
	return &GetBucketVersioningOutput{Status: b.Versioning}, nil
}

// keyOf returns the object key of a store key under base: the versions
// prefix's keys end in NUL and a stamp.
func keyOf(storeKey, base []byte) string {
	k := storeKey[len(base):]
	if i := bytes.IndexByte(k, 0); i >= 0 {
		k = k[:i]
	}
	return string(k)
}
