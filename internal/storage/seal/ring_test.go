package seal

import (
	"bytes"
	"errors"
	"testing"
)

func TestRing(t *testing.T) {
	kek := NewKey()
	r := NewRing(&kek, []byte("stream-1"), nil)
	if _, err := r.Seal([]byte("x")); err == nil {
		t.Fatal("Seal with no key succeeded")
	}
	r.Add()
	first, err := r.Seal([]byte("first"))
	if err != nil {
		t.Fatal(err)
	}
	wrapped := r.Add()
	second, _ := r.Seal([]byte("second"))

	// A ring rebuilt from the stored keys opens both.
	again := NewRing(&kek, []byte("stream-1"), wrapped)
	for want, sealed := range map[string][]byte{"first": first, "second": second} {
		got, err := again.Open(sealed)
		if err != nil || !bytes.Equal(got, []byte(want)) {
			t.Errorf("Open = %q, %v; want %q", got, err, want)
		}
	}
	// Bound to its resource.
	other := NewRing(&kek, []byte("stream-2"), wrapped)
	if _, err := other.Open(first); err == nil {
		t.Error("a ring with another aad opened the record")
	}
	// Tampering is caught.
	bad := bytes.Clone(second)
	bad[len(bad)-1] ^= 1
	if _, err := again.Open(bad); !errors.Is(err, ErrOpen) {
		t.Errorf("Open(tampered) = %v, want ErrOpen", err)
	}
	for _, short := range [][]byte{nil, {9}, {1}, {1, 0, 1, 2}} {
		if _, err := again.Open(short); err == nil {
			t.Errorf("Open(%v) succeeded", short)
		}
	}
}

// Open refuses what it did not seal, and never panics.
func FuzzRingOpen(f *testing.F) {
	kek := NewKey()
	r := NewRing(&kek, []byte("fuzz"), nil)
	r.Add()
	sealed, _ := r.Seal([]byte("record"))
	f.Add(sealed)
	f.Add([]byte{1, 0})
	f.Add([]byte{1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		plain, err := r.Open(b)
		if err == nil && !bytes.Equal(plain, []byte("record")) {
			t.Fatalf("Open(%x) = %q, nil", b, plain)
		}
	})
}
