package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

var (
	now     = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	testKey = auth.Key{AccessKey: "AKIAIOSFODNN7EXAMPLE", Secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", Account: "111122223333"}
)

func newVerifier(strict bool) *Verifier {
	return NewVerifier(auth.NewKeys(strict, testKey), func() time.Time { return now })
}

// toServer turns a client request into what net/http hands a handler.
func toServer(c *http.Request, body []byte) *http.Request {
	r := httptest.NewRequest(c.Method, c.URL.RequestURI(), bytes.NewReader(body))
	r.Host = c.URL.Host
	for k, v := range c.Header {
		r.Header[k] = v
	}
	r.ContentLength = int64(len(body))
	return r
}

func signed(t testing.TB, method, url string, body []byte, hdr map[string]string, key auth.Key, at time.Time) *http.Request {
	t.Helper()
	c, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		c.Header.Set(k, v)
	}
	sum := sha256.Sum256(body)
	payload := hex.EncodeToString(sum[:])
	if p, ok := hdr["X-Amz-Content-Sha256"]; ok {
		payload = p
	} else {
		c.Header.Set("X-Amz-Content-Sha256", payload)
	}
	creds := aws.Credentials{AccessKeyID: key.AccessKey, SecretAccessKey: key.Secret}
	if err := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }).
		SignHTTP(context.Background(), creds, c, payload, "s3", "us-east-1", at); err != nil {
		t.Fatal(err)
	}
	return toServer(c, body)
}

func verify(v *Verifier, r *http.Request) (auth.Identity, error) {
	s, err := v.Parse(r)
	if err != nil {
		return auth.Identity{}, err
	}
	return v.Verify(r, s)
}

func code(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := awserr.As(err); ok {
		return e.Code
	}
	return "non-aws: " + err.Error()
}

// The example from the AWS S3 SigV4 documentation ("GET Object").
func TestVerify_AWSDocumentationVector(t *testing.T) {
	r := httptest.NewRequest("GET", "/test.txt", nil)
	r.Host = "examplebucket.s3.amazonaws.com"
	r.Header.Set("Range", "bytes=0-9")
	r.Header.Set("X-Amz-Content-Sha256", EmptySHA256)
	r.Header.Set("X-Amz-Date", "20130524T000000Z")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
	v := NewVerifier(auth.NewKeys(true, testKey), func() time.Time { return time.Date(2013, 5, 24, 0, 5, 0, 0, time.UTC) })
	id, err := verify(v, r)
	if err != nil {
		t.Fatal(err)
	}
	if id.Account != "111122223333" || id.Region != "us-east-1" || id.Service != "s3" {
		t.Fatalf("identity = %+v", id)
	}
}

