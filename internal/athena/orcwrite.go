package athena

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/klauspost/compress/zstd"

	"github.com/lakebox/lakebox/internal/hivetype"
	"github.com/lakebox/lakebox/internal/orc"
)

// CTAS, INSERT INTO and UNLOAD write ORC in two steps: the engine writes
// the rows as JSON lines, and writeORC lays them out as ORC files
// (internal/orc) typed by the columns' Hive types, one file per partition.
// Partitioned JSON goes the same way (writeJSONPartitions): the engine
// partitions only its Parquet and CSV output.

// hiveDefaultPartition names the partition of NULL keys, as Hive does.
const hiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__"

// rowSink is one output file, taking the rows of one partition: their
// values in the order of the file's columns.
type rowSink interface {
	row(values []jsontext.Value) error
	// finish completes the file and moves it to name.
	finish(name string) error
	// abort removes it.
	abort()
}

// splitRows reads the engine's JSON lines at rows, of columns with these
// names, and hands each row to the sink of its partition, made by open
// in its folder: out's folder when there are no partition keys, else
// out/k=v/...; the partition keys are folder names, not file columns. A
// finished file is named out+ext, or data+ext in its partition's folder.
func splitRows(rows, out, ext string, names, partitionedBy []string, open func(dir string) (rowSink, error)) error {
	var fileCols, keyCols []int // by position in the rows
	for i, n := range names {
		if slices.Contains(partitionedBy, n) {
			keyCols = append(keyCols, i)
		} else {
			fileCols = append(fileCols, i)
		}
	}
	in, err := os.Open(rows)
	if err != nil {
		return err
	}
	defer in.Close()
	sinks := map[string]rowSink{} // by partition folder
	defer func() {
		for _, o := range sinks {
			o.abort()
		}
	}()
	sink := func(folder string) (rowSink, error) {
		if o := sinks[folder]; o != nil {
			return o, nil
		}
		dir := filepath.Dir(out)
		if folder != "" {
			dir = filepath.Join(out, folder)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		o, err := open(dir)
		if err != nil {
			return nil, err
		}
		sinks[folder] = o
		return o, nil
	}
	byName := make(map[string]int, len(names))
	for i, n := range names {
		byName[n] = i
	}
	row := make([]jsontext.Value, len(names))
	values := make([]jsontext.Value, len(fileCols))
	dec := jsontext.NewDecoder(bufio.NewReaderSize(in, 1<<16))
	for {
		v, err := dec.ReadValue()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("athena: read the engine's rows: %w", err)
		}
		clear(row)
		if err := jsonMembers(v, func(k string, x jsontext.Value) {
			if i, ok := byName[k]; ok {
				row[i] = x
			}
		}); err != nil {
			return err
		}
		var folder []string
		for _, i := range keyCols {
			val := hiveDefaultPartition
			if x := row[i]; x != nil && x.Kind() != 'n' {
				val = jsonText(x)
			}
			folder = append(folder, hiveEscape(names[i])+"="+hiveEscape(val))
		}
		o, err := sink(strings.Join(folder, "/"))
		if err != nil {
			return err
		}
		for j, i := range fileCols {
			values[j] = row[i]
		}
		if err := o.row(values); err != nil {
			return err
		}
	}
	if len(sinks) == 0 && len(keyCols) == 0 {
		if _, err := sink(""); err != nil { // an empty result is an empty file
			return err
		}
	}
	for folder, o := range sinks {
		name := out + ext
		if folder != "" {
			name = filepath.Join(out, folder, "data"+ext)
		}
		if err := o.finish(name); err != nil {
			return err
		}
		delete(sinks, folder)
	}
	return nil
}

// tempFile is a sink's file, written to a temporary name and renamed.
type tempFile struct {
	f   *os.File
	buf *bufio.Writer
}

func newTempFile(dir string) (tempFile, error) {
	f, err := os.CreateTemp(dir, ".part-*")
	if err != nil {
		return tempFile{}, err
	}
	return tempFile{f: f, buf: bufio.NewWriterSize(f, 1<<16)}, nil
}

// finish flushes, closes and renames the file; err is the writer's own.
func (t tempFile) finish(name string, err error) error {
	if err == nil {
		err = t.buf.Flush()
	}
	if cerr := t.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(t.f.Name(), name)
}

func (t tempFile) abort() {
	t.f.Close()
	os.Remove(t.f.Name())
}

// orcSink writes a partition's rows as an ORC file.
type orcSink struct {
	tempFile
	names []string
	hive  []*hivetype.Type
	w     *orc.Writer
	b     *orc.Builder
}

