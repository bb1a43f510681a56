package s3

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lakebox/lakebox/internal/storage/meta"
)

// Meta store key layout (docs/format/meta.md). Bucket names never contain
// '/', and object keys never contain NUL, so these keys sort objects of one
// bucket by key, and uploads of one key by upload id (which sorts by time).
const (
	prefixBucket = "s3/b/" // + bucket                     -> bucketRecord
	prefixObject = "s3/o/" // + bucket + "/" + key         -> objectRecord (the current version)
	prefixVer    = "s3/v/" // + bucket + "/" + key + NUL + ^stamp -> objectRecord (a noncurrent version)
	prefixData   = "s3/d/" // + blob id                    -> inline body bytes
	prefixRef    = "s3/r/" // + blob id                    -> "" (file blob is referenced)
	prefixUpload = "s3/u/" // + bucket + "/" + key + NUL + upload id -> uploadRecord
	prefixPart   = "s3/p/" // + upload id + "/" + %05d part number   -> partRecord
)

func bucketKey(bucket string) []byte { return []byte(prefixBucket + bucket) }

func objectPrefix(bucket string) []byte { return []byte(prefixObject + bucket + "/") }

func objectKey(bucket, key string) []byte { return []byte(prefixObject + bucket + "/" + key) }

func versionsPrefix(bucket string) []byte { return []byte(prefixVer + bucket + "/") }

// keyVersionsPrefix prefixes the noncurrent versions of one key, which sort
// newest first: the stamp is stored inverted.
func keyVersionsPrefix(bucket, key string) []byte {
	return []byte(prefixVer + bucket + "/" + key + "\x00")
}

func versionKey(bucket, key string, stamp uint64) []byte {
	return binary.BigEndian.AppendUint64(keyVersionsPrefix(bucket, key), ^stamp)
}

func dataKey(id string) []byte { return []byte(prefixData + id) }

func refKey(id string) []byte { return []byte(prefixRef + id) }

func uploadPrefix(bucket string) []byte { return []byte(prefixUpload + bucket + "/") }

func uploadKey(bucket, key, uploadID string) []byte {
	return []byte(prefixUpload + bucket + "/" + key + "\x00" + uploadID)
}

func partPrefix(uploadID string) []byte { return []byte(prefixPart + uploadID + "/") }

func partKey(uploadID string, n int) []byte {
	return fmt.Appendf(nil, "%s%s/%05d", prefixPart, uploadID, n)
}

func prefixEnd(p []byte) []byte { return meta.PrefixEnd(p) }

// bucketRecord is a bucket. Names are global; Account and Region say whose
// and where it is.
type bucketRecord struct {
	Name    string    `json:"name"`
	Account string    `json:"account"`
	Region  string    `json:"region"`
	Created time.Time `json:"created"`
	Tags    []Tag     `json:"tags,omitempty"`
	// Policy is the bucket policy document as the owner sent it.
	Policy string `json:"policy,omitempty"`
	// Versioning is "" until versioning is first configured, then
	// VersioningEnabled or VersioningSuspended.
	Versioning string `json:"versioning,omitempty"`
	// Encryption is the default encryption of new objects; nil for none.
	Encryption *bucketEncryption `json:"encryption,omitempty"`
	// Lifecycle is the lifecycle configuration; nil for none.
	Lifecycle *lifecycleConfig `json:"lifecycle,omitempty"`
	// Tiering holds the Intelligent-Tiering configurations.
	Tiering []TieringConfig `json:"tiering,omitempty"`
	// CORS is the CORS configuration; nil for none.
	CORS []CORSRule `json:"cors,omitempty"`
	// PublicAccess is the Block Public Access configuration; nil for none.
	PublicAccess *PublicAccessBlock  `json:"pab,omitempty"`
	Notification *NotificationConfig `json:"notification,omitempty"`
	Metrics      []MetricsConfig     `json:"metrics,omitempty"`
	// Lock is set when Object Lock is enabled, with the default retention.
	Lock *LockConfig `json:"lock,omitempty"`

	policy *policy // Policy compiled, set before the record is published
}

// dataRef locates an object's or part's body: inline bytes in the meta store
// under dataKey(ID), or a blob file named ID.
type dataRef struct {
	ID     string `json:"id,omitempty"`
	Inline bool   `json:"inline,omitempty"`
	// Sealed is the body's data key wrapped by its key-encryption key when
	// the body is encrypted (package seal), else nil.
	Sealed []byte `json:"sealed,omitempty"`
	// Packed is the stored length of a zstd-compressed body (archive
	// classes); 0 when the body is stored as it is.
	Packed int64 `json:"packed,omitempty"`
}

