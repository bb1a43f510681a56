package s3http

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/s3"
)

// requestBody describes r's body for the service: its length, digests and
// checksum, sent as headers or as an aws-chunked trailer.
func requestBody(r *http.Request) (s3.Body, error) {
	b := s3.Body{
		Reader:       r.Body,
		Size:         r.ContentLength,
		ContentMD5:   r.Header.Get("Content-Md5"),
		SDKAlgorithm: r.Header.Get("X-Amz-Sdk-Checksum-Algorithm"),
	}
	if v, ok := r.Header["Content-Md5"]; ok && (len(v) != 1 || v[0] == "") {
		return b, s3.ErrInvalidDigest.With("Content-MD5", strings.Join(v, ","))
	}
	// One pass over the headers finds the checksum header, if any: this
	// runs for every PUT.
	for name, v := range r.Header {
		if len(name) < len(checksumHeaderPrefix) || !strings.EqualFold(name[:len(checksumHeaderPrefix)], checksumHeaderPrefix) {
			continue
		}
		switch strings.ToLower(name[len(checksumHeaderPrefix):]) {
		case "mode", "type", "algorithm":
			continue
		}
		alg := s3.ChecksumHeaderAlgorithm(name)
		switch {
		case alg == "":
			return b, awserr.New("InvalidRequest", 400, "The algorithm type you specified in x-amz-checksum- header is invalid.")
		case len(v) == 0 || v[0] == "":
			continue
		case b.ChecksumAlgorithm != "":
			return b, errMultipleChecksums()
		}
		b.ChecksumAlgorithm, b.Checksum = alg, v[0]
	}
	if tr := strings.ToLower(strings.TrimSpace(r.Header.Get("X-Amz-Trailer"))); tr != "" {
		alg := s3.ChecksumHeaderAlgorithm(tr)
		switch {
		case alg == "":
			return b, awserr.New("InvalidRequest", 400, "The value specified in the x-amz-trailer header is not supported")
		case b.ChecksumAlgorithm != "":
			return b, errMultipleChecksums()
		}
		b.ChecksumAlgorithm = alg
		b.Trailer = func() string { return r.Trailer.Get(tr) }
	}
	return b, nil
}

const checksumHeaderPrefix = "x-amz-checksum-"

func errMultipleChecksums() error {
	return awserr.New("InvalidRequest", 400, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
}

// requirePutLength enforces S3's rule that uploads declare their length.
func requirePutLength(r *http.Request) error {
	if r.ContentLength < 0 {
		return s3.ErrMissingContentLength
	}
	return nil
}

func objectHeaders(h http.Header) s3.Headers {
	return s3.Headers{
		ContentType:        h.Get("Content-Type"),
		ContentEncoding:    h.Get("Content-Encoding"),
		ContentDisposition: h.Get("Content-Disposition"),
		ContentLanguage:    h.Get("Content-Language"),
		CacheControl:       h.Get("Cache-Control"),
		Expires:            h.Get("Expires"),
	}
}

// userMetadata collects x-amz-meta-* headers, keys lower-cased as S3 stores
// them.
func userMetadata(h http.Header) map[string]string {
	var md map[string]string
	for name, values := range h {
		if len(name) > len("X-Amz-Meta-") && strings.EqualFold(name[:len("X-Amz-Meta-")], "X-Amz-Meta-") {
			if md == nil {
				md = make(map[string]string)
			}
			md[strings.ToLower(name[len("X-Amz-Meta-"):])] = strings.Join(values, ",")
		}
	}
	return md
}

// readConditions parses If-* headers (prefix "") or x-amz-copy-source-if-*
// headers (prefix "X-Amz-Copy-Source-"). Unparseable dates are ignored, as
// HTTP requires.
func readConditions(h http.Header, prefix string) s3.Conditions {
	c := s3.Conditions{IfMatch: h.Get(prefix + "If-Match"), IfNoneMatch: h.Get(prefix + "If-None-Match")}
	if t, err := http.ParseTime(h.Get(prefix + "If-Modified-Since")); err == nil {
		c.IfModifiedSince = t
	}
	if t, err := http.ParseTime(h.Get(prefix + "If-Unmodified-Since")); err == nil {
		c.IfUnmodifiedSince = t
	}
	return c
}

func writeConditions(h http.Header) s3.WriteConditions {
	return s3.WriteConditions{IfMatch: h.Get("If-Match"), IfNoneMatch: h.Get("If-None-Match")}
}

func quote(etag string) string { return `"` + etag + `"` }

// setChecksum writes x-amz-checksum-<alg> and x-amz-checksum-type.
func setChecksum(h http.Header, c s3.Checksum) {
	if c.IsZero() || c.Value == "" {
		return
	}
	h.Set(s3.ChecksumHeader(c.Algorithm), c.Value)
	if c.Type != "" {
		h.Set("X-Amz-Checksum-Type", c.Type)
	}
}

// responseOverrides are the query parameters that replace stored headers in
// a GET response.
var responseOverrides = []struct{ param, header string }{
	{"response-content-type", "Content-Type"},
	{"response-content-language", "Content-Language"},
	{"response-expires", "Expires"},
	{"response-cache-control", "Cache-Control"},
	{"response-content-disposition", "Content-Disposition"},
	{"response-content-encoding", "Content-Encoding"},
}

// writeObjectHeaders sets the headers S3 returns for GET and HEAD.
func writeObjectHeaders(w http.ResponseWriter, r *http.Request, o *s3.ObjectInfo, partNumber int) {
	h := w.Header()
	h.Set("ETag", quote(o.ETag))
	h.Set("Last-Modified", o.Modified.UTC().Format(http.TimeFormat))
	h.Set("Accept-Ranges", "bytes")
	setVersion(h, "X-Amz-Version-Id", o.VersionID)
	setEncryption(h, o.Encryption)
	if o.Restore != "" {
		h.Set("X-Amz-Restore", o.Restore)
	}
	setLock(h, o.Lock)
	if o.ArchiveStatus != "" {
		h.Set("X-Amz-Archive-Status", o.ArchiveStatus)
	}
	for _, kv := range []struct{ name, v string }{
		{"Content-Type", o.Headers.ContentType},
		{"Content-Encoding", o.Headers.ContentEncoding},
		{"Content-Disposition", o.Headers.ContentDisposition},
		{"Content-Language", o.Headers.ContentLanguage},
		{"Cache-Control", o.Headers.CacheControl},
		{"Expires", o.Headers.Expires},
	} {
		if kv.v != "" {
			h.Set(kv.name, kv.v)
		}
	}
	for k, v := range o.Metadata {
		h["X-Amz-Meta-"+k] = []string{v}
	}
	if o.StorageClass != "" && o.StorageClass != "STANDARD" {
		h.Set("X-Amz-Storage-Class", o.StorageClass)
	}
	if o.TagCount > 0 {
		h.Set("X-Amz-Tagging-Count", strconv.Itoa(o.TagCount))
	}
	if partNumber > 0 && o.PartsCount > 0 {
		h.Set("X-Amz-Mp-Parts-Count", strconv.Itoa(o.PartsCount))
	}
	setChecksum(h, o.Checksum)
	q := r.URL.Query()
	for _, ov := range responseOverrides {
		if v := q.Get(ov.param); v != "" {
			h.Set(ov.header, v)
		}
	}
}

func httpTime(t time.Time) string { return t.UTC().Format(http.TimeFormat) }
