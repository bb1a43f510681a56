package s3

import (
	"math"
	"strings"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// Conditions are the HTTP preconditions of a read (If-*) or of a copy
// source (x-amz-copy-source-if-*). Zero fields are absent.
type Conditions struct {
	IfMatch           string
	IfNoneMatch       string
	IfModifiedSince   time.Time
	IfUnmodifiedSince time.Time
}

func etagMatches(list, etag string) bool {
	for e := range strings.SplitSeq(list, ",") {
		if e = strings.TrimSpace(e); e == "*" || cleanETag(e) == etag {
			return true
		}
	}
	return false
}

// checkRead evaluates read preconditions in the order RFC 9110 gives and S3
// follows: If-Match, else If-Unmodified-Since (412); then If-None-Match, else
// If-Modified-Since (304). Times compare at HTTP-date (second) precision.
func (c Conditions) checkRead(o *objectRecord) error {
	mod := o.Modified.Truncate(time.Second)
	switch {
	case c.IfMatch != "":
		if !etagMatches(c.IfMatch, o.ETag) {
			return ErrPreconditionFailed.With("Condition", "If-Match")
		}
	case !c.IfUnmodifiedSince.IsZero():
		if mod.After(c.IfUnmodifiedSince) {
			return ErrPreconditionFailed.With("Condition", "If-Unmodified-Since")
		}
	}
	switch {
	case c.IfNoneMatch != "":
		if etagMatches(c.IfNoneMatch, o.ETag) {
			return notModified(o)
		}
	case !c.IfModifiedSince.IsZero():
		if !mod.After(c.IfModifiedSince) {
			return notModified(o)
		}
	}
	return nil
}

func notModified(o *objectRecord) error {
	return ErrNotModified.
		WithHeader("ETag", `"`+o.ETag+`"`).
		WithHeader("Last-Modified", o.Modified.Format(time.RFC1123))
}

// checkCopySource evaluates x-amz-copy-source-if-* conditions: every failure
// is a 412, as S3 answers.
func (c Conditions) checkCopySource(o *objectRecord) error {
	mod := o.Modified.Truncate(time.Second)
	switch {
	case c.IfMatch != "" && !etagMatches(c.IfMatch, o.ETag):
		return ErrPreconditionFailed.With("Condition", "x-amz-copy-source-If-Match")
	case c.IfNoneMatch != "" && etagMatches(c.IfNoneMatch, o.ETag):
		return ErrPreconditionFailed.With("Condition", "x-amz-copy-source-If-None-Match")
	case c.IfMatch == "" && !c.IfUnmodifiedSince.IsZero() && mod.After(c.IfUnmodifiedSince):
		return ErrPreconditionFailed.With("Condition", "x-amz-copy-source-If-Unmodified-Since")
	case c.IfNoneMatch == "" && !c.IfModifiedSince.IsZero() && !mod.After(c.IfModifiedSince):
		return ErrPreconditionFailed.With("Condition", "x-amz-copy-source-If-Modified-Since")
	}
	return nil
}

// WriteConditions are the preconditions of a conditional write.
type WriteConditions struct {
	// IfMatch requires the current object to have this ETag.
	IfMatch string
	// IfNoneMatch may only be "*": the object must not exist.
	IfNoneMatch string
}

func (w WriteConditions) validate() error {
	if w.IfNoneMatch != "" && w.IfNoneMatch != "*" {
		return awserr.New("NotImplemented", 501, "A header you provided implies functionality that is not implemented").With("Header", "If-None-Match")
	}
	return nil
}

// check evaluates the conditions against the current object (nil if none).
func (w WriteConditions) check(cur *objectRecord, key string) error {
	if w.IfNoneMatch == "*" && cur != nil {
		return ErrPreconditionFailed.With("Condition", "If-None-Match")
	}
	if w.IfMatch != "" {
		if cur == nil {
			return noSuchKey(key)
		}
		if !etagMatches(w.IfMatch, cur.ETag) {
			return ErrPreconditionFailed.With("Condition", "If-Match")
		}
	}
	return nil
}

// Range is a resolved byte range of an object.
type Range struct {
	Start, Length int64
}

// parseRange resolves a Range header against an object size. It returns nil
// for no range or one S3 ignores (anything but a single "bytes=first-last",
// "bytes=first-" or "bytes=-suffix" of plain digits), and InvalidRange for an
// unsatisfiable one.
func parseRange(h string, size int64) (*Range, error) {
	spec, ok := strings.CutPrefix(h, "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return nil, nil
	}
	first, last, ok := strings.Cut(spec, "-")
	if !ok {
		return nil, nil
	}
	unsatisfiable := ErrInvalidRange.With("RangeRequested", h).With("ActualObjectSize", i64toa(size))
	if first == "" { // suffix: the last n bytes
		n, ok := digits(last)
		switch {
		case !ok:
			return nil, nil
		case n == 0:
			return nil, unsatisfiable
		case size == 0:
			return nil, nil // S3 answers with the whole (empty) object
		}
		n = min(n, size)
		return &Range{Start: size - n, Length: n}, nil
	}
	start, ok := digits(first)
	if !ok {
		return nil, nil
	}
	end := size - 1
	if last != "" {
		e, ok := digits(last)
		if !ok || e < start {
			return nil, nil
		}
		end = min(e, size-1)
	}
	if start >= size {
		return nil, unsatisfiable
	}
	return &Range{Start: start, Length: end - start + 1}, nil
}

// digits parses a non-empty run of ASCII digits; values beyond int64 are
// capped, which is past the end of any object.
func digits(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > (math.MaxInt64-9)/10 {
			n = math.MaxInt64
			continue
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}
