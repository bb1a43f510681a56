package s3

import (
	"context"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// Object Lock keeps versions from being deleted or changed (WORM): a
// version under retention cannot be deleted before its retain-until date
// (in GOVERNANCE mode unless the caller bypasses governance), nor while a
// legal hold is on. Only versions are protected: a DELETE without a version
// id still adds a delete marker, as on AWS.

// Retention modes.
const (
	LockGovernance = "GOVERNANCE"
	LockCompliance = "COMPLIANCE"
)

// objectLock is the lock state of one version.
type objectLock struct {
	Mode      string    `json:"mode,omitempty"`
	Until     time.Time `json:"until,omitzero"`
	LegalHold bool      `json:"hold,omitempty"`
}

// LockConfig is a bucket's Object Lock configuration: enabled, and the
// default retention new versions get (Mode "" for none).
type LockConfig struct {
	Mode  string `json:"mode,omitempty"`
	Days  int    `json:"days,omitempty"`
	Years int    `json:"years,omitempty"`
}

var (
	ErrObjectLocked = awserr.New("AccessDenied", 403, "Access Denied because object protected by object lock.")
	ErrLockDisabled = awserr.New("InvalidRequest", 400, "Bucket is missing Object Lock Configuration")
	ErrNoRetention  = awserr.New("NoSuchObjectLockConfiguration", 404, "The specified object does not have a ObjectLock configuration")
	ErrLockVersions = awserr.New("InvalidBucketState", 409, "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.")
)

func checkMode(mode string) error {
	if mode != LockGovernance && mode != LockCompliance {
		return ErrMalformedXML
	}
	return nil
}

// lockFor returns the lock a new version of a bucket gets: the request's
// own settings, else the bucket's default retention.
func (b *bucketRecord) lockFor(req objectLock, now time.Time) (objectLock, error) {
	if req == (objectLock{}) {
		if b.Lock == nil || b.Lock.Mode == "" {
			return objectLock{}, nil
		}
		d := b.Lock
		return objectLock{Mode: d.Mode, Until: now.AddDate(d.Years, 0, d.Days)}, nil
	}
	if b.Lock == nil {
		return objectLock{}, ErrLockDisabled
	}
	if (req.Mode == "") != req.Until.IsZero() {
		return objectLock{}, ErrInvalidArgument.WithMessage("x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied")
	}
	if req.Mode != "" {
		if err := checkMode(req.Mode); err != nil {
			return objectLock{}, invalidArgument("x-amz-object-lock-mode", req.Mode, "Unknown wormMode directive.")
		}
		if !req.Until.After(now) {
			return objectLock{}, invalidArgument("x-amz-object-lock-retain-until-date", req.Until.Format(time.RFC3339), "The retain until date must be in the future!")
		}
	}
	return req, nil
}

// protects reports why a version may not be deleted now, or nil.
func (l objectLock) protects(now time.Time, bypassGovernance bool) error {
	if l.LegalHold {
		return ErrObjectLocked
	}
	if l.Mode != "" && now.Before(l.Until) && !(l.Mode == LockGovernance && bypassGovernance) {
		return ErrObjectLocked
	}
	return nil
}

type PutObjectLockConfigInput struct {
	Bucket string
	// Default is the default retention; Mode "" for none.
	Default LockConfig
}

// PutObjectLockConfig enables Object Lock on a versioned bucket and sets
// its default retention.
func (s *Service) PutObjectLockConfig(ctx context.Context, in *PutObjectLockConfigInput) error {
	d := in.Default
	if d.Mode != "" {
		if err := checkMode(d.Mode); err != nil {
			return err
		}
		if d.Days < 0 || d.Years < 0 {
			return ErrInvalidArgument.WithMessage("Default retention period must be a positive integer value.")
		}
		if (d.Days > 0) == (d.Years > 0) {
			return ErrMalformedXML
		}
	} else if d.Days != 0 || d.Years != 0 {
		return ErrMalformedXML
	}
	return s.updateBucket(ctx, "s3:PutBucketObjectLockConfiguration", in.Bucket, func(b *bucketRecord) error {
		if b.Versioning != VersioningEnabled {
			return awserr.New("InvalidBucketState", 409, "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration")
		}
		b.Lock = &d
		return nil
	})
}

func (s *Service) GetObjectLockConfig(ctx context.Context, bucket string) (*LockConfig, error) {
	b, err := s.bucket(ctx, bucket, sameRegion, "s3:GetBucketObjectLockConfiguration", "")
	if err != nil {
		return nil, err
	}
	if b.Lock == nil {
		return nil, ErrNoSuchObjectLock.With("BucketName", bucket)
	}
	c := *b.Lock
	return &c, nil
}

// ObjectLockInfo is a version's lock state as responses report it.
type ObjectLockInfo struct {
	Mode      string
	Until     time.Time
	LegalHold string // "ON", "OFF", or "" when never set
}

type PutObjectRetentionInput struct {
	Bucket, Key, VersionID string
	Mode                   string
	Until                  time.Time
	// BypassGovernance is x-amz-bypass-governance-retention.
	BypassGovernance bool
}

// PutObjectRetention sets a version's retention. COMPLIANCE retention can
// only be extended; GOVERNANCE retention can be shortened or removed only
// when bypassing governance.
func (s *Service) PutObjectRetention(ctx context.Context, in *PutObjectRetentionInput) (string, error) {
	if in.Mode != "" {
		if err := checkMode(in.Mode); err != nil {
			return "", err
		}
	}
	return s.updateLock(ctx, "s3:PutObjectRetention", in.Bucket, in.Key, in.VersionID, func(l *objectLock, now time.Time) error {
		shorter := in.Mode == "" || in.Until.Before(l.Until) || in.Mode == LockGovernance && l.Mode == LockCompliance
		if l.Mode != "" && now.Before(l.Until) && shorter {
			if l.Mode == LockCompliance || !in.BypassGovernance {
				return ErrObjectLocked
			}
		}
		if in.Mode != "" && !in.Until.After(now) {
			return ErrInvalidArgument.WithMessage("The retain until date must be in the future!")
		}
		l.Mode, l.Until = in.Mode, in.Until
		return nil
	})
}

// PutObjectLegalHold turns a version's legal hold on or off.
func (s *Service) PutObjectLegalHold(ctx context.Context, bucket, key, versionID string, on bool) (string, error) {
	return s.updateLock(ctx, "s3:PutObjectLegalHold", bucket, key, versionID, func(l *objectLock, _ time.Time) error {
		l.LegalHold = on
		return nil
	})
}

// GetObjectLock returns a version's lock state.
func (s *Service) GetObjectLock(ctx context.Context, bucket, key, versionID string) (*ObjectLockInfo, error) {
	bk, id, byVersion, err := s.objectVersionAccess(ctx, "s3:GetObjectRetention", bucket, key, versionID)
	if err != nil {
		return nil, err
	}
	if bk.Lock == nil {
		return nil, ErrLockDisabled
	}
	o, err := s.readVersion(bk, key, id, byVersion)
	if err != nil {
		return nil, err
	}
	return o.Lock.info(), nil
}

func (l objectLock) info() *ObjectLockInfo {
	info := &ObjectLockInfo{Mode: l.Mode, Until: l.Until}
	switch {
	case l.LegalHold:
		info.LegalHold = "ON"
	case l != objectLock{}:
		info.LegalHold = "OFF"
	}
	return info
}

// updateLock changes a version's lock under the key lock.
func (s *Service) updateLock(ctx context.Context, action, bucket, key, versionID string, fn func(*objectLock, time.Time) error) (string, error) {
	return s.updateObject(ctx, action, bucket, key, versionID, func(bk *bucketRecord, o *objectRecord) error {
		if bk.Lock == nil {
			return ErrLockDisabled
		}
		return fn(&o.Lock, s.clock.Now())
	})
}
