package athena

import (
	"strings"
	"testing"
	"time"
)

func TestProjectionRanges(t *testing.T) {
	now := time.Date(2024, 3, 1, 10, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		got  func() ([]string, error)
		want string // values joined by " ", or "error: <text>"
	}{
		{"integer", func() ([]string, error) { return integerRange("1,3", "", "") }, "1 2 3"},
		{"integer interval and digits", func() ([]string, error) { return integerRange("-2,8", "5", "3") }, "-02 003 008"},
		{"integer backwards", func() ([]string, error) { return integerRange("3,1", "", "") }, "error: is not 'low,high'"},
		{"integer huge", func() ([]string, error) { return integerRange("0,9999999999", "", "") }, "error: more than 1000000"},
		{"days", func() ([]string, error) { return dateRange("2024/02/28,2024/03/01", "yyyy/MM/dd", "", "", now) }, "2024/02/28 2024/02/29 2024/03/01"},
		{"now relative", func() ([]string, error) { return dateRange("NOW-2DAYS,NOW", "yyyy-MM-dd", "", "", now) }, "2024-02-28 2024-02-29 2024-03-01"},
		{"hours, quoted literal", func() ([]string, error) {
			return dateRange("2024-03-01T08,NOW", "yyyy-MM-dd'T'HH", "", "", now)
		}, "2024-03-01T08 2024-03-01T09 2024-03-01T10"},
		{"months by unit", func() ([]string, error) { return dateRange("2023-11,2024-03", "yyyy-MM", "2", "MONTHS", now) }, "2023-11 2024-01 2024-03"},
		{"bad bound", func() ([]string, error) { return dateRange("yesterday,NOW", "yyyy-MM-dd", "", "", now) }, "error: does not match the format"},
		{"bad now", func() ([]string, error) { return dateRange("NOW-2FORTNIGHTS,NOW", "yyyy-MM-dd", "", "", now) }, "error: is not NOW[+-N UNIT]"},
		{"unknown letter", func() ([]string, error) { return dateRange("NOW,NOW", "yyyy-ww", "", "", now) }, "error: pattern letter w"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vals, err := tc.got()
			got := strings.Join(vals, " ")
			if err != nil {
				got = "error: " + err.Error()
			}
			if want, ok := strings.CutPrefix(tc.want, "error: "); ok {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Fatalf("got %q, want an error with %q", got, want)
				}
				return
			}
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}
