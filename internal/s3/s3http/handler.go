package s3http

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/lakebox/lakebox/internal/awsproto"
	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/restxml"
	"github.com/lakebox/lakebox/internal/s3"
)

// Options configure the handler.
type Options struct {
	// Domains are extra host names under which "<bucket>.<domain>" is a
	// virtual-hosted-style request. "localhost" and any host containing
	// ".s3." always are.
	Domains []string
}

// Handler serves the S3 REST API.
type Handler struct {
	svc      *s3.Service
	opts     Options
	copyBufs sync.Pool // *[]byte of 1 MiB, for large response bodies
}

// New returns a handler for svc.
func New(svc *s3.Service, opts Options) *Handler {
	h := &Handler{svc: svc, opts: opts}
	h.copyBufs.New = func() any { b := make([]byte, 1<<20); return &b }
	return h
}

// target is the bucket and key a request addresses.
type target struct {
	bucket, key string
}

// opFunc serves one operation. It returns an error instead of writing one.
type opFunc func(w http.ResponseWriter, r *http.Request, t target) error

// ServeHTTP routes the request, runs the operation and renders its error.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	info := awsproto.Info(r.Context())
	info.Service = "s3"
	t := h.target(r)
	op, fn := h.route(r, t)
	info.Operation = op
	tw := &trackingWriter{ResponseWriter: w}
	if owner, source := r.Header.Get("X-Amz-Expected-Bucket-Owner"), r.Header.Get("X-Amz-Source-Expected-Bucket-Owner"); owner != "" || source != "" {
		ctx := s3.WithExpectedOwner(r.Context(), owner, false)
		r = r.WithContext(s3.WithExpectedOwner(ctx, source, true))
	}
	h.corsHeaders(tw, r, t)
	if err := fn(tw, r, t); err != nil {
		e, ok := awserr.As(err)
		if !ok {
			e = awserr.Internal(err)
		}
		if e.Status >= 500 {
			info.Err = err
		}
		if tw.wroteHeader {
			// The status line is gone: cut the connection so the client
			// sees a truncated response, not a complete one.
			info.Err = err
			panic(http.ErrAbortHandler)
		}
		restxml.WriteError(tw, r, e, info.ID, info.HostID)
	}
}

// target finds the bucket in the Host header (virtual-hosted style) or the
// first path segment (path style).
func (h *Handler) target(r *http.Request) target {
	path := r.URL.Path
	if b := h.bucketFromHost(r.Host); b != "" {
		return target{bucket: b, key: strings.TrimPrefix(path, "/")}
	}
	bucket, key, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return target{bucket: bucket, key: key}
}

func (h *Handler) bucketFromHost(host string) string {
	if hp, _, err := net.SplitHostPort(host); err == nil {
		host = hp
	}
	host = strings.ToLower(host)
	if net.ParseIP(host) != nil {
		return ""
	}
	var b string
	if p, ok := strings.CutSuffix(host, ".localhost"); ok {
		b = p
	}
	for _, d := range h.opts.Domains {
		if p, ok := strings.CutSuffix(host, "."+d); ok {
			b = p
		}
	}
	if b == "" {
		if i := strings.Index(host, ".s3."); i > 0 {
			b = host[:i]
		} else if i := strings.Index(host, ".s3-"); i > 0 {
			b = host[:i]
		}
	}
	if !s3.ValidBucketName(b) {
		return ""
	}
	return b
}

// route picks the operation: by the level addressed (service, bucket,
// object), then by sub-resource, then by method.
func (h *Handler) route(r *http.Request, t target) (string, opFunc) {
	q := r.URL.Query()
	switch {
	case t.bucket == "":
		if r.Method == http.MethodGet {
			return "ListBuckets", h.listBuckets
		}
		return methodNotAllowed(r, "SERVICE")
	case r.Method == http.MethodOptions:
		return "PreflightRequest", h.preflight
	case t.key == "":
		return h.routeBucket(r, q)
	default:
		return h.routeObject(r, q)
	}
}

