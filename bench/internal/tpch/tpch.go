// Package tpch generates TPC-H data as Parquet files with DuckDB's own
// generator (dbgen, from the tpch extension).
//
// The pinned DuckDB binding ships the tpch extension as a static library
// that it does not register. Generate turns that archive into a loadable
// extension: a shared library linked from it with the C++ compiler cgo
// already needs, followed by DuckDB's 534-byte metadata footer. The
// process that loads it exports DuckDB's symbols (see export.go), which is
// why this package, and not the server, is where the generator lives.
package tpch

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	_ "github.com/duckdb/duckdb-go/v2" // the "duckdb" driver
)

// Tables are TPC-H's eight tables.
var Tables = []string{"nation", "region", "part", "supplier", "partsupp", "customer", "orders", "lineitem"}

// Generate writes the eight tables at scale factor sf as
// dir/<table>/data.parquet, unless dir already holds them, and returns
// the DuckDB queries' text by number (1–22), DuckDB's dialect.
func Generate(ctx context.Context, dir string, sf float64) (map[int]string, error) {
	ext, err := extension(ctx, filepath.Join(dir, "ext"))
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("duckdb", "?allow_unsigned_extensions=true")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // dbgen's tables live in this one in-memory database
	if _, err := db.ExecContext(ctx, fmt.Sprintf("LOAD '%s'", ext)); err != nil {
		return nil, fmt.Errorf("tpch: load the extension: %w", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "lineitem", "data.parquet")); err != nil {
		if _, err := db.ExecContext(ctx, fmt.Sprintf("CALL dbgen(sf = %g)", sf)); err != nil {
			return nil, fmt.Errorf("tpch: dbgen: %w", err)
		}
		for _, t := range Tables {
			os.MkdirAll(filepath.Join(dir, t), 0o755)
			// Row groups of DuckDB's default size, Snappy as Athena writes.
			q := fmt.Sprintf("COPY %s TO '%s' (FORMAT parquet, COMPRESSION snappy)", t, filepath.Join(dir, t, "data.parquet"))
			if _, err := db.ExecContext(ctx, q); err != nil {
				return nil, fmt.Errorf("tpch: %s: %w", t, err)
			}
		}
	}
	rows, err := db.QueryContext(ctx, "SELECT query_nr, query FROM tpch_queries()")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	queries := map[int]string{}
	for rows.Next() {
		var n int
		var q string
		if err := rows.Scan(&n, &q); err != nil {
			return nil, err
		}
		queries[n] = q
	}
	return queries, rows.Err()
}

// extension builds tpch.duckdb_extension in dir, once, and returns its
// path.
func extension(ctx context.Context, dir string) (string, error) {
	out := filepath.Join(dir, "tpch.duckdb_extension")
	if _, err := os.Stat(out); err == nil {
		return out, nil
	}
	pkg := fmt.Sprintf("github.com/duckdb/duckdb-go-bindings/lib/%s-%s", runtime.GOOS, runtime.GOARCH)
	moddir, err := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Dir}}", pkg).Output()
	if err != nil {
		return "", fmt.Errorf("tpch: find %s: %w", pkg, err)
	}
	archive := filepath.Join(strings.TrimSpace(string(moddir)), "libtpch_extension.a")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	so := out + ".so"
	link := exec.CommandContext(ctx, "g++", "-shared", "-o", so, "-Wl,--whole-archive", archive, "-Wl,--no-whole-archive")
	if msg, err := link.CombinedOutput(); err != nil {
		return "", fmt.Errorf("tpch: link %s: %v: %s", archive, err, msg)
	}
	version, platform, err := engine(ctx)
	if err != nil {
		return "", err
	}
	lib, err := os.ReadFile(so)
	if err != nil {
		return "", err
	}
	os.Remove(so)
	if err := os.WriteFile(out, append(lib, footer(platform, version, version, "CPP")...), 0o644); err != nil {
		return "", err
	}
	return out, nil
}

// engine reports the linked DuckDB's version and platform, which an
// extension of the C++ ABI must name exactly.
func engine(ctx context.Context) (version, platform string, err error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return "", "", err
	}
	defer db.Close()
	err = db.QueryRowContext(ctx, "SELECT library_version, platform FROM pragma_version(), pragma_platform()").Scan(&version, &platform)
	return version, platform, err
}

// footer is DuckDB's extension metadata: a WebAssembly custom section
// named duckdb_signature whose 512-byte payload is eight 32-byte fields,
// last first (the magic "4", platform, DuckDB version, extension version,
// ABI type, three unused), then a 256-byte signature, left empty: the
// extension is loaded with allow_unsigned_extensions.
func footer(platform, duckdbVersion, extVersion, abi string) []byte {
	field := func(s string) []byte { return append([]byte(s), make([]byte, 32-len(s))...) }
	var b bytes.Buffer
	const name = "duckdb_signature"
	b.WriteByte(0)               // custom section id
	b.Write([]byte{0x93, 0x04})  // section size 531, LEB128
	b.WriteByte(byte(len(name))) // name length
	b.WriteString(name)          //
	b.Write([]byte{0x80, 0x04})  // payload size 512, LEB128
	for range 3 {
		b.Write(field(""))
	}
	for _, f := range []string{abi, extVersion, duckdbVersion, platform, "4"} {
		b.Write(field(f))
	}
	b.Write(make([]byte, 256))
	return b.Bytes()
}
