package classify

import (
	"bytes"
	"flag"
	"fmt"
	"github.com/lakebox/lakebox/internal/orc"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hamba/avro/v2"
	"github.com/hamba/avro/v2/ocf"
	"github.com/klauspost/compress/snappy"
	"github.com/parquet-go/parquet-go"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// describe renders a result for a golden file.
func describe(res *Result, err error) string {
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "classification: %s\ncompression: %s\n", res.Classification, compressionName(res.Compression))
	fmt.Fprintf(&b, "input: %s\noutput: %s\nserde: %s\n", res.InputFormat, res.OutputFormat, res.SerDe)
	for _, k := range slices.Sorted(mapsKeys(res.SerDeParams)) {
		if k == "avro.schema.literal" {
			continue
		}
		fmt.Fprintf(&b, "serde.%s: %q\n", k, res.SerDeParams[k])
	}
	for _, k := range slices.Sorted(mapsKeys(res.Params)) {
		fmt.Fprintf(&b, "param.%s: %q\n", k, res.Params[k])
	}
	fmt.Fprintf(&b, "records: %d (exact %v)\n", res.Records, res.RecordsExact)
	for _, c := range res.Columns {
		fmt.Fprintf(&b, "column %s %s\n", c.Name, c.Type)
	}
	return b.String()
}

func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// corpus returns every test file: the committed text files and the binary
// ones generated here.
func corpus(t *testing.T) map[string][]byte {
	files := map[string][]byte{}
	entries, err := os.ReadDir("testdata/corpus")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("testdata/corpus", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = b
	}
	files["flat.parquet"] = flatParquet(t)
	files["nested.parquet"] = nestedParquet(t)
	files["users.avro"] = avroFile(t)
	files["events.json.snappy"] = hadoopSnappyFile(files["events.json"])
	var framed bytes.Buffer
	w := snappy.NewBufferedWriter(&framed)
	w.Write(files["orders.csv"])
	w.Close()
	files["orders.csv.sz"] = framed.Bytes()
	files["truncated.parquet"] = files["flat.parquet"][:len(files["flat.parquet"])-20]
	files["empty.csv"] = nil
	files["binary.bin"] = []byte{0, 1, 2, 3, 0xfe, 0xff, 0, 0}
	files["bad.orc"] = []byte("ORC\x00\x00\x00")
	files["users.orc"] = orcFile(uint64(orc.None))
	files["users.zlib.orc"] = orcFile(uint64(orc.Zlib))
	return files
}

type flatRow struct {
	ID       int64     `parquet:"id"`
	Name     string    `parquet:"name"`
	Amount   float64   `parquet:"amount"`
	Small    int16     `parquet:"small"`
	Flag     bool      `parquet:"flag"`
	Created  time.Time `parquet:"created,timestamp(millisecond)"`
	Day      time.Time `parquet:"day,date"`
	Price    int64     `parquet:"price,decimal(2:12)"`
	Optional *string   `parquet:"optional,optional"`
	Raw      []byte    `parquet:"raw"`
	Ratio    float32   `parquet:"ratio"`
}

