package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

func main() {
	url, op := os.Args[1], os.Args[2]
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	creds := aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}
	do := func(method, path string, body []byte) error {
		sum := sha256.Sum256(body)
		h := hex.EncodeToString(sum[:])
		req, _ := http.NewRequest(method, url+path, bytes.NewReader(body))
		req.Header.Set("X-Amz-Content-Sha256", h)
		signer.SignHTTP(context.Background(), creds, req, h, "s3", "us-east-1", time.Now())
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("%s", resp.Status)
		}
		return nil
	}
	do("PUT", "/load", nil)
	body := make([]byte, 4096)
	var n atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; time.Since(start) < 10*time.Second; i++ {
				key := fmt.Sprintf("/load/k/%d/%d", w, i%500)
				var err error
				if op == "list" {
					err = do("GET", "/load?list-type=2&prefix=k/", nil)
				} else if op == "put" {
					err = do("PUT", key, body)
				} else {
					err = do("GET", key, nil)
				}
				if err == nil {
					n.Add(1)
				}
			}
		}(w)
	}
	wg.Wait()
	fmt.Printf("%s: %.0f ops/s\n", op, float64(n.Load())/time.Since(start).Seconds())
}
