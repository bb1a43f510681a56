package meta

import (
	"fmt"

	"github.com/cockroachdb/pebble/v2/vfs"
)

// walCategory is the write category Pebble creates its write-ahead logs
// with.
const walCategory vfs.DiskWriteCategory = "pebble-wal"

// prefilledWALs gives every new write-ahead log size bytes of written zeros
// before Pebble appends to it.
//
// A durable commit ends in an fdatasync of the log. While the log grows,
// each of those must also commit the file's new size and extents through the
// filesystem's journal; once the bytes exist, it flushes only the data. On
// this project's machine (ext4 on virtio) that halves what a sync costs:
// 122 → 67 µs of CPU and 277 → 166 µs of wall time for a 2 KiB append. Pebble
// gets the same from the logs it recycles, but a store opened afresh (every
// start of the server) writes new logs until its first memtables are flushed;
// with small items that is many seconds of writes.
//
// Pebble reads a zeroed tail as the end of the log, as it does for the
// preallocated and recycled logs it writes itself.
type prefilledWALs struct {
	vfs.FS
	size int64
}

func (fs prefilledWALs) Create(name string, category vfs.DiskWriteCategory) (vfs.File, error) {
	f, err := fs.FS.Create(name, category)
	if err != nil || category != walCategory || fs.size <= 0 {
		return f, err
	}
	if err := prefill(f, fs.size); err != nil {
		f.Close()
		return nil, fmt.Errorf("meta: prefill %s: %w", name, err)
	}
	return f, nil
}

// prefill writes size zero bytes at the start of f with positioned writes,
// which leave the file offset, where Pebble writes next, at 0; then it syncs
// them.
func prefill(f vfs.File, size int64) error {
	zeros := make([]byte, 1<<20)
	for off := int64(0); off < size; off += int64(len(zeros)) {
		if _, err := f.WriteAt(zeros[:min(int64(len(zeros)), size-off)], off); err != nil {
			return err
		}
	}
	return f.SyncData()
}
