package s3http

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/restxml"
	"github.com/lakebox/lakebox/internal/s3"
)

type corsConfiguration struct {
	XMLName xml.Name      `xml:"CORSConfiguration"`
	Xmlns   string        `xml:"xmlns,attr,omitempty"`
	Rules   []corsRuleXML `xml:"CORSRule"`
}

type corsRuleXML struct {
	ID             string   `xml:"ID,omitempty"`
	AllowedHeaders []string `xml:"AllowedHeader"`
	AllowedMethods []string `xml:"AllowedMethod"`
	AllowedOrigins []string `xml:"AllowedOrigin"`
	ExposeHeaders  []string `xml:"ExposeHeader"`
	MaxAgeSeconds  *int     `xml:"MaxAgeSeconds"`
}

func (h *Handler) putBucketCors(w http.ResponseWriter, r *http.Request, t target) error {
	var cfg corsConfiguration
	if err := decodeDigested(r, &cfg); err != nil {
		return err
	}
	rules := make([]s3.CORSRule, 0, len(cfg.Rules))
	for _, x := range cfg.Rules {
		rule := s3.CORSRule{ID: x.ID, AllowedOrigins: x.AllowedOrigins, AllowedMethods: x.AllowedMethods,
			AllowedHeaders: x.AllowedHeaders, ExposeHeaders: x.ExposeHeaders}
		if x.MaxAgeSeconds != nil {
			rule.MaxAgeSeconds = *x.MaxAgeSeconds
		}
		rules = append(rules, rule)
	}
	if err := h.svc.PutBucketCors(r.Context(), t.bucket, rules); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) getBucketCors(w http.ResponseWriter, r *http.Request, t target) error {
	rules, err := h.svc.GetBucketCors(r.Context(), t.bucket)
	if err != nil {
		return err
	}
	cfg := corsConfiguration{Xmlns: restxml.Namespace}
	cfg.Rules = make([]corsRuleXML, len(rules))
	for i, rule := range rules {
		x := &cfg.Rules[i]
		x.ID, x.AllowedHeaders, x.AllowedMethods, x.AllowedOrigins, x.ExposeHeaders =
			rule.ID, rule.AllowedHeaders, rule.AllowedMethods, rule.AllowedOrigins, rule.ExposeHeaders
		if rule.MaxAgeSeconds > 0 {
			age := rule.MaxAgeSeconds
			x.MaxAgeSeconds = &age
		}
	}
	return restxml.Write(w, http.StatusOK, cfg)
}

func (h *Handler) deleteBucketCors(w http.ResponseWriter, r *http.Request, t target) error {
	if err := h.svc.DeleteBucketCors(r.Context(), t.bucket); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// preflight answers a browser's CORS preflight (OPTIONS) by the bucket's
// CORS configuration.
func (h *Handler) preflight(w http.ResponseWriter, r *http.Request, t target) error {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return awserr.New("BadRequest", 400, "Insufficient information. Origin request header needed.")
	}
	method := r.Header.Get("Access-Control-Request-Method")
	switch method {
	case "GET", "PUT", "POST", "DELETE", "HEAD":
	default:
		return awserr.New("BadRequest", 400, "Invalid Access-Control-Request-Method: "+method)
	}
	var headers []string
	for _, v := range r.Header.Values("Access-Control-Request-Headers") {
		headers = append(headers, strings.Split(v, ",")...)
	}
	rule, err := h.svc.MatchCORS(t.bucket, origin, method, headers)
	if err != nil {
		return err
	}
	setCORS(w.Header(), rule, origin)
	if len(headers) > 0 {
		w.Header().Set("Access-Control-Allow-Headers", strings.Join(trimAll(headers), ", "))
	}
	if rule.MaxAgeSeconds > 0 {
		w.Header().Set("Access-Control-Max-Age", strconv.Itoa(rule.MaxAgeSeconds))
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// corsHeaders adds the CORS response headers to a cross-origin request
// (one with an Origin header) that the bucket's configuration admits.
func (h *Handler) corsHeaders(w http.ResponseWriter, r *http.Request, t target) {
	origin := r.Header.Get("Origin")
	if origin == "" || t.bucket == "" {
		return
	}
	if rule, err := h.svc.MatchCORS(t.bucket, origin, r.Method, nil); err == nil {
		setCORS(w.Header(), rule, origin)
	}
}

func setCORS(h http.Header, rule *s3.CORSRule, origin string) {
	allowed := origin
	if len(rule.AllowedOrigins) == 1 && rule.AllowedOrigins[0] == "*" {
		allowed = "*"
	} else {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	h.Set("Access-Control-Allow-Origin", allowed)
	h.Set("Access-Control-Allow-Methods", strings.Join(rule.AllowedMethods, ", "))
	if len(rule.ExposeHeaders) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(rule.ExposeHeaders, ", "))
	}
	h.Add("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method")
}

func trimAll(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
