package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// peer is a server under test, running as its own process.
type peer struct {
	name      string
	url       string
	accessKey string
	secretKey string
	cmd       *exec.Cmd
	// floor servers answer without storing: their GETs return zeros.
	floor bool
	// sse sets a default encryption (SSE-S3) on the bench bucket.
	sse bool
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func startPeer(ctx context.Context, name string, cfg config) (*peer, error) {
	addr, err := freePort()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(cfg.workdir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	logf, err := os.Create(filepath.Join(cfg.workdir, name+".log"))
	if err != nil {
		return nil, err
	}
	p := &peer{name: name, url: "http://" + addr, accessKey: "test", secretKey: "test"}
	switch name {
	case "lakebox", "lakebox-sse":
		p.cmd = exec.Command(cfg.lakebox, "serve", "--addr", addr, "--data-dir", dir)
		p.sse = name == "lakebox-sse"
	case "moto":
		path, err := exec.LookPath("moto_server")
		if err != nil {
			return nil, err
		}
		_, port, _ := net.SplitHostPort(addr)
		p.cmd = exec.Command(path, "-H", "127.0.0.1", "-p", port)
	case "minio":
		path, err := findMinio()
		if err != nil {
			return nil, err
		}
		p.accessKey, p.secretKey = "lakeboxbench", "lakeboxbench"
		p.cmd = exec.Command(path, "server", dir, "--address", addr, "--quiet")
		p.cmd.Env = append(os.Environ(), "MINIO_ROOT_USER="+p.accessKey, "MINIO_ROOT_PASSWORD="+p.secretKey)
	case "floor":
		self, err := os.Executable()
		if err != nil {
			return nil, err
		}
		p.cmd = exec.Command(self, "floor-server", addr)
		p.floor = true
	default:
		return nil, fmt.Errorf("unknown server %q", name)
	}
	p.cmd.Stdout, p.cmd.Stderr = logf, logf
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	if err := waitListening(ctx, addr, 60*time.Second); err != nil {
		p.stop()
		return nil, err
	}
	return p, nil
}

func findMinio() (string, error) {
	if path, err := exec.LookPath("minio"); err == nil {
		return path, nil
	}
	home, _ := os.UserHomeDir()
	for _, p := range []string{os.Getenv("GOPATH") + "/bin/minio", filepath.Join(home, "go", "bin", "minio")} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no minio binary (go install github.com/minio/minio@latest)")
}

func waitListening(ctx context.Context, addr string, limit time.Duration) error {
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

func (p *peer) stop() {
	if p.cmd.Process != nil {
		p.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { p.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			p.cmd.Process.Kill()
			<-done
		}
	}
}

// cpuSeconds is the user+system CPU time the peer's process has used.
func (p *peer) cpuSeconds() float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// Fields after the parenthesised command name; utime and stime are the
	// 14th and 15th fields of the whole line.
	s := string(b)
	i := lastIndex(s, ')')
	var state string
	var f [13]int64
	fmt.Sscan(s[i+2:], &state, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9], &f[10], &f[11])
	const ticks = 100 // USER_HZ on Linux
	return float64(f[10]+f[11]) / ticks
}

func lastIndex(s string, c byte) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == c {
			return i
		}
	}
	return -1
}
