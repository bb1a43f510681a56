package blob

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncData makes f's bytes durable, and of its metadata only what reading
// them back needs (fdatasync(2)).
func syncData(f *os.File) error { return unix.Fdatasync(int(f.Fd())) }
