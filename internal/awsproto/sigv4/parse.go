package sigv4

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

const (
	algorithm    = "AWS4-HMAC-SHA256"
	amzDateForm  = "20060102T150405Z"
	scopeDateLen = len("20060102")
	terminal     = "aws4_request"

	// MaxPresignExpiry is the longest X-Amz-Expires AWS accepts.
	MaxPresignExpiry = 7 * 24 * time.Hour
)

// Payload hash values with a meaning other than a literal SHA-256.
const (
	UnsignedPayload               = "UNSIGNED-PAYLOAD"
	StreamingUnsignedTrailer      = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
	StreamingSignedPayload        = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	StreamingSignedPayloadTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
)

// Signature is what a request claims about its signing, read without any
// secret. A nil *Signature from Parse means the request is unsigned.
type Signature struct {
	// Version is 4, or 2 for legacy S3 signatures.
	Version   int
	Presigned bool
	AccessKey string
	// Scope parts: Date is YYYYMMDD.
	Date, Region, Service string
	// SignedHeaders are the lower-case header names in the order given.
	SignedHeaders []string
	// Signature is the hex signature claimed by the client.
	Signature string
	// Time is the request's X-Amz-Date (or Date).
	Time time.Time
	// AmzDate is Time as the client spelled it, as used in the string to sign.
	AmzDate string
	// Expires is X-Amz-Expires for presigned requests.
	Expires time.Duration

	scope string // Scope's answer, once asked
	// headers holds SignedHeaders when they are few, as they are from
	// every SDK: no slice is allocated for them.
	headers [12]string
}

// Scope returns the credential scope string "date/region/service/aws4_request".
func (s *Signature) Scope() string {
	if s.scope == "" {
		s.scope = s.Date + "/" + s.Region + "/" + s.Service + "/" + terminal
	}
	return s.scope
}

// Parse extracts the signature claim of r. It returns nil, nil for a request
// that carries no signature at all, and an *awserr.Error for one whose
// signature is malformed or uses a mechanism other than SigV4.
func Parse(r *http.Request) (*Signature, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		if strings.HasPrefix(h, "AWS ") {
			return parseV2Header(r, h)
		}
		return parseHeader(r, h)
	}
	q := r.URL.Query()
	if q.Has("X-Amz-Algorithm") || q.Has("X-Amz-Credential") || q.Has("X-Amz-Signature") {
		return parseQuery(q)
	}
	if q.Has("AWSAccessKeyId") && q.Has("Signature") {
		return parseV2Query(q)
	}
	return nil, nil
}

// signatureField ends an Authorization header as every SDK writes it:
// the claim's one part that changes from request to request.
const signatureField = "Signature="

// claimPrefix splits an Authorization header into its part before its
// signature and the signature, when the header ends with one as a part of
// its own ("…, Signature=" and 64 characters): in "…, X-Signature=…" the
// part is not the signature, which must then come earlier.
func claimPrefix(h string) (prefix, sig string, ok bool) {
	i := len(h) - 64 - len(signatureField)
	if i <= 0 || h[i:i+len(signatureField)] != signatureField {
		return "", "", false
	}
	j := strings.LastIndexByte(h[:i], ',')
	if j < 0 || strings.TrimSpace(h[j+1:i]) != "" {
		return "", "", false
	}
	return h[:i], h[i+len(signatureField):], true
}

// parsedClaim is what an Authorization header's part before its signature
// says (prefix), parsed and checked: the signature and the request's time
// are left empty.
type parsedClaim struct {
	prefix string
	sig    Signature
}

// Parse is the package's Parse, reading a SigV4 Authorization header whose
// part before the signature is the last one's from what that one said: a
// client signs request after request with one key, scope and header list,
// so only the signature and the time are left to read.
func (v *Verifier) Parse(r *http.Request) (*Signature, error) {
	prefix, sig, ok := claimPrefix(r.Header.Get("Authorization"))
	if !ok {
		return Parse(r)
	}
	// A signature that is not 64 lower-case hex digits is left to Parse,
	// for the error it gives: "Signature=" could be inside another part.
	if last := v.lastClaim.Load(); last != nil && last.prefix == prefix && isLowerHex(sig) {
		s := new(Signature)
		*s = last.sig
		s.SignedHeaders = s.headers[:len(s.SignedHeaders)] // in its own copy of the array
		s.Signature = sig
		if err := s.readTime(r); err != nil {
			return nil, err
		}
		return s, nil
	}
	s, err := Parse(r)
	if err == nil && s != nil && s.Version == 4 && len(s.SignedHeaders) <= len(s.headers) {
		c := &parsedClaim{prefix: prefix, sig: *s}
		c.sig.SignedHeaders = c.sig.headers[:len(s.SignedHeaders)]
		c.sig.Signature, c.sig.Time, c.sig.AmzDate = "", time.Time{}, ""
		c.sig.Scope() // worked out once for the requests that follow
		v.lastClaim.Store(c)
	}
	return s, err
}

