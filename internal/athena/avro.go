package athena

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/hamba/avro/v2"
	"github.com/hamba/avro/v2/ocf"
)

// Avro tables are read through JSON: each Avro object container file a
// query reaches is decoded once into newline-delimited JSON beside its
// link (a link names one immutable body, so the JSON stays right for as
// long as the link does), and the JSON is read as a JSON table's files
// are, typed by the table's declared columns. Logical types are written
// as the engine reads the declared Hive types: dates as YYYY-MM-DD,
// timestamps as text in UTC, decimals exactly.

// avroJSON returns the JSON lines file of an Avro file, making it if need be.
func avroJSON(path string) (string, error) {
	return jsonBeside(path, path+".json", func(in *os.File, w *bufio.Writer) error {
		name := filepath.Base(path)
		// The decoder trusts the block sizes a file states (a damaged one
		// could make it allocate without bound, or panic): check the
		// framing first.
		if err := checkOCF(bufio.NewReaderSize(in, 1<<16)); err != nil {
			return userError(errUser, "HIVE_CANNOT_OPEN_SPLIT: %s is not a valid Avro object container file: %v", name, err)
		}
		if _, err := in.Seek(0, io.SeekStart); err != nil {
			return err
		}
		dec, err := ocf.NewDecoder(bufio.NewReaderSize(in, 1<<16), ocf.WithDecoderSchemaCache(&avro.SchemaCache{}), ocf.WithDecoderConfig(avroConfig))
		if err != nil {
			return userError(errUser, "HIVE_CANNOT_OPEN_SPLIT: %s is not an Avro object container file: %v", name, err)
		}
		schema := dec.Schema()
		var line []byte
		for dec.HasNext() {
			var v any
			if err := dec.Decode(&v); err != nil {
				return userError(errUser, "HIVE_CURSOR_ERROR: reading Avro %s: %v", name, err)
			}
			if line, err = appendAvro(line[:0], schema, v, 0); err != nil {
				return userError(errUser, "HIVE_CURSOR_ERROR: reading Avro %s: %v", name, err)
			}
			w.Write(append(line, '\n'))
		}
		if err := dec.Error(); err != nil {
			return userError(errUser, "HIVE_CURSOR_ERROR: reading Avro %s: %v", name, err)
		}
		return nil
	})
}

