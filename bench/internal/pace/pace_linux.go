package pace

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// Sleeper waits until a given time. It is for one goroutine at a time.
type Sleeper struct {
	f  *os.File // reads wait in Go's poller
	fd int      // f's descriptor, for arming the timer (f.Fd would make f blocking)
}

// New returns a Sleeper with its own timerfd.
func New() (*Sleeper, error) {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return nil, os.NewSyscallError("timerfd_create", err)
	}
	// A non-blocking descriptor: reads park the goroutine in Go's poller
	// rather than a thread in the kernel.
	return &Sleeper{f: os.NewFile(uintptr(fd), "timerfd"), fd: fd}, nil
}

// Until returns once t has passed.
func (s *Sleeper) Until(t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return nil
	}
	spec := unix.ItimerSpec{Value: unix.NsecToTimespec(d.Nanoseconds())}
	if err := unix.TimerfdSettime(s.fd, 0, &spec, nil); err != nil {
		return os.NewSyscallError("timerfd_settime", err)
	}
	var expirations [8]byte
	_, err := s.f.Read(expirations[:])
	return err
}

// Close releases the timerfd.
func (s *Sleeper) Close() error { return s.f.Close() }
