package awsproto

import (
	"bytes"
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
	// Host is the host (and port) the request was sent to, as its Host
	// header names it.
	Host string
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

// BufferedBody is a request body already read whole into memory (SigV4
// verification reads a JSON request's body to hash it): protocol
// adapters take its bytes instead of copying them again. A BufferedBody
// may be reused, with its buffer, once its request is answered (Reset).
type BufferedBody struct {
	bytes.Reader
	b []byte
}

// NewBufferedBody returns a body reading b.
func NewBufferedBody(b []byte) *BufferedBody {
	body := new(BufferedBody)
	body.Reset(b)
	return body
}

// Reset makes the body read b from its start.
func (b *BufferedBody) Reset(buf []byte) {
	b.b = buf
	b.Reader.Reset(buf)
}

// Bytes returns the whole body, however much of it was read.
func (b *BufferedBody) Bytes() []byte { return b.b }

// Close does nothing.
func (b *BufferedBody) Close() error { return nil }

// Release empties the body and returns its buffer for reuse.
func (b *BufferedBody) Release() []byte {
	buf := b.b
	b.Reset(nil)
	return buf[:0]
}
