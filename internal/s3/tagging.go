package s3

import (
	"context"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// Tag is one key/value tag of an object or a bucket.
type Tag struct {
	Key   string `json:"k"`
	Value string `json:"v"`
}

// ParseTagging parses the x-amz-tagging header: URL-query-encoded
// "k1=v1&k2=v2", in order.
func ParseTagging(s string) ([]Tag, error) {
	if s == "" {
		return nil, nil
	}
	var tags []Tag
	for part := range strings.SplitSeq(s, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		key, err1 := url.QueryUnescape(k)
		value, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			return nil, invalidArgument("x-amz-tagging", s, "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.")
		}
		tags = append(tags, Tag{key, value})
	}
	return tags, nil
}

// checkTags validates a tag set against S3's rules.
func checkTags(tags []Tag, max int, what string) error {
	if len(tags) > max {
		return awserr.Newf("BadRequest", 400, "%s tags cannot be greater than %d", what, max)
	}
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		switch {
		case seen[t.Key]:
			return ErrInvalidTag.WithMessage("Cannot provide multiple Tags with the same key")
		case t.Key == "" || !validTagText(t.Key):
			return ErrInvalidTag.WithMessage("The TagKey you have provided is invalid")
		case utf8.RuneCountInString(t.Key) > 128:
			return ErrInvalidTag.WithMessage("The TagKey you have provided is too long, max 128")
		case !validTagText(t.Value):
			return ErrInvalidTag.WithMessage("The TagValue you have provided is invalid")
		case utf8.RuneCountInString(t.Value) > 256:
			return ErrInvalidTag.WithMessage("The TagValue you have provided is too long, max 256")
		case strings.HasPrefix(strings.ToLower(t.Key), "aws:"):
			return ErrInvalidTag.WithMessage("Your TagKey cannot be prefixed with aws:")
		}
		seen[t.Key] = true
	}
	return nil
}

// validTagText allows letters, digits, spaces and + - = . _ : / @, as S3 does.
func validTagText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsSpace(r) && !strings.ContainsRune("+-=._:/@", r) {
			return false
		}
	}
	return true
}

type PutObjectTaggingInput struct {
	Bucket, Key, VersionID string
	Tags                   []Tag
}

type PutObjectTaggingOutput struct{ VersionID string }

