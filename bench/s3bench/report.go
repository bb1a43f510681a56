package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

var stderr io.Writer = os.Stderr

// diskRef is what the disk itself does with a large file: a plain
// `dd conv=fsync` write and a `cat` read of the same size.
type diskRef struct {
	writeMBs, readMBs float64
	coldReadMBs       float64 // cat with the page cache dropped; 0 when it cannot be
}

func measureDisk(cfg config) (diskRef, error) {
	path := filepath.Join(cfg.workdir, "disk-ref")
	defer os.Remove(path)
	var ref diskRef
	count := fmt.Sprint(cfg.largeSize >> 20)
	start := time.Now()
	const rounds = 3
	for range rounds {
		if out, err := exec.Command("dd", "if=/dev/zero", "of="+path, "bs=1M", "count="+count, "conv=fsync").CombinedOutput(); err != nil {
			return ref, fmt.Errorf("dd: %v: %s", err, out)
		}
	}
	ref.writeMBs = float64(rounds*cfg.largeSize>>20) / time.Since(start).Seconds()
	start = time.Now()
	for range rounds {
		if out, err := exec.Command("sh", "-c", "cat "+path+" > /dev/null").CombinedOutput(); err != nil {
			return ref, fmt.Errorf("cat: %v: %s", err, out)
		}
	}
	ref.readMBs = float64(rounds*cfg.largeSize>>20) / time.Since(start).Seconds()
	if canDropCaches() {
		var took time.Duration
		for range rounds {
			dropCaches()
			start := time.Now()
			if out, err := exec.Command("sh", "-c", "cat "+path+" > /dev/null").CombinedOutput(); err != nil {
				return ref, fmt.Errorf("cat: %v: %s", err, out)
			}
			took += time.Since(start)
		}
		ref.coldReadMBs = float64(rounds*cfg.largeSize>>20) / took.Seconds()
	}
	return ref, nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
func us(d time.Duration) string { return fmt.Sprintf("%.0f µs", float64(d.Nanoseconds())/1000) }

func report(w io.Writer, cfg config, ref diskRef, results []*result) {
	fmt.Fprintf(w, "\nS3 benchmark, %d clients for small objects, %s per phase, %s.\n\n", cfg.clients, cfg.duration, time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintf(w, "| metric |")
	for _, r := range results {
		fmt.Fprintf(w, " %s |", r.name)
	}
	fmt.Fprintf(w, "\n|---|")
	for range results {
		fmt.Fprintf(w, "---|")
	}
	fmt.Fprintln(w)
	row := func(name string, f func(*result) string) {
		fmt.Fprintf(w, "| %s |", name)
		for _, r := range results {
			fmt.Fprintf(w, " %s |", f(r))
		}
		fmt.Fprintln(w)
	}
	kib := cfg.smallSize >> 10
	row(fmt.Sprintf("PUT %d KiB ops/s", kib), func(r *result) string { return fmt.Sprintf("%.0f", r.putSmall.opsPerSec()) })
	row(fmt.Sprintf("PUT %d KiB p50 / p99", kib), func(r *result) string {
		return ms(r.putSmall.percentile(0.5)) + " / " + ms(r.putSmall.percentile(0.99))
	})
	row(fmt.Sprintf("PUT %d KiB server CPU/op", kib), func(r *result) string { return us(r.putSmall.cpuPerOp()) })
	row(fmt.Sprintf("GET %d KiB ops/s", kib), func(r *result) string { return fmt.Sprintf("%.0f", r.getSmall.opsPerSec()) })
	row(fmt.Sprintf("GET %d KiB p50 / p99", kib), func(r *result) string {
		return ms(r.getSmall.percentile(0.5)) + " / " + ms(r.getSmall.percentile(0.99))
	})
	row(fmt.Sprintf("GET %d KiB server CPU/op", kib), func(r *result) string { return us(r.getSmall.cpuPerOp()) })
	mb := cfg.largeSize >> 20
	row(fmt.Sprintf("PUT %d MiB MiB/s", mb), func(r *result) string { return fmt.Sprintf("%.0f", r.putLarge.mbPerSec()) })
	row(fmt.Sprintf("GET %d MiB MiB/s", mb), func(r *result) string { return fmt.Sprintf("%.0f", r.getLarge.mbPerSec()) })
	if ref.coldReadMBs > 0 {
		row(fmt.Sprintf("GET %d MiB from disk MiB/s", mb), func(r *result) string { return fmt.Sprintf("%.0f", r.getLargeCold.mbPerSec()) })
	}
	row(fmt.Sprintf("LIST %d keys, s per full listing", cfg.listKeys), func(r *result) string {
		return fmt.Sprintf("%.3f", r.listPhase.elapsed.Seconds()/float64(max(r.listPhase.ops, 1)))
	})
	row("errors", func(r *result) string {
		return fmt.Sprint(r.putSmall.errors + r.getSmall.errors + r.putLarge.errors + r.getLarge.errors + r.listPhase.errors)
	})

	var lb, sse *result
	for _, r := range results {
		switch r.name {
		case "lakebox":
			lb = r
		case "lakebox-sse":
			sse = r
		}
	}
	if lb == nil {
		return
	}
	if sse != nil {
		fmt.Fprintf(w, "\nEncryption cost: lakebox-sse (bucket default SSE-S3) as a share of lakebox's throughput:\n\n| metric | share |\n|---|---|\n")
		for _, m := range []struct {
			name string
			f    func(*result) float64
		}{
			{"PUT small ops/s", func(r *result) float64 { return r.putSmall.opsPerSec() }},
			{"GET small ops/s", func(r *result) float64 { return r.getSmall.opsPerSec() }},
			{"PUT large MiB/s", func(r *result) float64 { return r.putLarge.mbPerSec() }},
			{"GET large MiB/s", func(r *result) float64 { return r.getLarge.mbPerSec() }},
		} {
			fmt.Fprintf(w, "| %s | %.0f%% |\n", m.name, 100*m.f(sse)/m.f(lb))
		}
	}
	fmt.Fprintf(w, "\nLakebox relative to each peer (higher is better for Lakebox):\n\n| metric |")
	var peers []*result
	for _, r := range results {
		if r != lb && r.name != "floor" && r.name != "lakebox-sse" {
			peers = append(peers, r)
			fmt.Fprintf(w, " vs %s |", r.name)
		}
	}
	fmt.Fprintf(w, "\n|---|")
	for range peers {
		fmt.Fprintf(w, "---|")
	}
	fmt.Fprintln(w)
	ratio := func(name string, f func(*result) float64) {
		fmt.Fprintf(w, "| %s |", name)
		for _, p := range peers {
			if v := f(p); v > 0 {
				fmt.Fprintf(w, " %.1f× |", f(lb)/v)
			} else {
				fmt.Fprintf(w, " n/a |")
			}
		}
		fmt.Fprintln(w)
	}
	ratio("PUT small ops/s", func(r *result) float64 { return r.putSmall.opsPerSec() })
	ratio("GET small ops/s", func(r *result) float64 { return r.getSmall.opsPerSec() })
	ratio("PUT large MiB/s", func(r *result) float64 { return r.putLarge.mbPerSec() })
	ratio("GET large MiB/s", func(r *result) float64 { return r.getLarge.mbPerSec() })
	ratio("LIST speed", func(r *result) float64 {
		if r.listPhase.ops == 0 {
			return 0
		}
		return float64(r.listPhase.ops) / r.listPhase.elapsed.Seconds()
	})
	fmt.Fprintf(w, "\nDisk reference: `dd conv=fsync` writes %.0f MiB/s, `cat` reads %.0f MiB/s (%d MiB file).\n", ref.writeMBs, ref.readMBs, mb)
	fmt.Fprintf(w, "Lakebox large PUT is %.0f%% of dd; large GET is %.0f%% of cat.\n",
		100*lb.putLarge.mbPerSec()/ref.writeMBs, 100*lb.getLarge.mbPerSec()/ref.readMBs)
	if ref.coldReadMBs > 0 {
		fmt.Fprintf(w, "From disk (page cache dropped before each read): `cat` reads %.0f MiB/s; Lakebox GET is %.0f%% of it.\n",
			ref.coldReadMBs, 100*lb.getLargeCold.mbPerSec()/ref.coldReadMBs)
	}
}
