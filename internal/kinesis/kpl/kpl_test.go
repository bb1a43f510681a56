package kpl

import (
	"crypto/md5"
	"errors"
	"reflect"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	recs := []UserRecord{
		{PartitionKey: "a", Data: []byte("one")},
		{PartitionKey: "b", ExplicitHashKey: "12345", Data: []byte("two")},
		{PartitionKey: "a", Data: []byte{}},
	}
	agg := Aggregate(recs)
	if !IsAggregate(agg) {
		t.Fatal("an aggregate is not recognized")
	}
	got, err := Deaggregate("outer", agg)
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		recs[i].SubSequence, recs[i].Aggregated = i, true
		if recs[i].Data == nil {
			recs[i].Data = []byte{}
		}
	}
	if len(got) != 3 || got[2].Data == nil {
		t.Fatalf("got %+v", got)
	}
	got[2].Data = []byte{}
	if !reflect.DeepEqual(got, recs) {
		t.Fatalf("got %+v\nwant %+v", got, recs)
	}
}

func TestNotAggregated(t *testing.T) {
	agg := Aggregate([]UserRecord{{PartitionKey: "a", Data: []byte("x")}})
	broken := append([]byte(nil), agg...)
	broken[len(broken)-1] ^= 1 // the checksum no longer holds
	for name, data := range map[string][]byte{"plain": []byte("just data"), "short": Magic, "bad checksum": broken, "empty": nil} {
		got, err := Deaggregate("pk", data)
		if err != nil || len(got) != 1 || got[0].PartitionKey != "pk" || got[0].Aggregated || string(got[0].Data) != string(data) {
			t.Errorf("%s: %+v, %v", name, got, err)
		}
	}
}

func TestCorrupt(t *testing.T) {
	// A valid checksum over a protobuf whose record names a missing key.
	msg := []byte{3<<3 | 2, 4, 1 << 3, 5, 3<<3 | 2, 0}
	data := withChecksum(msg)
	if _, err := Deaggregate("pk", data); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Deaggregate = %v, want ErrCorrupt", err)
	}
}

func withChecksum(msg []byte) []byte {
	agg := Aggregate(nil) // magic + empty message + MD5 of nothing
	out := append(append([]byte(nil), agg[:len(Magic)]...), msg...)
	return append(out, md5Of(msg)...)
}

func FuzzDeaggregate(f *testing.F) {
	f.Add(Aggregate([]UserRecord{{PartitionKey: "a", Data: []byte("one")}, {PartitionKey: "b", ExplicitHashKey: "1", Data: []byte("two")}}))
	f.Add([]byte("plain"))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := Deaggregate("pk", data)
		if err != nil {
			return
		}
		if len(recs) == 0 && !IsAggregate(data) {
			t.Fatal("a plain record gave no user records")
		}
		// What decodes re-encodes to something that decodes the same.
		if IsAggregate(data) {
			again, err := Deaggregate("pk", Aggregate(recs))
			if err != nil || len(again) != len(recs) {
				t.Fatalf("re-aggregating: %v, %d != %d", err, len(again), len(recs))
			}
		}
	})
}

func md5Of(b []byte) []byte {
	s := md5.Sum(b)
	return s[:]
}
