package s3

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash/maphash"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/storage/meta"
	"github.com/lakebox/lakebox/internal/storage/seal"
)

// uploadIDEncoding sorts like the bytes it encodes, so upload ids made of
// a big-endian timestamp sort by initiation time.
var uploadIDEncoding = base32.HexEncoding.WithPadding(base32.NoPadding)

func (s *Service) newUploadID() string {
	var b [18]byte
	binary.BigEndian.PutUint64(b[:8], uint64(s.clock.Now().UnixNano()))
	rand.Read(b[8:])
	return uploadIDEncoding.EncodeToString(b[:])
}

func validUploadID(id string) bool {
	if len(id) != 29 {
		return false
	}
	_, err := uploadIDEncoding.DecodeString(id)
	return err == nil
}

// uploadLock serializes work on one upload (UploadPart, Complete, Abort).
// Lock order: uploadLock before keyLocks before bucketLocks.
func (s *Service) uploadLock(id string) *sync.Mutex {
	return &s.uploadLocks[maphash.String(s.seed, id)%uint64(len(s.uploadLocks))]
}

type CreateMultipartUploadInput struct {
	Bucket, Key       string
	Headers           Headers
	Metadata          map[string]string
	StorageClass      string
	Tagging           string
	ACL               string
	ChecksumAlgorithm string
	ChecksumType      string
	SSE               SSE
	CustomerKey       CustomerKey
	Lock              ObjectLockInfo
}

type CreateMultipartUploadOutput struct {
	UploadID          string
	ChecksumAlgorithm string // only if the client chose one
	ChecksumType      string
	Encryption        Encryption
}

func (s *Service) CreateMultipartUpload(ctx context.Context, in *CreateMultipartUploadInput) (*CreateMultipartUploadOutput, error) {
	bk, err := s.bucket(ctx, in.Bucket, sameRegion, "s3:PutObject", in.Key)
	if err != nil {
		return nil, err
	}
	enc, _, err := s.writeEncryption(bk, in.SSE, in.CustomerKey)
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
	spec, err := checkObjectSpec(in.Key, in.Headers, in.Metadata, in.StorageClass, in.Tagging, in.ACL)
	if err != nil {
		return nil, err
	}
	alg, ctype, err := uploadChecksum(in.ChecksumAlgorithm, in.ChecksumType)
	if err != nil {
		return nil, err
	}
	u := uploadRecord{
		Bucket: in.Bucket, Key: in.Key, UploadID: s.newUploadID(),
		Initiated: s.clock.Now().Truncate(time.Millisecond), Owner: auth.FromContext(ctx).Account,
		Headers: spec.headers, Metadata: spec.metadata, StorageClass: spec.storageClass, Tags: spec.tags,
		ChecksumAlgorithm: alg, ChecksumType: ctype, ChecksumRequested: in.ChecksumAlgorithm != "",
		Encryption: enc, Lock: lock,
	}
	b := s.db.NewBatch()
	b.Set(uploadKey(in.Bucket, in.Key, u.UploadID), encode(u))
	if err := b.Commit(); err != nil {
		return nil, err
	}
	out := &CreateMultipartUploadOutput{UploadID: u.UploadID, Encryption: enc.info()}
	if u.ChecksumRequested {
		out.ChecksumAlgorithm, out.ChecksumType = alg, ctype
	}
	return out, nil
}

// uploadChecksum applies S3's rules for a multipart upload's checksum
// algorithm and type.
func uploadChecksum(algName, ctype string) (string, string, error) {
	alg, err := checkAlgorithm(algName)
	if err != nil {
		return "", "", err
	}
	switch ctype {
	case "", ChecksumComposite, ChecksumFullObject:
	default:
		return "", "", ErrInvalidRequest.WithMessage("Value for x-amz-checksum-type header is invalid.")
	}
	if alg == "" {
		if ctype != "" {
			return "", "", ErrInvalidRequest.WithMessage("The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.")
		}
		return DefaultChecksum, ChecksumFullObject, nil
	}
	a := checksumAlgs[alg]
	if ctype == "" {
		ctype = ChecksumComposite
		if !a.composite {
			ctype = ChecksumFullObject
		}
	}
	if ctype == ChecksumComposite && !a.composite || ctype == ChecksumFullObject && !a.full {
		return "", "", ErrInvalidRequest.WithMessage("The %s checksum type cannot be used with the %s checksum algorithm.", ctype, strings.ToLower(alg))
	}
	return alg, ctype, nil
}

