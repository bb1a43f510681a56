package s3

import (
	"context"
	"time"
)

// S3 Intelligent-Tiering moves INTELLIGENT_TIERING objects between access
// tiers by how long ago they were last read: Frequent, Infrequent after 30
// days, Archive Instant after 90, and, when a bucket configuration opts in,
// Archive Access and Deep Archive Access after its days, where reads wait
// for a restore. Lakebox computes an object's tier from its last access on
// the server clock whenever it is asked, so tiers move with the clock and
// cost nothing until then.

// Access tiers.
const (
	TierFrequent          = "FREQUENT"
	TierInfrequent        = "INFREQUENT"
	TierArchiveInstant    = "ARCHIVE_INSTANT"
	TierArchiveAccess     = "ARCHIVE_ACCESS"
	TierDeepArchiveAccess = "DEEP_ARCHIVE_ACCESS"
)

// TieringConfig is a bucket's Intelligent-Tiering configuration.
type TieringConfig struct {
	ID       string          `json:"id"`
	Enabled  bool            `json:"on"`
	Filter   LifecycleFilter `json:"filter"` // Prefix and Tags only
	Tierings []Tiering       `json:"tierings"`
}

// Tiering moves objects unread for Days into an archive access tier.
type Tiering struct {
	Days       int    `json:"days"`
	AccessTier string `json:"tier"` // TierArchiveAccess or TierDeepArchiveAccess
}

func (c *TieringConfig) validate() error {
	if c.ID == "" || len(c.ID) > 64 {
		return lifecycleInvalid("The configuration ID must be 1 to 64 characters")
	}
	if len(c.Tierings) == 0 || len(c.Tierings) > 2 {
		return ErrMalformedXML
	}
	days := map[string]int{}
	for _, t := range c.Tierings {
		lo := map[string]int{TierArchiveAccess: 90, TierDeepArchiveAccess: 180}[t.AccessTier]
		if lo == 0 {
			return ErrMalformedXML
		}
		if _, dup := days[t.AccessTier]; dup {
			return lifecycleInvalid("There can only be one tiering per access tier")
		}
		if t.Days < lo || t.Days > 730 {
			return lifecycleInvalid("The number of days for %s must be between %d and 730", t.AccessTier, lo)
		}
		days[t.AccessTier] = t.Days
	}
	if a, d := days[TierArchiveAccess], days[TierDeepArchiveAccess]; a > 0 && d > 0 && d <= a {
		return lifecycleInvalid("The number of days for DEEP_ARCHIVE_ACCESS must be greater than for ARCHIVE_ACCESS")
	}
	if c.Filter.SizeGreaterThan != 0 || c.Filter.SizeLessThan != 0 {
		return ErrMalformedXML
	}
	return checkTags(c.Filter.Tags, MaxObjectTags, "Object")
}

// lastAccess is when an Intelligent-Tiering object was last read (or
// written, or restored).
func (o *objectRecord) lastAccess(now time.Time) time.Time {
	t := o.Modified
	if o.Accessed.After(t) {
		t = o.Accessed
	}
	if r := o.Restore.Ready; !r.IsZero() && !r.After(now) && r.After(t) {
		t = r
	}
	return t
}

// accessTier returns the tier an Intelligent-Tiering object is in at now.
func (o *objectRecord) accessTier(configs []TieringConfig, key string, now time.Time) string {
	idle := now.Sub(o.lastAccess(now))
	tier := TierFrequent
	switch {
	case idle >= 90*24*time.Hour:
		tier = TierArchiveInstant
	case idle >= 30*24*time.Hour:
		tier = TierInfrequent
	}
	for _, c := range configs {
		if !c.Enabled || !c.Filter.matches(key, o.Size, o.Tags, false) {
			continue
		}
		for _, t := range c.Tierings {
			if idle >= time.Duration(t.Days)*24*time.Hour && (tier != TierDeepArchiveAccess) {
				tier = t.AccessTier
			}
		}
	}
	return tier
}

// archiveTier reports whether tier needs a restore before reads.
func archiveTier(tier string) bool { return tier == TierArchiveAccess || tier == TierDeepArchiveAccess }

// tieringTimes are how long restores from the archive access tiers take.
var tieringTimes = map[string]map[string]time.Duration{
	TierArchiveAccess:     {"Standard": 5 * time.Hour, "Bulk": 12 * time.Hour, "Expedited": 5 * time.Minute},
	TierDeepArchiveAccess: {"Standard": 12 * time.Hour, "Bulk": 48 * time.Hour},
}

// touch records that an Intelligent-Tiering object was read, which moves it
// back to the Frequent tier. At most one write a day per object: the tier
// boundaries are days apart. The write is not synced: losing an access time
// to a crash only ages the object early.
func (s *Service) touch(bucket, key string, o *objectRecord, now time.Time) {
	if o.StorageClass != "INTELLIGENT_TIERING" || now.Sub(o.lastAccess(now)) < 24*time.Hour {
		return
	}
	unlock := s.lockKeys(bucket, key)
	defer unlock()
	cur, err := s.currentRecord(bucket, key)
	if err != nil || cur == nil || cur.order() != o.order() {
		return // a noncurrent or replaced version: not worth a lookup
	}
	cur.Accessed = now.Truncate(time.Millisecond)
	b := s.db.NewBatch()
	b.Set(objectKey(bucket, key), cur.marshal())
	if err := b.CommitUnsynced(); err != nil {
		s.opts.Logger.Warn("record access time", "bucket", bucket, "key", key, "err", err)
	}
}

type PutBucketTieringInput struct {
	Bucket string
	Config TieringConfig
}

// PutBucketTiering adds or replaces an Intelligent-Tiering configuration.
func (s *Service) PutBucketTiering(ctx context.Context, in *PutBucketTieringInput) error {
	if err := in.Config.validate(); err != nil {
		return err
	}
	return s.updateBucket(ctx, "s3:PutIntelligentTieringConfiguration", in.Bucket, func(b *bucketRecord) (err error) {
		b.Tiering, err = putConfig(b.Tiering, in.Config)
		return err
	})
}

// GetBucketTiering returns one configuration.
func (s *Service) GetBucketTiering(ctx context.Context, bucket, id string) (*TieringConfig, error) {
	b, err := s.bucket(ctx, bucket, sameRegion, "s3:GetIntelligentTieringConfiguration", "")
	if err != nil {
		return nil, err
	}
	return findConfig(b.Tiering, id)
}

// ListBucketTiering returns every configuration, by ID.
func (s *Service) ListBucketTiering(ctx context.Context, bucket string) ([]TieringConfig, error) {
	b, err := s.bucket(ctx, bucket, sameRegion, "s3:GetIntelligentTieringConfiguration", "")
	if err != nil {
		return nil, err
	}
	return sortedConfigs(b.Tiering), nil
}

// DeleteBucketTiering removes one configuration.
func (s *Service) DeleteBucketTiering(ctx context.Context, bucket, id string) error {
	return s.updateBucket(ctx, "s3:PutIntelligentTieringConfiguration", bucket, func(b *bucketRecord) (err error) {
		b.Tiering, err = deleteConfig(b.Tiering, id)
		return err
	})
}
