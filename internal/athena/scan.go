package athena

import (
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"
)

// DataScannedInBytes, honestly: what the engine is handed to read after
// partition pruning. A text table's files are read whole. Of a Parquet
// file the engine reads the footer and, for each row group, only the
// chunks of the columns the query uses, so those are what is counted.

// tableRead is what one bound table hands the engine.
type tableRead struct {
	parquet bool
	files   []string
	sizes   []int64
	columns []string // its columns in the files (not partition keys), lowercased
	// sameSchema: the files are Parquet files of one schema (names,
	// types and nesting alike).
	sameSchema bool
}

// scanned is the bytes the query's tables read, given the tree that
// references them (placeholders for their subqueries).
func (t *boundTables) scanned(footers *footerCache, root any) (int64, error) {
	used := t.usedColumns(root)
	var total int64
	for i, r := range t.reads {
		for j, f := range r.files {
			if !r.parquet || used[i] == nil {
				total += r.sizes[j]
				continue
			}
			chunks, err := footers.chunks(f, r.sizes[j])
			if err != nil {
				return 0, userError(errUser, "HIVE_BAD_DATA: %v", err)
			}
			read := chunks.footer
			for col, n := range chunks.columns {
				if used[i][col] {
					read += n
				}
			}
			total += read
		}
	}
	return total, nil
}

// chunkSizes is a Parquet file's bytes by top-level column, and the rest
// (footer, page indexes).
type chunkSizes struct {
	columns map[string]int64 // lowercased
	footer  int64
	schema  uint64 // a hash of the file's schema
	// fine holds the top-level timestamp columns (lowercased) stored finer
	// than milliseconds: micro- or nanoseconds, INT96.
	fine map[string]bool
}

// footerCache keeps the chunk sizes of the files queries read. A path in
// the link farm always holds the same body, so an entry never goes stale.
type footerCache struct {
	mu    sync.Mutex
	files map[string]*chunkSizes
}

// maxFooters bounds the cache; when full it starts over.
const maxFooters = 100_000

func (c *footerCache) chunks(path string, size int64) (*chunkSizes, error) {
	c.mu.Lock()
	cs, ok := c.files[path]
	c.mu.Unlock()
	if ok {
		return cs, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	pf, err := parquet.OpenFile(f, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	h := fnv.New64a()
	io.WriteString(h, pf.Schema().String())
	cs = &chunkSizes{columns: map[string]int64{}, footer: size, schema: h.Sum64(), fine: map[string]bool{}}
	for _, f := range pf.Schema().Fields() {
		if f.Leaf() && finerThanMillis(f.Type()) {
			cs.fine[strings.ToLower(f.Name())] = true
		}
	}
	for _, rg := range pf.Metadata().RowGroups {
		for _, cc := range rg.Columns {
			if len(cc.MetaData.PathInSchema) == 0 {
				continue
			}
			col := strings.ToLower(cc.MetaData.PathInSchema[0])
			cs.columns[col] += cc.MetaData.TotalCompressedSize
			cs.footer -= cc.MetaData.TotalCompressedSize
		}
	}
	cs.footer = max(cs.footer, 0)
	c.mu.Lock()
	if c.files == nil || len(c.files) >= maxFooters {
		c.files = map[string]*chunkSizes{}
	}
	c.files[path] = cs
	c.mu.Unlock()
	return cs, nil
}

// finerThanMillis tells a Parquet timestamp stored in micro- or
// nanoseconds (INT96 holds nanoseconds).
func finerThanMillis(t parquet.Type) bool {
	if t.Kind() == parquet.Int96 {
		return true
	}
	if lt := t.LogicalType(); lt != nil {
		if ts, ok := lt.Value.(*format.TimestampType); ok && ts.Unit.Value != nil {
			return ts.Unit.Value.Duration() < time.Millisecond
		}
	}
	ct := t.ConvertedType()
	return ct != nil && *ct == deprecated.TimestampMicros
}

// usedColumns returns, per table (by placeholder number), the columns the
// query references, or nil where it may use all of them (a *). It errs on
// the side of reading more: an unqualified name counts for every table
// that has such a column.
func (t *boundTables) usedColumns(root any) []map[string]bool {
	aliases := map[string][]int{} // lowercased alias -> tables
	var qualified []([2]string)   // alias, column
	var unqualified []string
	stars := map[string]bool{} // relation ("" for any)
	var collect func(n map[string]any) bool
	collect = func(n map[string]any) bool {
		switch {
		case n["type"] == "BASE_TABLE":
			name, _ := n["table_name"].(string)
			if num, ok := strings.CutPrefix(name, placeholderPrefix); ok {
				if i, err := strconv.Atoi(num); err == nil && i < len(t.reads) {
					a := strings.ToLower(stringOf(n["alias"]))
					aliases[a] = append(aliases[a], i)
				}
			}
		case n["class"] == "COLUMN_REF":
			names, _ := n["column_names"].([]any)
			switch len(names) {
			case 0:
			case 1:
				unqualified = append(unqualified, strings.ToLower(stringOf(names[0])))
			default:
				// alias.column[.field...], or column.field of a struct
				qualified = append(qualified, [2]string{strings.ToLower(stringOf(names[0])), strings.ToLower(stringOf(names[1]))})
				unqualified = append(unqualified, strings.ToLower(stringOf(names[0])))
			}
		case n["class"] == "STAR":
			stars[strings.ToLower(stringOf(n["relation_name"]))] = true
		case n["class"] == "SUBQUERY" && (n["subquery_type"] == "EXISTS" || n["subquery_type"] == "NOT_EXISTS"):
			// What an EXISTS selects is never read.
			sub, _ := n["subquery"].(map[string]any)
			if node, ok := sub["node"].(map[string]any); ok {
				for k, c := range node {
					if k != "select_list" {
						visit(c, collect)
					}
				}
				return false
			}
		}
		return true
	}
	visit(root, collect)
	used := make([]map[string]bool, len(t.reads))
	all := make([]bool, len(t.reads))
	for i := range used {
		used[i] = map[string]bool{}
	}
	for rel := range stars {
		for a, tables := range aliases {
			if rel == "" || rel == a {
				for _, i := range tables {
					all[i] = true
				}
			}
		}
	}
	for _, q := range qualified {
		for _, i := range aliases[q[0]] {
			used[i][q[1]] = true
		}
	}
	for _, name := range unqualified {
		for _, tables := range aliases {
			for _, i := range tables {
				if slices.Contains(t.reads[i].columns, name) {
					used[i][name] = true
				}
			}
		}
	}
	for i := range used {
		if all[i] {
			used[i] = nil
		}
	}
	return used
}
