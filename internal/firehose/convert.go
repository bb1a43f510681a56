package firehose

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/lakebox/lakebox/internal/hivetype"
	"github.com/lakebox/lakebox/internal/javatime"
	"github.com/parquet-go/parquet-go"
)

// Column is a column of the Glue table that types converted records.
type Column struct {
	Name, Type string
}

// converter turns JSON records into Parquet rows typed by a table.
type converter struct {
	columns []convColumn
	schema  *parquet.Schema
	options []parquet.WriterOption
	// The deserializer's options.
	hive            bool
	caseInsensitive bool
	dotsToUnder     bool
	timestamps      []*javatime.Pattern
	millis          bool // TimestampFormats has "millis"
	table           SchemaConfiguration
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
		n, err := parquetNode(t)
		if err != nil {
			return nil, fmt.Errorf("column %s: %v", col.Name, err)
		}
		name := strings.ToLower(col.Name)
		key := name
		if k, ok := mappings[name]; ok {
			key = k
		}
		if conv.dotsToUnder {
			key = strings.ReplaceAll(key, ".", "_")
		}
		if conv.caseInsensitive {
			key = strings.ToLower(key)
		}
		group.Group[name] = parquet.Optional(n)
		group.names = append(group.names, name)
		conv.columns = append(conv.columns, convColumn{name: name, jsonKey: key, typ: t})
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
	case "map":
		if t.Key.Name != "string" {
			return nil, fmt.Errorf("Lakebox converts maps with string keys only, not %s", t.Key.Name)
		}
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

// row converts one JSON record.
func (c *converter) row(data []byte) (map[string]any, *failure) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, conversionFailed("DataFormatConversion.ParseError", "Encountered malformed JSON. %v", err)
	}
	if dec.More() {
		return nil, conversionFailed("DataFormatConversion.ParseError", "Encountered malformed JSON. The record holds more than one JSON value.")
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return nil, conversionFailed("DataFormatConversion.MalformedData", "Data does not match the schema. The record is not a JSON object.")
	}
	fields := c.keys(obj)
	row := make(map[string]any, len(c.columns))
	for _, col := range c.columns {
		v, err := c.value(col.typ, fields[col.jsonKey])
		if err != nil {
			return nil, conversionFailed("DataFormatConversion.MalformedData", "Data does not match the schema. Column %s: %v", col.name, err)
		}
		row[col.name] = v
	}
	return row, nil
}

// keys applies the deserializer's key rules to an object's keys.
func (c *converter) keys(obj map[string]any) map[string]any {
	if !c.caseInsensitive && !c.dotsToUnder {
		return obj
	}
	out := make(map[string]any, len(obj))
	for k, v := range obj {
		if c.dotsToUnder {
			k = strings.ReplaceAll(k, ".", "_")
		}
		if c.caseInsensitive {
			k = strings.ToLower(k)
		}
		out[k] = v
	}
	return out
}

func (c *converter) value(t *hivetype.Type, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch t.Name {
	case "string":
		switch v := v.(type) {
		case string:
			return &v, nil
		case json.Number:
			return leaf(v.String()), nil
		case bool:
			return leaf(strconv.FormatBool(v)), nil
		default:
			b, _ := json.Marshal(v)
			return leaf(string(b)), nil
		}
	case "boolean":
		switch v := v.(type) {
		case bool:
			return &v, nil
		case string:
			if b, err := strconv.ParseBool(strings.ToLower(v)); err == nil && !c.hive {
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
		switch v := v.(type) {
		case string:
			d, err := time.Parse("2006-01-02", v)
			if err != nil {
				return nil, fmt.Errorf("%q is not a date (yyyy-MM-dd)", v)
			}
			return leaf(int32(d.Unix() / 86400)), nil
		case json.Number:
			n, err := strconv.ParseInt(v.String(), 10, 32)
			if err != nil {
				return nil, fmt.Errorf("%s is not a number of days", v)
			}
			return leaf(int32(n)), nil
		}
		return nil, fmt.Errorf("%s is not a date", show(v))
	case "timestamp":
		return c.timestamp(v)
	case "binary":
		if s, ok := v.(string); ok {
			if b, err := base64.StdEncoding.DecodeString(s); err == nil && !c.hive {
				return &b, nil
			}
			return leaf([]byte(s)), nil
		}
		return nil, fmt.Errorf("%s is not binary", show(v))
	case "array":
		list, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("Start of Array expected")
		}
		out := make([]any, len(list))
		for i, e := range list {
			var err error
			if out[i], err = c.value(t.Elem, e); err != nil {
				return nil, err
			}
		}
		return out, nil
	case "map":
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("Start of Object expected")
		}
		out := make(map[string]any, len(m))
		for k, e := range m {
			var err error
			if out[k], err = c.value(t.Elem, e); err != nil {
				return nil, err
			}
		}
		return out, nil
	case "struct":
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("Start of Object expected")
		}
		m = c.keys(m)
		out := make(map[string]any, len(t.Fields))
		for _, f := range t.Fields {
			key := f.Name
			if c.caseInsensitive {
				key = strings.ToLower(key)
			}
			var err error
			if out[f.Name], err = c.value(f.Type, m[key]); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("the type %s is not supported", t.Name)
}

// numeric returns a number's text: JSON numbers, and for the OpenX
// deserializer numeric strings too (the Hive one refuses them).
func (c *converter) numeric(v any) (string, bool) {
	switch v := v.(type) {
	case json.Number:
		return v.String(), true
	case string:
		if !c.hive {
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}

// decimalValue scales a decimal's text to the unscaled integer Parquet
// stores, rounding half up, refusing values past the precision.
func decimalValue(s string, precision, scale int) (any, error) {
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

func (c *converter) timestamp(v any) (any, error) {
	switch v := v.(type) {
	case json.Number:
		return epochTime(v.String(), c.hive && c.millis)
	case string:
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
	return nil, fmt.Errorf("%s is not a timestamp", show(v))
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

func show(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 64 {
		b = append(b[:61], "..."...)
	}
	return string(b)
}

// write encodes rows as one Parquet file.
func (c *converter) write(rows []map[string]any) ([]byte, error) {
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[map[string]any](&buf, append([]parquet.WriterOption{c.schema}, c.options...)...)
	if _, err := w.Write(rows); err != nil {
		return nil, fmt.Errorf("firehose: write parquet: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("firehose: write parquet: %w", err)
	}
	return buf.Bytes(), nil
}
