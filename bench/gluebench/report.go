package main

import (
	"fmt"
	"io"
	"time"
)

func report(w io.Writer, cfg config, results []*result) {
	fmt.Fprintf(w, "\nGlue benchmark, %d clients, %s per phase, %s.\n\n", cfg.clients, cfg.duration, time.Now().UTC().Format("2006-01-02"))
	var base *result
	for _, r := range results {
		if r.name == "lakebox" {
			base = r
		}
	}
	fmt.Fprintf(w, "| operation | server | ops/s | server CPU per op | Lakebox is × faster |\n|---|---|---:|---:|---:|\n")
	for i := range results[0].ops {
		for _, r := range results {
			o := r.ops[i]
			ratio := ""
			if base != nil && r != base && o.rate() > 0 {
				ratio = fmt.Sprintf("%.1f×", base.ops[i].rate()/o.rate())
			}
			errs := ""
			if o.errors > 0 {
				errs = fmt.Sprintf(" (%d errors)", o.errors)
			}
			fmt.Fprintf(w, "| %s | %s | %.0f%s | %s | %s |\n", o.name, r.name, o.rate(), errs, micro(o.cpuPerOp), ratio)
		}
	}
	fmt.Fprintf(w, "\n| GetPartitions over %d partitions (all pages) | server | partitions | median latency |\n|---|---|---:|---:|\n", cfg.partitions)
	for i := range results[0].queries {
		for _, r := range results {
			if r.name == "floor" {
				continue
			}
			q := r.queries[i]
			if q.err != "" {
				fmt.Fprintf(w, "| %s | %s | error: %s | |\n", q.name, r.name, q.err)
				continue
			}
			fmt.Fprintf(w, "| %s | %s | %d | %s |\n", q.name, r.name, q.matched, milli(q.median))
		}
	}
	fmt.Fprintf(w, "\n| loading %d partitions (BatchCreatePartition of 100) | time |\n|---|---:|\n", cfg.partitions)
	for _, r := range results {
		if r.name != "floor" {
			fmt.Fprintf(w, "| %s (%d loaded) | %s |\n", r.name, r.loaded, r.loadTime.Round(time.Millisecond))
		}
	}
	fmt.Fprintf(w, "\n| crawl of %d Parquet objects in %d folders | PUT time | crawl time | last crawl | tables | partitions |\n|---|---:|---:|---|---:|---:|\n", cfg.objects, cfg.folders)
	for _, r := range results {
		if r.name != "floor" {
			fmt.Fprintf(w, "| %s | %s | %s | %s | %d | %d |\n", r.name, r.crawlPut.Round(time.Millisecond), r.crawlTime.Round(time.Millisecond), r.crawlState, r.tables, r.partitions)
		}
	}
}

func micro(d time.Duration) string { return fmt.Sprintf("%.0f µs", float64(d.Nanoseconds())/1000) }
func milli(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
