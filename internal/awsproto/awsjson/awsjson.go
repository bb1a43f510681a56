package awsjson

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/fxamacker/cbor/v2"
	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"

	"github.com/lakebox/lakebox/internal/awsproto"
	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// MaxBodySize bounds a request body. AWS's largest JSON requests (batches
// of partitions or items) stay well below it.
const MaxBodySize = 32 << 20

// Handler answers one operation: body is the request's JSON (never empty;
// an empty body arrives as "{}"). The result is encoded as the response.
type Handler func(ctx context.Context, body []byte) (any, error)

// Op adapts a domain method to a Handler.
func Op[In, Out any](f func(context.Context, *In) (*Out, error)) Handler {
	return func(ctx context.Context, body []byte) (any, error) {
		in := new(In)
		if err := decode(body, in); err != nil {
			return nil, err
		}
		out, err := f(ctx, in)
		if err != nil {
			return nil, err
		}
		if out == nil {
			return struct{}{}, nil
		}
		return out, nil
	}
}

// decode reads a request body with encoding/json's semantics, through the
// faster decoder of json/v2 (go-json-experiment, the proposal for the
// standard library's encoding/json/v2): a PutRecords of 500 records
// decodes about four times faster.
func decode(body []byte, v any) error {
	if err := jsonv2.Unmarshal(body, v, v1Semantics); err != nil {
		var te *jsonv1.UnmarshalTypeError
		if errors.As(err, &te) {
			return SerializationError("Unexpected value for field " + te.Field + ": expected " + te.Type.String())
		}
		var ae *awserr.Error
		if errors.As(err, &ae) {
			return ae
		}
		return SerializationError("Invalid JSON in request body: " + err.Error())
	}
	return nil
}

// v1Semantics makes json/v2 decode as encoding/json does (names matched
// case-insensitively, duplicate names and invalid UTF-8 accepted).
var v1Semantics = jsonv1.DefaultOptionsV1()

// SerializationError is the answer to a body that does not decode.
func SerializationError(msg string) *awserr.Error {
	return awserr.New("SerializationException", http.StatusBadRequest, msg)
}

// Service serves one JSON-protocol service.
type Service struct {
	// TargetPrefix is the X-Amz-Target prefix before the dot, e.g.
	// "AWSGlue" or "Kinesis_20131202".
	TargetPrefix string
	// ContentType is "application/x-amz-json-1.1" or "...-1.0".
	ContentType string
	// Ops maps operation names to handlers.
	Ops map[string]Handler
	// InternalErrorCode replaces Lakebox's InternalError for this service,
	// e.g. "InternalServiceException" for Glue (default "InternalFailure",
	// the code every AWS service may return).
	InternalErrorCode string
	// MessageField is the member that carries an error's message in the
	// service's model: "message" (the default) or "Message" (Glue).
	// MessageFields names it for the errors whose shapes name it otherwise
	// (DynamoDB's TransactionCanceledException has "Message"), by code.
	MessageField  string
	MessageFields map[string]string
	// CBOR makes the service also accept bodies in CBOR
	// (CBORContentType), answering each request in its own encoding.
	CBOR bool
	// ErrorType, when set, gives an error's "__type" as the service writes
	// it: DynamoDB's carry the namespace of the code that raised them
	// ("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"). The
	// X-Amzn-ErrorType header keeps the bare code.
	ErrorType func(code string) string
	// CRC32 adds x-amz-crc32, the CRC32 (IEEE) of the body, to every
	// answer it writes whole, as DynamoDB does: its SDKs check the body
	// against it.
	CRC32 bool
	// ForbiddenStatus, when set, replaces the 403 left in the front door's
	// refusals (Refuse) once AuthError has made the others 400: DynamoDB
	// answers even a missing token with 400.
	ForbiddenStatus int
	// MissingTokenMessage, when set, is the message of the refusal of an
	// unsigned request: DynamoDB's "Request is missing Authentication
	// Token" (default "Missing Authentication Token").
	MissingTokenMessage string

	// buffers holds response buffers for reuse: a GetRecords response
	// runs to megabytes.
	buffers sync.Pool
}