func TestVerify_Header(t *testing.T) {
	body := []byte("hello world")
	other := auth.Key{AccessKey: "AKIAUNKNOWN", Secret: "whatever"}
	for _, tc := range []struct {
		name   string
		strict bool
		req    func() *http.Request
		want   string
	}{
		{"Valid", true, func() *http.Request {
			return signed(t, "PUT", "http://localhost:4566/bucket/a%20b/c+d", body, nil, testKey, now)
		}, ""},
		{"ValidQuery", true, func() *http.Request {
			return signed(t, "GET", "http://localhost:4566/bucket?list-type=2&prefix=a%2Fb&delimiter=%2F", nil, nil, testKey, now)
		}, ""},
		{"TamperedHeader", true, func() *http.Request {
			r := signed(t, "PUT", "http://localhost:4566/bucket/k", body, map[string]string{"X-Amz-Meta-A": "1"}, testKey, now)
			r.Header.Set("X-Amz-Meta-A", "2")
			return r
		}, "SignatureDoesNotMatch"},
		{"TamperedPath", true, func() *http.Request {
			r := signed(t, "GET", "http://localhost:4566/bucket/k", nil, nil, testKey, now)
			r.RequestURI = "/bucket/other"
			return r
		}, "SignatureDoesNotMatch"},
		{"WrongSecret", true, func() *http.Request {
			return signed(t, "GET", "http://localhost:4566/bucket/k", nil, nil, auth.Key{AccessKey: testKey.AccessKey, Secret: "bad"}, now)
		}, "SignatureDoesNotMatch"},
		{"UnknownKeyStrict", true, func() *http.Request {
			return signed(t, "GET", "http://localhost:4566/bucket/k", nil, nil, other, now)
		}, "InvalidAccessKeyId"},
		{"UnknownKeyDevMode", false, func() *http.Request {
			return signed(t, "GET", "http://localhost:4566/bucket/k", nil, nil, other, now)
		}, ""},
		{"Skewed", true, func() *http.Request {
			return signed(t, "GET", "http://localhost:4566/bucket/k", nil, nil, testKey, now.Add(-16*time.Minute))
		}, "RequestTimeTooSkewed"},
		{"SkewInsideWindow", true, func() *http.Request {
			return signed(t, "GET", "http://localhost:4566/bucket/k", nil, nil, testKey, now.Add(14*time.Minute))
		}, ""},
		{"UnsupportedAlgorithm", true, func() *http.Request {
			r := httptest.NewRequest("GET", "/bucket/k", nil)
			r.Header.Set("Authorization", "AWS4-ECDSA-P256-SHA256 Credential=AKIA/20261122/s3/aws4_request")
			return r
		}, "InvalidArgument"},
		{"NoSpace", true, func() *http.Request {
			r := httptest.NewRequest("GET", "/bucket/k", nil)
			r.Header.Set("Authorization", "garbage")
			return r
		}, "InvalidArgument"},
		{"UnsignedAmzHeader", true, func() *http.Request {
			r := signed(t, "PUT", "http://localhost:4566/bucket/k", body, nil, testKey, now)
			r.Header.Set("X-Amz-Tagging", "a=b")
			return r
		}, "AccessDenied"},
		{"SessionTokenWithLongTermKey", true, func() *http.Request {
			r := signed(t, "GET", "http://localhost:4566/bucket/k", nil, nil, testKey, now)
			r.Header.Set("X-Amz-Security-Token", "token")
			return r
		}, "InvalidToken"},
		{"Malformed", true, func() *http.Request {
			r := httptest.NewRequest("GET", "/bucket/k", nil)
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIA/20261122/us-east-1/s3")
			return r
		}, "AuthorizationHeaderMalformed"},
		{"CredentialTooLong", true, func() *http.Request {
			r := httptest.NewRequest("GET", "/bucket/k", nil)
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIA/20261122/us-east-1/s3/aws4_request/more,SignedHeaders=host,Signature=x")
			return r
		}, "AuthorizationHeaderMalformed"},
		{"SignedHeaderWithDigitsAndUnderscore", true, func() *http.Request {
			return signed(t, "PUT", "http://localhost:4566/bucket/k", body, map[string]string{"X-Custom-2": "a", "X_Under": "b"}, testKey, now)
		}, ""},
		{"BadContentSHA256", true, func() *http.Request {
			return signed(t, "PUT", "http://localhost:4566/bucket/k", body, map[string]string{"X-Amz-Content-Sha256": "nothex"}, testKey, now)
		}, "InvalidArgument"},
		{"MissingContentSHA256", true, func() *http.Request {
			r := signed(t, "GET", "http://localhost:4566/bucket/k", nil, nil, testKey, now)
			r.Header.Del("X-Amz-Content-Sha256")
			return r
		}, "InvalidRequest"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := verify(newVerifier(tc.strict), tc.req())
			if got := code(err); got != tc.want {
				t.Fatalf("got %q (%v), want %q", got, err, tc.want)
			}
		})
	}
}