func parseHeader(r *http.Request, h string) (*Signature, error) {
	alg, rest, ok := strings.Cut(h, " ")
	switch {
	case !ok:
		return nil, ErrAuthHeaderSpaces.With("ArgumentName", "Authorization").With("ArgumentValue", h)
	case alg != algorithm:
		return nil, ErrUnsupportedMechanism.With("ArgumentName", "Authorization").With("ArgumentValue", alg)
	}
	s := &Signature{Version: 4}
	var haveCred, haveHeaders, haveSig bool
	for part := range strings.SplitSeq(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return nil, ErrHeaderMalformed.WithMessage("The authorization header is malformed; the authorization component %q is malformed.", strings.TrimSpace(part))
		}
		switch k {
		case "Credential":
			if err := s.parseCredential(v, ErrHeaderMalformed, "The authorization header is malformed; "); err != nil {
				return nil, err
			}
			haveCred = true
		case "SignedHeaders":
			s.SignedHeaders = splitHeaders(s.headers[:0], v)
			haveHeaders = true
		case "Signature":
			s.Signature = v
			haveSig = true
		}
	}
	if !haveCred || !haveHeaders || !haveSig {
		return nil, ErrHeaderMalformed.WithMessage("The authorization header is malformed; it must contain Credential, SignedHeaders and Signature.")
	}
	if err := s.readTime(r); err != nil {
		return nil, err
	}
	return s, s.checkShape(ErrSignatureDoesNotMatch)
}

// readTime reads a header-signed request's time, from X-Amz-Date or else
// Date, which must fall on the credential's scope date.
func (s *Signature) readTime(r *http.Request) error {
	amzDate := r.Header.Get("X-Amz-Date")
	var t time.Time
	var err error
	if amzDate != "" {
		t, err = parseAmzDate(amzDate)
	} else if d := r.Header.Get("Date"); d != "" {
		t, err = parseHTTPDate(d)
		amzDate = t.UTC().Format(amzDateForm)
	} else {
		return ErrMissingDate
	}
	if err != nil {
		return ErrMissingDate
	}
	s.Time, s.AmzDate = t.UTC(), amzDate
	if s.Date != amzDate[:scopeDateLen] {
		return ErrHeaderMalformed.WithMessage("The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.")
	}
	return nil
}

func parseQuery(q url.Values) (*Signature, error) {
	for _, p := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires"} {
		if !q.Has(p) {
			return nil, ErrMissingQueryParams
		}
	}
	if q.Get("X-Amz-Algorithm") != algorithm {
		return nil, ErrQueryMalformed.WithMessage("X-Amz-Algorithm only supports \"%s\"", algorithm)
	}
	s := &Signature{Version: 4, Presigned: true}
	if err := s.parseCredential(q.Get("X-Amz-Credential"), ErrQueryMalformed, "Error parsing the X-Amz-Credential parameter; "); err != nil {
		return nil, err
	}
	t, err := parseAmzDate(q.Get("X-Amz-Date"))
	if err != nil {
		return nil, ErrQueryMalformed.WithMessage("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
	}
	s.Time, s.AmzDate = t, q.Get("X-Amz-Date")
	exp, err := strconv.ParseInt(q.Get("X-Amz-Expires"), 10, 64)
	switch {
	case err != nil:
		return nil, ErrQueryMalformed.WithMessage("X-Amz-Expires should be a number")
	case exp < 0:
		return nil, ErrQueryMalformed.WithMessage("X-Amz-Expires must be non-negative")
	case time.Duration(exp)*time.Second > MaxPresignExpiry:
		return nil, ErrQueryMalformed.WithMessage("X-Amz-Expires must be less than a week (in seconds) that is 604800")
	}
	s.Expires = time.Duration(exp) * time.Second
	s.SignedHeaders = strings.Split(q.Get("X-Amz-SignedHeaders"), ";")
	s.Signature = q.Get("X-Amz-Signature")
	if s.Date != s.AmzDate[:scopeDateLen] {
		return nil, ErrQueryMalformed.WithMessage("Invalid credential date. Date is not the same as X-Amz-Date.")
	}
	return s, s.checkShape(ErrSignatureDoesNotMatch)
}

