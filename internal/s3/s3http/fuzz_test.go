package s3http

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/restxml"
	"github.com/lakebox/lakebox/internal/clock"
	"github.com/lakebox/lakebox/internal/s3"
	"github.com/lakebox/lakebox/internal/storage/blob"
	"github.com/lakebox/lakebox/internal/storage/meta"
)

func newHandler(t testing.TB) *Handler {
	dir := t.TempDir()
	db, err := meta.Open(dir+"/meta", meta.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	blobs, err := blob.Open(dir + "/blobs")
	if err != nil {
		t.Fatal(err)
	}
	svc, err := s3.New(db, blobs, clock.New(0), s3.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	return New(svc, Options{})
}

var caller = auth.Identity{AccessKey: "test", Account: auth.DefaultAccount, Region: "us-east-1", Service: "s3"}

func serve(h *Handler, method, target string, hdr http.Header, body []byte) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", "/", bytes.NewReader(body))
	r.Method = method
	if u, err := r.URL.Parse(target); err == nil {
		r.URL = u
	}
	for k, v := range hdr {
		r.Header[k] = v
	}
	r.ContentLength = int64(len(body))
	r = r.WithContext(auth.WithIdentity(context.Background(), caller))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// FuzzRequest sends arbitrary S3 requests through the whole handler and a
// real store: every request gets an HTTP status and, on error, an AWS error
// document, never a panic.
func FuzzRequest(f *testing.F) {
	seeds := []struct {
		method, target, header, body string
	}{
		{"PUT", "/fuzz", "", ""},
		{"PUT", "/fuzz/key", "x-amz-tagging: a=b&c", "body"},
		{"GET", "/fuzz?list-type=2&prefix=a&delimiter=/&max-keys=2", "", ""},
		{"GET", "/fuzz/key", "Range: bytes=-0", ""},
		{"POST", "/fuzz?delete", "Content-Md5: 1B2M2Y8AsgTpgAmY7PhCfg==", "<Delete><Object><Key>key</Key></Object></Delete>"},
		{"POST", "/fuzz/key?uploads", "", ""},
		{"POST", "/fuzz/key?uploadId=0000000000000000000000000000", "", "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>"},
		{"PUT", "/fuzz/key?partNumber=1&uploadId=x", "", "p"},
		{"PUT", "/fuzz/copy", "X-Amz-Copy-Source: /fuzz/key?versionId=null", ""},
		{"GET", "/fuzz/key?attributes", "X-Amz-Object-Attributes: ETag,ObjectParts", ""},
		{"PUT", "/fuzz?tagging", "", "<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>"},
		{"DELETE", "/fuzz/%00", "", ""},
	}
	for _, s := range seeds {
		f.Add(s.method, s.target, s.header, []byte(s.body))
	}
	h := newHandler(f)
	serve(h, "PUT", "/fuzz", nil, nil)
	f.Fuzz(func(t *testing.T, method, target, header string, body []byte) {
		if method == "" || strings.ContainsAny(method, " \r\n") {
			return
		}
		hdr := http.Header{}
		for line := range strings.SplitSeq(header, "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && k != "" {
				hdr.Add(strings.TrimSpace(k), strings.TrimSpace(v))
			}
		}
		w := serve(h, method, target, hdr, body)
		if w.Code < 200 || w.Code > 599 {
			t.Fatalf("status %d", w.Code)
		}
		if w.Code >= 500 && w.Code != http.StatusNotImplemented {
			t.Fatalf("%s %s: server error %d: %s", method, target, w.Code, w.Body.String())
		}
	})
}

// FuzzDecodeXML feeds arbitrary bytes to every request document decoder.
func FuzzDecodeXML(f *testing.F) {
	for _, s := range []string{
		"<Delete><Quiet>true</Quiet><Object><Key>a</Key><VersionId>null</VersionId></Object></Delete>",
		"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"e\"</ETag><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part></CompleteMultipartUpload>",
		"<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>",
		"<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>",
		"<!DOCTYPE x [<!ENTITY a \"aaaa\">]><Tagging>&a;</Tagging>",
		"<LifecycleConfiguration><Rule><ID>r</ID><Filter><And><Prefix>a/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></And></Filter>" +
			"<Status>Enabled</Status><Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>" +
			"<Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration></Rule></LifecycleConfiguration>",
		"<RestoreRequest><Days>2</Days><GlacierJobParameters><Tier>Bulk</Tier></GlacierJobParameters></RestoreRequest>",
		"<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>",
		"<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, v := range []any{&deleteRequest{}, &completeMultipartUpload{}, &tagging{}, &createBucketConfiguration{},
			&lifecycleConfiguration{}, &restoreRequest{}, &encryptionConfiguration{}, &versioningConfiguration{}} {
			if err := restxml.Decode(bytes.NewReader(b), v, maxXMLBody); err != nil {
				if _, ok := awserr.As(err); !ok {
					t.Fatalf("non-AWS error %v", err)
				}
			}
		}
		// Whatever decodes converts into rules without panicking.
		var lc lifecycleConfiguration
		if restxml.Decode(bytes.NewReader(b), &lc, maxXMLBody) == nil {
			if _, err := fromLifecycleXML(lc); err != nil {
				if _, ok := awserr.As(err); !ok {
					t.Fatalf("non-AWS error %v", err)
				}
			}
		}
	})
}

