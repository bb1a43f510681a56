package awstest_test

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakebox/lakebox/internal/awstest"
)

// ssec returns the SSE-C fields for a 32-byte key.
func ssec(key []byte) (alg, k, sum *string) {
	m := md5.Sum(key)
	return aws.String("AES256"), aws.String(base64.StdEncoding.EncodeToString(key)), aws.String(base64.StdEncoding.EncodeToString(m[:]))
}

// marked is a body of n bytes that repeats a marker no encrypted file may
// contain.
func marked(marker string, n int) []byte {
	return bytes.Repeat([]byte(marker), n/len(marker)+1)[:n]
}

// TestS3_SSEPlaintextNeverOnDisk stores bodies of every path (inline,
// blob, multipart, copy) with SSE-S3, SSE-KMS and SSE-C, reads them back,
// then searches every file of the data directory for the plaintext.
func TestS3_SSEPlaintextNeverOnDisk(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "sse-plain")
	const marker = "PLAINTEXT-MARKER-7f3a9c"
	customer := bytes.Repeat([]byte{0x42}, 32)
	calg, ckey, cmd5 := ssec(customer)

	small, large := marked(marker, 3000), marked(marker, 300<<10)
	puts := []*s3.PutObjectInput{
		{Key: aws.String("s3-small"), Body: bytes.NewReader(small), ServerSideEncryption: types.ServerSideEncryptionAes256},
		{Key: aws.String("s3-large"), Body: bytes.NewReader(large), ServerSideEncryption: types.ServerSideEncryptionAes256},
		{Key: aws.String("kms-large"), Body: bytes.NewReader(large), ServerSideEncryption: types.ServerSideEncryptionAwsKms,
			SSEKMSKeyId: aws.String("alias/lake")},
		{Key: aws.String("c-small"), Body: bytes.NewReader(small), SSECustomerAlgorithm: calg, SSECustomerKey: ckey, SSECustomerKeyMD5: cmd5},
		{Key: aws.String("c-large"), Body: bytes.NewReader(large), SSECustomerAlgorithm: calg, SSECustomerKey: ckey, SSECustomerKeyMD5: cmd5},
	}
	for _, in := range puts {
		in.Bucket = aws.String("sse-plain")
		out := must[*s3.PutObjectOutput](t)(c.PutObject(ctx, in))
		if in.SSECustomerKey == nil && out.ServerSideEncryption != in.ServerSideEncryption {
			t.Fatalf("%s: PUT reports %q", *in.Key, out.ServerSideEncryption)
		}
		if in.SSECustomerKey != nil && aws.ToString(out.SSECustomerKeyMD5) != *cmd5 {
			t.Fatalf("%s: PUT reports key MD5 %q", *in.Key, aws.ToString(out.SSECustomerKeyMD5))
		}
	}
	// Multipart through the upload manager, and a copy into SSE-C.
	big := marked(marker, 11<<20)
	up := manager.NewUploader(c, func(u *manager.Uploader) { u.PartSize = 5 << 20 })
	must[*manager.UploadOutput](t)(up.Upload(ctx, &s3.PutObjectInput{Bucket: aws.String("sse-plain"), Key: aws.String("c-multipart"),
		Body: bytes.NewReader(big), SSECustomerAlgorithm: calg, SSECustomerKey: ckey, SSECustomerKeyMD5: cmd5}))
	must[*manager.UploadOutput](t)(up.Upload(ctx, &s3.PutObjectInput{Bucket: aws.String("sse-plain"), Key: aws.String("s3-multipart"),
		Body: bytes.NewReader(big), ServerSideEncryption: types.ServerSideEncryptionAes256}))
	must[*s3.CopyObjectOutput](t)(c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("sse-plain"), Key: aws.String("copied"),
		CopySource: aws.String("sse-plain/s3-large"), SSECustomerAlgorithm: calg, SSECustomerKey: ckey, SSECustomerKeyMD5: cmd5}))

	for key, want := range map[string][]byte{"s3-small": small, "s3-large": large, "kms-large": large, "s3-multipart": big} {
		got := readAll(t)(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sse-plain"), Key: aws.String(key)}))
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: read back %d bytes, not what was written", key, len(got))
		}
	}
	for key, want := range map[string][]byte{"c-small": small, "c-large": large, "c-multipart": big, "copied": large} {
		got := readAll(t)(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sse-plain"), Key: aws.String(key),
			SSECustomerAlgorithm: calg, SSECustomerKey: ckey, SSECustomerKeyMD5: cmd5}))
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: read back %d bytes, not what was written", key, len(got))
		}
	}

	srv.Stop() // flush everything the server holds
	noPlaintext(t, srv.DataDir, marker)
}

