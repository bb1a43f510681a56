package main

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// receiver is an HTTP endpoint for the http mode: it decodes every
// request as Firehose's contract defines it, counts the records and
// answers as the contract wants.
type receiver struct {
	url      string
	srv      *http.Server
	records  atomic.Int64
	requests atomic.Int64
}

func newReceiver() (*receiver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	rc := &receiver{url: "http://" + ln.Addr().String() + "/"}
	rc.srv = &http.Server{Handler: rc}
	go rc.srv.Serve(ln)
	return rc, nil
}

func (rc *receiver) close() { rc.srv.Close() }

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		z, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		body = z
	}
	var req struct {
		RequestID string            `json:"requestId"`
		Records   []json.RawMessage `json:"records"`
	}
	if err := json.NewDecoder(body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rc.records.Add(int64(len(req.Records)))
	rc.requests.Add(1)
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"requestId":%q,"timestamp":%d}`, req.RequestID, time.Now().UnixMilli())
}

// wait waits until the receiver has taken want records.
func (rc *receiver) wait(ctx context.Context, want int64) error {
	deadline := time.Now().Add(5 * time.Minute)
	for rc.records.Load() < want {
		if time.Now().After(deadline) {
			return errors.New("records did not reach the HTTP endpoint in five minutes")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
	return nil
}
