// Command lifecyclebench measures how long a lifecycle pass takes over a
// bucket of many objects: a pass with nothing due, one that transitions
// every object, and one that expires every object. It drives the S3 service
// directly (no HTTP), on a real meta store and blob store.
//
//	go run ./bench/lifecyclebench [-objects 1000000]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/clock"
	"github.com/lakebox/lakebox/internal/s3"
	"github.com/lakebox/lakebox/internal/storage/blob"
	"github.com/lakebox/lakebox/internal/storage/meta"
)

func main() {
	objects := flag.Int("objects", 1_000_000, "objects in the bucket")
	workers := flag.Int("workers", 32, "concurrent writers while filling the bucket")
	dir := flag.String("dir", "", "data directory (default: a temporary one)")
	flag.Parse()
	if err := run(*objects, *workers, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "lifecyclebench:", err)
		os.Exit(1)
	}
}

func run(objects, workers int, dir string) error {
	if dir == "" {
		d, err := os.MkdirTemp(benchRoot(), "lifecyclebench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	db, err := meta.Open(filepath.Join(dir, "meta"), meta.DefaultOptions())
	if err != nil {
		return err
	}
	defer db.Close()
	blobs, err := blob.Open(filepath.Join(dir, "blobs"))
	if err != nil {
		return err
	}
	clk := clock.New(0)
	svc, err := s3.New(db, blobs, clk, s3.DefaultOptions())
	if err != nil {
		return err
	}
	ctx := auth.WithIdentity(context.Background(), auth.Identity{AccessKey: "test", Account: "000000000000", Region: "us-east-1", Service: "s3"})
	const bucket = "lifecycle-bench"
	if _, err := svc.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: bucket}); err != nil {
		return err
	}

	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	for range workers {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(objects) {
					return
				}
				key := fmt.Sprintf("raw/events/day=%03d/part-%07d.json", i%365, i)
				_, err := svc.PutObject(ctx, &s3.PutObjectInput{Bucket: bucket, Key: key,
					Body: s3.Body{Reader: strings.NewReader("{}"), Size: 2}})
				if err != nil {
					failed.Store(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "filled %d objects in %v\n", objects, time.Since(start).Round(time.Second))

	day := 24 * time.Hour
	rules := func(rs ...s3.LifecycleRule) error {
		_, err := svc.PutBucketLifecycle(ctx, &s3.PutBucketLifecycleInput{Bucket: bucket, Rules: rs, MinSize: s3.MinSizeVariesByClass})
		return err
	}
	err = rules(
		s3.LifecycleRule{ID: "archive", Enabled: true, Filter: s3.LifecycleFilter{Prefix: "raw/"},
			Transitions: []s3.LifecycleTransition{{Days: 90, StorageClass: "GLACIER_IR"}}},
		s3.LifecycleRule{ID: "expire", Enabled: true, Filter: s3.LifecycleFilter{Prefix: "raw/"},
			Expiration: &s3.LifecycleExpiration{Days: 365}},
	)
	if err != nil {
		return err
	}
	fmt.Printf("\nLifecycle pass over %d objects (%d cores, %s):\n\n| pass | seconds | objects/s | changed |\n|---|---|---|---|\n",
		objects, runtime.NumCPU(), time.Now().UTC().Format("2006-01-02"))
	for _, p := range []struct {
		name    string
		advance time.Duration
	}{
		{"nothing due", 0},
		{"transition every object", 91 * day},
		{"nothing due again", 0},
		{"expire every object", 275 * day},
	} {
		if _, err := clk.Advance(p.advance); err != nil {
			return err
		}
		t := time.Now()
		st, err := svc.RunLifecycle(context.Background())
		if err != nil {
			return err
		}
		took := time.Since(t)
		changed := st.Transitioned + st.Expired
		fmt.Printf("| %s | %.1f | %.0f | %d |\n", p.name, took.Seconds(), float64(st.Scanned)/took.Seconds(), changed)
	}
	return nil
}

// benchRoot puts data on the machine's work disk when there is one.
func benchRoot() string {
	if fi, err := os.Stat("/work"); err == nil && fi.IsDir() {
		return "/work"
	}
	return os.TempDir()
}