func (s *Service) PutObjectTagging(ctx context.Context, in *PutObjectTaggingInput) (*PutObjectTaggingOutput, error) {
	if err := checkTags(in.Tags, MaxObjectTags, "Object"); err != nil {
		return nil, err
	}
	v, err := s.updateObject(ctx, "s3:PutObjectTagging", in.Bucket, in.Key, in.VersionID, func(_ *bucketRecord, o *objectRecord) error {
		o.Tags = in.Tags
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &PutObjectTaggingOutput{VersionID: v}, nil
}

type GetObjectTaggingInput struct{ Bucket, Key, VersionID string }

type GetObjectTaggingOutput struct {
	Tags      []Tag
	VersionID string
}

func (s *Service) GetObjectTagging(ctx context.Context, in *GetObjectTaggingInput) (*GetObjectTaggingOutput, error) {
	bk, id, byVersion, err := s.objectVersionAccess(ctx, "s3:GetObjectTagging", in.Bucket, in.Key, in.VersionID)
	if err != nil {
		return nil, err
	}
	o, err := s.readVersion(bk, in.Key, id, byVersion)
	if err != nil {
		return nil, err
	}
	return &GetObjectTaggingOutput{Tags: o.Tags, VersionID: wireVersion(bk, o)}, nil
}

type DeleteObjectTaggingInput struct{ Bucket, Key, VersionID string }

type DeleteObjectTaggingOutput struct{ VersionID string }

func (s *Service) DeleteObjectTagging(ctx context.Context, in *DeleteObjectTaggingInput) (*DeleteObjectTaggingOutput, error) {
	v, err := s.updateObject(ctx, "s3:DeleteObjectTagging", in.Bucket, in.Key, in.VersionID, func(_ *bucketRecord, o *objectRecord) error {
		o.Tags = nil
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &DeleteObjectTaggingOutput{VersionID: v}, nil
}

// objectVersionAccess checks access to an object, or to one of its
// versions (the action's "Version" form), and parses the version id.
func (s *Service) objectVersionAccess(ctx context.Context, action, bucket, key, versionID string) (bk *bucketRecord, id string, byVersion bool, err error) {
	if versionID != "" {
		action = strings.Replace(action, "Object", "ObjectVersion", 1)
	}
	if bk, err = s.bucket(ctx, bucket, sameRegion, action, key); err != nil {
		return nil, "", false, err
	}
	id, byVersion, err = parseVersionID(versionID)
	return bk, id, byVersion, err
}

// updateObject changes a version's record in place (not its body) under
// the key lock, and returns its x-amz-version-id.
func (s *Service) updateObject(ctx context.Context, action, bucket, key, versionID string, fn func(*bucketRecord, *objectRecord) error) (string, error) {
	bk, id, byVersion, err := s.objectVersionAccess(ctx, action, bucket, key, versionID)
	if err != nil {
		return "", err
	}
	unlock := s.lockKeys(bucket, key)
	defer unlock()
	var v version
	if byVersion {
		v, err = s.findVersion(bucket, key, id)
	} else {
		v.current = true
		v.rec, err = s.loadObject(bucket, key)
	}
	if err != nil {
		return "", err
	}
	if v.rec.DeleteMarker {
		return "", deleteMarkerError(bk, key, v.rec, byVersion)
	}
	if err := fn(bk, v.rec); err != nil {
		return "", err
	}
	b := s.db.NewBatch()
	if v.current {
		b.Set(objectKey(bucket, key), v.rec.marshal())
	} else {
		b.Set(versionKey(bucket, key, v.rec.order()), v.rec.marshal())
	}
	return wireVersion(bk, v.rec), b.Commit()
}

type PutBucketTaggingInput struct {
	Bucket string
	Tags   []Tag
}

type PutBucketTaggingOutput struct{}

func (s *Service) PutBucketTagging(ctx context.Context, in *PutBucketTaggingInput) (*PutBucketTaggingOutput, error) {
	if err := checkTags(in.Tags, MaxBucketTags, "Bucket"); err != nil {
		return nil, err
	}
	if err := s.updateBucket(ctx, "s3:PutBucketTagging", in.Bucket, func(b *bucketRecord) error { b.Tags = in.Tags; return nil }); err != nil {
		return nil, err
	}
	return &PutBucketTaggingOutput{}, nil
}

type GetBucketTaggingInput struct{ Bucket string }

type GetBucketTaggingOutput struct{ Tags []Tag }

func (s *Service) GetBucketTagging(ctx context.Context, in *GetBucketTaggingInput) (*GetBucketTaggingOutput, error) {
	b, err := s.bucket(ctx, in.Bucket, sameRegion, "s3:GetBucketTagging", "")
	if err != nil {
		return nil, err
	}
	if len(b.Tags) == 0 {
		return nil, ErrNoSuchTagSet.With("BucketName", in.Bucket)
	}
	return &GetBucketTaggingOutput{Tags: b.Tags}, nil
}

type DeleteBucketTaggingInput struct{ Bucket string }

type DeleteBucketTaggingOutput struct{}

func (s *Service) DeleteBucketTagging(ctx context.Context, in *DeleteBucketTaggingInput) (*DeleteBucketTaggingOutput, error) {
	if err := s.updateBucket(ctx, "s3:PutBucketTagging", in.Bucket, func(b *bucketRecord) error { b.Tags = nil; return nil }); err != nil {
		return nil, err
	}
	return &DeleteBucketTaggingOutput{}, nil
}
