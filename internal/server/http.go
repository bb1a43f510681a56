package server

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"runtime/debug"
	"strings"
	"time"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/awsproto"
	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/awsjson"
	"github.com/lakebox/lakebox/internal/awsproto/restxml"
	"github.com/lakebox/lakebox/internal/dynamodb/ddbhttp"
)

// ServeHTTP is the front door of every request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := &exchange{info: awsproto.RequestInfo{Start: s.clock.Wall(), Host: r.Host}}
	info, sw := &x.info, &x.w
	sw.ResponseWriter = w
	info.ID, info.HostID = s.ids.next()
	// Keys already canonical and one slice for their values: Header.Set
	// would canonicalize each key and allocate each value's slice. The
	// JSON protocols (every request names an X-Amz-Target) answer with
	// x-amzn-RequestId alone, as AWS's do; S3 and Lakebox's own endpoints
	// with S3's pair.
	h := w.Header()
	if r.Header.Get("X-Amz-Target") != "" { // as dispatch and writeError tell the protocols apart
		h["Server"] = s.serverHeader // shared: a response may replace it, never write into it
	} else {
		v := []string{info.ID, info.HostID, "Lakebox"}
		h["X-Amz-Request-Id"], h["X-Amz-Id-2"], h["Server"] = v[0:1:1], v[1:2:2], v[2:3:3]
	}
	defer s.finish(sw, r, info)
	if s.admin(sw, r, info) {
		return
	}
	s.dispatch(sw, r, info)
}

// finish recovers from a panic, logs the request and records metrics.
func (s *Server) finish(w *statusWriter, r *http.Request, info *awsproto.RequestInfo) {
	p := recover()
	switch {
	case p == http.ErrAbortHandler:
		w.status = 0
	case p != nil:
		info.Err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		if !w.wrote {
			s.writeError(w, r, info, awserr.Internal(info.Err))
		}
	}
	elapsed := s.clock.Wall().Sub(info.Start)
	status := w.status
	if status == 0 && p == nil {
		status = http.StatusOK
	}
	s.metrics.observe(info.Service, info.Operation, status, elapsed)
	if s.cfg.AccessLog || info.Err != nil {
		level := slog.LevelInfo
		attrs := []slog.Attr{
			slog.String("request_id", info.ID),
			slog.String("service", info.Service),
			slog.String("operation", info.Operation),
			slog.String("method", r.Method),
			slog.Int("status", status),
			slog.Float64("latency_ms", float64(elapsed.Microseconds())/1000),
			slog.Int64("bytes_out", w.bytes),
		}
		if info.Account != "" {
			attrs = append(attrs, slog.String("account", info.Account))
		}
		if info.Err != nil {
			level = slog.LevelError
			attrs = append(attrs, slog.String("err", info.Err.Error()))
		}
		// A record made here skips the caller's program counter that
		// Logger.LogAttrs captures (runtime.Callers, a fifth of the line's
		// cost); the request line names its source in its fields.
		if h := s.log.Handler(); h.Enabled(r.Context(), level) {
			rec := slog.NewRecord(s.clock.Wall(), level, "request", 0)
			rec.AddAttrs(attrs...)
			h.Handle(r.Context(), rec)
		}
	}
	if p == http.ErrAbortHandler {
		panic(p)
	}
}

// dispatch authenticates the request and hands it to its service.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, info *awsproto.RequestInfo) {
	sig, err := s.verifier.Parse(r)
	service := "s3" // unsigned requests are anonymous S3 requests
	target := r.Header.Get("X-Amz-Target")
	switch {
	case sig != nil:
		service = sig.Service
	case target != "": // a JSON-protocol request, unsigned or its signature unreadable
		service = s.serviceOf(target)
	}
	handler, ok := s.services[service]
	if !ok {
		// info.Service stays empty, "unknown" in the metrics: a name
		// any client can make up must not become a metric series.
		info.Operation = "Unknown"
		s.writeError(w, r, info, unknownService(r, service))
		return
	}
	info.Service = service
	if err == nil && sig == nil && target != "" {
		err = errMissingToken
	}
	if err != nil {
		info.Operation = "Authenticate"
		s.writeError(w, r, info, err)
		return
	}
	id, err := s.verifier.Verify(r, sig)
	if err != nil {
		info.Operation = "Authenticate"
		s.writeError(w, r, info, err)
		return
	}
	info.Account, info.AccessKey = id.Account, id.AccessKey
	// One copy of the request for both values: Lakebox's own endpoints
	// and the errors above take info directly.
	handler.ServeHTTP(w, r.WithContext(auth.WithIdentity(awsproto.WithInfo(r.Context(), info), id)))
	// Handlers copy what they keep of a request: a body read whole for
	// its signature can be reused.
	s.verifier.Release(r)
}

// errMissingToken refuses an unsigned request to a JSON-protocol service.
var errMissingToken = awserr.New("MissingAuthenticationTokenException", 403, "Missing Authentication Token")

func unknownService(r *http.Request, service string) *awserr.Error {
	if service == "" {
		return errMissingToken
	}
	return awserr.NotImplemented("The AWS service \"" + service + "\"")
}

