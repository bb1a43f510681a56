package awstest_test

import (
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakebox/lakebox/internal/awstest"
)

func setVersioning(t *testing.T, c *s3.Client, bucket string, status types.BucketVersioningStatus) {
	t.Helper()
	_, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(bucket),
		VersioningConfiguration: &types.VersioningConfiguration{Status: status}})
	if err != nil {
		t.Fatal(err)
	}
}

func getVersion(t *testing.T, c *s3.Client, bucket, key, version string) string {
	t.Helper()
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), VersionId: aws.String(version)})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Body.Close()
	if got := aws.ToString(out.VersionId); got != version {
		t.Fatalf("GET versionId %s: response names %s", version, got)
	}
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// listing is a ListObjectVersions result flattened: "key version kind
// [latest]" per entry. The SDK returns a page's versions and delete markers
// as two lists, losing their order; pages of one entry keep it, so listing
// pages by one unless told otherwise.
func listing(t *testing.T, c *s3.Client, in *s3.ListObjectVersionsInput) []string {
	t.Helper()
	if in.MaxKeys == nil {
		in.MaxKeys = aws.Int32(1)
	}
	var all []string
	for {
		out := must[*s3.ListObjectVersionsOutput](t)(c.ListObjectVersions(ctx, in))
		type entry struct {
			key, id, kind string
			latest        bool
		}
		var es []entry
		for _, v := range out.Versions {
			es = append(es, entry{aws.ToString(v.Key), aws.ToString(v.VersionId), "v", aws.ToBool(v.IsLatest)})
		}
		for _, d := range out.DeleteMarkers {
			es = append(es, entry{aws.ToString(d.Key), aws.ToString(d.VersionId), "dm", aws.ToBool(d.IsLatest)})
		}
		for _, p := range out.CommonPrefixes {
			es = append(es, entry{aws.ToString(p.Prefix), "", "prefix", false})
		}
		for _, e := range es {
			latest := ""
			if e.latest {
				latest = " latest"
			}
			all = append(all, e.key+" "+e.id+" "+e.kind+latest)
		}
		if !aws.ToBool(out.IsTruncated) {
			return all
		}
		in.KeyMarker, in.VersionIdMarker = out.NextKeyMarker, out.NextVersionIdMarker
	}
}