func (s *Service) loadUpload(bucket, key, id string) (*uploadRecord, error) {
	if !validUploadID(id) {
		return nil, noSuchUpload(id)
	}
	v, err := s.db.Get(uploadKey(bucket, key, id))
	if errors.Is(err, meta.ErrNotFound) {
		return nil, noSuchUpload(id)
	}
	if err != nil {
		return nil, err
	}
	var u uploadRecord
	return &u, decode(v, &u)
}

func checkPartNumber(n int) error {
	if n < 1 || n > MaxParts {
		return invalidArgument("partNumber", itoa(n), "Part number must be an integer between 1 and 10000, inclusive")
	}
	return nil
}

type UploadPartInput struct {
	Bucket, Key, UploadID string
	PartNumber            int
	Body                  Body
	// CustomerKey must repeat the upload's SSE-C key, if it has one.
	CustomerKey CustomerKey
}

type UploadPartOutput struct {
	ETag       string
	Checksum   Checksum
	Encryption Encryption
}

// partKey returns the key-encryption key the parts of u are sealed under,
// checking the SSE-C key a part request sent.
func (s *Service) partKey(u *uploadRecord, ck CustomerKey) (*seal.Key, error) {
	k, err := s.readKey(u.Encryption, ck, false)
	if isCode(err, "InvalidRequest") && u.Encryption.Mode == sseCustomer {
		return nil, ErrSSEMultipartMismatch
	}
	return k, err
}

// partUpload checks the destination of UploadPart and UploadPartCopy and
// returns its upload.
func (s *Service) partUpload(ctx context.Context, bucket, key, uploadID string, part int) (*uploadRecord, error) {
	if _, err := s.bucket(ctx, bucket, sameRegion, "s3:PutObject", key); err != nil {
		return nil, err
	}
	if err := checkPartNumber(part); err != nil {
		return nil, err
	}
	return s.loadUpload(bucket, key, uploadID)
}

func (s *Service) UploadPart(ctx context.Context, in *UploadPartInput) (*UploadPartOutput, error) {
	u, err := s.partUpload(ctx, in.Bucket, in.Key, in.UploadID, in.PartNumber)
	if err != nil {
		return nil, err
	}
	kek, err := s.partKey(u, in.CustomerKey)
	if err != nil {
		return nil, err
	}
	alg, err := bodyChecksum(&in.Body)
	if err != nil {
		return nil, err
	}
	if in.Body.ChecksumAlgorithm != "" && alg != u.ChecksumAlgorithm && u.ChecksumRequested {
		return nil, ErrInvalidRequest.WithMessage("Checksum Type mismatch occurred, expected checksum Type: %s, actual checksum Type: %s",
			strings.ToLower(u.ChecksumAlgorithm), strings.ToLower(alg))
	}
	if in.Body.ChecksumAlgorithm == "" && u.ChecksumRequested && u.ChecksumType == ChecksumComposite {
		return nil, ErrInvalidRequest.WithMessage("The upload was created using a %s checksum. The complete request must include the checksum for each part. It was missing for part %d in the request.", strings.ToLower(u.ChecksumAlgorithm), in.PartNumber)
	}
	// A part's own checksum in another algorithm is verified, then the
	// upload's algorithm is what is kept.
	if alg != u.ChecksumAlgorithm {
		in.Body.ChecksumAlgorithm, in.Body.Checksum, in.Body.Trailer, in.Body.SDKAlgorithm = "", "", nil, ""
	}
	body, err := s.ingest(&in.Body, u.ChecksumAlgorithm, MaxPutSize, storeAs{kek: kek})
	if err != nil {
		return nil, err
	}
	p := partRecord{Number: in.PartNumber, Size: body.size, ETag: body.etag(),
		Modified: s.clock.Now().Truncate(time.Millisecond), Data: body.ref, Checksum: body.checksum.Value}
	if err := s.commitPart(u, p, body); err != nil {
		return nil, err
	}
	out := &UploadPartOutput{ETag: p.ETag, Encryption: u.Encryption.info()}
	if u.ChecksumRequested || in.Body.ChecksumAlgorithm != "" {
		out.Checksum = Checksum{Algorithm: u.ChecksumAlgorithm, Value: p.Checksum}
	}
	return out, nil
}

