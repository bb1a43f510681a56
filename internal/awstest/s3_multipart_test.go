package awstest_test

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakebox/lakebox/internal/awstest"
)

const mib = 1 << 20

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// multipartETag is S3's ETag of a multipart object: the MD5 of the parts'
// MD5s, then "-N".
func multipartETag(parts ...[]byte) string {
	var sums []byte
	for _, p := range parts {
		s := md5.Sum(p)
		sums = append(sums, s[:]...)
	}
	s := md5.Sum(sums)
	return `"` + hex.EncodeToString(s[:]) + "-" + itoa(len(parts)) + `"`
}

func TestS3_Multipart(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "mpu")
	parts := [][]byte{randomBytes(5 * mib), randomBytes(5 * mib), randomBytes(1234)}

	up := must[*s3.CreateMultipartUploadOutput](t)(c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{
		Bucket: aws.String("mpu"), Key: aws.String("big/object.bin"), ContentType: aws.String("application/octet-stream"),
		Metadata: map[string]string{"stage": "raw"},
	}))
	var completed []types.CompletedPart
	for i, p := range parts {
		out := must[*s3.UploadPartOutput](t)(c.UploadPart(ctx, &s3.UploadPartInput{
			Bucket: aws.String("mpu"), Key: aws.String("big/object.bin"), UploadId: up.UploadId,
			PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(p),
		}))
		completed = append(completed, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: out.ETag, ChecksumCRC32: out.ChecksumCRC32})
	}
	lp := must[*s3.ListPartsOutput](t)(c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("mpu"), Key: aws.String("big/object.bin"), UploadId: up.UploadId, MaxParts: aws.Int32(2)}))
	if len(lp.Parts) != 2 || !aws.ToBool(lp.IsTruncated) || aws.ToString(lp.NextPartNumberMarker) != "2" {
		t.Fatalf("ListParts = %d parts, truncated %v, next %v", len(lp.Parts), aws.ToBool(lp.IsTruncated), aws.ToString(lp.NextPartNumberMarker))
	}
	uploads := must[*s3.ListMultipartUploadsOutput](t)(c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("mpu")}))
	if len(uploads.Uploads) != 1 || aws.ToString(uploads.Uploads[0].UploadId) != aws.ToString(up.UploadId) {
		t.Fatalf("ListMultipartUploads = %+v", uploads.Uploads)
	}

	t.Run("Errors", func(t *testing.T) {
		_, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("big/object.bin"), UploadId: up.UploadId,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{completed[1], completed[0]}}})
		wantCode(t, err, "InvalidPartOrder")
		bad := completed[0]
		bad.ETag = aws.String(`"00000000000000000000000000000000"`)
		_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("big/object.bin"), UploadId: up.UploadId,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{bad}}})
		wantCode(t, err, "InvalidPart")
		_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("mpu"), Key: aws.String("big/object.bin"), UploadId: aws.String("nosuchupload"),
			PartNumber: aws.Int32(1), Body: strings.NewReader("x")})
		wantCode(t, err, "NoSuchUpload")
		_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("mpu"), Key: aws.String("big/object.bin"), UploadId: up.UploadId,
			PartNumber: aws.Int32(10001), Body: strings.NewReader("x")})
		wantCode(t, err, "InvalidArgument")
	})

	done := must[*s3.CompleteMultipartUploadOutput](t)(c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: aws.String("mpu"), Key: aws.String("big/object.bin"), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: completed},
	}))
	if want := multipartETag(parts...); aws.ToString(done.ETag) != want {
		t.Fatalf("ETag %s, want %s", aws.ToString(done.ETag), want)
	}
	if got := get(t, c, "mpu", "big/object.bin"); got != string(bytes.Join(parts, nil)) {
		t.Fatalf("assembled object differs (%d bytes)", len(got))
	}
	h := must[*s3.HeadObjectOutput](t)(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("mpu"), Key: aws.String("big/object.bin"), PartNumber: aws.Int32(2)}))
	if aws.ToInt32(h.PartsCount) != 3 || aws.ToInt64(h.ContentLength) != 5*mib || h.Metadata["stage"] != "raw" {
		t.Fatalf("part 2 head: parts %d length %d meta %v", aws.ToInt32(h.PartsCount), aws.ToInt64(h.ContentLength), h.Metadata)
	}
	part3 := must[*s3.GetObjectOutput](t)(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("mpu"), Key: aws.String("big/object.bin"), PartNumber: aws.Int32(3)}))
	data, _ := io.ReadAll(part3.Body)
	part3.Body.Close()
	if !bytes.Equal(data, parts[2]) {
		t.Fatal("GET partNumber=3 differs")
	}
	attrs := must[*s3.GetObjectAttributesOutput](t)(c.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{
		Bucket: aws.String("mpu"), Key: aws.String("big/object.bin"),
		ObjectAttributes: []types.ObjectAttributes{types.ObjectAttributesEtag, types.ObjectAttributesObjectParts, types.ObjectAttributesObjectSize, types.ObjectAttributesStorageClass},
	}))
	if aws.ToInt64(attrs.ObjectSize) != int64(10*mib+1234) || attrs.ObjectParts == nil || aws.ToInt32(attrs.ObjectParts.TotalPartsCount) != 3 || attrs.StorageClass != types.StorageClassStandard {
		t.Fatalf("attributes %+v", attrs)
	}
	_, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("mpu"), Key: aws.String("big/object.bin"), UploadId: up.UploadId})
	wantCode(t, err, "NoSuchUpload")
}

