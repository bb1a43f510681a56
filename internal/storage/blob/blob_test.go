package blob

import (
	"errors"
	"io"
	"slices"
	"testing"
	"time"
)

func TestStore(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.Create()
	if err != nil {
		t.Fatal(err)
	}
	if !ValidID(w.ID()) {
		t.Fatalf("invalid id %q", w.ID())
	}
	io.WriteString(w, "hello ")
	io.WriteString(w, "world")
	if w.Size() != 11 {
		t.Fatalf("Size = %d", w.Size())
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	f, err := s.Open(w.ID())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(f)
	f.Close()
	if string(b) != "hello world" {
		t.Fatalf("read %q", b)
	}

	aborted, _ := s.Create()
	aborted.Write([]byte("x"))
	aborted.Abort()
	if _, err := s.Open(aborted.ID()); !errors.Is(err, ErrNotFound) {
		t.Fatalf("aborted blob: %v", err)
	}

	var walked []string
	if err := s.Walk(time.Now().Add(time.Hour), func(id string) error { walked = append(walked, id); return nil }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(walked, []string{w.ID()}) {
		t.Fatalf("Walk = %v", walked)
	}
	walked = nil
	s.Walk(time.Now().Add(-time.Hour), func(id string) error { walked = append(walked, id); return nil })
	if len(walked) != 0 {
		t.Fatalf("Walk before cutoff = %v", walked)
	}

	if err := s.Remove(w.ID()); err != nil {
		t.Fatal(err)
	}
	if err := s.Remove(w.ID()); err != nil {
		t.Fatalf("second Remove: %v", err)
	}
	if _, err := s.Open(w.ID()); !errors.Is(err, ErrNotFound) {
		t.Fatalf("removed blob: %v", err)
	}
}

func TestPath_NeverEscapes(t *testing.T) {
	s := &Store{dir: "/data/blobs"}
	for _, id := range []string{"", "..", "../../etc/passwd", "AB/../../x", "abcdefghijklmnopqrstuvwxyz", "AAAAAAAAAAAAAAAAAAAAAAAAA1"} {
		if p := s.Path(id); p != "" {
			t.Errorf("Path(%q) = %q, want refusal", id, p)
		}
		if _, err := s.Open(id); !errors.Is(err, ErrNotFound) {
			t.Errorf("Open(%q) = %v", id, err)
		}
	}
	if p := s.Path("ABCDEFGHIJKLMNOPQRSTUVWXYZ"); p != "/data/blobs/AB/ABCDEFGHIJKLMNOPQRSTUVWXYZ" {
		t.Errorf("Path = %q", p)
	}
}

func FuzzPath(f *testing.F) {
	f.Add("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	f.Add("../../../../../../etc/passwd")
	f.Fuzz(func(t *testing.T, id string) {
		s := &Store{dir: "/data/blobs"}
		p := s.Path(id)
		if p == "" {
			return
		}
		if len(p) != len("/data/blobs/AB/")+26 || p[:len("/data/blobs/")] != "/data/blobs/" {
			t.Fatalf("Path(%q) = %q escapes the store", id, p)
		}
	})
}
