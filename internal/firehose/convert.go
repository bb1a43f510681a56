package firehose

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/lakebox/lakebox/internal/hivetype"
	"github.com/lakebox/lakebox/internal/javatime"
	"github.com/lakebox/lakebox/internal/orc"
	"github.com/parquet-go/parquet-go"
)

// Column is a column of the Glue table that types converted records.
type Column struct {
	Name, Type string
}

// converter turns JSON records into Parquet rows typed by a table.
type converter struct {
	columns []convColumn
	byKey   map[string]*convColumn // by the JSON key a column reads
	schema  *parquet.Schema
	options []parquet.WriterOption
	// The deserializer's options.
	hive            bool
	caseInsensitive bool
	dotsToUnder     bool
	timestamps      []*javatime.Pattern
	millis          bool // TimestampFormats has "millis"
	table           SchemaConfiguration
	// orc is the ORC serializer, when records become ORC, and orcTypes
	// the table as ORC's type tree.
	orc      *OrcSerDe
	orcTypes []orc.Type
}

type convColumn struct {
	name    string // lower case, as Parquet columns are written
	jsonKey string // the key the value is read from
	typ     *hivetype.Type
}

// compileTimestampFormats reads HiveJsonSerDe.TimestampFormats.
func compileTimestampFormats(formats []string) ([]*javatime.Pattern, error) {
	var out []*javatime.Pattern
	for _, f := range formats {
		if f == "millis" {
			continue
		}
		p, err := javatime.Compile(f)
		if err != nil {
			return nil, err
		}
		if _, err := p.GoLayout(); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// newConverter builds the converter of a destination's conversion
// configuration for the table's columns.
func newConverter(c *DataFormatConversionConfiguration, cols []Column) (*converter, error) {
	conv := &converter{caseInsensitive: true, table: *c.SchemaConfiguration}
	d := c.InputFormatConfiguration.Deserializer
	mappings := map[string]string{}
	if o := d.OpenXJsonSerDe; o != nil {
		if o.CaseInsensitive != nil {
			conv.caseInsensitive = *o.CaseInsensitive
		}
		conv.dotsToUnder = on(o.ConvertDotsInJsonKeysToUnderscores)
		for col, key := range o.ColumnToJsonKeyMappings {
			mappings[strings.ToLower(col)] = key
		}
	} else {
		conv.hive = true
		var err error
		if conv.timestamps, err = compileTimestampFormats(d.HiveJsonSerDe.TimestampFormats); err != nil {
			return nil, err
		}
		for _, f := range d.HiveJsonSerDe.TimestampFormats {
			conv.millis = conv.millis || f == "millis"
		}
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("the table %s.%s has no columns", conv.table.DatabaseName, conv.table.TableName)
	}
	group := orderedGroup{Group: parquet.Group{}}
	for _, col := range cols {
		t, err := hivetype.Parse(col.Type)
		if err != nil {
			return nil, fmt.Errorf("column %s: %v", col.Name, err)
		}
		if err := checkMapKeys(t); err != nil {
			return nil, fmt.Errorf("column %s: %v", col.Name, err)
		}
		name := strings.ToLower(col.Name)
		if c.OutputFormatConfiguration.Serializer.OrcSerDe == nil {
			n, err := parquetNode(t)
			if err != nil {
				return nil, fmt.Errorf("column %s: %v", col.Name, err)
			}
			group.Group[name] = parquet.Optional(n)
			group.names = append(group.names, name)
		}
		key := name
		if k, ok := mappings[name]; ok {
			key = k
		}
		key = conv.key(key)
		conv.columns = append(conv.columns, convColumn{name: name, jsonKey: key, typ: t})
	}
	conv.byKey = make(map[string]*convColumn, len(conv.columns))
	for i := range conv.columns {
		conv.byKey[conv.columns[i].jsonKey] = &conv.columns[i]
	}
	if o := c.OutputFormatConfiguration.Serializer.OrcSerDe; o != nil {
		conv.orc = o
		var err error
		if conv.orcTypes, err = orcTypes(conv.columns); err != nil {
			return nil, err
		}
		return conv, nil
	}
	conv.schema = parquet.NewSchema("hive_schema", group)
	conv.options = []parquet.WriterOption{parquet.Compression(&parquet.Snappy), parquet.CreatedBy("lakebox-firehose", "", "")}
	if s := c.OutputFormatConfiguration.Serializer.ParquetSerDe; s != nil {
		switch s.Compression {
		case "GZIP":
			conv.options[0] = parquet.Compression(&parquet.Gzip)
		case "UNCOMPRESSED":
			conv.options[0] = parquet.Compression(&parquet.Uncompressed)
		}
		if s.PageSizeBytes != nil {
			conv.options = append(conv.options, parquet.PageBufferSize(*s.PageSizeBytes))
		}
		if s.WriterVersion == "V2" {
			conv.options = append(conv.options, parquet.DataPageVersion(2))
		}
	}
	return conv, nil
}

// orderedGroup is a Parquet group whose fields keep the table's column
// order (parquet.Group sorts them by name).
type orderedGroup struct {
	parquet.Group
	names []string
}

func (g orderedGroup) Fields() []parquet.Field {
	all := g.Group.Fields()
	out := make([]parquet.Field, 0, len(all))
	for _, n := range g.names {
		for _, f := range all {
			if f.Name() == n {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// parquetNode is the Parquet type a Hive type is written as.
// checkMapKeys refuses maps, at any depth, whose keys are not strings: the
// deserializers read a map from a JSON object, whose keys are strings.
func checkMapKeys(t *hivetype.Type) error {
	switch {
	case t.Name == "map" && t.Key.Name != "string":
		return fmt.Errorf("Lakebox converts maps with string keys only, not %s", t.Key.Name)
	case t.Name == "map" || t.Name == "array":
		return checkMapKeys(t.Elem)
	}
	for _, f := range t.Fields {
		if err := checkMapKeys(f.Type); err != nil {
			return err
		}
	}
	return nil
}

func parquetNode(t *hivetype.Type) (parquet.Node, error) {
	switch t.Name {
	case "string":
		return parquet.String(), nil
	case "boolean":
		return parquet.Leaf(parquet.BooleanType), nil
	case "tinyint":
		return parquet.Int(8), nil
	case "smallint":
		return parquet.Int(16), nil
	case "int":
		return parquet.Int(32), nil
	case "bigint":
		return parquet.Int(64), nil
	case "float":
		return parquet.Leaf(parquet.FloatType), nil
	case "double":
		return parquet.Leaf(parquet.DoubleType), nil
	case "date":
		return parquet.Date(), nil
	case "timestamp":
		// Hive's timestamp has no time zone: not adjusted to UTC, so
		// engines read it as TIMESTAMP, as they read Firehose's INT96.
		return parquet.TimestampAdjusted(parquet.Millisecond, false), nil
	case "binary":
		return parquet.Leaf(parquet.ByteArrayType), nil
	case "decimal":
		switch {
		case t.Precision <= 9:
			return parquet.Decimal(t.Scale, t.Precision, parquet.Int32Type), nil
		case t.Precision <= 18:
			return parquet.Decimal(t.Scale, t.Precision, parquet.Int64Type), nil
		}
		return parquet.Decimal(t.Scale, t.Precision, parquet.FixedLenByteArrayType(16)), nil
	case "array":
		e, err := parquetNode(t.Elem)
		if err != nil {
			return nil, err
		}
		return parquet.List(parquet.Optional(e)), nil
	case "map": // string keys (checkMapKeys)
		v, err := parquetNode(t.Elem)
		if err != nil {
			return nil, err
		}
		return parquet.Map(parquet.String(), parquet.Optional(v)), nil
	case "struct":
		g := orderedGroup{Group: parquet.Group{}}
		for _, f := range t.Fields {
			n, err := parquetNode(f.Type)
			if err != nil {
				return nil, err
			}
			g.Group[f.Name] = parquet.Optional(n)
			g.names = append(g.names, f.Name)
		}
		return g, nil
	}
	return nil, fmt.Errorf("Lakebox cannot write the type %s to Parquet", t.Name)
}

// conversionFailed is a record that does not fit the table.
func conversionFailed(code, format string, args ...any) *failure {
	return &failure{errorType: "format-conversion-failed", code: code, message: fmt.Sprintf(format, args...)}
}

// row converts one JSON record: the members that name columns are
// converted as they are read; the others are skipped.
func (c *converter) row(data []byte) (map[string]any, *failure) {
	row := make(map[string]any, len(c.columns))
	for _, col := range c.columns {
		row[col.name] = nil
	}
	var bad *failure
	err := members(data, func(key string, v jsontext.Value) error {
		col, ok := c.byKey[c.key(key)]
		if !ok {
			return nil // not in the schema: dropped, as AWS does
		}
		x, err := c.value(col.typ, v)
		if err != nil {
			bad = conversionFailed("DataFormatConversion.MalformedData", "Data does not match the schema. Column %s: %v", col.name, err)
			return err
		}
		row[col.name] = x
		return nil
	})
	if bad != nil {
		return nil, bad
	}
	if errors.Is(err, errNotObject) {
		return nil, conversionFailed("DataFormatConversion.MalformedData", "Data does not match the schema. The record is not a JSON object.")
	}
	if err != nil {
		return nil, conversionFailed("DataFormatConversion.ParseError", "Encountered malformed JSON. %v", err)
	}
	return row, nil
}

var errNotObject = errors.New("not a JSON object")

// members calls fn with each member of the JSON object data, in order
// (a repeated key's last value wins, as with the deserializers; bad UTF-8
// is kept); the value is valid only during the call. Anything after the
// object is an error.
func members(data []byte, fn func(key string, v jsontext.Value) error) error {
	// A bytes.Buffer is parsed in place, not copied.
	dec := jsontext.NewDecoder(bytes.NewBuffer(data), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	if tok.Kind() != '{' {
		return errNotObject
	}
	for dec.PeekKind() != '}' {
		name, err := dec.ReadToken()
		if err != nil {
			return err
		}
		key := name.String()
		v, err := dec.ReadValue()
		if err != nil {
			return err
		}
		if err := fn(key, v); err != nil {
			return err
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return errors.New("the record holds more than one JSON value")
	}
	return nil
}

// elements calls fn with each element of the JSON array data.
func elements(data []byte, fn func(v jsontext.Value) error) error {
	dec := jsontext.NewDecoder(bytes.NewBuffer(data), jsontext.AllowInvalidUTF8(true))
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	for dec.PeekKind() != ']' {
		v, err := dec.ReadValue()
		if err != nil {
			return err
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return nil
}

// key applies the deserializer's key rules to a JSON key.
func (c *converter) key(k string) string {
	if c.dotsToUnder {
		k = strings.ReplaceAll(k, ".", "_")
	}
	if c.caseInsensitive {
		k = strings.ToLower(k)
	}
	return k
}

// text is a JSON string's contents.
func text(v jsontext.Value) string {
	if len(v) >= 2 && bytes.IndexByte(v, '\\') < 0 {
		return string(v[1 : len(v)-1])
	}
	b, err := jsontext.AppendUnquote(nil, v)
	if err != nil {
		return string(v)
	}
	return string(b)
}

func (c *converter) value(t *hivetype.Type, v jsontext.Value) (any, error) {
	kind := v.Kind()
	if kind == 'n' {
		return nil, nil
	}
	switch t.Name {
	case "string":
		switch kind {
		case '"':
			return leaf(text(v)), nil
		case '{', '[':
			return leaf(string(bytes.Clone(v))), nil
		}
		return leaf(string(v)), nil
	case "boolean":
		switch kind {
		case 't', 'f':
			return leaf(kind == 't'), nil
		case '"':
			if b, err := strconv.ParseBool(strings.ToLower(text(v))); err == nil && !c.hive {
				return &b, nil
			}
		}
		return nil, fmt.Errorf("%s is not a boolean", show(v))
	case "tinyint", "smallint", "int", "bigint":
		s, ok := c.numeric(v)
		if !ok {
			return nil, fmt.Errorf("%s is not a number", show(v))
		}
		bits := map[string]int{"tinyint": 8, "smallint": 16, "int": 32, "bigint": 64}[t.Name]
		n, err := strconv.ParseInt(s, 10, bits)
		if err != nil {
			return nil, fmt.Errorf("For input string: %q", s)
		}
		if bits == 64 {
			return &n, nil
		}
		return leaf(int32(n)), nil
	case "float", "double":
		s, ok := c.numeric(v)
		if !ok {
			return nil, fmt.Errorf("%s is not a number", show(v))
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("For input string: %q", s)
		}
		if t.Name == "float" {
			return leaf(float32(f)), nil
		}
		return &f, nil
	case "decimal":
		s, ok := c.numeric(v)
		if !ok {
			return nil, fmt.Errorf("%s is not a number", show(v))
		}
		return decimalValue(s, t.Precision, t.Scale)
	case "date":
		switch kind {
		case '"':
			d, err := time.Parse("2006-01-02", text(v))
			if err != nil {
				return nil, fmt.Errorf("%s is not a date (yyyy-MM-dd)", v)
			}
			return leaf(int32(d.Unix() / 86400)), nil
		case '0':
			n, err := strconv.ParseInt(string(v), 10, 32)
			if err != nil {
				return nil, fmt.Errorf("%s is not a number of days", v)
			}
			return leaf(int32(n)), nil
		}
		return nil, fmt.Errorf("%s is not a date", show(v))
	case "timestamp":
		return c.timestamp(v)
	case "binary":
		if kind == '"' {
			s := text(v)
			if b, err := base64.StdEncoding.DecodeString(s); err == nil && !c.hive {
				return &b, nil
			}
			return leaf([]byte(s)), nil
		}
		return nil, fmt.Errorf("%s is not binary", show(v))
	case "array":
		if kind != '[' {
			return nil, fmt.Errorf("Start of Array expected")
		}
		out := []any{}
		err := elements(v, func(e jsontext.Value) error {
			x, err := c.value(t.Elem, e)
			out = append(out, x)
			return err
		})
		return out, err
	case "map":
		if kind != '{' {
			return nil, fmt.Errorf("Start of Object expected")
		}
		out := map[string]any{}
		err := members(v, func(k string, e jsontext.Value) error {
			x, err := c.value(t.Elem, e)
			out[k] = x
			return err
		})
		return out, err
	case "struct":
		if kind != '{' {
			return nil, fmt.Errorf("Start of Object expected")
		}
		out := make(map[string]any, len(t.Fields))
		for _, f := range t.Fields {
			out[f.Name] = nil
		}
		err := members(v, func(k string, e jsontext.Value) error {
			k = c.key(k)
			for _, f := range t.Fields {
				if f.Name == k || c.caseInsensitive && strings.EqualFold(f.Name, k) {
					x, err := c.value(f.Type, e)
					out[f.Name] = x
					return err
				}
			}
			return nil
		})
		return out, err
	}
	return nil, fmt.Errorf("the type %s is not supported", t.Name)
}

// numeric returns a number's text: JSON numbers, and for the OpenX
// deserializer numeric strings too (the Hive one refuses them).
func (c *converter) numeric(v jsontext.Value) (string, bool) {
	switch v.Kind() {
	case '0':
		return string(v), true
	case '"':
		if !c.hive {
			return strings.TrimSpace(text(v)), true
		}
	}
	return "", false
}

// decimalValue scales a decimal's text to the unscaled integer Parquet
// stores, rounding half up, refusing values past the precision.
func decimalValue(s string, precision, scale int) (any, error) {
	if n, ok := smallDecimal(s, scale); ok {
		limit := int64(1)
		for range precision {
			limit *= 10
		}
		if precision > 18 || n >= limit || n <= -limit {
			return bigDecimal(s, precision, scale)
		}
		if precision <= 9 {
			return leaf(int32(n)), nil
		}
		return leaf(n), nil
	}
	return bigDecimal(s, precision, scale)
}

// smallDecimal scales a plain decimal ([-]digits[.digits]) of at most 18
// significant digits to an integer, rounding half up.
func smallDecimal(s string, scale int) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || len(whole)+scale > 18 {
		return 0, false
	}
	var n int64
	for _, c := range whole {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	for i := range scale {
		d := int64(0)
		if i < len(frac) {
			if frac[i] < '0' || frac[i] > '9' {
				return 0, false
			}
			d = int64(frac[i] - '0')
		}
		n = n*10 + d
	}
	if len(frac) > scale {
		for _, c := range frac[scale:] {
			if c < '0' || c > '9' {
				return 0, false
			}
		}
		if frac[scale] >= '5' {
			n++
		}
	}
	if neg {
		n = -n
	}
	return n, true
}

// bigDecimal is decimalValue for any decimal text, exponents included.
func bigDecimal(s string, precision, scale int) (any, error) {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return nil, fmt.Errorf("For input string: %q", s)
	}
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)))
	n, rem := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	if rem.Sign() != 0 && new(big.Int).Mul(new(big.Int).Abs(rem), big.NewInt(2)).Cmp(r.Denom()) >= 0 {
		n.Add(n, big.NewInt(int64(r.Sign())))
	}
	limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(precision)), nil)
	if new(big.Int).Abs(n).Cmp(limit) >= 0 {
		return nil, fmt.Errorf("%s does not fit decimal(%d,%d)", s, precision, scale)
	}
	switch {
	case precision <= 9:
		return leaf(int32(n.Int64())), nil
	case precision <= 18:
		return leaf(n.Int64()), nil
	}
	// 16 bytes, big-endian two's complement.
	out := make([]byte, 16)
	if n.Sign() >= 0 {
		n.FillBytes(out)
	} else {
		n.Add(n, new(big.Int).Lsh(big.NewInt(1), 128)).FillBytes(out)
	}
	return &out, nil
}

// Timestamp layouts the deserializers read besides epoch numbers.
var timestampLayouts = []string{
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-1-2 15:04:05.999999999",
	"2006-1-2 15:04:05.999999999Z07:00",
}

func (c *converter) timestamp(raw jsontext.Value) (any, error) {
	switch raw.Kind() {
	case '0':
		return epochTime(string(raw), c.hive && c.millis)
	case '"':
		v := text(raw)
		for _, p := range c.timestamps {
			if t, err := p.Parse(v, time.UTC); err == nil {
				return &t, nil
			}
		}
		for _, layout := range timestampLayouts {
			if t, err := time.Parse(layout, v); err == nil {
				return leaf(t.UTC()), nil
			}
		}
		if _, err := strconv.ParseFloat(v, 64); err == nil && (!c.hive || c.millis) {
			return epochTime(v, c.hive)
		}
		return nil, fmt.Errorf("%q is not a timestamp", v)
	}
	return nil, fmt.Errorf("%s is not a timestamp", show(raw))
}

// epochTime reads epoch seconds, or milliseconds when the number is too
// large to be seconds (or millis says so).
func epochTime(s string, millis bool) (any, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, fmt.Errorf("%q is not a timestamp", s)
	}
	if millis || math.Abs(f) >= 1e11 {
		return leaf(time.UnixMilli(int64(f)).UTC()), nil
	}
	sec, frac := math.Modf(f)
	return leaf(time.Unix(int64(sec), int64(math.Round(frac*1e3))*1e6).UTC()), nil
}

// leaf boxes a value written to an optional column: parquet-go writes a
// zero value (false, 0, "") held directly as NULL, but not one pointed to.
func leaf[T any](v T) *T { return &v }

func show(v jsontext.Value) string {
	b := []byte(v)
	if len(b) > 64 {
		b = append(b[:61], "..."...)
	}
	return string(b)
}

// parquetFile is a Parquet object being written: rows are encoded into
// column pages as they come, so a buffer holds its records encoded, not
// as maps.
type parquetFile struct {
	buf     bytes.Buffer
	w       *parquet.GenericWriter[map[string]any]
	pending []map[string]any
}

// writeBatch is how many rows are handed to the writer at once.
const writeBatch = 256

// convertedFile is a Parquet or ORC object being written from converted
// records.
type convertedFile interface {
	add(row map[string]any) error
	// close ends the file and returns it.
	close() ([]byte, error)
	// extension is the object name's suffix for the format.
	extension() string
}

// newFile starts an object in the destination's format.
func (c *converter) newFile() (convertedFile, error) {
	if c.orc != nil {
		return c.newORCFile()
	}
	f := &parquetFile{pending: make([]map[string]any, 0, writeBatch)}
	f.w = parquet.NewGenericWriter[map[string]any](&f.buf, append([]parquet.WriterOption{c.schema}, c.options...)...)
	return f, nil
}

// add writes a converted row (rows from the converter always encode).
func (f *parquetFile) add(row map[string]any) error {
	f.pending = append(f.pending, row)
	if len(f.pending) < writeBatch {
		return nil
	}
	return f.flush()
}

func (f *parquetFile) flush() error {
	if _, err := f.w.Write(f.pending); err != nil {
		return fmt.Errorf("firehose: write parquet: %w", err)
	}
	clear(f.pending)
	f.pending = f.pending[:0]
	return nil
}

func (f *parquetFile) extension() string { return ".parquet" }

// close ends the file and returns it.
func (f *parquetFile) close() ([]byte, error) {
	if err := f.flush(); err != nil {
		return nil, err
	}
	if err := f.w.Close(); err != nil {
		return nil, fmt.Errorf("firehose: write parquet: %w", err)
	}
	return f.buf.Bytes(), nil
}