// Headers are the standard HTTP headers S3 stores with an object.
type Headers struct {
	ContentType        string `json:"ct,omitempty"`
	ContentEncoding    string `json:"ce,omitempty"`
	ContentDisposition string `json:"cd,omitempty"`
	ContentLanguage    string `json:"cl,omitempty"`
	CacheControl       string `json:"cc,omitempty"`
	Expires            string `json:"ex,omitempty"`
}

// partInfo is what an object remembers of each part it was assembled from.
type partInfo struct {
	Size     int64  `json:"s"`
	Checksum string `json:"c,omitempty"`
}

// objectRecord is one version of an object: the current one under
// objectKey, older ones under versionKey.
type objectRecord struct {
	// VersionID is "" for the null version (written while the bucket's
	// versioning was off or suspended).
	VersionID string `json:"vid,omitempty"`
	// DeleteMarker records a versioned delete; such a record has no body.
	DeleteMarker bool `json:"dm,omitempty"`
	// Stamp orders the versions of a key: unique, increasing with time.
	// Records written before versioning existed have none; see stamp().
	Stamp        uint64            `json:"stamp,omitempty"`
	Size         int64             `json:"size"`
	ETag         string            `json:"etag"` // without quotes
	Modified     time.Time         `json:"mtime"`
	Data         dataRef           `json:"data"`
	Headers      Headers           `json:"hdr,omitzero"`
	Metadata     map[string]string `json:"meta,omitempty"`
	StorageClass string            `json:"class,omitempty"`
	Tags         []Tag             `json:"tags,omitempty"`
	Checksum     Checksum          `json:"sum,omitzero"`
	Parts        []partInfo        `json:"parts,omitempty"`
	Owner        string            `json:"owner"`
	Encryption   encryption        `json:"enc,omitzero"`
	Restore      restoreState      `json:"restore,omitzero"`
	// Accessed is when an INTELLIGENT_TIERING object was last read, zero
	// if never since it was written.
	Accessed time.Time `json:"accessed,omitzero"`
	// Lock is the version's Object Lock retention and legal hold.
	Lock objectLock `json:"lock,omitzero"`
}

// order is the record's position among its key's versions.
func (o *objectRecord) order() uint64 {
	if o.Stamp != 0 {
		return o.Stamp
	}
	return uint64(o.Modified.UnixNano())
}

func (o *objectRecord) storageClass() string {
	if o.StorageClass == "" {
		return "STANDARD"
	}
	return o.StorageClass
}

// uploadRecord is an in-progress multipart upload.
type uploadRecord struct {
	Bucket       string            `json:"bucket"`
	Key          string            `json:"key"`
	UploadID     string            `json:"id"`
	Initiated    time.Time         `json:"initiated"`
	Owner        string            `json:"owner"`
	Headers      Headers           `json:"hdr,omitzero"`
	Metadata     map[string]string `json:"meta,omitempty"`
	StorageClass string            `json:"class,omitempty"`
	Tags         []Tag             `json:"tags,omitempty"`
	// ChecksumAlgorithm and ChecksumType are what the upload was created
	// with; the algorithm is CRC64NVME/FULL_OBJECT when none was asked for.
	ChecksumAlgorithm string `json:"alg"`
	ChecksumType      string `json:"ctype"`
	// ChecksumRequested records whether the client chose the algorithm;
	// only then do parts have to carry a checksum.
	ChecksumRequested bool `json:"creq,omitempty"`
	// Encryption is what the completed object will have; parts are
	// sealed under the same key-encryption key.
	Encryption encryption `json:"enc,omitzero"`
	// Lock is the completed object's Object Lock state.
	Lock objectLock `json:"lock,omitzero"`
}

// partRecord is one uploaded part.
type partRecord struct {
	Number   int       `json:"n"`
	Size     int64     `json:"size"`
	ETag     string    `json:"etag"`
	Modified time.Time `json:"mtime"`
	Data     dataRef   `json:"data"`
	Checksum string    `json:"sum,omitempty"` // in the upload's algorithm
}

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("s3: encode %T: %v", v, err)) // records hold only encodable types
	}
	return b
}

func decode(b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("s3: decode %T: %w", v, err)
	}
	return nil
}
