package sigv4

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/awsproto"
	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// MaxSkew is how far a header-signed request's time may be from the server's
// wall time, as on AWS.
const MaxSkew = 15 * time.Minute

// maxBufferedBody bounds the body read into memory to hash it, for services
// that sign the payload without an x-amz-content-sha256 header.
const maxBufferedBody = 64 << 20

// Verifier checks SigV4 signatures against a set of known keys.
type Verifier struct {
	keys *auth.Keys
	wall func() time.Time

	mu       sync.Mutex
	keyCache map[keyScope]*signingKey
	// lastKey is the key the last request was signed with, looked up
	// without the lock: a client signs request after request with one.
	lastKey atomic.Pointer[scopedKey]
	// lastClaim is what the last Authorization header Parse read fully
	// said before its signature (Verifier.Parse).
	lastClaim atomic.Pointer[parsedClaim]

	// scratch holds buffers (*[]byte) the canonical request and the
	// string to sign are built in.
	scratch sync.Pool

	// bodies holds the *awsproto.BufferedBody that bodies read whole to
	// hash them were read into, with their buffers, given back by Release.
	bodies sync.Pool
}

// NewVerifier returns a verifier over keys that reads the time from wall
// (the machine's real time; see package clock).
func NewVerifier(keys *auth.Keys, wall func() time.Time) *Verifier {
	return &Verifier{keys: keys, wall: wall, keyCache: make(map[keyScope]*signingKey)}
}

// Verify authenticates r, whose claim s came from Parse, and returns the
// caller. A nil s yields an anonymous identity: whether anonymous access is
// allowed is the service's decision.
//
// On success r.Body is replaced by a reader that yields the decoded payload
// and fails with an *awserr.Error if the payload does not match what was
// signed; for aws-chunked bodies r.ContentLength becomes the decoded length,
// "aws-chunked" is removed from Content-Encoding, and r.Trailer receives the
// trailing headers once the body has been read to EOF.
func (v *Verifier) Verify(r *http.Request, s *Signature) (auth.Identity, error) {
	if s == nil {
		return auth.Identity{Anonymous: true, Account: auth.DefaultAccount}, nil
	}
	key, known := v.keys.Lookup(s.AccessKey)
	if known && v.keys.Strict() && hasSecurityToken(r) {
		// Known keys are long-term keys and Lakebox issues no session
		// tokens yet. Dev mode lets a token through: local setups often
		// export AWS_SESSION_TOKEN beside test/test.
		return auth.Identity{}, ErrInvalidToken
	}
	if !known {
		if v.keys.Strict() {
			return auth.Identity{}, ErrInvalidAccessKeyID.With("AWSAccessKeyId", s.AccessKey)
		}
		key = auth.Key{AccessKey: s.AccessKey, Account: auth.AccountFor(s.AccessKey)}
	}
	if s.Version == 2 {
		return v.verifyV2(r, s, key, known)
	}
	if err := checkSignedHeaders(r, s); err != nil {
		return auth.Identity{}, err
	}
	if err := v.checkTime(s); err != nil {
		return auth.Identity{}, err
	}
	payload, hashed, err := v.payloadClaim(r, s, known)
	if err != nil {
		return auth.Identity{}, err
	}
	var sigKey *signingKey
	if known {
		sigKey = v.signingKey(key.Secret, s)
		if err := v.checkSignature(r, s, sigKey, payload); err != nil {
			return auth.Identity{}, err
		}
	}
	if !hashed {
		if err := wrapBody(r, s, sigKey, payload); err != nil {
			return auth.Identity{}, err
		}
	}
	return auth.Identity{AccessKey: s.AccessKey, Account: key.Account, Region: s.Region, Service: s.Service}, nil
}

