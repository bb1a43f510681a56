package s3

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// Bucket policies, the part of the IAM policy language they use that
// Lakebox evaluates: Allow and Deny statements naming principals (anyone,
// accounts, canonical users), s3: actions and resources in the bucket, with
// * and ? wildcards. A statement with a Condition or a Not* element is
// refused with NotImplemented rather than stored and not enforced.

// MaxPolicySize is the largest bucket policy S3 accepts, in bytes.
const MaxPolicySize = 20 << 10

var errMalformedPolicy = awserr.New("MalformedPolicy", 400, "Policies must be valid JSON and the first byte must be '{'")

func malformedPolicy(format string, args ...any) error {
	return errMalformedPolicy.WithMessage(format, args...)
}

// policy is a compiled bucket policy.
type policy struct {
	statements []statement
}

type statement struct {
	deny      bool
	anyone    bool
	accounts  []string // 12-digit account ids
	canonical []string // canonical user ids
	actions   []string // lower-case patterns, "s3:getobject", "s3:*"
	resources []string // patterns, "arn:aws:s3:::bucket/*"
	public    bool     // allows anyone
}

// stringList is a policy field that is a string or a list of strings.
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*l = stringList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*l = many
	return nil
}

type rawStatement struct {
	Sid          string          `json:"Sid"`
	Effect       string          `json:"Effect"`
	Principal    json.RawMessage `json:"Principal"`
	Action       stringList      `json:"Action"`
	Resource     stringList      `json:"Resource"`
	NotPrincipal json.RawMessage `json:"NotPrincipal"`
	NotAction    json.RawMessage `json:"NotAction"`
	NotResource  json.RawMessage `json:"NotResource"`
	Condition    json.RawMessage `json:"Condition"`
}

// parsePolicy validates a policy document for a bucket and compiles it.
func parsePolicy(bucket, doc string) (*policy, error) {
	if len(doc) > MaxPolicySize {
		return nil, malformedPolicy("Policies must be no larger than %d bytes", MaxPolicySize)
	}
	var raw struct {
		Version   string          `json:"Version"`
		ID        string          `json:"Id"`
		Statement json.RawMessage `json:"Statement"`
	}
	dec := json.NewDecoder(strings.NewReader(doc))
	if !strings.HasPrefix(strings.TrimSpace(doc), "{") || dec.Decode(&raw) != nil {
		return nil, errMalformedPolicy
	}
	if raw.Version != "2012-10-17" && raw.Version != "2008-10-17" {
		return nil, malformedPolicy("The policy must contain a valid version string")
	}
	var stmts []rawStatement
	switch trimmed := bytes.TrimSpace(raw.Statement); {
	case len(trimmed) == 0:
		return nil, malformedPolicy("Missing required field Statement")
	case trimmed[0] == '{':
		var one rawStatement
		if err := json.Unmarshal(trimmed, &one); err != nil {
			return nil, errMalformedPolicy
		}
		stmts = []rawStatement{one}
	default:
		if err := json.Unmarshal(trimmed, &stmts); err != nil {
			return nil, errMalformedPolicy
		}
	}
	if len(stmts) == 0 {
		return nil, malformedPolicy("Could not parse the policy: Statement is empty!")
	}
	p := &policy{}
	for _, rs := range stmts {
		st, err := compileStatement(bucket, rs)
		if err != nil {
			return nil, err
		}
		p.statements = append(p.statements, st)
	}
	return p, nil
}

func compileStatement(bucket string, rs rawStatement) (statement, error) {
	var st statement
	switch {
	case rs.Condition != nil:
		return st, awserr.NotImplemented("Conditions in bucket policies")
	case rs.NotPrincipal != nil || rs.NotAction != nil || rs.NotResource != nil:
		return st, awserr.NotImplemented("NotPrincipal, NotAction and NotResource in bucket policies")
	}
	switch rs.Effect {
	case "Allow":
	case "Deny":
		st.deny = true
	case "":
		return st, malformedPolicy("Missing required field Effect")
	default:
		return st, malformedPolicy("Invalid effect: %s", rs.Effect)
	}
	if err := st.principals(rs.Principal); err != nil {
		return st, err
	}
	if len(rs.Action) == 0 {
		return st, malformedPolicy("Missing required field Action")
	}
	for _, a := range rs.Action {
		la := strings.ToLower(a)
		if la != "*" && !strings.HasPrefix(la, "s3:") {
			return st, malformedPolicy("Policy has invalid action")
		}
		st.actions = append(st.actions, la)
	}
	if len(rs.Resource) == 0 {
		return st, malformedPolicy("Missing required field Resource")
	}
	for _, r := range rs.Resource {
		if r != "*" && r != BucketARN(bucket) && !strings.HasPrefix(r, BucketARN(bucket)+"/") {
			return st, malformedPolicy("Policy has invalid resource")
		}
		st.resources = append(st.resources, r)
	}
	st.public = st.anyone && !st.deny
	return st, nil
}

