package firehose

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lakebox/lakebox/internal/orc"
	"github.com/parquet-go/parquet-go"
)

var at = time.Date(2024, 3, 7, 15, 4, 9, 0, time.UTC)

func TestPrefixRender(t *testing.T) {
	for _, tc := range []struct {
		prefix string
		keys   map[string]string
		want   string
	}{
		{"", nil, "2024/03/07/15/"},
		{"raw/", nil, "raw/2024/03/07/15/"},
		{"legacy", nil, "legacy2024/03/07/15/"},
		{"raw/!{timestamp:yyyy-MM-dd}/", nil, "raw/2024-03-07/"},
		{"!{timestamp:'year='yyyy}/!{timestamp:'month='MM}/", nil, "year=2024/month=03/"},
		{"c=!{partitionKeyFromQuery:c}/", map[string]string{"c": "7"}, "c=7/"},
		{"r/!{firehose:random-string}/", nil, "r/RANDOMRANDO/2024/03/07/15/"},
	} {
		p, err := parsePrefix(tc.prefix, "Prefix")
		if err != nil {
			t.Fatalf("parsePrefix(%q): %v", tc.prefix, err)
		}
		if got := p.render(at, tc.keys, "", "RANDOMRANDO"); got != tc.want {
			t.Errorf("render(%q) = %q, want %q", tc.prefix, got, tc.want)
		}
	}
	for _, bad := range []string{"!{timestamp:yyyy", "!{nope:x}", "!{timestamp:}", "!{firehose:other}", "!{partitionKeyFromLambda:k}", "!{timestamp:yyyy-Q}"} {
		if _, err := parsePrefix(bad, "Prefix"); err == nil {
			t.Errorf("parsePrefix(%q) succeeded", bad)
		}
	}
}

