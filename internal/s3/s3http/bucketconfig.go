package s3http

import (
	"encoding/xml"
	"net/http"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/restxml"
	"github.com/lakebox/lakebox/internal/s3"
)

type publicAccessBlockXML struct {
	XMLName               xml.Name `xml:"PublicAccessBlockConfiguration"`
	Xmlns                 string   `xml:"xmlns,attr,omitempty"`
	BlockPublicAcls       bool     `xml:"BlockPublicAcls"`
	IgnorePublicAcls      bool     `xml:"IgnorePublicAcls"`
	BlockPublicPolicy     bool     `xml:"BlockPublicPolicy"`
	RestrictPublicBuckets bool     `xml:"RestrictPublicBuckets"`
}

func (h *Handler) putPublicAccessBlock(w http.ResponseWriter, r *http.Request, t target) error {
	var x publicAccessBlockXML
	if err := decodeDigested(r, &x); err != nil {
		return err
	}
	err := h.svc.PutPublicAccessBlock(r.Context(), t.bucket, s3.PublicAccessBlock{BlockPublicAcls: x.BlockPublicAcls,
		IgnorePublicAcls: x.IgnorePublicAcls, BlockPublicPolicy: x.BlockPublicPolicy, RestrictPublicBuckets: x.RestrictPublicBuckets})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) getPublicAccessBlock(w http.ResponseWriter, r *http.Request, t target) error {
	p, err := h.svc.GetPublicAccessBlock(r.Context(), t.bucket)
	if err != nil {
		return err
	}
	return restxml.Write(w, http.StatusOK, publicAccessBlockXML{Xmlns: restxml.Namespace, BlockPublicAcls: p.BlockPublicAcls,
		IgnorePublicAcls: p.IgnorePublicAcls, BlockPublicPolicy: p.BlockPublicPolicy, RestrictPublicBuckets: p.RestrictPublicBuckets})
}

