package s3http

import (
	"encoding/xml"
	"net/http"
	"strconv"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/restxml"
	"github.com/lakebox/lakebox/internal/s3"
)

// sseRequest reads the server-side encryption a write asks for.
func sseRequest(h http.Header) (s3.SSE, error) {
	sse := s3.SSE{
		Algorithm: h.Get("X-Amz-Server-Side-Encryption"),
		KMSKeyID:  h.Get("X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id"),
		Context:   h.Get("X-Amz-Server-Side-Encryption-Context"),
	}
	if v := h.Get("X-Amz-Server-Side-Encryption-Bucket-Key-Enabled"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return sse, awserr.New("InvalidArgument", 400, "Bucket key enabled must be true or false").
				With("ArgumentName", "x-amz-server-side-encryption-bucket-key-enabled").With("ArgumentValue", v)
		}
		sse.BucketKey = &b
	}
	return sse, nil
}

// customerKey reads SSE-C headers: a request's own, or with copySource its
// copy source's.
func customerKey(h http.Header, copySource bool) s3.CustomerKey {
	p := "X-Amz-Server-Side-Encryption-Customer-"
	if copySource {
		p = "X-Amz-Copy-Source-Server-Side-Encryption-Customer-"
	}
	return s3.CustomerKey{Algorithm: h.Get(p + "Algorithm"), Key: h.Get(p + "Key"), KeyMD5: h.Get(p + "Key-Md5")}
}

// setEncryption reports how an object is encrypted.
func setEncryption(h http.Header, e s3.Encryption) {
	if e.Algorithm != "" {
		h.Set("X-Amz-Server-Side-Encryption", e.Algorithm)
	}
	if e.KMSKeyID != "" {
		h.Set("X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id", e.KMSKeyID)
	}
	if e.Context != "" {
		h.Set("X-Amz-Server-Side-Encryption-Context", e.Context)
	}
	if e.BucketKey {
		h.Set("X-Amz-Server-Side-Encryption-Bucket-Key-Enabled", "true")
	}
	if e.CustomerAlgorithm != "" {
		h.Set("X-Amz-Server-Side-Encryption-Customer-Algorithm", e.CustomerAlgorithm)
		h.Set("X-Amz-Server-Side-Encryption-Customer-Key-Md5", e.CustomerKeyMD5)
	}
}

type encryptionConfiguration struct {
	XMLName xml.Name         `xml:"ServerSideEncryptionConfiguration"`
	Xmlns   string           `xml:"xmlns,attr,omitempty"`
	Rules   []encryptionRule `xml:"Rule"`
}

type encryptionRule struct {
	Default *struct {
		Algorithm string `xml:"SSEAlgorithm"`
		KMSKeyID  string `xml:"KMSMasterKeyID,omitempty"`
	} `xml:"ApplyServerSideEncryptionByDefault"`
	BucketKey bool `xml:"BucketKeyEnabled"`
}

func (h *Handler) putBucketEncryption(w http.ResponseWriter, r *http.Request, t target) error {
	var cfg encryptionConfiguration
	if err := restxml.Decode(r.Body, &cfg, maxXMLBody); err != nil {
		return err
	}
	if len(cfg.Rules) != 1 || cfg.Rules[0].Default == nil {
		return s3.ErrMalformedXML
	}
	rule := cfg.Rules[0]
	_, err := h.svc.PutBucketEncryption(r.Context(), &s3.PutBucketEncryptionInput{Bucket: t.bucket,
		Algorithm: rule.Default.Algorithm, KMSKeyID: rule.Default.KMSKeyID, BucketKey: rule.BucketKey})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) getBucketEncryption(w http.ResponseWriter, r *http.Request, t target) error {
	out, err := h.svc.GetBucketEncryption(r.Context(), &s3.GetBucketEncryptionInput{Bucket: t.bucket})
	if err != nil {
		return err
	}
	rule := encryptionRule{BucketKey: out.BucketKey}
	rule.Default = &struct {
		Algorithm string `xml:"SSEAlgorithm"`
		KMSKeyID  string `xml:"KMSMasterKeyID,omitempty"`
	}{out.Algorithm, out.KMSKeyID}
	cfg := encryptionConfiguration{Xmlns: restxml.Namespace, Rules: []encryptionRule{rule}}
	return restxml.Write(w, http.StatusOK, cfg)
}

func (h *Handler) deleteBucketEncryption(w http.ResponseWriter, r *http.Request, t target) error {
	if _, err := h.svc.DeleteBucketEncryption(r.Context(), &s3.DeleteBucketEncryptionInput{Bucket: t.bucket}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
