package s3

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// PublicAccessBlock is a bucket's Block Public Access settings.
type PublicAccessBlock struct {
	BlockPublicAcls       bool `json:"blockAcls,omitempty"`
	IgnorePublicAcls      bool `json:"ignoreAcls,omitempty"`
	BlockPublicPolicy     bool `json:"blockPolicy,omitempty"`
	RestrictPublicBuckets bool `json:"restrict,omitempty"`
}

var ErrPublicPolicyBlocked = awserr.New("AccessDenied", 403,
	"Access Denied: public policies are blocked by the BlockPublicPolicy block public access setting.")

func (s *Service) PutPublicAccessBlock(ctx context.Context, bucket string, pab PublicAccessBlock) error {
	return s.updateBucket(ctx, "s3:PutBucketPublicAccessBlock", bucket, func(b *bucketRecord) error {
		b.PublicAccess = &pab
		return nil
	})
}

func (s *Service) GetPublicAccessBlock(ctx context.Context, bucket string) (*PublicAccessBlock, error) {
	b, err := s.bucket(ctx, bucket, sameRegion, "s3:GetBucketPublicAccessBlock", "")
	if err != nil {
		return nil, err
	}
	if b.PublicAccess == nil {
		return nil, ErrNoSuchPublicAccess.With("BucketName", bucket)
	}
	pab := *b.PublicAccess
	return &pab, nil
}

func (s *Service) DeletePublicAccessBlock(ctx context.Context, bucket string) error {
	return s.updateBucket(ctx, "s3:PutBucketPublicAccessBlock", bucket, func(b *bucketRecord) error {
		b.PublicAccess = nil
		return nil
	})
}

// restrictsPublic reports whether RestrictPublicBuckets takes away what a
// public policy grants to callers outside the bucket owner's account.
func (b *bucketRecord) restrictsPublic() bool {
	return b.PublicAccess != nil && b.PublicAccess.RestrictPublicBuckets && b.policy.isPublic()
}

// Ownership controls: ACLs are disabled on every Lakebox bucket, which is
// BucketOwnerEnforced; the other settings would turn them on.
const OwnershipEnforced = "BucketOwnerEnforced"

func (s *Service) PutBucketOwnershipControls(ctx context.Context, bucket, ownership string) error {
	switch ownership {
	case OwnershipEnforced:
	case "BucketOwnerPreferred", "ObjectWriter":
		return awserr.NotImplemented("Object ownership " + ownership + " (ACLs)")
	default:
		return ErrMalformedXML
	}
	_, err := s.bucket(ctx, bucket, sameRegion, "s3:PutBucketOwnershipControls", "")
	return err
}

// NotificationConfig is a bucket's event notification configuration:
// validated and kept; delivery comes with the services it targets.
type NotificationConfig struct {
	Targets     []NotificationTarget `json:"targets,omitempty"`
	EventBridge bool                 `json:"eventBridge,omitempty"`
}

// NotificationTarget is one topic, queue or function configuration.
type NotificationTarget struct {
	Kind   string   `json:"kind"` // "Topic", "Queue" or "CloudFunction"
	ID     string   `json:"id"`
	ARN    string   `json:"arn"`
	Events []string `json:"events"`
	Prefix string   `json:"prefix,omitempty"`
	Suffix string   `json:"suffix,omitempty"`
}

var (
	notificationEvents = regexp.MustCompile(`^s3:(ObjectCreated:(\*|Put|Post|Copy|CompleteMultipartUpload)|ObjectRemoved:(\*|Delete|DeleteMarkerCreated)|` +
		`ObjectRestore:(\*|Post|Completed|Delete)|ReducedRedundancyLostObject|Replication:(\*|OperationFailedReplication|OperationMissedThreshold|OperationReplicatedAfterThreshold|OperationNotTracked)|` +
		`LifecycleExpiration:(\*|Delete|DeleteMarkerCreated)|LifecycleTransition|IntelligentTiering|ObjectTagging:(\*|Put|Delete)|ObjectAcl:Put)$`)
	notificationARN = map[string]*regexp.Regexp{
		"Topic":         regexp.MustCompile(`^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$`),
		"Queue":         regexp.MustCompile(`^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[\w-]{1,80}(\.fifo)?$`),
		"CloudFunction": regexp.MustCompile(`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]{1,64}(:[\w$-]+)?$`),
	}
)