// jsonBeside returns out, the JSON lines a file at path reads as, made by
// convert unless a query made them before: a link names one immutable
// body, so its JSON stays right for as long as the link does. The JSON is
// written to a temporary file and renamed, so a query never reads a half.
func jsonBeside(path, out string, convert func(in *os.File, w *bufio.Writer) error) (string, error) {
	if _, err := os.Stat(out); err == nil {
		return out, nil
	}
	in, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(path), ".json-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<16)
	err = convert(in, w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	return out, os.Rename(tmp.Name(), out)
}

// checkOCF reads an object container file's framing: the header (magic,
// metadata, sync marker), then blocks of a record count, a byte size, the
// bytes and the sync marker, every size within what the file holds.
func checkOCF(r *bufio.Reader) error {
	magic := make([]byte, 4)
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != "Obj\x01" {
		return errors.New("no Avro magic")
	}
	for { // metadata: a map of bytes, in blocks
		n, err := readLong(r)
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
		if n < 0 {
			if n == math.MinInt64 {
				return errors.New("bad metadata block")
			}
			n = -n
			if _, err := readLong(r); err != nil { // the block's byte size
				return err
			}
		}
		for range 2 * n { // keys and values
			size, err := readLong(r)
			if err != nil {
				return err
			}
			if size < 0 || size > 1<<20 {
				return fmt.Errorf("metadata entry of %d bytes", size)
			}
			if _, err := r.Discard(int(size)); err != nil {
				return errors.New("metadata cut short")
			}
		}
	}
	sync := make([]byte, 16)
	if _, err := io.ReadFull(r, sync); err != nil {
		return errors.New("no sync marker")
	}
	mark := make([]byte, 16)
	for {
		if _, err := r.Peek(1); err == io.EOF {
			return nil
		}
		count, err := readLong(r)
		if err != nil {
			return err
		}
		size, err := readLong(r)
		if err != nil {
			return err
		}
		if count < 0 || size < 0 || size > maxAvroBlock {
			return fmt.Errorf("block of %d records in %d bytes", count, size)
		}
		if n, err := r.Discard(int(size)); err != nil || int64(n) != size {
			return errors.New("block cut short")
		}
		if _, err := io.ReadFull(r, mark); err != nil || !bytes.Equal(mark, sync) {
			return errors.New("block without its sync marker")
		}
	}
}

// avroConfig bounds what a damaged count or length can make the decoder
// allocate: values up to 64 MiB, arrays and maps up to a million items a
// block.
var avroConfig = avro.Config{MaxByteSliceSize: 64 << 20, MaxSliceAllocSize: 1 << 20}.Freeze()

// maxAvroBlock bounds a block's stored size (writers use 16 KiB to a few MiB).
const maxAvroBlock = 1 << 30

// readLong reads a zig-zag varint, as Avro writes longs.
func readLong(r *bufio.Reader) (int64, error) {
	u, err := binary.ReadUvarint(r)
	if err != nil {
		return 0, errors.New("bad varint")
	}
	return int64(u>>1) ^ -int64(u&1), nil
}

// maxAvroDepth bounds nesting, as the crawler's schema reading does.
const maxAvroDepth = 64

var errAvroDepth = errors.New("nested too deeply")

// appendAvro appends the JSON of a value hamba/avro decoded generically
// under schema s.
func appendAvro(b []byte, s avro.Schema, v any, depth int) ([]byte, error) {
	if depth > maxAvroDepth {
		return b, errAvroDepth
	}
	if v == nil {
		return append(b, "null"...), nil
	}
	switch s := s.(type) {
	case *avro.RefSchema:
		return appendAvro(b, s.Schema(), v, depth+1)
	case *avro.RecordSchema:
		m, ok := v.(map[string]any)
		if !ok {
			return b, fmt.Errorf("record %s holds %T", s.Name(), v)
		}
		b = append(b, '{')
		for i, f := range s.Fields() {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(strconv.AppendQuote(b, f.Name()), ':')
			var err error
			if b, err = appendAvro(b, f.Type(), m[f.Name()], depth+1); err != nil {
				return b, err
			}
		}
		return append(b, '}'), nil
	case *avro.ArraySchema:
		items, ok := v.([]any)
		if !ok {
			return b, fmt.Errorf("array holds %T", v)
		}
		b = append(b, '[')
		for i, it := range items {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendAvro(b, s.Items(), it, depth+1); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case *avro.MapSchema:
		m, ok := v.(map[string]any)
		if !ok {
			return b, fmt.Errorf("map holds %T", v)
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(appendJSONString(b, k), ':')
			var err error
			if b, err = appendAvro(b, s.Values(), m[k], depth+1); err != nil {
				return b, err
			}
		}
		return append(b, '}'), nil
	case *avro.UnionSchema:
		return appendUnion(b, s, v, depth)
	case *avro.EnumSchema:
		return appendJSONString(b, fmt.Sprint(v)), nil
	case *avro.FixedSchema:
		if d, ok := s.Logical().(*avro.DecimalLogicalSchema); ok {
			return appendDecimal(b, v, d.Scale())
		}
		return appendBytes(b, v)
	case *avro.PrimitiveSchema:
		return appendPrimitive(b, s, v)
	}
	return b, fmt.Errorf("unknown schema %s", s.Type())
}

// appendUnion writes a union's value as its branch: the one named when
// the value comes as {branch name: value}, otherwise the first whose type
// the value has.
func appendUnion(b []byte, s *avro.UnionSchema, v any, depth int) ([]byte, error) {
	if m, ok := v.(map[string]any); ok && len(m) == 1 {
		for name, inner := range m {
			if t, _ := s.Types().Get(name); t != nil {
				return appendAvro(b, t, inner, depth+1)
			}
		}
	}
	for _, t := range s.Types() {
		if t.Type() == avro.Null {
			continue
		}
		if out, err := appendAvro(b, t, v, depth+1); err == nil {
			return out, nil
		}
	}
	return b, fmt.Errorf("union value %T matches no branch", v)
}

func appendPrimitive(b []byte, s *avro.PrimitiveSchema, v any) ([]byte, error) {
	if l := s.Logical(); l != nil {
		switch l.Type() {
		case avro.Decimal:
			return appendDecimal(b, v, l.(*avro.DecimalLogicalSchema).Scale())
		case avro.Date:
			if t, ok := v.(time.Time); ok {
				return appendJSONString(b, t.UTC().Format("2006-01-02")), nil
			}
		case avro.TimestampMillis, avro.TimestampMicros, avro.LocalTimestampMillis, avro.LocalTimestampMicros:
			if t, ok := v.(time.Time); ok {
				return appendJSONString(b, t.UTC().Format("2006-01-02 15:04:05.999999")), nil
			}
		case avro.TimeMillis, avro.TimeMicros:
			if d, ok := v.(time.Duration); ok {
				return appendJSONString(b, time.Time{}.Add(d).Format("15:04:05.999999")), nil
			}
		}
	}
	switch x := v.(type) {
	case bool:
		return strconv.AppendBool(b, x), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int32:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case float32:
		return appendFloat(b, float64(x), 32), nil
	case float64:
		return appendFloat(b, x, 64), nil
	case string:
		return appendJSONString(b, x), nil
	case []byte:
		return appendBytes(b, x)
	case time.Time:
		return appendJSONString(b, x.UTC().Format("2006-01-02 15:04:05.999999")), nil
	}
	return b, fmt.Errorf("%s holds %T", s.Type(), v)
}

// appendFloat writes a float; JSON has no NaN or infinities, which the
// engine reads from these strings.
func appendFloat(b []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(b, `"Infinity"`...)
	case math.IsInf(f, -1):
		return append(b, `"-Infinity"`...)
	}
	return strconv.AppendFloat(b, f, 'g', -1, bits)
}

// appendDecimal writes a decimal exactly, as a string the engine casts.
func appendDecimal(b []byte, v any, scale int) ([]byte, error) {
	r, ok := v.(*big.Rat)
	if !ok {
		return b, fmt.Errorf("decimal holds %T", v)
	}
	return appendJSONString(b, r.FloatString(scale)), nil
}

// appendBytes writes bytes and fixed values (decoded as byte arrays) in
// base64.
func appendBytes(b []byte, v any) ([]byte, error) {
	if x, ok := v.([]byte); ok {
		return appendJSONString(b, base64.StdEncoding.EncodeToString(x)), nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Array || rv.Type().Elem().Kind() != reflect.Uint8 {
		return b, fmt.Errorf("bytes hold %T", v)
	}
	bs := make([]byte, rv.Len())
	reflect.Copy(reflect.ValueOf(bs), rv)
	return appendJSONString(b, base64.StdEncoding.EncodeToString(bs)), nil
}

func appendJSONString(b []byte, s string) []byte {
	if out, err := jsontext.AppendQuote(b, s); err == nil {
		return out
	}
	q, _ := json.Marshal(s) // invalid UTF-8: replaced, as encoding/json does
	return append(b, q...)
}
