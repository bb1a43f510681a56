package awsjson

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// WriteError renders e as the JSON protocols do: the code in the
// X-Amzn-ErrorType header and in "__type", the message in "message".
func WriteError(w http.ResponseWriter, e *awserr.Error, requestID string) {
	body := map[string]string{"__type": e.Code, "message": e.Message}
	for _, f := range e.Fields {
		body[f.Name] = f.Value
	}
	b, _ := json.Marshal(body)
	h := w.Header()
	for _, f := range e.Header {
		h.Set(f.Name, f.Value)
	}
	h.Set("Content-Type", "application/x-amz-json-1.1")
	h.Set("X-Amzn-ErrorType", e.Code)
	h.Set("X-Amzn-RequestId", requestID)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(e.Status)
	w.Write(b)
}
