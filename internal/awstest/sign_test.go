package awstest_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// signRequest signs a hand-made request as test/test for S3 in us-east-1,
// for tests that send bytes no SDK would.
func signRequest(t *testing.T, req *http.Request, body string) {
	t.Helper()
	sum := sha256.Sum256([]byte(body))
	payload := hex.EncodeToString(sum[:])
	req.Header.Set("X-Amz-Content-Sha256", payload)
	err := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }).SignHTTP(context.Background(),
		aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, req, payload, "s3", "us-east-1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
}
