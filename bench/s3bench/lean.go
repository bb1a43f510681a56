package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// leanClient sends SigV4-signed S3 requests with net/http and the SDK's
// signer, without the SDK's middleware stack. On two cores the full SDK
// client spends more CPU per small request than a fast server does, so the
// small-object phases use this client for every server alike; the floor
// server shows what it costs.
type leanClient struct {
	hc     *http.Client
	url    string
	creds  aws.Credentials
	signer *v4.Signer
}

func newLeanClient(p *peer, conns int) *leanClient {
	return &leanClient{
		hc:     &http.Client{Transport: &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, DisableCompression: true}},
		url:    p.url,
		creds:  aws.Credentials{AccessKeyID: p.accessKey, SecretAccessKey: p.secretKey},
		signer: v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }),
	}
}

func payloadHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// do sends one request whose body hashes to hash, reads the whole response
// and fails on any status but 200.
func (c *leanClient) do(ctx context.Context, method, path string, body []byte, hash string) error {
	req, err := http.NewRequestWithContext(ctx, method, c.url+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("X-Amz-Content-Sha256", hash)
	if err := c.signer.SignHTTP(ctx, c.creds, req, hash, "s3", "us-east-1", time.Now()); err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s", method, path, resp.Status)
	}
	return err
}
