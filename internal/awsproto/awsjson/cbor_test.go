package awsjson

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/epoch"
)

func TestCBORToJSON(t *testing.T) {
	for _, tc := range []struct {
		name, cbor, json string // cbor in hex
	}{
		{"EmptyMap", "a0", `{}`},
		// Jackson's CBORGenerator, which the AWS SDK for Java uses, writes
		// objects as indefinite-length maps.
		{"IndefiniteMap", "bf644e616d656461626364ff", `{"Name":"abcd"}`},
		{"Integers", "a36141006142206143 3bffffffffffffffff", `{"A":0,"B":-1,"C":-18446744073709551616}`},
		{"ByteString", "a164446174614401020304", `{"Data":"AQIDBA=="}`},
		{"IndefiniteByteString", "a164446174615f42010242030 4ff", `{"Data":"AQIDBA=="}`},
		{"TimestampMillis", "a16954696d657374616d70c11b0000018bcfe5687b", `{"Timestamp":1700000000.123}`},
		{"TimestampWhole", "a16954696d657374616d70c11b0000018bcfe56800", `{"Timestamp":1700000000}`},
		{"TimestampFloat", "a16954696d657374616d70c1fb4278bcfe5687b000", `{"Timestamp":1700000000.123}`},
		{"OtherTagReadThrough", "a16141d82063616263", `{"A":"abc"}`},
		{"Nested", "a1615282a1614bf5f6", `{"R":[{"K":true},null]}`},
		{"Float", "a16146fb3ff8000000000000", `{"F":1.5}`},
		{"Unicode", "a16153 62c3a9", `{"S":"é"}`},
		{"SortedKeys", "a2614201614101", `{"A":1,"B":1}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, err := hex.DecodeString(strings.ReplaceAll(tc.cbor, " ", ""))
			if err != nil {
				t.Fatal(err)
			}
			got, err := cborToJSON(in)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.json {
				t.Fatalf("got %s, want %s", got, tc.json)
			}
		})
	}
}

func TestCBORToJSON_Bad(t *testing.T) {
	for _, tc := range []struct{ name, cbor string }{
		{"Truncated", "a16141"},
		{"TrailingData", "a0a0"},
		{"IntegerKey", "a10102"},
		{"NaN", "a16146f97e00"},
		{"TimestampOfText", "a16154c16161"},
		{"InvalidUTF8", "a1614162ff fe"},
		{"Break", "ff"},
		{"TooDeep", strings.Repeat("81", 40) + "00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, _ := hex.DecodeString(strings.ReplaceAll(tc.cbor, " ", ""))
			_, err := cborToJSON(in)
			e, ok := awserr.As(err)
			if !ok || e.Code != "SerializationException" {
				t.Fatalf("err = %v, want SerializationException", err)
			}
		})
	}
}

// FuzzCBORToJSON: any body either transcodes to valid JSON or is refused
// with a SerializationException.
func FuzzCBORToJSON(f *testing.F) {
	for _, s := range []string{"a0", "bf644e616d656461626364ff", "a16954696d657374616d70c11b0000018bcfe5687b", "a1615282a1614bf5f6"} {
		b, _ := hex.DecodeString(s)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := cborToJSON(b)
		if err != nil {
			if e, ok := awserr.As(err); !ok || e.Code != "SerializationException" {
				t.Fatalf("err = %v", err)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("invalid JSON %q from %x", out, b)
		}
	})
}

type blobIn struct {
	Data []byte      `json:"Data"`
	At   *epoch.Time `json:"At,omitempty"`
}

type blobOut struct {
	Data  []byte      `json:"Data"`
	At    epoch.Time  `json:"At"`
	Maybe *epoch.Time `json:"Maybe,omitempty"`
	Count int         `json:"Count,omitempty"`
}

func cborService() *Service {
	return &Service{
		TargetPrefix: "Test_20240101",
		ContentType:  "application/x-amz-json-1.1",
		CBOR:         true,
		Ops: map[string]Handler{
			"Echo": Op(func(_ context.Context, in *blobIn) (*blobOut, error) {
				if in.At == nil {
					return nil, awserr.New("ValidationException", 400, "At is required")
				}
				return &blobOut{Data: in.Data, At: *in.At}, nil
			}),
		},
	}
}

// TestService_CBOR: a CBOR request is answered in CBOR, with blobs as byte
// strings and timestamps as tag 1 over epoch milliseconds, both ways.
func TestService_CBOR(t *testing.T) {
	at := time.UnixMilli(1700000000123)
	body, err := cbor.Marshal(map[string]any{
		"Data": []byte{0, 1, 2, 0xff},
		"At":   cbor.Tag{Number: 1, Content: at.UnixMilli()},
	})
	if err != nil {
		t.Fatal(err)
	}
	w := serveCBOR(t, cborService(), body)
	if w.Code != 200 || w.Header().Get("Content-Type") != CBORContentType {
		t.Fatalf("status %d, content type %q: %x", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	var out map[string]cbor.RawMessage
	if err := cbor.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 {
		t.Fatalf("members %v: omitted ones must stay omitted", out)
	}
	var data []byte
	if err := cbor.Unmarshal(out["Data"], &data); err != nil || !bytes.Equal(data, []byte{0, 1, 2, 0xff}) {
		t.Fatalf("Data = %x (%v): want a byte string", out["Data"], err)
	}
	var tag cbor.RawTag
	if err := cbor.Unmarshal(out["At"], &tag); err != nil || tag.Number != 1 {
		t.Fatalf("At = %x (%v): want tag 1", out["At"], err)
	}
	var ms int64
	if err := cbor.Unmarshal(tag.Content, &ms); err != nil || ms != at.UnixMilli() {
		t.Fatalf("At = %d (%v), want %d epoch milliseconds", ms, err, at.UnixMilli())
	}

	// An error is a CBOR map too.
	body, _ = cbor.Marshal(map[string]any{"Data": []byte{1}})
	w = serveCBOR(t, cborService(), body)
	var e map[string]string
	if err := cbor.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatal(err)
	}
	if w.Code != 400 || e["__type"] != "ValidationException" || e["message"] != "At is required" ||
		w.Header().Get("Content-Type") != CBORContentType {
		t.Fatalf("error %d %v %q", w.Code, e, w.Header().Get("Content-Type"))
	}

	// A body that is not CBOR is refused in CBOR.
	w = serveCBOR(t, cborService(), []byte("{}"))
	if err := cbor.Unmarshal(w.Body.Bytes(), &e); err != nil || w.Code != 400 || e["__type"] != "SerializationException" {
		t.Fatalf("error %d %v (%v)", w.Code, e, err)
	}

	// A service that does not take CBOR reads the body as JSON.
	svc := cborService()
	svc.CBOR = false
	w = serveCBOR(t, svc, body)
	if w.Code != 400 || w.Header().Get("Content-Type") != "application/x-amz-json-1.1" || !json.Valid(w.Body.Bytes()) {
		t.Fatalf("JSON-only service: %d %q %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
}

func serveCBOR(t *testing.T, svc *Service, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("POST", "/", bytes.NewReader(body))
	r.Header.Set("X-Amz-Target", "Test_20240101.Echo")
	r.Header.Set("Content-Type", CBORContentType)
	w := httptest.NewRecorder()
	svc.ServeHTTP(w, r)
	return w
}
