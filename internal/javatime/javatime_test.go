package javatime

import (
	"testing"
	"time"
)

func TestFormat(t *testing.T) {
	at := time.Date(2024, 3, 7, 15, 4, 9, 123456789, time.UTC)
	for _, tc := range []struct {
		pattern, want string
		finest        Unit
	}{
		{"yyyy/MM/dd/HH", "2024/03/07/15", Hours},
		{"yyyy-MM-dd", "2024-03-07", Days},
		{"'year='yyyy'/month='MM", "year=2024/month=03", Months},
		{"yy M d H m s", "24 3 7 15 4 9", Seconds},
		{"yyyyMMddHHmmss.SSS", "20240307150409.123", Seconds},
		{"MMM MMMM EEE EEEE", "Mar March Thu Thursday", Days},
		{"h a D", "3 PM 67", Hours},
		{"'it''s' yyyy", "it's 2024", Years},
		{"''yyyy''", "'2024'", Years},
		{"'v1_'yyyy", "v1_2024", Years},
	} {
		p, err := Compile(tc.pattern)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tc.pattern, err)
		}
		if got := p.Format(at); got != tc.want {
			t.Errorf("Format(%q) = %q, want %q", tc.pattern, got, tc.want)
		}
		if p.Finest() != tc.finest {
			t.Errorf("Finest(%q) = %v, want %v", tc.pattern, p.Finest(), tc.finest)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	for _, pattern := range []string{"yyyy'", "yyyy-Q", "MMMMM"} {
		if _, err := Compile(pattern); err == nil {
			t.Errorf("Compile(%q) succeeded", pattern)
		}
	}
}

func TestParseRoundTrip(t *testing.T) {
	at := time.Date(2024, 11, 30, 21, 5, 9, 0, time.UTC)
	for _, pattern := range []string{"yyyy-MM-dd HH:mm:ss", "yyyy/MM/dd", "dd MMM yyyy h:mm a", "yyyy-MM-dd'T'HH:mm:ss"} {
		p, err := Compile(pattern)
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.Parse(p.Format(at), time.UTC)
		if err != nil {
			t.Fatalf("Parse(%q): %v", pattern, err)
		}
		if p.Format(got) != p.Format(at) {
			t.Errorf("%q: round trip gave %v", pattern, got)
		}
	}
	p, _ := Compile("'v1'yyyy")
	if _, err := p.GoLayout(); err == nil {
		t.Errorf("GoLayout of a literal with digits succeeded")
	}
}

func FuzzCompile(f *testing.F) {
	for _, s := range []string{"yyyy/MM/dd", "'a''b'HH", "''", "'"} {
		f.Add(s)
	}
	at := time.Date(2024, 3, 7, 15, 4, 9, 0, time.UTC)
	f.Fuzz(func(t *testing.T, pattern string) {
		if p, err := Compile(pattern); err == nil {
			p.Format(at)
			p.GoLayout()
		}
	})
}
