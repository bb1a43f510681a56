package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

func TestRun_Version(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "lakebox ") {
		t.Fatalf("version printed %q", out.String())
	}
	if err := run(context.Background(), []string{"frobnicate"}, io.Discard, io.Discard); err == nil {
		t.Fatal("unknown command accepted")
	}
}

func TestParseFlags_Environment(t *testing.T) {
	t.Setenv("LAKEBOX_DATA_DIR", "/from/env")
	t.Setenv("LAKEBOX_STRICT_AUTH", "true")
	t.Setenv("LAKEBOX_ADDR", "0.0.0.0:1")
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	dir := fs.String("data-dir", ".lakebox", "")
	strict := fs.Bool("strict-auth", false, "")
	addr := fs.String("addr", "127.0.0.1:4566", "")
	if err := parseFlags(fs, []string{"--addr", "127.0.0.1:9"}); err != nil {
		t.Fatal(err)
	}
	if *dir != "/from/env" || !*strict || *addr != "127.0.0.1:9" {
		t.Fatalf("data-dir %q strict %v addr %q: flags must win over the environment, the environment over defaults", *dir, *strict, *addr)
	}
	t.Setenv("LAKEBOX_STRICT_AUTH", "maybe")
	fs = flag.NewFlagSet("t", flag.ContinueOnError)
	fs.Bool("strict-auth", false, "")
	if err := parseFlags(fs, nil); err == nil {
		t.Fatal("bad environment value accepted")
	}
}

func TestLogWriter_FlushesOnClose(t *testing.T) {
	var out bytes.Buffer
	w := newLogWriter(&out, time.Hour)
	io.WriteString(w, "line one\n")
	io.WriteString(w, "line two\n")
	if out.Len() != 0 {
		t.Fatal("written before a flush")
	}
	w.Close()
	if out.String() != "line one\nline two\n" {
		t.Fatalf("flushed %q", out.String())
	}
}
