package s3

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/storage/meta"
	"github.com/lakebox/lakebox/internal/storage/seal"
)

// ObjectInfo is what S3 reports about an object in GET and HEAD responses.
type ObjectInfo struct {
	Key          string
	Size         int64
	ETag         string // without quotes
	Modified     time.Time
	Headers      Headers
	Metadata     map[string]string
	StorageClass string
	// Checksum is set only when the caller asked for it (ChecksumMode).
	Checksum   Checksum
	PartsCount int
	TagCount   int
	// VersionID is the x-amz-version-id to report; "" for none.
	VersionID  string
	Encryption Encryption
	// Restore is the x-amz-restore header of an archived object, if any.
	Restore string
	// Lock is the version's Object Lock state; nil when it has none.
	Lock *ObjectLockInfo
	// ArchiveStatus is an Intelligent-Tiering object's archive access
	// tier, if it is in one.
	ArchiveStatus string
}

func (o *objectRecord) info(key string) ObjectInfo {
	info := ObjectInfo{
		Key:          key,
		Size:         o.Size,
		ETag:         o.ETag,
		Modified:     o.Modified,
		Headers:      o.Headers,
		Metadata:     o.Metadata,
		StorageClass: o.storageClass(),
		PartsCount:   len(o.Parts),
		TagCount:     len(o.Tags),
		Encryption:   o.Encryption.info(),
	}
	if o.Lock != (objectLock{}) {
		info.Lock = o.Lock.info()
	}
	return info
}

type PutObjectInput struct {
	Bucket, Key  string
	Body         Body
	Headers      Headers
	Metadata     map[string]string
	StorageClass string
	// Tagging is the x-amz-tagging header.
	Tagging string
	// ACL is the canned ACL (x-amz-acl), if any.
	ACL         string
	Conditions  WriteConditions
	SSE         SSE
	CustomerKey CustomerKey
	// Lock is the retention and legal hold the request asks for.
	Lock ObjectLockInfo
	// Unsynced, for Lakebox's own writers, returns once the object is
	// visible, before its record is durable: the writer's next synced
	// commit to the metadata store (meta.DB.Sync, or any synced batch)
	// makes it durable. A put that replaces a stored body waits anyway,
	// since that body is removed after the commit.
	Unsynced bool
}

type PutObjectOutput struct {
	ETag       string
	Size       int64
	Checksum   Checksum
	VersionID  string // "" for the null version
	Encryption Encryption
}

// objectSpec is what a new object version is made of besides its body.
type objectSpec struct {
	headers      Headers
	metadata     map[string]string
	storageClass string
	tags         []Tag
	encryption   encryption
	lock         objectLock
}

// requestLock turns Object Lock request headers into a version's lock.
func requestLock(l ObjectLockInfo) (objectLock, error) {
	lock := objectLock{Mode: l.Mode, Until: l.Until}
	switch l.LegalHold {
	case "":
	case "ON":
		lock.LegalHold = true
	case "OFF":
	default:
		return lock, invalidArgument("x-amz-object-lock-legal-hold", l.LegalHold, "Legal Hold must be either of 'ON' or 'OFF'")
	}
	return lock, nil
}

func checkObjectSpec(key string, h Headers, md map[string]string, class, tagging, acl string) (objectSpec, error) {
	spec := objectSpec{headers: h, metadata: md}
	if err := checkKey(key); err != nil {
		return spec, err
	}
	var err error
	if spec.storageClass, err = checkStorageClass(class); err != nil {
		return spec, err
	}
	if err := checkACL(acl); err != nil {
		return spec, err
	}
	if spec.tags, err = ParseTagging(tagging); err != nil {
		return spec, err
	}
	if err := checkTags(spec.tags, MaxObjectTags, "Object"); err != nil {
		return spec, err
	}
	size := 0
	for k, v := range md {
		size += len(k) + len(v)
	}
	if size > MaxMetadataSize {
		return spec, awserr.New("MetadataTooLarge", 400, "Your metadata headers exceed the maximum allowed metadata size").
			With("Size", itoa(size)).With("MaxSizeAllowed", itoa(MaxMetadataSize))
	}
	if spec.headers.ContentType == "" {
		spec.headers.ContentType = "binary/octet-stream"
	}
	return spec, nil
}

