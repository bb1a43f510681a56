package glue

import (
	"testing"
	"time"
)

func TestCron_Next(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse("2006-01-02 15:04", s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct{ expr, from, want string }{
		{"cron(0 0 * * ? *)", "2026-11-22 15:22", "2026-11-23 00:00"},
		{"cron(0 0 * * ? *)", "2026-11-22 23:59", "2026-11-23 00:00"},
		{"cron(15 10 ? * MON-FRI *)", "2026-11-21 11:00", "2026-11-23 10:15"}, // Saturday -> Monday
		{"cron(0/15 * * * ? *)", "2026-11-22 15:22", "2026-11-22 15:30"},
		{"cron(0 12 L * ? *)", "2026-02-03 00:00", "2026-02-28 12:00"},
		{"cron(0 8 ? * 6L *)", "2026-11-01 00:00", "2026-11-27 08:00"},  // last Friday
		{"cron(0 8 ? * 2#1 *)", "2026-11-03 00:00", "2026-12-07 08:00"}, // first Monday
		{"cron(30 6 1 JAN,JUL ? 2027)", "2026-11-22 00:00", "2027-01-01 06:30"},
		{"cron(0 0 1 1 ? 2025)", "2026-11-22 00:00", "0001-01-01 00:00"},
		{"cron(5 * 31 * ? *)", "2026-11-22 00:00", "2026-12-31 00:05"},
	} {
		c, err := parseCron(tc.expr)
		if err != nil {
			t.Errorf("parseCron(%q): %v", tc.expr, err)
			continue
		}
		if got := c.Next(at(tc.from)); !got.Equal(at(tc.want)) {
			t.Errorf("%s after %s = %s, want %s", tc.expr, tc.from, got.Format("2006-01-02 15:04"), tc.want)
		}
	}
	for _, bad := range []string{"0 0 * * ? *", "cron(0 0 * * * *)", "cron(0 0 ? * ? *)", "cron(60 0 * * ? *)", "cron(0 0 * * ?)",
		"cron(0 0 15W * ? *)", "cron(0 0 ? * 2#6 *)", "cron(5-1 0 * * ? *)", "cron(*/0 0 * * ? *)", "cron(0 0 * FOO ? *)", "rate(5 minutes)"} {
		if _, err := parseCron(bad); err == nil {
			t.Errorf("parseCron(%q) succeeded", bad)
		}
	}
}

func FuzzCron(f *testing.F) {
	f.Add("cron(0 0 * * ? *)")
	f.Add("cron(0/5 8-17 ? * MON-FRI 2026-2030)")
	f.Add("cron(0 12 L * ? *)")
	f.Fuzz(func(t *testing.T, expr string) {
		c, err := parseCron(expr)
		if err != nil {
			return
		}
		from := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
		if n := c.Next(from); !n.IsZero() && !n.After(from) {
			t.Fatalf("%s: Next(%v) = %v", expr, from, n)
		}
	})
}
