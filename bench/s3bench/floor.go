package main

import (
	"io"
	"net/http"
	"strconv"
	"strings"
)

// runFloor serves the least an S3 client accepts: 200 with an ETag for
// writes, zeros of the asked-for size for reads (?size=N), and one empty
// listing page. It stores nothing and verifies nothing; it shows what the
// client and HTTP cost on this machine.
func runFloor(addr string) {
	zeros := make([]byte, 1<<20)
	http.ListenAndServe(addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("ETag", `"d41d8cd98f00b204e9800998ecf8427e"`)
		switch {
		case r.Method == http.MethodGet && r.URL.Query().Has("list-type"):
			w.Header().Set("Content-Type", "application/xml")
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`)
		case r.Method == http.MethodGet:
			size, _ := strconv.Atoi(lastPathSegment(r.URL.Path))
			w.Header().Set("Content-Length", strconv.Itoa(size))
			for size > 0 {
				n := min(size, len(zeros))
				w.Write(zeros[:n])
				size -= n
			}
		}
	}))
}

// The floor reads the object size from the key: keys end in "-<size>".
func lastPathSegment(p string) string {
	if i := strings.LastIndexByte(p, '-'); i >= 0 {
		return p[i+1:]
	}
	return "0"
}
