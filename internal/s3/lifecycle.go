package s3

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"strings"
	"time"
)

// LifecycleRule is one rule of a bucket's lifecycle configuration.
type LifecycleRule struct {
	ID      string          `json:"id"`
	Enabled bool            `json:"on"`
	Filter  LifecycleFilter `json:"filter"`
	// Expiration acts on current versions; nil for none.
	Expiration  *LifecycleExpiration  `json:"exp,omitempty"`
	Transitions []LifecycleTransition `json:"tr,omitempty"`
	// NoncurrentExpiration and NoncurrentTransitions act on noncurrent
	// versions.
	NoncurrentExpiration  *NoncurrentAction  `json:"ncexp,omitempty"`
	NoncurrentTransitions []NoncurrentAction `json:"nctr,omitempty"`
	// AbortAfterDays is AbortIncompleteMultipartUpload's
	// DaysAfterInitiation; 0 for none.
	AbortAfterDays int `json:"abort,omitempty"`
}

// LifecycleFilter selects the objects a rule applies to: every condition
// set must hold.
type LifecycleFilter struct {
	Prefix string `json:"prefix,omitempty"`
	Tags   []Tag  `json:"tags,omitempty"`
	// SizeGreaterThan and SizeLessThan are bounds in bytes; 0 for none.
	SizeGreaterThan int64 `json:"gt,omitempty"`
	SizeLessThan    int64 `json:"lt,omitempty"`
	// Form is how the filter was written, so it reads back the same:
	// FilterLegacyPrefix (the old top-level <Prefix>), FilterSingle (a
	// <Filter> with one condition or none) or FilterAnd.
	Form string `json:"form,omitempty"`
}

// Forms of a lifecycle filter.
const (
	FilterSingle       = ""
	FilterAnd          = "and"
	FilterLegacyPrefix = "prefix"
)

// LifecycleExpiration is exactly one of Days, Date or
// ExpiredObjectDeleteMarker.
type LifecycleExpiration struct {
	Days                      int       `json:"days,omitempty"`
	Date                      time.Time `json:"date,omitzero"`
	ExpiredObjectDeleteMarker bool      `json:"eodm,omitempty"`
}

// LifecycleTransition moves current versions to StorageClass after Days or
// on Date.
type LifecycleTransition struct {
	Days         int       `json:"days,omitempty"`
	Date         time.Time `json:"date,omitzero"`
	StorageClass string    `json:"class"`
}

// NoncurrentAction expires (StorageClass "") or transitions noncurrent
// versions Days after they became noncurrent, keeping the NewerVersions
// newest noncurrent versions.
type NoncurrentAction struct {
	Days          int    `json:"days"`
	NewerVersions int    `json:"newer,omitempty"`
	StorageClass  string `json:"class,omitempty"`
}

// Transition minimum object sizes (x-amz-transition-default-minimum-object-size).
const (
	MinSizeAll128K        = "all_storage_classes_128K"
	MinSizeVariesByClass  = "varies_by_storage_class"
	transitionMinimumSize = 128 << 10
)

// lifecycleConfig is a bucket's lifecycle configuration.
type lifecycleConfig struct {
	Rules   []LifecycleRule `json:"rules"`
	MinSize string          `json:"minsize,omitempty"`
}

// transitionClasses orders the storage classes lifecycle can move objects
// to, as S3's waterfall does: an object only ever moves down.
var transitionClasses = map[string]int{
	"STANDARD_IA": 1, "INTELLIGENT_TIERING": 2, "ONEZONE_IA": 3, "GLACIER_IR": 4, "GLACIER": 5, "DEEP_ARCHIVE": 6,
}

func classRank(class string) int {
	if class == "" || class == "STANDARD" || class == "REDUCED_REDUNDANCY" {
		return 0
	}
	return transitionClasses[class]
}

// infrequent reports whether class needs 30 days in the class before it.
func infrequent(class string) bool { return class == "STANDARD_IA" || class == "ONEZONE_IA" }

func lifecycleInvalid(format string, args ...any) error {
	return ErrInvalidArgument.WithMessage(format, args...)
}

func lifecycleInvalidRequest(format string, args ...any) error {
	return ErrInvalidRequest.WithMessage(format, args...)
}

// validate applies S3's rules to a lifecycle configuration, filling in rule
// IDs that were left out.
func (c *lifecycleConfig) validate() error {
	switch c.MinSize {
	case "", MinSizeAll128K, MinSizeVariesByClass:
	default:
		return invalidArgument("x-amz-transition-default-minimum-object-size", c.MinSize, "Invalid transition default minimum object size")
	}
	if len(c.Rules) == 0 || len(c.Rules) > 1000 {
		return ErrMalformedXML
	}
	ids := map[string]bool{}
	for i := range c.Rules {
		r := &c.Rules[i]
		if r.ID == "" {
			r.ID = newConfigID()
		}
		if len(r.ID) > 255 {
			return lifecycleInvalid("ID length should not exceed allowed limit of 255")
		}
		if ids[r.ID] {
			return lifecycleInvalid("Rule ID must be unique. Found same ID for more than one rule")
		}
		ids[r.ID] = true
		if err := r.validate(); err != nil {
			return err
		}
	}
	return nil
}

