package main

import (
	"io"
	"net/http"
)

// runFloor answers every request with an empty JSON object: the least a
// Glue client accepts. It shows what the client and HTTP cost here.
func runFloor(addr string) {
	http.ListenAndServe(addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		io.WriteString(w, "{}")
	}))
}
