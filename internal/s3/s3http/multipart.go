package s3http

import (
	"net/http"
	"strconv"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/restxml"
	"github.com/lakebox/lakebox/internal/awsproto/sigv4"
	"github.com/lakebox/lakebox/internal/s3"
)

func partNumber(r *http.Request) (int, error) {
	v := r.URL.Query().Get("partNumber")
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, awserr.New("InvalidArgument", 400, "Part number must be an integer between 1 and 10000, inclusive").With("ArgumentName", "partNumber").With("ArgumentValue", v)
	}
	return n, nil
}

func (h *Handler) createMultipartUpload(w http.ResponseWriter, r *http.Request, t target) error {
	if err := unsupportedWriteHeaders(r.Header); err != nil {
		return err
	}
	sse, err := sseRequest(r.Header)
	if err != nil {
		return err
	}
	lock, err := lockRequest(r.Header)
	if err != nil {
		return err
	}
	out, err := h.svc.CreateMultipartUpload(r.Context(), &s3.CreateMultipartUploadInput{
		Bucket: t.bucket, Key: t.key,
		Headers: objectHeaders(r.Header), Metadata: userMetadata(r.Header),
		StorageClass: r.Header.Get("X-Amz-Storage-Class"), Tagging: r.Header.Get("X-Amz-Tagging"),
		ACL: r.Header.Get("X-Amz-Acl"), ChecksumAlgorithm: r.Header.Get("X-Amz-Checksum-Algorithm"),
		ChecksumType: r.Header.Get("X-Amz-Checksum-Type"),
		SSE:          sse, CustomerKey: customerKey(r.Header, false), Lock: lock,
	})
	if err != nil {
		return err
	}
	setEncryption(w.Header(), out.Encryption)
	if out.ChecksumAlgorithm != "" {
		w.Header().Set("X-Amz-Checksum-Algorithm", out.ChecksumAlgorithm)
		w.Header().Set("X-Amz-Checksum-Type", out.ChecksumType)
	}
	return restxml.Write(w, http.StatusOK, initiateMultipartUploadResult{
		Xmlns: restxml.Namespace, Bucket: t.bucket, Key: t.key, UploadID: out.UploadID,
	})
}

func (h *Handler) uploadPart(w http.ResponseWriter, r *http.Request, t target) error {
	n, err := partNumber(r)
	if err != nil {
		return err
	}
	if err := requirePutLength(r); err != nil {
		return err
	}
	body, err := requestBody(r)
	if err != nil {
		return err
	}
	out, err := h.svc.UploadPart(r.Context(), &s3.UploadPartInput{
		Bucket: t.bucket, Key: t.key, UploadID: r.URL.Query().Get("uploadId"), PartNumber: n, Body: body,
		CustomerKey: customerKey(r.Header, false),
	})
	if err != nil {
		return err
	}
	setEncryption(w.Header(), out.Encryption)
	w.Header().Set("ETag", quote(out.ETag))
	setChecksum(w.Header(), out.Checksum)
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) uploadPartCopy(w http.ResponseWriter, r *http.Request, t target) error {
	n, err := partNumber(r)
	if err != nil {
		return err
	}
	srcBucket, srcKey, srcVersion, err := copySource(r.Header.Get("X-Amz-Copy-Source"))
	if err != nil {
		return err
	}
	out, err := h.svc.UploadPartCopy(r.Context(), &s3.UploadPartCopyInput{
		Bucket: t.bucket, Key: t.key, UploadID: r.URL.Query().Get("uploadId"), PartNumber: n,
		SourceBucket: srcBucket, SourceKey: srcKey, SourceVersionID: srcVersion,
		SourceRange:      r.Header.Get("X-Amz-Copy-Source-Range"),
		SourceConditions: readConditions(r.Header, "X-Amz-Copy-Source-"),
		CustomerKey:      customerKey(r.Header, false), SourceCustomerKey: customerKey(r.Header, true),
	})
	if err != nil {
		return err
	}
	setVersion(w.Header(), "X-Amz-Copy-Source-Version-Id", out.SourceVersionID)
	return restxml.Write(w, http.StatusOK, copyPartResult{
		Xmlns: restxml.Namespace, LastModified: xmlTime(out.Modified), ETag: quote(out.ETag),
		checksumXML: toChecksumXML(out.Checksum.Algorithm, out.Checksum.Value),
	})
}