// TestVerifierParse reads a run of Authorization headers with one
// Verifier, as a server reads a client's requests: what the header says
// before its signature is then remembered, and the answers, errors among
// them, must be Parse's own.
func TestVerifierParse(t *testing.T) {
	v := newVerifier(true)
	get := func(at time.Time, hdr map[string]string) *http.Request {
		return signed(t, "GET", "http://localhost:4566/bucket/k", nil, hdr, testKey, at)
	}
	withAuth := func(r *http.Request, f func(string) string) *http.Request {
		r.Header.Set("Authorization", f(r.Header.Get("Authorization")))
		return r
	}
	sig := func(h string) string { return h[len(h)-64:] }
	steps := []struct {
		name     string
		req      *http.Request
		verifies bool // the request is signed right, when Parse takes it
	}{
		{"first", get(now, nil), true},
		{"same claim, a second later", get(now.Add(time.Second), nil), true},
		{"same claim, another signature", withAuth(get(now, nil), func(h string) string { return strings.Replace(h, sig(h), strings.Repeat("0", 64), 1) }), false},
		{"upper-case signature", withAuth(get(now, nil), func(h string) string { return strings.Replace(h, sig(h), strings.ToUpper(sig(h)), 1) }), false},
		{"a comma in the signature", withAuth(get(now, nil), func(h string) string { return strings.Replace(h, sig(h), "a,"+sig(h)[2:], 1) }), false},
		{"X-Amz-Date of another day", func() *http.Request {
			r := get(now, nil)
			r.Header.Set("X-Amz-Date", "20261123T100000Z")
			return r
		}(), false},
		{"no X-Amz-Date", func() *http.Request {
			r := get(now, nil)
			r.Header.Del("X-Amz-Date")
			return r
		}(), false},
		{"a Date instead", func() *http.Request {
			r := get(now, nil)
			r.Header.Del("X-Amz-Date")
			r.Header.Set("Date", now.Format(http.TimeFormat))
			return r
		}(), false},
		{"other signed headers", get(now, map[string]string{"X-Amz-Meta-A": "1"}), true},
		{"the first claim again", get(now.Add(2*time.Second), nil), true},
		{"another day's scope", get(now.Add(24*time.Hour), nil), false},
		{"unsigned", httptest.NewRequest("GET", "/bucket/k", nil), false},
		// A last part that only ends in "Signature=" is not the signature:
		// the claim before it is never taken for one that ends there.
		{"a trailing X-Signature part", withAuth(get(now, nil), func(h string) string { return h + ",X-Signature=" + sig(h) }), true},
		{"the same with another trailing value", withAuth(get(now, nil), func(h string) string { return h + ",X-Signature=" + strings.Repeat("0", 64) }), true},
		{"the first claim once more", get(now, nil), true},
	}
	for _, st := range steps {
		want, wantErr := Parse(st.req)
		got, err := v.Parse(st.req)
		if code(err) != code(wantErr) || fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("%s: error %v, Parse's %v", st.name, err, wantErr)
		}
		if (got == nil) != (want == nil) {
			t.Fatalf("%s: %v, Parse's %v", st.name, got, want)
		}
		if got == nil || err != nil {
			continue
		}
		if got.Scope() != want.Scope() || !slices.Equal(got.SignedHeaders, want.SignedHeaders) ||
			got.Version != want.Version || got.Presigned != want.Presigned || got.AccessKey != want.AccessKey ||
			got.Signature != want.Signature || !got.Time.Equal(want.Time) || got.AmzDate != want.AmzDate || got.Expires != want.Expires {
			t.Fatalf("%s:\n got %+v\nwant %+v", st.name, got, want)
		}
		if _, err := v.Verify(st.req, got); (err == nil) != st.verifies {
			t.Fatalf("%s: Verify: %v", st.name, err)
		}
	}
	if c := v.lastClaim.Load(); c == nil || !strings.HasPrefix(steps[0].req.Header.Get("Authorization"), c.prefix) {
		t.Errorf("the first claim is not the one remembered: %+v", c)
	}
}

func TestVerify_PayloadHash(t *testing.T) {
	r := signed(t, "PUT", "http://localhost:4566/bucket/k", []byte("signed body"), nil, testKey, now)
	r.Body = io.NopCloser(strings.NewReader("other body!"))
	if _, err := verify(newVerifier(true), r); err != nil {
		t.Fatal(err)
	}
	_, err := io.ReadAll(r.Body)
	if code(err) != "XAmzContentSHA256Mismatch" {
		t.Fatalf("read error = %v", err)
	}

	r = signed(t, "PUT", "http://localhost:4566/bucket/k", []byte("signed body"), nil, testKey, now)
	if _, err := verify(newVerifier(true), r); err != nil {
		t.Fatal(err)
	}
	if b, err := io.ReadAll(r.Body); err != nil || string(b) != "signed body" {
		t.Fatalf("body = %q, %v", b, err)
	}
}