func flatParquet(t *testing.T) []byte {
	var buf bytes.Buffer
	rows := []flatRow{{ID: 1, Name: "a", Amount: 1.5, Created: time.Unix(1700000000, 0), Day: time.Unix(1700000000, 0)}, {ID: 2, Name: "b"}}
	if err := parquet.Write(&buf, rows); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type item struct {
	SKU string `parquet:"sku"`
	Qty int32  `parquet:"qty"`
}

type nestedRow struct {
	ID    int64             `parquet:"id"`
	Items []item            `parquet:"items,list"`
	Tags  []string          `parquet:"tags,list"`
	Attrs map[string]string `parquet:"attrs"`
	Owner struct {
		Name  string `parquet:"Name"`
		Level int32  `parquet:"level"`
	} `parquet:"owner"`
	Scores []float64 `parquet:"scores"` // a repeated field without a LIST group
}

func nestedParquet(t *testing.T) []byte {
	var buf bytes.Buffer
	rows := []nestedRow{{ID: 1, Items: []item{{"A", 1}}, Tags: []string{"x"}, Attrs: map[string]string{"k": "v"}}}
	if err := parquet.Write(&buf, rows); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func avroFile(t *testing.T) []byte {
	schema := `{"type":"record","name":"User","fields":[
		{"name":"id","type":"long"},
		{"name":"Email","type":["null","string"],"default":null},
		{"name":"age","type":"int"},
		{"name":"signup","type":{"type":"int","logicalType":"date"}},
		{"name":"balance","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
		{"name":"roles","type":{"type":"array","items":"string"}},
		{"name":"prefs","type":{"type":"map","values":"boolean"}},
		{"name":"address","type":{"type":"record","name":"Address","fields":[{"name":"city","type":"string"}]}},
		{"name":"tier","type":{"type":"enum","name":"Tier","symbols":["GOLD","SILVER"]}}]}`
	var buf bytes.Buffer
	enc, err := ocf.NewEncoder(schema, &buf, ocf.WithEncoderSchemaCache(&avro.SchemaCache{}))
	if err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hadoopSnappyFile frames data as Hadoop's SnappyCodec does.
func hadoopSnappyFile(data []byte) []byte {
	block := snappy.Encode(nil, data)
	var b bytes.Buffer
	b.Write([]byte{0, 0, 0, byte(len(data))})
	b.Write([]byte{0, 0, 0, byte(len(block))})
	b.Write(block)
	return b.Bytes()
}

func TestFile_Golden(t *testing.T) {
	for name, data := range corpus(t) {
		t.Run(name, func(t *testing.T) {
			got := describe(File(bytes.NewReader(data), int64(len(data)), name, Options{}))
			golden := filepath.Join("testdata/golden", name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s:\n--- got\n%s--- want\n%s", name, got, want)
			}
		})
	}
}

func TestFile_CustomClassifiers(t *testing.T) {
	data := []byte("a;b\n1;2\n")
	res, err := File(bytes.NewReader(data), int64(len(data)), "x", Options{CSV: []CSVClassifier{{Name: "semi", Delimiter: ';', ContainsHeader: "ABSENT", Header: []string{"left", "right"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Classifier != "semi" || res.Columns[0].Name != "left" || res.Columns[0].Type.String() != "string" || res.Params["skip.header.line.count"] != "" {
		t.Fatalf("custom CSV: %s", describe(res, nil))
	}
	data = []byte(`{"data": {"items": [{"id": 1}, {"id": 2, "x": "y"}]}}`)
	res, err = File(bytes.NewReader(data), int64(len(data)), "x", Options{JSON: []JSONClassifier{{Name: "items", JsonPath: "$.data.items[*]"}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Classifier != "items" || len(res.Columns) != 2 || res.Columns[1].Name != "x" {
		t.Fatalf("custom JSON: %s", describe(res, nil))
	}
	data = []byte(`[{"id": 1}, {"id": 2}]`)
	res, _ = File(bytes.NewReader(data), int64(len(data)), "x", Options{JSON: []JSONClassifier{{Name: "arr", JsonPath: "$[*]"}}})
	if res == nil || len(res.Columns) != 1 || res.Columns[0].Name != "id" {
		t.Fatalf("$[*]: %s", describe(res, nil))
	}
}

func TestMerge(t *testing.T) {
	s := func(fields ...Field) *Type { return &Type{Name: "struct", Fields: fields} }
	for _, tc := range []struct {
		a, b *Type
		want string
	}{
		{prim("int"), prim("bigint"), "bigint"},
		{prim("bigint"), prim("double"), "double"},
		{prim("int"), prim("string"), "string"},
		{prim("null"), prim("boolean"), "boolean"},
		{prim("decimal(10,2)"), prim("double"), "double"},
		{prim("date"), prim("timestamp"), "string"},
		{s(Field{"a", prim("int")}), s(Field{"b", prim("string")}, Field{"A", prim("bigint")}), "struct<a:bigint,b:string>"},
		{&Type{Name: "array", Elem: prim("int")}, &Type{Name: "array", Elem: prim("double")}, "array<double>"},
		{&Type{Name: "array", Elem: prim("int")}, prim("int"), "string"},
	} {
		if got := Merge(tc.a, tc.b).String(); got != tc.want {
			t.Errorf("Merge(%s, %s) = %s, want %s", tc.a, tc.b, got, tc.want)
		}
	}
	if got := Similarity([]Field{{"a", nil}, {"b", nil}}, []Field{{"B", nil}, {"c", nil}}); got != 1.0/3 {
		t.Errorf("Similarity = %v", got)
	}
}

func FuzzFile(f *testing.F) {
	f.Add([]byte("a,b\n1,2\n"), "x.csv")
	f.Add([]byte(`{"a": [1, {"b": null}]}`), "x.json")
	f.Add([]byte("PAR1\x00\x00PAR1"), "x.parquet")
	f.Add([]byte("Obj\x01\x00"), "x.avro")
	f.Add(orcFile(uint64(orc.Zlib)), "x.orc")
	f.Add([]byte{0x1f, 0x8b, 0, 0}, "x.gz")
	f.Add([]byte{0, 0, 0, 9, 0, 0, 0, 3, 1, 2, 3}, "x.snappy")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		res, err := File(bytes.NewReader(data), int64(len(data)), name, Options{SampleBytes: 4096, JSON: []JSONClassifier{{JsonPath: "$[*]"}}})
		if err == nil && len(res.Columns) == 0 {
			t.Fatal("classified with no columns")
		}
	})
}