// jsonService is a JSON-protocol service: it knows its requests by their
// X-Amz-Target, signed or not, and writes the front door's refusals of
// them as it writes its own errors (DynamoDB's status, __type and CRC32).
type jsonService interface {
	Serves(target string) bool
	Refuse(w http.ResponseWriter, r *http.Request, info *awsproto.RequestInfo, e *awserr.Error)
}

var (
	_ jsonService = (*awsjson.Service)(nil)
	_ jsonService = (*ddbhttp.Handler)(nil)
)

// serviceOf returns the name of the JSON-protocol service target names an
// operation of, "" if none.
func (s *Server) serviceOf(target string) string {
	for name, h := range s.services {
		if js, ok := h.(jsonService); ok && js.Serves(target) {
			return name
		}
	}
	return ""
}

// writeError renders err in the protocol of the request: JSON for requests
// that name an X-Amz-Target (in their service's style once it is known),
// REST-XML (S3's) otherwise.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, info *awsproto.RequestInfo, err error) {
	e, ok := awserr.As(err)
	if !ok {
		e = awserr.Internal(err)
	}
	if e.Status >= 500 && info.Err == nil {
		info.Err = err
	}
	if r.Header.Get("X-Amz-Target") != "" {
		if js, ok := s.services[info.Service].(jsonService); ok {
			js.Refuse(w, r, info, e)
			return
		}
		awsjson.WriteError(w, awsjson.AuthError(e), info.ID)
		return
	}
	restxml.WriteError(w, r, e, info.ID, info.HostID)
}

// admin serves Lakebox's own endpoints and reports whether it did.
func (s *Server) admin(w http.ResponseWriter, r *http.Request, info *awsproto.RequestInfo) bool {
	info.Service = "lakebox"
	switch path := r.URL.Path; {
	case path == "/_lakebox/health":
		info.Operation = "Health"
		running := make(map[string]string, len(s.services))
		for name := range s.services {
			running[name] = "running"
		}
		writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "version": s.cfg.Version, "services": running})
	case path == "/_lakebox/clock":
		info.Operation = "Clock"
		s.clockEndpoint(w, r)
	case path == "/_lakebox/lifecycle":
		info.Operation = "Lifecycle"
		s.lifecycleEndpoint(w, r)
	case path == "/_lakebox/metrics" || path == "/metrics" && isUnsigned(r):
		info.Operation = "Metrics"
		s.metrics.handler.ServeHTTP(w, r)
	case s.cfg.Pprof && strings.HasPrefix(path, "/_lakebox/debug/pprof/"):
		info.Operation = "Pprof"
		servePprof(w, r)
	default:
		info.Service = ""
		return false
	}
	return true
}

// isUnsigned reports whether r carries no AWS signature: /metrics is
// Prometheus for unsigned requests and S3 (a bucket named "metrics") for
// signed ones.
func isUnsigned(r *http.Request) bool {
	q := r.URL.Query()
	return r.Header.Get("Authorization") == "" && !q.Has("X-Amz-Signature")
}

type clockState struct {
	Now    time.Time `json:"now"`
	Offset string    `json:"offset"`
}

func (s *Server) clockEndpoint(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
	case http.MethodPost:
		var req struct {
			Advance string `json:"advance"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<10)).Decode(&req); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "body must be {\"advance\": \"<Go duration>\"}"})
			return
		}
		d, err := time.ParseDuration(req.Advance)
		if err != nil || d < 0 {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": fmt.Sprintf("advance %q is not a non-negative Go duration such as \"720h\"", req.Advance)})
			return
		}
		if _, err := s.AdvanceClock(d); err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
			return
		}
		s.kickTimers()
	default:
		w.Header().Set("Allow", "GET, POST")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "use GET or POST"})
		return
	}
	writeJSON(w, http.StatusOK, clockState{Now: s.clock.Now(), Offset: s.clock.Offset().String()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// exchange is what the front door keeps of one request while it is
// served, allocated at once.
type exchange struct {
	info awsproto.RequestInfo
	w    statusWriter
}

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if !w.wrote {
		w.status, w.wrote = http.StatusOK, true
	}
	n, err := w.ResponseWriter.Write(p)
	w.bytes += int64(n)
	return n, err
}

// ReadFrom keeps sendfile for file bodies.
func (w *statusWriter) ReadFrom(r io.Reader) (int64, error) {
	if !w.wrote {
		w.status, w.wrote = http.StatusOK, true
	}
	var n int64
	var err error
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		n, err = rf.ReadFrom(r)
	} else {
		n, err = io.Copy(w.ResponseWriter, r)
	}
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// servePprof serves Go's profiles under /_lakebox/debug/pprof/ (with
// --pprof only).
func servePprof(w http.ResponseWriter, r *http.Request) {
	switch name := strings.TrimPrefix(r.URL.Path, "/_lakebox/debug/pprof/"); name {
	case "profile":
		pprof.Profile(w, r)
	case "trace":
		pprof.Trace(w, r)
	case "symbol":
		pprof.Symbol(w, r)
	case "cmdline":
		pprof.Cmdline(w, r)
	case "":
		pprof.Index(w, r)
	default:
		pprof.Handler(name).ServeHTTP(w, r)
	}
}

// lifecycleEndpoint runs a lifecycle pass now (POST) and reports what it
// did, so tests and users need not wait for the worker.
func (s *Server) lifecycleEndpoint(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "use POST"})
		return
	}
	st, err := s.s3.RunLifecycle(r.Context())
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, st)
}