func (h *Handler) completeMultipartUpload(w http.ResponseWriter, r *http.Request, t target) error {
	var doc completeMultipartUpload
	if err := restxml.Decode(r.Body, &doc, maxXMLBody); err != nil {
		return err
	}
	in := &s3.CompleteMultipartUploadInput{
		Bucket: t.bucket, Key: t.key, UploadID: r.URL.Query().Get("uploadId"),
		ChecksumType: r.Header.Get("X-Amz-Checksum-Type"), Conditions: writeConditions(r.Header),
		CustomerKey: customerKey(r.Header, false),
	}
	for _, alg := range s3.ChecksumAlgorithms() {
		if v := r.Header.Get(s3.ChecksumHeader(alg)); v != "" {
			if in.Checksum != "" {
				return errMultipleChecksums()
			}
			in.Checksum = v
		}
	}
	in.ObjectSize = -1
	if v := r.Header.Get("X-Amz-Mp-Object-Size"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return awserr.New("InvalidRequest", 400, "Value for x-amz-mp-object-size header is invalid: '"+v+"'")
		}
		in.ObjectSize = n
	}
	for _, p := range doc.Parts {
		if p.PartNumber == nil || p.ETag == nil {
			return restxml.ErrMalformedXML
		}
		in.Parts = append(in.Parts, s3.CompletedPart{PartNumber: *p.PartNumber, ETag: *p.ETag, Checksums: p.values()})
	}
	out, err := h.svc.CompleteMultipartUpload(r.Context(), in)
	if err != nil {
		return err
	}
	res := completeMultipartUploadResult{
		Xmlns: restxml.Namespace, Location: "http://" + r.Host + "/" + t.bucket + "/" + sigv4.URIEncode(t.key, false), Bucket: t.bucket, Key: t.key,
		ETag: quote(out.ETag), ChecksumType: out.Checksum.Type,
		checksumXML: toChecksumXML(out.Checksum.Algorithm, out.Checksum.Value),
	}
	setVersion(w.Header(), "X-Amz-Version-Id", out.VersionID)
	setEncryption(w.Header(), out.Encryption)
	return restxml.Write(w, http.StatusOK, res)
}

func (h *Handler) abortMultipartUpload(w http.ResponseWriter, r *http.Request, t target) error {
	_, err := h.svc.AbortMultipartUpload(r.Context(), &s3.AbortMultipartUploadInput{
		Bucket: t.bucket, Key: t.key, UploadID: r.URL.Query().Get("uploadId"),
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) listParts(w http.ResponseWriter, r *http.Request, t target) error {
	q := r.URL.Query()
	in := &s3.ListPartsInput{Bucket: t.bucket, Key: t.key, UploadID: q.Get("uploadId"), MaxParts: 1000}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"max-parts", &in.MaxParts}, {"part-number-marker", &in.PartNumberMarker}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return awserr.New("InvalidArgument", 400, "Provided "+p.name+" not an integer or within integer range").With("ArgumentName", p.name).With("ArgumentValue", v)
			}
			*p.dst = n
		}
	}
	out, err := h.svc.ListParts(r.Context(), in)
	if err != nil {
		return err
	}
	res := listPartsResult{
		Xmlns: restxml.Namespace, Bucket: t.bucket, Key: t.key, UploadID: in.UploadID,
		Initiator: toOwner(out.Owner), Owner: toOwner(out.Owner), StorageClass: out.StorageClass,
		PartNumberMarker: in.PartNumberMarker, NextPartNumberMarker: out.NextPartNumberMarker,
		MaxParts: out.MaxParts, IsTruncated: out.IsTruncated,
		ChecksumAlgorithm: out.ChecksumAlgorithm, ChecksumType: out.ChecksumType,
	}
	for _, p := range out.Parts {
		res.Parts = append(res.Parts, partXML{PartNumber: p.PartNumber, LastModified: xmlTime(p.Modified),
			ETag: quote(p.ETag), Size: p.Size, checksumXML: toChecksumXML(out.ChecksumAlgorithm, p.Checksum)})
	}
	return restxml.Write(w, http.StatusOK, res)
}