// checkACL accepts the canned ACLs that mean "the owner has full control",
// which is all a bucket with ACLs disabled (S3's default since 2023) allows.
func checkACL(acl string) error {
	switch acl {
	case "", "private", "bucket-owner-full-control":
		return nil
	}
	return ErrACLNotAllowed
}

// bodyChecksum decides the checksum algorithm for a body: the one the client
// sent, else the default. x-amz-sdk-checksum-algorithm must name the same.
func bodyChecksum(b *Body) (string, error) {
	alg, err := checkAlgorithm(b.ChecksumAlgorithm)
	if err != nil {
		return "", err
	}
	sdk, err := checkAlgorithm(b.SDKAlgorithm)
	if err != nil {
		return "", err
	}
	switch {
	case sdk != "" && alg == "":
		return "", ErrInvalidRequest.WithMessage("x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.")
	case sdk != "" && sdk != alg:
		return "", ErrInvalidRequest.WithMessage("Value for x-amz-sdk-checksum-algorithm header is invalid.")
	case alg == "":
		return DefaultChecksum, nil
	}
	if b.Checksum != "" {
		if err := checkChecksumValue(alg, b.Checksum, false); err != nil {
			return "", err
		}
	}
	return alg, nil
}

// PutObject stores an object, replacing any current one atomically.
func (s *Service) PutObject(ctx context.Context, in *PutObjectInput) (*PutObjectOutput, error) {
	bk, err := s.bucket(ctx, in.Bucket, sameRegion, "s3:PutObject", in.Key)
	if err != nil {
		return nil, err
	}
	spec, err := checkObjectSpec(in.Key, in.Headers, in.Metadata, in.StorageClass, in.Tagging, in.ACL)
	if err != nil {
		return nil, err
	}
	var kek *seal.Key
	if spec.encryption, kek, err = s.writeEncryption(bk, in.SSE, in.CustomerKey); err != nil {
		return nil, err
	}
	lock, err := requestLock(in.Lock)
	if err != nil {
		return nil, err
	}
	if spec.lock, err = bk.lockFor(lock, s.clock.Now()); err != nil {
		return nil, err
	}
	if err := in.Conditions.validate(); err != nil {
		return nil, err
	}
	alg, err := bodyChecksum(&in.Body)
	if err != nil {
		return nil, err
	}
	// Fail fast before reading a body that could not be stored anyway.
	if in.Conditions != (WriteConditions{}) {
		cur, err := s.currentObject(in.Bucket, in.Key)
		if err != nil {
			return nil, err
		}
		if err := in.Conditions.check(cur, in.Key); err != nil {
			return nil, err
		}
	}
	body, err := s.ingest(&in.Body, alg, MaxPutSize, storeAs{kek: kek, pack: archived(spec.storageClass)})
	if err != nil {
		return nil, err
	}
	rec := s.newRecord(ctx, body, spec)
	version, err := s.commitObject(in.Bucket, in.Key, rec, body, in.Conditions, in.Unsynced, nil)
	if err != nil {
		return nil, err
	}
	return &PutObjectOutput{ETag: rec.ETag, Size: rec.Size, Checksum: rec.Checksum, VersionID: version,
		Encryption: rec.Encryption.info()}, nil
}

func (s *Service) newRecord(ctx context.Context, body *ingested, spec objectSpec) *objectRecord {
	return &objectRecord{
		Size:         body.size,
		ETag:         body.etag(),
		Modified:     s.clock.Now().Truncate(time.Millisecond),
		Data:         body.ref,
		Headers:      spec.headers,
		Metadata:     spec.metadata,
		StorageClass: spec.storageClass,
		Tags:         spec.tags,
		Checksum:     body.checksum,
		Owner:        auth.FromContext(ctx).Account,
		Encryption:   spec.encryption,
		Lock:         spec.lock,
	}
}

// currentObject returns the object's current version, or nil if there is
// none or it is a delete marker.
func (s *Service) currentObject(bucket, key string) (*objectRecord, error) {
	o, err := s.currentRecord(bucket, key)
	return live(o), err
}

// live returns o unless it is a delete marker.
func live(o *objectRecord) *objectRecord {
	if o != nil && o.DeleteMarker {
		return nil
	}
	return o
}

