package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/lakebox/lakebox/bench/internal/proc"
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

func startPeer(ctx context.Context, name string, cfg config) (*peer, error) {
	addr, err := proc.FreePort()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(cfg.workdir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
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
	if err := proc.Start(ctx, p.cmd, addr, filepath.Join(cfg.workdir, name+".log")); err != nil {
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

func (p *peer) stop() { proc.Stop(p.cmd) }

// cpuSeconds is the user+system CPU time the peer's process has used.
func (p *peer) cpuSeconds() float64 { return proc.CPUSeconds(p.cmd) }
