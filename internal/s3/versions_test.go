package s3

import (
	"testing"
)

func TestVersionID(t *testing.T) {
	for _, stamp := range []uint64{1, 1795000000123456789, 1<<64 - 1} {
		id := newVersionID(stamp)
		got, ok := versionStamp(id)
		if !ok || got != stamp {
			t.Fatalf("versionStamp(newVersionID(%d)) = %d, %v", stamp, got, ok)
		}
	}
	// Ids sort as their stamps do.
	if a, b := newVersionID(1000), newVersionID(1001); a >= b {
		t.Fatalf("%s >= %s", a, b)
	}
	for _, tc := range []struct {
		in        string
		id        string
		given, ok bool
	}{
		{"", "", false, true},
		{"null", "", true, true},
		{"01G65Z755AFWAKHE12NY0CQ9FH", "01G65Z755AFWAKHE12NY0CQ9FH", true, true}, // well formed, maybe absent
		{"invalid_versionId", "", false, false},
		{"01G65Z755AFWAKHE12NY0CQ9F", "", false, false},  // 25 characters
		{"01G65Z755AFWAKHE12NY0CQ9FU", "", false, false}, // U is not Crockford base32
		{"NULL", "", false, false},
	} {
		id, given, err := parseVersionID(tc.in)
		if (err == nil) != tc.ok || id != tc.id || given != tc.given {
			t.Errorf("parseVersionID(%q) = %q, %v, %v", tc.in, id, given, err)
		}
	}
}

func FuzzParseVersionID(f *testing.F) {
	f.Add("null")
	f.Add(newVersionID(42))
	f.Add("01G65Z755AFWAKHE12NY0CQ9FH")
	f.Fuzz(func(t *testing.T, s string) {
		id, given, err := parseVersionID(s)
		if err != nil {
			return
		}
		if s != "" && !given {
			t.Fatalf("%q parsed as no version", s)
		}
		if id != "" {
			if _, ok := versionStamp(id); !ok {
				t.Fatalf("accepted %q without a stamp", s)
			}
		}
	})
}
