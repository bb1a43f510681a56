package s3

import (
	"context"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// Objects in GLACIER and DEEP_ARCHIVE are archived: their bytes are kept,
// but GET refuses them until a RestoreObject request has completed, and
// then only until the restored copy expires. Restores take as long as on
// AWS, on the server clock.

func archived(class string) bool { return class == "GLACIER" || class == "DEEP_ARCHIVE" }

// restoreState is an object's restore, if one was requested.
type restoreState struct {
	// Ready is when the restored copy becomes readable; zero for none.
	Ready time.Time
	// Expires is when the restored copy goes away again.
	Expires time.Time
}

// restoreTimes are how long a restore takes, by storage class and tier:
// the upper ends of the ranges AWS documents.
var restoreTimes = map[string]map[string]time.Duration{
	"GLACIER":      {"Expedited": 5 * time.Minute, "Standard": 5 * time.Hour, "Bulk": 12 * time.Hour},
	"DEEP_ARCHIVE": {"Standard": 12 * time.Hour, "Bulk": 48 * time.Hour},
}

var (
	ErrInvalidObjectState = awserr.New("InvalidObjectState", 403, "The operation is not valid for the object's storage class")
	ErrRestoreInProgress  = awserr.New("RestoreAlreadyInProgress", 409, "Object restore is already in progress")
)

// readable refuses reads of an archived object that is not restored now,
// and of an Intelligent-Tiering object in an archive access tier.
func (o *objectRecord) readable(bk *bucketRecord, key string, now time.Time) error {
	if o.StorageClass == "INTELLIGENT_TIERING" {
		if tier := o.accessTier(bk.Tiering, key, now); archiveTier(tier) {
			return ErrInvalidObjectState.With("StorageClass", o.StorageClass).With("AccessTier", tier)
		}
		return nil
	}
	if !archived(o.StorageClass) {
		return nil
	}
	r := o.Restore
	if !r.Ready.IsZero() && !now.Before(r.Ready) && now.Before(r.Expires) {
		return nil
	}
	return ErrInvalidObjectState.With("StorageClass", o.StorageClass)
}

// RestoreHeader is the x-amz-restore header of an object, or "".
func (o *objectRecord) restoreHeader(now time.Time) string {
	r := o.Restore
	if o.StorageClass == "INTELLIGENT_TIERING" && now.Before(r.Ready) {
		return `ongoing-request="true"` // a restored object just moves back to Frequent
	}
	switch {
	case r.Ready.IsZero() || !archived(o.StorageClass) || !now.Before(r.Expires):
		return ""
	case now.Before(r.Ready):
		return `ongoing-request="true"`
	}
	return `ongoing-request="false", expiry-date="` + r.Expires.UTC().Format(httpDate) + `"`
}

type RestoreObjectInput struct {
	Bucket, Key, VersionID string
	Days                   int
	Tier                   string // Expedited, Standard (default) or Bulk
}

type RestoreObjectOutput struct {
	// Accepted is true when a restore started (202), false when the object
	// was already restored and its copy's expiry was extended (200).
	Accepted bool
}

// RestoreObject starts restoring an archived object for Days days.
func (s *Service) RestoreObject(ctx context.Context, in *RestoreObjectInput) (*RestoreObjectOutput, error) {
	out := &RestoreObjectOutput{Accepted: true}
	_, err := s.updateObject(ctx, "s3:RestoreObject", in.Bucket, in.Key, in.VersionID, func(bk *bucketRecord, o *objectRecord) error {
		if in.Tier == "" {
			in.Tier = "Standard"
		}
		switch in.Tier {
		case "Expedited", "Standard", "Bulk":
		default:
			return ErrMalformedXML
		}
		now := s.clock.Now()
		times := restoreTimes[o.StorageClass]
		if o.StorageClass == "INTELLIGENT_TIERING" {
			times = tieringTimes[o.accessTier(bk.Tiering, in.Key, now)]
		}
		if times == nil {
			return ErrInvalidObjectState.WithMessage("Restore is not allowed for the object's current storage class")
		}
		// An Intelligent-Tiering restore moves the object back to Frequent
		// for good; an archived object's restored copy lasts Days.
		tiering := o.StorageClass == "INTELLIGENT_TIERING"
		if in.Days < 1 && !tiering {
			return ErrMalformedXML
		}
		took, ok := times[in.Tier]
		if !ok {
			return ErrInvalidArgument.WithMessage("The %s tier is not available for the %s storage class", in.Tier, o.StorageClass).
				With("ArgumentName", "Tier").With("ArgumentValue", in.Tier)
		}
		switch r := o.Restore; {
		case !r.Ready.IsZero() && now.Before(r.Ready):
			return ErrRestoreInProgress
		case !r.Ready.IsZero() && now.Before(r.Expires):
			// Restored already: only the expiry moves, counted from now.
			o.Restore.Expires = due(now, in.Days)
			out.Accepted = false
		case tiering:
			o.Restore = restoreState{Ready: now.Add(took), Expires: now.Add(took)}
		default:
			ready := now.Add(took)
			o.Restore = restoreState{Ready: ready, Expires: due(ready, in.Days)}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