func (c *NotificationConfig) validate() error {
	ids := map[string]bool{}
	for i := range c.Targets {
		t := &c.Targets[i]
		if t.ID == "" {
			t.ID = newConfigID()
		}
		if ids[t.ID] {
			return ErrInvalidArgument.WithMessage("Configuration ids must be unique: %s", t.ID)
		}
		ids[t.ID] = true
		if re := notificationARN[t.Kind]; re == nil || !re.MatchString(t.ARN) {
			return invalidArgument(t.Kind+"Configuration", t.ARN, "The ARN is not well formed")
		}
		if len(t.Events) == 0 {
			return ErrMalformedXML
		}
		for _, e := range t.Events {
			if !notificationEvents.MatchString(e) {
				return invalidArgument("Event", e, "The event is not supported for notifications")
			}
		}
	}
	// Two configurations may not overlap: same event family and prefixes
	// and suffixes that can match the same key.
	for i, a := range c.Targets {
		for _, b := range c.Targets[i+1:] {
			if overlap(a, b) {
				return ErrInvalidArgument.WithMessage("Configurations overlap. Configurations on the same bucket cannot share a common event type.")
			}
		}
	}
	return nil
}

func overlap(a, b NotificationTarget) bool {
	sameEvent := slices.ContainsFunc(a.Events, func(e string) bool {
		return slices.ContainsFunc(b.Events, func(f string) bool { return eventsOverlap(e, f) })
	})
	prefixes := strings.HasPrefix(a.Prefix, b.Prefix) || strings.HasPrefix(b.Prefix, a.Prefix)
	suffixes := strings.HasSuffix(a.Suffix, b.Suffix) || strings.HasSuffix(b.Suffix, a.Suffix)
	return sameEvent && prefixes && suffixes
}

func eventsOverlap(a, b string) bool {
	fa, _, _ := strings.Cut(strings.TrimPrefix(a, "s3:"), ":")
	fb, _, _ := strings.Cut(strings.TrimPrefix(b, "s3:"), ":")
	return fa == fb && (a == b || strings.HasSuffix(a, ":*") || strings.HasSuffix(b, ":*"))
}

func (s *Service) PutBucketNotification(ctx context.Context, bucket string, cfg NotificationConfig) error {
	if err := cfg.validate(); err != nil {
		return err
	}
	return s.updateBucket(ctx, "s3:PutBucketNotification", bucket, func(b *bucketRecord) error {
		b.Notification = &cfg
		return nil
	})
}

func (s *Service) GetBucketNotification(ctx context.Context, bucket string) (*NotificationConfig, error) {
	b, err := s.bucket(ctx, bucket, sameRegion, "s3:GetBucketNotification", "")
	if err != nil {
		return nil, err
	}
	if b.Notification == nil {
		return &NotificationConfig{}, nil
	}
	return b.Notification, nil
}

// MetricsConfig is a request-metrics configuration: validated and kept;
// publishing the metrics comes with CloudWatch.
type MetricsConfig struct {
	ID     string          `json:"id"`
	Filter LifecycleFilter `json:"filter"` // Prefix and Tags
	// AccessPoint is the filter's access point ARN, if any.
	AccessPoint string `json:"ap,omitempty"`
}

func (s *Service) PutBucketMetrics(ctx context.Context, bucket string, cfg MetricsConfig) error {
	if cfg.ID == "" || len(cfg.ID) > 64 || strings.ContainsAny(cfg.ID, " /") {
		return invalidArgument("id", cfg.ID, "The configuration ID must be 1 to 64 letters, digits, dashes, underscores or periods")
	}
	if err := checkTags(cfg.Filter.Tags, MaxObjectTags, "Object"); err != nil {
		return err
	}
	return s.updateBucket(ctx, "s3:PutMetricsConfiguration", bucket, func(b *bucketRecord) (err error) {
		b.Metrics, err = putConfig(b.Metrics, cfg)
		return err
	})
}

func (s *Service) GetBucketMetrics(ctx context.Context, bucket, id string) (*MetricsConfig, error) {
	b, err := s.bucket(ctx, bucket, sameRegion, "s3:GetMetricsConfiguration", "")
	if err != nil {
		return nil, err
	}
	return findConfig(b.Metrics, id)
}

func (s *Service) ListBucketMetrics(ctx context.Context, bucket string) ([]MetricsConfig, error) {
	b, err := s.bucket(ctx, bucket, sameRegion, "s3:GetMetricsConfiguration", "")
	if err != nil {
		return nil, err
	}
	return sortedConfigs(b.Metrics), nil
}

func (s *Service) DeleteBucketMetrics(ctx context.Context, bucket, id string) error {
	return s.updateBucket(ctx, "s3:PutMetricsConfiguration", bucket, func(b *bucketRecord) (err error) {
		b.Metrics, err = deleteConfig(b.Metrics, id)
		return err
	})
}