func TestS3_MultipartRules(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "rules")
	start := func(key string) *string {
		return must[*s3.CreateMultipartUploadOutput](t)(c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("rules"), Key: aws.String(key)})).UploadId
	}
	upload := func(key string, id *string, n int32, body []byte) types.CompletedPart {
		out := must[*s3.UploadPartOutput](t)(c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("rules"), Key: aws.String(key), UploadId: id, PartNumber: aws.Int32(n), Body: bytes.NewReader(body)}))
		return types.CompletedPart{PartNumber: aws.Int32(n), ETag: out.ETag}
	}

	t.Run("EntityTooSmall", func(t *testing.T) {
		id := start("small")
		p1, p2 := upload("small", id, 1, []byte("tiny")), upload("small", id, 2, []byte("tail"))
		_, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("rules"), Key: aws.String("small"), UploadId: id,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{p1, p2}}})
		wantCode(t, err, "EntityTooSmall")
	})
	t.Run("SinglePartMayBeSmall", func(t *testing.T) {
		id := start("one")
		p1 := upload("one", id, 1, []byte("only part"))
		must[*s3.CompleteMultipartUploadOutput](t)(c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("rules"), Key: aws.String("one"), UploadId: id,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{p1}}}))
		if got := get(t, c, "rules", "one"); got != "only part" {
			t.Fatalf("got %q", got)
		}
	})
	t.Run("ReuploadPart", func(t *testing.T) {
		id := start("redo")
		upload("redo", id, 1, []byte("first try"))
		p := upload("redo", id, 1, []byte("second try"))
		must[*s3.CompleteMultipartUploadOutput](t)(c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("rules"), Key: aws.String("redo"), UploadId: id,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{p}}}))
		if got := get(t, c, "rules", "redo"); got != "second try" {
			t.Fatalf("got %q", got)
		}
	})
	t.Run("Abort", func(t *testing.T) {
		id := start("aborted")
		upload("aborted", id, 1, randomBytes(64<<10))
		must[*s3.AbortMultipartUploadOutput](t)(c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("rules"), Key: aws.String("aborted"), UploadId: id}))
		_, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("rules"), Key: aws.String("aborted"), UploadId: id})
		wantCode(t, err, "NoSuchUpload")
	})
	t.Run("UploadPartCopy", func(t *testing.T) {
		src := randomBytes(6 * mib)
		must[*s3.PutObjectOutput](t)(c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("rules"), Key: aws.String("source"), Body: bytes.NewReader(src)}))
		id := start("copied")
		var parts []types.CompletedPart
		for i, rng := range []string{"bytes=0-5242879", "bytes=5242880-6291455"} {
			out := must[*s3.UploadPartCopyOutput](t)(c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String("rules"), Key: aws.String("copied"), UploadId: id,
				PartNumber: aws.Int32(int32(i + 1)), CopySource: aws.String("rules/source"), CopySourceRange: aws.String(rng)}))
			parts = append(parts, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: out.CopyPartResult.ETag})
		}
		must[*s3.CompleteMultipartUploadOutput](t)(c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("rules"), Key: aws.String("copied"), UploadId: id,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}}))
		if got := get(t, c, "rules", "copied"); got != string(src) {
			t.Fatal("copied object differs")
		}
	})
	t.Run("FullObjectCRC32", func(t *testing.T) {
		out := must[*s3.CreateMultipartUploadOutput](t)(c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("rules"), Key: aws.String("crc"),
			ChecksumAlgorithm: types.ChecksumAlgorithmCrc32, ChecksumType: types.ChecksumTypeFullObject}))
		var parts []types.CompletedPart
		var all []byte
		for i, size := range []int{5 * mib, 5 * mib, 777} {
			body := randomBytes(size)
			all = append(all, body...)
			p := must[*s3.UploadPartOutput](t)(c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("rules"), Key: aws.String("crc"), UploadId: out.UploadId,
				PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(body), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32}))
			parts = append(parts, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: p.ETag, ChecksumCRC32: p.ChecksumCRC32})
		}
		done := must[*s3.CompleteMultipartUploadOutput](t)(c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("rules"), Key: aws.String("crc"), UploadId: out.UploadId,
			ChecksumType: types.ChecksumTypeFullObject, MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}}))
		if done.ChecksumType != types.ChecksumTypeFullObject || strings.Contains(aws.ToString(done.ChecksumCRC32), "-") {
			t.Fatalf("complete checksum %q type %q", aws.ToString(done.ChecksumCRC32), done.ChecksumType)
		}
		// The SDK validates a full-object CRC against the bytes it reads.
		g := must[*s3.GetObjectOutput](t)(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("rules"), Key: aws.String("crc"), ChecksumMode: types.ChecksumModeEnabled}))
		data, err := io.ReadAll(g.Body)
		g.Body.Close()
		if err != nil || !bytes.Equal(data, all) || aws.ToString(g.ChecksumCRC32) != aws.ToString(done.ChecksumCRC32) {
			t.Fatalf("read %d bytes (%v), checksum %q", len(data), err, aws.ToString(g.ChecksumCRC32))
		}
	})
	t.Run("CompositeSHA256", func(t *testing.T) {
		out := must[*s3.CreateMultipartUploadOutput](t)(c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("rules"), Key: aws.String("sha"),
			ChecksumAlgorithm: types.ChecksumAlgorithmSha256}))
		p1 := must[*s3.UploadPartOutput](t)(c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("rules"), Key: aws.String("sha"), UploadId: out.UploadId,
			PartNumber: aws.Int32(1), Body: bytes.NewReader(randomBytes(5 * mib)), ChecksumAlgorithm: types.ChecksumAlgorithmSha256}))
		p2 := must[*s3.UploadPartOutput](t)(c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("rules"), Key: aws.String("sha"), UploadId: out.UploadId,
			PartNumber: aws.Int32(2), Body: bytes.NewReader([]byte("end")), ChecksumAlgorithm: types.ChecksumAlgorithmSha256}))
		done := must[*s3.CompleteMultipartUploadOutput](t)(c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("rules"), Key: aws.String("sha"), UploadId: out.UploadId,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{
				{PartNumber: aws.Int32(1), ETag: p1.ETag, ChecksumSHA256: p1.ChecksumSHA256},
				{PartNumber: aws.Int32(2), ETag: p2.ETag, ChecksumSHA256: p2.ChecksumSHA256},
			}}}))
		if !strings.HasSuffix(aws.ToString(done.ChecksumSHA256), "-2") || done.ChecksumType != types.ChecksumTypeComposite {
			t.Fatalf("composite checksum %q type %q", aws.ToString(done.ChecksumSHA256), done.ChecksumType)
		}
		// Reading a part back with checksum mode returns that part's checksum.
		g := must[*s3.GetObjectOutput](t)(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("rules"), Key: aws.String("sha"), PartNumber: aws.Int32(2), ChecksumMode: types.ChecksumModeEnabled}))
		io.ReadAll(g.Body)
		g.Body.Close()
		if aws.ToString(g.ChecksumSHA256) != aws.ToString(p2.ChecksumSHA256) {
			t.Fatalf("part checksum %q, want %q", aws.ToString(g.ChecksumSHA256), aws.ToString(p2.ChecksumSHA256))
		}
	})
}

