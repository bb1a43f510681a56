package awsproto

import (
	"context"
	"time"
)

// RequestInfo describes one request for logs and metrics. The server creates
// it; protocol adapters set Service and Operation once routed.
type RequestInfo struct {
	ID string
	// HostID is the x-amz-id-2 value.
	HostID    string
	Start     time.Time
	Service   string
	Operation string
	// Account and AccessKey are set once the request is authenticated.
	Account   string
	AccessKey string
	// Err is a failure's cause, for the log; it is never sent.
	Err error
}

type infoKey struct{}

// WithInfo returns a context carrying info.
func WithInfo(ctx context.Context, info *RequestInfo) context.Context {
	return context.WithValue(ctx, infoKey{}, info)
}

// Info returns the request's info. A context without one (a test calling a
// handler directly) gets a fresh, unshared value, so callers never check
// for nil.
func Info(ctx context.Context) *RequestInfo {
	if info, ok := ctx.Value(infoKey{}).(*RequestInfo); ok {
		return info
	}
	return &RequestInfo{}
}
