package s3

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// OwnerID returns the canonical user id S3 reports for an account.
func OwnerID(account string) string {
	sum := sha256.Sum256([]byte("lakebox-canonical-user:" + account))
	return hex.EncodeToString(sum[:])
}

// Owner is a bucket's or object's owner as S3 reports it.
type Owner struct {
	ID          string
	DisplayName string
}

// OwnerOf returns the owner S3 reports for an account.
func OwnerOf(account string) Owner { return Owner{ID: OwnerID(account), DisplayName: account} }

type CreateBucketInput struct {
	Bucket string
	// LocationConstraint is the region asked for in the request body.
	LocationConstraint string
	// ACL is the canned ACL (x-amz-acl), if any.
	ACL string
	// ObjectOwnership is x-amz-object-ownership, if any.
	ObjectOwnership string
	// Tags are the CreateBucketConfiguration's tags.
	Tags []Tag
	// ObjectLock is x-amz-bucket-object-lock-enabled: the bucket is
	// versioned and takes Object Lock settings.
	ObjectLock bool
}

type CreateBucketOutput struct {
	Location string
	ARN      string
}

// BucketARN is a general purpose bucket's ARN.
func BucketARN(bucket string) string { return "arn:aws:s3:::" + bucket }

// CreateBucket creates a bucket in the region the request was signed for, or
// in LocationConstraint when signed for us-east-1 (S3's global endpoint).
func (s *Service) CreateBucket(ctx context.Context, in *CreateBucketInput) (*CreateBucketOutput, error) {
	id := auth.FromContext(ctx)
	if id.Anonymous {
		return nil, ErrAccessDenied
	}
	if err := checkBucketName(in.Bucket); err != nil {
		return nil, err
	}
	region, err := bucketRegion(id.Region, in.LocationConstraint)
	if err != nil {
		return nil, err
	}
	switch in.ObjectOwnership {
	case "", "BucketOwnerEnforced":
	case "BucketOwnerPreferred", "ObjectWriter":
		return nil, awserr.NotImplemented("Object ownership " + in.ObjectOwnership + " (ACLs)")
	default:
		return nil, invalidArgument("x-amz-object-ownership", in.ObjectOwnership, "Invalid x-amz-object-ownership header: %s", in.ObjectOwnership)
	}
	if err := checkTags(in.Tags, MaxBucketTags, "Bucket"); err != nil {
		return nil, err
	}
	if in.ACL != "" && in.ACL != "private" {
		return nil, awserr.New("InvalidBucketAclWithObjectOwnership", 400, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
	}

	mu := s.bucketLock(in.Bucket)
	mu.Lock()
	defer mu.Unlock()
	existing, err := s.loadBucket(in.Bucket)
	switch {
	case err == nil && existing.Account != id.Account:
		return nil, ErrBucketAlreadyExists.With("BucketName", in.Bucket)
	case err == nil && existing.Region == "us-east-1" && region == "us-east-1":
		// S3's legacy us-east-1 behaviour: re-creating your own bucket succeeds.
		return &CreateBucketOutput{Location: "/" + in.Bucket, ARN: BucketARN(in.Bucket)}, nil
	case err == nil:
		return nil, ErrBucketAlreadyOwnedByYou.With("BucketName", in.Bucket)
	case !isCode(err, "NoSuchBucket"):
		return nil, err
	}
	rec := &bucketRecord{Name: in.Bucket, Account: id.Account, Region: region, Created: s.clock.Now().Truncate(time.Millisecond), Tags: in.Tags}
	if in.ObjectLock {
		rec.Versioning, rec.Lock = VersioningEnabled, &LockConfig{}
	}
	if err := s.putBucket(rec); err != nil {
		return nil, err
	}
	return &CreateBucketOutput{Location: "/" + in.Bucket, ARN: BucketARN(in.Bucket)}, nil
}

// bucketRegion decides where a new bucket lives, with S3's rules for the
// location constraint against the signing region.
func bucketRegion(signing, constraint string) (string, error) {
	if signing == "" {
		signing = "us-east-1"
	}
	if constraint == "EU" {
		constraint = "eu-west-1"
	}
	switch {
	case constraint == "":
		if signing != "us-east-1" {
			return "", ErrIllegalLocationConstraint
		}
		return signing, nil
	case constraint == "us-east-1" || !ValidRegion(constraint):
		return "", ErrInvalidLocationConstraint.With("LocationConstraint", constraint)
	case signing != "us-east-1" && signing != constraint:
		return "", ErrIllegalLocationConstraint.WithMessage("The %s location constraint is incompatible for the region specific endpoint this request was sent to.", constraint)
	}
	return constraint, nil
}

type HeadBucketInput struct{ Bucket string }

type HeadBucketOutput struct{ Region string }

func (s *Service) HeadBucket(ctx context.Context, in *HeadBucketInput) (*HeadBucketOutput, error) {
	b, err := s.bucket(ctx, in.Bucket, sameRegion, "s3:ListBucket", "")
	if err != nil {
		return nil, err
	}
	return &HeadBucketOutput{Region: b.Region}, nil
}

type DeleteBucketInput struct{ Bucket string }

type DeleteBucketOutput struct{}

// DeleteBucket deletes an empty bucket, aborting any multipart uploads left
// in it.
func (s *Service) DeleteBucket(ctx context.Context, in *DeleteBucketInput) (*DeleteBucketOutput, error) {
	if _, err := s.bucket(ctx, in.Bucket, sameRegion, "s3:DeleteBucket", ""); err != nil {
		return nil, err
	}
	mu := s.bucketLock(in.Bucket)
	mu.Lock()
	defer mu.Unlock()
	if _, err := s.loadBucket(in.Bucket); err != nil {
		return nil, err // deleted meanwhile
	}
	empty, err := s.isEmpty(objectPrefix(in.Bucket))
	if err == nil && empty {
		empty, err = s.isEmpty(versionsPrefix(in.Bucket))
	}
	if err != nil {
		return nil, err
	}
	if !empty {
		e := ErrBucketNotEmpty.With("BucketName", in.Bucket)
		if b, _ := s.loadBucket(in.Bucket); b != nil && b.Versioning != "" {
			e = e.WithMessage("The bucket you tried to delete is not empty. You must delete all versions in the bucket.")
		}
		return nil, e
	}
	uploads, err := s.scanUploads(in.Bucket)
	if err != nil {
		return nil, err
	}
	b := s.db.NewBatch()
	var after []func()
	for _, u := range uploads {
		fns, err := s.dropUpload(b, u)
		if err != nil {
			b.Close()
			return nil, err
		}
		after = append(after, fns...)
	}
	b.Delete(bucketKey(in.Bucket))
	if err := b.Commit(); err != nil {
		return nil, err
	}
	s.bucketsMu.Lock()
	delete(s.buckets, in.Bucket)
	s.bucketsMu.Unlock()
	for _, f := range after {
		f()
	}
	return &DeleteBucketOutput{}, nil
}

func (s *Service) isEmpty(prefix []byte) (bool, error) {
	it, err := s.db.NewIter(prefix, prefixEnd(prefix))
	if err != nil {
		return false, err
	}
	found := it.First()
	return !found, it.Close()
}

type ListBucketsInput struct {
	Prefix            string
	BucketRegion      string
	MaxBuckets        int // 0: no limit
	ContinuationToken string
}

type BucketInfo struct {
	Name    string
	Created time.Time
	Region  string
}

type ListBucketsOutput struct {
	Buckets           []BucketInfo
	Owner             Owner
	Prefix            string
	ContinuationToken string
}

// ListBuckets lists the caller's buckets in every region, by name.
func (s *Service) ListBuckets(ctx context.Context, in *ListBucketsInput) (_ *ListBucketsOutput, err error) {
	id := auth.FromContext(ctx)
	if id.Anonymous {
		return nil, ErrAccessDenied
	}
	if in.MaxBuckets < 0 || in.MaxBuckets > 10000 {
		return nil, invalidArgument("max-buckets", itoa(in.MaxBuckets), "Argument max-buckets must be an integer between 1 and 10000")
	}
	start := []byte(prefixBucket + in.Prefix)
	if in.ContinuationToken != "" {
		after, err := base64.RawURLEncoding.DecodeString(in.ContinuationToken)
		if err != nil {
			return nil, invalidArgument("continuation-token", in.ContinuationToken, "The continuation token provided is incorrect")
		}
		start = append([]byte(prefixBucket+string(after)), 0)
	}
	it, err := s.db.NewIter(start, prefixEnd([]byte(prefixBucket+in.Prefix)))
	if err != nil {
		return nil, err
	}
	defer closeIter(it, &err)
	out := &ListBucketsOutput{Owner: OwnerOf(id.Account), Prefix: in.Prefix}
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			return nil, err
		}
		var b bucketRecord
		if err := decode(v, &b); err != nil {
			return nil, err
		}
		if b.Account != id.Account || (in.BucketRegion != "" && b.Region != in.BucketRegion) {
			continue
		}
		if in.MaxBuckets > 0 && len(out.Buckets) == in.MaxBuckets {
			out.ContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(out.Buckets[len(out.Buckets)-1].Name))
			break
		}
		out.Buckets = append(out.Buckets, BucketInfo{Name: b.Name, Created: b.Created, Region: b.Region})
	}
	return out, nil
}