// The SDK's upload manager: concurrent parts with default checksums, and
// the download manager's ranged GETs, against full-object CRC validation.
func TestS3_TransferManager(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "xfer")
	data := randomBytes(23 * mib)
	up := manager.NewUploader(c, func(u *manager.Uploader) { u.PartSize = 5 * mib; u.Concurrency = 4 })
	must[*manager.UploadOutput](t)(up.Upload(ctx, &s3.PutObjectInput{Bucket: aws.String("xfer"), Key: aws.String("big"), Body: bytes.NewReader(data)}))
	buf := manager.NewWriteAtBuffer(nil)
	down := manager.NewDownloader(c, func(d *manager.Downloader) { d.PartSize = 4 * mib })
	n := must[int64](t)(down.Download(ctx, buf, &s3.GetObjectInput{Bucket: aws.String("xfer"), Key: aws.String("big")}))
	if n != int64(len(data)) || !bytes.Equal(buf.Bytes(), data) {
		t.Fatalf("downloaded %d bytes, equal %v", n, bytes.Equal(buf.Bytes(), data))
	}
	// The uploader asks for CRC32 without a type: S3 makes that COMPOSITE.
	h := must[*s3.HeadObjectOutput](t)(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("xfer"), Key: aws.String("big"), ChecksumMode: types.ChecksumModeEnabled}))
	if h.ChecksumType != types.ChecksumTypeComposite || !strings.HasSuffix(aws.ToString(h.ChecksumCRC32), "-5") {
		t.Fatalf("checksum %q type %q", aws.ToString(h.ChecksumCRC32), h.ChecksumType)
	}
}

