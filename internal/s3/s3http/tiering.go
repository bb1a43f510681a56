package s3http

import (
	"encoding/xml"
	"net/http"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/restxml"
	"github.com/lakebox/lakebox/internal/s3"
)

type tieringConfiguration struct {
	XMLName  xml.Name       `xml:"IntelligentTieringConfiguration"`
	Xmlns    string         `xml:"xmlns,attr,omitempty"`
	ID       string         `xml:"Id"`
	Filter   *tieringFilter `xml:"Filter"`
	Status   string         `xml:"Status"`
	Tierings []struct {
		Days       int    `xml:"Days"`
		AccessTier string `xml:"AccessTier"`
	} `xml:"Tiering"`
}

type tieringFilter struct {
	Prefix *string `xml:"Prefix"`
	Tag    *tagXML `xml:"Tag"`
	And    *struct {
		Prefix *string  `xml:"Prefix"`
		Tags   []tagXML `xml:"Tag"`
	} `xml:"And"`
}

type listTieringResult struct {
	XMLName     xml.Name               `xml:"ListBucketIntelligentTieringConfigurationsOutput"`
	Xmlns       string                 `xml:"xmlns,attr"`
	IsTruncated bool                   `xml:"IsTruncated"`
	Configs     []tieringConfiguration `xml:"IntelligentTieringConfiguration"`
}

func fromTieringXML(x tieringConfiguration) (s3.TieringConfig, error) {
	c := s3.TieringConfig{ID: x.ID}
	switch x.Status {
	case "Enabled":
		c.Enabled = true
	case "Disabled":
	default:
		return c, s3.ErrMalformedXML
	}
	if f := x.Filter; f != nil {
		set := 0
		if f.Prefix != nil {
			c.Filter.Prefix, set = *f.Prefix, set+1
		}
		if f.Tag != nil {
			c.Filter.Tags, set = []s3.Tag{s3.Tag(*f.Tag)}, set+1
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
		}
		if set > 1 {
			return c, s3.ErrMalformedXML
		}
	}
	for _, t := range x.Tierings {
		c.Tierings = append(c.Tierings, s3.Tiering{Days: t.Days, AccessTier: t.AccessTier})
	}
	return c, nil
}

func toTieringXML(c s3.TieringConfig) tieringConfiguration {
	x := tieringConfiguration{ID: c.ID, Status: "Disabled", Filter: &tieringFilter{}}
	if c.Enabled {
		x.Status = "Enabled"
	}
	switch f := c.Filter; {
	case f.Form == s3.FilterAnd:
		x.Filter.And = &struct {
			Prefix *string  `xml:"Prefix"`
			Tags   []tagXML `xml:"Tag"`
		}{Prefix: &f.Prefix}
		for _, t := range f.Tags {
			x.Filter.And.Tags = append(x.Filter.And.Tags, tagXML(t))
		}
	case len(f.Tags) == 1:
		t := tagXML(f.Tags[0])
		x.Filter.Tag = &t
	case f.Prefix != "":
		x.Filter.Prefix = &f.Prefix
	}
	for _, t := range c.Tierings {
		x.Tierings = append(x.Tierings, struct {
			Days       int    `xml:"Days"`
			AccessTier string `xml:"AccessTier"`
		}{t.Days, t.AccessTier})
	}
	return x
}

// configID reads the id parameter that names a bucket configuration
// (Intelligent-Tiering, metrics).
func configID(r *http.Request) (string, error) {
	id := r.URL.Query().Get("id")
	if id == "" {
		return "", awserr.New("InvalidArgument", 400, "Missing required parameter: id").With("ArgumentName", "id")
	}
	return id, nil
}

// sameConfigID requires a configuration document's Id to be the id
// parameter's.
func sameConfigID(r *http.Request, inBody string) error {
	id, err := configID(r)
	if err == nil && inBody != id {
		err = awserr.New("InvalidArgument", 400, "The Id in the configuration does not match the id parameter").With("ArgumentName", "id")
	}
	return err
}

func (h *Handler) putBucketTiering(w http.ResponseWriter, r *http.Request, t target) error {
	var x tieringConfiguration
	if err := restxml.Decode(r.Body, &x, maxXMLBody); err != nil {
		return err
	}
	if err := sameConfigID(r, x.ID); err != nil {
		return err
	}
	c, err := fromTieringXML(x)
	if err != nil {
		return err
	}
	if err := h.svc.PutBucketTiering(r.Context(), &s3.PutBucketTieringInput{Bucket: t.bucket, Config: c}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) getBucketTiering(w http.ResponseWriter, r *http.Request, t target) error {
	if !r.URL.Query().Has("id") {
		cfgs, err := h.svc.ListBucketTiering(r.Context(), t.bucket)
		if err != nil {
			return err
		}
		res := listTieringResult{Xmlns: restxml.Namespace}
		for _, c := range cfgs {
			res.Configs = append(res.Configs, toTieringXML(c))
		}
		return restxml.Write(w, http.StatusOK, res)
	}
	id, err := configID(r)
	if err != nil {
		return err
	}
	c, err := h.svc.GetBucketTiering(r.Context(), t.bucket, id)
	if err != nil {
		return err
	}
	x := toTieringXML(*c)
	x.Xmlns = restxml.Namespace
	return restxml.Write(w, http.StatusOK, x)
}

func (h *Handler) deleteBucketTiering(w http.ResponseWriter, r *http.Request, t target) error {
	id, err := configID(r)
	if err != nil {
		return err
	}
	if err := h.svc.DeleteBucketTiering(r.Context(), t.bucket, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
