package s3

import (
	"encoding/binary"
	"errors"
	"maps"
	"slices"
	"strconv"
	"time"
)

// Object records are the hottest values in the store: every GET decodes
// one and a listing decodes a thousand. They use a compact binary form
// (docs/format/meta.md) instead of JSON; the fields a listing needs come
// first, so a listing decodes only those.
const (
	objectFormatV1 = 1
	objectFormatV2 = 2 // adds flags, stamp and version id after the format byte

	flagDeleteMarker = 1 << 0
)

var errBadRecord = errors.New("s3: malformed object record")

func (o *objectRecord) marshal() []byte {
	var e encoder
	e.b = make([]byte, 0, 160)
	var flags byte
	if o.DeleteMarker {
		flags |= flagDeleteMarker
	}
	e.b = append(e.b, objectFormatV2, flags)
	// Listing fields.
	e.uvarint(o.Stamp)
	e.str(o.VersionID)
	e.varint(o.Size)
	e.varint(o.Modified.UnixNano())
	e.str(o.ETag)
	e.str(o.StorageClass)
	e.str(o.Owner)
	e.str(o.Checksum.Algorithm)
	e.str(o.Checksum.Type)
	// The rest.
	e.str(o.Checksum.Value)
	e.str(o.Data.ID)
	e.bool(o.Data.Inline)
	h := o.Headers
	for _, s := range []string{h.ContentType, h.ContentEncoding, h.ContentDisposition, h.ContentLanguage, h.CacheControl, h.Expires} {
		e.str(s)
	}
	e.uvarint(uint64(len(o.Metadata)))
	for _, k := range slices.Sorted(maps.Keys(o.Metadata)) {
		e.str(k)
		e.str(o.Metadata[k])
	}
	e.uvarint(uint64(len(o.Tags)))
	for _, t := range o.Tags {
		e.str(t.Key)
		e.str(t.Value)
	}
	e.uvarint(uint64(len(o.Parts)))
	for _, p := range o.Parts {
		e.varint(p.Size)
		e.str(p.Checksum)
	}
	// Optional fields, in tag order, only when set.
	enc := o.Encryption
	for _, f := range []struct {
		tag byte
		v   string
	}{
		{tagEncMode, enc.Mode}, {tagEncKMSKey, enc.KMSKeyID}, {tagEncContext, enc.Context},
		{tagEncBucketKey, flag(enc.BucketKey)}, {tagEncKeyMD5, enc.KeyMD5}, {tagSealed, string(o.Data.Sealed)},
		{tagRestoreReady, unixNano(o.Restore.Ready)}, {tagRestoreExpires, unixNano(o.Restore.Expires)},
		{tagPacked, decimal(o.Data.Packed)}, {tagAccessed, unixNano(o.Accessed)},
		{tagLockMode, o.Lock.Mode}, {tagLockUntil, unixNano(o.Lock.Until)}, {tagLegalHold, flag(o.Lock.LegalHold)},
	} {
		if f.v != "" {
			e.b = append(e.b, f.tag)
			e.str(f.v)
		}
	}
	return e.b
}

// Tags of a format 2 record's optional fields, which follow the fixed ones
// as (tag byte, str) pairs in increasing tag order.
const (
	tagEncMode        = 1
	tagEncKMSKey      = 2
	tagEncContext     = 3
	tagEncBucketKey   = 4
	tagEncKeyMD5      = 5
	tagSealed         = 6
	tagRestoreReady   = 7 // decimal Unix nanoseconds
	tagRestoreExpires = 8
	tagPacked         = 9 // decimal stored length of a zstd-compressed body
	tagAccessed       = 10
	tagLockMode       = 11
	tagLockUntil      = 12
	tagLegalHold      = 13 // "1"
)

func flag(b bool) string {
	if b {
		return "1"
	}
	return ""
}

