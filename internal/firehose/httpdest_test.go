package firehose

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// AWS's response contract: 200, application/json, the request's id and a
// numeric timestamp, at most 1 MiB; anything else fails with its code.
func TestCheckResponse(t *testing.T) {
	for _, tc := range []struct {
		name        string
		status      int
		contentType string
		body        string
		code        string // "" for success
		permanent   bool
	}{
		{"ok", 200, "application/json", `{"requestId":"r1","timestamp":1578090903599}`, "", false},
		{"charset", 200, "application/json; charset=utf-8", `{"requestId":"r1","timestamp":1}`, "", false},
		{"error status", 500, "application/json", `{"requestId":"r1","timestamp":1,"errorMessage":"down"}`, "HttpEndpoint.DestinationException", false},
		{"other 2xx", 202, "application/json", `{"requestId":"r1","timestamp":1}`, "HttpEndpoint.DestinationException", false},
		{"too large a request", 413, "application/json", `{}`, "HttpEndpoint.DestinationException", true},
		{"wrong id", 200, "application/json", `{"requestId":"r2","timestamp":1}`, "HttpEndpoint.InvalidResponseFromDestination", false},
		{"no id", 200, "application/json", `{"timestamp":1}`, "HttpEndpoint.InvalidResponseFromDestination", false},
		{"string timestamp", 200, "application/json", `{"requestId":"r1","timestamp":"1"}`, "HttpEndpoint.InvalidResponseFromDestination", false},
		{"no timestamp", 200, "application/json", `{"requestId":"r1"}`, "HttpEndpoint.InvalidResponseFromDestination", false},
		{"not JSON", 200, "application/json", `ok`, "HttpEndpoint.InvalidResponseFromDestination", false},
		{"text", 200, "text/plain", `{"requestId":"r1","timestamp":1}`, "HttpEndpoint.InvalidResponseFromDestination", false},
		{"huge", 200, "application/json", `{"requestId":"r1","timestamp":1,"x":"` + strings.Repeat("x", maxHTTPResponse) + `"}`, "HttpEndpoint.ResponseTooLarge", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: tc.status, Header: http.Header{"Content-Type": {tc.contentType}}}
			err := checkResponse(resp, []byte(tc.body), "r1")
			var f *httpFailure
			switch {
			case tc.code == "" && err != nil:
				t.Fatalf("failed: %v", err)
			case tc.code != "" && (!errors.As(err, &f) || f.code != tc.code || f.permanent != tc.permanent):
				t.Fatalf("got %v (permanent %v), want %s (permanent %v)", err, f != nil && f.permanent, tc.code, tc.permanent)
			}
		})
	}
}

// The request body is the contract's JSON, records in base64.
func TestHTTPBody(t *testing.T) {
	body := httpBody(`id-"1"`, 1578090901599, [][]byte{[]byte("hello"), {}, []byte("hello world")})
	var got struct {
		RequestID string `json:"requestId"`
		Timestamp int64  `json:"timestamp"`
		Records   []struct {
			Data []byte `json:"data"`
		} `json:"records"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	if got.RequestID != `id-"1"` || got.Timestamp != 1578090901599 || len(got.Records) != 3 ||
		string(got.Records[0].Data) != "hello" || len(got.Records[1].Data) != 0 || string(got.Records[2].Data) != "hello world" {
		t.Fatalf("%s", body)
	}
	if len(body) > cap(body) || cap(body)-len(body) > 64+len(`id-"1"`) {
		t.Fatalf("sized %d for %d bytes", cap(body), len(body))
	}
}
