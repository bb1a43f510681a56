package s3

import (
	"testing"
	"time"
)

func TestDue(t *testing.T) {
	for _, tc := range []struct {
		written time.Time
		days    int
		want    time.Time
	}{
		// Written mid-day: the days are added, then rounded up to midnight UTC.
		{time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC), 1, time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)},
		{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 1, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)},
		{time.Date(2026, 1, 31, 23, 59, 0, 0, time.UTC), 30, time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)},
	} {
		if got := due(tc.written, tc.days); !got.Equal(tc.want) {
			t.Errorf("due(%v, %d) = %v, want %v", tc.written, tc.days, got, tc.want)
		}
	}
}

func TestCurrentAction(t *testing.T) {
	written := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	rules := []LifecycleRule{{ID: "r", Enabled: true, Filter: LifecycleFilter{Prefix: "raw/"},
		Transitions: []LifecycleTransition{{Days: 30, StorageClass: "STANDARD_IA"}, {Days: 90, StorageClass: "GLACIER"}},
		Expiration:  &LifecycleExpiration{Days: 365}}}
	big, small := int64(1<<20), int64(1000)
	for _, tc := range []struct {
		name     string
		key      string
		size     int64
		class    string
		after    time.Duration
		minSize  string
		want     int
		wantNone bool
		toClass  string
	}{
		{"too early", "raw/a", big, "", 29 * 24 * time.Hour, MinSizeAll128K, 0, true, ""},
		{"infrequent", "raw/a", big, "", 31 * 24 * time.Hour, MinSizeAll128K, lcTransition, false, "STANDARD_IA"},
		{"skips to the coldest due", "raw/a", big, "", 100 * 24 * time.Hour, MinSizeAll128K, lcTransition, false, "GLACIER"},
		{"never back up", "raw/a", big, "DEEP_ARCHIVE", 100 * 24 * time.Hour, MinSizeAll128K, 0, true, ""},
		{"too small", "raw/a", small, "", 100 * 24 * time.Hour, MinSizeAll128K, 0, true, ""},
		{"small to glacier by class", "raw/a", small, "", 100 * 24 * time.Hour, MinSizeVariesByClass, lcTransition, false, "GLACIER"},
		{"other prefix", "curated/a", big, "", 400 * 24 * time.Hour, MinSizeAll128K, 0, true, ""},
		{"expired", "raw/a", big, "GLACIER", 366 * 24 * time.Hour, MinSizeAll128K, lcExpire, false, ""},
	} {
		o := &objectRecord{Size: tc.size, StorageClass: tc.class, Modified: written, Stamp: 1}
		a, ok := currentAction(rules, tc.key, o, written.Add(tc.after), tc.minSize)
		if ok == tc.wantNone || ok && (a.kind != tc.want || a.class != tc.toClass) {
			t.Errorf("%s: got %+v %v", tc.name, a, ok)
		}
	}
}