func (o *orcSink) row(values []jsontext.Value) error {
	o.b.Row()
	for j, x := range values {
		if err := putJSON(o.b, o.b.Child(0, j), o.hive[j], x); err != nil {
			return userError(errUser, "HIVE_WRITER_DATA_ERROR: column %s: %v", o.names[j], err)
		}
	}
	if o.b.Size() < orc.DefaultStripeSize {
		return nil
	}
	err := o.w.WriteStripe(o.b.Stripe())
	o.b.Reset()
	return err
}

func (o *orcSink) finish(name string) error {
	var err error
	if o.b.Rows() > 0 {
		err = o.w.WriteStripe(o.b.Stripe())
	}
	if err == nil {
		err = o.w.Close()
	}
	return o.tempFile.finish(name, err)
}

// writeORC writes the engine's JSON lines at rows, of columns with these
// names and Hive types, as ORC files (splitRows): out.orc, or one
// data.orc in each partition's folder under out.
func writeORC(rows, out string, names, types, partitionedBy []string, compression string) error {
	var fileNames []string
	var hive []*hivetype.Type
	for i, t := range types {
		if slices.Contains(partitionedBy, names[i]) {
			continue
		}
		h, err := hivetype.Parse(t)
		if err != nil {
			return fmt.Errorf("athena: column %s: %w", names[i], err)
		}
		fileNames, hive = append(fileNames, names[i]), append(hive, h)
	}
	schema, err := orc.FromHive(fileNames, hive)
	if err != nil {
		return userError(errUser, "NOT_SUPPORTED: %v", err)
	}
	return splitRows(rows, out, ".orc", names, partitionedBy, func(dir string) (rowSink, error) {
		t, err := newTempFile(dir)
		if err != nil {
			return nil, err
		}
		o := &orcSink{tempFile: t, names: fileNames, hive: hive, b: orc.NewBuilder(schema)}
		codec, _ := orc.CompressionNamed(compression) // checked with the statement (checkCompression)
		if o.w, err = orc.NewWriter(t.buf, schema, orc.WriterOptions{Compression: codec}); err != nil {
			t.abort()
			return nil, err
		}
		return o, nil
	})
}

// jsonSink writes a partition's rows as JSON lines, compressed or not.
type jsonSink struct {
	tempFile
	names []string
	w     io.Writer
	close func() error // the compressor's, if any
	line  []byte
}

func (o *jsonSink) row(values []jsontext.Value) error {
	o.line = append(o.line[:0], '{')
	for j, x := range values {
		if j > 0 {
			o.line = append(o.line, ',')
		}
		o.line = append(appendJSONString(o.line, o.names[j]), ':')
		if x == nil {
			x = jsontext.Value("null")
		}
		o.line = append(o.line, x...)
	}
	_, err := o.w.Write(append(o.line, '}', '\n'))
	return err
}

func (o *jsonSink) finish(name string) error {
	var err error
	if o.close != nil {
		err = o.close()
	}
	return o.tempFile.finish(name, err)
}

// writeJSONPartitions writes the engine's JSON lines at rows as JSON lines
// files, one data<ext> in each partition's folder under out (the engine
// partitions only its Parquet and CSV output).
func writeJSONPartitions(rows, out, ext string, names, partitionedBy []string, compression string) error {
	var fileNames []string
	for _, n := range names {
		if !slices.Contains(partitionedBy, n) {
			fileNames = append(fileNames, n)
		}
	}
	return splitRows(rows, out, ext, names, partitionedBy, func(dir string) (rowSink, error) {
		t, err := newTempFile(dir)
		if err != nil {
			return nil, err
		}
		o := &jsonSink{tempFile: t, names: fileNames, w: t.buf}
		switch compression {
		case "GZIP":
			z := gzip.NewWriter(t.buf)
			o.w, o.close = z, z.Close
		case "ZSTD":
			z, err := zstd.NewWriter(t.buf)
			if err != nil {
				t.abort()
				return nil, err
			}
			o.w, o.close = z, z.Close
		}
		return o, nil
	})
}

// jsonText is a JSON value's text: a string unquoted, anything else as
// written.
func jsonText(v jsontext.Value) string {
	if v.Kind() == '"' {
		if s, err := jsontext.AppendUnquote(nil, v); err == nil {
			return string(s)
		}
	}
	return string(v)
}

// jsonMembers calls fn with each member of a JSON object, its value a copy
// fn may keep.
func jsonMembers(v jsontext.Value, fn func(k string, x jsontext.Value)) error {
	dec := jsontext.NewDecoder(bytes.NewReader(v))
	if t, err := dec.ReadToken(); err != nil || t.Kind() != '{' {
		return fmt.Errorf("athena: the engine wrote %.40s, not an object", v)
	}
	for dec.PeekKind() != '}' {
		k, err := dec.ReadToken()
		if err != nil {
			return err
		}
		key := k.String() // before the next read voids the token
		x, err := dec.ReadValue()
		if err != nil {
			return err
		}
		fn(key, x.Clone()) // the next read voids the value too
	}
	return nil
}

