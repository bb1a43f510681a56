package awstest_test

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakebox/lakebox/internal/awstest"
)

func TestS3_PutGetObject(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "objs")

	for _, size := range []int{0, 1, 16 << 10, 16<<10 + 1, 3 << 20} {
		body := bytes.Repeat([]byte{byte(size)}, size)
		key := "sizes/" + strings.Repeat("k", size%7+1)
		out := must[*s3.PutObjectOutput](t)(c.PutObject(ctx, &s3.PutObjectInput{
			Bucket: aws.String("objs"), Key: aws.String(key), Body: bytes.NewReader(body),
			ContentType: aws.String("application/x-test"), Metadata: map[string]string{"Origin": "unit"},
			CacheControl: aws.String("max-age=60"), ContentDisposition: aws.String("attachment"),
		}))
		sum := md5.Sum(body)
		if want := `"` + hex.EncodeToString(sum[:]) + `"`; aws.ToString(out.ETag) != want {
			t.Fatalf("size %d: ETag %s, want %s", size, aws.ToString(out.ETag), want)
		}
		got := must[*s3.GetObjectOutput](t)(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String(key)}))
		data, _ := io.ReadAll(got.Body)
		got.Body.Close()
		if !bytes.Equal(data, body) {
			t.Fatalf("size %d: body differs (%d bytes)", size, len(data))
		}
		if aws.ToString(got.ContentType) != "application/x-test" || got.Metadata["origin"] != "unit" ||
			aws.ToString(got.CacheControl) != "max-age=60" || aws.ToString(got.ContentDisposition) != "attachment" ||
			aws.ToInt64(got.ContentLength) != int64(size) {
			t.Fatalf("size %d: headers %+v", size, got)
		}
	}

	t.Run("Overwrite", func(t *testing.T) {
		put(t, c, "objs", "over", "first")
		put(t, c, "objs", "over", strings.Repeat("second", 10000))
		if got := get(t, c, "objs", "over"); got != strings.Repeat("second", 10000) {
			t.Fatalf("got %d bytes", len(got))
		}
	})
	t.Run("NoSuchKey", func(t *testing.T) {
		_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("missing")})
		wantCode(t, err, "NoSuchKey")
		_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("objs"), Key: aws.String("missing")})
		wantCode(t, err, "NotFound")
	})
	t.Run("Delete", func(t *testing.T) {
		put(t, c, "objs", "gone", "x")
		must[*s3.DeleteObjectOutput](t)(c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("objs"), Key: aws.String("gone")}))
		_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("gone")})
		wantCode(t, err, "NoSuchKey")
		// Deleting a missing key succeeds, as in S3.
		must[*s3.DeleteObjectOutput](t)(c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("objs"), Key: aws.String("gone")}))
	})
	t.Run("OddKeys", func(t *testing.T) {
		for _, key := range []string{"a b+c", "ünïcødé/ключ", "x?y=z&w", "/leading", "trailing/", "a//b", "%2F", "~tilde!*'()", "semi;colon:at@"} {
			put(t, c, "objs", key, "body of "+key)
			if got := get(t, c, "objs", key); got != "body of "+key {
				t.Fatalf("key %q: got %q", key, got)
			}
		}
	})
	t.Run("BadKeys", func(t *testing.T) {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("objs"), Key: aws.String(strings.Repeat("k", 1025)), Body: strings.NewReader("x")})
		wantCode(t, err, "KeyTooLongError")
		_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("objs"), Key: aws.String("a/../b"), Body: strings.NewReader("x")})
		wantCode(t, err, "InvalidArgument")
	})
	t.Run("ContentMD5", func(t *testing.T) {
		good := md5.Sum([]byte("hello"))
		must[*s3.PutObjectOutput](t)(c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("objs"), Key: aws.String("md5"),
			Body: strings.NewReader("hello"), ContentMD5: aws.String(base64.StdEncoding.EncodeToString(good[:]))}))
		bad := md5.Sum([]byte("other"))
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("objs"), Key: aws.String("md5"),
			Body: strings.NewReader("hello"), ContentMD5: aws.String(base64.StdEncoding.EncodeToString(bad[:]))})
		wantCode(t, err, "BadDigest")
		_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("objs"), Key: aws.String("md5"),
			Body: strings.NewReader("hello"), ContentMD5: aws.String("not-base64!")})
		wantCode(t, err, "InvalidDigest")
	})
	t.Run("UnsupportedOptions", func(t *testing.T) {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("objs"), Key: aws.String("redirect"),
			Body: strings.NewReader("x"), WebsiteRedirectLocation: aws.String("/elsewhere")})
		wantCode(t, err, "NotImplemented")
		_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("objs"), Key: aws.String("outposts"),
			Body: strings.NewReader("x"), StorageClass: types.StorageClassOutposts})
		wantCode(t, err, "InvalidStorageClass")
		_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("objs"), Key: aws.String("acl"),
			Body: strings.NewReader("x"), ACL: types.ObjectCannedACLPublicRead})
		wantCode(t, err, "AccessControlListNotSupported")
	})
	t.Run("StorageClass", func(t *testing.T) {
		must[*s3.PutObjectOutput](t)(c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("objs"), Key: aws.String("ia"),
			Body: strings.NewReader("x"), StorageClass: types.StorageClassStandardIa}))
		h := must[*s3.HeadObjectOutput](t)(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("objs"), Key: aws.String("ia")}))
		if h.StorageClass != types.StorageClassStandardIa {
			t.Fatalf("storage class %q", h.StorageClass)
		}
	})
}

