package awstest_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

var ctx = context.Background()

// wantCode fails the test unless err is an AWS error with the given code
// (or HTTP status, for responses without a body, as "404").
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got success, want %s", code)
	}
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() == code {
		return
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && itoa(re.HTTPStatusCode()) == code {
		return
	}
	t.Fatalf("got error %v, want %s", err, code)
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func createBucket(t *testing.T, c *s3.Client, name string) {
	t.Helper()
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
}

func put(t *testing.T, c *s3.Client, bucket, key, body string) *s3.PutObjectOutput {
	t.Helper()
	out, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader(body)})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func get(t *testing.T, c *s3.Client, bucket, key string) string {
	t.Helper()
	return string(readAll(t)(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})))
}

// readAll reads a GetObject response's body, failing the test on any error.
func readAll(t *testing.T) func(*s3.GetObjectOutput, error) []byte {
	return func(out *s3.GetObjectOutput, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer out.Body.Close()
		b, err := io.ReadAll(out.Body)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
}

// noPlaintext fails the test if any file under dir holds marker.
func noPlaintext(t *testing.T, dir, marker string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(marker)) {
			t.Errorf("plaintext found in %s", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
