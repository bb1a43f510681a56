package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

const bucket = "bench"

// phase is one measured workload on one server.
type phase struct {
	ops     int
	errors  int
	elapsed time.Duration
	bytes   int64
	lat     []time.Duration
	cpu     float64 // server CPU seconds used
}

func (p phase) opsPerSec() float64 { return float64(p.ops) / p.elapsed.Seconds() }
func (p phase) mbPerSec() float64  { return float64(p.bytes) / (1 << 20) / p.elapsed.Seconds() }
func (p phase) cpuPerOp() time.Duration {
	if p.ops == 0 {
		return 0
	}
	return time.Duration(p.cpu / float64(p.ops) * float64(time.Second))
}

func (p phase) percentile(q float64) time.Duration {
	if len(p.lat) == 0 {
		return 0
	}
	s := slices.Clone(p.lat)
	slices.Sort(s)
	return s[int(q*float64(len(s)-1))]
}

type result struct {
	name                          string
	putSmall, getSmall            phase
	putLarge, getLarge, listPhase phase
	getLargeCold                  phase // GETs with the kernel's page cache dropped first; ops 0 when it cannot be
}

func client(p *peer, clients int, unsignedPayload bool) *s3.Client {
	opts := s3.Options{
		Region:                     "us-east-1",
		Credentials:                credentials.NewStaticCredentialsProvider(p.accessKey, p.secretKey, ""),
		BaseEndpoint:               aws.String(p.url),
		UsePathStyle:               true,
		RetryMaxAttempts:           1,
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
		HTTPClient: &http.Client{Transport: &http.Transport{
			MaxIdleConns: clients * 2, MaxIdleConnsPerHost: clients * 2, DisableCompression: true,
		}},
	}
	if unsignedPayload {
		opts.APIOptions = append(opts.APIOptions, v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware)
	}
	return s3.New(opts)
}

func measure(ctx context.Context, p *peer, cfg config) (*result, error) {
	c := client(p, cfg.clients, false)
	if !p.floor {
		if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
			return nil, fmt.Errorf("create bucket: %w", err)
		}
		if p.sse {
			_, err := c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String(bucket),
				ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{{
					ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAes256},
				}}}})
			if err != nil {
				return nil, fmt.Errorf("bucket encryption: %w", err)
			}
		}
	}
	r := &result{name: p.name}
	small := make([]byte, cfg.smallSize)
	rand.Read(small)
	key := func(client, i int) string { return fmt.Sprintf("small/%02d/%08d-%d", client, i, cfg.smallSize) }

	lean := newLeanClient(p, cfg.clients*2)
	smallHash, emptyHash := payloadHash(small), payloadHash(nil)
	written := make([]atomic.Int64, cfg.clients)
	r.putSmall = concurrent(p, cfg.clients, cfg.duration, func(cl, i int) error {
		err := lean.do(ctx, http.MethodPut, "/"+bucket+"/"+key(cl, i), small, smallHash)
		if err == nil {
			written[cl].Store(int64(i + 1))
		}
		return err
	})
	fmt.Fprintf(stderr, "  PUT %d B: %.0f ops/s\n", cfg.smallSize, r.putSmall.opsPerSec())
	r.getSmall = concurrent(p, cfg.clients, cfg.duration, func(cl, i int) error {
		n := max(written[cl].Load(), 1)
		return lean.do(ctx, http.MethodGet, "/"+bucket+"/"+key(cl, i%int(n)), nil, emptyHash)
	})
	fmt.Fprintf(stderr, "  GET %d B: %.0f ops/s\n", cfg.smallSize, r.getSmall.opsPerSec())

	large := make([]byte, cfg.largeSize)
	rand.Read(large)
	lc := client(p, 1, true)
	largeKey := func(i int) string { return fmt.Sprintf("large/%d-%d", i, cfg.largeSize) }
	r.putLarge = sequential(p, cfg.largeCount, int64(cfg.largeSize), func(i int) error {
		_, err := lc.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(largeKey(i)), Body: bytes.NewReader(large)})
		return err
	})
	fmt.Fprintf(stderr, "  PUT %d MiB: %.0f MiB/s\n", cfg.largeSize>>20, r.putLarge.mbPerSec())
	// Bodies are read 1 MiB at a time, as a program that wants throughput
	// does: io.Discard alone would read 8 KiB per call, a syscall each, and
	// measure the client more than the server (cat reads 128 KiB at a time).
	readBuf := make([]byte, 1<<20)
	getLarge := func(i int) error {
		out, err := lc.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(largeKey(i))})
		if err != nil {
			return err
		}
		n, err := io.CopyBuffer(struct{ io.Writer }{io.Discard}, struct{ io.Reader }{out.Body}, readBuf)
		out.Body.Close()
		if err == nil && n != int64(cfg.largeSize) {
			err = fmt.Errorf("read %d of %d bytes", n, cfg.largeSize)
		}
		return err
	}
	r.getLarge = sequential(p, cfg.largeCount, int64(cfg.largeSize), getLarge)
	fmt.Fprintf(stderr, "  GET %d MiB: %.0f MiB/s\n", cfg.largeSize>>20, r.getLarge.mbPerSec())
	if canDropCaches() {
		r.getLargeCold = sequential(p, cfg.largeCount, int64(cfg.largeSize), func(i int) error {
			return getLarge(i)
		}, dropCaches)
		fmt.Fprintf(stderr, "  GET %d MiB from disk: %.0f MiB/s\n", cfg.largeSize>>20, r.getLargeCold.mbPerSec())
	}

	if err := populateList(ctx, c, cfg); err != nil && !p.floor {
		return nil, err
	}
	r.listPhase = sequential(p, 3, 0, func(int) error {
		pg := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String("list/")})
		n := 0
		for pg.HasMorePages() {
			page, err := pg.NextPage(ctx)
			if err != nil {
				return err
			}
			n += len(page.Contents)
		}
		if n != cfg.listKeys && !p.floor {
			return fmt.Errorf("listed %d of %d keys", n, cfg.listKeys)
		}
		return nil
	})
	fmt.Fprintf(stderr, "  LIST %d keys: %v per listing\n", cfg.listKeys, r.listPhase.elapsed/3)
	return r, nil
}

