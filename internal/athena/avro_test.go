package athena

import (
	"bytes"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hamba/avro/v2"
	"github.com/hamba/avro/v2/ocf"
)

const avroTestSchema = `{"type":"record","name":"R","fields":[
	{"name":"id","type":"long"},
	{"name":"name","type":["null","string"]},
	{"name":"both","type":["int","string"]},
	{"name":"f","type":"float"},
	{"name":"day","type":{"type":"int","logicalType":"date"}},
	{"name":"amount","type":{"type":"fixed","name":"Amount","size":8,"logicalType":"decimal","precision":18,"scale":3}},
	{"name":"raw","type":"bytes"},
	{"name":"m","type":{"type":"map","values":"string"}}]}`

func avroTestFile(t testing.TB) []byte {
	var buf bytes.Buffer
	enc, err := ocf.NewEncoder(avroTestSchema, &buf, ocf.WithEncoderSchemaCache(&avro.SchemaCache{}))
	if err != nil {
		t.Fatal(err)
	}
	amount, _ := new(big.Rat).SetString("-12.5")
	if err := enc.Encode(map[string]any{"id": int64(7), "name": nil, "both": map[string]any{"string": "x"}, "f": float32(0.5),
		"day": time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), "amount": amount, "raw": []byte{0, 255}, "m": map[string]any{`"k"`: "v"}}); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Every Avro type reads as the JSON the declared Hive types expect.
func TestAvroJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "part.avro")
	if err := os.WriteFile(path, avroTestFile(t), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := avroJSON(path)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(out)
	want := `{"id":7,"name":null,"both":"x","f":0.5,"day":"2024-02-29","amount":"-12.500","raw":"AP8=","m":{"\"k\"":"v"}}` + "\n"
	if string(got) != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// No file, however damaged, crashes the reader: it fails the query.
func FuzzAvroJSON(f *testing.F) {
	good := avroTestFile(f)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte("Obj\x01"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "f.avro")
		os.Remove(path + ".json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		avroJSON(path)
	})
}