// verifyV2 checks a legacy SigV2 request. Its payload is not signed; a
// body hash claim in x-amz-content-sha256 is still enforced.
func (v *Verifier) verifyV2(r *http.Request, s *Signature, key auth.Key, known bool) (auth.Identity, error) {
	if err := v.checkTimeV2(s); err != nil {
		return auth.Identity{}, err
	}
	if known {
		if err := checkSignatureV2(r, s, key.Secret); err != nil {
			return auth.Identity{}, err
		}
	}
	if claim := strings.ToLower(r.Header.Get("X-Amz-Content-Sha256")); len(claim) == 64 && isLowerHex(claim) {
		if err := wrapBody(r, s, nil, claim); err != nil {
			return auth.Identity{}, err
		}
	}
	return auth.Identity{AccessKey: s.AccessKey, Account: key.Account, Service: "s3"}, nil
}

// checkSignedHeaders refuses a request carrying x-amz-* headers its
// signature does not cover, as S3 does: an unsigned x-amz-copy-source or
// x-amz-tagging could otherwise be added to a presigned URL by anyone.
func checkSignedHeaders(r *http.Request, s *Signature) error {
	var missing []string
	for name := range r.Header {
		if len(name) < 6 || !strings.EqualFold(name[:6], "x-amz-") {
			continue
		}
		if !slices.ContainsFunc(s.SignedHeaders, func(h string) bool { return strings.EqualFold(h, name) }) {
			missing = append(missing, strings.ToLower(name))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	slices.Sort(missing)
	return ErrHeadersNotSigned.With("HeadersNotSigned", strings.Join(missing, ", "))
}

func hasSecurityToken(r *http.Request) bool {
	return r.Header.Get("X-Amz-Security-Token") != "" || r.URL.Query().Get("X-Amz-Security-Token") != ""
}

func (v *Verifier) checkTime(s *Signature) error {
	now := v.wall().UTC()
	if s.Presigned {
		if now.After(s.Time.Add(s.Expires)) {
			return ErrExpired.
				With("X-Amz-Expires", strconv.Itoa(int(s.Expires/time.Second))).
				With("Expires", s.Time.Add(s.Expires).Format(time.RFC3339)).
				With("ServerTime", now.Format(time.RFC3339))
		}
		if s.Time.After(now.Add(MaxSkew)) {
			return ErrNotYetValid.With("ServerTime", now.Format(time.RFC3339))
		}
		return nil
	}
	if d := now.Sub(s.Time); d > MaxSkew || d < -MaxSkew {
		return ErrRequestTimeTooSkewed.
			With("RequestTime", s.AmzDate).
			With("ServerTime", now.Format(time.RFC3339)).
			With("MaxAllowedSkewMilliseconds", "900000")
	}
	return nil
}

// payloadClaim returns the payload hash the client signed. Services other
// than S3 sign the body's hash without sending it: the body is then read
// and hashed here (hashed is true: what the signature covers is what the
// handler reads), or, when the signature is not checked (an unknown key in
// dev mode), left alone.
func (v *Verifier) payloadClaim(r *http.Request, s *Signature, checked bool) (claim string, hashed bool, err error) {
	claim = r.Header.Get("X-Amz-Content-Sha256")
	if s.Presigned && claim == "" {
		claim = r.URL.Query().Get("X-Amz-Content-Sha256")
	}
	if claim == "" {
		if s.Service == "s3" {
			if s.Presigned {
				return UnsignedPayload, false, nil
			}
			return "", false, awserr.New("InvalidRequest", 400, "Missing required header for this request: x-amz-content-sha256")
		}
		if !checked {
			return UnsignedPayload, true, nil
		}
		if r.ContentLength > maxBufferedBody {
			return "", false, awserr.New("RequestEntityTooLarge", 413, "Request body is too large.")
		}
		body, err := v.readBody(r)
		if err != nil {
			return "", false, err
		}
		r.Body = body
		sum := sha256.Sum256(body.Bytes())
		var text [2 * sha256.Size]byte
		hex.Encode(text[:], sum[:])
		return string(text[:]), true, nil
	}
	switch claim {
	case UnsignedPayload, StreamingUnsignedTrailer, StreamingSignedPayload, StreamingSignedPayloadTrailer:
		return claim, false, nil
	}
	if len(claim) != 64 || !isLowerHex(strings.ToLower(claim)) {
		return "", false, ErrInvalidContentSHA256
	}
	return strings.ToLower(claim), false, nil
}

// readBody reads a body whole, into a body from the pool when one is free
// (a buffer made for the body would be zeroed first, a cost as large as
// hashing it).
func (v *Verifier) readBody(r *http.Request) (*awsproto.BufferedBody, error) {
	body, _ := v.bodies.Get().(*awsproto.BufferedBody)
	if body == nil {
		body = new(awsproto.BufferedBody)
	}
	buf := bytes.NewBuffer(body.Release())
	// net/http's body ends at a known length, which payloadClaim checked;
	// a body of unknown length is read up to the limit and a byte.
	var src io.Reader = r.Body
	if r.ContentLength >= 0 {
		buf.Grow(int(r.ContentLength) + bytes.MinRead)
	} else {
		src = io.LimitReader(r.Body, maxBufferedBody+1)
	}
	if _, err := buf.ReadFrom(src); err != nil {
		v.bodies.Put(body)
		return nil, ErrIncompleteBody.Wrap(err)
	}
	if buf.Len() > maxBufferedBody {
		v.bodies.Put(body)
		return nil, awserr.New("RequestEntityTooLarge", 413, "Request body is too large.")
	}
	body.Reset(buf.Bytes())
	return body, nil
}

// Release gives back the body Verify read r's body into, once the request
// is answered and nothing holds on to it or its bytes.
func (v *Verifier) Release(r *http.Request) {
	if b, ok := r.Body.(*awsproto.BufferedBody); ok {
		v.bodies.Put(b)
	}
}

// checkSignature compares the signature s claims with the one r's
// canonical request gives, building both in a pooled buffer: this runs for
// every request.
func (v *Verifier) checkSignature(r *http.Request, s *Signature, k *signingKey, payload string) error {
	var claimed [sha256.Size]byte
	if n, err := hex.Decode(claimed[:], []byte(s.Signature)); err != nil || n != len(claimed) {
		return signatureMismatch(r, s, payload)
	}
	bp, _ := v.scratch.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	defer v.scratch.Put(bp)
	uris, n := canonicalURIs(r, s.Service)
	for _, uri := range uris[:n] {
		b := appendCanonicalRequest((*bp)[:0], r, s, uri, payload)
		canonical := len(b)
		b = appendStringToSign(b, s, b)
		b = k.sum(b, b[canonical:])
		*bp = b
		if hmac.Equal(b[len(b)-sha256.Size:], claimed[:]) {
			return nil
		}
	}
	return signatureMismatch(r, s, payload)
}

// signatureMismatch is the error of a signature that does not match,
// with the string to sign and canonical request S3 reports.
func signatureMismatch(r *http.Request, s *Signature, payload string) error {
	uris, _ := canonicalURIs(r, s.Service)
	uri := uris[0]
	canonical := appendCanonicalRequest(nil, r, s, uri, payload)
	toSign := appendStringToSign(nil, s, canonical)
	return ErrSignatureDoesNotMatch.
		With("AWSAccessKeyId", s.AccessKey).
		With("StringToSign", string(toSign)).
		With("SignatureProvided", s.Signature).
		With("CanonicalRequest", string(canonical))
}

// signingKey is a derived SigV4 key, with HMACs under it kept for reuse.
type signingKey struct {
	key  []byte
	macs sync.Pool // of hash.Hash
}

// sign returns the hex HMAC-SHA256 of a string to sign under the key.
func (k *signingKey) sign(toSign string) string {
	var mac [sha256.Size]byte
	return hex.EncodeToString(k.sum(mac[:0], []byte(toSign)))
}

// sum appends the HMAC-SHA256 of msg under the key to dst.
func (k *signingKey) sum(dst, msg []byte) []byte {
	m, _ := k.macs.Get().(hash.Hash)
	if m == nil {
		m = hmac.New(sha256.New, k.key)
	} else {
		m.Reset()
	}
	m.Write(msg)
	dst = m.Sum(dst)
	k.macs.Put(m)
	return dst
}

// keyScope names a signing key: the secret and the scope it is derived for.
type keyScope struct{ secret, date, region, service string }

// scopedKey is a signing key with the scope it was derived for.
type scopedKey struct {
	scope keyScope
	key   *signingKey
}

func (v *Verifier) signingKey(secret string, s *Signature) *signingKey {
	cacheKey := keyScope{secret, s.Date, s.Region, s.Service}
	if last := v.lastKey.Load(); last != nil && last.scope == cacheKey {
		return last.key
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	k, ok := v.keyCache[cacheKey]
	if !ok {
		if len(v.keyCache) >= 1024 {
			clear(v.keyCache)
		}
		k = &signingKey{key: deriveSigningKey(secret, s.Date, s.Region, s.Service)}
		v.keyCache[cacheKey] = k
	}
	v.lastKey.Store(&scopedKey{cacheKey, k})
	return k
}

// wrapBody replaces r.Body with a reader that enforces the payload claim.
// sigKey is nil when the secret is unknown (dev mode): chunk signatures are
// then decoded but not checked.
func wrapBody(r *http.Request, s *Signature, sigKey *signingKey, payload string) error {
	switch payload {
	case UnsignedPayload:
		return nil
	case StreamingUnsignedTrailer, StreamingSignedPayload, StreamingSignedPayloadTrailer:
		cr := &chunkedReader{
			body:     r.Body,
			signed:   payload != StreamingUnsignedTrailer,
			trailers: payload != StreamingSignedPayload,
			sigKey:   sigKey,
			prevSig:  s.Signature,
			sig:      s,
			declared: r.Header.Values("X-Amz-Trailer"),
			want:     -1,
		}
		cr.init()
		if dl := r.Header.Get("X-Amz-Decoded-Content-Length"); dl != "" {
			n, err := strconv.ParseInt(dl, 10, 64)
			if err != nil || n < 0 {
				return awserr.New("InvalidArgument", 400, "x-amz-decoded-content-length must be a non-negative integer.")
			}
			cr.want = n
		}
		r.Body, r.ContentLength = cr, cr.want
		r.Trailer = make(http.Header)
		cr.trailer = r.Trailer
		stripAWSChunked(r.Header)
		return nil
	}
	want, _ := hex.DecodeString(payload)
	if payload == EmptySHA256 && r.ContentLength == 0 {
		return nil
	}
	r.Body = &sha256Reader{body: r.Body, h: sha256.New(), want: want}
	return nil
}

func stripAWSChunked(h http.Header) {
	var kept []string
	for _, v := range h.Values("Content-Encoding") {
		for enc := range strings.SplitSeq(v, ",") {
			if enc = strings.TrimSpace(enc); enc != "" && enc != "aws-chunked" {
				kept = append(kept, enc)
			}
		}
	}
	if len(kept) == 0 {
		h.Del("Content-Encoding")
	} else {
		h.Set("Content-Encoding", strings.Join(kept, ","))
	}
}

// sha256Reader fails at EOF if the body does not hash to want.
type sha256Reader struct {
	body io.ReadCloser
	h    hash.Hash
	want []byte
	err  error
}

func (r *sha256Reader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.body.Read(p)
	r.h.Write(p[:n])
	if err == io.EOF && !bytes.Equal(r.h.Sum(nil), r.want) {
		err = ErrContentSHA256Mismatch.
			With("ClientComputedContentSHA256", hex.EncodeToString(r.want)).
			With("S3ComputedContentSHA256", hex.EncodeToString(r.h.Sum(nil)))
	}
	r.err = err
	return n, err
}

func (r *sha256Reader) Close() error { return r.body.Close() }