// newConfigID names a rule or configuration the caller left unnamed, as S3
// does: a random string.
func newConfigID() string {
	var b [20]byte
	rand.Read(b[:])
	return strings.TrimRight(base32.StdEncoding.EncodeToString(b[:]), "=")
}

func (r *LifecycleRule) validate() error {
	f := r.Filter
	if f.SizeGreaterThan < 0 || f.SizeLessThan < 0 {
		return lifecycleInvalid("Object size must be a non-negative number")
	}
	if f.SizeGreaterThan > 0 && f.SizeLessThan > 0 && f.SizeGreaterThan >= f.SizeLessThan {
		return lifecycleInvalid("ObjectSizeGreaterThan must be less than ObjectSizeLessThan")
	}
	if err := checkTags(f.Tags, MaxObjectTags, "Object"); err != nil {
		return err
	}
	if r.Expiration == nil && len(r.Transitions) == 0 && r.NoncurrentExpiration == nil &&
		len(r.NoncurrentTransitions) == 0 && r.AbortAfterDays == 0 {
		return lifecycleInvalidRequest("At least one action needs to be specified in a rule")
	}
	if e := r.Expiration; e != nil {
		set := 0
		for _, b := range []bool{e.Days != 0, !e.Date.IsZero(), e.ExpiredObjectDeleteMarker} {
			if b {
				set++
			}
		}
		if set != 1 {
			return ErrMalformedXML
		}
		if e.Days < 0 {
			return lifecycleInvalid("'Days' for Expiration action must be a positive integer")
		}
		if err := midnight(e.Date); err != nil {
			return err
		}
		if e.ExpiredObjectDeleteMarker && (len(f.Tags) > 0 || f.SizeGreaterThan > 0 || f.SizeLessThan > 0) {
			return lifecycleInvalid("ExpiredObjectDeleteMarker cannot be specified with tags or object size filters")
		}
	}
	if err := r.validateTransitions(); err != nil {
		return err
	}
	if e := r.NoncurrentExpiration; e != nil {
		if e.Days <= 0 {
			return lifecycleInvalid("'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer")
		}
		if e.NewerVersions < 0 || e.NewerVersions > 100 {
			return lifecycleInvalid("'NewerNoncurrentVersions' must be between 1 and 100")
		}
	}
	if r.AbortAfterDays < 0 {
		return lifecycleInvalid("'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer")
	}
	if r.AbortAfterDays > 0 && (len(f.Tags) > 0 || f.SizeGreaterThan > 0 || f.SizeLessThan > 0) {
		return lifecycleInvalidRequest("AbortIncompleteMultipartUpload cannot be specified with tags or object size filters")
	}
	return nil
}

// validateTransitions checks the transitions of current and of noncurrent
// versions: known target classes, each at most once, 30 days before the
// infrequent-access classes, later classes later, and expiration after
// all of them.
func (r *LifecycleRule) validateTransitions() error {
	seen := map[string]bool{}
	byDate, byDays := false, false
	for _, t := range r.Transitions {
		if classRank(t.StorageClass) == 0 {
			return ErrInvalidStorageClass
		}
		if seen[t.StorageClass] {
			return lifecycleInvalid("'StorageClass' must be different for 'Transition' actions in same 'Rule' with filter")
		}
		seen[t.StorageClass] = true
		if t.Days < 0 {
			return lifecycleInvalid("'Days' in Transition action must be nonnegative")
		}
		if t.Date.IsZero() {
			byDays = true
		} else {
			byDate = true
			if err := midnight(t.Date); err != nil {
				return err
			}
		}
		if infrequent(t.StorageClass) && t.Date.IsZero() && t.Days < 30 {
			return lifecycleInvalid("'Days' in Transition action must be greater than or equal to 30 for storageClass '%s'", t.StorageClass)
		}
	}
	if byDate && byDays {
		return lifecycleInvalid("Found mixed 'Date' and 'Days' based Transition actions in lifecycle rule")
	}
	if err := checkWaterfall(r.Transitions, func(t LifecycleTransition) (string, int) { return t.StorageClass, t.Days }); err != nil {
		return err
	}
	if e := r.Expiration; e != nil && e.Days > 0 {
		for _, t := range r.Transitions {
			if t.Date.IsZero() && e.Days <= t.Days {
				return lifecycleInvalid("'Days' in the Expiration action must be greater than 'Days' in the Transition action")
			}
		}
	}
	seen = map[string]bool{}
	for _, t := range r.NoncurrentTransitions {
		if classRank(t.StorageClass) == 0 {
			return ErrInvalidStorageClass
		}
		if seen[t.StorageClass] {
			return lifecycleInvalid("'StorageClass' must be different for 'NoncurrentVersionTransition' actions in same 'Rule' with filter")
		}
		seen[t.StorageClass] = true
		if t.Days < 0 {
			return lifecycleInvalid("'NoncurrentDays' in NoncurrentVersionTransition action must be nonnegative")
		}
		if infrequent(t.StorageClass) && t.Days < 30 {
			return lifecycleInvalid("'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to 30 for storageClass '%s'", t.StorageClass)
		}
		if t.NewerVersions < 0 || t.NewerVersions > 100 {
			return lifecycleInvalid("'NewerNoncurrentVersions' must be between 1 and 100")
		}
	}
	if err := checkWaterfall(r.NoncurrentTransitions, func(t NoncurrentAction) (string, int) { return t.StorageClass, t.Days }); err != nil {
		return err
	}
	if e := r.NoncurrentExpiration; e != nil {
		for _, t := range r.NoncurrentTransitions {
			if e.Days <= t.Days {
				return lifecycleInvalid("'NoncurrentDays' in the NoncurrentVersionExpiration action must be greater than 'NoncurrentDays' in the NoncurrentVersionTransition action")
			}
		}
	}
	return nil
}