func (h *Handler) deletePublicAccessBlock(w http.ResponseWriter, r *http.Request, t target) error {
	if err := h.svc.DeletePublicAccessBlock(r.Context(), t.bucket); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type ownershipControlsXML struct {
	XMLName xml.Name `xml:"OwnershipControls"`
	Rules   []struct {
		ObjectOwnership string `xml:"ObjectOwnership"`
	} `xml:"Rule"`
}

func (h *Handler) putOwnershipControls(w http.ResponseWriter, r *http.Request, t target) error {
	var x ownershipControlsXML
	if err := decodeDigested(r, &x); err != nil {
		return err
	}
	if len(x.Rules) != 1 {
		return s3.ErrMalformedXML
	}
	if err := h.svc.PutBucketOwnershipControls(r.Context(), t.bucket, x.Rules[0].ObjectOwnership); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) getOwnershipControls(w http.ResponseWriter, r *http.Request, t target) error {
	if err := h.checkBucket(r, t); err != nil {
		return err
	}
	return restxml.Write(w, http.StatusOK, bucketOwnerEnforced)
}

func (h *Handler) deleteOwnershipControls(http.ResponseWriter, *http.Request, target) error {
	return awserr.NotImplemented("Deleting ownership controls, which would enable ACLs,")
}

type notificationXML struct {
	XMLName     xml.Name             `xml:"NotificationConfiguration"`
	Xmlns       string               `xml:"xmlns,attr,omitempty"`
	Topics      []notificationTarget `xml:"TopicConfiguration"`
	Queues      []notificationTarget `xml:"QueueConfiguration"`
	Functions   []notificationTarget `xml:"CloudFunctionConfiguration"`
	EventBridge *struct{}            `xml:"EventBridgeConfiguration"`
}

type notificationTarget struct {
	ID       string   `xml:"Id,omitempty"`
	Topic    string   `xml:"Topic,omitempty"`
	Queue    string   `xml:"Queue,omitempty"`
	Function string   `xml:"CloudFunction,omitempty"`
	Events   []string `xml:"Event"`
	Filter   *struct {
		Rules []struct {
			Name  string `xml:"Name"`
			Value string `xml:"Value"`
		} `xml:"S3Key>FilterRule"`
	} `xml:"Filter"`
}

func (h *Handler) putBucketNotification(w http.ResponseWriter, r *http.Request, t target) error {
	var x notificationXML
	if err := restxml.Decode(r.Body, &x, maxXMLBody); err != nil {
		return err
	}
	cfg := s3.NotificationConfig{EventBridge: x.EventBridge != nil}
	for _, group := range []struct {
		kind    string
		targets []notificationTarget
		arn     func(notificationTarget) string
	}{
		{"Topic", x.Topics, func(n notificationTarget) string { return n.Topic }},
		{"Queue", x.Queues, func(n notificationTarget) string { return n.Queue }},
		{"CloudFunction", x.Functions, func(n notificationTarget) string { return n.Function }},
	} {
		for _, n := range group.targets {
			nt := s3.NotificationTarget{Kind: group.kind, ID: n.ID, ARN: group.arn(n), Events: n.Events}
			if n.Filter != nil {
				for _, fr := range n.Filter.Rules {
					switch fr.Name {
					case "prefix", "Prefix":
						nt.Prefix = fr.Value
					case "suffix", "Suffix":
						nt.Suffix = fr.Value
					default:
						return awserr.New("InvalidArgument", 400, "filter rule name must be either prefix or suffix").With("ArgumentName", "FilterRule")
					}
				}
			}
			cfg.Targets = append(cfg.Targets, nt)
		}
	}
	if err := h.svc.PutBucketNotification(r.Context(), t.bucket, cfg); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) getBucketNotification(w http.ResponseWriter, r *http.Request, t target) error {
	cfg, err := h.svc.GetBucketNotification(r.Context(), t.bucket)
	if err != nil {
		return err
	}
	x := notificationXML{Xmlns: restxml.Namespace}
	if cfg.EventBridge {
		x.EventBridge = &struct{}{}
	}
	for _, n := range cfg.Targets {
		nt := notificationTarget{ID: n.ID, Events: n.Events}
		if n.Prefix != "" || n.Suffix != "" {
			nt.Filter = &struct {
				Rules []struct {
					Name  string `xml:"Name"`
					Value string `xml:"Value"`
				} `xml:"S3Key>FilterRule"`
			}{}
			for _, fr := range []struct{ name, v string }{{"Prefix", n.Prefix}, {"Suffix", n.Suffix}} {
				if fr.v != "" {
					nt.Filter.Rules = append(nt.Filter.Rules, struct {
						Name  string `xml:"Name"`
						Value string `xml:"Value"`
					}{fr.name, fr.v})
				}
			}
		}
		switch n.Kind {
		case "Topic":
			nt.Topic = n.ARN
			x.Topics = append(x.Topics, nt)
		case "Queue":
			nt.Queue = n.ARN
			x.Queues = append(x.Queues, nt)
		default:
			nt.Function = n.ARN
			x.Functions = append(x.Functions, nt)
		}
	}
	return restxml.Write(w, http.StatusOK, x)
}

type metricsXML struct {
	XMLName xml.Name `xml:"MetricsConfiguration"`
	Xmlns   string   `xml:"xmlns,attr,omitempty"`
	ID      string   `xml:"Id"`
	Filter  *struct {
		Prefix      *string `xml:"Prefix"`
		Tag         *tagXML `xml:"Tag"`
		AccessPoint *string `xml:"AccessPointArn"`
		And         *struct {
			Prefix      *string  `xml:"Prefix"`
			Tags        []tagXML `xml:"Tag"`
			AccessPoint *string  `xml:"AccessPointArn"`
		} `xml:"And"`
	} `xml:"Filter"`
}

type listMetricsResult struct {
	XMLName     xml.Name     `xml:"ListMetricsConfigurationsResult"`
	Xmlns       string       `xml:"xmlns,attr"`
	IsTruncated bool         `xml:"IsTruncated"`
	Configs     []metricsXML `xml:"MetricsConfiguration"`
}

func fromMetricsXML(x metricsXML) (s3.MetricsConfig, error) {
	c := s3.MetricsConfig{ID: x.ID}
	f := x.Filter
	if f == nil {
		return c, nil
	}
	set := 0
	if f.Prefix != nil {
		c.Filter.Prefix, set = *f.Prefix, set+1
	}
	if f.Tag != nil {
		c.Filter.Tags, set = []s3.Tag{s3.Tag(*f.Tag)}, set+1
	}
	if f.AccessPoint != nil {
		c.AccessPoint, set = *f.AccessPoint, set+1
	}
	if a := f.And; a != nil {
		set++
		c.Filter.Form = s3.FilterAnd
		if a.Prefix != nil {
			c.Filter.Prefix = *a.Prefix
		}
		for _, t := range a.Tags {
			c.Filter.Tags = append(c.Filter.Tags, s3.Tag(t))
		}
		if a.AccessPoint != nil {
			c.AccessPoint = *a.AccessPoint
		}
	}
	if set > 1 {
		return c, s3.ErrMalformedXML
	}
	return c, nil
}

func toMetricsXML(c s3.MetricsConfig) metricsXML {
	x := metricsXML{ID: c.ID}
	f := c.Filter
	if f.Prefix == "" && len(f.Tags) == 0 && c.AccessPoint == "" {
		return x
	}
	x.Filter = &struct {
		Prefix      *string `xml:"Prefix"`
		Tag         *tagXML `xml:"Tag"`
		AccessPoint *string `xml:"AccessPointArn"`
		And         *struct {
			Prefix      *string  `xml:"Prefix"`
			Tags        []tagXML `xml:"Tag"`
			AccessPoint *string  `xml:"AccessPointArn"`
		} `xml:"And"`
	}{}
	switch {
	case f.Form == s3.FilterAnd:
		x.Filter.And = &struct {
			Prefix      *string  `xml:"Prefix"`
			Tags        []tagXML `xml:"Tag"`
			AccessPoint *string  `xml:"AccessPointArn"`
		}{Prefix: &f.Prefix}
		for _, t := range f.Tags {
			x.Filter.And.Tags = append(x.Filter.And.Tags, tagXML(t))
		}
		if c.AccessPoint != "" {
			x.Filter.And.AccessPoint = &c.AccessPoint
		}
	case len(f.Tags) == 1:
		t := tagXML(f.Tags[0])
		x.Filter.Tag = &t
	case c.AccessPoint != "":
		x.Filter.AccessPoint = &c.AccessPoint
	default:
		x.Filter.Prefix = &f.Prefix
	}
	return x
}

func (h *Handler) putBucketMetrics(w http.ResponseWriter, r *http.Request, t target) error {
	var x metricsXML
	if err := restxml.Decode(r.Body, &x, maxXMLBody); err != nil {
		return err
	}
	if err := sameConfigID(r, x.ID); err != nil {
		return err
	}
	c, err := fromMetricsXML(x)
	if err != nil {
		return err
	}
	if err := h.svc.PutBucketMetrics(r.Context(), t.bucket, c); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) getBucketMetrics(w http.ResponseWriter, r *http.Request, t target) error {
	if !r.URL.Query().Has("id") {
		cfgs, err := h.svc.ListBucketMetrics(r.Context(), t.bucket)
		if err != nil {
			return err
		}
		res := listMetricsResult{Xmlns: restxml.Namespace}
		for _, c := range cfgs {
			res.Configs = append(res.Configs, toMetricsXML(c))
		}
		return restxml.Write(w, http.StatusOK, res)
	}
	id, err := configID(r)
	if err != nil {
		return err
	}
	c, err := h.svc.GetBucketMetrics(r.Context(), t.bucket, id)
	if err != nil {
		return err
	}
	x := toMetricsXML(*c)
	x.Xmlns = restxml.Namespace
	return restxml.Write(w, http.StatusOK, x)
}

func (h *Handler) deleteBucketMetrics(w http.ResponseWriter, r *http.Request, t target) error {
	id, err := configID(r)
	if err != nil {
		return err
	}
	if err := h.svc.DeleteBucketMetrics(r.Context(), t.bucket, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
