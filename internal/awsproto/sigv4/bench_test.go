package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// BenchmarkVerify_S3Put measures Parse and Verify of a signed 4 KiB PUT
// with its payload hash in x-amz-content-sha256: what every small S3
// PUT pays before its handler runs.
func BenchmarkVerify_S3Put(b *testing.B) {
	body := bytes.Repeat([]byte("x"), 4096)
	r := signed(b, "PUT", "http://127.0.0.1:4566/bench/small/00/00000001-4096", body, map[string]string{"Content-Type": "application/octet-stream"}, testKey, now)
	benchVerify(b, r, body)
}

// BenchmarkVerify_DynamoDB measures Parse and Verify of a GetItem as the
// Go SDK signs it: a JSON body whose hash is signed but not sent, so the
// verifier reads and hashes it. Every JSON-protocol request pays this.
func BenchmarkVerify_DynamoDB(b *testing.B) {
	body := []byte(`{"Key":{"customer_id":{"S":"customer-000001"},"date":{"S":"2026-11-22"}},"TableName":"bench"}`)
	c, err := http.NewRequest("POST", "http://127.0.0.1:4566/", bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	for k, v := range map[string]string{
		"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.GetItem",
		"Accept-Encoding": "identity", "Amz-Sdk-Invocation-Id": "6f0a7d4e-5b8c-4b3e-9a2f-1c2d3e4f5a6b", "Amz-Sdk-Request": "attempt=1; max=1",
	} {
		c.Header.Set(k, v)
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: testKey.AccessKey, SecretAccessKey: testKey.Secret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, c, hex.EncodeToString(sum[:]), "dynamodb", "us-east-1", now); err != nil {
		b.Fatal(err)
	}
	benchVerify(b, toServer(c, body), body)
}

// benchVerify parses and verifies r, with body, over and over.
func benchVerify(b *testing.B, r *http.Request, body []byte) {
	v := newVerifier(false)
	b.ReportAllocs()
	for b.Loop() {
		r.Body = io.NopCloser(bytes.NewReader(body))
		s, err := v.Parse(r) // the claim is remembered after the first
		if err != nil {
			b.Fatal(err)
		}
		if _, err := v.Verify(r, s); err != nil {
			b.Fatal(err)
		}
		v.Release(r)
	}
}