func (h *Handler) routeBucket(r *http.Request, q url.Values) (string, opFunc) {
	for _, c := range []struct {
		param, name      string
		put, get, delete opFunc
	}{
		{"encryption", "BucketEncryption", h.putBucketEncryption, h.getBucketEncryption, h.deleteBucketEncryption},
		{"lifecycle", "BucketLifecycleConfiguration", h.putBucketLifecycle, h.getBucketLifecycle, h.deleteBucketLifecycle},
		{"intelligent-tiering", "BucketIntelligentTieringConfiguration", h.putBucketTiering, h.getBucketTiering, h.deleteBucketTiering},
		{"cors", "BucketCors", h.putBucketCors, h.getBucketCors, h.deleteBucketCors},
		{"publicAccessBlock", "PublicAccessBlock", h.putPublicAccessBlock, h.getPublicAccessBlock, h.deletePublicAccessBlock},
		{"ownershipControls", "BucketOwnershipControls", h.putOwnershipControls, h.getOwnershipControls, h.deleteOwnershipControls},
		{"notification", "BucketNotificationConfiguration", h.putBucketNotification, h.getBucketNotification, nil},
		{"metrics", "BucketMetricsConfiguration", h.putBucketMetrics, h.getBucketMetrics, h.deleteBucketMetrics},
		{"object-lock", "ObjectLockConfiguration", h.putObjectLockConfig, h.getObjectLockConfig, nil},
	} {
		if !q.Has(c.param) {
			continue
		}
		switch r.Method {
		case http.MethodPut:
			return "Put" + c.name, c.put
		case http.MethodGet:
			return "Get" + c.name, c.get
		case http.MethodDelete:
			if c.delete != nil {
				return "Delete" + c.name, c.delete
			}
		}
		return methodNotAllowed(r, "BUCKET")
	}
	if op, fn, ok := h.bucketConfig(r.Method, q); ok {
		return op, fn
	}
	switch r.Method {
	case http.MethodPut:
		switch {
		case q.Has("tagging"):
			return "PutBucketTagging", h.putBucketTagging
		case q.Has("policy"):
			return "PutBucketPolicy", h.putBucketPolicy
		case q.Has("acl"):
			return "PutBucketAcl", h.putBucketACL
		case q.Has("versioning"):
			return "PutBucketVersioning", h.putBucketVersioning
		}
		return "CreateBucket", h.createBucket
	case http.MethodGet:
		switch {
		case q.Has("location"):
			return "GetBucketLocation", h.getBucketLocation
		case q.Has("tagging"):
			return "GetBucketTagging", h.getBucketTagging
		case q.Has("policy"):
			return "GetBucketPolicy", h.getBucketPolicy
		case q.Has("policyStatus"):
			return "GetBucketPolicyStatus", h.getBucketPolicyStatus
		case q.Has("versioning"):
			return "GetBucketVersioning", h.getBucketVersioning
		case q.Has("versions"):
			return "ListObjectVersions", h.listObjectVersions
		case q.Has("uploads"):
			return "ListMultipartUploads", h.listMultipartUploads
		case q.Has("acl"):
			return "GetBucketAcl", h.getBucketACL
		case q.Get("list-type") == "2":
			return "ListObjectsV2", h.listObjectsV2
		}
		return "ListObjects", h.listObjects
	case http.MethodHead:
		return "HeadBucket", h.headBucket
	case http.MethodDelete:
		switch {
		case q.Has("tagging"):
			return "DeleteBucketTagging", h.deleteBucketTagging
		case q.Has("policy"):
			return "DeleteBucketPolicy", h.deleteBucketPolicy
		}
		return "DeleteBucket", h.deleteBucket
	case http.MethodPost:
		if q.Has("delete") {
			return "DeleteObjects", h.deleteObjects
		}
		return "PostObject", notImplemented("Browser-based uploads (POST Object)")
	}
	return methodNotAllowed(r, "BUCKET")
}

