package s3http

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/restxml"
	"github.com/lakebox/lakebox/internal/awsproto/sigv4"
	"github.com/lakebox/lakebox/internal/s3"
)

// listParams reads the query parameters ListObjects V1 and V2 share.
func listParams(q url.Values, t target) (*s3.ListObjectsInput, bool, error) {
	in := &s3.ListObjectsInput{Bucket: t.bucket, Prefix: q.Get("prefix"), Delimiter: q.Get("delimiter"), MaxKeys: s3.MaxListKeys}
	if v := q.Get("max-keys"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, false, awserr.New("InvalidArgument", 400, "Provided max-keys not an integer or within integer range").With("ArgumentName", "max-keys").With("ArgumentValue", v)
		}
		in.MaxKeys = n
	}
	urlEncode := false
	switch enc := q.Get("encoding-type"); enc {
	case "":
	case "url":
		urlEncode = true
	default:
		return nil, false, awserr.New("InvalidArgument", 400, "Invalid Encoding Method specified in Request").With("ArgumentName", "encoding-type").With("ArgumentValue", enc)
	}
	return in, urlEncode, nil
}

// encoder returns the function applied to keys and prefixes in a listing:
// identity, or S3's URL encoding for encoding-type=url.
func encoder(urlEncode bool) func(string) string {
	if !urlEncode {
		return func(s string) string { return s }
	}
	return func(s string) string { return sigv4.URIEncode(s, false) }
}

func (h *Handler) listObjects(w http.ResponseWriter, r *http.Request, t target) error {
	q := r.URL.Query()
	in, urlEnc, err := listParams(q, t)
	if err != nil {
		return err
	}
	in.After = q.Get("marker")
	out, err := h.svc.ListObjects(r.Context(), in)
	if err != nil {
		return err
	}
	enc := encoder(urlEnc)
	marker := enc(in.After)
	res := h.listResult(t, in, out, enc, true)
	res.Marker = &marker
	if in.Delimiter != "" {
		res.NextMarker = enc(out.NextMarker)
	}
	return writeList(w, &res)
}

func (h *Handler) listObjectsV2(w http.ResponseWriter, r *http.Request, t target) error {
	q := r.URL.Query()
	in, urlEnc, err := listParams(q, t)
	if err != nil {
		return err
	}
	in.After = q.Get("start-after")
	in.ContinuationToken = q.Get("continuation-token")
	if q.Has("continuation-token") && in.ContinuationToken == "" {
		return awserr.New("InvalidArgument", 400, "The continuation token provided is incorrect").With("ArgumentName", "continuation-token")
	}
	out, err := h.svc.ListObjects(r.Context(), in)
	if err != nil {
		return err
	}
	enc := encoder(urlEnc)
	res := h.listResult(t, in, out, enc, q.Get("fetch-owner") == "true")
	count := len(out.Contents) + len(out.CommonPrefixes)
	res.KeyCount = &count
	res.ContinuationToken = in.ContinuationToken
	res.NextContinuationToken = out.NextContinuationToken
	res.StartAfter = enc(in.After)
	return writeList(w, &res)
}

func (h *Handler) listResult(t target, in *s3.ListObjectsInput, out *s3.ListObjectsOutput, enc func(string) string, owner bool) listBucketResult {
	res := listBucketResult{
		Xmlns: restxml.Namespace, Name: t.bucket, Prefix: enc(in.Prefix), MaxKeys: in.MaxKeys,
		Delimiter: enc(in.Delimiter), IsTruncated: out.IsTruncated,
		Contents: make([]objectXML, 0, len(out.Contents)),
	}
	if enc("%") != "%" {
		res.EncodingType = "url"
	}
	for _, o := range out.Contents {
		x := objectXML{Key: enc(o.Key), LastModified: xmlTime(o.Modified), ETag: quote(o.ETag), Size: o.Size,
			StorageClass: o.StorageClass, ChecksumAlgorithm: o.Checksum.Algorithm, ChecksumType: o.Checksum.Type}
		if owner {
			x.Owner = toOwner(o.Owner)
		}
		res.Contents = append(res.Contents, x)
	}
	for _, p := range out.CommonPrefixes {
		res.CommonPrefixes = append(res.CommonPrefixes, prefixXML{Prefix: enc(p)})
	}
	return res
}