func decimal(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

func unixNano(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return strconv.FormatInt(t.UnixNano(), 10)
}

// timeField decodes a unixNano field.
func (d *decoder) timeField(v string) time.Time {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		d.err = errBadRecord
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// unmarshalListing decodes only the fields a listing shows.
func (o *objectRecord) unmarshalListing(b []byte) (*decoder, error) {
	if len(b) == 0 {
		return nil, errBadRecord
	}
	d := &decoder{b: b[1:]}
	switch b[0] {
	case objectFormatV1:
	case objectFormatV2:
		if len(d.b) == 0 {
			return nil, errBadRecord
		}
		o.DeleteMarker = d.b[0]&flagDeleteMarker != 0
		d.b = d.b[1:]
		o.Stamp = d.uvarint()
		o.VersionID = d.str()
	default:
		return nil, errBadRecord
	}
	o.Size = d.varint()
	o.Modified = time.Unix(0, d.varint()).UTC()
	o.ETag = d.str()
	o.StorageClass = d.str()
	o.Owner = d.str()
	o.Checksum.Algorithm = d.str()
	o.Checksum.Type = d.str()
	return d, d.err
}

func (o *objectRecord) unmarshal(b []byte) error {
	d, err := o.unmarshalListing(b)
	if err != nil {
		return err
	}
	o.Checksum.Value = d.str()
	o.Data.ID = d.str()
	o.Data.Inline = d.bool()
	h := &o.Headers
	for _, s := range []*string{&h.ContentType, &h.ContentEncoding, &h.ContentDisposition, &h.ContentLanguage, &h.CacheControl, &h.Expires} {
		*s = d.str()
	}
	if n := d.count(); n > 0 {
		o.Metadata = make(map[string]string, n)
		for range n {
			k := d.str()
			o.Metadata[k] = d.str()
		}
	}
	if n := d.count(); n > 0 {
		o.Tags = make([]Tag, n)
		for i := range o.Tags {
			o.Tags[i] = Tag{Key: d.str(), Value: d.str()}
		}
	}
	if n := d.count(); n > 0 {
		o.Parts = make([]partInfo, n)
		for i := range o.Parts {
			o.Parts[i] = partInfo{Size: d.varint(), Checksum: d.str()}
		}
	}
	last := byte(0)
	for d.err == nil && len(d.b) > 0 {
		tag := d.b[0]
		d.b = d.b[1:]
		if tag <= last || b[0] == objectFormatV1 {
			return errBadRecord
		}
		last = tag
		v := d.str()
		switch tag {
		case tagEncMode:
			o.Encryption.Mode = v
		case tagEncKMSKey:
			o.Encryption.KMSKeyID = v
		case tagEncContext:
			o.Encryption.Context = v
		case tagEncBucketKey:
			o.Encryption.BucketKey = v == "1"
		case tagEncKeyMD5:
			o.Encryption.KeyMD5 = v
		case tagSealed:
			o.Data.Sealed = []byte(v)
		case tagRestoreReady:
			o.Restore.Ready = d.timeField(v)
		case tagRestoreExpires:
			o.Restore.Expires = d.timeField(v)
		case tagLockMode:
			o.Lock.Mode = v
		case tagLockUntil:
			o.Lock.Until = d.timeField(v)
		case tagLegalHold:
			o.Lock.LegalHold = v == "1"
		case tagAccessed:
			o.Accessed = d.timeField(v)
		case tagPacked:
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				return errBadRecord
			}
			o.Data.Packed = n
		default:
			return errBadRecord // a field this version does not know
		}
	}
	return d.err
}

// isDeleteMarker reports whether an encoded record is a delete marker
// without decoding it.
func isDeleteMarker(b []byte) bool {
	return len(b) > 1 && b[0] == objectFormatV2 && b[1]&flagDeleteMarker != 0
}

type encoder struct{ b []byte }

func (e *encoder) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) varint(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) str(s string)     { e.uvarint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// decoder reads what encoder wrote. The first error sticks and every later
// read returns a zero value, so callers check err once at the end.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errBadRecord
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errBadRecord
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) str() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.b)) {
		d.err = errBadRecord
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// count reads a collection length, refusing one the remaining bytes cannot
// hold (every element takes at least one byte).
func (d *decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.err = errBadRecord
		return 0
	}
	return int(n)
}

func (d *decoder) bool() bool {
	if d.err != nil || len(d.b) == 0 {
		d.err = errBadRecord
		return false
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v == 1
}
