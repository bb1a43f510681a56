package awstest_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakebox/lakebox/internal/awstest"
	s3svc "github.com/lakebox/lakebox/internal/s3"
)

// travel moves the server clock forward and carries out the lifecycle
// rules as of the new time.
func travel(t *testing.T, srv *awstest.Server, d time.Duration) s3svc.LifecycleStats {
	t.Helper()
	if _, err := srv.AdvanceClock(d); err != nil {
		t.Fatal(err)
	}
	code, body, _ := httpDo(t, srv, "POST", "/_lakebox/lifecycle", "", nil)
	if code != 200 {
		t.Fatalf("lifecycle pass: %d %s", code, body)
	}
	var st s3svc.LifecycleStats
	if err := json.Unmarshal([]byte(body), &st); err != nil {
		t.Fatal(err)
	}
	return st
}

func putLifecycle(c *s3.Client, bucket string, rules ...types.LifecycleRule) error {
	_, err := c.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: aws.String(bucket),
		LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: rules}})
	return err
}

func storageClass(t *testing.T, c *s3.Client, bucket, key string) types.StorageClass {
	t.Helper()
	h := must[*s3.HeadObjectOutput](t)(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}))
	if h.StorageClass == "" {
		return types.StorageClassStandard
	}
	return types.StorageClass(h.StorageClass)
}

func prefixFilter(p string) *types.LifecycleRuleFilter {
	return &types.LifecycleRuleFilter{Prefix: aws.String(p)}
}