func wantListing(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func TestS3_Versioning(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "ver")

	// Never configured: no status, no version ids, null in listings.
	st := must[*s3.GetBucketVersioningOutput](t)(c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("ver")}))
	if st.Status != "" {
		t.Fatalf("status %q before configuration", st.Status)
	}
	if v := put(t, c, "ver", "doc", "v0").VersionId; v != nil {
		t.Fatalf("unversioned PUT returned version %s", *v)
	}

	setVersioning(t, c, "ver", types.BucketVersioningStatusEnabled)
	st = must[*s3.GetBucketVersioningOutput](t)(c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("ver")}))
	if st.Status != types.BucketVersioningStatusEnabled {
		t.Fatalf("status %q", st.Status)
	}
	v1 := aws.ToString(put(t, c, "ver", "doc", "v1").VersionId)
	v2 := aws.ToString(put(t, c, "ver", "doc", "v2").VersionId)
	if v1 == "" || v2 == "" || v1 == v2 {
		t.Fatalf("version ids %q %q", v1, v2)
	}
	if got := get(t, c, "ver", "doc"); got != "v2" {
		t.Fatalf("current = %q", got)
	}
	for id, want := range map[string]string{"null": "v0", v1: "v1", v2: "v2"} {
		if got := getVersion(t, c, "ver", "doc", id); got != want {
			t.Fatalf("version %s = %q, want %q", id, got, want)
		}
	}

	// A delete adds a marker: the key is gone, its versions are not.
	del := must[*s3.DeleteObjectOutput](t)(c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("ver"), Key: aws.String("doc")}))
	marker := aws.ToString(del.VersionId)
	if !aws.ToBool(del.DeleteMarker) || marker == "" {
		t.Fatalf("delete: marker %v id %q", aws.ToBool(del.DeleteMarker), marker)
	}
	_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ver"), Key: aws.String("doc")})
	wantCode(t, err, "NoSuchKey")
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("ver"), Key: aws.String("doc"), VersionId: aws.String(marker)})
	wantCode(t, err, "405")
	if got := getVersion(t, c, "ver", "doc", v1); got != "v1" {
		t.Fatalf("v1 after delete = %q", got)
	}
	l := must[*s3.ListObjectsV2Output](t)(c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("ver")}))
	if len(l.Contents) != 0 {
		t.Fatalf("ListObjectsV2 shows a deleted key: %v", aws.ToString(l.Contents[0].Key))
	}
	want := []string{"doc " + marker + " dm latest", "doc " + v2 + " v", "doc " + v1 + " v", "doc null v"}
	wantListing(t, "versions", listing(t, c, &s3.ListObjectVersionsInput{Bucket: aws.String("ver")}), want)
	// One page holds the same entries.
	if got := listing(t, c, &s3.ListObjectVersionsInput{Bucket: aws.String("ver"), MaxKeys: aws.Int32(1000)}); !sameSet(got, want) {
		t.Fatalf("one page:\n got %q\nwant %q", got, want)
	}

	// Deleting the marker by id brings v2 back.
	del = must[*s3.DeleteObjectOutput](t)(c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("ver"), Key: aws.String("doc"), VersionId: aws.String(marker)}))
	if !aws.ToBool(del.DeleteMarker) || aws.ToString(del.VersionId) != marker {
		t.Fatalf("deleting the marker: %v %q", aws.ToBool(del.DeleteMarker), aws.ToString(del.VersionId))
	}
	if got := get(t, c, "ver", "doc"); got != "v2" {
		t.Fatalf("current after removing the marker = %q", got)
	}
	// Deleting the current version by id promotes the next newest.
	must[*s3.DeleteObjectOutput](t)(c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("ver"), Key: aws.String("doc"), VersionId: aws.String(v2)}))
	if got := get(t, c, "ver", "doc"); got != "v1" {
		t.Fatalf("current after deleting v2 = %q", got)
	}
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ver"), Key: aws.String("doc"), VersionId: aws.String(v2)})
	wantCode(t, err, "NoSuchVersion")
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ver"), Key: aws.String("doc"), VersionId: aws.String("not a version")})
	wantCode(t, err, "InvalidArgument")

	// Copy from an old version, tag a version.
	cp := must[*s3.CopyObjectOutput](t)(c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("ver"), Key: aws.String("restored"),
		CopySource: aws.String("ver/doc?versionId=null")}))
	if aws.ToString(cp.CopySourceVersionId) != "null" || aws.ToString(cp.VersionId) == "" {
		t.Fatalf("copy: source %q new %q", aws.ToString(cp.CopySourceVersionId), aws.ToString(cp.VersionId))
	}
	if got := get(t, c, "ver", "restored"); got != "v0" {
		t.Fatalf("copied %q", got)
	}
	must[*s3.PutObjectTaggingOutput](t)(c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("ver"), Key: aws.String("doc"),
		VersionId: aws.String("null"), Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("zone"), Value: aws.String("raw")}}}}))
	tags := must[*s3.GetObjectTaggingOutput](t)(c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("ver"), Key: aws.String("doc"), VersionId: aws.String("null")}))
	if len(tags.TagSet) != 1 || aws.ToString(tags.VersionId) != "null" {
		t.Fatalf("tags of the null version: %v %q", tags.TagSet, aws.ToString(tags.VersionId))
	}
	if tags := must[*s3.GetObjectTaggingOutput](t)(c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("ver"), Key: aws.String("doc")})); len(tags.TagSet) != 0 {
		t.Fatalf("tagging the null version tagged the current one: %v", tags.TagSet)
	}

	// A versioned bucket is not empty until every version is gone.
	_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("ver")})
	wantCode(t, err, "BucketNotEmpty")
}

func TestS3_VersioningSuspended(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "sus")
	setVersioning(t, c, "sus", types.BucketVersioningStatusEnabled)
	v1 := aws.ToString(put(t, c, "sus", "k", "one").VersionId)
	setVersioning(t, c, "sus", types.BucketVersioningStatusSuspended)

	// Writes while suspended make the null version, replacing each other.
	if v := put(t, c, "sus", "k", "two").VersionId; v != nil {
		t.Fatalf("suspended PUT returned version %q", *v)
	}
	put(t, c, "sus", "k", "three")
	want := []string{"k null v latest", "k " + v1 + " v"}
	wantListing(t, "versions", listing(t, c, &s3.ListObjectVersionsInput{Bucket: aws.String("sus")}), want)
	// A delete makes a null delete marker, which replaces the null version.
	del := must[*s3.DeleteObjectOutput](t)(c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("sus"), Key: aws.String("k")}))
	if !aws.ToBool(del.DeleteMarker) || aws.ToString(del.VersionId) != "null" {
		t.Fatalf("suspended delete: %v %q", aws.ToBool(del.DeleteMarker), aws.ToString(del.VersionId))
	}
	want = []string{"k null dm latest", "k " + v1 + " v"}
	wantListing(t, "versions after delete", listing(t, c, &s3.ListObjectVersionsInput{Bucket: aws.String("sus")}), want)
	// Enabling again keeps the null marker as a version among the others.
	setVersioning(t, c, "sus", types.BucketVersioningStatusEnabled)
	v3 := aws.ToString(put(t, c, "sus", "k", "four").VersionId)
	want = []string{"k " + v3 + " v latest", "k null dm", "k " + v1 + " v"}
	wantListing(t, "versions after re-enabling", listing(t, c, &s3.ListObjectVersionsInput{Bucket: aws.String("sus")}), want)
	// Removing every version empties the bucket.
	for _, id := range []string{v3, "null", v1} {
		must[*s3.DeleteObjectOutput](t)(c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("sus"), Key: aws.String("k"), VersionId: aws.String(id)}))
	}
	must[*s3.DeleteBucketOutput](t)(c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("sus")}))
}