// jsonElements calls fn with each element of a JSON array, a copy fn may
// keep.
func jsonElements(v jsontext.Value, fn func(x jsontext.Value) error) error {
	dec := jsontext.NewDecoder(bytes.NewReader(v))
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	for dec.PeekKind() != ']' {
		x, err := dec.ReadValue()
		if err != nil {
			return err
		}
		if err := fn(x.Clone()); err != nil {
			return err
		}
	}
	return nil
}

// putJSON adds a value the engine wrote as JSON to column id of Hive type t.
func putJSON(b *orc.Builder, id int, t *hivetype.Type, v jsontext.Value) error {
	kind := v.Kind()
	if v == nil || kind == 'n' {
		b.Null(id)
		return nil
	}
	text := func() string { return jsonText(v) }
	switch t.Name {
	case "string":
		b.Bytes(id, []byte(text())) // a nested value the catalog calls a string: its JSON
	case "boolean":
		if kind != 't' && kind != 'f' {
			return fmt.Errorf("%.40s is not a boolean", v)
		}
		b.Bool(id, kind == 't')
	case "tinyint", "smallint", "int", "integer", "bigint":
		n, err := strconv.ParseInt(text(), 10, 64)
		if err != nil {
			return fmt.Errorf("%.40s is not an integer", v)
		}
		b.Int(id, n)
	case "float", "double":
		f, err := strconv.ParseFloat(text(), 64)
		if err != nil {
			return fmt.Errorf("%.40s is not a number", v)
		}
		b.Float(id, f)
	case "decimal":
		r, ok := new(big.Rat).SetString(text())
		if !ok {
			return fmt.Errorf("%.40s is not a decimal", v)
		}
		r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(t.Scale)), nil)))
		if !r.IsInt() {
			return fmt.Errorf("%.40s has more than %d decimals", v, t.Scale)
		}
		b.Decimal(id, r.Num(), int64(t.Scale))
	case "date":
		d, err := time.Parse(time.DateOnly, text())
		if err != nil {
			return fmt.Errorf("%.40s is not a date", v)
		}
		b.Int(id, d.Unix()/86400)
	case "timestamp":
		ts, err := time.Parse("2006-01-02 15:04:05.999999999", text())
		if err != nil {
			return fmt.Errorf("%.40s is not a timestamp", v)
		}
		b.Time(id, ts)
	case "binary":
		raw, err := blobBytes(text())
		if err != nil {
			return err
		}
		b.Bytes(id, raw)
	case "array":
		if kind != '[' {
			return fmt.Errorf("%.40s is not an array", v)
		}
		var items []jsontext.Value
		if err := jsonElements(v, func(x jsontext.Value) error { items = append(items, x); return nil }); err != nil {
			return err
		}
		b.Len(id, len(items))
		for _, x := range items {
			if err := putJSON(b, b.Child(id, 0), t.Elem, x); err != nil {
				return err
			}
		}
	case "map":
		if kind != '{' {
			return fmt.Errorf("%.40s is not a map", v)
		}
		var keys []string
		var values []jsontext.Value
		if err := jsonMembers(v, func(k string, x jsontext.Value) { keys, values = append(keys, k), append(values, x) }); err != nil {
			return err
		}
		b.Len(id, len(keys))
		for i, k := range keys {
			key, _ := jsontext.AppendQuote(nil, k)
			if t.Key.Name != "string" {
				key = []byte(k) // the engine writes non-string keys as their text
			}
			if err := putJSON(b, b.Child(id, 0), t.Key, key); err != nil {
				return err
			}
			if err := putJSON(b, b.Child(id, 1), t.Elem, values[i]); err != nil {
				return err
			}
		}
	case "struct":
		if kind != '{' {
			return fmt.Errorf("%.40s is not a struct", v)
		}
		fields := make([]jsontext.Value, len(t.Fields))
		if err := jsonMembers(v, func(k string, x jsontext.Value) {
			for i, f := range t.Fields {
				if strings.EqualFold(f.Name, k) {
					fields[i] = x
				}
			}
		}); err != nil {
			return err
		}
		b.Struct(id)
		for i, f := range t.Fields {
			if err := putJSON(b, b.Child(id, i), f.Type, fields[i]); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("the type %s cannot be written to ORC", t.Name)
	}
	return nil
}
