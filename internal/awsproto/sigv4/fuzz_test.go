package sigv4

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// FuzzParse feeds arbitrary Authorization headers and query strings to the
// parser and verifier: they must return an error or an identity, never panic.
func FuzzParse(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261122/us-east-1/s3/aws4_request,SignedHeaders=host;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41", "", "20261122T100000Z")
	f.Add("", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20261122%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261122T100000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00", "")
	f.Add("AWS4-HMAC-SHA256 Credential=//////,SignedHeaders=;;,Signature=", "a=%zz&&=", "garbage")
	f.Add("AWS a:b", "AWSAccessKeyId=a&Signature=b", "")
	f.Fuzz(func(t *testing.T, authz, query, date string) {
		r := httptest.NewRequest("GET", "/bucket/key", nil)
		r.URL.RawQuery = query
		if authz != "" {
			r.Header.Set("Authorization", authz)
		}
		r.Header.Set("X-Amz-Date", date)
		r.Header.Set("X-Amz-Content-Sha256", UnsignedPayload)
		s, err := Parse(r)
		if err != nil {
			if _, ok := asAWS(err); !ok {
				t.Fatalf("non-AWS error %v", err)
			}
			return
		}
		for _, strict := range []bool{true, false} {
			if _, err := newVerifier(strict).Verify(r, s); err != nil {
				if _, ok := asAWS(err); !ok {
					t.Fatalf("non-AWS error %v", err)
				}
			}
		}
	})
}

// FuzzVerifierParse reads two Authorization headers with one Verifier,
// which remembers the first's claim, and holds its answer for the second
// to Parse's.
func FuzzVerifierParse(f *testing.F) {
	const claim = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261122/us-east-1/s3/aws4_request,SignedHeaders=host;x-amz-date,Signature="
	sig := "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
	f.Add(claim+sig, claim+strings.Repeat("0", 64), "20261122T100000Z")
	f.Add(claim+sig, claim+"F"+sig[1:], "20261123T100000Z")
	f.Add(claim+sig, claim+"a,"+sig[2:], "")
	// A last part that only ends in "Signature=": the signature is earlier.
	f.Add(claim+sig+",X-Signature="+sig, claim+sig+",X-Signature="+strings.Repeat("0", 64), "20261122T100000Z")
	f.Add(claim+sig+",Foo=Signature="+sig, claim+sig+",Foo=Signature="+strings.Repeat("0", 64), "20261122T100000Z")
	f.Fuzz(func(t *testing.T, first, second, date string) {
		req := func(authz string) *http.Request {
			r := httptest.NewRequest("GET", "/bucket/key", nil)
			r.Header.Set("Authorization", authz)
			r.Header.Set("X-Amz-Date", date)
			return r
		}
		v := newVerifier(false)
		v.Parse(req(first))
		got, err := v.Parse(req(second))
		want, wantErr := Parse(req(second))
		if fmt.Sprint(err) != fmt.Sprint(wantErr) || (got == nil) != (want == nil) {
			t.Fatalf("got %+v, %v; Parse gives %+v, %v", got, err, want, wantErr)
		}
		if got != nil && (got.Scope() != want.Scope() || !slices.Equal(got.SignedHeaders, want.SignedHeaders) ||
			got.Signature != want.Signature || got.AccessKey != want.AccessKey || !got.Time.Equal(want.Time) || got.AmzDate != want.AmzDate ||
			got.Version != want.Version || got.Presigned != want.Presigned || got.Expires != want.Expires) {
			t.Fatalf("got %+v; Parse gives %+v", got, want)
		}
	})
}

// FuzzChunked decodes arbitrary aws-chunked bodies: every outcome is decoded
// bytes or an AWS error, never a panic or a hang, and never more bytes than
// x-amz-decoded-content-length.
func FuzzChunked(f *testing.F) {
	f.Add([]byte("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"), false, 5)
	f.Add([]byte("5;chunk-signature="+string(bytes.Repeat([]byte("a"), 64))+"\r\nhello\r\n0;chunk-signature="+string(bytes.Repeat([]byte("b"), 64))+"\r\n\r\n"), true, 5)
	f.Add([]byte("ffffffffffffffff\r\n"), false, -1)
	f.Add([]byte("0\r\n:\r\n\r\n"), false, 0)
	f.Fuzz(func(t *testing.T, body []byte, signed bool, want int) {
		c := &chunkedReader{
			body:     io.NopCloser(bytes.NewReader(body)),
			signed:   signed,
			trailers: !signed,
			prevSig:  string(bytes.Repeat([]byte("0"), 64)),
			sig:      &Signature{AmzDate: "20261122T100000Z", Date: "20261122", Region: "us-east-1", Service: "s3"},
			sigKey:   &signingKey{key: deriveSigningKey("test", "20261122", "us-east-1", "s3")},
			declared: []string{"x-amz-checksum-crc32"},
			want:     int64(want),
			trailer:  map[string][]string{},
		}
		if want < 0 {
			c.want = -1
		}
		c.init()
		got, err := io.ReadAll(c)
		if err != nil {
			if _, ok := asAWS(err); !ok {
				t.Fatalf("non-AWS error %v", err)
			}
		}
		if c.want >= 0 && int64(len(got)) > c.want {
			t.Fatalf("decoded %d bytes, more than %d", len(got), c.want)
		}
	})
}

func asAWS(err error) (any, bool) {
	e, ok := awserr.As(err)
	return e, ok
}

// FuzzParseAmzDate holds the hand-written date readers to time.Parse's
// answer for their layouts: the same time, or an error for the same input,
// except that a fraction of a second is refused.
func FuzzParseAmzDate(f *testing.F) {
	for _, s := range []string{"20261122T100000Z", "20240229T235959Z", "20230229T000000Z", "20261122T240000Z",
		"20261122T106000Z", "20261122T100060Z", "20261131T000000Z", "20261322T000000Z", "00001122T000000Z",
		"2026112XT100000Z", "20261122 100000Z", "20261122T100000z", "+2026112T100000Z", "20261122T1000000Z", ""} {
		f.Add(s)
	}
	f.Add("20261122T100000.5Z")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseAmzDate(s)
		want, wantErr := time.Parse(amzDateForm, s)
		if wantErr == nil && len(s) != len(amzDateForm) {
			// time.Parse takes a fraction of a second the layout does
			// not have ("...T100000.5Z"); SigV4's format has none.
			wantErr, want = errBadDate, time.Time{}
		}
		if (err != nil) != (wantErr != nil) || !got.Equal(want) {
			t.Fatalf("parseAmzDate(%q) = %v, %v; time.Parse: %v, %v", s, got, err, want, wantErr)
		}
		if len(s) >= scopeDateLen {
			day, ok := parseScopeDate(s[:scopeDateLen])
			want, wantErr := time.Parse("20060102", s[:scopeDateLen])
			if ok != (wantErr == nil) || !day.Equal(want) {
				t.Fatalf("parseScopeDate(%q) = %v, %v; time.Parse: %v, %v", s[:scopeDateLen], day, ok, want, wantErr)
			}
		}
	})
}
