package server

import (
	"context"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Connection timeouts. A client gets headerTimeout from connecting to
// send its first request's headers and may then leave a connection idle
// for idleTimeout between requests.
const (
	headerTimeout = 30 * time.Second
	idleTimeout   = 2 * time.Minute
	// connSweepEvery is how often connWatch looks for connections over
	// their time: each is closed at most this long after it.
	connSweepEvery = 5 * time.Second
)

// connWatch closes the connections that have outstayed their timeout, in
// one sweep every few seconds. net/http's ReadHeaderTimeout and
// IdleTimeout set a read deadline three times per request, each a timer
// update: 3–6% of the CPU per request of a server that answers without
// doing anything, on two cores (docs/benchmarks.md). Here a request costs
// a context lookup, two atomic adds and two stores.
//
// The watch counts requests in its handler rather than following
// http.ConnState, which calls a connection active only once a request's
// headers are read and does not report an HTTP/2 connection that began
// with the preface as active (nor under the same net.Conn). A connection
// with requests in flight, HTTP/2 streams included, is never closed:
// handlers that wait, such as Kinesis's subscriptions, end on their own.
// One whose client sends headers slowly is closed after headerTimeout if
// it has yet to finish a request, after idleTimeout otherwise.
type connWatch struct {
	now   func() time.Time
	conns sync.Map // net.Conn → *watchedConn
}

type watchedConn struct {
	conn     net.Conn
	inFlight atomic.Int32
	served   atomic.Bool  // a request has finished
	since    atomic.Int64 // Unix nanoseconds of the connection or the last request's end
}

type watchedConnKey struct{}

func newConnWatch(now func() time.Time) *connWatch { return &connWatch{now: now} }

// connContext is the http.Server's ConnContext hook: it starts watching c.
func (w *connWatch) connContext(ctx context.Context, c net.Conn) context.Context {
	wc := &watchedConn{conn: c}
	wc.since.Store(w.now().UnixNano())
	w.conns.Store(c, wc)
	return context.WithValue(ctx, watchedConnKey{}, wc)
}

// connState is the http.Server's ConnState hook: it stops watching a
// connection that is closed or taken over.
func (w *connWatch) connState(c net.Conn, state http.ConnState) {
	if state == http.StateClosed || state == http.StateHijacked {
		w.conns.Delete(c)
	}
}

// begin marks a request in flight on its connection and returns the
// function to call when it is done. It returns false if a sweep is closing
// the connection: the request must then do nothing, since its answer
// cannot reach the client. Requests that did not come through the
// server's listener (tests that call ServeHTTP) are not counted.
func (w *connWatch) begin(r *http.Request) (done func(), ok bool) {
	wc, _ := r.Context().Value(watchedConnKey{}).(*watchedConn)
	if wc == nil {
		return func() {}, true
	}
	if wc.inFlight.Add(1) < 0 {
		return nil, false
	}
	return func() {
		wc.since.Store(w.now().UnixNano())
		wc.served.Store(true)
		wc.inFlight.Add(-1)
	}, true
}

// closing is inFlight once a sweep has claimed the connection: far enough
// below zero that requests beginning after it still find it negative.
const closing = -1 << 30

// sweep closes the connections over their time and returns how many.
func (w *connWatch) sweep() int {
	now := w.now().UnixNano()
	closed := 0
	w.conns.Range(func(k, v any) bool {
		wc := v.(*watchedConn)
		limit := headerTimeout
		if wc.served.Load() {
			limit = idleTimeout
		}
		// Claiming the connection (no request in flight, none able to
		// begin) before closing it means no request is cut off midway.
		if now-wc.since.Load() > int64(limit) && wc.inFlight.CompareAndSwap(0, closing) {
			w.conns.Delete(k)
			wc.conn.Close() // its serving goroutine sees the error and ends
			closed++
		}
		return true
	})
	return closed
}