func TestS3_ListObjectVersionsPrefixes(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "lvs")
	setVersioning(t, c, "lvs", types.BucketVersioningStatusEnabled)
	ids := map[string][]string{}
	for _, k := range []string{"a", "a/x", "a/y", "b", "c/z", "d"} {
		for i := range 3 {
			ids[k] = append(ids[k], aws.ToString(put(t, c, "lvs", k, k+itoa(i)).VersionId))
		}
	}
	// Every version of c/z deleted by a marker: the prefix c/ still lists
	// versions, but ListObjects no longer shows it.
	must[*s3.DeleteObjectOutput](t)(c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("lvs"), Key: aws.String("c/z")}))
	l := must[*s3.ListObjectsV2Output](t)(c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("lvs"), Delimiter: aws.String("/")}))
	var names []string
	for _, o := range l.Contents {
		names = append(names, aws.ToString(o.Key))
	}
	for _, p := range l.CommonPrefixes {
		names = append(names, aws.ToString(p.Prefix))
	}
	if strings.Join(names, ",") != "a,b,d,a/" {
		t.Fatalf("ListObjectsV2 with a deleted prefix: %v", names)
	}
	got := listing(t, c, &s3.ListObjectVersionsInput{Bucket: aws.String("lvs"), Delimiter: aws.String("/")})
	want := []string{
		"a " + ids["a"][2] + " v latest", "a " + ids["a"][1] + " v", "a " + ids["a"][0] + " v",
		"a/  prefix",
	}
	if strings.Join(got[:4], "|") != strings.Join(want, "|") || len(got) != 11 {
		t.Fatalf("delimited versions:\n got %q\nwant %q then b, c/ and d", got, want)
	}
	for _, max := range []int32{2, 5, 1000} {
		paged := listing(t, c, &s3.ListObjectVersionsInput{Bucket: aws.String("lvs"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(max)})
		if !sameSet(paged, got) {
			t.Fatalf("max-keys %d:\n got %q\nwant %q", max, paged, got)
		}
	}
	under := listing(t, c, &s3.ListObjectVersionsInput{Bucket: aws.String("lvs"), Prefix: aws.String("c/")})
	if len(under) != 4 || !strings.HasSuffix(under[0], "dm latest") {
		t.Fatalf("versions under c/: %q", under)
	}
	// Resuming from a version in the middle of a key.
	rest := listing(t, c, &s3.ListObjectVersionsInput{Bucket: aws.String("lvs"), KeyMarker: aws.String("b"), VersionIdMarker: aws.String(ids["b"][1])})
	if len(rest) == 0 || rest[0] != "b "+ids["b"][0]+" v" {
		t.Fatalf("after b's middle version: %q", rest)
	}
	_, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("lvs"), VersionIdMarker: aws.String(ids["b"][1])})
	wantCode(t, err, "InvalidArgument")
}

func TestS3_VersionedDeleteObjects(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "vdel")
	setVersioning(t, c, "vdel", types.BucketVersioningStatusEnabled)
	a1 := aws.ToString(put(t, c, "vdel", "a", "1").VersionId)
	a2 := aws.ToString(put(t, c, "vdel", "a", "2").VersionId)
	put(t, c, "vdel", "b", "1")
	out := must[*s3.DeleteObjectsOutput](t)(c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("vdel"), Delete: &types.Delete{
		Objects: []types.ObjectIdentifier{
			{Key: aws.String("a"), VersionId: aws.String(a1)},
			{Key: aws.String("a"), VersionId: aws.String(a2)}, // the same key twice
			{Key: aws.String("b")},
		},
	}}))
	if len(out.Errors) != 0 || len(out.Deleted) != 3 {
		t.Fatalf("deleted %d, errors %v", len(out.Deleted), out.Errors)
	}
	if d := out.Deleted[2]; !aws.ToBool(d.DeleteMarker) || aws.ToString(d.DeleteMarkerVersionId) == "" {
		t.Fatalf("b: marker %v id %q", aws.ToBool(d.DeleteMarker), aws.ToString(d.DeleteMarkerVersionId))
	}
	got := listing(t, c, &s3.ListObjectVersionsInput{Bucket: aws.String("vdel")})
	if len(got) != 2 || !strings.HasPrefix(got[0], "b ") || !strings.HasSuffix(got[0], "dm latest") {
		t.Fatalf("left: %q", got)
	}
}
