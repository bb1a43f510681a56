package eventstream

import (
	"reflect"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	b := Event(nil, "initial-response", "application/json", []byte("{}"))
	b = Exception(b, "ResourceInUseException", "application/json", []byte(`{"message":"x"}`))
	h, p, rest, err := ReadMessage(b)
	if err != nil || string(p) != "{}" || !reflect.DeepEqual(h[0], Header{":event-type", "initial-response"}) {
		t.Fatalf("first = %v %q %v", h, p, err)
	}
	h, p, rest, err = ReadMessage(rest)
	if err != nil || string(p) != `{"message":"x"}` || h[2].Value != "exception" || len(rest) != 0 {
		t.Fatalf("second = %v %q %v", h, p, err)
	}
	b[len(b)-1] ^= 1
	if _, _, _, err := ReadMessage(b[len(b)-len(Exception(nil, "ResourceInUseException", "application/json", []byte(`{"message":"x"}`))):]); err == nil {
		t.Fatal("a corrupt message read")
	}
}

func FuzzReadMessage(f *testing.F) {
	f.Add(Event(nil, "SubscribeToShardEvent", "application/json", []byte(`{"Records":[]}`)))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, p, _, err := ReadMessage(b)
		if err != nil {
			return
		}
		again, p2, _, err := ReadMessage(AppendMessage(nil, h, p))
		if err != nil || !reflect.DeepEqual(again, h) || string(p2) != string(p) {
			t.Fatalf("a message that reads does not round-trip: %v", err)
		}
	})
}
