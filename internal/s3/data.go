package s3

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"io"
	"strconv"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/storage/meta"
)

// Body is an incoming object or part body and what the client claims about
// it.
type Body struct {
	// Reader yields the bytes. It may fail with an *awserr.Error (a payload
	// that does not match its signature), which is returned as is.
	Reader io.Reader
	// Size is the declared length, or -1 if unknown.
	Size int64
	// ContentMD5 is the base64 Content-MD5 header, if sent.
	ContentMD5 string
	// ChecksumAlgorithm is the algorithm of the checksum the client sends,
	// in a header (Checksum) or a trailer; "" if none.
	ChecksumAlgorithm string
	// Checksum is the base64 value the client sent in a header, if any.
	Checksum string
	// SDKAlgorithm is x-amz-sdk-checksum-algorithm, which must agree with
	// the checksum sent.
	SDKAlgorithm string
	// Trailer returns the value of a checksum sent as a trailer; it is
	// called only after Reader reached EOF. Nil if no trailer was declared.
	Trailer func() string
}

// ingested is a body written to storage but not yet referenced.
type ingested struct {
	ref      dataRef
	inline   []byte
	size     int64
	md5      []byte
	checksum Checksum
}

func (in *ingested) etag() string { return hex.EncodeToString(in.md5) }

