package awstest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakebox/lakebox/internal/awstest"
)

func TestS3_BucketPolicy(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "shared")
	put(t, c, "shared", "public/data.csv", "a,b\n1,2\n")
	put(t, c, "shared", "private/pii.csv", "secret")

	anonGet := func(path string) int {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := anonGet("/shared/public/data.csv"); code != 403 {
		t.Fatalf("anonymous GET without a policy: %d", code)
	}
	_, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("shared")})
	wantCode(t, err, "NoSuchBucketPolicy")

	policy := `{"Version":"2012-10-17","Statement":[
		{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/public/*"},
		{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["s3:ListBucket","s3:GetObject"],"Resource":["arn:aws:s3:::shared","arn:aws:s3:::shared/*"]},
		{"Sid":"NoPII","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/private/*"}]}`
	must[*s3.PutBucketPolicyOutput](t)(c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("shared"), Policy: aws.String(policy)}))
	got := must[*s3.GetBucketPolicyOutput](t)(c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("shared")}))
	if aws.ToString(got.Policy) != policy {
		t.Fatalf("policy read back differs: %s", aws.ToString(got.Policy))
	}
	status := must[*s3.GetBucketPolicyStatusOutput](t)(c.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: aws.String("shared")}))
	if !aws.ToBool(status.PolicyStatus.IsPublic) {
		t.Fatal("public policy not reported public")
	}

	for path, want := range map[string]int{
		"/shared/public/data.csv": 200, // allowed to anyone
		"/shared/private/pii.csv": 403, // not allowed
		"/shared?list-type=2":     403, // listing not granted to anyone
		"/shared/public/missing":  404,
	} {
		if code := anonGet(path); code != want {
			t.Errorf("anonymous GET %s: %d, want %d", path, code, want)
		}
	}
	// The Deny applies to the owner too.
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("shared"), Key: aws.String("private/pii.csv")})
	wantCode(t, err, "AccessDenied")
	// Another account gets what the policy grants it.
	partner := srv.S3As(awstest.Client{AccessKey: "111122223333", SecretKey: "x"})
	if got := get(t, partner, "shared", "public/data.csv"); got != "a,b\n1,2\n" {
		t.Fatalf("partner read %q", got)
	}
	must[*s3.ListObjectsV2Output](t)(partner.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("shared")}))
	_, err = partner.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("shared"), Key: aws.String("x"), Body: strings.NewReader("x")})
	wantCode(t, err, "AccessDenied")

	t.Run("Invalid", func(t *testing.T) {
		for doc, code := range map[string]string{
			`not json`: "MalformedPolicy",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::elsewhere/*"}]}`:                                                  "MalformedPolicy",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`: "NotImplemented",
		} {
			_, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("shared"), Policy: aws.String(doc)})
			wantCode(t, err, code)
		}
	})

	must[*s3.DeleteBucketPolicyOutput](t)(c.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: aws.String("shared")}))
	if code := anonGet("/shared/public/data.csv"); code != 403 {
		t.Fatalf("anonymous GET after the policy is deleted: %d", code)
	}
	if get(t, c, "shared", "private/pii.csv") != "secret" {
		t.Fatal("owner lost access")
	}
}
