package restxml

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"strconv"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// ErrMalformedXML is the error for a request body that is not the XML
// document expected.
var ErrMalformedXML = awserr.New("MalformedXML", 400,
	"The XML you provided was not well-formed or did not validate against our published schema")

// Namespace is the S3 XML namespace.
const Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

// Write renders v as an XML document with the given status.
func Write(w http.ResponseWriter, status int, v any) error {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(&buf).Encode(v); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// Decode reads one XML document of at most limit bytes into v. Anything
// that is not well-formed XML for v is ErrMalformedXML.
func Decode(r io.Reader, v any, limit int64) error {
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		if _, ok := awserr.As(err); ok {
			return err
		}
		return awserr.New("IncompleteBody", 400, "The request body terminated unexpectedly").Wrap(err)
	}
	if int64(len(body)) > limit {
		return ErrMalformedXML.WithMessage("The XML you provided was larger than the maximum of %d bytes allowed.", limit)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return ErrMalformedXML
	}
	if err := xml.Unmarshal(body, v); err != nil {
		return ErrMalformedXML.Wrap(err)
	}
	return nil
}

type errorBody struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	Fields    []field
	RequestID string `xml:"RequestId"`
	HostID    string `xml:"HostId"`
}

type field struct {
	XMLName xml.Name
	Value   string `xml:",chardata"`
}

// WriteError renders e as S3 does: its status, its extra headers, and an
// <Error> document unless the request was HEAD or the status forbids a body.
func WriteError(w http.ResponseWriter, r *http.Request, e *awserr.Error, requestID, hostID string) {
	h := w.Header()
	for _, f := range e.Header {
		h.Set(f.Name, f.Value)
	}
	if r.Method == http.MethodHead || e.Status == http.StatusNotModified || e.Status < 200 {
		h.Del("Content-Type")
		h.Del("Content-Length")
		w.WriteHeader(e.Status)
		return
	}
	body := errorBody{Code: e.Code, Message: e.Message, RequestID: requestID, HostID: hostID}
	for _, f := range e.Fields {
		body.Fields = append(body.Fields, field{XMLName: xml.Name{Local: f.Name}, Value: f.Value})
	}
	h.Del("Content-Disposition")
	h.Del("Content-Encoding")
	Write(w, e.Status, body)
}
