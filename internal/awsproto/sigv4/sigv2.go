package sigv4

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Legacy Signature Version 2, for S3 only. The AWS CLI v1 still presigns
// S3 URLs with it by default ("aws s3 presign"), so a local S3 must accept
// it; it carries no region, and its payload is not signed.

// v2SubResources are the query parameters that SigV2 signs, as the SDKs
// list them.
var v2SubResources = map[string]bool{
	"accelerate": true, "acl": true, "cors": true, "defaultObjectAcl": true, "location": true,
	"logging": true, "partNumber": true, "policy": true, "requestPayment": true, "torrent": true,
	"versioning": true, "versionId": true, "versions": true, "website": true, "uploads": true,
	"uploadId": true, "response-content-type": true, "response-content-language": true,
	"response-expires": true, "response-cache-control": true, "response-content-disposition": true,
	"response-content-encoding": true, "delete": true, "lifecycle": true, "tagging": true,
	"restore": true, "storageClass": true, "notification": true, "replication": true,
	"analytics": true, "metrics": true, "inventory": true, "select": true, "select-type": true,
	"object-lock": true,
}

// parseV2Header parses "Authorization: AWS AKID:signature".
func parseV2Header(r *http.Request, h string) (*Signature, error) {
	cred, ok := strings.CutPrefix(h, "AWS ")
	key, sig, ok2 := strings.Cut(cred, ":")
	if !ok || !ok2 || key == "" || sig == "" {
		return nil, ErrHeaderMalformed.WithMessage("The authorization header is malformed; expecting AWS AccessKeyId:Signature.")
	}
	date := r.Header.Get("X-Amz-Date")
	if date == "" {
		date = r.Header.Get("Date")
	}
	t, err := parseHTTPDate(date)
	if err != nil {
		return nil, ErrMissingDate
	}
	return &Signature{Version: 2, AccessKey: key, Signature: sig, Time: t.UTC(), Service: "s3"}, nil
}

// parseV2Query parses a SigV2 presigned URL (AWSAccessKeyId, Signature,
// Expires as Unix seconds).
func parseV2Query(q url.Values) (*Signature, error) {
	exp, err := strconv.ParseInt(q.Get("Expires"), 10, 64)
	if err != nil {
		return nil, ErrQueryMalformed.WithMessage("Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters")
	}
	return &Signature{Version: 2, Presigned: true, AccessKey: q.Get("AWSAccessKeyId"), Signature: q.Get("Signature"),
		Time: time.Unix(exp, 0).UTC(), Service: "s3"}, nil
}

func (v *Verifier) checkTimeV2(s *Signature) error {
	now := v.wall().UTC()
	if s.Presigned {
		if now.After(s.Time) {
			return ErrExpired.With("Expires", s.Time.Format(time.RFC3339)).With("ServerTime", now.Format(time.RFC3339))
		}
		return nil
	}
	if d := now.Sub(s.Time); d > MaxSkew || d < -MaxSkew {
		return ErrRequestTimeTooSkewed.With("RequestTime", s.Time.Format(http.TimeFormat)).
			With("ServerTime", now.Format(time.RFC3339)).With("MaxAllowedSkewMilliseconds", "900000")
	}
	return nil
}

// checkSignatureV2 recomputes the HMAC-SHA1 signature. The bucket of a
// virtual-hosted request is part of the signed resource but not of the
// path, so both readings of the host are tried.
func checkSignatureV2(r *http.Request, s *Signature, secret string) error {
	toSign := stringToSignV2(r, s)
	mac := hmac.New(sha1.New, []byte(secret))
	for _, res := range v2Resources(r) {
		mac.Reset()
		mac.Write([]byte(toSign + res))
		if hmac.Equal([]byte(base64.StdEncoding.EncodeToString(mac.Sum(nil))), []byte(s.Signature)) {
			return nil
		}
	}
	return ErrSignatureDoesNotMatch.With("AWSAccessKeyId", s.AccessKey).With("SignatureProvided", s.Signature).
		With("StringToSign", toSign+v2Resources(r)[0])
}

// stringToSignV2 is everything SigV2 signs but the resource.
func stringToSignV2(r *http.Request, s *Signature) string {
	q := r.URL.Query()
	get := func(name string) string {
		if s.Presigned && q.Has(name) {
			return q.Get(name)
		}
		return r.Header.Get(name)
	}
	date := r.Header.Get("Date")
	if s.Presigned {
		date = q.Get("Expires")
	} else if r.Header.Get("X-Amz-Date") != "" {
		date = ""
	}
	var b strings.Builder
	b.WriteString(r.Method + "\n" + strings.TrimSpace(get("Content-Md5")) + "\n" + strings.TrimSpace(get("Content-Type")) + "\n" + date + "\n")
	amz := map[string][]string{}
	for name, values := range r.Header {
		if ln := strings.ToLower(name); strings.HasPrefix(ln, "x-amz-") {
			amz[ln] = append(amz[ln], values...)
		}
	}
	if s.Presigned {
		for name, values := range q {
			if ln := strings.ToLower(name); strings.HasPrefix(ln, "x-amz-") {
				amz[ln] = values
			}
		}
	}
	names := make([]string, 0, len(amz))
	for n := range amz {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		vals := make([]string, len(amz[n]))
		for i, v := range amz[n] {
			vals[i] = strings.TrimSpace(v)
		}
		b.WriteString(n + ":" + strings.Join(vals, ",") + "\n")
	}
	return b.String()
}

// v2Resources returns the canonical resource for path-style addressing and,
// if the host could name a bucket, for virtual-hosted style.
func v2Resources(r *http.Request) []string {
	path := requestPath(r)
	var sub []string
	for part := range strings.SplitSeq(r.URL.RawQuery, "&") {
		k, v, hasV := strings.Cut(part, "=")
		if !v2SubResources[k] {
			continue
		}
		if hasV {
			v, _ = url.QueryUnescape(v)
			sub = append(sub, k+"="+v)
		} else {
			sub = append(sub, k)
		}
	}
	slices.SortFunc(sub, func(a, b string) int {
		ka, _, _ := strings.Cut(a, "=")
		kb, _, _ := strings.Cut(b, "=")
		return strings.Compare(ka, kb)
	})
	suffix := ""
	if len(sub) > 0 {
		suffix = "?" + strings.Join(sub, "&")
	}
	out := []string{path + suffix}
	host := r.Host
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	if bucket, _, ok := strings.Cut(host, "."); ok && bucket != "" {
		out = append(out, "/"+bucket+path+suffix)
	}
	return out
}

// parseHTTPDate accepts the HTTP date forms and RFC 1123 with a numeric
// zone, which older S3 clients send.
func parseHTTPDate(s string) (time.Time, error) {
	if t, err := http.ParseTime(s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC1123Z, s)
}
