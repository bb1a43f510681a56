package glue

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lakebox/lakebox/internal/glue/classify"
)

func file(key string, cls string, cols ...string) *crawlFile {
	res := &classify.Result{Classification: cls, Params: map[string]string{}}
	for _, c := range cols {
		res.Columns = append(res.Columns, classify.Field{Name: c, Type: &classify.Type{Name: "string"}})
	}
	f := &crawlFile{key: key, res: res}
	if d := key[:strings.LastIndexByte(key, '/')+1]; d != "" {
		f.dirs = strings.Split(strings.TrimSuffix(d, "/"), "/")
	}
	return f
}

func TestCrawler_Group(t *testing.T) {
	sales := []*crawlFile{
		file("sales/year=2024/a.parquet", "parquet", "id", "amount"),
		file("sales/year=2025/b.parquet", "parquet", "id", "amount", "region"),
	}
	mixed := append(slices.Clone(sales),
		file("orders/dt=1/x.csv", "csv", "a", "b"),
		file("top.json", "json", "k"),
	)
	for _, tc := range []struct {
		name   string
		files  []*crawlFile
		config string
		want   []string // root:depth
	}{
		{"NewColumnSplitsAboveThePartitions", sales, "", []string{"sales/:1"}},
		{"DifferentFormats", mixed, "", []string{":0", "orders/:1", "sales/:1"}},
		{"TableLevel", sales, `{"Version":1.0,"Grouping":{"TableLevelConfiguration":2}}`, []string{"sales/:1"}},
		{"DissimilarSchemas", []*crawlFile{file("a/1.json", "json", "x", "y", "z"), file("b/1.json", "json", "p", "q", "r")}, "", []string{"a/:0", "b/:0"}},
		{"CombineCompatible", []*crawlFile{file("a/1.json", "json", "x", "y", "z"), file("b/1.json", "json", "p", "q", "r")},
			`{"Version":1.0,"Grouping":{"TableGroupingPolicy":"CombineCompatibleSchemas"}}`, []string{":1"}},
		{"UnevenDepth", []*crawlFile{file("a/1.json", "json", "x"), file("a/b/2.json", "json", "x")}, "", []string{"a/:0", "a/b/:0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseCrawlerConfig(tc.config)
			if err != nil {
				t.Fatal(err)
			}
			c := &crawler{cfg: cfg, rec: &crawlerRecord{}}
			var got []string
			for _, spec := range c.group("b", "", tc.files, 1) {
				got = append(got, fmt.Sprintf("%s:%d", spec.root, spec.depth))
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("tables = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPartitionKeysAndValues(t *testing.T) {
	spec := &tableSpec{depth: 3, files: []*crawlFile{
		{dirs: []string{"Year=2024", "month=01", "x"}},
		{dirs: []string{"Year=2024", "mon=02", "y%3Az"}},
	}}
	if got := partitionKeys(spec); !slices.Equal(got, []string{"year", "partition_1", "partition_2"}) {
		t.Errorf("keys = %v", got)
	}
	if got := partitionValues(spec.files[1], 3); !slices.Equal(got, []string{"2024", "02", "y:z"}) {
		t.Errorf("values = %v", got)
	}
	if got := sanitizeName("Web-Logs.v2"); got != "web_logs_v2" {
		t.Errorf("sanitizeName = %q", got)
	}
}

func TestCompileGlob(t *testing.T) {
	for _, tc := range []struct {
		pattern, path string
		want          bool
	}{
		{"**/_tmp/**", "a/_tmp/x.json", true},
		{"**/_tmp/**", "_tmp/x.json", false},
		{"*.csv", "a.csv", true},
		{"*.csv", "dir/a.csv", false},
		{"**.csv", "dir/a.csv", true},
		{"{a,b}/*", "b/x", true},
		{"{a,b}/*", "c/x", false},
		{"file?.txt", "file1.txt", true},
		{"[!x]*", "y1", true},
		{"[!x]*", "x1", false},
	} {
		re, err := compileGlob(tc.pattern)
		if err != nil {
			t.Fatal(err)
		}
		if got := re.MatchString(tc.path); got != tc.want {
			t.Errorf("%q matches %q = %v, want %v", tc.pattern, tc.path, got, tc.want)
		}
	}
	for _, bad := range []string{"[abc", "{a,b", "a}"} {
		if _, err := compileGlob(bad); err == nil {
			t.Errorf("compileGlob(%q) succeeded", bad)
		}
	}
}
