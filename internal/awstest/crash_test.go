package awstest_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/md5"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakebox/lakebox/internal/awstest"
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

// childCollectionLimit, when set, is the child's DynamoDB item
// collection limit in bytes.
const childCollectionLimit = "LAKEBOX_CRASH_CHILD_COLLECTION_LIMIT"

func runChild(dir string) {
	limit, _ := strconv.ParseInt(os.Getenv(childCollectionLimit), 10, 64)
	srv, err := server.New(server.Config{DataDir: dir, Logger: slog.New(slog.DiscardHandler), DynamoDBCollectionLimit: limit})
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

// startChild starts a server process on dir, with env (NAME=value) added
// to its environment.
func startChild(t *testing.T, dir string, env ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), childEnv+"="+dir), env...)
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

// httpClient is the clients' HTTP client, with the test server's
// workaround for the SDK's request-body race (awstest.BodyWithoutWriterTo).
func (c *child) httpClient() *http.Client {
	return &http.Client{Transport: awstest.BodyWithoutWriterTo{RoundTripper: &http.Transport{MaxIdleConnsPerHost: 64}}}
}

func (c *child) client() *s3.Client {
	return s3.New(s3.Options{
		Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String("http://" + c.addr), HTTPClient: c.httpClient(), UsePathStyle: true, RetryMaxAttempts: 1,
	})
}

func (c *child) kinesisClient() *kinesis.Client {
	return kinesis.New(kinesis.Options{
		Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String("http://" + c.addr), HTTPClient: c.httpClient(), RetryMaxAttempts: 1,
	})
}

// TestCrash_AcknowledgedWritesSurvive kills the server with SIGKILL while
// eight writers put inline, file and multipart objects, restarts it, and
// checks that every write the server acknowledged reads back intact.
// writeUntilKilled runs writers until killAfter writes are acknowledged,
// then kills the server while they are still writing. write performs
// writer w's i-th write and returns what identifies it and the MD5 of what
// was written; the acknowledged ones are returned.
func writeUntilKilled(srv *child, writers int, killAfter int64, write func(w, i int) (string, [16]byte, error)) map[string][16]byte {
	var (
		mu    sync.Mutex
		acked = map[string][16]byte{}
		n     atomic.Int64
		wg    sync.WaitGroup
		once  sync.Once
	)
	killed := make(chan struct{})
	for w := range writers {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-killed:
					return
				default:
				}
				id, sum, err := write(w, i)
				if err != nil {
					return // the server is gone: stop writing
				}
				mu.Lock()
				acked[id] = sum
				mu.Unlock()
				if n.Add(1) == killAfter {
					once.Do(func() { srv.kill(); close(killed) })
				}
			}
		})
	}
	wg.Wait()
	return acked
}

// checkBody fails the test unless the object reads back with the MD5 sum.
func checkBody(t *testing.T, c *s3.Client, in *s3.GetObjectInput, sum [16]byte) {
	t.Helper()
	out, err := c.GetObject(ctx, in)
	if err != nil {
		t.Fatalf("acknowledged %s (version %q) lost: %v", aws.ToString(in.Key), aws.ToString(in.VersionId), err)
	}
	var buf bytes.Buffer
	buf.ReadFrom(out.Body)
	out.Body.Close()
	if md5.Sum(buf.Bytes()) != sum {
		t.Fatalf("acknowledged %s (version %q) corrupted", aws.ToString(in.Key), aws.ToString(in.VersionId))
	}
}

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
	acked := writeUntilKilled(srv, 8, killAfter, func(w, i int) (string, [16]byte, error) {
		key := fmt.Sprintf("w%d/%05d", w, i)
		size := []int{100, 4 << 10, 40 << 10, 300 << 10}[i%4]
		body := bytes.Repeat([]byte(key), size/len(key)+1)[:size]
		var err error
		in := &s3.PutObjectInput{Bucket: aws.String("crash"), Key: aws.String(key), Body: bytes.NewReader(body)}
		if i%3 == 0 {
			in.ServerSideEncryption = types.ServerSideEncryptionAes256 // sealed bodies, and the master key, survive too
		}
		if i%25 == 24 {
			err = multipartPut(c, "crash", key, body)
		} else {
			_, err = c.PutObject(ctx, in)
		}
		return key, md5.Sum(body), err
	})

	c = startChild(t, dir).client()
	for key, sum := range acked {
		checkBody(t, c, &s3.GetObjectInput{Bucket: aws.String("crash"), Key: aws.String(key)}, sum)
	}
	if len(acked) < killAfter {
		t.Fatalf("only %d writes acknowledged", len(acked))
	}
}

// Every acknowledged version of an overwritten key survives a crash, readable
// by its version id.
func TestCrash_AcknowledgedVersionsSurvive(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	t.Parallel()
	dir := t.TempDir()
	srv := startChild(t, dir)
	c := srv.client()
	createBucket(t, c, "crashver")
	setVersioning(t, c, "crashver", types.BucketVersioningStatusEnabled)

	const killAfter = 200
	acked := writeUntilKilled(srv, 4, killAfter, func(w, i int) (string, [16]byte, error) {
		key := fmt.Sprintf("w%d/k%d", w, i%3) // overwritten again and again
		body := fmt.Appendf(nil, "%s version %d", key, i)
		out, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("crashver"), Key: aws.String(key), Body: bytes.NewReader(body)})
		if err != nil {
			return "", [16]byte{}, err
		}
		return key + " " + aws.ToString(out.VersionId), md5.Sum(body), nil
	})

	c = startChild(t, dir).client()
	for v, sum := range acked {
		key, id, _ := strings.Cut(v, " ")
		checkBody(t, c, &s3.GetObjectInput{Bucket: aws.String("crashver"), Key: aws.String(key), VersionId: aws.String(id)}, sum)
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

func (c *child) firehoseClient() *firehose.Client {
	return firehose.New(firehose.Options{
		Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String("http://" + c.addr), HTTPClient: c.httpClient(), RetryMaxAttempts: 1,
	})
}

func (c *child) dynamodbClient() *dynamodb.Client { return c.dynamodbClientIn("us-east-1") }

func (c *child) dynamodbClientIn(region string) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		Region: region, Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String("http://" + c.addr), HTTPClient: c.httpClient(), RetryMaxAttempts: 1,
	})
}

func (c *child) dynamodbStreamsClient() *dynamodbstreams.Client {
	return dynamodbstreams.New(dynamodbstreams.Options{
		Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String("http://" + c.addr), HTTPClient: c.httpClient(), RetryMaxAttempts: 1,
	})
}
