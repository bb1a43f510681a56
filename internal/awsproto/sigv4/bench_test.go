package sigv4

import (
	"bytes"
	"io"
	"testing"
)

// BenchmarkVerify_S3Put measures Parse and Verify of a signed 4 KiB PUT
// with its payload hash in x-amz-content-sha256: what every small S3
// PUT pays before its handler runs.
func BenchmarkVerify_S3Put(b *testing.B) {
	body := bytes.Repeat([]byte("x"), 4096)
	r := signed(b, "PUT", "http://127.0.0.1:4566/bench/small/00/00000001-4096", body, map[string]string{"Content-Type": "application/octet-stream"}, testKey, now)
	v := newVerifier(false)
	b.ReportAllocs()
	for b.Loop() {
		r.Body = io.NopCloser(bytes.NewReader(body))
		s, err := Parse(r)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := v.Verify(r, s); err != nil {
			b.Fatal(err)
		}
	}
}