// ServeHTTP routes by X-Amz-Target, decodes, calls and encodes.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	info := awsproto.Info(r.Context())
	enc := s.encoding(r)
	out, err := s.serve(r, info, enc)
	if err != nil {
		s.writeError(w, info, enc, err)
		return
	}
	if rel, ok := out.(Releaser); ok {
		defer rel.Release()
	}
	if st, ok := out.(Streamer); ok {
		h := w.Header()
		h.Set("X-Amzn-RequestId", info.ID)
		st.Stream(w, enc)
		return
	}
	buf, _ := s.buffers.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer s.putBuffer(buf)
	var b []byte
	if a, ok := out.(Appender); ok && !enc.cbor {
		b = a.AppendJSON(buf.AvailableBuffer())
		if cap(b) > buf.Cap() {
			*buf = *bytes.NewBuffer(b[:0]) // the grown buffer is the one to reuse
		}
	} else {
		var err error
		if b, err = s.encode(buf, enc, out); err != nil {
			s.writeError(w, info, enc, awserr.Internal(fmt.Errorf("awsjson: encode %s: %w", info.Operation, err)))
			return
		}
	}
	// Canonical keys and one slice for the values, as the server's own
	// headers: Header.Set costs an allocation per value. net/http works
	// out the Content-Length of an answer written whole within its
	// buffer: naming it here too would cost the header's copy, parse and
	// sort, on every small answer.
	h, v := w.Header(), []string{enc.ContentType, info.ID, "", ""}
	h["Content-Type"], h["X-Amzn-Requestid"] = v[0:1:1], v[1:2:2]
	if len(b) > autoLengthBody {
		v[2] = strconv.Itoa(len(b))
		h["Content-Length"] = v[2:3:3]
	}
	if s.CRC32 {
		v[3] = strconv.FormatUint(uint64(crc32.ChecksumIEEE(b)), 10)
		h["X-Amz-Crc32"] = v[3:4:4]
	}
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

// autoLengthBody is the largest answer net/http gives a Content-Length
// itself when the handler writes it whole and returns: its buffer before
// chunking (net/http's bufferBeforeChunkingSize). A larger one would go
// out chunked without the header.
const autoLengthBody = 2048

// Serves reports whether target, a request's X-Amz-Target, names one of
// this service's operations' prefix: the front door tells an unsigned
// request's service by it.
func (s *Service) Serves(target string) bool {
	prefix, _, ok := strings.Cut(target, ".")
	return ok && prefix == s.TargetPrefix
}

// Refuse writes e, the front door's answer to a request for this service
// that never reached an operation (its signature failed, say), as the
// service writes its own errors.
func (s *Service) Refuse(w http.ResponseWriter, r *http.Request, info *awsproto.RequestInfo, e *awserr.Error) {
	e = AuthError(e) // a copy
	if e.Status == http.StatusForbidden && s.ForbiddenStatus != 0 {
		e.Status = s.ForbiddenStatus
	}
	if e.Code == "MissingAuthenticationTokenException" && s.MissingTokenMessage != "" {
		e.Message = s.MissingTokenMessage
	}
	s.writeError(w, info, s.encoding(r), e)
}

// encoding returns the encoding of r's body, which its response uses too.
func (s *Service) encoding(r *http.Request) Encoding {
	if s.CBOR {
		ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
		if strings.EqualFold(strings.TrimSpace(ct), CBORContentType) {
			return Encoding{ContentType: CBORContentType, cbor: true}
		}
	}
	return Encoding{ContentType: s.ContentType}
}

// encode writes out into buf in enc and returns the bytes.
func (s *Service) encode(buf *bytes.Buffer, enc Encoding, out any) ([]byte, error) {
	if enc.cbor {
		return cborEnc.Marshal(out)
	}
	if err := json.NewEncoder(buf).Encode(out); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Streamer is a response that writes itself as it goes (an event stream):
// it sets its content type and status and writes the body in the
// request's encoding, flushing as it needs.
type Streamer interface {
	Stream(w http.ResponseWriter, enc Encoding)
}

// Appender is a response that encodes itself: the few responses that run
// to megabytes (GetRecords) append their JSON directly, without
// encoding/json's reflection and its second pass over what a
// json.Marshaler returns.
type Appender interface {
	AppendJSON(b []byte) []byte
}

// Releaser is a response holding memory it can give back once it is
// written (GetRecords' read buffer).
type Releaser interface {
	Release()
}

// maxPooledBuffer bounds the response buffers kept for reuse.
const maxPooledBuffer = 16 << 20

func (s *Service) putBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooledBuffer {
		b.Reset()
		s.buffers.Put(b)
	}
}