func TestS3_RangesAndConditions(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "rng")
	small := "0123456789"
	large := strings.Repeat("abcdefghij", 4000) // beyond the inline threshold
	put(t, c, "rng", "small", small)
	put(t, c, "rng", "large", large)

	for _, key := range []string{"small", "large"} {
		body := map[string]string{"small": small, "large": large}[key]
		for _, tc := range []struct {
			rng, want, contentRange string
		}{
			{"bytes=0-3", body[:4], "bytes 0-3/" + itoa(len(body))},
			{"bytes=5-", body[5:], "bytes 5-" + itoa(len(body)-1) + "/" + itoa(len(body))},
			{"bytes=-3", body[len(body)-3:], "bytes " + itoa(len(body)-3) + "-" + itoa(len(body)-1) + "/" + itoa(len(body))},
			{"bytes=2-100000000", body[2:], "bytes 2-" + itoa(len(body)-1) + "/" + itoa(len(body))},
		} {
			out := must[*s3.GetObjectOutput](t)(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("rng"), Key: aws.String(key), Range: aws.String(tc.rng)}))
			data, _ := io.ReadAll(out.Body)
			out.Body.Close()
			if string(data) != tc.want || aws.ToString(out.ContentRange) != tc.contentRange {
				t.Fatalf("%s %s: got %d bytes, Content-Range %q; want %d, %q", key, tc.rng, len(data), aws.ToString(out.ContentRange), len(tc.want), tc.contentRange)
			}
		}
	}
	_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("rng"), Key: aws.String("small"), Range: aws.String("bytes=10-")})
	wantCode(t, err, "InvalidRange")

	etag := aws.ToString(must[*s3.HeadObjectOutput](t)(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("rng"), Key: aws.String("small")})).ETag)
	past, future := time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	for _, tc := range []struct {
		name string
		in   s3.GetObjectInput
		want string
	}{
		{"IfMatchOK", s3.GetObjectInput{IfMatch: aws.String(etag)}, ""},
		{"IfMatchFail", s3.GetObjectInput{IfMatch: aws.String(`"nope"`)}, "PreconditionFailed"},
		{"IfNoneMatchHit", s3.GetObjectInput{IfNoneMatch: aws.String(etag)}, "304"},
		{"IfNoneMatchMiss", s3.GetObjectInput{IfNoneMatch: aws.String(`"nope"`)}, ""},
		{"IfModifiedSinceFuture", s3.GetObjectInput{IfModifiedSince: aws.Time(future)}, "304"},
		{"IfModifiedSincePast", s3.GetObjectInput{IfModifiedSince: aws.Time(past)}, ""},
		{"IfUnmodifiedSincePast", s3.GetObjectInput{IfUnmodifiedSince: aws.Time(past)}, "PreconditionFailed"},
		{"IfMatchBeatsUnmodifiedSince", s3.GetObjectInput{IfMatch: aws.String(etag), IfUnmodifiedSince: aws.Time(past)}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Bucket, in.Key = aws.String("rng"), aws.String("small")
			out, err := c.GetObject(ctx, &in)
			if tc.want != "" {
				wantCode(t, err, tc.want)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			out.Body.Close()
		})
	}

	t.Run("ConditionalPut", func(t *testing.T) {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("rng"), Key: aws.String("small"), Body: strings.NewReader("x"), IfNoneMatch: aws.String("*")})
		wantCode(t, err, "PreconditionFailed")
		must[*s3.PutObjectOutput](t)(c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("rng"), Key: aws.String("fresh"), Body: strings.NewReader("x"), IfNoneMatch: aws.String("*")}))
		_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("rng"), Key: aws.String("small"), Body: strings.NewReader("x"), IfMatch: aws.String(`"nope"`)})
		wantCode(t, err, "PreconditionFailed")
		must[*s3.PutObjectOutput](t)(c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("rng"), Key: aws.String("small"), Body: strings.NewReader("y"), IfMatch: aws.String(etag)}))
		_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("rng"), Key: aws.String("absent"), Body: strings.NewReader("x"), IfMatch: aws.String(etag)})
		wantCode(t, err, "NoSuchKey")
	})
}