func TestHandler_Routing(t *testing.T) {
	h := newHandler(t)
	for _, tc := range []struct {
		method, target string
		hdr            http.Header
		want           string
	}{
		{"GET", "/", nil, "ListBuckets"},
		{"PUT", "/b", nil, "CreateBucket"},
		{"GET", "/b?list-type=2", nil, "ListObjectsV2"},
		{"GET", "/b", nil, "ListObjects"},
		{"GET", "/b?uploads", nil, "ListMultipartUploads"},
		{"GET", "/b?policy", nil, "GetBucketPolicy"},
		{"PUT", "/b?lifecycle", nil, "PutBucketLifecycleConfiguration"},
		{"DELETE", "/b?cors", nil, "DeleteBucketCors"},
		{"POST", "/b?delete", nil, "DeleteObjects"},
		{"PUT", "/b/k", nil, "PutObject"},
		{"PUT", "/b/k", http.Header{"X-Amz-Copy-Source": {"/b/j"}}, "CopyObject"},
		{"PUT", "/b/k?partNumber=1&uploadId=u", nil, "UploadPart"},
		{"PUT", "/b/k?partNumber=1&uploadId=u", http.Header{"X-Amz-Copy-Source": {"/b/j"}}, "UploadPartCopy"},
		{"POST", "/b/k?uploads", nil, "CreateMultipartUpload"},
		{"POST", "/b/k?uploadId=u", nil, "CompleteMultipartUpload"},
		{"DELETE", "/b/k?uploadId=u", nil, "AbortMultipartUpload"},
		{"GET", "/b/k?uploadId=u", nil, "ListParts"},
		{"GET", "/b/k?tagging", nil, "GetObjectTagging"},
		{"GET", "/b/k?attributes", nil, "GetObjectAttributes"},
		{"HEAD", "/b/k", nil, "HeadObject"},
		{"POST", "/b/k?restore", nil, "RestoreObject"},
		{"GET", "/b?versions", nil, "ListObjectVersions"},
		{"PUT", "/b?lifecycle", nil, "PutBucketLifecycleConfiguration"},
		{"DELETE", "/b?encryption", nil, "DeleteBucketEncryption"},
	} {
		r := httptest.NewRequest(tc.method, tc.target, nil)
		for k, v := range tc.hdr {
			r.Header[k] = v
		}
		if op, _ := h.route(r, h.target(r)); op != tc.want {
			t.Errorf("%s %s = %s, want %s", tc.method, tc.target, op, tc.want)
		}
	}
}

func TestHandler_VirtualHost(t *testing.T) {
	h := New(nil, Options{Domains: []string{"lake.internal"}})
	for _, tc := range []struct{ host, path, bucket, key string }{
		{"localhost:4566", "/b/k/x", "b", "k/x"},
		{"127.0.0.1:4566", "/b/k", "b", "k"},
		{"mybucket.localhost:4566", "/k/x", "mybucket", "k/x"},
		{"my.dotted.bucket.localhost", "/k", "my.dotted.bucket", "k"},
		{"data.s3.us-east-1.amazonaws.com", "/k", "data", "k"},
		{"data.s3.localhost.localstack.cloud:4566", "/k", "data", "k"},
		{"data.s3-eu-west-1.amazonaws.com", "/k", "data", "k"},
		{"zone.lake.internal", "/k", "zone", "k"},
		{"s3.amazonaws.com", "/b/k", "b", "k"},
	} {
		r := httptest.NewRequest("GET", tc.path, nil)
		r.Host = tc.host
		if got := h.target(r); got.bucket != tc.bucket || got.key != tc.key {
			t.Errorf("%s%s = %+v, want %s/%s", tc.host, tc.path, got, tc.bucket, tc.key)
		}
	}
}
