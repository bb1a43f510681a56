package s3http

import (
	"encoding/xml"
	"net/http"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/restxml"
	"github.com/lakebox/lakebox/internal/s3"
)

type lifecycleConfiguration struct {
	XMLName xml.Name           `xml:"LifecycleConfiguration"`
	Xmlns   string             `xml:"xmlns,attr,omitempty"`
	Rules   []lifecycleRuleXML `xml:"Rule"`
}

type lifecycleRuleXML struct {
	ID                           string              `xml:"ID,omitempty"`
	Filter                       *lifecycleFilterXML `xml:"Filter"`
	Prefix                       *string             `xml:"Prefix"`
	Status                       string              `xml:"Status"`
	Transitions                  []transitionXML     `xml:"Transition"`
	Expiration                   *expirationXML      `xml:"Expiration"`
	NoncurrentVersionTransitions []noncurrentXML     `xml:"NoncurrentVersionTransition"`
	NoncurrentVersionExpiration  *noncurrentXML      `xml:"NoncurrentVersionExpiration"`
	AbortIncompleteMultipart     *abortIncompleteXML `xml:"AbortIncompleteMultipartUpload"`
}

type lifecycleFilterXML struct {
	Prefix      *string       `xml:"Prefix"`
	Tag         *tagXML       `xml:"Tag"`
	GreaterThan *int64        `xml:"ObjectSizeGreaterThan"`
	LessThan    *int64        `xml:"ObjectSizeLessThan"`
	And         *filterAndXML `xml:"And"`
}

type filterAndXML struct {
	Prefix      *string  `xml:"Prefix"`
	Tags        []tagXML `xml:"Tag"`
	GreaterThan *int64   `xml:"ObjectSizeGreaterThan"`
	LessThan    *int64   `xml:"ObjectSizeLessThan"`
}

type expirationXML struct {
	Date                      string `xml:"Date,omitempty"`
	Days                      int    `xml:"Days,omitempty"`
	ExpiredObjectDeleteMarker bool   `xml:"ExpiredObjectDeleteMarker,omitempty"`
}

type transitionXML struct {
	Date         string `xml:"Date,omitempty"`
	Days         *int   `xml:"Days"`
	StorageClass string `xml:"StorageClass"`
}

type noncurrentXML struct {
	NoncurrentDays          int    `xml:"NoncurrentDays"`
	StorageClass            string `xml:"StorageClass,omitempty"`
	NewerNoncurrentVersions int    `xml:"NewerNoncurrentVersions,omitempty"`
}

type abortIncompleteXML struct {
	DaysAfterInitiation int `xml:"DaysAfterInitiation"`
}

// parseLifecycleDate reads a lifecycle Date: ISO 8601, as the SDKs send it.
func parseLifecycleDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, s3.ErrMalformedXML
}

func lifecycleDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// fromLifecycleXML turns the XML into rules. S3's semantic checks are the
// service's; this rejects only what does not fit the schema.
func fromLifecycleXML(cfg lifecycleConfiguration) ([]s3.LifecycleRule, error) {
	rules := make([]s3.LifecycleRule, 0, len(cfg.Rules))
	for _, x := range cfg.Rules {
		r := s3.LifecycleRule{ID: x.ID}
		switch x.Status {
		case "Enabled":
			r.Enabled = true
		case "Disabled":
		default:
			return nil, s3.ErrMalformedXML
		}
		switch {
		case x.Filter != nil && x.Prefix != nil, x.Filter == nil && x.Prefix == nil:
			return nil, s3.ErrMalformedXML
		case x.Prefix != nil:
			r.Filter = s3.LifecycleFilter{Prefix: *x.Prefix, Form: s3.FilterLegacyPrefix}
		default:
			f, err := fromFilterXML(x.Filter)
			if err != nil {
				return nil, err
			}
			r.Filter = f
		}
		if e := x.Expiration; e != nil {
			date, err := parseLifecycleDate(e.Date)
			if err != nil {
				return nil, err
			}
			r.Expiration = &s3.LifecycleExpiration{Days: e.Days, Date: date, ExpiredObjectDeleteMarker: e.ExpiredObjectDeleteMarker}
		}
		for _, t := range x.Transitions {
			date, err := parseLifecycleDate(t.Date)
			if err != nil {
				return nil, err
			}
			if (t.Days == nil) == date.IsZero() {
				return nil, s3.ErrMalformedXML // exactly one of Days and Date
			}
			tr := s3.LifecycleTransition{Date: date, StorageClass: t.StorageClass}
			if t.Days != nil {
				tr.Days = *t.Days
			}
			r.Transitions = append(r.Transitions, tr)
		}
		for _, t := range x.NoncurrentVersionTransitions {
			r.NoncurrentTransitions = append(r.NoncurrentTransitions,
				s3.NoncurrentAction{Days: t.NoncurrentDays, NewerVersions: t.NewerNoncurrentVersions, StorageClass: t.StorageClass})
		}
		if e := x.NoncurrentVersionExpiration; e != nil {
			r.NoncurrentExpiration = &s3.NoncurrentAction{Days: e.NoncurrentDays, NewerVersions: e.NewerNoncurrentVersions}
		}
		if a := x.AbortIncompleteMultipart; a != nil {
			if a.DaysAfterInitiation <= 0 {
				return nil, s3.ErrInvalidArgument.WithMessage("'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer")
			}
			r.AbortAfterDays = a.DaysAfterInitiation
		}
		rules = append(rules, r)
	}
	return rules, nil
}

