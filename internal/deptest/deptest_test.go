package deptest

import (
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

type pkg struct {
	ImportPath string
	Dir        string
	Imports    []string
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", "github.com/lakebox/lakebox/...")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(out)
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	return pkgs
}

const module = "github.com/lakebox/lakebox/"

// Domain packages hold service logic and storage; the wire is elsewhere.
var noHTTP = []string{
	"internal/s3",
	"internal/glue",
	"internal/glue/classify",
	"internal/athena",
	"internal/kinesis",
	"internal/kinesis/kpl",
	"internal/awsproto/eventstream",
	"internal/storage/streamlog",
	"internal/sqlengine",
	"internal/awsproto/epoch",
	"internal/signedtoken",
	"internal/storage/meta",
	"internal/storage/blob",
	"internal/clock",
	"internal/auth",
	"internal/awsproto/awserr",
}

func TestLayering(t *testing.T) {
	for _, p := range listPackages(t) {
		rel := strings.TrimPrefix(p.ImportPath, module)
		for _, imp := range p.Imports {
			switch {
			case imp == "net/http" && contains(noHTTP, rel):
				t.Errorf("%s imports net/http; domain packages must not", rel)
			case strings.HasPrefix(imp, "github.com/cockroachdb/pebble") && rel != "internal/storage/meta":
				t.Errorf("%s imports Pebble; only internal/storage/meta may", rel)
			case strings.HasPrefix(imp, "github.com/duckdb/") && rel != "internal/sqlengine" && !strings.HasPrefix(rel, "bench/"):
				t.Errorf("%s imports DuckDB; only internal/sqlengine may", rel)
			}
		}
		if strings.HasPrefix(rel, "internal/") || strings.HasPrefix(rel, "cmd/") {
			if _, err := os.Stat(filepath.Join(p.Dir, "doc.go")); err != nil && !strings.HasPrefix(rel, "cmd/") {
				t.Errorf("%s has no doc.go", rel)
			}
		}
	}
}

// The server binary speaks AWS protocols itself; the SDK is for tests,
// internal/awstest and bench/ only.
func TestBinaryHasNoSDK(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", module+"cmd/lakebox").Output()
	if err != nil {
		t.Fatal(err)
	}
	for dep := range strings.SplitSeq(string(out), "\n") {
		if strings.HasPrefix(dep, "github.com/aws/") {
			t.Errorf("cmd/lakebox depends on %s", dep)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
