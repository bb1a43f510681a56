// Package proc runs the servers a benchmark measures as processes: it
// finds a free loopback port, waits for the server to answer, reads its
// CPU time from /proc and stops it.
package proc

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"
	"time"
)

// FreePort returns a loopback address nobody listens on now.
func FreePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// Start runs cmd (its output going to logPath) and waits until addr
// answers HTTP.
func Start(ctx context.Context, cmd *exec.Cmd, addr, logPath string) error {
	logf, err := os.Create(logPath)
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return err
	}
	if err := WaitListening(ctx, addr, 60*time.Second); err != nil {
		Stop(cmd)
		return err
	}
	return nil
}

// WaitListening polls addr until an HTTP request gets any answer.
func WaitListening(ctx context.Context, addr string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		resp, err := http.Get("http://" + addr + "/")
		if err == nil {
			resp.Body.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not start: %w", addr, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Stop interrupts the process and kills it if it has not exited in ten
// seconds.
func Stop(cmd *exec.Cmd) {
	if cmd == nil || cmd.Process == nil {
		return
	}
	cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

// CPUSeconds is the user+system CPU time the process has used (0 for a
// nil command: a process the benchmark did not start).
func CPUSeconds(cmd *exec.Cmd) float64 {
	if cmd == nil || cmd.Process == nil {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// Fields after the parenthesised command name; utime and stime are the
	// 14th and 15th fields of the whole line.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	var state string
	var f [13]int64
	fmt.Sscan(s[i+2:], &state, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9], &f[10], &f[11])
	const ticks = 100 // USER_HZ on Linux
	return float64(f[10]+f[11]) / ticks
}

// TuneClient sets up the benchmark's own process, the client every server
// is measured with: its garbage collector runs at five times the live heap,
// as Lakebox's does, instead of twice, unless GOGC says otherwise. On two
// shared cores a client collecting often caps what any server, the floor
// included, can show (the Kinesis floor's ingest doubled).
func TuneClient() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}

// WaitIdle waits until the processes together use less than a twentieth
// of a core over a whole second, or until limit has passed, and returns
// how long it waited. A server still busy with what an earlier phase
// left it (an LSM's compactions, a runtime's collection) would slow
// whatever the next phase measures, on any server.
func WaitIdle(cmds []*exec.Cmd, limit time.Duration) time.Duration {
	const window, step = time.Second, 100 * time.Millisecond
	start := time.Now()
	total := func() float64 {
		var s float64
		for _, c := range cmds {
			s += CPUSeconds(c)
		}
		return s
	}
	var samples []float64 // CPU seconds at each step, the newest last
	for time.Since(start) < limit {
		samples = append(samples, total())
		if n := len(samples); n > int(window/step) && samples[n-1]-samples[n-1-int(window/step)] < 0.05 {
			break
		}
		time.Sleep(step)
	}
	return time.Since(start)
}