func TestS3_Presign(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "pre")
	put(t, c, "pre", "doc.txt", "presigned body")
	ps := s3.NewPresignClient(c)
	hc := srv.HTTPClient()

	req := must[*v4.PresignedHTTPRequest](t)(ps.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("pre"), Key: aws.String("doc.txt")}, s3.WithPresignExpires(time.Minute)))
	resp := must[*http.Response](t)(hc.Get(req.URL))
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "presigned body" {
		t.Fatalf("presigned GET: %d %q", resp.StatusCode, body)
	}

	putReq := must[*v4.PresignedHTTPRequest](t)(ps.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("pre"), Key: aws.String("up.txt")}))
	hr, _ := http.NewRequest(http.MethodPut, putReq.URL, strings.NewReader("uploaded via URL"))
	for k, v := range putReq.SignedHeader {
		hr.Header[k] = v
	}
	resp = must[*http.Response](t)(hc.Do(hr))
	resp.Body.Close()
	if resp.StatusCode != 200 || get(t, c, "pre", "up.txt") != "uploaded via URL" {
		t.Fatalf("presigned PUT: %d", resp.StatusCode)
	}

	// Tampering with a presigned URL breaks it; so does an unsigned request.
	resp = must[*http.Response](t)(hc.Get(strings.Replace(req.URL, "doc.txt", "up.txt", 1)))
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Fatalf("tampered URL: %d", resp.StatusCode)
	}
	resp = must[*http.Response](t)(hc.Get(srv.URL + "/pre/doc.txt"))
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Fatalf("anonymous GET: %d", resp.StatusCode)
	}
}
