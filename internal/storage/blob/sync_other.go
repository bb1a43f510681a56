//go:build !linux

package blob

import "os"

// syncData makes f's bytes durable; without fdatasync(2), with fsync.
func syncData(f *os.File) error { return f.Sync() }