func TestErrorPrefix(t *testing.T) {
	d := &ExtendedS3Destination{Prefix: ptr("raw/")}
	p, err := compileDestinationPrefixes(d)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.errorPrefix(at, "processing-failed", "x"); got != "raw/processing-failed/2024/03/07/15/" {
		t.Errorf("default error prefix = %q", got)
	}
	d.ErrorOutputPrefix = ptr("err/!{firehose:error-output-type}/!{timestamp:yyyy}/")
	p, _ = compileDestinationPrefixes(d)
	if got := p.errorPrefix(at, "format-conversion-failed", "x"); got != "err/format-conversion-failed/2024/" {
		t.Errorf("error prefix = %q", got)
	}
	for name, d := range map[string]*ExtendedS3Destination{
		"expressions need an error prefix":  {Prefix: ptr("!{timestamp:yyyy}/")},
		"error prefix needs the error type": {Prefix: ptr("!{timestamp:yyyy}/"), ErrorOutputPrefix: ptr("e/!{timestamp:yyyy}/")},
		"keys need partitioning":            {Prefix: ptr("!{partitionKeyFromQuery:k}/"), ErrorOutputPrefix: ptr("e/!{firehose:error-output-type}")},
		"error type only in error prefix":   {Prefix: ptr("!{firehose:error-output-type}/"), ErrorOutputPrefix: ptr("e/!{firehose:error-output-type}")},
	} {
		if _, err := compileDestinationPrefixes(d); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func gz(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

func TestChain(t *testing.T) {
	param := func(n, v string) ProcessorParameter { return ProcessorParameter{ParameterName: n, ParameterValue: v} }
	for _, tc := range []struct {
		name        string
		procs       []Processor
		partitioned bool
		in          []byte
		want        string // outputs, "|" between, keys after "#"
		failure     string
	}{
		{"delimiter", []Processor{{Type: "AppendDelimiterToRecord"}}, false, []byte("a"), "a\n", ""},
		{"custom delimiter", []Processor{{Type: "AppendDelimiterToRecord", Parameters: []ProcessorParameter{param("Delimiter", "\\t")}}}, false, []byte("a"), "a\t", ""},
		{"json deagg", []Processor{{Type: "RecordDeAggregation", Parameters: []ProcessorParameter{param("SubRecordType", "JSON")}}}, false,
			[]byte(`{"a":1} {"a":2}` + "\n" + `{"a":{"b":[3]}}`), `{"a":1}|{"a":2}|{"a":{"b":[3]}}`, ""},
		{"json deagg of an array", []Processor{{Type: "RecordDeAggregation", Parameters: []ProcessorParameter{param("SubRecordType", "JSON")}}}, false,
			[]byte(`[1,2]`), "", "RecordDeAggregation.InvalidJSON"},
		{"delimited deagg", []Processor{{Type: "RecordDeAggregation", Parameters: []ProcessorParameter{param("SubRecordType", "DELIMITED"), param("Delimiter", "IyMjIw==")}}}, false,
			[]byte("a####b####"), "a|b", ""},
		{"gzip cloudwatch", []Processor{{Type: "Decompression"}, {Type: "CloudWatchLogProcessing", Parameters: []ProcessorParameter{param("DataMessageExtraction", "true")}}}, false,
			gz(`{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","timestamp":1,"message":"m1"},{"id":"2","timestamp":2,"message":"m2"}]}`), "m1|m2", ""},
		{"cloudwatch control", []Processor{{Type: "Decompression"}, {Type: "CloudWatchLogProcessing"}}, false,
			gz(`{"messageType":"CONTROL_MESSAGE","logEvents":[{"message":"x"}]}`), "", ""},
		{"not gzip", []Processor{{Type: "Decompression"}}, false, []byte("plain"), "", "Decompression.InvalidData"},
		{"jq keys", []Processor{{Type: "MetadataExtraction", Parameters: []ProcessorParameter{param("MetadataExtractionQuery", "{c: .c, n: .n, b: .b, d: (.t | .[0:10])}"), param("JsonParsingEngine", "JQ-1.6")}}}, true,
			[]byte(`{"c":"x","n":12345678901234,"b":true,"t":"2024-03-07T10:00:00Z"}`), `{"c":"x","n":12345678901234,"b":true,"t":"2024-03-07T10:00:00Z"}#b=true,c=x,d=2024-03-07,n=12345678901234`, ""},
		{"jq missing key", []Processor{{Type: "MetadataExtraction", Parameters: []ProcessorParameter{param("MetadataExtractionQuery", "{c: .c}")}}}, true,
			[]byte(`{"d":1}`), "", "DynamicPartitioning.MetadataExtractionFailed"},
		{"jq object key", []Processor{{Type: "MetadataExtraction", Parameters: []ProcessorParameter{param("MetadataExtractionQuery", "{c: .c}")}}}, true,
			[]byte(`{"c":{"x":1}}`), "", "DynamicPartitioning.MetadataExtractionFailed"},
		{"jq not json", []Processor{{Type: "MetadataExtraction", Parameters: []ProcessorParameter{param("MetadataExtractionQuery", "{c: .c}")}}}, true,
			[]byte(`nope`), "", "DynamicPartitioning.MetadataExtractionFailed"},
	} {
		c, err := compileProcessors(tc.procs, tc.partitioned)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		outs, fail := c.run(tc.in)
		if tc.failure != "" {
			if fail == nil || fail.code != tc.failure {
				t.Errorf("%s: failure %v, want %s", tc.name, fail, tc.failure)
			}
			continue
		}
		if fail != nil {
			t.Fatalf("%s: %v", tc.name, fail)
		}
		var got []string
		for _, o := range outs {
			s := string(o.data)
			if o.keys != nil {
				var kv []string
				for _, k := range []string{"b", "c", "d", "n"} {
					if v, ok := o.keys[k]; ok {
						kv = append(kv, k+"="+v)
					}
				}
				s += "#" + strings.Join(kv, ",")
			}
			got = append(got, s)
		}
		if strings.Join(got, "|") != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, strings.Join(got, "|"), tc.want)
		}
	}
	for name, procs := range map[string][]Processor{
		"lambda":           {{Type: "Lambda"}},
		"unknown":          {{Type: "Nope"}},
		"twice":            {{Type: "AppendDelimiterToRecord"}, {Type: "AppendDelimiterToRecord"}},
		"bad jq":           {{Type: "MetadataExtraction", Parameters: []ProcessorParameter{param("MetadataExtractionQuery", "{c: .c")}}},
		"bad engine":       {{Type: "MetadataExtraction", Parameters: []ProcessorParameter{param("MetadataExtractionQuery", "{c: .c}"), param("JsonParsingEngine", "JQ-2")}}},
		"bad sub-type":     {{Type: "RecordDeAggregation", Parameters: []ProcessorParameter{param("SubRecordType", "XML")}}},
		"bad delimiter":    {{Type: "RecordDeAggregation", Parameters: []ProcessorParameter{param("SubRecordType", "DELIMITED"), param("Delimiter", "%%%")}}},
		"jq unpartitioned": {{Type: "MetadataExtraction", Parameters: []ProcessorParameter{param("MetadataExtractionQuery", "{c: .c}")}}},
	} {
		if _, err := compileProcessors(procs, false); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func newTestConverter(t *testing.T, openx bool, cols ...Column) *converter {
	t.Helper()
	d := &Deserializer{OpenXJsonSerDe: &OpenXJsonSerDe{}}
	if !openx {
		d = &Deserializer{HiveJsonSerDe: &HiveJsonSerDe{TimestampFormats: []string{"yyyy/MM/dd HH:mm", "millis"}}}
	}
	c, err := newConverter(&DataFormatConversionConfiguration{
		SchemaConfiguration:       &SchemaConfiguration{DatabaseName: "db", TableName: "t"},
		InputFormatConfiguration:  &InputFormatConfiguration{Deserializer: d},
		OutputFormatConfiguration: &OutputFormatConfiguration{Serializer: &Serializer{ParquetSerDe: &ParquetSerDe{}}},
	}, cols)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// deref renders converted values for comparing.
func show2(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case *time.Time:
		return v.Format(time.RFC3339Nano)
	case *[]byte:
		return fmt.Sprintf("%x", *v)
	case *string:
		return *v
	case *bool:
		return fmt.Sprint(*v)
	case *int32:
		return fmt.Sprint(*v)
	case *int64:
		return fmt.Sprint(*v)
	case *float32:
		return fmt.Sprint(*v)
	case *float64:
		return fmt.Sprint(*v)
	case []any:
		var parts []string
		for _, e := range v {
			parts = append(parts, show2(e))
		}
		return "[" + strings.Join(parts, " ") + "]"
	case map[string]any:
		b, _ := json.Marshal(len(v))
		return "map" + string(b)
	}
	return fmt.Sprintf("%T", v)
}

func TestConvertValues(t *testing.T) {
	for _, tc := range []struct {
		typ, json, want string
		hive            bool
	}{
		{"string", `"a"`, "a", false},
		{"string", `12.50`, "12.50", false},
		{"string", `{"x":1}`, `{"x":1}`, false},
		{"boolean", `false`, "false", false},
		{"boolean", `"TRUE"`, "true", false},
		{"int", `0`, "0", false},
		{"int", `"42"`, "42", false},
		{"bigint", `9007199254740993`, "9007199254740993", false},
		{"tinyint", `127`, "127", false},
		{"double", `1e3`, "1000", false},
		{"float", `"2.5"`, "2.5", false},
		{"decimal(10,2)", `12.345`, "1235", false},
		{"decimal(10,2)", `-12.345`, "-1235", false},
		{"decimal(10,2)", `"0.1"`, "10", false},
		{"decimal(5,1)", `9999.94`, "99999", false},
		{"decimal(5,1)", `-0.05`, "-1", false},
		{"decimal(10,2)", `1.5e2`, "15000", false},
		{"decimal(10,0)", `"12"`, "12", false},
		{"decimal(18,2)", `1234567890123456.785`, "123456789012345679", false},
		{"decimal(38,2)", `-1`, "ffffffffffffffffffffffffffffff9c", false},
		{"date", `"2024-03-07"`, "19789", false},
		{"timestamp", `"2024-03-07T10:00:00.5Z"`, "2024-03-07T10:00:00.5Z", false},
		{"timestamp", `"2024-03-07 10:00:00"`, "2024-03-07T10:00:00Z", false},
		{"timestamp", `"2024-3-7 10:00:00.123"`, "2024-03-07T10:00:00.123Z", false},
		{"timestamp", `1709805600`, "2024-03-07T10:00:00Z", false},
		{"timestamp", `1709805600123`, "2024-03-07T10:00:00.123Z", false},
		{"timestamp", `1709805600.25`, "2024-03-07T10:00:00.25Z", false},
		{"timestamp", `"2024/03/07 10:00"`, "2024-03-07T10:00:00Z", true},
		{"timestamp", `"1709805600123"`, "2024-03-07T10:00:00.123Z", true},
		{"binary", `"aGk="`, "6869", false},
		{"array<int>", `[1,null,0]`, "[1 null 0]", false},
		{"map<string,int>", `{"a":1,"b":2}`, "map2", false},
		{"int", `null`, "null", false},
	} {
		c := newTestConverter(t, !tc.hive, Column{Name: "c", Type: tc.typ})
		row, fail := c.row([]byte(`{"c":` + tc.json + `}`))
		if fail != nil {
			t.Errorf("%s %s: %v", tc.typ, tc.json, fail)
			continue
		}
		if got := show2(row["c"]); got != tc.want {
			t.Errorf("%s %s = %s, want %s", tc.typ, tc.json, got, tc.want)
		}
	}
	for _, tc := range []struct{ typ, json string }{
		{"int", `"x"`}, {"int", `2147483648`}, {"int", `1.5`}, {"tinyint", `128`}, {"boolean", `1`},
		{"decimal(4,2)", `123.4`}, {"decimal(4,2)", `99.999`}, {"decimal(10,2)", `"1.2.3"`}, {"date", `"03/07/2024"`}, {"timestamp", `"yesterday"`}, {"array<int>", `{"a":1}`},
		{"struct<a:int>", `[1]`}, {"double", `true`},
	} {
		c := newTestConverter(t, true, Column{Name: "c", Type: tc.typ})
		if _, fail := c.row([]byte(`{"c":` + tc.json + `}`)); fail == nil || fail.code != "DataFormatConversion.MalformedData" {
			t.Errorf("%s %s: failure %v, want MalformedData", tc.typ, tc.json, fail)
		}
	}
	// The Hive deserializer refuses numbers in strings.
	c := newTestConverter(t, false, Column{Name: "c", Type: "int"})
	if _, fail := c.row([]byte(`{"c":"1"}`)); fail == nil {
		t.Error("Hive JSON SerDe took a number in a string")
	}
	for _, bad := range []string{`{"c":`, `[1]`, `{"c":1} {"c":2}`} {
		if _, fail := c.row([]byte(bad)); fail == nil {
			t.Errorf("row(%s) succeeded", bad)
		}
	}
}

func TestConvertKeys(t *testing.T) {
	c, err := newConverter(&DataFormatConversionConfiguration{
		SchemaConfiguration: &SchemaConfiguration{DatabaseName: "db", TableName: "t"},
		InputFormatConfiguration: &InputFormatConfiguration{Deserializer: &Deserializer{OpenXJsonSerDe: &OpenXJsonSerDe{
			ConvertDotsInJsonKeysToUnderscores: ptr(true), ColumnToJsonKeyMappings: map[string]string{"ts": "Event.Time"}}}},
		OutputFormatConfiguration: &OutputFormatConfiguration{Serializer: &Serializer{ParquetSerDe: &ParquetSerDe{}}},
	}, []Column{{"user_id", "string"}, {"ts", "string"}, {"Amount", "int"}})
	if err != nil {
		t.Fatal(err)
	}
	row, fail := c.row([]byte(`{"USER.ID":"u1","Event.Time":"t1","amount":3}`))
	if fail != nil {
		t.Fatal(fail)
	}
	if show2(row["user_id"]) != "u1" || show2(row["ts"]) != "t1" || show2(row["amount"]) != "3" {
		t.Errorf("row %v", row)
	}
	// The columns keep the table's order in the file.
	var names []string
	for _, f := range c.schema.Fields() {
		names = append(names, f.Name())
	}
	if strings.Join(names, ",") != "user_id,ts,amount" {
		t.Errorf("columns %v", names)
	}
}

func TestCompressorReusesMemoryWithoutChangingBodies(t *testing.T) {
	long := []byte(strings.Repeat("lakebox firehose ", 50000))
	short := []byte(strings.Repeat("raw zone ", 3000))
	reused := &compressor{}
	for _, f := range []string{compressionNone, compressionGzip, compressionZip, compressionSnappy, compressionHadoopSnappy} {
		// Long then short: a reused body must not keep the longer one's tail.
		for _, body := range [][]byte{long, short} {
			parts := [][]byte{body[:1000], body[1000:]}
			want, err := (&compressor{}).compress(f, parts, len(body), "entry")
			if err != nil {
				t.Fatal(err)
			}
			got, err := reused.compress(f, parts, len(body), "entry")
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s: a reused compressor made %d bytes, a fresh one %d", f, len(got), len(want))
			}
			if f != compressionNone && len(got) >= len(body)/2 {
				t.Errorf("%s: %d bytes from %d", f, len(got), len(body))
			}
		}
	}
	if _, err := reused.compress("LZ4", [][]byte{long}, len(long), ""); err == nil {
		t.Error("unknown compression accepted")
	}
}

func FuzzPrefix(f *testing.F) {
	for _, s := range []string{"raw/", "!{timestamp:yyyy}/!{firehose:random-string}", "!{partitionKeyFromQuery:a}", "!{", "!{x:}", "'!{timestamp:''}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if p, err := parsePrefix(s, "Prefix"); err == nil {
			p.render(at, map[string]string{"a": "1"}, "processing-failed", "abcdefghijk")
		}
	})
}