// commitObject makes rec, whose body was ingested, the current version of
// bucket/key, and returns its version id ("" for the null version). more,
// if set, adds to the same batch. unsynced returns before the commit is
// durable (PutObjectInput.Unsynced). On failure the body is discarded.
func (s *Service) commitObject(bucket, key string, rec *objectRecord, body *ingested, cond WriteConditions,
	unsynced bool, more func(*meta.Batch) []func()) (version string, err error) {
	defer func() {
		if err != nil {
			s.discard(body)
		}
	}()
	unlock := s.lockKeys(bucket, key)
	defer unlock()
	bl := s.bucketLock(bucket)
	bl.RLock()
	defer bl.RUnlock()
	bk, err := s.loadBucket(bucket)
	if err != nil {
		return "", err // deleted while the body was uploading
	}
	cur, err := s.currentRecord(bucket, key)
	if err != nil {
		return "", err
	}
	if err := cond.check(live(cur), key); err != nil {
		return "", err
	}
	b := s.db.NewBatch()
	keep(b, body)
	after, err := s.setCurrent(b, bk, key, cur, rec)
	if err != nil {
		b.Close()
		return "", err
	}
	if more != nil {
		after = append(after, more(b)...)
	}
	commit := (*meta.Batch).Commit
	if unsynced && len(after) == 0 {
		commit = (*meta.Batch).CommitUnsynced
	}
	if err := commit(b); err != nil {
		return "", err
	}
	for _, f := range after {
		f()
	}
	// S3 names the new version only when it has an id: a write to a
	// suspended bucket makes the null version and says nothing.
	return rec.VersionID, nil
}

type GetObjectInput struct {
	Bucket, Key string
	VersionID   string
	// Range is the Range header, if any.
	Range string
	// PartNumber selects one part of a multipart object; 0 for none.
	PartNumber   int
	Conditions   Conditions
	ChecksumMode bool
	CustomerKey  CustomerKey
}

type GetObjectOutput struct {
	Object ObjectInfo
	// Range is the part of the object returned, nil for all of it.
	Range *Range
	// Body yields the bytes; nil for HeadObject. The caller must Close.
	Body   io.Reader
	closer io.Closer
}

// Close releases the body.
func (o *GetObjectOutput) Close() error {
	if o.closer == nil {
		return nil
	}
	return o.closer.Close()
}

// GetObject returns an object or a range or part of it.
func (s *Service) GetObject(ctx context.Context, in *GetObjectInput) (*GetObjectOutput, error) {
	return s.getObject(ctx, in, true)
}

type HeadObjectInput = GetObjectInput
type HeadObjectOutput = GetObjectOutput

// HeadObject is GetObject without the body.
func (s *Service) HeadObject(ctx context.Context, in *HeadObjectInput) (*HeadObjectOutput, error) {
	return s.getObject(ctx, in, false)
}

func (s *Service) getObject(ctx context.Context, in *GetObjectInput, withBody bool) (*GetObjectOutput, error) {
	action := "s3:GetObject"
	if in.VersionID != "" {
		action = "s3:GetObjectVersion"
	}
	bk, err := s.bucket(ctx, in.Bucket, sameRegion, action, in.Key)
	if err != nil {
		return nil, err
	}
	id, byVersion, err := parseVersionID(in.VersionID)
	if err != nil {
		return nil, err
	}
	if len(in.Key) > MaxKeyLength {
		return nil, ErrKeyTooLong.With("MaxSizeAllowed", "1024").With("Size", itoa(len(in.Key)))
	}
	if in.Range != "" && in.PartNumber != 0 {
		return nil, ErrInvalidRequest.WithMessage("Cannot specify both Range header and partNumber query parameter")
	}
	if in.PartNumber < 0 || in.PartNumber > MaxParts {
		return nil, invalidArgument("partNumber", itoa(in.PartNumber), "Part number must be an integer between 1 and 10000, inclusive")
	}
	// A concurrent overwrite can delete the body between reading the record
	// and opening the body; the record is then re-read.
	for attempt := 0; ; attempt++ {
		o, err := s.readVersion(bk, in.Key, id, byVersion)
		if err != nil {
			return nil, err
		}
		if err := in.Conditions.checkRead(o); err != nil {
			return nil, err
		}
		now := s.clock.Now()
		if withBody {
			if err := o.readable(bk, in.Key, now); err != nil {
				return nil, err
			}
		}
		kek, err := s.readKey(o.Encryption, in.CustomerKey, false)
		if err != nil {
			return nil, err
		}
		out := &GetObjectOutput{Object: o.info(in.Key)}
		out.Object.VersionID = wireVersion(bk, o)
		out.Object.Restore = o.restoreHeader(now)
		if o.StorageClass == "INTELLIGENT_TIERING" {
			if tier := o.accessTier(bk.Tiering, in.Key, now); archiveTier(tier) {
				out.Object.ArchiveStatus = tier
			}
		}
		rng, err := o.selectRange(in)
		if err != nil {
			return nil, err
		}
		out.Range = rng
		if in.ChecksumMode && (rng == nil || in.PartNumber != 0) {
			out.Object.Checksum = o.checksumFor(in.PartNumber)
		}
		if !withBody {
			return out, nil
		}
		start, n := int64(0), o.Size
		if rng != nil {
			start, n = rng.Start, rng.Length
		}
		body, closer, err := s.openData(o.Data, o.Size, start, n, kek)
		if errors.Is(err, errDataGone) && attempt < 8 {
			continue
		}
		if err != nil {
			return nil, err
		}
		out.Body, out.closer = body, closer
		if !byVersion {
			s.touch(in.Bucket, in.Key, o, now)
		}
		return out, nil
	}
}