func TestS3_SSECustomerKeys(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "ssec")
	calg, ckey, cmd5 := ssec(bytes.Repeat([]byte{1}, 32))
	_, wkey, wmd5 := ssec(bytes.Repeat([]byte{2}, 32))
	body := marked("ranges ", 200<<10)
	must[*s3.PutObjectOutput](t)(c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("ssec"), Key: aws.String("k"),
		Body: bytes.NewReader(body), SSECustomerAlgorithm: calg, SSECustomerKey: ckey, SSECustomerKeyMD5: cmd5}))

	_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ssec"), Key: aws.String("k")})
	wantCode(t, err, "InvalidRequest")
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("ssec"), Key: aws.String("k")})
	wantCode(t, err, "400")
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ssec"), Key: aws.String("k"),
		SSECustomerAlgorithm: calg, SSECustomerKey: wkey, SSECustomerKeyMD5: wmd5})
	wantCode(t, err, "AccessDenied")
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ssec"), Key: aws.String("k"),
		SSECustomerAlgorithm: calg, SSECustomerKey: ckey, SSECustomerKeyMD5: wmd5})
	wantCode(t, err, "InvalidArgument")

	// A range in the middle of the third chunk decrypts just what it needs.
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ssec"), Key: aws.String("k"), Range: aws.String("bytes=140000-140099"),
		SSECustomerAlgorithm: calg, SSECustomerKey: ckey, SSECustomerKeyMD5: cmd5})
	if got := readAll(t)(out, err); !bytes.Equal(got, body[140000:140100]) {
		t.Fatalf("range: %q", got)
	}
	h := must[*s3.HeadObjectOutput](t)(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("ssec"), Key: aws.String("k"),
		SSECustomerAlgorithm: calg, SSECustomerKey: ckey, SSECustomerKeyMD5: cmd5}))
	if aws.ToString(h.SSECustomerKeyMD5) != *cmd5 || aws.ToInt64(h.ContentLength) != int64(len(body)) {
		t.Fatalf("HEAD: key MD5 %q length %d", aws.ToString(h.SSECustomerKeyMD5), aws.ToInt64(h.ContentLength))
	}
	// SSE-C parameters on an object that has none are refused.
	put(t, c, "ssec", "plain", "x")
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ssec"), Key: aws.String("plain"),
		SSECustomerAlgorithm: calg, SSECustomerKey: ckey, SSECustomerKeyMD5: cmd5})
	wantCode(t, err, "InvalidRequest")
	// Copying out of SSE-C needs the source key.
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("ssec"), Key: aws.String("copy"), CopySource: aws.String("ssec/k")})
	wantCode(t, err, "InvalidRequest")
	must[*s3.CopyObjectOutput](t)(c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("ssec"), Key: aws.String("copy"), CopySource: aws.String("ssec/k"),
		CopySourceSSECustomerAlgorithm: calg, CopySourceSSECustomerKey: ckey, CopySourceSSECustomerKeyMD5: cmd5}))
	if got := readAll(t)(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ssec"), Key: aws.String("copy")})); !bytes.Equal(got, body) {
		t.Fatal("copy out of SSE-C differs")
	}
}

func TestS3_BucketDefaultEncryption(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "sse-default")
	_, err := c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String("sse-default")})
	wantCode(t, err, "ServerSideEncryptionConfigurationNotFoundError")
	must[*s3.PutBucketEncryptionOutput](t)(c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String("sse-default"),
		ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String("1234abcd-12ab-34cd-56ef-1234567890ab")},
			BucketKeyEnabled:                   aws.Bool(true),
		}}}}))
	got := must[*s3.GetBucketEncryptionOutput](t)(c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String("sse-default")}))
	rule := got.ServerSideEncryptionConfiguration.Rules[0]
	if rule.ApplyServerSideEncryptionByDefault.SSEAlgorithm != types.ServerSideEncryptionAwsKms || !aws.ToBool(rule.BucketKeyEnabled) {
		t.Fatalf("configuration %+v", rule)
	}
	out := put(t, c, "sse-default", "k", "default")
	if out.ServerSideEncryption != types.ServerSideEncryptionAwsKms || !aws.ToBool(out.BucketKeyEnabled) ||
		aws.ToString(out.SSEKMSKeyId) != "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab" {
		t.Fatalf("PUT under the default: %q %v %q", out.ServerSideEncryption, aws.ToBool(out.BucketKeyEnabled), aws.ToString(out.SSEKMSKeyId))
	}
	h := must[*s3.HeadObjectOutput](t)(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("sse-default"), Key: aws.String("k")}))
	if h.ServerSideEncryption != types.ServerSideEncryptionAwsKms {
		t.Fatalf("HEAD reports %q", h.ServerSideEncryption)
	}
	if get(t, c, "sse-default", "k") != "default" {
		t.Fatal("read back differs")
	}
	// A request's own choice wins over the default.
	if out := must[*s3.PutObjectOutput](t)(c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sse-default"), Key: aws.String("s3"),
		Body: bytes.NewReader([]byte("x")), ServerSideEncryption: types.ServerSideEncryptionAes256})); out.ServerSideEncryption != types.ServerSideEncryptionAes256 {
		t.Fatalf("explicit AES256 stored as %q", out.ServerSideEncryption)
	}
	_, err = c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String("sse-default"),
		ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: "rot13"},
		}}}})
	wantCode(t, err, "MalformedXML")
	must[*s3.DeleteBucketEncryptionOutput](t)(c.DeleteBucketEncryption(ctx, &s3.DeleteBucketEncryptionInput{Bucket: aws.String("sse-default")}))
	if out := put(t, c, "sse-default", "after", "x"); out.ServerSideEncryption != "" {
		t.Fatalf("PUT after removing the default is %q", out.ServerSideEncryption)
	}
	// Objects written under the default stay readable after it is gone.
	if get(t, c, "sse-default", "k") != "default" {
		t.Fatal("read back after removing the default differs")
	}
}

// Objects encrypted with the master key survive a restart, which must read
// the same key from the data directory.
func TestS3_SSERestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := awstest.New(t, awstest.Options{DataDir: dir})
	c := srv.S3()
	createBucket(t, c, "sse-restart")
	must[*s3.PutObjectOutput](t)(c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sse-restart"), Key: aws.String("k"),
		Body: bytes.NewReader(marked("restart ", 100<<10)), ServerSideEncryption: types.ServerSideEncryptionAes256}))
	srv.Stop()
	c = awstest.New(t, awstest.Options{DataDir: dir}).S3()
	if got := get(t, c, "sse-restart", "k"); got != string(marked("restart ", 100<<10)) {
		t.Fatal("encrypted object unreadable after a restart")
	}
}
