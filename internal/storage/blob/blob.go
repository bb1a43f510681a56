package blob

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// ErrNotFound is returned for a blob id that has no file.
var ErrNotFound = errors.New("blob: not found")

// Store is a directory of blob files. It is safe for concurrent use.
type Store struct {
	dir string
}

// Open opens the store rooted at dir, creating it if needed. Shard
// directories are made on first use.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	return &Store{dir: dir}, nil
}

// ValidID reports whether id has the shape of a blob id. Ids from outside
// (metadata, file names) are checked before they are joined into a path.
func ValidID(id string) bool {
	if len(id) != 26 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('A' <= c && c <= 'Z' || '2' <= c && c <= '7') {
			return false
		}
	}
	return true
}

// Path returns the file path of a blob, for readers such as the SQL engine
// that open files themselves. It returns "" for an invalid id.
func (s *Store) Path(id string) string {
	if !ValidID(id) {
		return ""
	}
	return filepath.Join(s.dir, id[:2], id)
}

// Create starts a new blob. The caller writes to it and then calls Commit
// or Abort exactly once.
func (s *Store) Create() (*Writer, error) {
	id := rand.Text()
	p := s.Path(id)
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrNotExist) {
		// The shard's first blob: make the shard durable before the file.
		if err = os.Mkdir(filepath.Dir(p), 0o755); err == nil || errors.Is(err, fs.ErrExist) {
			if err = syncDir(s.dir); err == nil {
				f, err = os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("blob: create: %w", err)
	}
	return &Writer{f: f, id: id, dir: filepath.Dir(p)}, nil
}

// Open opens a blob for reading, or returns ErrNotFound.
func (s *Store) Open(id string) (*os.File, error) {
	p := s.Path(id)
	if p == "" {
		return nil, ErrNotFound
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("blob: open: %w", err)
	}
	return f, nil
}

// Remove deletes a blob. Removing a missing blob is not an error. The
// directory is not synced: a removal lost to a crash leaves an unreferenced
// file, which reconciliation deletes again.
func (s *Store) Remove(id string) error {
	p := s.Path(id)
	if p == "" {
		return nil
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: remove: %w", err)
	}
	return nil
}

// Walk calls fn for every blob whose file was last modified before cutoff.
// Files that are not blobs are ignored.
func (s *Store) Walk(cutoff time.Time, fn func(id string) error) error {
	shards, err := os.ReadDir(s.dir)
	if err != nil {
		return fmt.Errorf("blob: walk: %w", err)
	}
	for _, sh := range shards {
		if !sh.IsDir() {
			continue
		}
		entries, err := os.ReadDir(filepath.Join(s.dir, sh.Name()))
		if err != nil {
			return fmt.Errorf("blob: walk: %w", err)
		}
		for _, e := range entries {
			if !ValidID(e.Name()) || e.Name()[:2] != sh.Name() {
				continue
			}
			info, err := e.Info()
			if err != nil || !info.ModTime().Before(cutoff) {
				continue
			}
			if err := fn(e.Name()); err != nil {
				return err
			}
		}
	}
	return nil
}

// syncChunk is how much a Writer writes between the syncs it starts in the
// background. A disk's flush costs in proportion to the bytes written since
// the last one, so a blob synced only at Commit pays that whole cost after
// its last byte: 35 ms for 64 MiB on the project's machine, a quarter of a
// large PUT. Syncing while the body still streams in hides all but the last
// chunk's (docs/architecture.md).
const syncChunk = 8 << 20

// Writer writes one new blob.
type Writer struct {
	f   *os.File
	id  string
	dir string
	n   int64
	// synced is n when the latest background sync began; syncing yields
	// that sync's result and is nil when none is running.
	synced  int64
	syncing chan error
}

// ID returns the blob's id.
func (w *Writer) ID() string { return w.id }

// Size returns the number of bytes written so far.
func (w *Writer) Size() int64 { return w.n }

// Write appends p to the blob.
func (w *Writer) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.n += int64(n)
	if err != nil {
		return n, fmt.Errorf("blob: write: %w", err)
	}
	if w.n-w.synced >= syncChunk {
		if err := w.startSync(); err != nil {
			return n, err
		}
	}
	return n, nil
}

// startSync starts syncing everything written so far on its own
// goroutine, unless the previous sync is still running (the next Write
// tries again). A failed sync fails the blob: Linux reports a write-back
// error once, so the final fsync could not be trusted to see it again.
func (w *Writer) startSync() error {
	if w.syncing != nil {
		select {
		case err := <-w.syncing:
			w.syncing = nil
			if err != nil {
				return fmt.Errorf("blob: sync: %w", err)
			}
		default:
			return nil
		}
	}
	w.synced = w.n
	done := make(chan error, 1)
	w.syncing = done
	go func() { done <- syncData(w.f) }()
	return nil
}

// waitSync waits for the background sync, if one is running, and returns
// its result.
func (w *Writer) waitSync() error {
	if w.syncing == nil {
		return nil
	}
	err := <-w.syncing
	w.syncing = nil
	if err != nil {
		return fmt.Errorf("blob: sync: %w", err)
	}
	return nil
}

// Commit makes the blob durable: its bytes and its directory entry are on
// disk when Commit returns nil. On error the blob is removed.
func (w *Writer) Commit() error {
	err := w.waitSync()
	if err == nil {
		err = w.f.Sync()
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncDir(w.dir)
	}
	if err != nil {
		os.Remove(w.f.Name())
		return fmt.Errorf("blob: commit: %w", err)
	}
	return nil
}

// Abort discards the blob.
func (w *Writer) Abort() {
	w.waitSync()
	w.f.Close()
	os.Remove(w.f.Name())
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("blob: sync dir: %w", err)
	}
	err = d.Sync()
	d.Close()
	if err != nil {
		return fmt.Errorf("blob: sync dir: %w", err)
	}
	return nil
}