func TestS3_LifecycleValidation(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "lc-valid")
	_, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String("lc-valid")})
	wantCode(t, err, "NoSuchLifecycleConfiguration")
	enabled := types.ExpirationStatusEnabled
	for _, tc := range []struct {
		name  string
		rules []types.LifecycleRule
		code  string
	}{
		{"IA before 30 days", []types.LifecycleRule{{ID: aws.String("r"), Status: enabled, Filter: prefixFilter(""),
			Transitions: []types.Transition{{Days: aws.Int32(10), StorageClass: types.TransitionStorageClassStandardIa}}}}, "InvalidArgument"},
		{"no action", []types.LifecycleRule{{ID: aws.String("r"), Status: enabled, Filter: prefixFilter("")}}, "InvalidRequest"},
		{"same id twice", []types.LifecycleRule{
			{ID: aws.String("r"), Status: enabled, Filter: prefixFilter("a"), Expiration: &types.LifecycleExpiration{Days: aws.Int32(1)}},
			{ID: aws.String("r"), Status: enabled, Filter: prefixFilter("b"), Expiration: &types.LifecycleExpiration{Days: aws.Int32(1)}},
		}, "InvalidArgument"},
		{"date not at midnight", []types.LifecycleRule{{ID: aws.String("r"), Status: enabled, Filter: prefixFilter(""),
			Expiration: &types.LifecycleExpiration{Date: aws.Time(time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC))}}}, "InvalidArgument"},
		{"colder class sooner", []types.LifecycleRule{{ID: aws.String("r"), Status: enabled, Filter: prefixFilter(""),
			Transitions: []types.Transition{
				{Days: aws.Int32(90), StorageClass: types.TransitionStorageClassStandardIa},
				{Days: aws.Int32(60), StorageClass: types.TransitionStorageClassGlacier},
			}}}, "InvalidArgument"},
		{"expiration before transition", []types.LifecycleRule{{ID: aws.String("r"), Status: enabled, Filter: prefixFilter(""),
			Transitions: []types.Transition{{Days: aws.Int32(30), StorageClass: types.TransitionStorageClassGlacier}},
			Expiration:  &types.LifecycleExpiration{Days: aws.Int32(10)}}}, "InvalidArgument"},
		{"two conditions without And", []types.LifecycleRule{{ID: aws.String("r"), Status: enabled,
			Filter:     &types.LifecycleRuleFilter{Prefix: aws.String("a"), ObjectSizeGreaterThan: aws.Int64(5)},
			Expiration: &types.LifecycleExpiration{Days: aws.Int32(1)}}}, "MalformedXML"},
		{"abort with tags", []types.LifecycleRule{{ID: aws.String("r"), Status: enabled,
			Filter:                         &types.LifecycleRuleFilter{Tag: &types.Tag{Key: aws.String("k"), Value: aws.String("v")}},
			AbortIncompleteMultipartUpload: &types.AbortIncompleteMultipartUpload{DaysAfterInitiation: aws.Int32(1)}}}, "InvalidRequest"},
	} {
		if err := putLifecycle(c, "lc-valid", tc.rules...); err == nil {
			t.Errorf("%s: accepted", tc.name)
		} else {
			wantCode(t, err, tc.code)
		}
	}
	// A configuration reads back as written.
	rule := types.LifecycleRule{ID: aws.String("raw-zone"), Status: enabled,
		Filter: &types.LifecycleRuleFilter{And: &types.LifecycleRuleAndOperator{Prefix: aws.String("raw/"),
			Tags: []types.Tag{{Key: aws.String("zone"), Value: aws.String("raw")}}, ObjectSizeGreaterThan: aws.Int64(1024)}},
		Transitions: []types.Transition{
			{Days: aws.Int32(30), StorageClass: types.TransitionStorageClassStandardIa},
			{Days: aws.Int32(90), StorageClass: types.TransitionStorageClassGlacier},
		},
		Expiration:                  &types.LifecycleExpiration{Days: aws.Int32(365)},
		NoncurrentVersionExpiration: &types.NoncurrentVersionExpiration{NoncurrentDays: aws.Int32(30), NewerNoncurrentVersions: aws.Int32(2)},
	}
	if err := putLifecycle(c, "lc-valid", rule); err != nil {
		t.Fatal(err)
	}
	got := must[*s3.GetBucketLifecycleConfigurationOutput](t)(c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String("lc-valid")}))
	r := got.Rules[0]
	if aws.ToString(r.ID) != "raw-zone" || r.Filter.And == nil || aws.ToString(r.Filter.And.Prefix) != "raw/" || len(r.Filter.And.Tags) != 1 ||
		len(r.Transitions) != 2 || aws.ToInt32(r.Expiration.Days) != 365 || aws.ToInt32(r.NoncurrentVersionExpiration.NewerNoncurrentVersions) != 2 ||
		got.TransitionDefaultMinimumObjectSize != types.TransitionDefaultMinimumObjectSizeAllStorageClasses128k {
		t.Fatalf("read back %+v", got)
	}
	must[*s3.DeleteBucketLifecycleOutput](t)(c.DeleteBucketLifecycle(ctx, &s3.DeleteBucketLifecycleInput{Bucket: aws.String("lc-valid")}))
	_, err = c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String("lc-valid")})
	wantCode(t, err, "NoSuchLifecycleConfiguration")
}

