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

// A blob larger than syncChunk is synced in the background while it is
// written; Commit and Abort must wait for those syncs, and the bytes must
// read back whole.
func TestWriter_BackgroundSyncs(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	piece := make([]byte, 1<<20)
	for i := range piece {
		piece[i] = byte(i % 251)
	}
	const pieces = 3*syncChunk/(1<<20) + 1
	write := func() *Writer {
		w, err := s.Create()
		if err != nil {
			t.Fatal(err)
		}
		for range pieces {
			if _, err := w.Write(piece); err != nil {
				t.Fatal(err)
			}
		}
		if w.synced == 0 {
			t.Fatal("no background sync was started")
		}
		return w
	}

	w := write()
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if w.syncing != nil {
		t.Fatal("Commit returned with a sync still running")
	}
	f, err := s.Open(w.ID())
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(f)
	f.Close()
	if err != nil || len(got) != pieces<<20 {
		t.Fatalf("read %d bytes, %v; want %d", len(got), err, pieces<<20)
	}
	for i := 0; i < len(got); i += 1 << 20 {
		if !slices.Equal(got[i:i+1<<20], piece) {
			t.Fatalf("MiB %d differs", i>>20)
		}
	}

	aborted := write()
	aborted.Abort()
	if _, err := s.Open(aborted.ID()); !errors.Is(err, ErrNotFound) {
		t.Fatalf("aborted blob: Open = %v, want ErrNotFound", err)
	}
}