func presigned(t *testing.T, url string, expires time.Duration, at time.Time) *http.Request {
	t.Helper()
	c, _ := http.NewRequest("GET", url+fmt.Sprintf("?X-Amz-Expires=%d", int(expires/time.Second)), nil)
	creds := aws.Credentials{AccessKeyID: testKey.AccessKey, SecretAccessKey: testKey.Secret}
	signedURL, _, err := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }).
		PresignHTTP(context.Background(), creds, c, UnsignedPayload, "s3", "us-east-1", at)
	if err != nil {
		t.Fatal(err)
	}
	c, _ = http.NewRequest("GET", signedURL, nil)
	return toServer(c, nil)
}

func TestVerify_Presigned(t *testing.T) {
	for _, tc := range []struct {
		name    string
		expires time.Duration
		at      time.Time
		tamper  func(*http.Request)
		want    string
	}{
		{"Valid", time.Hour, now.Add(-30 * time.Minute), nil, ""},
		{"Expired", time.Hour, now.Add(-61 * time.Minute), nil, "AccessDenied"},
		{"NotYetValid", time.Hour, now.Add(time.Hour), nil, "AccessDenied"},
		{"TooLong", 8 * 24 * time.Hour, now, nil, "AuthorizationQueryParametersError"},
		{"Tampered", time.Hour, now, func(r *http.Request) { r.URL.RawQuery += "&versionId=x"; r.RequestURI += "&versionId=x" }, "SignatureDoesNotMatch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := presigned(t, "http://localhost:4566/bucket/some%20key", tc.expires, tc.at)
			if tc.tamper != nil {
				tc.tamper(r)
			}
			id, err := verify(newVerifier(true), r)
			if got := code(err); got != tc.want {
				t.Fatalf("got %q (%v), want %q", got, err, tc.want)
			}
			if err == nil && id.Account != testKey.Account {
				t.Fatalf("identity = %+v", id)
			}
		})
	}
}

func TestVerify_Anonymous(t *testing.T) {
	id, err := verify(newVerifier(true), httptest.NewRequest("GET", "/bucket/k", nil))
	if err != nil || !id.Anonymous {
		t.Fatalf("id = %+v, err = %v", id, err)
	}
}

// chunkedBody encodes chunks in aws-chunked form, signing them with the SDK's
// stream signer when seed is not empty, followed by trailers.
func chunkedBody(t *testing.T, chunks [][]byte, seed string, at time.Time, trailers []string) []byte {
	t.Helper()
	var buf bytes.Buffer
	var ss *v4.StreamSigner
	if seed != "" {
		seedBytes, _ := hex.DecodeString(seed)
		ss = v4.NewStreamSigner(aws.Credentials{AccessKeyID: testKey.AccessKey, SecretAccessKey: testKey.Secret}, "s3", "us-east-1", seedBytes)
	}
	for _, c := range append(chunks, nil) {
		fmt.Fprintf(&buf, "%x", len(c))
		if ss != nil {
			sig, err := ss.GetSignature(context.Background(), nil, c, at)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&buf, ";chunk-signature=%x", sig)
		}
		buf.WriteString("\r\n")
		if len(c) > 0 {
			buf.Write(c)
			buf.WriteString("\r\n")
		}
	}
	for _, tr := range trailers {
		buf.WriteString(tr + "\r\n")
	}
	buf.WriteString("\r\n")
	return buf.Bytes()
}

func streamingRequest(t *testing.T, payload string, decodedLen int, trailer string) (*http.Request, string) {
	hdr := map[string]string{
		"X-Amz-Content-Sha256":         payload,
		"X-Amz-Decoded-Content-Length": fmt.Sprint(decodedLen),
		"Content-Encoding":             "aws-chunked,gzip",
	}
	if trailer != "" {
		hdr["X-Amz-Trailer"] = trailer
	}
	r := signed(t, "PUT", "http://localhost:4566/bucket/k", nil, hdr, testKey, now)
	s, err := Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	return r, s.Signature
}