// A raw zone ages: infrequent access after 30 days, archive after 90,
// gone after a year; the archived object reads only while restored.
func TestS3_LifecycleTransitionsAndRestore(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "lc-raw")
	big := strings.Repeat("r", 200<<10)
	put(t, c, "lc-raw", "raw/events.json", big)
	put(t, c, "lc-raw", "raw/tiny.json", "too small to move")
	put(t, c, "lc-raw", "curated/table.parquet", big)
	err := putLifecycle(c, "lc-raw", types.LifecycleRule{ID: aws.String("age"), Status: types.ExpirationStatusEnabled, Filter: prefixFilter("raw/"),
		Transitions: []types.Transition{
			{Days: aws.Int32(30), StorageClass: types.TransitionStorageClassStandardIa},
			{Days: aws.Int32(90), StorageClass: types.TransitionStorageClassGlacier},
		},
		Expiration: &types.LifecycleExpiration{Days: aws.Int32(365)},
	})
	if err != nil {
		t.Fatal(err)
	}
	day := 24 * time.Hour
	if st := travel(t, srv, 29*day); st.Transitioned != 0 {
		t.Fatalf("transitioned %d objects before 30 days", st.Transitioned)
	}
	travel(t, srv, 2*day)
	if sc := storageClass(t, c, "lc-raw", "raw/events.json"); sc != types.StorageClassStandardIa {
		t.Fatalf("after 31 days: %s", sc)
	}
	for _, k := range []string{"raw/tiny.json", "curated/table.parquet"} {
		if sc := storageClass(t, c, "lc-raw", k); sc != types.StorageClassStandard {
			t.Fatalf("%s moved to %s", k, sc)
		}
	}
	travel(t, srv, 60*day)
	if sc := storageClass(t, c, "lc-raw", "raw/events.json"); sc != types.StorageClassGlacier {
		t.Fatalf("after 91 days: %s", sc)
	}
	l := must[*s3.ListObjectsV2Output](t)(c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("lc-raw"), Prefix: aws.String("raw/events")}))
	if l.Contents[0].StorageClass != types.ObjectStorageClassGlacier {
		t.Fatalf("listing shows %s", l.Contents[0].StorageClass)
	}

	// Archived: no bytes until restored, and only while restored.
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("lc-raw"), Key: aws.String("raw/events.json")})
	wantCode(t, err, "InvalidObjectState")
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("lc-raw"), Key: aws.String("copy"), CopySource: aws.String("lc-raw/raw/events.json")})
	wantCode(t, err, "InvalidObjectState")
	_, err = c.RestoreObject(ctx, &s3.RestoreObjectInput{Bucket: aws.String("lc-raw"), Key: aws.String("curated/table.parquet"),
		RestoreRequest: &types.RestoreRequest{Days: aws.Int32(1)}})
	wantCode(t, err, "InvalidObjectState")
	must[*s3.RestoreObjectOutput](t)(c.RestoreObject(ctx, &s3.RestoreObjectInput{Bucket: aws.String("lc-raw"), Key: aws.String("raw/events.json"),
		RestoreRequest: &types.RestoreRequest{Days: aws.Int32(2), GlacierJobParameters: &types.GlacierJobParameters{Tier: types.TierStandard}}}))
	h := must[*s3.HeadObjectOutput](t)(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("lc-raw"), Key: aws.String("raw/events.json")}))
	if aws.ToString(h.Restore) != `ongoing-request="true"` {
		t.Fatalf("restore header while restoring: %q", aws.ToString(h.Restore))
	}
	_, err = c.RestoreObject(ctx, &s3.RestoreObjectInput{Bucket: aws.String("lc-raw"), Key: aws.String("raw/events.json"),
		RestoreRequest: &types.RestoreRequest{Days: aws.Int32(2)}})
	wantCode(t, err, "RestoreAlreadyInProgress")
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("lc-raw"), Key: aws.String("raw/events.json")})
	wantCode(t, err, "InvalidObjectState")

	travel(t, srv, 5*time.Hour+time.Minute) // a Standard retrieval takes up to 5 hours
	h = must[*s3.HeadObjectOutput](t)(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("lc-raw"), Key: aws.String("raw/events.json")}))
	if !strings.HasPrefix(aws.ToString(h.Restore), `ongoing-request="false", expiry-date="`) {
		t.Fatalf("restore header once restored: %q", aws.ToString(h.Restore))
	}
	if got := get(t, c, "lc-raw", "raw/events.json"); got != big {
		t.Fatal("restored object reads back wrong")
	}
	travel(t, srv, 3*day)
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("lc-raw"), Key: aws.String("raw/events.json")})
	wantCode(t, err, "InvalidObjectState")

	travel(t, srv, 280*day)
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("lc-raw"), Key: aws.String("raw/events.json")})
	wantCode(t, err, "404")
	if got := get(t, c, "lc-raw", "curated/table.parquet"); got != big {
		t.Fatal("an object outside the rule changed")
	}
}

