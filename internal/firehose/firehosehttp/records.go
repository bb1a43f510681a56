package firehosehttp

import (
	"bytes"
	"context"
	"sync"

	"github.com/segmentio/asm/base64"

	"github.com/lakebox/lakebox/internal/awsproto/awsjson"
	"github.com/lakebox/lakebox/internal/firehose"
)

// putRecordBatch decodes PutRecordBatch by hand when the body has the
// shape SDKs send, {"DeliveryStreamName":"…","Records":[{"Data":"…"},…]}
// with plain strings, and with the generic decoder otherwise (which also
// gives any error its message). It is the one large request — up to 4 MiB
// of base64 — and the generic decoder validated every string before
// decoding it: a fifth of the server's ingest time. Every record's data
// is decoded into one allocation.
func putRecordBatch(svc *firehose.Service) awsjson.Handler {
	generic := awsjson.Op(svc.PutRecordBatch)
	var pool sync.Pool // of *[]byte: buffers records are decoded into
	return func(ctx context.Context, body []byte) (any, error) {
		buf, _ := pool.Get().(*[]byte)
		if buf == nil {
			buf = new([]byte)
		}
		defer pool.Put(buf)
		in, ok := decodeBatch(body, buf)
		if !ok {
			return generic(ctx, body)
		}
		// The service copies the records into its log before it returns:
		// the buffer is free for the next request then.
		return svc.PutRecordBatch(ctx, in)
	}
}

// decodeBatch reads a PutRecordBatch body of the common shape, or reports
// that it is not one. The records' data is decoded into *buf, grown as
// need be.
func decodeBatch(body []byte, buf *[]byte) (*firehose.PutRecordBatchInput, bool) {
	s := scanner{b: body}
	in := &firehose.PutRecordBatchInput{}
	if !s.byte('{') {
		return nil, false
	}
	seenName, seenRecords := false, false
	if n := base64.StdEncoding.DecodedLen(len(body)); cap(*buf) < n {
		*buf = make([]byte, 0, n)
	}
	data := (*buf)[:0]
	for {
		key, ok := s.str()
		if !ok || !s.byte(':') {
			return nil, false
		}
		switch string(key) {
		case "DeliveryStreamName":
			name, ok := s.str()
			if !ok || seenName {
				return nil, false
			}
			in.DeliveryStreamName, seenName = string(name), true
		case "Records":
			if seenRecords || !s.byte('[') {
				return nil, false
			}
			seenRecords = true
			in.Records = []firehose.Record{}
			if !s.byte(']') {
				for {
					if !s.byte('{') {
						return nil, false
					}
					if k, ok := s.str(); !ok || string(k) != "Data" || !s.byte(':') {
						return nil, false
					}
					enc, ok := s.base64()
					if !ok {
						return nil, false
					}
					start := len(data)
					// segmentio/asm's AVX2 loop stores 32 bytes for every
					// 24 it decodes, but only while 45 or more characters
					// remain: its spare bytes land within this record's own
					// output, written next, never on the records before.
					n, err := base64.StdEncoding.Decode(data[start:cap(data)], enc)
					if err != nil {
						return nil, false
					}
					data = data[:start+n]
					in.Records = append(in.Records, firehose.Record{Data: data[start : start+n : start+n]})
					if !s.byte('}') {
						return nil, false
					}
					if s.byte(']') {
						break
					}
					if !s.byte(',') {
						return nil, false
					}
				}
			}
		default:
			return nil, false
		}
		if s.byte('}') {
			break
		}
		if !s.byte(',') {
			return nil, false
		}
	}
	s.space()
	return in, s.i == len(s.b) && seenName && seenRecords
}

// scanner reads the little JSON decodeBatch accepts.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) space() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
		s.i++
	}
}

// byte consumes c after any space, if it is next.
func (s *scanner) byte(c byte) bool {
	s.space()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// base64 consumes a string of base64 and returns its contents: any
// character base64 does not use but the line breaks its decoder skips
// (and JSON forbids raw) fails the decoding.
func (s *scanner) base64() ([]byte, bool) {
	v, ok := s.quoted()
	if !ok || bytes.IndexByte(v, '\\') >= 0 || bytes.IndexByte(v, '\n') >= 0 || bytes.IndexByte(v, '\r') >= 0 {
		return nil, false
	}
	return v, true
}

// str consumes a string without escapes or control characters, in
// ASCII (anything else is left to the generic decoder), and returns its
// contents.
func (s *scanner) str() ([]byte, bool) {
	v, ok := s.quoted()
	if !ok {
		return nil, false
	}
	for _, c := range v {
		if c == '\\' || c < 0x20 || c >= 0x80 {
			return nil, false
		}
	}
	return v, true
}

// quoted consumes the text from a quote to the next one.
func (s *scanner) quoted() ([]byte, bool) {
	if !s.byte('"') {
		return nil, false
	}
	end := bytes.IndexByte(s.b[s.i:], '"')
	if end < 0 {
		return nil, false
	}
	v := s.b[s.i : s.i+end]
	s.i += end + 1
	return v, true
}
