package server

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
)

func TestRequestIDsAreHexAndBase64OfOneCounter(t *testing.T) {
	g := &idGenerator{prefix: [4]byte{0xde, 0xad, 0x0b, 0xef}}
	g.n.Store(0x1233)
	id, hostID := g.next()
	if id != "DEAD0BEF00001234" {
		t.Errorf("id = %q, want DEAD0BEF00001234", id)
	}
	raw, err := hex.DecodeString(strings.ToLower(id))
	if err != nil {
		t.Fatal(err)
	}
	if want := base64.StdEncoding.EncodeToString(append(raw, "lakebox"...)); hostID != want {
		t.Errorf("host id = %q, want %q", hostID, want)
	}
	if next, _ := g.next(); next != "DEAD0BEF00001235" {
		t.Errorf("next id = %q", next)
	}
}