func fromFilterXML(x *lifecycleFilterXML) (s3.LifecycleFilter, error) {
	var f s3.LifecycleFilter
	set := 0
	if x.Prefix != nil {
		f.Prefix, set = *x.Prefix, set+1
	}
	if x.Tag != nil {
		f.Tags, set = []s3.Tag{s3.Tag(*x.Tag)}, set+1
	}
	if x.GreaterThan != nil {
		f.SizeGreaterThan, set = *x.GreaterThan, set+1
	}
	if x.LessThan != nil {
		f.SizeLessThan, set = *x.LessThan, set+1
	}
	if a := x.And; a != nil {
		set++
		f.Form = s3.FilterAnd
		if a.Prefix != nil {
			f.Prefix = *a.Prefix
		}
		for _, t := range a.Tags {
			f.Tags = append(f.Tags, s3.Tag(t))
		}
		if a.GreaterThan != nil {
			f.SizeGreaterThan = *a.GreaterThan
		}
		if a.LessThan != nil {
			f.SizeLessThan = *a.LessThan
		}
	}
	if set > 1 {
		return f, s3.ErrMalformedXML // more than one condition needs <And>
	}
	return f, nil
}

func toLifecycleXML(rules []s3.LifecycleRule) lifecycleConfiguration {
	cfg := lifecycleConfiguration{Xmlns: restxml.Namespace}
	for _, r := range rules {
		x := lifecycleRuleXML{ID: r.ID, Status: "Disabled"}
		if r.Enabled {
			x.Status = "Enabled"
		}
		f := r.Filter
		switch f.Form {
		case s3.FilterLegacyPrefix:
			x.Prefix = &f.Prefix
		case s3.FilterAnd:
			a := &filterAndXML{Prefix: &f.Prefix}
			for _, t := range f.Tags {
				a.Tags = append(a.Tags, tagXML(t))
			}
			if f.SizeGreaterThan > 0 {
				a.GreaterThan = &f.SizeGreaterThan
			}
			if f.SizeLessThan > 0 {
				a.LessThan = &f.SizeLessThan
			}
			x.Filter = &lifecycleFilterXML{And: a}
		default:
			x.Filter = &lifecycleFilterXML{}
			switch {
			case len(f.Tags) == 1:
				t := tagXML(f.Tags[0])
				x.Filter.Tag = &t
			case f.SizeGreaterThan > 0:
				x.Filter.GreaterThan = &f.SizeGreaterThan
			case f.SizeLessThan > 0:
				x.Filter.LessThan = &f.SizeLessThan
			default:
				x.Filter.Prefix = &f.Prefix
			}
		}
		if e := r.Expiration; e != nil {
			x.Expiration = &expirationXML{Days: e.Days, Date: lifecycleDate(e.Date), ExpiredObjectDeleteMarker: e.ExpiredObjectDeleteMarker}
		}
		for _, t := range r.Transitions {
			tx := transitionXML{Date: lifecycleDate(t.Date), StorageClass: t.StorageClass}
			if t.Date.IsZero() {
				days := t.Days
				tx.Days = &days
			}
			x.Transitions = append(x.Transitions, tx)
		}
		for _, t := range r.NoncurrentTransitions {
			x.NoncurrentVersionTransitions = append(x.NoncurrentVersionTransitions,
				noncurrentXML{NoncurrentDays: t.Days, StorageClass: t.StorageClass, NewerNoncurrentVersions: t.NewerVersions})
		}
		if e := r.NoncurrentExpiration; e != nil {
			x.NoncurrentVersionExpiration = &noncurrentXML{NoncurrentDays: e.Days, NewerNoncurrentVersions: e.NewerVersions}
		}
		if r.AbortAfterDays > 0 {
			x.AbortIncompleteMultipart = &abortIncompleteXML{DaysAfterInitiation: r.AbortAfterDays}
		}
		cfg.Rules = append(cfg.Rules, x)
	}
	return cfg
}

const minSizeHeader = "X-Amz-Transition-Default-Minimum-Object-Size"

func (h *Handler) putBucketLifecycle(w http.ResponseWriter, r *http.Request, t target) error {
	var cfg lifecycleConfiguration
	if err := decodeDigested(r, &cfg); err != nil {
		return err
	}
	rules, err := fromLifecycleXML(cfg)
	if err != nil {
		return err
	}
	out, err := h.svc.PutBucketLifecycle(r.Context(), &s3.PutBucketLifecycleInput{Bucket: t.bucket, Rules: rules, MinSize: r.Header.Get(minSizeHeader)})
	if err != nil {
		return err
	}
	w.Header().Set(minSizeHeader, out.MinSize)
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) getBucketLifecycle(w http.ResponseWriter, r *http.Request, t target) error {
	out, err := h.svc.GetBucketLifecycle(r.Context(), &s3.GetBucketLifecycleInput{Bucket: t.bucket})
	if err != nil {
		return err
	}
	w.Header().Set(minSizeHeader, out.MinSize)
	return restxml.Write(w, http.StatusOK, toLifecycleXML(out.Rules))
}

func (h *Handler) deleteBucketLifecycle(w http.ResponseWriter, r *http.Request, t target) error {
	if _, err := h.svc.DeleteBucketLifecycle(r.Context(), &s3.DeleteBucketLifecycleInput{Bucket: t.bucket}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
