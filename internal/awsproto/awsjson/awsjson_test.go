package awsjson

import (
	"context"
	"encoding/json"
	"hash/crc32"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

type echoIn struct {
	Name  string `json:"Name"`
	Count int    `json:"Count"`
}

type echoOut struct {
	Greeting string `json:"Greeting"`
}

func testService() *Service {
	return &Service{
		TargetPrefix: "Test_20240101",
		ContentType:  "application/x-amz-json-1.0",
		MessageField: "Message",
		Ops: map[string]Handler{
			"Echo": Op(func(_ context.Context, in *echoIn) (*echoOut, error) {
				if in.Name == "" {
					return nil, awserr.New("ValidationException", 400, "Name is required")
				}
				return &echoOut{Greeting: "hello " + in.Name}, nil
			}),
			"Crash": Op(func(context.Context, *echoIn) (*echoOut, error) {
				return nil, context.DeadlineExceeded
			}),
		},
	}
}

func TestService_ServeHTTP(t *testing.T) {
	for _, tc := range []struct {
		name, method, target, body string
		status                     int
		code, field                string
	}{
		{"OK", "POST", "Test_20240101.Echo", `{"Name":"x"}`, 200, "", "hello x"},
		{"EmptyBody", "POST", "Test_20240101.Echo", ``, 400, "ValidationException", "Name is required"},
		{"UnknownOperation", "POST", "Test_20240101.Nope", `{}`, 400, "UnknownOperationException", ""},
		{"WrongPrefix", "POST", "Other.Echo", `{}`, 400, "UnknownOperationException", ""},
		{"NoDot", "POST", "Echo", `{}`, 400, "UnknownOperationException", ""},
		{"BadJSON", "POST", "Test_20240101.Echo", `{"Name":`, 400, "SerializationException", ""},
		{"WrongType", "POST", "Test_20240101.Echo", `{"Count":"x"}`, 400, "SerializationException", ""},
		{"TrailingData", "POST", "Test_20240101.Echo", `{} {}`, 400, "SerializationException", ""},
		{"NotPost", "GET", "Test_20240101.Echo", ``, 400, "InvalidAction", ""},
		{"Internal", "POST", "Test_20240101.Crash", `{}`, 500, "InternalFailure", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, "/", strings.NewReader(tc.body))
			r.Header.Set("X-Amz-Target", tc.target)
			w := httptest.NewRecorder()
			testService().ServeHTTP(w, r)
			if w.Code != tc.status {
				t.Fatalf("status = %d, want %d: %s", w.Code, tc.status, w.Body)
			}
			var body map[string]string
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if tc.code == "" {
				if body["Greeting"] != tc.field {
					t.Fatalf("body = %v", body)
				}
				return
			}
			if body["__type"] != tc.code || w.Header().Get("X-Amzn-ErrorType") != tc.code || body["Message"] == "" {
				t.Fatalf("error body = %v, header %q", body, w.Header().Get("X-Amzn-ErrorType"))
			}
			if tc.field != "" && body["Message"] != tc.field {
				t.Fatalf("message = %q, want %q", body["Message"], tc.field)
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/x-amz-json-1.0" {
				t.Fatalf("content type = %q", ct)
			}
		})
	}
}

// TestService_ErrorTypeAndCRC32 checks the two options DynamoDB sets, on
// a success and on an error, and that a service without them sends neither.
func TestService_ErrorTypeAndCRC32(t *testing.T) {
	for _, styled := range []bool{false, true} {
		svc := testService()
		if styled {
			svc.ErrorType = func(code string) string { return "com.example#" + code }
			svc.CRC32 = true
		}
		for _, body := range []string{`{"Name":"x"}`, `{}`} {
			r := httptest.NewRequest("POST", "/", strings.NewReader(body))
			r.Header.Set("X-Amz-Target", "Test_20240101.Echo")
			w := httptest.NewRecorder()
			svc.ServeHTTP(w, r)
			crc := w.Header().Get("X-Amz-Crc32")
			if want := strconv.FormatUint(uint64(crc32.ChecksumIEEE(w.Body.Bytes())), 10); styled && crc != want || !styled && crc != "" {
				t.Errorf("styled %v, %s: x-amz-crc32 %q (the body's CRC32 is %s)", styled, body, crc, want)
			}
			if w.Code == 200 {
				continue
			}
			var e map[string]string
			json.Unmarshal(w.Body.Bytes(), &e)
			want := "ValidationException"
			if styled {
				want = "com.example#ValidationException"
			}
			if e["__type"] != want || w.Header().Get("X-Amzn-ErrorType") != "ValidationException" {
				t.Errorf("styled %v: __type %q, X-Amzn-ErrorType %q", styled, e["__type"], w.Header().Get("X-Amzn-ErrorType"))
			}
		}
	}
}

var _ http.Handler = (*Service)(nil)

// FuzzDecode feeds arbitrary bodies and targets through the service: any
// input gets an answer, never a panic.
func FuzzDecode(f *testing.F) {
	f.Add("Test_20240101.Echo", `{"Name":"x","Count":1}`)
	f.Add("Test_20240101.Echo", `{"Count":1e999}`)
	f.Add("Test_20240101.Nope", `[]`)
	f.Fuzz(func(t *testing.T, target, body string) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.Header.Set("X-Amz-Target", target)
		w := httptest.NewRecorder()
		testService().ServeHTTP(w, r)
		if w.Code != 200 && w.Code != 400 && w.Code != 500 {
			t.Fatalf("status %d", w.Code)
		}
		if w.Code == 200 && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("invalid JSON answer %q", w.Body)
		}
	})
}

// An error whose shape names its message otherwise than the service's
// other errors carries it under that name.
func TestService_MessageFields(t *testing.T) {
	s := testService()
	s.MessageField, s.MessageFields = "", map[string]string{"ValidationException": "Message"}
	s.Ops["Other"] = Op(func(context.Context, *echoIn) (*echoOut, error) {
		return nil, awserr.New("ResourceNotFoundException", 400, "gone")
	})
	for target, want := range map[string]string{"Test_20240101.Echo": `"Message":"Name is required"`, "Test_20240101.Other": `"message":"gone"`} {
		r := httptest.NewRequest("POST", "/", strings.NewReader(`{}`))
		r.Header.Set("X-Amz-Target", target)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("%s: %s, want %s in it", target, w.Body, want)
		}
	}
}