func TestS3_Checksums(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "sums")
	body := strings.Repeat("checksum me ", 5000)
	for _, alg := range []types.ChecksumAlgorithm{types.ChecksumAlgorithmCrc32, types.ChecksumAlgorithmCrc32c, types.ChecksumAlgorithmSha1, types.ChecksumAlgorithmSha256, types.ChecksumAlgorithmCrc64nvme} {
		key := "obj-" + string(alg)
		out := must[*s3.PutObjectOutput](t)(c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sums"), Key: aws.String(key), Body: strings.NewReader(body), ChecksumAlgorithm: alg}))
		// The SDK validates the returned checksum against the body it reads.
		got := must[*s3.GetObjectOutput](t)(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sums"), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled}))
		data, err := io.ReadAll(got.Body)
		got.Body.Close()
		if err != nil || string(data) != body {
			t.Fatalf("%s: read %d bytes, %v", alg, len(data), err)
		}
		sent := map[types.ChecksumAlgorithm]*string{
			types.ChecksumAlgorithmCrc32: out.ChecksumCRC32, types.ChecksumAlgorithmCrc32c: out.ChecksumCRC32C,
			types.ChecksumAlgorithmSha1: out.ChecksumSHA1, types.ChecksumAlgorithmSha256: out.ChecksumSHA256,
			types.ChecksumAlgorithmCrc64nvme: out.ChecksumCRC64NVME,
		}[alg]
		back := map[types.ChecksumAlgorithm]*string{
			types.ChecksumAlgorithmCrc32: got.ChecksumCRC32, types.ChecksumAlgorithmCrc32c: got.ChecksumCRC32C,
			types.ChecksumAlgorithmSha1: got.ChecksumSHA1, types.ChecksumAlgorithmSha256: got.ChecksumSHA256,
			types.ChecksumAlgorithmCrc64nvme: got.ChecksumCRC64NVME,
		}[alg]
		if aws.ToString(sent) == "" || aws.ToString(sent) != aws.ToString(back) {
			t.Fatalf("%s: put returned %q, get returned %q", alg, aws.ToString(sent), aws.ToString(back))
		}
	}
	t.Run("WrongChecksum", func(t *testing.T) {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sums"), Key: aws.String("bad"), Body: strings.NewReader("data"),
			ChecksumCRC32: aws.String("AAAAAA==")})
		wantCode(t, err, "BadDigest")
		_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("sums"), Key: aws.String("bad")})
		wantCode(t, err, "NotFound")
	})
	t.Run("DefaultCRC64NVME", func(t *testing.T) {
		plain := srv.S3As(awstest.Client{DisableChecksum: true})
		must[*s3.PutObjectOutput](t)(plain.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sums"), Key: aws.String("plain"), Body: strings.NewReader(body)}))
		h := must[*s3.HeadObjectOutput](t)(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("sums"), Key: aws.String("plain"), ChecksumMode: types.ChecksumModeEnabled}))
		if aws.ToString(h.ChecksumCRC64NVME) == "" || h.ChecksumType != types.ChecksumTypeFullObject {
			t.Fatalf("head = %+v", h)
		}
	})
}

func TestS3_CopyObject(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "src")
	createBucket(t, c, "dst")
	big := strings.Repeat("copy", 10000)
	must[*s3.PutObjectOutput](t)(c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("src"), Key: aws.String("a b"),
		Body: strings.NewReader(big), Metadata: map[string]string{"m": "1"}, ContentType: aws.String("text/plain"), Tagging: aws.String("t=1")}))

	out := must[*s3.CopyObjectOutput](t)(c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("copy"), CopySource: aws.String("src/a%20b")}))
	if got := get(t, c, "dst", "copy"); got != big {
		t.Fatalf("copy body %d bytes", len(got))
	}
	h := must[*s3.HeadObjectOutput](t)(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("dst"), Key: aws.String("copy")}))
	if h.Metadata["m"] != "1" || aws.ToString(h.ContentType) != "text/plain" || aws.ToString(h.ETag) != aws.ToString(out.CopyObjectResult.ETag) || aws.ToInt32(h.TagCount) != 1 {
		t.Fatalf("copied headers %+v", h)
	}

	must[*s3.CopyObjectOutput](t)(c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("replaced"), CopySource: aws.String("src/a%20b"),
		MetadataDirective: types.MetadataDirectiveReplace, Metadata: map[string]string{"n": "2"}, ContentType: aws.String("application/json")}))
	h = must[*s3.HeadObjectOutput](t)(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("dst"), Key: aws.String("replaced")}))
	if h.Metadata["n"] != "2" || h.Metadata["m"] != "" || aws.ToString(h.ContentType) != "application/json" {
		t.Fatalf("replaced headers %+v", h)
	}

	_, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("src"), Key: aws.String("a b"), CopySource: aws.String("src/a%20b")})
	wantCode(t, err, "InvalidRequest")
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("x"), CopySource: aws.String("src/missing")})
	wantCode(t, err, "NoSuchKey")
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("x"), CopySource: aws.String("src/a%20b"), CopySourceIfMatch: aws.String(`"nope"`)})
	wantCode(t, err, "PreconditionFailed")
}

