package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// appendCanonicalRequest appends the SigV4 canonical request of r as the
// client computed it. uri is the canonical URI (see canonicalURI); payloadHash is
// the value the client signed as the payload.
func appendCanonicalRequest(b []byte, r *http.Request, s *Signature, uri, payloadHash string) []byte {
	b = append(b, r.Method...)
	b = append(b, '\n')
	b = append(b, uri...)
	b = append(b, '\n')
	b = append(b, canonicalQuery(r.URL.RawQuery, s.Presigned)...)
	b = append(b, '\n')
	for _, name := range s.SignedHeaders {
		b = append(b, name...)
		b = append(b, ':')
		b = appendCanonicalHeaderValue(b, r, name)
		b = append(b, '\n')
	}
	b = append(b, '\n')
	for i, name := range s.SignedHeaders {
		if i > 0 {
			b = append(b, ';')
		}
		b = append(b, name...)
	}
	b = append(b, '\n')
	return append(b, payloadHash...)
}

// requestPath returns the path exactly as the client sent it, still
// percent-encoded.
func requestPath(r *http.Request) string {
	p := r.RequestURI
	if p == "" || p[0] != '/' { // absolute-form or missing (tests): use the parsed URL
		p = r.URL.EscapedPath()
	}
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	if p == "" {
		p = "/"
	}
	return p
}

// canonicalURIs returns the canonical URI candidates for r (n of them).
// S3 signs the path as sent; every other service signs it encoded once
// more. Clients disagree on which characters they escape on the wire, so
// for S3 the normalized form (decode, then AWS-encode) is a second
// candidate.
func canonicalURIs(r *http.Request, service string) (uris [2]string, n int) {
	raw := requestPath(r)
	if unreserved(raw) { // the usual case: nothing to decode or encode
		return [2]string{raw}, 1
	}
	if service != "s3" {
		return [2]string{URIEncode(raw, false)}, 1
	}
	decoded, err := url.PathUnescape(raw)
	if err != nil {
		return [2]string{raw}, 1
	}
	if norm := URIEncode(decoded, false); norm != raw {
		return [2]string{raw, norm}, 2
	}
	return [2]string{raw}, 1
}

// unreserved reports whether p holds only what URIEncode keeps as it is.
func unreserved(p string) bool {
	for i := 0; i < len(p); i++ {
		if !keeps(p[i], false) {
			return false
		}
	}
	return true
}

// keeps reports whether URIEncode leaves c as it is: an RFC 3986
// unreserved character, or '/' unless encodeSlash.
func keeps(c byte, encodeSlash bool) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~' || (c == '/' && !encodeSlash)
}

// canonicalQuery sorts and AWS-encodes a raw query string. For presigned
// requests X-Amz-Signature is left out.
func canonicalQuery(raw string, presigned bool) string {
	if raw == "" {
		return ""
	}
	type kv struct{ k, v string }
	pairs := make([]kv, 0, 8)
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		k = URIEncode(queryUnescape(k), true)
		if presigned && k == "X-Amz-Signature" {
			continue
		}
		pairs = append(pairs, kv{k, URIEncode(queryUnescape(v), true)})
	}
	slices.SortFunc(pairs, func(a, b kv) int {
		if c := strings.Compare(a.k, b.k); c != 0 {
			return c
		}
		return strings.Compare(a.v, b.v)
	})
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k)
		b.WriteByte('=')
		b.WriteString(p.v)
	}
	return b.String()
}

func queryUnescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// appendCanonicalHeaderValue appends the trimmed, space-collapsed,
// comma-joined value of a signed header. net/http moves some headers out
// of r.Header; they are rebuilt from where it put them.
func appendCanonicalHeaderValue(b []byte, r *http.Request, name string) []byte {
	var values []string
	switch name {
	case "host":
		return appendTrimmed(b, r.Host)
	case "content-length":
		values = r.Header.Values("Content-Length")
		if len(values) == 0 && r.ContentLength >= 0 {
			return strconv.AppendInt(b, r.ContentLength, 10)
		}
	case "transfer-encoding":
		values = r.TransferEncoding
	default:
		values = headerValues(r.Header, name)
	}
	for i, v := range values {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendTrimmed(b, v)
	}
	return b
}

// headerValues returns h's values of the lower-case header name. A name
// of letters, digits and dashes is canonicalized on the stack: every signed
// header is looked up for every request, and Header.Values allocates the
// canonical form of a name that is not in it already.
func headerValues(h http.Header, name string) []string {
	var buf [64]byte
	if len(name) > len(buf) {
		return h.Values(name)
	}
	upper := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z':
			if upper {
				c -= 'a' - 'A'
			}
		case '0' <= c && c <= '9', c == '-':
		default:
			return h.Values(name)
		}
		buf[i] = c
		upper = c == '-'
	}
	return h[string(buf[:len(name)])]
}

// appendTrimmed appends v without leading or trailing white space and
// with inner runs of it collapsed to one space.
func appendTrimmed(b []byte, v string) []byte {
	space := false
	for len(v) > 0 && isSpace(v[0]) {
		v = v[1:]
	}
	for len(v) > 0 && isSpace(v[len(v)-1]) {
		v = v[:len(v)-1]
	}
	if trimmed(v) { // the usual case: appended whole
		return append(b, v...)
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; isSpace(c) {
			space = true
		} else {
			if space {
				b = append(b, ' ')
				space = false
			}
			b = append(b, c)
		}
	}
	return b
}

// trimmed reports whether v, without white space at its ends, has no run
// of white space to collapse: no white space but single ' ' characters.
func trimmed(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c <= ' ' && isSpace(c) && (c != ' ' || v[i-1] == ' ') {
			return false
		}
	}
	return true
}

// isSpace is what strings.Fields splits ASCII on.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// URIEncode percent-encodes every byte but the RFC 3986 unreserved
// characters, as SigV4 requires; '/' is kept unless encodeSlash.
func URIEncode(s string, encodeSlash bool) string {
	const hexUpper = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if keeps(c, encodeSlash) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexUpper[c>>4])
		b.WriteByte(hexUpper[c&15])
	}
	return b.String()
}

// appendStringToSign appends the SigV4 string to sign for a canonical
// request (which may be a part of b).
func appendStringToSign(b []byte, s *Signature, canonical []byte) []byte {
	sum := sha256.Sum256(canonical)
	b = append(b, algorithm+"\n"...)
	b = append(b, s.AmzDate...)
	b = append(b, '\n')
	b = append(b, s.Scope()...)
	b = append(b, '\n')
	return hex.AppendEncode(b, sum[:])
}

// deriveSigningKey derives the SigV4 signing key for a secret and scope.
func deriveSigningKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, terminal)
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

// EmptySHA256 is the hex SHA-256 of no bytes.
const EmptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