// readVersion returns the current version of a key, or the version id
// when byVersion. Delete markers are errors, as S3 answers them.
func (s *Service) readVersion(bk *bucketRecord, key, id string, byVersion bool) (*objectRecord, error) {
	if !byVersion {
		o, err := s.loadObject(bk.Name, key)
		if err == nil && o.DeleteMarker {
			return nil, deleteMarkerError(bk, key, o, false)
		}
		return o, err
	}
	v, err := s.findVersion(bk.Name, key, id)
	if err != nil {
		return nil, err
	}
	if v.rec.DeleteMarker {
		return nil, deleteMarkerError(bk, key, v.rec, true)
	}
	return v.rec, nil
}

// selectRange resolves a Range header or part number against the object.
func (o *objectRecord) selectRange(in *GetObjectInput) (*Range, error) {
	if in.PartNumber == 0 {
		return parseRange(in.Range, o.Size)
	}
	if in.PartNumber > max(len(o.Parts), 1) {
		return nil, ErrInvalidPartNumber.With("PartNumberRequested", itoa(in.PartNumber)).With("ActualPartCount", itoa(max(len(o.Parts), 1)))
	}
	if len(o.Parts) == 0 { // a simple object is its only part: all of it
		if o.Size == 0 {
			return nil, nil
		}
		return &Range{Start: 0, Length: o.Size}, nil
	}
	var start int64
	for _, p := range o.Parts[:in.PartNumber-1] {
		start += p.Size
	}
	return &Range{Start: start, Length: o.Parts[in.PartNumber-1].Size}, nil
}

// checksumFor returns the checksum to report for the whole object (part 0)
// or one part of it.
func (o *objectRecord) checksumFor(part int) Checksum {
	if part == 0 || len(o.Parts) == 0 {
		return o.Checksum
	}
	c := o.Parts[part-1].Checksum
	if c == "" {
		return Checksum{}
	}
	return Checksum{Algorithm: o.Checksum.Algorithm, Value: c, Type: ChecksumComposite}
}

type DeleteObjectInput struct {
	Bucket, Key string
	VersionID   string
	// BypassGovernance is x-amz-bypass-governance-retention.
	BypassGovernance bool
	// IfMatch makes the delete conditional on the current ETag.
	IfMatch string
}

type DeleteObjectOutput struct {
	// VersionID is the version deleted, or the delete marker created.
	VersionID string
	// DeleteMarker says a delete marker was created or deleted.
	DeleteMarker bool
}

// DeleteObject deletes an object: in a versioned bucket it adds a delete
// marker, or removes the version named. Deleting a key or version that does
// not exist succeeds, as in S3.
func (s *Service) DeleteObject(ctx context.Context, in *DeleteObjectInput) (*DeleteObjectOutput, error) {
	action := "s3:DeleteObject"
	if in.VersionID != "" {
		action = "s3:DeleteObjectVersion"
	}
	if _, err := s.bucket(ctx, in.Bucket, sameRegion, action, in.Key); err != nil {
		return nil, err
	}
	if _, _, err := parseVersionID(in.VersionID); err != nil {
		return nil, err
	}
	if len(in.Key) > MaxKeyLength {
		return nil, ErrKeyTooLong.With("MaxSizeAllowed", "1024").With("Size", itoa(len(in.Key)))
	}
	var res DeletedObject
	var outcome error
	err := s.deleteObjects(ctx, in.Bucket, in.BypassGovernance, []ObjectIdentifier{{Key: in.Key, VersionID: in.VersionID, ETag: in.IfMatch}},
		func(d DeletedObject, err error) { res, outcome = d, err })
	if err == nil {
		err = outcome
	}
	if err != nil {
		return nil, err
	}
	out := &DeleteObjectOutput{VersionID: res.VersionID, DeleteMarker: res.DeleteMarker}
	if res.DeleteMarkerVersionID != "" {
		out.VersionID = res.DeleteMarkerVersionID
	}
	return out, nil
}