func (s *Service) serve(r *http.Request, info *awsproto.RequestInfo, enc Encoding) (any, error) {
	target := r.Header.Get("X-Amz-Target")
	prefix, op, ok := strings.Cut(target, ".")
	if !ok || prefix != s.TargetPrefix {
		info.Operation = "Unknown"
		return nil, awserr.New("UnknownOperationException", http.StatusBadRequest, "Unknown operation "+strconv.Quote(target))
	}
	h, ok := s.Ops[op]
	if !ok {
		info.Operation = "Unknown"
		return nil, awserr.New("UnknownOperationException", http.StatusBadRequest, target+" is not supported by Lakebox yet.")
	}
	info.Operation = op
	if r.Method != http.MethodPost {
		return nil, awserr.New("InvalidAction", http.StatusBadRequest, "JSON protocol requests must be POST requests")
	}
	body, err := readBody(r)
	if err != nil {
		var me *http.MaxBytesError
		if errors.As(err, &me) {
			return nil, SerializationError(fmt.Sprintf("Request body is larger than %d bytes", MaxBodySize))
		}
		return nil, awserr.New("IncompleteBody", http.StatusBadRequest, "The request body could not be read").Wrap(err)
	}
	switch {
	case enc.cbor && len(body) == 0, !enc.cbor && len(bytes.TrimSpace(body)) == 0:
		body = []byte("{}")
	case enc.cbor:
		if body, err = cborToJSON(body); err != nil {
			return nil, err
		}
	}
	return h(r.Context(), body)
}

// readBody returns the request's body, without a copy when SigV4
// verification has read it already.
func readBody(r *http.Request) ([]byte, error) {
	if b, ok := r.Body.(*awsproto.BufferedBody); ok {
		if len(b.Bytes()) > MaxBodySize {
			return nil, &http.MaxBytesError{Limit: MaxBodySize}
		}
		return b.Bytes(), nil
	}
	var buf bytes.Buffer
	if n := r.ContentLength; n > 0 && n <= MaxBodySize {
		buf.Grow(int(n) + bytes.MinRead) // one allocation, no regrowth
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(nil, r.Body, MaxBodySize))
	return buf.Bytes(), err
}

func (s *Service) writeError(w http.ResponseWriter, info *awsproto.RequestInfo, enc Encoding, err error) {
	e, ok := awserr.As(err)
	if !ok {
		e = awserr.Internal(err)
	}
	if e.Status >= 500 && info.Err == nil {
		info.Err = err
	}
	if e.Code == "InternalError" {
		code := s.InternalErrorCode
		if code == "" {
			code = "InternalFailure"
		}
		e = &awserr.Error{Code: code, Status: e.Status, Message: e.Message, Err: e.Err}
	}
	style := errorStyle{messageField: s.MessageField, typ: e.Code, crc: s.CRC32}
	if f, ok := s.MessageFields[e.Code]; ok {
		style.messageField = f
	}
	if s.ErrorType != nil {
		style.typ = s.ErrorType(e.Code)
	}
	writeError(w, e, info.ID, enc, style)
}

// WriteError renders e as the JSON protocols do: the code in the
// X-Amzn-ErrorType header and in "__type", the message in "message".
func WriteError(w http.ResponseWriter, e *awserr.Error, requestID string) {
	writeError(w, e, requestID, Encoding{ContentType: "application/x-amz-json-1.1"}, errorStyle{typ: e.Code})
}

// errorStyle is how a service writes its errors (see Service).
type errorStyle struct {
	messageField string // "message" when empty
	typ          string // the "__type"
	crc          bool
}

func writeError(w http.ResponseWriter, e *awserr.Error, requestID string, enc Encoding, style errorStyle) {
	messageField := style.messageField
	if messageField == "" {
		messageField = "message"
	}
	body := map[string]any{"__type": style.typ, messageField: e.Message}
	for _, f := range e.Fields {
		switch {
		case !f.Raw:
			body[f.Name] = f.Value
		case enc.cbor:
			if v, err := jsonToCBOR([]byte(f.Value)); err == nil {
				body[f.Name] = cbor.RawMessage(v)
			}
		default:
			body[f.Name] = json.RawMessage(f.Value)
		}
	}
	b, _ := enc.Marshal(body)
	h := w.Header()
	for _, f := range e.Header {
		h.Set(f.Name, f.Value)
	}
	h.Set("Content-Type", enc.ContentType)
	h.Set("X-Amzn-ErrorType", e.Code)
	h.Set("X-Amzn-RequestId", requestID)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	if style.crc {
		h.Set("X-Amz-Crc32", strconv.FormatUint(uint64(crc32.ChecksumIEEE(b)), 10))
	}
	w.WriteHeader(e.Status)
	w.Write(b)
}