// Noncurrent versions expire after their days, keeping the newest ones;
// delete markers left alone are removed; current versions expire into
// delete markers.
func TestS3_LifecycleVersions(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "lc-ver")
	setVersioning(t, c, "lc-ver", types.BucketVersioningStatusEnabled)
	err := putLifecycle(c, "lc-ver",
		types.LifecycleRule{ID: aws.String("noncurrent"), Status: types.ExpirationStatusEnabled, Filter: prefixFilter(""),
			NoncurrentVersionExpiration: &types.NoncurrentVersionExpiration{NoncurrentDays: aws.Int32(7), NewerNoncurrentVersions: aws.Int32(1)},
			Expiration:                  &types.LifecycleExpiration{ExpiredObjectDeleteMarker: aws.Bool(true)}},
		types.LifecycleRule{ID: aws.String("tmp"), Status: types.ExpirationStatusEnabled, Filter: prefixFilter("tmp/"),
			Expiration: &types.LifecycleExpiration{Days: aws.Int32(1)}},
	)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 3 {
		ids = append(ids, aws.ToString(put(t, c, "lc-ver", "k", "v"+itoa(i)).VersionId))
	}
	put(t, c, "lc-ver", "tmp/scratch", "x")
	day := 24 * time.Hour
	st := travel(t, srv, 8*day)
	// v1 is the newest noncurrent version: kept. v0 has one newer: gone.
	want := []string{"k " + ids[2] + " v latest", "k " + ids[1] + " v", "tmp/scratch null dm latest", "tmp/scratch " + "" + " v"}
	got := listing(t, c, &s3.ListObjectVersionsInput{Bucket: aws.String("lc-ver")})
	if len(got) != 4 || got[0] != want[0] || got[1] != want[1] || !strings.HasSuffix(got[2], " dm latest") || !strings.HasSuffix(got[3], " v") {
		t.Fatalf("after 8 days:\n got %q\nwant %q", got, want)
	}
	if st.NoncurrentExpired != 1 || st.Expired != 1 {
		t.Fatalf("stats %+v", st)
	}
	// Remove every version under the marker of tmp/scratch: the marker,
	// alone, is removed by the next pass.
	scratch := strings.Fields(got[3])[1]
	must[*s3.DeleteObjectOutput](t)(c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("lc-ver"), Key: aws.String("tmp/scratch"), VersionId: aws.String(scratch)}))
	if st := travel(t, srv, time.Minute); st.DeleteMarkersRemoved != 1 {
		t.Fatalf("stats %+v", st)
	}
	got = listing(t, c, &s3.ListObjectVersionsInput{Bucket: aws.String("lc-ver")})
	if len(got) != 2 {
		t.Fatalf("left: %q", got)
	}
}

func TestS3_LifecycleAbortsUploads(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "lc-mpu")
	for _, k := range []string{"in/a", "other/b"} {
		up := must[*s3.CreateMultipartUploadOutput](t)(c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("lc-mpu"), Key: aws.String(k)}))
		must[*s3.UploadPartOutput](t)(c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("lc-mpu"), Key: aws.String(k), UploadId: up.UploadId,
			PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("part"))}))
	}
	err := putLifecycle(c, "lc-mpu", types.LifecycleRule{ID: aws.String("abort"), Status: types.ExpirationStatusEnabled, Filter: prefixFilter("in/"),
		AbortIncompleteMultipartUpload: &types.AbortIncompleteMultipartUpload{DaysAfterInitiation: aws.Int32(2)}})
	if err != nil {
		t.Fatal(err)
	}
	if st := travel(t, srv, 24*time.Hour); st.UploadsAborted != 0 {
		t.Fatalf("aborted early: %+v", st)
	}
	if st := travel(t, srv, 2*24*time.Hour); st.UploadsAborted != 1 {
		t.Fatalf("stats %+v", st)
	}
	l := must[*s3.ListMultipartUploadsOutput](t)(c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("lc-mpu")}))
	if len(l.Uploads) != 1 || aws.ToString(l.Uploads[0].Key) != "other/b" {
		t.Fatalf("uploads left: %d", len(l.Uploads))
	}
}

