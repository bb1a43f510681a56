package s3

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/clock"
	"github.com/lakebox/lakebox/internal/storage/blob"
	"github.com/lakebox/lakebox/internal/storage/meta"
)

func newService(t *testing.T, wall time.Time) (*Service, context.Context) {
	t.Helper()
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
	svc, err := New(db, blobs, clock.NewFake(func() time.Time { return wall }, 0), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	ctx := auth.WithIdentity(context.Background(), auth.Identity{AccessKey: "test", Account: auth.DefaultAccount, Region: "us-east-1", Service: "s3"})
	return svc, ctx
}

func TestService_Reconcile(t *testing.T) {
	start := time.Now()
	svc, ctx := newService(t, start)
	if _, err := svc.CreateBucket(ctx, &CreateBucketInput{Bucket: "recon"}); err != nil {
		t.Fatal(err)
	}
	body := strings.Repeat("x", 100<<10) // a file blob, not inline
	put, err := svc.PutObject(ctx, &PutObjectInput{Bucket: "recon", Key: "live", Body: Body{Reader: strings.NewReader(body), Size: int64(len(body))}})
	if err != nil || put.Size != int64(len(body)) {
		t.Fatal(put, err)
	}
	// An orphan: a blob file no record references, as a crash leaves one.
	w, err := svc.blobs.Create()
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("orphan"))
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	old := start.Add(-time.Hour)
	os.Chtimes(svc.blobs.Path(w.ID()), old, old)
	o, _ := svc.loadObject("recon", "live")
	os.Chtimes(svc.blobs.Path(o.Data.ID), old, old)

	removed, err := svc.Reconcile(context.Background())
	if err != nil || removed != 1 {
		t.Fatalf("Reconcile removed %d, %v", removed, err)
	}
	if _, err := os.Stat(svc.blobs.Path(w.ID())); !os.IsNotExist(err) {
		t.Fatal("orphan survived")
	}
	out, err := svc.GetObject(ctx, &GetObjectInput{Bucket: "recon", Key: "live"})
	if err != nil {
		t.Fatal(err)
	}
	out.Close()
}

func TestParseRange(t *testing.T) {
	for _, tc := range []struct {
		h       string
		size    int64
		want    *Range
		invalid bool
	}{
		{"", 10, nil, false},
		{"bytes=0-0", 10, &Range{0, 1}, false},
		{"bytes=0-9", 10, &Range{0, 10}, false},
		{"bytes=3-", 10, &Range{3, 7}, false},
		{"bytes=-4", 10, &Range{6, 4}, false},
		{"bytes=-40", 10, &Range{0, 10}, false},
		{"bytes=5-100", 10, &Range{5, 5}, false},
		{"bytes=10-", 10, nil, true},
		{"bytes=-0", 10, nil, true},
		{"bytes=0-", 0, nil, true},
		{"bytes=0-0", 0, nil, true},
		{"bytes=5-2", 10, nil, false},     // invalid syntax: ignored
		{"bytes=0-1,3-4", 10, nil, false}, // several ranges: ignored
		{"items=0-1", 10, nil, false},
		{"bytes=a-b", 10, nil, false},
		{"bytes= -1", 10, nil, false},
		{"bytes=0 -1", 10, nil, false},
		{"bytes=--1", 10, nil, false},
		{"bytes=+1-2", 10, nil, false},
		{"bytes=00-01", 10, &Range{0, 2}, false},
		{"bytes=-1", 0, nil, false},
		{"bytes=0-99999999999999999999999", 10, &Range{0, 10}, false},
	} {
		got, err := parseRange(tc.h, tc.size)
		if (err != nil) != tc.invalid {
			t.Errorf("parseRange(%q, %d) error %v", tc.h, tc.size, err)
			continue
		}
		if (got == nil) != (tc.want == nil) || got != nil && *got != *tc.want {
			t.Errorf("parseRange(%q, %d) = %+v, want %+v", tc.h, tc.size, got, tc.want)
		}
	}
}

func TestValidBucketName(t *testing.T) {
	for name, want := range map[string]bool{
		"abc": true, "my-bucket.data": true, "a1b2c3": true, strings.Repeat("a", 63): true,
		"ab": false, strings.Repeat("a", 64): false, "Upper": false, "under_score": false,
		"-start": false, "end-": false, "a..b": false, "10.0.0.1": false, "xn--abc": false,
		"sthree-x": false, "bucket-s3alias": false, "bucket--ol-s3": false, "": false,
	} {
		if got := ValidBucketName(name); got != want {
			t.Errorf("ValidBucketName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestCheckKey(t *testing.T) {
	for key, ok := range map[string]bool{
		"a": true, "a/b/c": true, "..a": true, "a..": true, "./a": true, strings.Repeat("k", 1024): true,
		"": false, strings.Repeat("k", 1025): false, "a/../b": false, "..": false, "a\x00b": false, "\xff": false,
	} {
		if err := checkKey(key); (err == nil) != ok {
			t.Errorf("checkKey(%q) = %v", key, err)
		}
	}
}

func TestListObjects_Markers(t *testing.T) {
	svc, ctx := newService(t, time.Now())
	svc.CreateBucket(ctx, &CreateBucketInput{Bucket: "marks"})
	for _, k := range []string{"a/1", "a/2", "b", "c/1", "c/2/x", "d"} {
		if _, err := svc.PutObject(ctx, &PutObjectInput{Bucket: "marks", Key: k, Body: Body{Reader: strings.NewReader(k), Size: int64(len(k))}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		in   ListObjectsInput
		want string
	}{
		{ListObjectsInput{Delimiter: "/"}, "a/ b c/ d"},
		{ListObjectsInput{Delimiter: "/", After: "a/"}, "b c/ d"},  // a marker that is a common prefix skips it
		{ListObjectsInput{Delimiter: "/", After: "a/1"}, "b c/ d"}, // a marker inside a common prefix skips it too
		{ListObjectsInput{Prefix: "c/", Delimiter: "/"}, "c/1 c/2/"},
		{ListObjectsInput{After: "c/1"}, "c/2/x d"},
		{ListObjectsInput{Prefix: "zz"}, ""},
		{ListObjectsInput{Delimiter: "1"}, "a/1 a/2 b c/1 c/2/x d"},
	} {
		tc.in.Bucket, tc.in.MaxKeys = "marks", 1000
		out, err := svc.ListObjects(ctx, &tc.in)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, o := range out.Contents {
			got = append(got, o.Key)
		}
		got = append(got, out.CommonPrefixes...)
		sortStrings(got)
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.in, strings.Join(got, " "), tc.want)
		}
	}
}

func sortStrings(s []string) { slices.Sort(s) }

func codeOf(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := awserr.As(err); ok {
		return e.Code
	}
	return "non-aws: " + err.Error()
}
