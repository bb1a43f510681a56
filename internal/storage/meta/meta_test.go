package meta

import (
	"errors"
	"fmt"
	"testing"
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