// blobBytes is the size of every body file of a server.
func blobBytes(t *testing.T, srv *awstest.Server) int64 {
	t.Helper()
	var n int64
	err := filepath.WalkDir(filepath.Join(srv.DataDir, "blobs"), func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Archived bodies are stored compressed, encrypted or not, and read back
// whole or by range once restored.
func TestS3_ArchiveIsCompressed(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "cold")
	var csv bytes.Buffer
	for i := 0; csv.Len() < 4<<20; i++ {
		csv.WriteString("2026-11-22T10:00:00Z,sensor-" + itoa(i%50) + ",temperature,21.5\n")
	}
	body := csv.Bytes()
	for _, in := range []*s3.PutObjectInput{
		{Key: aws.String("plain.csv"), StorageClass: types.StorageClassDeepArchive},
		{Key: aws.String("sealed.csv"), StorageClass: types.StorageClassGlacier, ServerSideEncryption: types.ServerSideEncryptionAes256},
	} {
		in.Bucket, in.Body = aws.String("cold"), bytes.NewReader(body)
		must[*s3.PutObjectOutput](t)(c.PutObject(ctx, in))
	}
	if on := blobBytes(t, srv); on > int64(len(body))/4 {
		t.Fatalf("two archived copies of %d bytes take %d bytes on disk", len(body), on)
	}
	// Three days: the Glacier copy (ready after 12 h) must still be there
	// when the Deep Archive one is ready (after 48 h), whatever the time of
	// day (expiry rounds up to the next midnight UTC).
	for _, k := range []string{"plain.csv", "sealed.csv"} {
		must[*s3.RestoreObjectOutput](t)(c.RestoreObject(ctx, &s3.RestoreObjectInput{Bucket: aws.String("cold"), Key: aws.String(k),
			RestoreRequest: &types.RestoreRequest{Days: aws.Int32(3), GlacierJobParameters: &types.GlacierJobParameters{Tier: types.TierBulk}}}))
	}
	travel(t, srv, 49*time.Hour)
	for _, k := range []string{"plain.csv", "sealed.csv"} {
		if got := readAll(t)(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("cold"), Key: aws.String(k)})); !bytes.Equal(got, body) {
			t.Fatalf("%s: restored bytes differ", k)
		}
		got := readAll(t)(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("cold"), Key: aws.String(k), Range: aws.String("bytes=3000000-3000099")}))
		if !bytes.Equal(got, body[3000000:3000100]) {
			t.Fatalf("%s: range differs", k)
		}
	}
}

// A lifecycle move into an archive class compresses the body in place.
func TestS3_LifecycleArchiveCompresses(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "lc-pack")
	body := strings.Repeat("compressible log line\n", 100_000)
	put(t, c, "lc-pack", "logs/app.log", body)
	before := blobBytes(t, srv)
	err := putLifecycle(c, "lc-pack", types.LifecycleRule{ID: aws.String("archive"), Status: types.ExpirationStatusEnabled, Filter: prefixFilter("logs/"),
		Transitions: []types.Transition{{Days: aws.Int32(1), StorageClass: types.TransitionStorageClassDeepArchive}}})
	if err != nil {
		t.Fatal(err)
	}
	travel(t, srv, 2*24*time.Hour)
	if after := blobBytes(t, srv); after > before/10 {
		t.Fatalf("archived body takes %d bytes, was %d", after, before)
	}
	must[*s3.RestoreObjectOutput](t)(c.RestoreObject(ctx, &s3.RestoreObjectInput{Bucket: aws.String("lc-pack"), Key: aws.String("logs/app.log"),
		RestoreRequest: &types.RestoreRequest{Days: aws.Int32(1)}}))
	travel(t, srv, 13*time.Hour)
	if got := get(t, c, "lc-pack", "logs/app.log"); got != body {
		t.Fatal("restored bytes differ")
	}
}