type GetBucketLocationInput struct{ Bucket string }

type GetBucketLocationOutput struct {
	// LocationConstraint is empty for us-east-1, as S3 reports it.
	LocationConstraint string
}

func (s *Service) GetBucketLocation(ctx context.Context, in *GetBucketLocationInput) (*GetBucketLocationOutput, error) {
	b, err := s.bucket(ctx, in.Bucket, anyRegion, "s3:GetBucketLocation", "")
	if err != nil {
		return nil, err
	}
	if b.Region == "us-east-1" {
		return &GetBucketLocationOutput{}, nil
	}
	return &GetBucketLocationOutput{LocationConstraint: b.Region}, nil
}

// updateBucket applies fn to a bucket record under the bucket's lock and
// commits it.
func (s *Service) updateBucket(ctx context.Context, action, name string, fn func(*bucketRecord) error) error {
	if _, err := s.bucket(ctx, name, sameRegion, action, ""); err != nil {
		return err
	}
	mu := s.bucketLock(name)
	mu.Lock()
	defer mu.Unlock()
	cur, err := s.loadBucket(name)
	if err != nil {
		return err
	}
	b := *cur
	if err := fn(&b); err != nil {
		return err
	}
	return s.putBucket(&b)
}

func itoa(n int) string { return i64toa(int64(n)) }

// cleanETag strips the quotes and weak prefix from an ETag a client sent.
func cleanETag(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "W/")
	return strings.Trim(s, `"`)
}
