package s3http

import (
	"encoding/xml"
	"net/http"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/restxml"
	"github.com/lakebox/lakebox/internal/s3"
)

// lockRequest reads the Object Lock headers of a write.
func lockRequest(h http.Header) (s3.ObjectLockInfo, error) {
	l := s3.ObjectLockInfo{Mode: h.Get("X-Amz-Object-Lock-Mode"), LegalHold: h.Get("X-Amz-Object-Lock-Legal-Hold")}
	if v := h.Get("X-Amz-Object-Lock-Retain-Until-Date"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return l, awserr.New("InvalidArgument", 400, "The retain until date must be provided in ISO 8601 format").
				With("ArgumentName", "x-amz-object-lock-retain-until-date").With("ArgumentValue", v)
		}
		l.Until = t.UTC()
	}
	return l, nil
}

func setLock(h http.Header, l *s3.ObjectLockInfo) {
	if l == nil {
		return
	}
	if l.Mode != "" {
		h.Set("X-Amz-Object-Lock-Mode", l.Mode)
		h.Set("X-Amz-Object-Lock-Retain-Until-Date", xmlTime(l.Until))
	}
	if l.LegalHold != "" {
		h.Set("X-Amz-Object-Lock-Legal-Hold", l.LegalHold)
	}
}

func bypassGovernance(r *http.Request) bool {
	return r.Header.Get("X-Amz-Bypass-Governance-Retention") == "true"
}

type lockConfigXML struct {
	XMLName xml.Name `xml:"ObjectLockConfiguration"`
	Xmlns   string   `xml:"xmlns,attr,omitempty"`
	Enabled string   `xml:"ObjectLockEnabled,omitempty"`
	Rule    *struct {
		Default struct {
			Mode  string `xml:"Mode"`
			Days  int    `xml:"Days,omitempty"`
			Years int    `xml:"Years,omitempty"`
		} `xml:"DefaultRetention"`
	} `xml:"Rule"`
}

func (h *Handler) putObjectLockConfig(w http.ResponseWriter, r *http.Request, t target) error {
	var x lockConfigXML
	if err := restxml.Decode(r.Body, &x, maxXMLBody); err != nil {
		return err
	}
	if x.Enabled != "Enabled" {
		return s3.ErrMalformedXML
	}
	in := &s3.PutObjectLockConfigInput{Bucket: t.bucket}
	if x.Rule != nil {
		d := x.Rule.Default
		in.Default = s3.LockConfig{Mode: d.Mode, Days: d.Days, Years: d.Years}
		if d.Mode == "" {
			return s3.ErrMalformedXML
		}
	}
	if err := h.svc.PutObjectLockConfig(r.Context(), in); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) getObjectLockConfig(w http.ResponseWriter, r *http.Request, t target) error {
	c, err := h.svc.GetObjectLockConfig(r.Context(), t.bucket)
	if err != nil {
		return err
	}
	x := lockConfigXML{Xmlns: restxml.Namespace, Enabled: "Enabled"}
	if c.Mode != "" {
		x.Rule = &struct {
			Default struct {
				Mode  string `xml:"Mode"`
				Days  int    `xml:"Days,omitempty"`
				Years int    `xml:"Years,omitempty"`
			} `xml:"DefaultRetention"`
		}{}
		x.Rule.Default.Mode, x.Rule.Default.Days, x.Rule.Default.Years = c.Mode, c.Days, c.Years
	}
	return restxml.Write(w, http.StatusOK, x)
}

type retentionXML struct {
	XMLName xml.Name `xml:"Retention"`
	Xmlns   string   `xml:"xmlns,attr,omitempty"`
	Mode    string   `xml:"Mode,omitempty"`
	Until   string   `xml:"RetainUntilDate,omitempty"`
}

type legalHoldXML struct {
	XMLName xml.Name `xml:"LegalHold"`
	Xmlns   string   `xml:"xmlns,attr,omitempty"`
	Status  string   `xml:"Status"`
}

func (h *Handler) putObjectRetention(w http.ResponseWriter, r *http.Request, t target) error {
	var x retentionXML
	if err := restxml.Decode(r.Body, &x, maxXMLBody); err != nil {
		return err
	}
	in := &s3.PutObjectRetentionInput{Bucket: t.bucket, Key: t.key, VersionID: r.URL.Query().Get("versionId"),
		Mode: x.Mode, BypassGovernance: bypassGovernance(r)}
	if x.Until != "" {
		until, err := time.Parse(time.RFC3339, x.Until)
		if err != nil {
			return s3.ErrMalformedXML
		}
		in.Until = until.UTC()
	}
	if (in.Mode == "") != in.Until.IsZero() {
		return s3.ErrMalformedXML
	}
	v, err := h.svc.PutObjectRetention(r.Context(), in)
	if err != nil {
		return err
	}
	setVersion(w.Header(), "X-Amz-Version-Id", v)
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) getObjectRetention(w http.ResponseWriter, r *http.Request, t target) error {
	l, err := h.svc.GetObjectLock(r.Context(), t.bucket, t.key, r.URL.Query().Get("versionId"))
	if err != nil {
		return err
	}
	if l.Mode == "" {
		return s3.ErrNoRetention
	}
	return restxml.Write(w, http.StatusOK, retentionXML{Xmlns: restxml.Namespace, Mode: l.Mode, Until: xmlTime(l.Until)})
}

func (h *Handler) putObjectLegalHold(w http.ResponseWriter, r *http.Request, t target) error {
	var x legalHoldXML
	if err := restxml.Decode(r.Body, &x, maxXMLBody); err != nil {
		return err
	}
	if x.Status != "ON" && x.Status != "OFF" {
		return s3.ErrMalformedXML
	}
	v, err := h.svc.PutObjectLegalHold(r.Context(), t.bucket, t.key, r.URL.Query().Get("versionId"), x.Status == "ON")
	if err != nil {
		return err
	}
	setVersion(w.Header(), "X-Amz-Version-Id", v)
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) getObjectLegalHold(w http.ResponseWriter, r *http.Request, t target) error {
	l, err := h.svc.GetObjectLock(r.Context(), t.bucket, t.key, r.URL.Query().Get("versionId"))
	if err != nil {
		return err
	}
	if l.LegalHold == "" {
		return s3.ErrNoRetention
	}
	return restxml.Write(w, http.StatusOK, legalHoldXML{Xmlns: restxml.Namespace, Status: l.LegalHold})
}
