package s3http

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/restxml"
	"github.com/lakebox/lakebox/internal/s3"
)

// maxXMLBody bounds request documents (tag sets, part lists, delete lists).
const maxXMLBody = 4 << 20

func (h *Handler) listBuckets(w http.ResponseWriter, r *http.Request, _ target) error {
	q := r.URL.Query()
	in := &s3.ListBucketsInput{Prefix: q.Get("prefix"), BucketRegion: q.Get("bucket-region"), ContinuationToken: q.Get("continuation-token")}
	if v := q.Get("max-buckets"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return awserr.New("InvalidArgument", 400, "Argument max-buckets must be an integer between 1 and 10000").With("ArgumentName", "max-buckets").With("ArgumentValue", v)
		}
		in.MaxBuckets = n
	}
	out, err := h.svc.ListBuckets(r.Context(), in)
	if err != nil {
		return err
	}
	res := listAllMyBucketsResult{Xmlns: restxml.Namespace, Owner: toOwner(out.Owner), Buckets: []bucketXML{},
		ContinuationToken: out.ContinuationToken, Prefix: out.Prefix}
	for _, b := range out.Buckets {
		res.Buckets = append(res.Buckets, bucketXML{Name: b.Name, CreationDate: xmlTime(b.Created), BucketRegion: b.Region})
	}
	return restxml.Write(w, http.StatusOK, res)
}