func (h *Handler) listMultipartUploads(w http.ResponseWriter, r *http.Request, t target) error {
	q := r.URL.Query()
	in := &s3.ListMultipartUploadsInput{
		Bucket: t.bucket, Prefix: q.Get("prefix"), Delimiter: q.Get("delimiter"),
		KeyMarker: q.Get("key-marker"), UploadIDMarker: q.Get("upload-id-marker"), MaxUploads: 1000,
	}
	if v := q.Get("max-uploads"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return awserr.New("InvalidArgument", 400, "Provided max-uploads not an integer or within integer range").With("ArgumentName", "max-uploads").With("ArgumentValue", v)
		}
		in.MaxUploads = n
	}
	urlEnc := false
	switch e := q.Get("encoding-type"); e {
	case "":
	case "url":
		urlEnc = true
	default:
		return awserr.New("InvalidArgument", 400, "Invalid Encoding Method specified in Request").With("ArgumentName", "encoding-type").With("ArgumentValue", e)
	}
	out, err := h.svc.ListMultipartUploads(r.Context(), in)
	if err != nil {
		return err
	}
	enc := encoder(urlEnc)
	res := listMultipartUploadsResult{
		Xmlns: restxml.Namespace, Bucket: t.bucket, KeyMarker: enc(in.KeyMarker), UploadIDMarker: in.UploadIDMarker,
		NextKeyMarker: enc(out.NextKeyMarker), NextUploadIDMarker: out.NextUploadIDMarker,
		Prefix: enc(in.Prefix), Delimiter: enc(in.Delimiter), MaxUploads: out.MaxUploads, IsTruncated: out.IsTruncated,
	}
	if urlEnc {
		res.EncodingType = "url"
	}
	for _, u := range out.Uploads {
		res.Uploads = append(res.Uploads, uploadXML{
			Key: enc(u.Key), UploadID: u.UploadID, Initiator: toOwner(u.Owner), Owner: toOwner(u.Owner),
			StorageClass: u.StorageClass, Initiated: xmlTime(u.Initiated),
			ChecksumAlgorithm: u.ChecksumAlgorithm, ChecksumType: u.ChecksumType,
		})
	}
	for _, p := range out.CommonPrefixes {
		res.CommonPrefixes = append(res.CommonPrefixes, prefixXML{Prefix: enc(p)})
	}
	return restxml.Write(w, http.StatusOK, res)
}

func (h *Handler) listObjectVersions(w http.ResponseWriter, r *http.Request, t target) error {
	q := r.URL.Query()
	params, urlEnc, err := listParams(q, t)
	if err != nil {
		return err
	}
	in := &s3.ListObjectVersionsInput{Bucket: t.bucket, Prefix: params.Prefix, Delimiter: params.Delimiter,
		MaxKeys: params.MaxKeys, KeyMarker: q.Get("key-marker"), VersionIDMarker: q.Get("version-id-marker")}
	out, err := h.svc.ListObjectVersions(r.Context(), in)
	if err != nil {
		return err
	}
	enc := encoder(urlEnc)
	res := listVersionsResult{
		Xmlns: restxml.Namespace, Name: t.bucket, Prefix: enc(in.Prefix), KeyMarker: enc(in.KeyMarker),
		VersionIDMarker: in.VersionIDMarker, MaxKeys: min(in.MaxKeys, s3.MaxListKeys), Delimiter: enc(in.Delimiter),
		IsTruncated: out.IsTruncated, NextKeyMarker: enc(out.NextKeyMarker), NextVersionIDMarker: out.NextVersionIDMarker,
	}
	if urlEnc {
		res.EncodingType = "url"
	}
	for _, v := range out.Versions {
		x := versionXML{XMLName: xml.Name{Local: "Version"}, Key: enc(v.Key), VersionID: v.VersionID, IsLatest: v.IsLatest,
			LastModified: xmlTime(v.Modified), Owner: ownerXML{ID: v.Owner.ID, DisplayName: v.Owner.DisplayName}}
		if v.DeleteMarker {
			x.XMLName.Local = "DeleteMarker"
		} else {
			size := v.Size
			x.ETag, x.Size, x.StorageClass = quote(v.ETag), &size, v.StorageClass
			x.ChecksumAlg, x.ChecksumType = v.Checksum.Algorithm, v.Checksum.Type
		}
		res.Versions = append(res.Versions, x)
	}
	for _, p := range out.CommonPrefixes {
		res.CommonPrefixes = append(res.CommonPrefixes, prefixXML{Prefix: enc(p)})
	}
	return restxml.Write(w, http.StatusOK, res)
}
