package s3

import (
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/storage/seal"
)

// Server-side encryption algorithms (x-amz-server-side-encryption).
const (
	SSEAES256  = "AES256"
	SSEKMS     = "aws:kms"
	SSEKMSDSSE = "aws:kms:dsse"
	// sseCustomer marks records sealed with a customer's key (SSE-C).
	sseCustomer = "SSE-C"
)

// Every body stored with server-side encryption is sealed (package seal)
// with its own data key, which is kept wrapped by a key-encryption key:
// for SSE-S3 and SSE-KMS one derived from the master key (and, for KMS, the
// key ARN and encryption context), for SSE-C the customer's key itself, of
// which only the MD5 is stored. docs/format/sealed.md has the details.

// SSE is the server-side encryption a write asks for.
type SSE struct {
	Algorithm string // "", SSEAES256, SSEKMS or SSEKMSDSSE
	KMSKeyID  string
	// Context is the KMS encryption context: base64 of a JSON object.
	Context string
	// BucketKey is x-amz-server-side-encryption-bucket-key-enabled, nil
	// when not sent.
	BucketKey *bool
}

// CustomerKey is an SSE-C key sent with a request.
type CustomerKey struct {
	Algorithm, Key, KeyMD5 string
}

func (c CustomerKey) given() bool { return c != CustomerKey{} }

// Encryption is how an object is encrypted, as responses report it.
type Encryption struct {
	Algorithm         string // x-amz-server-side-encryption
	KMSKeyID          string
	Context           string
	BucketKey         bool
	CustomerAlgorithm string // SSE-C: always AES256
	CustomerKeyMD5    string
}

// encryption is how a body is encrypted at rest; the zero value is not
// encrypted.
type encryption struct {
	Mode      string `json:"mode,omitempty"` // SSEAES256, SSEKMS, SSEKMSDSSE or sseCustomer
	KMSKeyID  string `json:"kms,omitempty"`  // the key's ARN
	Context   string `json:"ctx,omitempty"`
	BucketKey bool   `json:"bk,omitempty"`
	KeyMD5    string `json:"md5,omitempty"` // SSE-C: base64 MD5 of the customer's key
}

func (e encryption) info() Encryption {
	if e.Mode == sseCustomer {
		return Encryption{CustomerAlgorithm: SSEAES256, CustomerKeyMD5: e.KeyMD5}
	}
	return Encryption{Algorithm: e.Mode, KMSKeyID: e.KMSKeyID, Context: e.Context, BucketKey: e.BucketKey}
}

// bucketEncryption is a bucket's default encryption.
type bucketEncryption struct {
	Algorithm string `json:"alg"`
	KMSKeyID  string `json:"kms,omitempty"` // as configured
	BucketKey bool   `json:"bk,omitempty"`
}

var (
	ErrSSECRequired = awserr.New("InvalidRequest", 400,
		"The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.")
	ErrSSECNotApplicable = awserr.New("InvalidRequest", 400, "The encryption parameters are not applicable to this object.")
	ErrSSECWrongKey      = awserr.New("AccessDenied", 403,
		"The provided customer key does not match the key used to encrypt the object.")
	ErrSSEMultipartMismatch = awserr.New("InvalidRequest", 400,
		"The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters.")
)

// checkCustomerKey validates SSE-C headers and returns the key.
func checkCustomerKey(c CustomerKey, copySource bool) (*seal.Key, error) {
	prefix := "x-amz-server-side-encryption-customer-"
	if copySource {
		prefix = "x-amz-copy-source-server-side-encryption-customer-"
	}
	if c.Algorithm != SSEAES256 {
		if c.Algorithm == "" {
			return nil, invalidArgument(prefix+"algorithm", "", "Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.")
		}
		return nil, invalidArgument(prefix+"algorithm", c.Algorithm, "The requested encryption algorithm is not valid, must be AES256.")
	}
	raw, err := base64.StdEncoding.DecodeString(c.Key)
	var k seal.Key
	if err != nil || len(raw) != len(k) {
		return nil, invalidArgument(prefix+"key", "", "The secret key was invalid for the specified algorithm.")
	}
	copy(k[:], raw)
	sum := md5.Sum(raw)
	if c.KeyMD5 == "" {
		return nil, invalidArgument(prefix+"key-MD5", "", "Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.")
	}
	if c.KeyMD5 != base64.StdEncoding.EncodeToString(sum[:]) {
		return nil, invalidArgument(prefix+"key-MD5", c.KeyMD5, "The calculated MD5 hash of the key did not match the hash that was provided.")
	}
	return &k, nil
}

func checkSSEAlgorithm(alg string) error {
	switch alg {
	case SSEAES256, SSEKMS, SSEKMSDSSE:
		return nil
	}
	return invalidArgument("x-amz-server-side-encryption", alg, "The encryption method specified is not supported")
}

