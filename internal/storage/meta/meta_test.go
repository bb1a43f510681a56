package meta

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
)

func TestDB(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !db.Clean() {
		t.Fatal("new store not clean")
	}
	if _, err := db.Get([]byte("missing")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get missing = %v", err)
	}
	b := db.NewBatch()
	for i := range 10 {
		b.Set(fmt.Appendf(nil, "k%02d", i), fmt.Appendf(nil, "v%d", i))
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	b = db.NewBatch()
	b.Delete([]byte("k03"))
	b.DeleteRange([]byte("k07"), []byte("k09"))
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if v, err := db.Get([]byte("k02")); err != nil || string(v) != "v2" {
		t.Fatalf("Get k02 = %q, %v", v, err)
	}
	if ok, _ := db.Has([]byte("k03")); ok {
		t.Fatal("k03 not deleted")
	}
	it, err := db.NewIter([]byte("k01"), []byte("k09"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for ok := it.First(); ok; ok = it.Next() {
		v, _ := it.Value()
		got = append(got, string(it.Key())+"="+string(v))
	}
	if err := it.Close(); err != nil {
		t.Fatal(err)
	}
	want := "[k01=v1 k02=v2 k04=v4 k05=v5 k06=v6]"
	if fmt.Sprint(got) != want {
		t.Fatalf("iter = %v, want %s", got, want)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = Open(dir, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !db.Clean() {
		t.Fatal("reopen after Close not clean")
	}
	if v, err := db.Get([]byte("k09")); err != nil || string(v) != "v9" {
		t.Fatalf("after reopen Get k09 = %q, %v", v, err)
	}
	// Simulate a crash: close Pebble without the clean-shutdown mark.
	db.db.Close()
	db, err = Open(dir, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Clean() {
		t.Fatal("store reopened after a crash reports clean")
	}
}

// Closing a committed batch does nothing: Pebble reuses batches, and a
// second release would hand one batch to two writers.
func TestBatch_CloseAfterCommit(t *testing.T) {
	db, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := db.NewBatch()
	b.Set([]byte("k"), []byte("v"))
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	b.Close()
	b.Close()
	if v, err := db.Get([]byte("k")); err != nil || string(v) != "v" {
		t.Fatalf("Get = %q, %v", v, err)
	}
}

// Commits counts every committed batch, synced or not, and nothing else:
// a batch closed unwritten leaves it where it was.
func TestDB_Commits(t *testing.T) {
	db, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n := db.Commits(); n != 0 {
		t.Fatalf("a new store counts %d commits", n)
	}
	b := db.NewBatch()
	b.Set([]byte("k"), []byte("v"))
	b.Close()
	for i, commit := range []func(*Batch) error{(*Batch).Commit, (*Batch).CommitUnsynced} {
		b := db.NewBatch()
		b.Set([]byte("k"), []byte("v"))
		if err := commit(b); err != nil {
			t.Fatal(err)
		}
		if n := db.Commits(); n != uint64(i+1) {
			t.Fatalf("after %d commits the store counts %d", i+1, n)
		}
	}
}

// Concurrent synced writers all commit, and leave no writer counted as
// waiting for a sync (the sync interval applies only while two wait).
func TestDB_ConcurrentSyncedWriters(t *testing.T) {
	db, err := Open(t.TempDir(), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 50 {
				b := db.NewBatch()
				b.Set(fmt.Appendf(nil, "k%d-%d", w, i), []byte("v"))
				if err := b.Commit(); err != nil {
					t.Error(err)
				}
				if i%10 == 0 {
					if err := db.Sync(); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	if n := db.Commits(); n != 400 {
		t.Fatalf("%d commits, want 400", n)
	}
	if n := db.syncing.Load(); n != 0 {
		t.Fatalf("%d writers still counted as waiting", n)
	}
}

// A store's write-ahead logs hold written zeros ahead of their records
// (zeroedWALs). A copy of its files taken without closing it, as a crash
// leaves them, must open with every synced write, across log rotations
// too.
func TestZeroedWAL_CrashImage(t *testing.T) {
	opts := DefaultOptions()
	opts.MemTableSize = 1 << 20
	dir := t.TempDir()
	db, err := Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	logs, _ := filepath.Glob(filepath.Join(dir, "*.log"))
	if len(logs) != 1 {
		t.Fatalf("logs = %v", logs)
	}
	// Open's first commit wrote a few bytes: a chunk of the log exists.
	logSize := func() int64 {
		t.Helper()
		fi, err := os.Stat(logs[0])
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	if n := logSize(); n != walZeroChunk {
		t.Fatalf("new log: size %d, want one chunk of zeros (%d)", n, walZeroChunk)
	}
	value := bytes.Repeat([]byte("v"), 1000)
	write := func(from, to, perBatch int) {
		for i := from; i < to; i += perBatch {
			b := db.NewBatch()
			for j := i; j < min(i+perBatch, to); j++ {
				b.Set(fmt.Appendf(nil, "k%06d", j), value)
			}
			if err := b.Commit(); err != nil {
				t.Fatal(err)
			}
		}
	}
	check := func(image string, n int) {
		t.Helper()
		cdb, err := Open(image, opts)
		if err != nil {
			t.Fatalf("open crash image: %v", err)
		}
		defer cdb.Close()
		if cdb.Clean() {
			t.Error("crash image opened as a clean shutdown")
		}
		for i := range n {
			if v, err := cdb.Get(fmt.Appendf(nil, "k%06d", i)); err != nil || !bytes.Equal(v, value) {
				t.Fatalf("k%06d after crash: %v", i, err)
			}
		}
		if ok, _ := cdb.Has(fmt.Appendf(nil, "k%06d", n)); ok {
			t.Fatalf("k%06d was never written", n)
		}
	}
	write(0, 100, 1)
	if n := logSize(); n != walZeroChunk {
		t.Fatalf("log after 100 KB: size %d, want one chunk (%d)", n, walZeroChunk)
	}
	check(crashImage(t, dir), 100)
	// Past several memtables: the logs rotate, new and recycled.
	write(100, 5000, 50)
	if logs, _ := filepath.Glob(filepath.Join(dir, "*.log")); logs[0] == filepath.Join(dir, "000002.log") {
		t.Fatalf("the log never rotated: %v", logs)
	}
	check(crashImage(t, dir), 5000)
	// Unsynced writes are in the image once a Sync after them returns.
	for i := 5000; i < 5100; i++ {
		b := db.NewBatch()
		b.Set(fmt.Appendf(nil, "k%06d", i), value)
		if err := b.CommitUnsynced(); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Sync(); err != nil {
		t.Fatal(err)
	}
	check(crashImage(t, dir), 5100)
}

// crashImage copies a store's files as they are on disk, without closing it.
func crashImage(t *testing.T, dir string) string {
	t.Helper()
	// Pebble may be flushing or compacting while the files are copied,
	// one after another: a table copied half written, then the manifest
	// naming it whole, is an image no crash makes. So the copy is taken
	// again until no table or manifest changed while it was taken (the
	// logs may: their torn tails are what a crash leaves).
	for range 1000 {
		before := tableFiles(t, dir)
		image := t.TempDir()
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Name() == "LOCK" || e.IsDir() {
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if errors.Is(err, fs.ErrNotExist) { // removed since listed
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(image, e.Name()), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if maps.Equal(before, tableFiles(t, dir)) {
			return image
		}
	}
	t.Fatal("the store never stood still long enough to copy")
	return ""
}

// tableFiles is the size of each file in dir but the logs.
func tableFiles(t *testing.T, dir string) map[string]int64 {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[string]int64{}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".log") || e.IsDir() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				sizes[e.Name()] = -1 // listed, then gone: changed
				continue
			}
			t.Fatal(err)
		}
		sizes[e.Name()] = info.Size()
	}
	return sizes
}

// A log's zeros come a chunk at a time as its appends reach them, beyond
// its bytes, in new and in recycled logs; other files get none.
func TestZeroedAhead(t *testing.T) {
	const chunk = 4096
	fs := zeroedWALs{FS: vfs.Default, chunk: chunk}
	dir := t.TempDir()
	path := filepath.Join(dir, "000001.log")
	var want []byte
	write := func(f vfs.File, c byte, n int, size int64) {
		t.Helper()
		p := bytes.Repeat([]byte{c}, n)
		if _, err := f.Write(p); err != nil {
			t.Fatal(err)
		}
		want = append(want, p...)
		fi, err := f.Stat()
		if err != nil || fi.Size() != size {
			t.Fatalf("after %d more bytes: size %d (%v), want %d", n, fi.Size(), err, size)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got[:len(want)], want) || !bytes.Equal(got[len(want):], make([]byte, len(got)-len(want))) {
			t.Fatalf("file is not the bytes written, then zeros")
		}
	}
	f, err := fs.Create(path, walCategory)
	if err != nil {
		t.Fatal(err)
	}
	write(f, 'a', 3000, chunk)
	write(f, 'b', 1096, chunk) // up to the chunk's end exactly
	write(f, 'c', 1, 2*chunk)
	write(f, 'd', 3*chunk, 5*chunk)
	f.Close()

	// A recycled log is written over from its start: its old length is
	// written already.
	path2 := filepath.Join(dir, "000002.log")
	if f, err = fs.ReuseForWrite(path, path2, walCategory); err != nil {
		t.Fatal(err)
	}
	path = path2
	old, _ := os.ReadFile(path)
	want = nil
	write2 := func(c byte, n int, size int64) {
		t.Helper()
		p := bytes.Repeat([]byte{c}, n)
		if _, err := f.Write(p); err != nil {
			t.Fatal(err)
		}
		want = append(want, p...)
		got, _ := os.ReadFile(path)
		if int64(len(got)) != size || !bytes.Equal(got[:len(want)], want) {
			t.Fatalf("recycled log after %d more bytes: size %d, want %d with the bytes written first", n, len(got), size)
		}
		if size == int64(len(old)) && !bytes.Equal(got[len(want):], old[len(want):]) {
			t.Fatal("the recycled log's old bytes beyond the new ones changed")
		}
	}
	write2('e', 4*chunk, 5*chunk)
	write2('f', chunk+1, 6*chunk)
	f.Close()

	other, err := fs.Create(filepath.Join(dir, "000003.sst"), vfs.WriteCategoryUnspecified)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if fi, err := other.Stat(); err != nil || fi.Size() != 1 {
		t.Fatalf("a table file: size %d (%v), want 1", fi.Size(), err)
	}
}
