package orc

import (
	"bytes"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// handmade lays out an uncompressed single-stripe ORC file by hand, with
// the encodings and streams given, as other writers may make them.
func handmade(types []Type, rows uint64, streams []streamOut, encs []encoding) []byte {
	file := []byte("ORC")
	var sf []byte
	var dataLen uint64
	for _, st := range streams {
		file = append(file, st.data...)
		dataLen += uint64(len(st.data))
		var m []byte
		m = appendVarintField(m, 1, uint64(st.kind))
		m = appendVarintField(m, 2, uint64(st.column))
		m = appendVarintField(m, 3, uint64(len(st.data)))
		sf = appendMessage(sf, 1, m)
	}
	for _, e := range encs {
		m := appendVarintField(nil, 1, uint64(e.kind))
		if e.dictionarySize > 0 {
			m = appendVarintField(m, 2, uint64(e.dictionarySize))
		}
		sf = appendMessage(sf, 2, m)
	}
	file = append(file, sf...)
	var st []byte
	st = appendVarintField(st, 1, 3)
	st = appendVarintField(st, 3, dataLen)
	st = appendVarintField(st, 4, uint64(len(sf)))
	st = appendVarintField(st, 5, rows)
	footer := appendMessage(nil, 3, st)
	for _, t := range types {
		m := appendVarintField(nil, 1, uint64(t.Kind))
		for _, c := range t.Children { // not packed, as some writers do
			m = appendVarintField(m, 2, uint64(c))
		}
		for _, n := range t.Names {
			m = protowire.AppendTag(m, 3, protowire.BytesType)
			m = protowire.AppendString(m, n)
		}
		footer = appendMessage(footer, 4, m)
	}
	footer = appendVarintField(footer, 6, rows)
	file = append(file, footer...)
	var ps []byte
	ps = appendVarintField(ps, 1, uint64(len(footer)))
	ps = appendVarintField(ps, 2, 0)
	ps = protowire.AppendTag(ps, 8000, protowire.BytesType)
	ps = protowire.AppendString(ps, "ORC")
	file = append(file, ps...)
	return append(file, byte(len(ps)))
}

// Strings in dictionary form, version 1 and 2, whatever the dictionary's
// size: the encoding says which stream is the dictionary.
func TestDictionaryStrings(t *testing.T) {
	types := []Type{{Kind: Struct, Children: []int{1}, Names: []string{"s"}}, {Kind: String}}
	for _, tc := range []struct {
		enc   encoding
		ints  func([]int64) []byte
		index []int64
		want  string
	}{
		{encoding{encDictionaryV2, 2}, func(v []int64) []byte { return appendIntRLEv2(nil, v, false) }, []int64{1, 0}, "[bb a]"},
		{encoding{encDictionaryV2, 2}, func(v []int64) []byte { return appendIntRLEv2(nil, v, false) }, []int64{1, 1, 0}, "[bb bb a]"},
		// Version 1: a literal run of the indexes, then of the lengths.
		{encoding{encDictionary, 2}, func(v []int64) []byte {
			b := []byte{byte(-len(v))}
			for _, x := range v {
				b = append(b, byte(x))
			}
			return b
		}, []int64{0, 1, 1}, "[a bb bb]"},
	} {
		streams := []streamOut{
			{1, streamData, tc.ints(tc.index)},
			{1, streamLength, tc.ints([]int64{1, 2})},
			{1, streamDictionaryData, []byte("abb")},
		}
		b := handmade(types, uint64(len(tc.index)), streams, []encoding{{encDirect, 0}, tc.enc})
		f, err := Open(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		c, err := f.ReadStripe(0)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%s", c.Children[0].Bytes); got != tc.want {
			t.Errorf("%+v: got %s, want %s", tc.enc, got, tc.want)
		}
	}
}

// Decimals past 64 bits keep every bit.
func TestDecimalsPast64Bits(t *testing.T) {
	types := []Type{{Kind: Struct, Children: []int{1}, Names: []string{"d"}}, {Kind: Decimal, Precision: 38}}
	b := NewBuilder(types)
	var want []string
	for _, s := range []string{"9223372036854775807", "9223372036854775808", "-9223372036854775809", "-99999999999999999999999999999999999999"} {
		v, _ := new(big.Int).SetString(s, 10)
		b.Row()
		b.Decimal(1, v, 0)
		want = append(want, s)
	}
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, types, WriterOptions{})
	if err := w.WriteStripe(b.Stripe()); err != nil {
		t.Fatal(err)
	}
	w.Close()
	f, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.ReadStripe(0)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(c.Children[0].Decimals); got != "["+strings.Join(want, " ")+"]" {
		t.Fatalf("got %s, want %v", got, want)
	}
}

// Crafted tails fail Open cleanly: a block size past what a chunk header
// holds, and a type tree whose types have two parents (which would make
// every walk of it exponential).
func TestOpen_RefusesCraftedTails(t *testing.T) {
	file := []byte("ORC")
	file = append(file, 2, 0, 0, 0x10) // one compressed chunk of 1 byte
	var ps []byte
	ps = appendVarintField(ps, 1, 4)
	ps = appendVarintField(ps, 2, uint64(LZ4))
	ps = appendVarintField(ps, 3, 1<<63)
	ps = protowire.AppendTag(ps, 8000, protowire.BytesType)
	ps = protowire.AppendString(ps, "ORC")
	file = append(append(file, ps...), byte(len(ps)))
	if _, err := Open(bytes.NewReader(file), int64(len(file))); err == nil || !strings.Contains(err.Error(), "block size") {
		t.Errorf("block size 2^63: %v", err)
	}
	types := []Type{{Kind: Struct, Children: []int{1}, Names: []string{"a"}}}
	for i := 1; i <= 30; i++ {
		types = append(types, Type{Kind: Struct, Children: []int{i + 1, i + 1}, Names: []string{"x", "y"}})
	}
	types = append(types, Type{Kind: Long})
	b := handmade(types, 1, nil, nil)
	if _, err := Open(bytes.NewReader(b), int64(len(b))); err == nil || !strings.Contains(err.Error(), "more than one parent") {
		t.Errorf("a shared type: %v", err)
	}
}
