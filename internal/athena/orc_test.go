package athena

import (
	"bytes"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lakebox/lakebox/internal/orc"
)

// orcTestFile is two rows of
//
//	struct<ID:bigint, Name:string, amount:decimal(10,2), day:date, ts:timestamp,
//	       raw:binary, tags:array<string>, counts:map<int,double>, addr:struct<City:string>>
//
// the second one null in every column but ID.
func orcTestFile(t testing.TB) []byte {
	types := []orc.Type{
		{Kind: orc.Struct, Children: []int{1, 2, 3, 4, 5, 6, 7, 9, 12}, Names: []string{"ID", "Name", "amount", "day", "ts", "raw", "tags", "counts", "addr"}},
		{Kind: orc.Long}, {Kind: orc.String}, {Kind: orc.Decimal, Precision: 10, Scale: 2}, {Kind: orc.Date},
		{Kind: orc.Timestamp}, {Kind: orc.Binary},
		{Kind: orc.List, Children: []int{8}}, {Kind: orc.String},
		{Kind: orc.Map, Children: []int{10, 11}}, {Kind: orc.Int}, {Kind: orc.Double},
		{Kind: orc.Struct, Children: []int{13}, Names: []string{"City"}}, {Kind: orc.String},
	}
	first := []bool{true, false}
	row := &orc.Column{ID: 0, Rows: 2, Children: []*orc.Column{
		{ID: 1, Rows: 2, Ints: []int64{7, 8}},
		{ID: 2, Rows: 2, Present: first, Bytes: [][]byte{[]byte(`a "quoted" é`)}},
		{ID: 3, Rows: 2, Present: first, Decimals: []*big.Int{big.NewInt(-1250)}, Scales: []int64{2}},
		{ID: 4, Rows: 2, Present: first, Ints: []int64{19782}},
		{ID: 5, Rows: 2, Present: first, Times: []time.Time{time.Date(2024, 2, 29, 23, 59, 1, 500_000_000, time.UTC)}},
		{ID: 6, Rows: 2, Present: first, Bytes: [][]byte{{0, 255}}},
		{ID: 7, Rows: 2, Present: first, Lengths: []int64{2}, Children: []*orc.Column{
			{ID: 8, Rows: 2, Present: []bool{true, false}, Bytes: [][]byte{[]byte("x")}}}},
		{ID: 9, Rows: 2, Present: first, Lengths: []int64{1}, Children: []*orc.Column{
			{ID: 10, Rows: 1, Ints: []int64{3}}, {ID: 11, Rows: 1, Floats: []float64{0.5}}}},
		{ID: 12, Rows: 2, Present: first, Children: []*orc.Column{
			{ID: 13, Rows: 1, Bytes: [][]byte{[]byte("Lisbon")}}}},
	}}
	var buf bytes.Buffer
	w, err := orc.NewWriter(&buf, types, orc.WriterOptions{Compression: orc.Zlib})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteStripe(row); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Every ORC type reads as the JSON the declared Hive types expect, keyed
// by the file's names or, by position, by the table's.
func TestORCJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "part.orc")
	if err := os.WriteFile(path, orcTestFile(t), 0o644); err != nil {
		t.Fatal(err)
	}
	byName, err := orcJSON(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(byName)
	want := `{"ID":7,"Name":"a \"quoted\" é","amount":"-12.50","day":"2024-02-29","ts":"2024-02-29 23:59:01.5","raw":"\\x00\\xFF","tags":["x",null],"counts":{"3":0.5},"addr":{"City":"Lisbon"}}` + "\n" +
		`{"ID":8,"Name":null,"amount":null,"day":null,"ts":null,"raw":null,"tags":null,"counts":null,"addr":null}` + "\n"
	if string(got) != want {
		t.Fatalf("by name:\n got %s\nwant %s", got, want)
	}
	// By position: the table's names, as many as both have.
	byIndex, err := orcJSON(path, []string{"id", "label"})
	if err != nil {
		t.Fatal(err)
	}
	got, _ = os.ReadFile(byIndex)
	if want := "{\"id\":7,\"label\":\"a \\\"quoted\\\" é\"}\n{\"id\":8,\"label\":null}\n"; string(got) != want {
		t.Fatalf("by index:\n got %s\nwant %s", got, want)
	}
	if other, _ := orcJSON(path, []string{"x", "y"}); other == byIndex || other == byName {
		t.Fatal("two lists of names share one JSON file")
	}
}

// No file, however damaged, crashes the reader: it fails the query.
func FuzzORCJSON(f *testing.F) {
	good := orcTestFile(f)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte("ORC"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "f.orc")
		os.Remove(path + ".json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		orcJSON(path, nil)
	})
}

// The engine's JSON lines become ORC files, one per partition, the
// partition keys left to the folders, every value typed by its Hive type;
// and read back as they were written.
func TestWriteORC(t *testing.T) {
	dir := t.TempDir()
	rows := filepath.Join(dir, "rows.json")
	if err := os.WriteFile(rows, []byte(`{"id":1,"amount":12.5,"at":"2024-03-01 09:30:00.25","tags":["a",null],"m":{"7":1.5},"s":{"x":1,"y":"q"},"j":[1,2],"dt":"2024-03-01"}
{"id":2,"amount":null,"at":null,"tags":[],"m":{},"s":null,"j":null,"dt":null}
{"id":3,"amount":-0.05,"at":"1969-12-31 23:59:59","tags":null,"m":null,"s":{"x":null,"y":null},"j":{"k":true},"dt":"2024-03-01"}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	names := []string{"id", "amount", "at", "tags", "m", "s", "j", "dt"}
	types := []string{"bigint", "decimal(10,2)", "timestamp", "array<string>", "map<int,double>", "struct<x:int,y:string>", "string", "date"}
	out := filepath.Join(dir, "out")
	if err := writeORC(rows, out, names, types, []string{"dt"}, "SNAPPY"); err != nil {
		t.Fatal(err)
	}
	read := func(path string) string {
		t.Helper()
		lines, err := orcJSON(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(lines)
		return string(b)
	}
	if got, want := read(filepath.Join(out, "dt=2024-03-01", "data.orc")),
		`{"id":1,"amount":"12.50","at":"2024-03-01 09:30:00.25","tags":["a",null],"m":{"7":1.5},"s":{"x":1,"y":"q"},"j":"[1,2]"}`+"\n"+
			`{"id":3,"amount":"-0.05","at":"1969-12-31 23:59:59","tags":null,"m":null,"s":{"x":null,"y":null},"j":"{\"k\":true}"}`+"\n"; got != want {
		t.Fatalf("partition 2024-03-01:\n got %s\nwant %s", got, want)
	}
	if got := read(filepath.Join(out, "dt=__HIVE_DEFAULT_PARTITION__", "data.orc")); got != `{"id":2,"amount":null,"at":null,"tags":[],"m":{},"s":null,"j":null}`+"\n" {
		t.Fatalf("NULL partition: %s", got)
	}
	// Unpartitioned: one file beside out; a value that does not fit its
	// type fails the write with Athena's error.
	if err := writeORC(rows, out, names, types, nil, "NONE"); err != nil {
		t.Fatal(err)
	}
	if got := read(out + ".orc"); strings.Count(got, "\n") != 3 || !strings.Contains(got, `"dt":"2024-03-01"`) {
		t.Fatalf("unpartitioned:\n%s", got)
	}
	types[0] = "boolean"
	if err := writeORC(rows, out, names, types, nil, "NONE"); err == nil || !strings.Contains(err.Error(), "HIVE_WRITER_DATA_ERROR: column id") {
		t.Fatalf("id as boolean: %v", err)
	}
}