// checkWaterfall requires transitions to colder classes to come later, and
// an object to spend 30 days in an infrequent-access class before it moves
// on from it.
func checkWaterfall[T any](ts []T, get func(T) (string, int)) error {
	for _, a := range ts {
		ca, da := get(a)
		for _, b := range ts {
			cb, db := get(b)
			if classRank(cb) <= classRank(ca) {
				continue
			}
			if db < da {
				return lifecycleInvalid("'Days' in Transition action for StorageClass '%s' must be greater than for StorageClass '%s'", cb, ca)
			}
			if infrequent(ca) && db-da < 30 && db != 0 {
				return lifecycleInvalid("'Days' in Transition action for StorageClass '%s' must be at least 30 days more than for StorageClass '%s'", cb, ca)
			}
		}
	}
	return nil
}

// midnight requires a lifecycle date to be midnight UTC.
func midnight(t time.Time) error {
	if t.IsZero() {
		return nil
	}
	if t.UTC() != t.UTC().Truncate(24*time.Hour) {
		return lifecycleInvalid("'Date' must be at midnight GMT")
	}
	return nil
}

type PutBucketLifecycleInput struct {
	Bucket string
	Rules  []LifecycleRule
	// MinSize is x-amz-transition-default-minimum-object-size.
	MinSize string
}

type PutBucketLifecycleOutput struct{ MinSize string }

// PutBucketLifecycle replaces a bucket's lifecycle configuration.
func (s *Service) PutBucketLifecycle(ctx context.Context, in *PutBucketLifecycleInput) (*PutBucketLifecycleOutput, error) {
	cfg := &lifecycleConfig{Rules: in.Rules, MinSize: in.MinSize}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if cfg.MinSize == "" {
		cfg.MinSize = MinSizeAll128K
	}
	err := s.updateBucket(ctx, "s3:PutLifecycleConfiguration", in.Bucket, func(b *bucketRecord) error {
		b.Lifecycle = cfg
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &PutBucketLifecycleOutput{MinSize: cfg.MinSize}, nil
}

type GetBucketLifecycleInput struct{ Bucket string }

type GetBucketLifecycleOutput struct {
	Rules   []LifecycleRule
	MinSize string
}

func (s *Service) GetBucketLifecycle(ctx context.Context, in *GetBucketLifecycleInput) (*GetBucketLifecycleOutput, error) {
	b, err := s.bucket(ctx, in.Bucket, sameRegion, "s3:GetLifecycleConfiguration", "")
	if err != nil {
		return nil, err
	}
	if b.Lifecycle == nil {
		return nil, ErrNoSuchLifecycle.With("BucketName", in.Bucket)
	}
	return &GetBucketLifecycleOutput{Rules: b.Lifecycle.Rules, MinSize: b.Lifecycle.MinSize}, nil
}

type DeleteBucketLifecycleInput struct{ Bucket string }

type DeleteBucketLifecycleOutput struct{}

func (s *Service) DeleteBucketLifecycle(ctx context.Context, in *DeleteBucketLifecycleInput) (*DeleteBucketLifecycleOutput, error) {
	err := s.updateBucket(ctx, "s3:PutLifecycleConfiguration", in.Bucket, func(b *bucketRecord) error {
		b.Lifecycle = nil
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &DeleteBucketLifecycleOutput{}, nil
}
