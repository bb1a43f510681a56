package epoch

import (
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"
)

func TestTime_JSON(t *testing.T) {
	for _, tc := range []struct {
		in   time.Time
		wire string
	}{
		{time.Unix(1700000000, 0), "1700000000"},
		{time.Unix(1700000000, 123e6), "1700000000.123"},
		{time.Unix(1700000000, 5e8), "1700000000.5"},
		{time.Unix(1700000000, 10e6+999), "1700000000.01"},
	} {
		b, err := json.Marshal(New(tc.in))
		if err != nil || string(b) != tc.wire {
			t.Errorf("Marshal(%v) = %s, %v; want %s", tc.in, b, err, tc.wire)
		}
		var back Time
		if err := json.Unmarshal(b, &back); err != nil || !back.Equal(New(tc.in).Time) {
			t.Errorf("Unmarshal(%s) = %v, %v; want %v", b, back, err, New(tc.in))
		}
	}
	var v Time
	if err := json.Unmarshal([]byte(`"2024-05-01T10:00:00Z"`), &v); err != nil || v.Unix() != 1714557600 {
		t.Errorf("RFC 3339 string: %v, %v", v, err)
	}
	for _, bad := range []string{`"yesterday"`, `true`, `1e400`, `{}`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("Unmarshal(%s) succeeded", bad)
		}
	}
}

func TestTime_CBOR(t *testing.T) {
	for _, tc := range []struct {
		ms   int64
		wire string // hex
	}{
		{0, "c100"},
		{23, "c117"},
		{24, "c11818"},
		{65535, "c119ffff"},
		{65536, "c11a00010000"},
		{1700000000123, "c11b0000018bcfe5687b"},
		{-1, "c120"},
		{-1000, "c13903e7"},
	} {
		b, err := New(time.UnixMilli(tc.ms)).MarshalCBOR()
		if err != nil || hex.EncodeToString(b) != tc.wire {
			t.Errorf("%d ms = %x (%v), want %s", tc.ms, b, err, tc.wire)
		}
	}
}