func TestS3_DeleteObjects(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "del")
	var ids []types.ObjectIdentifier
	for i := range 50 {
		key := "k" + itoa(i)
		put(t, c, "del", key, key)
		ids = append(ids, types.ObjectIdentifier{Key: aws.String(key)})
	}
	ids = append(ids, types.ObjectIdentifier{Key: aws.String("never-existed")})
	out := must[*s3.DeleteObjectsOutput](t)(c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("del"), Delete: &types.Delete{Objects: ids}}))
	if len(out.Deleted) != 51 || len(out.Errors) != 0 {
		t.Fatalf("deleted %d, errors %v", len(out.Deleted), out.Errors)
	}
	l := must[*s3.ListObjectsV2Output](t)(c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("del")}))
	if aws.ToInt32(l.KeyCount) != 0 {
		t.Fatalf("%d keys left", aws.ToInt32(l.KeyCount))
	}
	quiet := must[*s3.DeleteObjectsOutput](t)(c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("del"), Delete: &types.Delete{Objects: ids[:1], Quiet: aws.Bool(true)}}))
	if len(quiet.Deleted) != 0 {
		t.Fatalf("quiet mode listed %d", len(quiet.Deleted))
	}
}

func TestS3_Tagging(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "tags")
	must[*s3.PutObjectOutput](t)(c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("tags"), Key: aws.String("o"), Body: strings.NewReader("x"), Tagging: aws.String("zone=raw&owner=data%20team")}))
	tg := must[*s3.GetObjectTaggingOutput](t)(c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String("o")}))
	if len(tg.TagSet) != 2 || *tg.TagSet[1].Value != "data team" {
		t.Fatalf("tags %+v", tg.TagSet)
	}
	must[*s3.PutObjectTaggingOutput](t)(c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String("o"),
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("zone"), Value: aws.String("curated")}}}}))
	tg = must[*s3.GetObjectTaggingOutput](t)(c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String("o")}))
	if len(tg.TagSet) != 1 || *tg.TagSet[0].Value != "curated" {
		t.Fatalf("tags %+v", tg.TagSet)
	}
	var eleven []types.Tag
	for i := range 11 {
		eleven = append(eleven, types.Tag{Key: aws.String("k" + itoa(i)), Value: aws.String("v")})
	}
	_, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String("o"), Tagging: &types.Tagging{TagSet: eleven}})
	wantCode(t, err, "BadRequest")
	must[*s3.DeleteObjectTaggingOutput](t)(c.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String("o")}))
	tg = must[*s3.GetObjectTaggingOutput](t)(c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String("o")}))
	if len(tg.TagSet) != 0 {
		t.Fatalf("tags after delete %+v", tg.TagSet)
	}

	_, err = c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("tags")})
	wantCode(t, err, "NoSuchTagSet")
	must[*s3.PutBucketTaggingOutput](t)(c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String("tags"),
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("team"), Value: aws.String("lake")}}}}))
	bt := must[*s3.GetBucketTaggingOutput](t)(c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("tags")}))
	if len(bt.TagSet) != 1 || *bt.TagSet[0].Key != "team" {
		t.Fatalf("bucket tags %+v", bt.TagSet)
	}
}

func TestS3_ConcurrentOverwrites(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "race")
	bodies := []string{strings.Repeat("A", 100), strings.Repeat("B", 50000), strings.Repeat("C", 20000), strings.Repeat("D", 10)}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := range 8 {
		wg.Go(func() {
			for j := 0; j < 20; j++ {
				put(t, c, "race", "hot", bodies[(i+j)%len(bodies)])
			}
		})
	}
	errs := make(chan string, 100)
	var readers sync.WaitGroup
	for range 4 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("race"), Key: aws.String("hot")})
				if err != nil {
					continue // not written yet
				}
				data, err := io.ReadAll(out.Body)
				out.Body.Close()
				if err != nil {
					errs <- err.Error()
					return
				}
				if !isOneOf(string(data), bodies) {
					errs <- "torn read of " + itoa(len(data)) + " bytes"
					return
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
	if !isOneOf(get(t, c, "race", "hot"), bodies) {
		t.Fatal("final object is not one of the bodies written")
	}
}

func isOneOf(s string, set []string) bool {
	for _, x := range set {
		if s == x {
			return true
		}
	}
	return false
}