// principals reads "*" or {"AWS": ..., "CanonicalUser": ..., "Service": ...}.
func (st *statement) principals(raw json.RawMessage) error {
	if raw == nil {
		return malformedPolicy("Missing required field Principal")
	}
	var star string
	if json.Unmarshal(raw, &star) == nil {
		if star != "*" {
			return malformedPolicy("Invalid principal in policy")
		}
		st.anyone = true
		return nil
	}
	var m map[string]stringList
	if err := json.Unmarshal(raw, &m); err != nil || len(m) == 0 {
		return malformedPolicy("Invalid principal in policy")
	}
	for kind, values := range m {
		for _, v := range values {
			switch kind {
			case "AWS":
				switch {
				case v == "*":
					st.anyone = true
				case auth.AccountFor(v) == v:
					st.accounts = append(st.accounts, v)
				case strings.HasPrefix(v, "arn:aws:iam::") && strings.HasSuffix(v, ":root"):
					acct := strings.TrimSuffix(strings.TrimPrefix(v, "arn:aws:iam::"), ":root")
					if auth.AccountFor(acct) != acct {
						return malformedPolicy("Invalid principal in policy")
					}
					st.accounts = append(st.accounts, acct)
				default:
					// IAM users and roles: Lakebox has no IAM yet, so no
					// request can be from one.
					return awserr.NotImplemented("IAM user and role principals in bucket policies")
				}
			case "CanonicalUser":
				st.canonical = append(st.canonical, v)
			case "Service":
				// Service principals (logging, CloudTrail, ...) are granted
				// access for deliveries those services make; none of them
				// sign requests to Lakebox, so such statements never match.
			default:
				return malformedPolicy("Invalid principal in policy")
			}
		}
	}
	return nil
}

func (st *statement) matchesPrincipal(id auth.Identity) bool {
	if st.anyone {
		return true
	}
	if id.Anonymous {
		return false
	}
	for _, a := range st.accounts {
		if a == id.Account {
			return true
		}
	}
	for _, c := range st.canonical {
		if c == OwnerID(id.Account) {
			return true
		}
	}
	return false
}

func matchAny(patterns []string, s string) bool {
	for _, p := range patterns {
		if wildcardMatch(p, s) {
			return true
		}
	}
	return false
}

// wildcardMatch matches IAM wildcards: * is any run of bytes (including
// '/'), ? is one byte. It backtracks only to the last *, so it runs in time
// proportional to len(p)·len(s) at worst.
func wildcardMatch(p, s string) bool {
	pi, si, star, mark := 0, 0, -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == s[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// decide evaluates the policy for a request: whether a statement allows it
// and whether one explicitly denies it.
func (p *policy) decide(id auth.Identity, action, resource string) (allowed, denied bool) {
	if p == nil {
		return false, false
	}
	action = strings.ToLower(action)
	for i := range p.statements {
		st := &p.statements[i]
		if !st.matchesPrincipal(id) || !matchAny(st.actions, action) || !matchAny(st.resources, resource) {
			continue
		}
		if st.deny {
			denied = true
		} else {
			allowed = true
		}
	}
	return allowed, denied
}

// isPublic reports whether a statement allows anyone.
func (p *policy) isPublic() bool {
	if p == nil {
		return false
	}
	for _, st := range p.statements {
		if st.public {
			return true
		}
	}
	return false
}

type PutBucketPolicyInput struct {
	Bucket string
	Policy string
}

type PutBucketPolicyOutput struct{}

// PutBucketPolicy validates and stores a bucket policy; it takes effect for
// the next request.
func (s *Service) PutBucketPolicy(ctx context.Context, in *PutBucketPolicyInput) (*PutBucketPolicyOutput, error) {
	p, err := parsePolicy(in.Bucket, in.Policy)
	if err != nil {
		return nil, err
	}
	err = s.updateBucket(ctx, "s3:PutBucketPolicy", in.Bucket, func(b *bucketRecord) error {
		if b.PublicAccess != nil && b.PublicAccess.BlockPublicPolicy && p.isPublic() {
			return ErrPublicPolicyBlocked
		}
		b.Policy = in.Policy
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &PutBucketPolicyOutput{}, nil
}

type GetBucketPolicyInput struct{ Bucket string }

type GetBucketPolicyOutput struct{ Policy string }

func (s *Service) GetBucketPolicy(ctx context.Context, in *GetBucketPolicyInput) (*GetBucketPolicyOutput, error) {
	b, err := s.bucket(ctx, in.Bucket, sameRegion, "s3:GetBucketPolicy", "")
	if err != nil {
		return nil, err
	}
	if b.Policy == "" {
		return nil, ErrNoSuchBucketPolicy.With("BucketName", in.Bucket)
	}
	return &GetBucketPolicyOutput{Policy: b.Policy}, nil
}

type DeleteBucketPolicyInput struct{ Bucket string }

type DeleteBucketPolicyOutput struct{}

func (s *Service) DeleteBucketPolicy(ctx context.Context, in *DeleteBucketPolicyInput) (*DeleteBucketPolicyOutput, error) {
	if err := s.updateBucket(ctx, "s3:DeleteBucketPolicy", in.Bucket, func(b *bucketRecord) error { b.Policy = ""; return nil }); err != nil {
		return nil, err
	}
	return &DeleteBucketPolicyOutput{}, nil
}

type GetBucketPolicyStatusInput struct{ Bucket string }

type GetBucketPolicyStatusOutput struct{ IsPublic bool }

func (s *Service) GetBucketPolicyStatus(ctx context.Context, in *GetBucketPolicyStatusInput) (*GetBucketPolicyStatusOutput, error) {
	b, err := s.bucket(ctx, in.Bucket, sameRegion, "s3:GetBucketPolicyStatus", "")
	if err != nil {
		return nil, err
	}
	if b.Policy == "" {
		return nil, ErrNoSuchBucketPolicy.With("BucketName", in.Bucket)
	}
	return &GetBucketPolicyStatusOutput{IsPublic: b.policy.isPublic()}, nil
}
