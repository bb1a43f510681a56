package signedtoken

import (
	"bytes"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	for _, body := range [][]byte{{}, []byte("x"), bytes.Repeat([]byte{7}, 100)} {
		tok := Sign(key, body)
		got, ok := Open(key, tok)
		if !ok || !bytes.Equal(got, body) {
			t.Errorf("Open(Sign(%x)) = %x, %v", body, got, ok)
		}
		if _, ok := Open([]byte("another key"), tok); ok {
			t.Errorf("%q opened under another key", tok)
		}
		// Any changed byte of the token's bytes fails.
		raw := []byte(tok)
		raw[0] ^= 1
		if _, ok := Open(key, string(raw)); ok {
			t.Errorf("%q opened after a change", raw)
		}
	}
}

// Any string opens only if it is a token Sign made with the same key.
func FuzzOpen(f *testing.F) {
	key := []byte("0123456789abcdef0123456789abcdef")
	f.Add(Sign(key, []byte("body")))
	f.Add("")
	f.Add("AAAA")
	f.Fuzz(func(t *testing.T, tok string) {
		body, ok := Open(key, tok)
		if !ok {
			return
		}
		if again, ok := Open(key, Sign(key, body)); !ok || !bytes.Equal(again, body) {
			t.Fatalf("%q opened to %x, which does not sign back", tok, body)
		}
		if _, ok := Open([]byte("another key, another key, another"), tok); ok {
			t.Fatalf("%q opened under another key", tok)
		}
	})
}
