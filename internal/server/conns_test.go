package server

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// fakeConn is a connection that only records being closed.
type fakeConn struct {
	net.Conn
	closed atomic.Bool
}

func (c *fakeConn) Close() error { c.closed.Store(true); return nil }

func TestConnWatch(t *testing.T) {
	for _, tc := range []struct {
		name     string
		served   bool // a request has finished on it
		inFlight bool // a request is running on it
		idle     time.Duration
		closed   bool
	}{
		{name: "new, within the header timeout", idle: headerTimeout, closed: false},
		{name: "new, past the header timeout", idle: headerTimeout + time.Second, closed: true},
		{name: "idle, past the header timeout", served: true, idle: headerTimeout + time.Second, closed: false},
		{name: "idle, within the idle timeout", served: true, idle: idleTimeout, closed: false},
		{name: "idle, past the idle timeout", served: true, idle: idleTimeout + time.Second, closed: true},
		{name: "a request running for long", inFlight: true, idle: time.Hour, closed: false},
		{name: "a request running for long after others", served: true, inFlight: true, idle: time.Hour, closed: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := time.Unix(1_700_000_000, 0)
			w := newConnWatch(func() time.Time { return now })
			c := &fakeConn{}
			r := httptest.NewRequest("GET", "/", nil).WithContext(w.connContext(context.Background(), c))
			if tc.served {
				done, ok := w.begin(r)
				if !ok {
					t.Fatal("begin refused a request on a live connection")
				}
				done()
			}
			if tc.inFlight {
				if _, ok := w.begin(r); !ok {
					t.Fatal("begin refused a request on a live connection")
				}
			}
			now = now.Add(tc.idle)
			if n := w.sweep(); n != map[bool]int{false: 0, true: 1}[tc.closed] || c.closed.Load() != tc.closed {
				t.Fatalf("sweep closed %d, connection closed: %v; want closed: %v", n, c.closed.Load(), tc.closed)
			}
			if tc.closed {
				if _, ok := w.begin(r); ok {
					t.Error("begin accepted a request on a connection the sweep closed")
				}
				if n := w.sweep(); n != 0 {
					t.Errorf("a second sweep closed %d", n)
				}
			}
		})
	}
}

func TestConnWatch_ForgetsClosedConnections(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	w := newConnWatch(func() time.Time { return now })
	for _, state := range []http.ConnState{http.StateClosed, http.StateHijacked} {
		c := &fakeConn{}
		w.connContext(context.Background(), c)
		w.connState(c, http.StateActive)
		w.connState(c, http.StateIdle)
		w.connState(c, state)
		now = now.Add(time.Hour)
		if n := w.sweep(); n != 0 || c.closed.Load() {
			t.Errorf("after %v: sweep closed %d connections", state, n)
		}
		n := 0
		w.conns.Range(func(any, any) bool { n++; return true })
		if n != 0 {
			t.Errorf("after %v: %d connections still watched", state, n)
		}
	}
}

// A request that did not come through the listener (in-process tests)
// is served as usual.
func TestConnWatch_RequestWithoutConnection(t *testing.T) {
	w := newConnWatch(time.Now)
	done, ok := w.begin(httptest.NewRequest("GET", "/", nil))
	if !ok {
		t.Fatal("begin refused a request without a watched connection")
	}
	done()
}

// Through a real listener: a connection that never sends a request is
// closed once the header timeout has passed, one that has been served
// stays open for the next request.
func TestServe_ClosesSilentConnections(t *testing.T) {
	var now atomic.Int64
	now.Store(time.Unix(1_700_000_000, 0).UnixNano())
	s, err := New(Config{DataDir: t.TempDir(), Wall: func() time.Time { return time.Unix(0, now.Load()) }})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-errc; err != nil {
			t.Error(err)
		}
		s.Close()
	})

	silent, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	served, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer served.Close()
	health := func() {
		t.Helper()
		if _, err := served.Write([]byte("GET /_lakebox/health HTTP/1.1\r\nHost: lakebox\r\n\r\n")); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(served), nil)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("health: %s", resp.Status)
		}
	}
	health()
	// The server may not have accepted the silent connection yet.
	for deadline := time.Now().Add(10 * time.Second); ; {
		n := 0
		s.conns.conns.Range(func(any, any) bool { n++; return true })
		if n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server watches %d connections, want 2", n)
		}
		time.Sleep(time.Millisecond)
	}

	now.Add(int64(headerTimeout + time.Second))
	if n := s.conns.sweep(); n != 1 {
		t.Fatalf("sweep closed %d connections, want 1", n)
	}
	silent.SetReadDeadline(time.Now().Add(10 * time.Second))
	if n, err := silent.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("silent connection: read %d, %v; want EOF", n, err)
	}
	health()
}