func TestVerify_StreamingSigned(t *testing.T) {
	chunks := [][]byte{bytes.Repeat([]byte("a"), 65536), bytes.Repeat([]byte("b"), 1024)}
	for _, tc := range []struct {
		name    string
		corrupt func([]byte) []byte
		want    string
	}{
		{"Valid", nil, ""},
		{"TamperedData", func(b []byte) []byte { b[200] ^= 1; return b }, "SignatureDoesNotMatch"},
		{"Truncated", func(b []byte) []byte { return b[:len(b)-150] }, "IncompleteBody"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, seed := streamingRequest(t, StreamingSignedPayload, 65536+1024, "")
			body := chunkedBody(t, chunks, seed, now, nil)
			if tc.corrupt != nil {
				body = tc.corrupt(body)
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			if _, err := newVerifier(true).Verify(r, mustParse(t, r)); err != nil {
				t.Fatal(err)
			}
			if r.ContentLength != 65536+1024 || r.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("ContentLength = %d, Content-Encoding = %q", r.ContentLength, r.Header.Get("Content-Encoding"))
			}
			got, err := io.ReadAll(r.Body)
			if code(err) != tc.want {
				t.Fatalf("read error %v, want %q", err, tc.want)
			}
			if err == nil && !bytes.Equal(got, bytes.Join(chunks, nil)) {
				t.Fatal("decoded body differs")
			}
		})
	}
}

func TestVerify_StreamingUnsignedTrailer(t *testing.T) {
	data := []byte("hello trailer")
	r, _ := streamingRequest(t, StreamingUnsignedTrailer, len(data), "x-amz-checksum-crc32")
	r.Body = io.NopCloser(bytes.NewReader(chunkedBody(t, [][]byte{data}, "", now, []string{"x-amz-checksum-crc32:AAAAAA=="})))
	if _, err := newVerifier(true).Verify(r, mustParse(t, r)); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r.Body)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("body %q, %v", got, err)
	}
	if v := r.Trailer.Get("X-Amz-Checksum-Crc32"); v != "AAAAAA==" {
		t.Fatalf("trailer = %q", v)
	}

	r, _ = streamingRequest(t, StreamingUnsignedTrailer, len(data), "x-amz-checksum-crc32")
	r.Body = io.NopCloser(bytes.NewReader(chunkedBody(t, [][]byte{data}, "", now, []string{"x-amz-checksum-sha1:AAAAAA=="})))
	if _, err := newVerifier(true).Verify(r, mustParse(t, r)); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(r.Body); code(err) != "MalformedTrailerError" {
		t.Fatalf("undeclared trailer: %v", err)
	}
}

func TestVerify_StreamingSignedTrailer(t *testing.T) {
	data := []byte("signed data with trailer")
	r, seed := streamingRequest(t, StreamingSignedPayloadTrailer, len(data), "x-amz-checksum-crc32c")
	body := chunkedBody(t, [][]byte{data}, seed, now, nil)
	// The last chunk signature, computed by the SDK, chains into the trailer signature.
	lines := strings.Split(string(body), "\r\n")
	lastSig := strings.TrimPrefix(lines[len(lines)-3], "0;chunk-signature=")
	trailer := "x-amz-checksum-crc32c:sOO8/Q=="
	sum := sha256.Sum256([]byte(trailer + "\n"))
	key := &signingKey{key: deriveSigningKey(testKey.Secret, now.Format("20060102"), "us-east-1", "s3")}
	sig := key.sign("AWS4-HMAC-SHA256-TRAILER\n" + now.Format(amzDateForm) + "\n" + now.Format("20060102") + "/us-east-1/s3/aws4_request\n" + lastSig + "\n" + hex.EncodeToString(sum[:]))
	for _, tc := range []struct{ sig, want string }{{sig, ""}, {strings.Repeat("0", 64), "SignatureDoesNotMatch"}} {
		r2 := r.Clone(context.Background())
		r2.Body = io.NopCloser(bytes.NewReader(append(body[:len(body)-2:len(body)-2], []byte(trailer+"\r\nx-amz-trailer-signature:"+tc.sig+"\r\n\r\n")...)))
		if _, err := newVerifier(true).Verify(r2, mustParse(t, r2)); err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r2.Body)
		if code(err) != tc.want {
			t.Fatalf("sig %s: read error %v, want %q", tc.sig[:8], err, tc.want)
		}
		if err == nil && (!bytes.Equal(got, data) || r2.Trailer.Get("x-amz-checksum-crc32c") != "sOO8/Q==") {
			t.Fatalf("body %q trailer %v", got, r2.Trailer)
		}
	}
}

