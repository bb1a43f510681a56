package seal

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"path/filepath"
	"testing"
)

func sealStream(t *testing.T, k *Key, plain []byte, writes int) []byte {
	t.Helper()
	var out bytes.Buffer
	w := NewWriter(&out, k)
	step := max(1, len(plain)/max(writes, 1))
	for p := plain; len(p) > 0; {
		n := min(step, len(p))
		if _, err := w.Write(p[:n]); err != nil {
			t.Fatal(err)
		}
		p = p[n:]
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestRoundTrip(t *testing.T) {
	k := NewKey()
	for _, size := range []int{0, 1, ChunkSize - 1, ChunkSize, ChunkSize + 1, 3*ChunkSize + 5} {
		plain := make([]byte, size)
		rand.Read(plain)
		whole := Seal(&k, plain)
		if int64(len(whole)) != Size(int64(size)) {
			t.Fatalf("size %d: sealed %d bytes, Size says %d", size, len(whole), Size(int64(size)))
		}
		for _, writes := range []int{1, 3, 1000} {
			if got := sealStream(t, &k, plain, writes); len(got) != len(whole) {
				t.Fatalf("size %d: the stream sealed %d bytes, Seal %d", size, len(got), len(whole))
			}
		}
		for _, r := range [][2]int64{{0, int64(size)}, {0, min(1, int64(size))}, {int64(size) / 2, int64(size) / 3},
			{max(0, int64(size)-ChunkSize-3), min(int64(size), ChunkSize+3)}} {
			got, err := io.ReadAll(NewReader(bytes.NewReader(whole), &k, int64(size), r[0], r[1]))
			if err != nil {
				t.Fatalf("size %d range %v: %v", size, r, err)
			}
			if !bytes.Equal(got, plain[r[0]:r[0]+r[1]]) {
				t.Fatalf("size %d range %v: wrong bytes", size, r)
			}
		}
	}
}

func TestTamperingIsDetected(t *testing.T) {
	k, other := NewKey(), NewKey()
	plain := bytes.Repeat([]byte("lakebox "), 3*ChunkSize/8)
	sealed := Seal(&k, plain)
	read := func(b []byte, key *Key, size int64) error {
		_, err := io.ReadAll(NewReader(bytes.NewReader(b), key, size, 0, size))
		return err
	}
	flipped := bytes.Clone(sealed)
	flipped[ChunkSize+100] ^= 1
	if err := read(flipped, &k, int64(len(plain))); !errors.Is(err, ErrOpen) {
		t.Fatalf("flipped bit: %v", err)
	}
	if err := read(sealed, &other, int64(len(plain))); !errors.Is(err, ErrOpen) {
		t.Fatalf("wrong key: %v", err)
	}
	// Dropping the last chunk and claiming a shorter body fails: the chunk
	// now read as last was not sealed as last.
	short := sealed[:2*(ChunkSize+Overhead)]
	if err := read(short, &k, 2*ChunkSize); !errors.Is(err, ErrOpen) {
		t.Fatalf("truncated: %v", err)
	}
	// Swapping chunks fails.
	swapped := bytes.Clone(sealed)
	copy(swapped[:ChunkSize+Overhead], sealed[ChunkSize+Overhead:2*(ChunkSize+Overhead)])
	if err := read(swapped, &k, int64(len(plain))); !errors.Is(err, ErrOpen) {
		t.Fatalf("reordered: %v", err)
	}
}

func TestWrap(t *testing.T) {
	kek, dk := NewKey(), NewKey()
	w := Wrap(&kek, &dk, []byte("body-1"))
	got, err := Unwrap(&kek, w, []byte("body-1"))
	if err != nil || got != dk {
		t.Fatalf("unwrap: %v", err)
	}
	if _, err := Unwrap(&kek, w, []byte("body-2")); !errors.Is(err, ErrOpen) {
		t.Fatalf("other aad: %v", err)
	}
	other := NewKey()
	if _, err := Unwrap(&other, w, []byte("body-1")); !errors.Is(err, ErrOpen) {
		t.Fatalf("other key: %v", err)
	}
	if _, err := Unwrap(&kek, w[:10], nil); !errors.Is(err, ErrOpen) {
		t.Fatalf("short: %v", err)
	}
}

func TestLoadOrCreate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "master.key")
	k1, err := LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := LoadOrCreate(path)
	if err != nil || k1 != k2 {
		t.Fatalf("second load: %v, same key %v", err, k1 == k2)
	}
	if _, err := ParseKey("c2hvcnQ="); err == nil {
		t.Fatal("a short key parsed")
	}
}

func FuzzReader(f *testing.F) {
	k := NewKey()
	f.Add(Seal(&k, []byte("hello")), int64(5), int64(0), int64(5))
	f.Fuzz(func(t *testing.T, sealed []byte, size, off, n int64) {
		if size < 0 || off < 0 || n < 0 || off > size || n > size-off || size > 1<<24 {
			return // callers pass ranges inside the body
		}
		io.ReadAll(NewReader(bytes.NewReader(sealed), &k, size, off, n))
	})
}

func TestOpenInPlace(t *testing.T) {
	k := NewKey()
	for _, size := range []int{0, 5, ChunkSize, 2*ChunkSize + 7} {
		plain := make([]byte, size)
		rand.Read(plain)
		got, err := Open(&k, Seal(&k, plain), int64(size))
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("size %d: %v", size, err)
		}
	}
	sealed := Seal(&k, []byte("hello"))
	sealed[3] ^= 1
	if _, err := Open(&k, sealed, 5); !errors.Is(err, ErrOpen) {
		t.Fatalf("tampered: %v", err)
	}
	if _, err := Open(&k, sealed[:4], 5); !errors.Is(err, ErrOpen) {
		t.Fatalf("short: %v", err)
	}
}