// parseCredential parses "AKID/20130524/us-east-1/s3/aws4_request". Access
// key ids never contain '/', so the scope is the last four parts.
func (s *Signature) parseCredential(v string, base *awserr.Error, prefix string) error {
	if strings.Count(v, "/") != 4 || v[0] == '/' { // five parts, the key id not empty
		return base.WithMessage("%sthe Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".", prefix)
	}
	var parts [5]string // without strings.Split's slice: every request has one
	rest := v
	for i := range 4 {
		parts[i], rest, _ = strings.Cut(rest, "/")
	}
	parts[4] = rest
	s.AccessKey, s.Date, s.Region, s.Service = parts[0], parts[1], parts[2], parts[3]
	s.scope = v[len(parts[0])+1:] // date/region/service/aws4_request, as checked below
	if len(s.Date) != scopeDateLen {
		return base.WithMessage("%sinvalid credential date %q.", prefix, s.Date)
	}
	if _, ok := parseScopeDate(s.Date); !ok {
		return base.WithMessage("%sinvalid credential date %q.", prefix, s.Date)
	}
	if s.Region == "" {
		return base.WithMessage("%sthe region is empty.", prefix)
	}
	if s.Service == "" {
		return base.WithMessage("%sthe service is empty.", prefix)
	}
	if parts[4] != terminal {
		return base.WithMessage("%sincorrect terminal %q. This endpoint uses %q.", prefix, parts[4], terminal)
	}
	return nil
}

// splitHeaders appends the names in list, separated by semicolons, to
// names: strings.Split's result without its allocation when names has the
// room.
func splitHeaders(names []string, list string) []string {
	for {
		name, rest, more := strings.Cut(list, ";")
		names = append(names, name)
		if !more {
			return names
		}
		list = rest
	}
}

// checkShape rejects signatures that cannot be valid whatever the secret:
// dev mode accepts unknown keys, but never a malformed claim.
func (s *Signature) checkShape(mismatch *awserr.Error) error {
	if len(s.Signature) != 64 || !isLowerHex(s.Signature) {
		return mismatch
	}
	hasHost := false
	for _, h := range s.SignedHeaders {
		if h == "" || h != strings.ToLower(h) {
			return mismatch
		}
		if h == "host" {
			hasHost = true
		}
	}
	if !hasHost {
		return ErrAccessDenied.WithMessage("The host header must be signed.")
	}
	return nil
}

// parseAmzDate reads SigV4's "20060102T150405Z" in UTC, without
// interpreting a layout as time.Parse does: every request has one. It
// accepts what time.Parse with that layout accepts but a fraction of a
// second, which SigV4's form has not.
func parseAmzDate(s string) (time.Time, error) {
	if len(s) != len(amzDateForm) || s[scopeDateLen] != 'T' || s[len(s)-1] != 'Z' {
		return time.Time{}, errBadDate
	}
	day, ok := parseScopeDate(s[:scopeDateLen])
	hour, minute, sec := digits(s[9:11]), digits(s[11:13]), digits(s[13:15])
	if !ok || hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, errBadDate
	}
	return day.Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute + time.Duration(sec)*time.Second), nil
}

// parseScopeDate reads a credential scope's "20060102" as midnight UTC and
// reports whether it is a real date.
func parseScopeDate(s string) (time.Time, bool) {
	if len(s) != scopeDateLen {
		return time.Time{}, false
	}
	year, month, day := digits(s[:4]), digits(s[4:6]), digits(s[6:8])
	if year < 0 || month < 1 || month > 12 || day < 1 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day { // February 30 is March 2 to time.Date
		return time.Time{}, false
	}
	return t, true
}

var errBadDate = errors.New("sigv4: malformed date")

// digits returns the number s spells in decimal digits, or -1 if it has
// anything else.
func digits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