func FuzzChain(f *testing.F) {
	for _, s := range []string{`{"a":1}{"b":2}`, "a####b", `{"c":"x"}`, "\x1f\x8b", ""} {
		f.Add([]byte(s))
	}
	param := func(n, v string) ProcessorParameter { return ProcessorParameter{ParameterName: n, ParameterValue: v} }
	chains := [][]Processor{
		{{Type: "RecordDeAggregation", Parameters: []ProcessorParameter{param("SubRecordType", "JSON")}}, {Type: "MetadataExtraction", Parameters: []ProcessorParameter{param("MetadataExtractionQuery", "{c: .c}")}}},
		{{Type: "RecordDeAggregation", Parameters: []ProcessorParameter{param("SubRecordType", "DELIMITED"), param("Delimiter", "IyMjIw==")}}, {Type: "AppendDelimiterToRecord"}},
		{{Type: "Decompression"}, {Type: "CloudWatchLogProcessing"}},
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for i, procs := range chains {
			c, err := compileProcessors(procs, i == 0)
			if err != nil {
				t.Fatal(err)
			}
			c.run(data)
		}
	})
}

func FuzzConvert(f *testing.F) {
	for _, s := range []string{`{"a":1,"b":"x","c":[1,2],"d":{"e":"2024-01-01 00:00:00"}}`, `{"a":"1e400"}`, `{}`, `[`} {
		f.Add([]byte(s))
	}
	var convs []*converter
	for _, s := range []*Serializer{{ParquetSerDe: &ParquetSerDe{}}, {OrcSerDe: &OrcSerDe{}}} {
		conv, err := newConverter(&DataFormatConversionConfiguration{
			SchemaConfiguration:       &SchemaConfiguration{DatabaseName: "db", TableName: "t"},
			InputFormatConfiguration:  &InputFormatConfiguration{Deserializer: &Deserializer{OpenXJsonSerDe: &OpenXJsonSerDe{}}},
			OutputFormatConfiguration: &OutputFormatConfiguration{Serializer: s},
		}, []Column{{"a", "decimal(20,3)"}, {"b", "string"}, {"c", "array<bigint>"}, {"d", "struct<e:timestamp,f:map<string,double>>"}})
		if err != nil {
			f.Fatal(err)
		}
		convs = append(convs, conv)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, conv := range convs {
			row, fail := conv.row(data)
			if fail != nil {
				continue
			}
			file, err := conv.newFile()
			if err != nil {
				t.Fatal(err)
			}
			if err := file.add(row); err != nil {
				t.Fatalf("add %s: %v", data, err)
			}
			if _, err := file.close(); err != nil {
				t.Fatalf("write %s: %v", data, err)
			}
		}
	})
}