// ingest reads a body into storage: into memory if it is at most InlineMax
// bytes, otherwise into a durable blob file. It verifies the length, the
// Content-MD5 and the checksum before anything is kept; on error nothing is.
// alg is the checksum algorithm to compute (the claim's, or a default). st
// says how the body is stored; sealed, its plaintext never reaches the disk.
func (s *Service) ingest(b *Body, alg string, maxSize int64, st storeAs) (*ingested, error) {
	if b.Size > maxSize {
		return nil, ErrEntityTooLarge.With("ProposedSize", i64toa(b.Size)).With("MaxSizeAllowed", i64toa(maxSize))
	}
	var wantMD5 []byte
	if b.ContentMD5 != "" {
		var err error
		if wantMD5, err = base64.StdEncoding.DecodeString(b.ContentMD5); err != nil || len(wantMD5) != md5.Size {
			return nil, ErrInvalidDigest.With("Content-MD5", b.ContentMD5)
		}
	}
	md := md5.New()
	sum := checksumAlgs[alg].newHash()
	in := &ingested{}

	// Read up to InlineMax+1 bytes: a body that fits stays in memory.
	limit := s.opts.InlineMax + 1
	if b.Size >= 0 && b.Size < limit {
		limit = b.Size + 1
	}
	buf := make([]byte, 0, min(limit, 1<<20))
	head, err := readUpTo(b.Reader, buf, limit)
	if err != nil {
		return nil, bodyError(err)
	}
	in.size = int64(len(head))

	if in.size <= s.opts.InlineMax {
		md.Write(head)
		sum.Write(head)
		in.ref = dataRef{ID: s.newInlineID(), Inline: true}
		in.inline = st.inline(&in.ref, head)
		return in, in.verify(b, wantMD5, md, sum, alg)
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
	n, err := s.copyBody(sw, b.Reader, head, maxSize, md, sum)
	in.size = n
	if err == nil {
		err = in.verify(b, wantMD5, md, sum, alg)
	}
	if err != nil {
		w.Abort()
		return nil, err
	}
	if err := w.Commit(); err != nil {
		return nil, err
	}
	return in, nil
}

func (in *ingested) verify(b *Body, wantMD5 []byte, md, sum hash.Hash, alg string) error {
	if b.Size >= 0 && in.size != b.Size {
		return ErrIncompleteBody
	}
	in.md5 = md.Sum(nil)
	if wantMD5 != nil && !bytes.Equal(in.md5, wantMD5) {
		return ErrBadDigest.
			With("ExpectedDigest", hex.EncodeToString(wantMD5)).
			With("CalculatedDigest", base64.StdEncoding.EncodeToString(in.md5))
	}
	in.checksum = Checksum{Algorithm: alg, Value: encodeSum(sum), Type: ChecksumFullObject}
	want := b.Checksum
	if want == "" && b.Trailer != nil {
		want = b.Trailer()
		if want == "" {
			return awserr.New("MalformedTrailerError", 400, "The request contained trailing data that was not well-formed or did not conform to our published schema.")
		}
		if err := checkChecksumValue(alg, want, true); err != nil {
			return err
		}
	}
	if want != "" && want != in.checksum.Value {
		return ErrBadDigest.WithMessage("The %s you specified did not match the calculated checksum.", alg)
	}
	return nil
}

// readUpTo reads until EOF or until limit bytes are in buf.
func readUpTo(r io.Reader, buf []byte, limit int64) ([]byte, error) {
	for int64(len(buf)) < limit {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		room := buf[len(buf):min(int64(cap(buf)), limit)]
		n, err := r.Read(room)
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// copyBody writes head and then the rest of r to w, hashing as it goes on
// another goroutine, and returns the total length. It closes w after the
// last byte; on error w is left unclosed.
func (s *Service) copyBody(w io.WriteCloser, r io.Reader, head []byte, maxSize int64, hashes ...hash.Hash) (int64, error) {
	for _, h := range hashes {
		h.Write(head)
	}
	if _, err := w.Write(head); err != nil {
		return 0, err
	}
	total := int64(len(head))
	pipe := newHashPipe(&s.chunks, hashes...)
	defer pipe.close()
	for {
		buf := pipe.buffer()
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			total += int64(n)
			if total > maxSize {
				pipe.hash(buf[:0])
				return total, ErrEntityTooLarge.With("MaxSizeAllowed", i64toa(maxSize))
			}
			if _, werr := w.Write(buf[:n]); werr != nil {
				pipe.hash(buf[:0])
				return total, werr
			}
		}
		pipe.hash(buf[:n])
		switch {
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			return total, w.Close()
		case err != nil:
			return total, bodyError(err)
		}
	}
}

// bodyError passes AWS errors from the body reader through and reports any
// other read failure (a client that went away) as an incomplete body.
func bodyError(err error) error {
	if _, ok := awserr.As(err); ok {
		return err
	}
	return ErrIncompleteBody.Wrap(err)
}

// keep records an ingested body in a batch: inline bytes under their data
// key, or a reference key for a blob file.
func keep(b *meta.Batch, in *ingested) {
	if in.ref.Inline {
		b.Set(dataKey(in.ref.ID), in.inline)
	} else {
		b.Set(refKey(in.ref.ID), nil)
	}
}

// discard removes a body that was ingested but will not be referenced.
func (s *Service) discard(in *ingested) {
	if in != nil && !in.ref.Inline {
		s.blobs.Remove(in.ref.ID)
	}
}

// drop records the removal of a referenced body in a batch. The returned
// function deletes a blob file and must run after the batch commits.
func (s *Service) drop(b *meta.Batch, ref dataRef) func() {
	if ref.ID == "" {
		return func() {}
	}
	if ref.Inline {
		b.Delete(dataKey(ref.ID))
		return func() {}
	}
	b.Delete(refKey(ref.ID))
	return func() {
		if err := s.blobs.Remove(ref.ID); err != nil {
			s.opts.Logger.Warn("remove blob", "id", ref.ID, "err", err)
		}
	}
}

func i64toa(n int64) string { return strconv.FormatInt(n, 10) }

// ReadDocument reads a small request document, such as the XML of
// DeleteObjects, verifying its Content-MD5 and checksum claims as for an
// object body. With requireDigest, a document without either is refused, as
// S3 refuses DeleteObjects without one.
func ReadDocument(b *Body, limit int64, requireDigest bool) ([]byte, error) {
	if requireDigest && b.ContentMD5 == "" && b.Checksum == "" && b.Trailer == nil {
		return nil, ErrInvalidRequest.WithMessage("Missing required header for this request: Content-MD5 or x-amz-checksum-*")
	}
	alg, err := bodyChecksum(b)
	if err != nil {
		return nil, err
	}
	var wantMD5 []byte
	if b.ContentMD5 != "" {
		if wantMD5, err = base64.StdEncoding.DecodeString(b.ContentMD5); err != nil || len(wantMD5) != md5.Size {
			return nil, ErrInvalidDigest.With("Content-MD5", b.ContentMD5)
		}
	}
	data, err := readUpTo(b.Reader, nil, limit+1)
	if err != nil {
		return nil, bodyError(err)
	}
	if int64(len(data)) > limit {
		return nil, ErrMalformedXML.WithMessage("The XML you provided was larger than the maximum of %d bytes allowed.", limit)
	}
	md, sum := md5.New(), checksumAlgs[alg].newHash()
	md.Write(data)
	sum.Write(data)
	in := &ingested{size: int64(len(data))}
	if err := in.verify(b, wantMD5, md, sum, alg); err != nil {
		return nil, err
	}
	return data, nil
}