func mustParse(t *testing.T, r *http.Request) *Signature {
	t.Helper()
	s, err := Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCanonicalQuery(t *testing.T) {
	for _, tc := range []struct{ raw, want string }{
		{"", ""},
		{"b=2&a=1", "a=1&b=2"},
		{"uploads", "uploads="},
		{"prefix=a%2Fb&delimiter=%2F", "delimiter=%2F&prefix=a%2Fb"},
		{"k=a+b", "k=a%20b"},
		{"k=%7E-_.", "k=~-_."},
	} {
		if got := canonicalQuery(tc.raw, false); got != tc.want {
			t.Errorf("canonicalQuery(%q) = %q, want %q", tc.raw, got, tc.want)
		}
	}
}

// The SigV2 examples from the S3 documentation ("REST Authentication"),
// virtual-hosted style, header and query forms.
func TestVerify_SigV2(t *testing.T) {
	at := func(ts time.Time) *Verifier {
		return NewVerifier(auth.NewKeys(true, testKey), func() time.Time { return ts })
	}
	header := func(sig string) *http.Request {
		r := httptest.NewRequest("GET", "/photos/puppy.jpg", nil)
		r.Host = "johnsmith.s3.amazonaws.com"
		r.Header.Set("Date", "Tue, 27 Mar 2007 19:36:42 +0000")
		r.Header.Set("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:"+sig)
		return r
	}
	query := func(sig string) *http.Request {
		r := httptest.NewRequest("GET", "/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature="+sig+"&Expires=1175139620", nil)
		r.Host = "johnsmith.s3.amazonaws.com"
		return r
	}
	signedAt := time.Date(2007, 3, 27, 19, 40, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		req  *http.Request
		now  time.Time
		want string
	}{
		{"Header", header("bWq2s1WEIj+Ydj0vQ697zp+IXMU="), signedAt, ""},
		{"HeaderTampered", header("bWq2s1WEIj+Ydj0vQ697zp+IXMV="), signedAt, "SignatureDoesNotMatch"},
		{"HeaderSkewed", header("bWq2s1WEIj+Ydj0vQ697zp+IXMU="), signedAt.Add(time.Hour), "RequestTimeTooSkewed"},
		{"Query", query("NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D"), signedAt, ""},
		{"QueryExpired", query("NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D"), time.Unix(1175139621, 0), "AccessDenied"},
		{"QueryTampered", query("AAAAjnDzrM%2BWFzoENXmpNDUsSn8%3D"), signedAt, "SignatureDoesNotMatch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id, err := verify(at(tc.now), tc.req)
			if got := code(err); got != tc.want {
				t.Fatalf("got %q (%v), want %q", got, err, tc.want)
			}
			if err == nil && (id.Account != testKey.Account || id.Service != "s3") {
				t.Fatalf("identity = %+v", id)
			}
		})
	}
}

// Header values are trimmed and their inner runs of white space collapse
// to one space, as strings.Fields would split them.
func TestAppendTrimmed(t *testing.T) {
	for _, v := range []string{"", "a", "  a  ", "a  b\t\tc", "\t x y \r\n", "a,b", "   "} {
		want := strings.Join(strings.Fields(v), " ")
		if got := string(appendTrimmed([]byte("x:"), v)); got != "x:"+want {
			t.Errorf("appendTrimmed(%q) = %q, want %q", v, got, "x:"+want)
		}
	}
}