// writeEncryption decides how a new body of bucket bk is encrypted: as the
// request asks, else as the bucket's default, else not at all. It returns
// the key-encryption key, nil for none.
func (s *Service) writeEncryption(bk *bucketRecord, sse SSE, ck CustomerKey) (encryption, *seal.Key, error) {
	if ck.given() {
		if sse.Algorithm != "" {
			return encryption{}, nil, invalidArgument("x-amz-server-side-encryption", sse.Algorithm,
				"Server Side Encryption with Customer provided key is incompatible with the encryption method specified")
		}
		k, err := checkCustomerKey(ck, false)
		if err != nil {
			return encryption{}, nil, err
		}
		return encryption{Mode: sseCustomer, KeyMD5: ck.KeyMD5}, k, nil
	}
	if sse.Algorithm == "" {
		if sse.KMSKeyID != "" || sse.Context != "" {
			return encryption{}, nil, invalidArgument("x-amz-server-side-encryption", "",
				"Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms")
		}
		d := bk.Encryption
		if d == nil {
			return encryption{}, nil, nil
		}
		sse = SSE{Algorithm: d.Algorithm, KMSKeyID: d.KMSKeyID, BucketKey: &d.BucketKey}
	}
	if err := checkSSEAlgorithm(sse.Algorithm); err != nil {
		return encryption{}, nil, err
	}
	e := encryption{Mode: sse.Algorithm}
	if sse.Algorithm == SSEAES256 {
		if sse.KMSKeyID != "" || sse.Context != "" {
			return encryption{}, nil, invalidArgument("x-amz-server-side-encryption-aws-kms-key-id", sse.KMSKeyID,
				"Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms")
		}
	} else {
		e.KMSKeyID = seal.KeyARN(sse.KMSKeyID, bk.Account, bk.Region, "alias/aws/s3")
		e.Context = sse.Context
		if e.Context != "" {
			if _, err := base64.StdEncoding.DecodeString(e.Context); err != nil {
				return encryption{}, nil, invalidArgument("x-amz-server-side-encryption-context", e.Context, "The encryption context is not valid base64")
			}
		}
		if sse.BucketKey != nil {
			e.BucketKey = *sse.BucketKey
		}
	}
	return e, s.masterKEK(e), nil
}

// masterKEK derives the key-encryption key of SSE-S3 and SSE-KMS bodies
// from the master key.
func (s *Service) masterKEK(e encryption) *seal.Key {
	label := "lakebox/sse\x00" + e.Mode + "\x00" + e.KMSKeyID + "\x00" + e.Context
	if k, ok := s.keks.Load(label); ok {
		return k.(*seal.Key)
	}
	mac := hmac.New(sha256.New, s.opts.MasterKey[:])
	mac.Write([]byte(label))
	var k seal.Key
	copy(k[:], mac.Sum(nil))
	if e.Context == "" { // contexts are the caller's to vary: only the few key ids are cached
		s.keks.Store(label, &k)
	}
	return &k
}

// readKey returns the key-encryption key for reading a body encrypted as
// e, checking the SSE-C key the request sent, if any.
func (s *Service) readKey(e encryption, ck CustomerKey, copySource bool) (*seal.Key, error) {
	if e.Mode != sseCustomer {
		if ck.given() {
			return nil, ErrSSECNotApplicable
		}
		if e.Mode == "" {
			return nil, nil
		}
		return s.masterKEK(e), nil
	}
	if !ck.given() {
		return nil, ErrSSECRequired
	}
	k, err := checkCustomerKey(ck, copySource)
	if err != nil {
		return nil, err
	}
	if ck.KeyMD5 != e.KeyMD5 {
		return nil, ErrSSECWrongKey
	}
	return k, nil
}

type PutBucketEncryptionInput struct {
	Bucket    string
	Algorithm string
	KMSKeyID  string
	BucketKey bool
}

type PutBucketEncryptionOutput struct{}

// PutBucketEncryption sets the encryption new objects get by default.
func (s *Service) PutBucketEncryption(ctx context.Context, in *PutBucketEncryptionInput) (*PutBucketEncryptionOutput, error) {
	switch in.Algorithm {
	case SSEAES256:
		if in.KMSKeyID != "" {
			return nil, invalidArgument("ApplyServerSideEncryptionByDefault", "",
				"a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse")
		}
	case SSEKMS, SSEKMSDSSE:
	default:
		return nil, ErrMalformedXML
	}
	err := s.updateBucket(ctx, "s3:PutEncryptionConfiguration", in.Bucket, func(b *bucketRecord) error {
		b.Encryption = &bucketEncryption{Algorithm: in.Algorithm, KMSKeyID: in.KMSKeyID, BucketKey: in.BucketKey}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &PutBucketEncryptionOutput{}, nil
}

type GetBucketEncryptionInput struct{ Bucket string }

type GetBucketEncryptionOutput struct {
	Algorithm string
	KMSKeyID  string
	BucketKey bool
}

func (s *Service) GetBucketEncryption(ctx context.Context, in *GetBucketEncryptionInput) (*GetBucketEncryptionOutput, error) {
	b, err := s.bucket(ctx, in.Bucket, sameRegion, "s3:GetEncryptionConfiguration", "")
	if err != nil {
		return nil, err
	}
	if b.Encryption == nil {
		return nil, ErrNoSuchEncryption.With("BucketName", in.Bucket)
	}
	e := b.Encryption
	return &GetBucketEncryptionOutput{Algorithm: e.Algorithm, KMSKeyID: e.KMSKeyID, BucketKey: e.BucketKey}, nil
}

type DeleteBucketEncryptionInput struct{ Bucket string }

type DeleteBucketEncryptionOutput struct{}

// DeleteBucketEncryption removes the default: new objects are stored
// unencrypted unless a request asks otherwise.
func (s *Service) DeleteBucketEncryption(ctx context.Context, in *DeleteBucketEncryptionInput) (*DeleteBucketEncryptionOutput, error) {
	err := s.updateBucket(ctx, "s3:PutEncryptionConfiguration", in.Bucket, func(b *bucketRecord) error {
		b.Encryption = nil
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &DeleteBucketEncryptionOutput{}, nil
}
