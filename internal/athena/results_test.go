package athena

import (
	"reflect"
	"testing"
)

func strp(s string) *string { return &s }

func TestRowsCodec(t *testing.T) {
	for _, tc := range []struct {
		name string
		rows [][]*string
	}{
		{"none", nil},
		{"values and nulls", [][]*string{{strp("a"), nil, strp("")}, {nil, strp("ü,\"x\"\n"), strp("3")}}},
		{"empty row", [][]*string{{}}},
		{"long value", [][]*string{{strp(string(make([]byte, 300)))}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeRows(encodeRows(tc.rows))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.rows) {
				t.Fatalf("round trip: got %v, want %v", got, tc.rows)
			}
		})
	}
	// Pages that earlier versions stored as JSON.
	got, err := decodeRows([]byte(`[["a",null],["b","c"]]`))
	if want := [][]*string{{strp("a"), nil}, {strp("b"), strp("c")}}; err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("JSON page: got %v, %v; want %v", got, err, want)
	}
	for _, bad := range [][]byte{nil, {9}, {rowsV1, 5}, {rowsV1, 1, 9, 'a'}, {rowsV1, 1, 0xff}} {
		if _, err := decodeRows(bad); err == nil {
			t.Errorf("decodeRows(%v) took a corrupt page", bad)
		}
	}
}

func FuzzDecodeRows(f *testing.F) {
	f.Add(encodeRows([][]*string{{strp("a"), nil}, {strp("bc")}}))
	f.Add([]byte(`[["a"]]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := decodeRows(b)
		if err != nil || len(b) == 0 || b[0] != rowsV1 {
			return
		}
		again, err := decodeRows(encodeRows(rows))
		if err != nil || !reflect.DeepEqual(again, rows) {
			t.Fatalf("a decoded page does not round-trip: %v, %v", again, err)
		}
	})
}