func populateList(ctx context.Context, c *s3.Client, cfg config) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	var firstErr atomic.Value
	for range cfg.clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= cfg.listKeys {
					return
				}
				_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(fmt.Sprintf("list/%05d-0", i)), Body: bytes.NewReader(nil)})
				if err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return fmt.Errorf("populate list: %w", err)
	}
	return nil
}

// concurrent runs op from n clients for d and collects latencies.
func concurrent(p *peer, n int, d time.Duration, op func(client, i int) error) phase {
	var mu sync.Mutex
	var ph phase
	cpu0 := p.cpuSeconds()
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for cl := range n {
		wg.Go(func() {
			var lat []time.Duration
			errs := 0
			for i := 0; time.Now().Before(deadline); i++ {
				t := time.Now()
				if err := op(cl, i); err != nil {
					errs++
					if errs == 1 {
						fmt.Fprintf(stderr, "  %s error: %v\n", p.name, err)
					}
					continue
				}
				lat = append(lat, time.Since(t))
			}
			mu.Lock()
			ph.lat = append(ph.lat, lat...)
			ph.errors += errs
			mu.Unlock()
		})
	}
	wg.Wait()
	ph.elapsed = time.Since(start)
	ph.ops = len(ph.lat)
	ph.cpu = p.cpuSeconds() - cpu0
	return ph
}

// sequential runs op count times from one client. Each setup runs before
// every op, outside the measured time.
func sequential(p *peer, count int, size int64, op func(i int) error, setup ...func()) phase {
	var ph phase
	for i := range count {
		for _, f := range setup {
			f()
		}
		cpu0 := p.cpuSeconds()
		t := time.Now()
		err := op(i)
		took := time.Since(t)
		ph.elapsed += took
		ph.cpu += p.cpuSeconds() - cpu0
		if err != nil {
			ph.errors++
			fmt.Fprintf(stderr, "  %s error: %v\n", p.name, err)
			continue
		}
		ph.lat = append(ph.lat, took)
		ph.bytes += size
	}
	ph.ops = len(ph.lat)
	return ph
}

// dropCachesPath empties the kernel's page cache when written (root only).
const dropCachesPath = "/proc/sys/vm/drop_caches"

func canDropCaches() bool {
	f, err := os.OpenFile(dropCachesPath, os.O_WRONLY, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// dropCaches writes dirty pages back and drops the page cache, so the next
// read comes from the disk.
func dropCaches() {
	exec.Command("sync").Run()
	os.WriteFile(dropCachesPath, []byte("3"), 0)
}