// commitPart records a part, replacing any earlier upload of its number.
func (s *Service) commitPart(u *uploadRecord, p partRecord, body *ingested) (err error) {
	defer func() {
		if err != nil {
			s.discard(body)
		}
	}()
	mu := s.uploadLock(u.UploadID)
	mu.Lock()
	defer mu.Unlock()
	if _, err := s.loadUpload(u.Bucket, u.Key, u.UploadID); err != nil {
		return err // completed or aborted meanwhile
	}
	b := s.db.NewBatch()
	after := func() {}
	if old, err := s.loadPart(u.UploadID, p.Number); err == nil {
		after = s.drop(b, old.Data)
	} else if !errors.Is(err, meta.ErrNotFound) {
		b.Close()
		return err
	}
	keep(b, body)
	b.Set(partKey(u.UploadID, p.Number), encode(p))
	if err := b.Commit(); err != nil {
		return err
	}
	after()
	return nil
}

func (s *Service) loadPart(uploadID string, n int) (*partRecord, error) {
	v, err := s.db.Get(partKey(uploadID, n))
	if err != nil {
		return nil, err
	}
	var p partRecord
	return &p, decode(v, &p)
}

// parts returns an upload's parts with numbers greater than after, in
// order, at most max of them (0: all).
func (s *Service) parts(uploadID string, after, max int) (_ []partRecord, err error) {
	lower := partKey(uploadID, after+1)
	it, err := s.db.NewIter(lower, prefixEnd(partPrefix(uploadID)))
	if err != nil {
		return nil, err
	}
	defer closeIter(it, &err)
	var out []partRecord
	for ok := it.First(); ok && (max == 0 || len(out) < max); ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			return nil, err
		}
		var p partRecord
		if err := decode(v, &p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

type UploadPartCopyInput struct {
	Bucket, Key, UploadID string
	PartNumber            int
	SourceBucket          string
	SourceKey             string
	SourceVersionID       string
	// SourceRange is x-amz-copy-source-range ("bytes=first-last"), if any.
	SourceRange      string
	SourceConditions Conditions
	// CustomerKey is the upload's SSE-C key; SourceCustomerKey the source's.
	CustomerKey, SourceCustomerKey CustomerKey
}

type UploadPartCopyOutput struct {
	ETag            string
	Modified        time.Time
	Checksum        Checksum
	SourceVersionID string
}

func (s *Service) UploadPartCopy(ctx context.Context, in *UploadPartCopyInput) (*UploadPartCopyOutput, error) {
	u, err := s.partUpload(ctx, in.Bucket, in.Key, in.UploadID, in.PartNumber)
	if err != nil {
		return nil, err
	}
	kek, err := s.partKey(u, in.CustomerKey)
	if err != nil {
		return nil, err
	}
	var out *UploadPartCopyOutput
	err = s.readCopySource(ctx, in.SourceBucket, in.SourceKey, in.SourceVersionID, in.SourceConditions, in.SourceCustomerKey,
		func(src *objectRecord, srcVersion string, srcKey *seal.Key) error {
			off, n, err := copySourceRange(in.SourceRange, src.Size)
			if err != nil {
				return err
			}
			body, err := s.copyData(src, off, n, u.ChecksumAlgorithm, srcKey, storeAs{kek: kek})
			if err != nil {
				return err
			}
			p := partRecord{Number: in.PartNumber, Size: body.size, ETag: body.etag(),
				Modified: s.clock.Now().Truncate(time.Millisecond), Data: body.ref, Checksum: body.checksum.Value}
			if err := s.commitPart(u, p, body); err != nil {
				return err
			}
			out = &UploadPartCopyOutput{ETag: p.ETag, Modified: p.Modified, SourceVersionID: srcVersion}
			if u.ChecksumRequested {
				out.Checksum = Checksum{Algorithm: u.ChecksumAlgorithm, Value: p.Checksum}
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// copySourceRange parses x-amz-copy-source-range, which unlike Range must
// be exactly "bytes=first-last" inside the object.
func copySourceRange(h string, size int64) (int64, int64, error) {
	if h == "" {
		if size > MaxPutSize {
			return 0, 0, ErrInvalidRequest.WithMessage("The specified copy source is larger than the maximum allowable size for a copy source: %d", MaxPutSize)
		}
		return 0, size, nil
	}
	bad := invalidArgument("x-amz-copy-source-range", h, "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy")
	spec, ok := strings.CutPrefix(h, "bytes=")
	if !ok {
		return 0, 0, bad
	}
	a, b, ok := strings.Cut(spec, "-")
	first, err1 := strconv.ParseInt(a, 10, 64)
	last, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || err1 != nil || err2 != nil || first < 0 || last < first {
		return 0, 0, bad
	}
	if last >= size {
		return 0, 0, invalidArgument("x-amz-copy-source-range", h, "Range specified is not valid for source object of size: %d", size)
	}
	if last-first+1 > MaxPutSize {
		return 0, 0, ErrEntityTooLarge
	}
	return first, last - first + 1, nil
}

// CompletedPart is one part named in CompleteMultipartUpload.
type CompletedPart struct {
	PartNumber int
	ETag       string
	// Checksums are the part checksums sent, by algorithm (at most one is
	// valid).
	Checksums map[string]string
}

type CompleteMultipartUploadInput struct {
	Bucket, Key, UploadID string
	Parts                 []CompletedPart
	// ChecksumType and Checksum are x-amz-checksum-type and the full-object
	// x-amz-checksum-* header, if sent.
	ChecksumType string
	Checksum     string
	// ObjectSize is x-amz-mp-object-size, or -1 if not sent.
	ObjectSize int64
	Conditions WriteConditions
	// CustomerKey must repeat the upload's SSE-C key, if it has one.
	CustomerKey CustomerKey
}

type CompleteMultipartUploadOutput struct {
	ETag       string
	Checksum   Checksum
	VersionID  string
	Encryption Encryption
}

// CompleteMultipartUpload assembles the named parts into the object. The
// parts are concatenated into one blob file, so the object is a plain file
// like any other.
func (s *Service) CompleteMultipartUpload(ctx context.Context, in *CompleteMultipartUploadInput) (*CompleteMultipartUploadOutput, error) {
	if _, err := s.bucket(ctx, in.Bucket, sameRegion, "s3:PutObject", in.Key); err != nil {
		return nil, err
	}
	if err := in.Conditions.validate(); err != nil {
		return nil, err
	}
	if len(in.Parts) == 0 {
		return nil, ErrMalformedXML
	}
	mu := s.uploadLock(in.UploadID)
	mu.Lock()
	defer mu.Unlock()
	u, err := s.loadUpload(in.Bucket, in.Key, in.UploadID)
	if err != nil {
		return nil, err
	}
	kek, err := s.partKey(u, in.CustomerKey)
	if err != nil {
		return nil, err
	}
	if in.ChecksumType != "" && in.ChecksumType != u.ChecksumType && u.ChecksumRequested {
		return nil, ErrInvalidRequest.WithMessage("The upload was created using the %s checksum mode. The complete request must use the same checksum mode.", u.ChecksumType)
	}
	stored, err := s.parts(in.UploadID, 0, 0)
	if err != nil {
		return nil, err
	}
	byNumber := make(map[int]*partRecord, len(stored))
	for i := range stored {
		byNumber[stored[i].Number] = &stored[i]
	}
	chosen, err := pickParts(u, in, byNumber)
	if err != nil {
		return nil, err
	}

	md := md5.New()
	var total int64
	infos := make([]partInfo, len(chosen))
	sums := make([]string, len(chosen))
	sizes := make([]int64, len(chosen))
	for i, p := range chosen {
		raw, _ := hex.DecodeString(p.ETag)
		md.Write(raw)
		total += p.Size
		infos[i] = partInfo{Size: p.Size, Checksum: p.Checksum}
		sums[i], sizes[i] = p.Checksum, p.Size
	}
	sum := Checksum{Algorithm: u.ChecksumAlgorithm, Type: u.ChecksumType}
	if u.ChecksumType == ChecksumComposite {
		sum.Value, err = compositeChecksum(u.ChecksumAlgorithm, sums)
	} else {
		sum.Value, err = combineCRCs(u.ChecksumAlgorithm, sums, sizes)
	}
	if err != nil {
		return nil, err
	}
	if in.ObjectSize < -1 {
		return nil, ErrInvalidRequest.WithMessage("Value for x-amz-mp-object-size header is less than zero: '%d'", in.ObjectSize)
	}
	if in.ObjectSize >= 0 && in.ObjectSize != total {
		return nil, ErrInvalidRequest.WithMessage("The provided 'x-amz-mp-object-size' header value %d does not match what was computed: %d", in.ObjectSize, total)
	}
	if in.Checksum != "" && in.Checksum != sum.Value {
		return nil, ErrBadDigest.WithMessage("The %s you specified for the full object did not match the calculated checksum.", u.ChecksumAlgorithm)
	}
	if !u.ChecksumRequested {
		infos = stripPartChecksums(infos)
	}
	body, err := s.assemble(chosen, total, storeAs{kek: kek, pack: archived(u.StorageClass)})
	if err != nil {
		return nil, err
	}
	rec := &objectRecord{
		Size: total, ETag: hex.EncodeToString(md.Sum(nil)) + "-" + itoa(len(chosen)),
		Modified: s.clock.Now().Truncate(time.Millisecond), Data: body.ref,
		Headers: u.Headers, Metadata: u.Metadata, StorageClass: u.StorageClass, Tags: u.Tags,
		Checksum: sum, Parts: infos, Owner: u.Owner, Encryption: u.Encryption, Lock: u.Lock,
	}
	version, err := s.commitObject(u.Bucket, u.Key, rec, body, in.Conditions, false, func(b *meta.Batch) []func() {
		return s.dropParts(b, u, stored)
	})
	if err != nil {
		return nil, err
	}
	return &CompleteMultipartUploadOutput{ETag: rec.ETag, Checksum: sum, VersionID: version, Encryption: u.Encryption.info()}, nil
}

func stripPartChecksums(infos []partInfo) []partInfo {
	for i := range infos {
		infos[i].Checksum = ""
	}
	return infos
}

// pickParts checks the client's part list against the stored parts.
func pickParts(u *uploadRecord, in *CompleteMultipartUploadInput, stored map[int]*partRecord) ([]*partRecord, error) {
	chosen := make([]*partRecord, 0, len(in.Parts))
	for i, cp := range in.Parts {
		if cp.PartNumber < 1 {
			return nil, invalidArgument("PartNumber", itoa(cp.PartNumber), "PartNumber must be >= 1")
		}
		if i > 0 && cp.PartNumber <= in.Parts[i-1].PartNumber {
			return nil, ErrInvalidPartOrder.With("UploadId", in.UploadID)
		}
		if len(cp.Checksums) > 1 {
			return nil, invalidArgument("Checksum", "", "Invalid Base64 or multiple checksums present in request")
		}
		p, ok := stored[cp.PartNumber]
		if !ok || cleanETag(cp.ETag) != p.ETag {
			return nil, ErrInvalidPart.With("UploadId", in.UploadID).With("PartNumber", itoa(cp.PartNumber)).With("ETag", cp.ETag)
		}
		for alg, value := range cp.Checksums {
			if _, err := base64.StdEncoding.DecodeString(value); err != nil {
				return nil, invalidArgument("Checksum", value, "Invalid Base64 or multiple checksums present in request")
			}
			if alg != u.ChecksumAlgorithm || value != p.Checksum {
				return nil, ErrBadDigest.WithMessage("The %s you specified for part %d did not match what we received.", strings.ToLower(alg), cp.PartNumber)
			}
		}
		if len(cp.Checksums) == 0 && u.ChecksumRequested && u.ChecksumType == ChecksumComposite {
			return nil, ErrInvalidRequest.WithMessage("The upload was created using a %s checksum. The complete request must include the checksum for each part. It was missing for part %d in the request.", strings.ToLower(u.ChecksumAlgorithm), cp.PartNumber)
		}
		chosen = append(chosen, p)
	}
	for _, p := range chosen[:len(chosen)-1] {
		if p.Size < MinPartSize {
			return nil, ErrEntityTooSmall.
				With("ProposedSize", i64toa(p.Size)).With("MinSizeAllowed", itoa(MinPartSize)).
				With("PartNumber", itoa(p.Number)).With("ETag", p.ETag)
		}
	}
	return chosen, nil
}

// assemble concatenates parts into one new body. The parts of an encrypted
// upload are opened and the body sealed anew under its own data key, so
// that it is one sealed stream like any other.
func (s *Service) assemble(parts []*partRecord, total int64, st storeAs) (*ingested, error) {
	readers := make([]io.Reader, 0, len(parts))
	var closers []io.Closer
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	for _, p := range parts {
		r, c, err := s.openData(p.Data, p.Size, 0, p.Size, st.kek)
		if err != nil {
			return nil, err
		}
		readers = append(readers, r)
		closers = append(closers, c)
	}
	in := &ingested{size: total}
	if total <= s.opts.InlineMax {
		var buf bytes.Buffer
		if _, err := io.Copy(&buf, io.MultiReader(readers...)); err != nil {
			return nil, err
		}
		in.ref = dataRef{ID: s.newInlineID(), Inline: true}
		in.inline = st.inline(&in.ref, buf.Bytes())
		return in, nil
	}
	w, err := s.blobs.Create()
	if err != nil {
		return nil, err
	}
	in.ref = dataRef{ID: w.ID()}
	sw, err := st.writer(&in.ref, w)
	if err != nil {
		w.Abort()
		return nil, err
	}
	for _, r := range readers {
		if _, err := io.Copy(sw, r); err != nil {
			w.Abort()
			return nil, err
		}
	}
	if err := sw.Close(); err != nil {
		w.Abort()
		return nil, err
	}
	if err := w.Commit(); err != nil {
		return nil, err
	}
	return in, nil
}

// dropParts records the deletion of an upload and its parts in a batch.
func (s *Service) dropParts(b *meta.Batch, u *uploadRecord, parts []partRecord) []func() {
	after := make([]func(), 0, len(parts))
	for _, p := range parts {
		after = append(after, s.drop(b, p.Data))
	}
	b.DeleteRange(partPrefix(u.UploadID), prefixEnd(partPrefix(u.UploadID)))
	b.Delete(uploadKey(u.Bucket, u.Key, u.UploadID))
	return after
}

// dropUpload is dropParts for an upload whose parts are not loaded yet.
func (s *Service) dropUpload(b *meta.Batch, u *uploadRecord) ([]func(), error) {
	parts, err := s.parts(u.UploadID, 0, 0)
	if err != nil {
		return nil, err
	}
	return s.dropParts(b, u, parts), nil
}

type AbortMultipartUploadInput struct{ Bucket, Key, UploadID string }

type AbortMultipartUploadOutput struct{}

func (s *Service) AbortMultipartUpload(ctx context.Context, in *AbortMultipartUploadInput) (*AbortMultipartUploadOutput, error) {
	if _, err := s.bucket(ctx, in.Bucket, sameRegion, "s3:AbortMultipartUpload", in.Key); err != nil {
		return nil, err
	}
	u, err := s.loadUpload(in.Bucket, in.Key, in.UploadID)
	if err != nil {
		return nil, err
	}
	aborted, err := s.abortUpload(u)
	if err != nil {
		return nil, err
	}
	if !aborted {
		return nil, noSuchUpload(in.UploadID) // completed or aborted meanwhile
	}
	return &AbortMultipartUploadOutput{}, nil
}

// abortUpload deletes an upload and its parts, under the upload's lock. It
// reports false if the upload was already gone.
func (s *Service) abortUpload(u *uploadRecord) (bool, error) {
	mu := s.uploadLock(u.UploadID)
	mu.Lock()
	defer mu.Unlock()
	if _, err := s.loadUpload(u.Bucket, u.Key, u.UploadID); err != nil {
		if isCode(err, "NoSuchUpload") {
			return false, nil
		}
		return false, err
	}
	b := s.db.NewBatch()
	after, err := s.dropUpload(b, u)
	if err != nil {
		b.Close()
		return false, err
	}
	if err := b.Commit(); err != nil {
		return false, err
	}
	for _, f := range after {
		f()
	}
	return true, nil
}

type ListPartsInput struct {
	Bucket, Key, UploadID string
	PartNumberMarker      int
	MaxParts              int
}

// PartInfo is one part in ListParts.
type PartInfo struct {
	PartNumber int
	Modified   time.Time
	ETag       string
	Size       int64
	Checksum   string
}

type ListPartsOutput struct {
	Parts                []PartInfo
	IsTruncated          bool
	NextPartNumberMarker int
	MaxParts             int
	Owner                Owner
	StorageClass         string
	ChecksumAlgorithm    string
	ChecksumType         string
}

func (s *Service) ListParts(ctx context.Context, in *ListPartsInput) (*ListPartsOutput, error) {
	if _, err := s.bucket(ctx, in.Bucket, sameRegion, "s3:ListMultipartUploadParts", in.Key); err != nil {
		return nil, err
	}
	if in.MaxParts < 0 {
		return nil, invalidArgument("max-parts", itoa(in.MaxParts), "Argument max-parts must be an integer between 0 and 2147483647")
	}
	if in.PartNumberMarker < 0 {
		return nil, invalidArgument("part-number-marker", itoa(in.PartNumberMarker), "Argument part-number-marker must be an integer between 0 and 2147483647")
	}
	u, err := s.loadUpload(in.Bucket, in.Key, in.UploadID)
	if err != nil {
		return nil, err
	}
	max := min(in.MaxParts, 1000)
	out := &ListPartsOutput{MaxParts: max, Owner: OwnerOf(u.Owner), StorageClass: u.StorageClass}
	if u.ChecksumRequested {
		out.ChecksumAlgorithm, out.ChecksumType = u.ChecksumAlgorithm, u.ChecksumType
	}
	if max == 0 || in.PartNumberMarker >= MaxParts {
		return out, nil
	}
	parts, err := s.parts(in.UploadID, in.PartNumberMarker, max+1)
	if err != nil {
		return nil, err
	}
	if len(parts) > max {
		out.IsTruncated = true
		parts = parts[:max]
	}
	for _, p := range parts {
		pi := PartInfo{PartNumber: p.Number, Modified: p.Modified, ETag: p.ETag, Size: p.Size}
		if u.ChecksumRequested {
			pi.Checksum = p.Checksum
		}
		out.Parts = append(out.Parts, pi)
		out.NextPartNumberMarker = p.Number
	}
	return out, nil
}

type ListMultipartUploadsInput struct {
	Bucket         string
	Prefix         string
	Delimiter      string
	KeyMarker      string
	UploadIDMarker string
	MaxUploads     int
}

// UploadInfo is one upload in ListMultipartUploads.
type UploadInfo struct {
	Key               string
	UploadID          string
	Initiated         time.Time
	StorageClass      string
	Owner             Owner
	ChecksumAlgorithm string
	ChecksumType      string
}

type ListMultipartUploadsOutput struct {
	Uploads            []UploadInfo
	CommonPrefixes     []string
	IsTruncated        bool
	NextKeyMarker      string
	NextUploadIDMarker string
	MaxUploads         int
}

func (s *Service) ListMultipartUploads(ctx context.Context, in *ListMultipartUploadsInput) (_ *ListMultipartUploadsOutput, err error) {
	if _, err := s.bucket(ctx, in.Bucket, sameRegion, "s3:ListBucketMultipartUploads", ""); err != nil {
		return nil, err
	}
	if in.MaxUploads < 0 {
		return nil, invalidArgument("max-uploads", itoa(in.MaxUploads), "Argument max-uploads must be an integer between 0 and 2147483647")
	}
	max := min(in.MaxUploads, 1000)
	out := &ListMultipartUploadsOutput{MaxUploads: max}
	if max == 0 {
		return out, nil
	}
	base := uploadPrefix(in.Bucket)
	lower := append(bytes.Clone(base), in.Prefix...)
	it, err := s.db.NewIter(lower, prefixEnd(lower))
	if err != nil {
		return nil, err
	}
	defer closeIter(it, &err)

	ok := it.First()
	if in.KeyMarker != "" {
		seek := append(append(bytes.Clone(base), in.KeyMarker...), 0)
		if in.UploadIDMarker == "" {
			seek = append(seek, 0xff) // past every upload of the marker key
		} else {
			seek = append(append(seek, in.UploadIDMarker...), 0)
		}
		ok = it.SeekGE(seek)
	}
	keyOf := func(name string) string { key, _, _ := strings.Cut(name, "\x00"); return key }
	out.IsTruncated, err = walk(it, ok, base, in.Prefix, in.Delimiter, in.KeyMarker, max, keyOf, nil,
		func(key string, isPrefix bool) error {
			if isPrefix {
				out.CommonPrefixes = append(out.CommonPrefixes, key)
				out.NextKeyMarker, out.NextUploadIDMarker = key, ""
				return nil
			}
			v, err := it.Value()
			if err != nil {
				return err
			}
			var u uploadRecord
			if err := decode(v, &u); err != nil {
				return err
			}
			ui := UploadInfo{Key: key, UploadID: u.UploadID, Initiated: u.Initiated, StorageClass: u.StorageClass, Owner: OwnerOf(u.Owner)}
			if u.ChecksumRequested {
				ui.ChecksumAlgorithm, ui.ChecksumType = u.ChecksumAlgorithm, u.ChecksumType
			}
			out.Uploads = append(out.Uploads, ui)
			out.NextKeyMarker, out.NextUploadIDMarker = key, u.UploadID
			return nil
		})
	if err != nil {
		return nil, err
	}
	if !out.IsTruncated {
		out.NextKeyMarker, out.NextUploadIDMarker = "", ""
	}
	return out, nil
}

// scanUploads returns every upload in a bucket.
func (s *Service) scanUploads(bucket string) (_ []*uploadRecord, err error) {
	it, err := s.db.NewIter(uploadPrefix(bucket), prefixEnd(uploadPrefix(bucket)))
	if err != nil {
		return nil, err
	}
	defer closeIter(it, &err)
	var out []*uploadRecord
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			return nil, err
		}
		var u uploadRecord
		if err := decode(v, &u); err != nil {
			return nil, err
		}
		out = append(out, &u)
	}
	return out, nil
}