// The fast path for plain decimals agrees with the exact one.
func FuzzDecimal(f *testing.F) {
	for _, s := range []string{"12.345", "-0.05", "999999999999999999", "1.", ".5", "0.0000001"} {
		f.Add(s, 4)
	}
	f.Fuzz(func(t *testing.T, s string, scale int) {
		scale = max(0, scale%19)
		n, ok := smallDecimal(s, scale)
		if !ok {
			return
		}
		want, err := bigDecimal(s, 38, scale)
		if err != nil {
			t.Fatalf("smallDecimal(%q, %d) = %d; bigDecimal: %v", s, scale, n, err)
		}
		b := *(want.(*[]byte))
		got := make([]byte, 16)
		for i := range 8 {
			got[15-i] = byte(uint64(n) >> (8 * i))
			if n < 0 {
				got[7-i] = 0xff
			}
		}
		if !bytes.Equal(got, b) {
			t.Fatalf("smallDecimal(%q, %d) = %d; bigDecimal %x", s, scale, n, b)
		}
	})
}

// Rows are encoded as they come, across several writes, and read back.
func TestParquetFile(t *testing.T) {
	c := newTestConverter(t, true, Column{"id", "bigint"}, Column{"name", "string"}, Column{"ok", "boolean"})
	f, err := c.newFile()
	if err != nil {
		t.Fatal(err)
	}
	const n = 3*writeBatch + 17
	for i := range n {
		row, fail := c.row(fmt.Appendf(nil, `{"id":%d,"name":"n%d","ok":%v}`, i, i, i%2 == 0))
		if fail != nil {
			t.Fatal(fail)
		}
		if err := f.add(row); err != nil {
			t.Fatal(err)
		}
	}
	body, err := f.close()
	if err != nil {
		t.Fatal(err)
	}
	type rec struct {
		ID   *int64  `parquet:"id"`
		Name *string `parquet:"name"`
		OK   *bool   `parquet:"ok"`
	}
	rows, err := parquet.Read[rec](bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n || *rows[0].ID != 0 || *rows[0].OK != true || *rows[1].OK != false || *rows[n-1].Name != fmt.Sprintf("n%d", n-1) {
		t.Fatalf("read %d rows: first %+v", len(rows), rows[0])
	}
}

// Records converted to ORC read back, every type and NULL, across stripes.
func TestORCFile(t *testing.T) {
	stripe := 600 // bytes: a few rows a stripe
	conv, err := newConverter(&DataFormatConversionConfiguration{
		SchemaConfiguration:       &SchemaConfiguration{DatabaseName: "db", TableName: "t"},
		InputFormatConfiguration:  &InputFormatConfiguration{Deserializer: &Deserializer{OpenXJsonSerDe: &OpenXJsonSerDe{}}},
		OutputFormatConfiguration: &OutputFormatConfiguration{Serializer: &Serializer{OrcSerDe: &OrcSerDe{Compression: "ZLIB", StripeSizeBytes: &stripe}}},
	}, []Column{{"id", "bigint"}, {"name", "string"}, {"small", "decimal(5,2)"}, {"big", "decimal(30,3)"}, {"day", "date"},
		{"at", "timestamp"}, {"tags", "array<int>"}, {"attrs", "map<string,double>"}, {"geo", "struct<lat:float,ok:boolean>"}, {"raw", "binary"}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := conv.newFile()
	if err != nil {
		t.Fatal(err)
	}
	const n = 40
	for i := range n {
		rec := fmt.Sprintf(`{"id":%d,"name":"n%d","small":"-1.5","big":"-123456789012345678901234567.891","day":"2024-02-29","at":"2024-02-29 10:00:0%d","tags":[1,%d],"attrs":{"b":0.5,"a":%d},"geo":{"lat":1.5,"ok":true},"raw":"AP8="}`, i, i, i%10, i, i)
		if i%3 == 0 {
			rec = fmt.Sprintf(`{"id":%d}`, i)
		}
		row, fail := conv.row([]byte(rec))
		if fail != nil {
			t.Fatal(fail)
		}
		if err := f.add(row); err != nil {
			t.Fatal(err)
		}
	}
	body, err := f.close()
	if err != nil {
		t.Fatal(err)
	}
	if f.extension() != ".orc" {
		t.Fatalf("extension %q", f.extension())
	}
	file, err := orc.Open(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	if file.Rows != n || len(file.Stripes) < 2 || file.Compression != orc.Zlib {
		t.Fatalf("%d rows in %d stripes, compression %d", file.Rows, len(file.Stripes), file.Compression)
	}
	var got []string
	for s := range file.Stripes {
		c, err := file.ReadStripe(s)
		if err != nil {
			t.Fatal(err)
		}
		id, name, small, big, day, at := c.Children[0], c.Children[1], c.Children[2], c.Children[3], c.Children[4], c.Children[5]
		tags, attrs, geo, raw := c.Children[6], c.Children[7], c.Children[8], c.Children[9]
		v := 0
		for r := range c.Rows {
			if !name.Has(r) {
				got = append(got, fmt.Sprintf("%d null", id.Ints[r]))
				continue
			}
			got = append(got, fmt.Sprintf("%d %s %s/%d %s/%d %d %s %d:%v %d:%q=%v %v,%v %x", id.Ints[r], name.Bytes[v],
				small.Decimals[v], small.Scales[v], big.Decimals[v], big.Scales[v], day.Ints[v], at.Times[v].Format(time.DateTime),
				tags.Lengths[v], tags.Children[0].Ints[2*v:2*v+2], attrs.Lengths[v], attrs.Children[0].Bytes[2*v:2*v+2], attrs.Children[1].Floats[2*v:2*v+2],
				geo.Children[0].Floats[v], geo.Children[1].Bools[v], raw.Bytes[v]))
			v++
		}
	}
	want := "1 n1 -150/2 -123456789012345678901234567891/3 19782 2024-02-29 10:00:01 2:[1 1] 2:[\"a\" \"b\"]=[1 0.5] 1.5,true 00ff"
	if len(got) != n || got[0] != "0 null" || got[1] != want || got[n-1] != fmt.Sprintf("%d null", n-1) {
		t.Fatalf("rows:\n%s", strings.Join(got, "\n"))
	}
}

// Maps are read from JSON objects, so their keys must be strings, at any
// depth and for either output format.
func TestConverter_MapKeys(t *testing.T) {
	for _, s := range []*Serializer{{ParquetSerDe: &ParquetSerDe{}}, {OrcSerDe: &OrcSerDe{}}} {
		for typ, ok := range map[string]bool{
			"map<string,int>":                     true,
			"array<map<string,int>>":              true,
			"map<int,string>":                     false,
			"struct<a:array<map<bigint,string>>>": false,
			"map<string,map<int,int>>":            false,
		} {
			_, err := newConverter(&DataFormatConversionConfiguration{
				SchemaConfiguration:       &SchemaConfiguration{DatabaseName: "db", TableName: "t"},
				InputFormatConfiguration:  &InputFormatConfiguration{Deserializer: &Deserializer{OpenXJsonSerDe: &OpenXJsonSerDe{}}},
				OutputFormatConfiguration: &OutputFormatConfiguration{Serializer: s},
			}, []Column{{"c", typ}})
			if (err == nil) != ok || err != nil && !strings.Contains(err.Error(), "string keys only") {
				t.Errorf("%s (orc %v): %v", typ, s.OrcSerDe != nil, err)
			}
		}
	}
}

func TestChunkPoolHoldsCopiesAndRecyclesMemory(t *testing.T) {
	p := chunkPool{keep: 4 << 20}
	var b buffer
	read := make([]byte, 3000)
	var want [][]byte
	for i := range 4000 { // 5 MB: chunks from 4 KiB doubling to 1 MiB
		for j := range read {
			read[j] = byte(i + j)
		}
		b.parts = append(b.parts, p.hold(&b, read[:1+i%len(read)]))
		want = append(want, bytes.Clone(read[:1+i%len(read)]))
	}
	for i := range want { // the read buffer was overwritten every time
		if !bytes.Equal(b.parts[i], want[i]) {
			t.Fatalf("part %d changed", i)
		}
	}
	if c := b.mem[0]; cap(c) != minChunk {
		t.Errorf("first chunk of %d bytes", cap(c))
	}
	if c := b.mem[len(b.mem)-1]; cap(c) != maxChunk {
		t.Errorf("last chunk of %d bytes", cap(c))
	}
	big := p.hold(&b, make([]byte, maxChunk+1)) // larger than any chunk
	if len(big) != maxChunk+1 {
		t.Fatalf("held %d bytes", len(big))
	}
	p.release(&b)
	if b.mem != nil || b.parts != nil || p.freeBytes > p.keep || p.freeBytes < p.keep-maxChunk {
		t.Errorf("released: %d bytes free of %d kept", p.freeBytes, p.keep)
	}
	// The next buffer takes the memory back.
	free := p.freeBytes
	var next buffer
	p.hold(&next, read)
	if p.freeBytes != free-minChunk {
		t.Errorf("a new buffer took %d bytes from the pool, want %d", free-p.freeBytes, minChunk)
	}
	for _, n := range []int{1, minChunk, minChunk + 1, maxChunk - 1, maxChunk} {
		if size := minChunk << sizeClass(n); size < n || size > max(2*n-2, minChunk) {
			t.Errorf("size class of %d holds %d", n, size)
		}
	}
}

func TestRecordIDIsStreamThenSequenceInHex(t *testing.T) {
	if got := recordID("0a1b", 0x1f); got != "0a1b000000000000001f" {
		t.Errorf("recordID = %q", got)
	}
}
