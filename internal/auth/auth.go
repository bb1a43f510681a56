package auth

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
)

// DefaultAccount is the account of every access key that does not name one.
const DefaultAccount = "000000000000"

// Identity is the verified caller of a request.
type Identity struct {
	// AccessKey is the access key id the request was signed with; empty when
	// Anonymous.
	AccessKey string
	// Account is the 12-digit account the caller acts in.
	Account string
	// Region and Service come from the SigV4 credential scope.
	Region  string
	Service string
	// Anonymous is true for unsigned requests.
	Anonymous bool
}

type identityKey struct{}

// WithIdentity returns a context carrying id.
func WithIdentity(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// FromContext returns the identity stored by WithIdentity. A context without
// one yields an anonymous identity in DefaultAccount.
func FromContext(ctx context.Context) Identity {
	if id, ok := ctx.Value(identityKey{}).(Identity); ok {
		return id
	}
	return Identity{Anonymous: true, Account: DefaultAccount, Region: "us-east-1"}
}

// Scope returns the account and region a request acts in: its identity's,
// with us-east-1 when the signature named no region.
func Scope(ctx context.Context) (account, region string) {
	id := FromContext(ctx)
	if id.Region == "" {
		return id.Account, "us-east-1"
	}
	return id.Account, id.Region
}

// Key is one known access key pair.
type Key struct {
	AccessKey string
	Secret    string
	Account   string
}

// Keys is the set of access keys whose signatures are verified for real.
// It is immutable after construction and safe for concurrent use.
type Keys struct {
	keys   map[string]Key
	strict bool
}

// TestKey is the conventional local pair every AWS emulator accepts.
var TestKey = Key{AccessKey: "test", Secret: "test", Account: DefaultAccount}

// NewKeys returns the known keys: TestKey plus extra. With strict set, Lookup
// refuses every other access key; otherwise unknown keys are accepted
// without a secret (dev mode), their signature checked for shape only.
func NewKeys(strict bool, extra ...Key) *Keys {
	k := &Keys{keys: map[string]Key{TestKey.AccessKey: TestKey}, strict: strict}
	for _, e := range extra {
		if e.Account == "" {
			e.Account = AccountFor(e.AccessKey)
		}
		k.keys[e.AccessKey] = e
	}
	return k
}

// Strict reports whether unknown access keys are refused.
func (k *Keys) Strict() bool { return k.strict }

// Lookup returns the key pair for accessKey and whether its secret is known.
func (k *Keys) Lookup(accessKey string) (Key, bool) {
	key, ok := k.keys[accessKey]
	return key, ok
}

// AccountFor returns the account an access key id acts in when no
// credentials file names one: the id itself if it is 12 digits, otherwise
// DefaultAccount.
func AccountFor(accessKey string) string {
	if len(accessKey) != 12 {
		return DefaultAccount
	}
	for i := 0; i < len(accessKey); i++ {
		if accessKey[i] < '0' || accessKey[i] > '9' {
			return DefaultAccount
		}
	}
	return accessKey
}

// LoadKeys reads a credentials file: one key per line as
// "ACCESS_KEY_ID SECRET_ACCESS_KEY [ACCOUNT_ID]", separated by blanks or
// commas; blank lines and lines starting with # are ignored.
func LoadKeys(path string) ([]Key, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	keys, err := ParseKeys(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return keys, nil
}

// ParseKeys parses the credentials file format described at LoadKeys.
func ParseKeys(r io.Reader) ([]Key, error) {
	var keys []Key
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
		if len(fields) < 2 || len(fields) > 3 {
			return nil, fmt.Errorf("line %d: want ACCESS_KEY_ID SECRET_ACCESS_KEY [ACCOUNT_ID]", line)
		}
		k := Key{AccessKey: fields[0], Secret: fields[1], Account: AccountFor(fields[0])}
		if len(fields) == 3 {
			if AccountFor(fields[2]) != fields[2] {
				return nil, fmt.Errorf("line %d: account %q is not 12 digits", line, fields[2])
			}
			k.Account = fields[2]
		}
		keys = append(keys, k)
	}
	return keys, sc.Err()
}