func (h *Handler) routeObject(r *http.Request, q url.Values) (string, opFunc) {
	for _, sub := range []struct{ param, what string }{
		{"torrent", "BitTorrent"}, {"select", "SelectObjectContent"},
		{"renameObject", "RenameObject"},
	} {
		if q.Has(sub.param) {
			return sub.what, notImplemented(sub.what)
		}
	}
	for _, sub := range []struct {
		param, name string
		put, get    opFunc
	}{
		{"retention", "ObjectRetention", h.putObjectRetention, h.getObjectRetention},
		{"legal-hold", "ObjectLegalHold", h.putObjectLegalHold, h.getObjectLegalHold},
	} {
		if !q.Has(sub.param) {
			continue
		}
		switch r.Method {
		case http.MethodPut:
			return "Put" + sub.name, sub.put
		case http.MethodGet:
			return "Get" + sub.name, sub.get
		}
		return methodNotAllowed(r, "OBJECT")
	}
	if q.Has("versions") && r.Method == http.MethodGet {
		return "ListObjectVersions", func(http.ResponseWriter, *http.Request, target) error {
			return awserr.New("InvalidRequest", 400, "There is no such thing as the ?versions sub-resource for a key")
		}
	}
	switch r.Method {
	case http.MethodPut:
		switch {
		case q.Has("uploadId") && r.Header.Get("X-Amz-Copy-Source") != "":
			return "UploadPartCopy", h.uploadPartCopy
		case q.Has("uploadId"):
			return "UploadPart", h.uploadPart
		case q.Has("tagging"):
			return "PutObjectTagging", h.putObjectTagging
		case q.Has("acl"):
			return "PutObjectAcl", h.putObjectACL
		case r.Header.Get("X-Amz-Copy-Source") != "":
			return "CopyObject", h.copyObject
		}
		return "PutObject", h.putObject
	case http.MethodGet:
		switch {
		case q.Has("uploadId"):
			return "ListParts", h.listParts
		case q.Has("tagging"):
			return "GetObjectTagging", h.getObjectTagging
		case q.Has("acl"):
			return "GetObjectAcl", h.getObjectACL
		case q.Has("attributes"):
			return "GetObjectAttributes", h.getObjectAttributes
		}
		return "GetObject", h.getObject
	case http.MethodHead:
		return "HeadObject", h.getObject
	case http.MethodDelete:
		switch {
		case q.Has("uploadId"):
			return "AbortMultipartUpload", h.abortMultipartUpload
		case q.Has("tagging"):
			return "DeleteObjectTagging", h.deleteObjectTagging
		}
		return "DeleteObject", h.deleteObject
	case http.MethodPost:
		switch {
		case q.Has("restore"):
			return "RestoreObject", h.restoreObject
		case q.Has("uploads"):
			return "CreateMultipartUpload", h.createMultipartUpload
		case q.Has("uploadId"):
			return "CompleteMultipartUpload", h.completeMultipartUpload
		}
	}
	return methodNotAllowed(r, "OBJECT")
}

func methodNotAllowed(r *http.Request, resource string) (string, opFunc) {
	return "MethodNotAllowed", func(http.ResponseWriter, *http.Request, target) error {
		return awserr.New("MethodNotAllowed", 405, "The specified method is not allowed against this resource.").
			With("Method", r.Method).With("ResourceType", resource)
	}
}

func notImplemented(what string) opFunc {
	return func(http.ResponseWriter, *http.Request, target) error {
		return awserr.NotImplemented(what)
	}
}

// trackingWriter records whether the status line has been sent.
type trackingWriter struct {
	http.ResponseWriter
	wroteHeader bool
}

func (w *trackingWriter) WriteHeader(code int) {
	w.wroteHeader = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *trackingWriter) Write(p []byte) (int, error) {
	w.wroteHeader = true
	return w.ResponseWriter.Write(p)
}

// ReadFrom keeps sendfile available for bodies copied from files.
func (w *trackingWriter) ReadFrom(r io.Reader) (int64, error) {
	w.wroteHeader = true
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(w.ResponseWriter, r)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *trackingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
