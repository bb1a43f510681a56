package awstest_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/md5"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakebox/lakebox/internal/server"
)

// childEnv makes the test binary run a bare server instead of tests, so a
// test can kill -9 a real server process.
const childEnv = "LAKEBOX_CRASH_CHILD_DATA_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(childEnv); dir != "" {
		runChild(dir)
		return
	}
	os.Exit(m.Run())
}

func runChild(dir string) {
	srv, err := server.New(server.Config{DataDir: dir, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Println(ln.Addr().String())
	srv.Serve(context.Background(), ln) // until killed
}

type child struct {
	cmd  *exec.Cmd
	addr string
}

func startChild(t *testing.T, dir string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		t.Fatalf("child did not start: %v", err)
	}
	c := &child{cmd: cmd, addr: strings.TrimSpace(line)}
	t.Cleanup(func() { c.kill() })
	return c
}

func (c *child) kill() {
	c.cmd.Process.Kill() // SIGKILL: no shutdown, no clean-shutdown mark
	c.cmd.Wait()
}

func (c *child) client() *s3.Client {
	return s3.New(s3.Options{
		Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String("http://" + c.addr), UsePathStyle: true, RetryMaxAttempts: 1,
	})
}

// TestCrash_AcknowledgedWritesSurvive kills the server with SIGKILL while
// eight writers put inline, file and multipart objects, restarts it, and
// checks that every write the server acknowledged reads back intact.
func TestCrash_AcknowledgedWritesSurvive(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	t.Parallel()
	dir := t.TempDir()
	srv := startChild(t, dir)
	c := srv.client()
	createBucket(t, c, "crash")

	const killAfter = 300 // acknowledged writes before the kill
	var (
		mu    sync.Mutex
		acked = map[string][16]byte{}
		n     atomic.Int64
		wg    sync.WaitGroup
	)
	killed := make(chan struct{})
	var once sync.Once
	for w := range 8 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-killed:
					return
				default:
				}
				key := fmt.Sprintf("w%d/%05d", w, i)
				size := []int{100, 4 << 10, 40 << 10, 300 << 10}[i%4]
				body := bytes.Repeat([]byte(key), size/len(key)+1)[:size]
				var err error
				if i%25 == 24 {
					err = multipartPut(c, "crash", key, body)
				} else {
					_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("crash"), Key: aws.String(key), Body: bytes.NewReader(body)})
				}
				if err != nil {
					return // the server is gone: stop writing
				}
				mu.Lock()
				acked[key] = md5.Sum(body)
				mu.Unlock()
				if n.Add(1) == killAfter {
					once.Do(func() { srv.kill(); close(killed) })
				}
			}
		})
	}
	wg.Wait()

	again := startChild(t, dir)
	c = again.client()
	for key, sum := range acked {
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("crash"), Key: aws.String(key)})
		if err != nil {
			t.Fatalf("acknowledged %s lost: %v", key, err)
		}
		var buf bytes.Buffer
		buf.ReadFrom(out.Body)
		out.Body.Close()
		if md5.Sum(buf.Bytes()) != sum {
			t.Fatalf("acknowledged %s corrupted", key)
		}
	}
	if len(acked) < killAfter {
		t.Fatalf("only %d writes acknowledged", len(acked))
	}
}

func multipartPut(c *s3.Client, bucket, key string, body []byte) error {
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return err
	}
	part, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(bucket), Key: aws.String(key), UploadId: up.UploadId, PartNumber: aws.Int32(1), Body: bytes.NewReader(body)})
	if err != nil {
		return err
	}
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: part.ETag}}}})
	return err
}
