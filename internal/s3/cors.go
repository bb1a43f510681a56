package s3

import (
	"context"
	"slices"
	"strings"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// CORSRule is one rule of a bucket's CORS configuration.
type CORSRule struct {
	ID             string   `json:"id,omitempty"`
	AllowedOrigins []string `json:"origins"`
	AllowedMethods []string `json:"methods"`
	AllowedHeaders []string `json:"headers,omitempty"`
	ExposeHeaders  []string `json:"expose,omitempty"`
	// MaxAgeSeconds is how long a browser may cache a preflight answer;
	// 0 for no Access-Control-Max-Age.
	MaxAgeSeconds int `json:"maxage,omitempty"`
}

var (
	ErrCORSNotEnabled = awserr.New("AccessForbidden", 403, "CORSResponse: CORS is not enabled for this bucket.")
	ErrCORSNotAllowed = awserr.New("AccessForbidden", 403,
		"CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.")
)

func checkCORS(rules []CORSRule) error {
	if len(rules) == 0 || len(rules) > 100 {
		return ErrMalformedXML
	}
	for _, r := range rules {
		if len(r.AllowedOrigins) == 0 || len(r.AllowedMethods) == 0 || len(r.ID) > 255 || r.MaxAgeSeconds < 0 {
			return ErrMalformedXML
		}
		for _, m := range r.AllowedMethods {
			switch m {
			case "GET", "PUT", "POST", "DELETE", "HEAD":
			default:
				return ErrInvalidRequest.WithMessage("Found unsupported HTTP method in CORS config. Unsupported method is %s", m)
			}
		}
		for _, o := range r.AllowedOrigins {
			if strings.Count(o, "*") > 1 {
				return ErrInvalidRequest.WithMessage("AllowedOrigin %q can not have more than one wildcard.", o)
			}
		}
		for _, h := range r.AllowedHeaders {
			if strings.Count(h, "*") > 1 {
				return ErrInvalidRequest.WithMessage("AllowedHeader %q can not have more than one wildcard.", h)
			}
		}
	}
	return nil
}

// starMatch matches s against a CORS pattern: at most one '*', and no '?'
// wildcard as IAM patterns have.
func starMatch(pattern, s string) bool {
	before, after, found := strings.Cut(pattern, "*")
	if !found {
		return pattern == s
	}
	return len(s) >= len(before)+len(after) && strings.HasPrefix(s, before) && strings.HasSuffix(s, after)
}

// allows reports whether the rule admits a request from origin with method
// and the given request headers.
func (r *CORSRule) allows(origin, method string, headers []string) bool {
	if !slices.Contains(r.AllowedMethods, method) {
		return false
	}
	if !slices.ContainsFunc(r.AllowedOrigins, func(p string) bool { return starMatch(p, origin) }) {
		return false
	}
	for _, h := range headers {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			continue
		}
		if !slices.ContainsFunc(r.AllowedHeaders, func(p string) bool { return starMatch(strings.ToLower(p), h) }) {
			return false
		}
	}
	return true
}

// MatchCORS finds the rule of a bucket's CORS configuration that admits a
// cross-origin request. Browsers send preflights unsigned, so it needs no
// access to the bucket; the configuration is what the owner made public.
func (s *Service) MatchCORS(bucket, origin, method string, headers []string) (*CORSRule, error) {
	b, err := s.loadBucket(bucket)
	if err != nil {
		return nil, err
	}
	if len(b.CORS) == 0 {
		return nil, ErrCORSNotEnabled
	}
	for i := range b.CORS {
		if b.CORS[i].allows(origin, method, headers) {
			return &b.CORS[i], nil
		}
	}
	return nil, ErrCORSNotAllowed
}

func (s *Service) PutBucketCors(ctx context.Context, bucket string, rules []CORSRule) error {
	if err := checkCORS(rules); err != nil {
		return err
	}
	return s.updateBucket(ctx, "s3:PutBucketCORS", bucket, func(b *bucketRecord) error {
		b.CORS = rules
		return nil
	})
}

func (s *Service) GetBucketCors(ctx context.Context, bucket string) ([]CORSRule, error) {
	b, err := s.bucket(ctx, bucket, sameRegion, "s3:GetBucketCORS", "")
	if err != nil {
		return nil, err
	}
	if len(b.CORS) == 0 {
		return nil, ErrNoSuchCORS.With("BucketName", bucket)
	}
	return b.CORS, nil
}

func (s *Service) DeleteBucketCors(ctx context.Context, bucket string) error {
	return s.updateBucket(ctx, "s3:PutBucketCORS", bucket, func(b *bucketRecord) error {
		b.CORS = nil
		return nil
	})
}