// ObjectIdentifier names an object to delete.
type ObjectIdentifier struct {
	Key       string
	VersionID string
	// ETag, if set, makes the delete conditional.
	ETag string
}

// DeletedObject is the outcome of deleting one object.
type DeletedObject struct {
	Key       string
	VersionID string // as requested
	// DeleteMarker is set when a delete marker was created or deleted;
	// DeleteMarkerVersionID is its version id.
	DeleteMarker          bool
	DeleteMarkerVersionID string
}

type DeleteObjectsInput struct {
	Bucket           string
	Objects          []ObjectIdentifier
	Quiet            bool
	BypassGovernance bool
}

// DeleteError is one key DeleteObjects could not delete.
type DeleteError struct {
	Key, VersionID, Code, Message string
}

type DeleteObjectsOutput struct {
	Deleted []DeletedObject
	Errors  []DeleteError
}

// DeleteObjects deletes up to 1000 objects or versions in one durable batch.
func (s *Service) DeleteObjects(ctx context.Context, in *DeleteObjectsInput) (*DeleteObjectsOutput, error) {
	if _, err := s.bucket(ctx, in.Bucket, sameRegion, "s3:DeleteObject", ""); err != nil {
		return nil, err
	}
	if len(in.Objects) > MaxDeleteKeys {
		return nil, ErrMalformedXML
	}
	out := &DeleteObjectsOutput{}
	var ok []ObjectIdentifier
	for _, o := range in.Objects {
		if _, _, err := parseVersionID(o.VersionID); err != nil {
			out.Errors = append(out.Errors, deleteError(o, err))
		} else {
			ok = append(ok, o)
		}
	}
	err := s.deleteObjects(ctx, in.Bucket, in.BypassGovernance, ok, func(d DeletedObject, err error) {
		if err != nil {
			out.Errors = append(out.Errors, deleteError(ObjectIdentifier{Key: d.Key, VersionID: d.VersionID}, err))
		} else if !in.Quiet {
			out.Deleted = append(out.Deleted, d)
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func deleteError(o ObjectIdentifier, err error) DeleteError {
	e, ok := awserr.As(err)
	if !ok {
		e = awserr.Internal(err)
	}
	return DeleteError{Key: o.Key, VersionID: o.VersionID, Code: e.Code, Message: e.Message}
}

// deleteObjects deletes objects and reports each one's outcome to result
// once the deletes are durable. Deletes go into one batch, except that a
// key named twice starts a new batch, so each delete sees the ones before.
// Conditional deletes (ETag set) that fail are reported with their error.
func (s *Service) deleteObjects(ctx context.Context, bucket string, bypass bool, objs []ObjectIdentifier, result func(DeletedObject, error)) error {
	keys := make([]string, len(objs))
	for i, o := range objs {
		keys[i] = o.Key
	}
	unlock := s.lockKeys(bucket, keys...)
	defer unlock()
	bk, err := s.loadBucket(bucket)
	if err != nil {
		return err
	}
	owner := auth.FromContext(ctx).Account
	done := make([]DeletedObject, len(objs))
	outcome := make([]error, len(objs))
	b := s.db.NewBatch()
	var after []func()
	touched := map[string]bool{}
	flush := func() error {
		if b.Empty() {
			return nil
		}
		if err := b.Commit(); err != nil {
			return err
		}
		for _, f := range after {
			f()
		}
		b, after, touched = s.db.NewBatch(), nil, map[string]bool{}
		return nil
	}
	for i, o := range objs {
		if touched[o.Key] {
			if err := flush(); err != nil {
				return err
			}
		}
		d, fns, err := s.deleteOne(b, bk, o, owner, bypass)
		if _, ok := awserr.As(err); err != nil && !ok {
			b.Close()
			return err
		}
		done[i], outcome[i] = d, err
		after = append(after, fns...)
		touched[o.Key] = true
	}
	if err := flush(); err != nil {
		return err
	}
	b.Close()
	for i := range objs {
		result(done[i], outcome[i])
	}
	return nil
}

// deleteOne records one delete in b. Errors S3 reports per key are
// *awserr.Error; any other error is the store's.
func (s *Service) deleteOne(b *meta.Batch, bk *bucketRecord, o ObjectIdentifier, owner string, bypass bool) (DeletedObject, []func(), error) {
	res := DeletedObject{Key: o.Key, VersionID: o.VersionID}
	id, byVersion, err := parseVersionID(o.VersionID)
	if err != nil {
		return res, nil, err
	}
	cur, err := s.currentRecord(bk.Name, o.Key)
	if err != nil {
		return res, nil, err
	}
	if o.ETag != "" {
		switch obj := live(cur); {
		case obj == nil:
			return res, nil, noSuchKey(o.Key)
		case !etagMatches(o.ETag, obj.ETag):
			return res, nil, ErrPreconditionFailed.With("Condition", "If-Match")
		}
	}
	if byVersion {
		v, err := s.findVersion(bk.Name, o.Key, id)
		if isCode(err, "NoSuchVersion") {
			return res, nil, nil
		}
		if err != nil {
			return res, nil, err
		}
		if err := v.rec.Lock.protects(s.clock.Now(), bypass); err != nil {
			return res, nil, err
		}
		if v.rec.DeleteMarker {
			res.DeleteMarker, res.DeleteMarkerVersionID = true, o.VersionID
		}
		after, err := s.removeVersion(b, bk.Name, o.Key, v)
		return res, after, err
	}
	if bk.Versioning == "" {
		if cur == nil {
			return res, nil, nil
		}
		b.Delete(objectKey(bk.Name, o.Key))
		return res, []func(){s.drop(b, cur.Data)}, nil
	}
	marker := &objectRecord{DeleteMarker: true, Modified: s.clock.Now().Truncate(time.Millisecond), Owner: owner}
	after, err := s.setCurrent(b, bk, o.Key, cur, marker)
	res.DeleteMarker, res.DeleteMarkerVersionID = true, wireVersion(bk, marker)
	return res, after, err
}

type CopyObjectInput struct {
	Bucket, Key string
	// Source names the object to copy.
	SourceBucket, SourceKey, SourceVersionID string
	SourceConditions                         Conditions
	// MetadataDirective is COPY (default) or REPLACE.
	MetadataDirective string
	// TaggingDirective is COPY (default) or REPLACE.
	TaggingDirective  string
	Headers           Headers
	Metadata          map[string]string
	StorageClass      string
	Tagging           string
	ACL               string
	ChecksumAlgorithm string
	Conditions        WriteConditions
	SSE               SSE
	// CustomerKey is the new object's SSE-C key; SourceCustomerKey the
	// source's.
	CustomerKey, SourceCustomerKey CustomerKey
	Lock                           ObjectLockInfo
}

type CopyObjectOutput struct {
	ETag     string
	Modified time.Time
	Checksum Checksum
	// VersionID is the new version's; SourceVersionID the copied one's.
	VersionID, SourceVersionID string
	Encryption                 Encryption
}

// CopyObject copies an object of up to 5 GiB within or across buckets.
func (s *Service) CopyObject(ctx context.Context, in *CopyObjectInput) (*CopyObjectOutput, error) {
	bk, err := s.bucket(ctx, in.Bucket, sameRegion, "s3:PutObject", in.Key)
	if err != nil {
		return nil, err
	}
	for _, d := range []struct{ name, v string }{{"x-amz-metadata-directive", in.MetadataDirective}, {"x-amz-tagging-directive", in.TaggingDirective}} {
		if d.v != "" && d.v != "COPY" && d.v != "REPLACE" {
			return nil, invalidArgument(d.name, d.v, "Unknown %s value: %s", strings.TrimPrefix(d.name, "x-amz-"), d.v)
		}
	}
	if err := in.Conditions.validate(); err != nil {
		return nil, err
	}
	alg, err := checkAlgorithm(in.ChecksumAlgorithm)
	if err != nil {
		return nil, err
	}
	enc, kek, err := s.writeEncryption(bk, in.SSE, in.CustomerKey)
	if err != nil {
		return nil, err
	}
	lock, err := requestLock(in.Lock)
	if err != nil {
		return nil, err
	}
	if lock, err = bk.lockFor(lock, s.clock.Now()); err != nil {
		return nil, err
	}
	var out *CopyObjectOutput
	err = s.readCopySource(ctx, in.SourceBucket, in.SourceKey, in.SourceVersionID, in.SourceConditions, in.SourceCustomerKey,
		func(src *objectRecord, srcVersion string, srcKey *seal.Key) error {
			if src.Size > MaxPutSize {
				return ErrInvalidRequest.WithMessage("The specified copy source is larger than the maximum allowable size for a copy source: %d", MaxPutSize)
			}
			md, hdr, tagging := src.Metadata, src.Headers, ""
			if in.MetadataDirective == "REPLACE" {
				md, hdr = in.Metadata, in.Headers
			}
			if in.TaggingDirective == "REPLACE" {
				tagging = in.Tagging
			}
			spec, err := checkObjectSpec(in.Key, hdr, md, in.StorageClass, tagging, in.ACL)
			if err != nil {
				return err
			}
			if in.TaggingDirective != "REPLACE" {
				spec.tags = src.Tags
			}
			spec.encryption, spec.lock = enc, lock
			if in.SourceBucket == in.Bucket && in.SourceKey == in.Key && in.SourceVersionID == "" && in.MetadataDirective != "REPLACE" &&
				spec.storageClass == src.storageClass() && alg == "" && in.SSE.Algorithm == "" && !in.CustomerKey.given() {
				return ErrInvalidRequest.WithMessage("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
			}
			useAlg := alg
			if useAlg == "" {
				useAlg = src.Checksum.Algorithm
				if useAlg == "" || src.Checksum.Type == ChecksumComposite && !checksumAlgs[useAlg].full {
					useAlg = DefaultChecksum
				}
			}
			body, err := s.copyData(src, 0, src.Size, useAlg, srcKey, storeAs{kek: kek, pack: archived(spec.storageClass)})
			if err != nil {
				return err
			}
			rec := s.newRecord(ctx, body, spec)
			version, err := s.commitObject(in.Bucket, in.Key, rec, body, in.Conditions, false, nil)
			if err != nil {
				return err
			}
			out = &CopyObjectOutput{ETag: rec.ETag, Modified: rec.Modified, Checksum: rec.Checksum, VersionID: version,
				SourceVersionID: srcVersion, Encryption: enc.info()}
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// readCopySource checks access to a copy source and calls fn with its
// record, x-amz-copy-source-version-id and key-encryption key; fn reads the
// body with copyData. When a concurrent overwrite removes the body first
// (errDataGone), the record is read again.
func (s *Service) readCopySource(ctx context.Context, bucket, key, versionID string, cond Conditions, ck CustomerKey,
	fn func(src *objectRecord, version string, kek *seal.Key) error) error {
	id, byVersion, err := parseVersionID(versionID)
	if err != nil {
		return err
	}
	action := "s3:GetObject"
	if byVersion {
		action = "s3:GetObjectVersion"
	}
	bk, err := s.bucket(ctx, bucket, sourceBucket, action, key)
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		src, err := s.readVersion(bk, key, id, byVersion)
		if isCode(err, "MethodNotAllowed") {
			return ErrInvalidRequest.WithMessage("The source of a copy request may not specifically refer to a delete marker by version id.")
		}
		if err != nil {
			return err
		}
		if err := cond.checkCopySource(src); err != nil {
			return err
		}
		if err := src.readable(bk, key, s.clock.Now()); err != nil {
			return err
		}
		kek, err := s.readKey(src.Encryption, ck, true)
		if err != nil {
			return err
		}
		err = fn(src, wireVersion(bk, src), kek)
		if errors.Is(err, errDataGone) && attempt < 8 {
			continue
		}
		return err
	}
}

// copyData ingests bytes [off, off+n) of an existing object's body as a new
// body, computing its MD5 and the given checksum. srcKey opens the source;
// st is how the copy is stored.
func (s *Service) copyData(src *objectRecord, off, n int64, alg string, srcKey *seal.Key, st storeAs) (*ingested, error) {
	r, closer, err := s.openData(src.Data, src.Size, off, n, srcKey)
	if err != nil {
		return nil, err
	}
	defer closer.Close()
	return s.ingest(&Body{Reader: r, Size: n}, alg, MaxPutSize, st)
}