func (h *Handler) createBucket(w http.ResponseWriter, r *http.Request, t target) error {
	in := &s3.CreateBucketInput{Bucket: t.bucket, ACL: r.Header.Get("X-Amz-Acl"), ObjectOwnership: r.Header.Get("X-Amz-Object-Ownership")}
	if r.ContentLength != 0 {
		var cfg createBucketConfiguration
		if err := restxml.Decode(r.Body, &cfg, maxXMLBody); err != nil {
			return err
		}
		in.LocationConstraint = cfg.LocationConstraint
		for _, t := range cfg.Tags {
			in.Tags = append(in.Tags, s3.Tag(t))
		}
	}
	in.ObjectLock = r.Header.Get("X-Amz-Bucket-Object-Lock-Enabled") == "true"
	out, err := h.svc.CreateBucket(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", out.Location)
	w.Header().Set("X-Amz-Bucket-Arn", out.ARN)
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) headBucket(w http.ResponseWriter, r *http.Request, t target) error {
	out, err := h.svc.HeadBucket(r.Context(), &s3.HeadBucketInput{Bucket: t.bucket})
	if err != nil {
		return err
	}
	w.Header().Set("X-Amz-Bucket-Region", out.Region)
	w.Header().Set("X-Amz-Bucket-Arn", s3.BucketARN(t.bucket))
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) deleteBucket(w http.ResponseWriter, r *http.Request, t target) error {
	if _, err := h.svc.DeleteBucket(r.Context(), &s3.DeleteBucketInput{Bucket: t.bucket}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) getBucketLocation(w http.ResponseWriter, r *http.Request, t target) error {
	out, err := h.svc.GetBucketLocation(r.Context(), &s3.GetBucketLocationInput{Bucket: t.bucket})
	if err != nil {
		return err
	}
	return restxml.Write(w, http.StatusOK, locationConstraint{Xmlns: restxml.Namespace, Value: out.LocationConstraint})
}

func (h *Handler) putBucketTagging(w http.ResponseWriter, r *http.Request, t target) error {
	var tg tagging
	if err := restxml.Decode(r.Body, &tg, maxXMLBody); err != nil {
		return err
	}
	if _, err := h.svc.PutBucketTagging(r.Context(), &s3.PutBucketTaggingInput{Bucket: t.bucket, Tags: fromTagging(tg)}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) getBucketTagging(w http.ResponseWriter, r *http.Request, t target) error {
	out, err := h.svc.GetBucketTagging(r.Context(), &s3.GetBucketTaggingInput{Bucket: t.bucket})
	if err != nil {
		return err
	}
	return restxml.Write(w, http.StatusOK, toTagging(out.Tags))
}

func (h *Handler) deleteBucketTagging(w http.ResponseWriter, r *http.Request, t target) error {
	if _, err := h.svc.DeleteBucketTagging(r.Context(), &s3.DeleteBucketTaggingInput{Bucket: t.bucket}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) getBucketVersioning(w http.ResponseWriter, r *http.Request, t target) error {
	out, err := h.svc.GetBucketVersioning(r.Context(), &s3.GetBucketVersioningInput{Bucket: t.bucket})
	if err != nil {
		return err
	}
	return restxml.Write(w, http.StatusOK, versioningConfiguration{Xmlns: restxml.Namespace, Status: out.Status})
}

func (h *Handler) putBucketVersioning(w http.ResponseWriter, r *http.Request, t target) error {
	if err := refuseMFA(r); err != nil {
		return err
	}
	var cfg versioningConfiguration
	if err := restxml.Decode(r.Body, &cfg, maxXMLBody); err != nil {
		return err
	}
	_, err := h.svc.PutBucketVersioning(r.Context(), &s3.PutBucketVersioningInput{Bucket: t.bucket, Status: cfg.Status, MFADelete: cfg.MFADelete})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// ACLs are disabled on every bucket (S3's BucketOwnerEnforced default), so
// the only ACL is the owner's full control.
func (h *Handler) getBucketACL(w http.ResponseWriter, r *http.Request, t target) error {
	if err := h.checkBucket(r, t); err != nil {
		return err
	}
	return writeOwnerACL(w, r)
}

func (h *Handler) putBucketACL(w http.ResponseWriter, r *http.Request, t target) error {
	if err := h.checkBucket(r, t); err != nil {
		return err
	}
	return checkPutACL(w, r)
}

// checkPutACL accepts only a canned ACL that keeps the owner's full control.
func checkPutACL(w http.ResponseWriter, r *http.Request) error {
	switch acl := r.Header.Get("X-Amz-Acl"); {
	case r.ContentLength > 0, acl != "private" && acl != "bucket-owner-full-control":
		return s3.ErrACLNotAllowed
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func writeOwnerACL(w http.ResponseWriter, r *http.Request) error {
	owner := ownerFromRequest(r)
	acp := accessControlPolicy{Xmlns: restxml.Namespace, Owner: owner}
	acp.Grants = append(acp.Grants, struct {
		Grantee    granteeXML
		Permission string `xml:"Permission"`
	}{granteeXML{XSI: "http://www.w3.org/2001/XMLSchema-instance", Type: "CanonicalUser", ID: owner.ID, Display: owner.DisplayName}, "FULL_CONTROL"})
	return restxml.Write(w, http.StatusOK, acp)
}

// bucketConfig routes the bucket sub-resources whose configuration Lakebox
// does not carry out yet. Reading one answers as S3 does for a bucket
// without that configuration; deleting one that cannot exist succeeds, as in
// S3; setting one is refused with NotImplemented rather than stored and
// ignored.
func (h *Handler) bucketConfig(method string, q url.Values) (string, opFunc, bool) {
	for _, c := range []struct {
		param, name string
		missing     *awserr.Error
		get         any // a fixed document that is the truth for every bucket
	}{
		{"website", "BucketWebsite", s3.ErrNoSuchWebsite, nil},
		{"replication", "BucketReplication", s3.ErrNoSuchReplication, nil},
		{"analytics", "BucketAnalyticsConfiguration", s3.ErrNoSuchAnalytics, nil},
		{"inventory", "BucketInventoryConfiguration", s3.ErrNoSuchAnalytics, nil},
		{"logging", "BucketLogging", nil, emptyDoc("BucketLoggingStatus")},
		{"accelerate", "BucketAccelerateConfiguration", nil, emptyDoc("AccelerateConfiguration")},
		{"requestPayment", "BucketRequestPayment", nil, requestPaymentXML{Xmlns: restxml.Namespace, Payer: "BucketOwner"}},
	} {
		if !q.Has(c.param) {
			continue
		}
		switch method {
		case http.MethodGet:
			return "Get" + c.name, func(w http.ResponseWriter, r *http.Request, t target) error {
				if err := h.checkBucket(r, t); err != nil {
					return err
				}
				if c.get != nil {
					return restxml.Write(w, http.StatusOK, c.get)
				}
				return c.missing.With("BucketName", t.bucket)
			}, true
		case http.MethodDelete:
			if c.missing == nil {
				break
			}
			return "Delete" + c.name, func(w http.ResponseWriter, r *http.Request, t target) error {
				if err := h.checkBucket(r, t); err != nil {
					return err
				}
				w.WriteHeader(http.StatusNoContent)
				return nil
			}, true
		}
		return methodName(method) + c.name, notImplemented("Bucket " + c.param + " configuration"), true
	}
	return "", nil, false
}

func methodName(m string) string {
	switch m {
	case http.MethodPut, http.MethodPost:
		return "Put"
	case http.MethodDelete:
		return "Delete"
	}
	return "Get"
}

// checkBucket is the access check of an operation on a bucket.
func (h *Handler) checkBucket(r *http.Request, t target) error {
	_, err := h.svc.HeadBucket(r.Context(), &s3.HeadBucketInput{Bucket: t.bucket})
	return err
}

type emptyXML struct {
	XMLName xml.Name
	Xmlns   string `xml:"xmlns,attr"`
}

func emptyDoc(name string) emptyXML {
	return emptyXML{XMLName: xml.Name{Local: name}, Xmlns: restxml.Namespace}
}

type requestPaymentXML struct {
	XMLName xml.Name `xml:"RequestPaymentConfiguration"`
	Xmlns   string   `xml:"xmlns,attr"`
	Payer   string   `xml:"Payer"`
}

func ownerFromRequest(r *http.Request) *ownerXML {
	return toOwner(s3.OwnerOf(auth.FromContext(r.Context()).Account))
}

func (h *Handler) putBucketPolicy(w http.ResponseWriter, r *http.Request, t target) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, s3.MaxPolicySize+1))
	if err != nil {
		return err
	}
	if _, err := h.svc.PutBucketPolicy(r.Context(), &s3.PutBucketPolicyInput{Bucket: t.bucket, Policy: string(body)}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) getBucketPolicy(w http.ResponseWriter, r *http.Request, t target) error {
	out, err := h.svc.GetBucketPolicy(r.Context(), &s3.GetBucketPolicyInput{Bucket: t.bucket})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(out.Policy)))
	w.WriteHeader(http.StatusOK)
	_, err = io.WriteString(w, out.Policy)
	return err
}

func (h *Handler) deleteBucketPolicy(w http.ResponseWriter, r *http.Request, t target) error {
	if _, err := h.svc.DeleteBucketPolicy(r.Context(), &s3.DeleteBucketPolicyInput{Bucket: t.bucket}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type policyStatusXML struct {
	XMLName  xml.Name `xml:"PolicyStatus"`
	Xmlns    string   `xml:"xmlns,attr"`
	IsPublic bool     `xml:"IsPublic"`
}

func (h *Handler) getBucketPolicyStatus(w http.ResponseWriter, r *http.Request, t target) error {
	out, err := h.svc.GetBucketPolicyStatus(r.Context(), &s3.GetBucketPolicyStatusInput{Bucket: t.bucket})
	if err != nil {
		return err
	}
	return restxml.Write(w, http.StatusOK, policyStatusXML{Xmlns: restxml.Namespace, IsPublic: out.IsPublic})
}
