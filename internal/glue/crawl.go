package glue

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"net/url"
	"path"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/lakebox/lakebox/internal/glue/classify"
)

// A crawl: list the targets, classify each file (reading only footers,
// headers or a sample), group folders into tables the way Glue does, and
// write tables and partitions as the crawler's policies say.

// crawlFile is one object a crawl looked at.
type crawlFile struct {
	key  string
	dirs []string // folders between the include path and the object
	size int64
	res  *classify.Result
}

// tableSpec is one table a crawl found: the files under root, partitioned
// by depth levels of folders.
type tableSpec struct {
	bucket string
	root   string // key prefix ending in "/", or "" for the bucket itself
	depth  int
	files  []*crawlFile
}

func (t *tableSpec) location() string { return "s3://" + t.bucket + "/" + t.root }

// crawlStats are a crawl's counts, for metrics and the history summary.
type crawlStats struct {
	tablesCreated, tablesUpdated, tablesDeleted int64
	partsAdded, partsUpdated, partsDeleted      int64
	filesRead, filesSkipped                     int64
}

func (st *crawlStats) summary() string {
	type count struct {
		Count int64 `json:"Count"`
	}
	out := map[string]map[string]count{}
	add := func(kind, op string, n int64) {
		if n > 0 {
			if out[kind] == nil {
				out[kind] = map[string]count{}
			}
			out[kind][op] = count{n}
		}
	}
	add("TABLE", "ADD", st.tablesCreated)
	add("TABLE", "UPDATE", st.tablesUpdated)
	add("TABLE", "DELETE", st.tablesDeleted)
	add("PARTITION", "ADD", st.partsAdded)
	add("PARTITION", "UPDATE", st.partsUpdated)
	add("PARTITION", "DELETE", st.partsDeleted)
	return string(mustJSON(out))
}

// crawler is one crawl in progress.
type crawler struct {
	s     *Service
	sc    scope
	rec   *crawlerRecord
	cfg   *crawlerConfig
	opts  classify.Options
	log   func(format string, args ...any)
	stats crawlStats
	// seen holds the locations of the tables this crawl wrote.
	seen map[string]bool
}

func (s *Service) crawl(ctx context.Context, sc scope, rec *crawlerRecord, logf func(string, ...any)) (*crawlStats, error) {
	if s.opts.Lake == nil {
		return nil, errors.New("no object store to crawl")
	}
	cfg, err := parseCrawlerConfig(rec.Configuration)
	if err != nil {
		return nil, err
	}
	c := &crawler{s: s, sc: sc, rec: rec, cfg: cfg, log: logf, seen: map[string]bool{}}
	if c.opts, err = s.classifierOptions(sc, rec.Classifiers); err != nil {
		return nil, err
	}
	t := rec.Targets
	if t == nil {
		return &c.stats, nil
	}
	if len(t.S3Targets) > 0 {
		if _, err := s.database(sc, rec.DatabaseName); err != nil {
			return nil, fmt.Errorf("database %s does not exist", rec.DatabaseName)
		}
	}
	for _, target := range t.S3Targets {
		if err := c.crawlS3(ctx, target); err != nil {
			return &c.stats, err
		}
	}
	for _, target := range t.CatalogTargets {
		for _, table := range target.Tables {
			if err := c.crawlCatalogTable(ctx, target.DatabaseName, table); err != nil {
				return &c.stats, err
			}
		}
	}
	if len(t.S3Targets) > 0 {
		if err := c.handleVanished(ctx); err != nil {
			return &c.stats, err
		}
	}
	return &c.stats, nil
}

// crawlS3 crawls one S3 target into tables of the crawler's database.
func (c *crawler) crawlS3(ctx context.Context, target S3Target) error {
	bucket, include, _ := parseS3Path(target.Path)
	if include != "" && !strings.HasSuffix(include, "/") {
		include += "/"
	}
	var excl []*regexp.Regexp
	for _, e := range target.Exclusions {
		re, err := compileGlob(e)
		if err != nil {
			return err
		}
		excl = append(excl, re)
	}
	known, err := c.knownFolders(bucket)
	if err != nil {
		return err
	}
	good, err := c.read(ctx, bucket, include, excl, known, target.SampleSize)
	if err != nil {
		return err
	}
	level := 1 + strings.Count(include, "/")
	for _, spec := range c.group(bucket, include, good, level) {
		if err := c.writeTable(ctx, spec, nil); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// knownFolders returns, for incremental crawls, the folders of partitions
// and unpartitioned tables already in the catalog: they are not read again.
func (c *crawler) knownFolders(bucket string) (map[string]bool, error) {
	if c.rec.RecrawlPolicy == nil || c.rec.RecrawlPolicy.RecrawlBehavior != "CRAWL_NEW_FOLDERS_ONLY" {
		return nil, nil
	}
	known := map[string]bool{}
	err := c.s.eachTable(c.sc, c.rec.DatabaseName, func(rec *tableRecord) error {
		if rec.StorageDescriptor == nil || !strings.HasPrefix(rec.StorageDescriptor.Location, "s3://"+bucket+"/") {
			return nil
		}
		if len(rec.PartitionKeys) == 0 {
			known[withSlash(rec.StorageDescriptor.Location)] = true
			return nil
		}
		return c.s.eachPartition(c.sc, rec, func(p *Partition) error {
			if p.StorageDescriptor != nil {
				known[withSlash(p.StorageDescriptor.Location)] = true
			}
			return nil
		})
	})
	return known, err
}

func withSlash(s string) string {
	if strings.HasSuffix(s, "/") {
		return s
	}
	return s + "/"
}

// list returns the files of a target that a crawl reads.
func (c *crawler) list(ctx context.Context, bucket, include string, excl []*regexp.Regexp, known map[string]bool, sample *int64) ([]*crawlFile, error) {
	var files []*crawlFile
	perDir := map[string]int64{}
	err := c.s.opts.Lake.List(ctx, c.sc.account, bucket, include, func(o LakeObject) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		rel := strings.TrimPrefix(o.Key, include)
		name := path.Base(rel)
		switch {
		case strings.HasSuffix(o.Key, "/") || strings.HasSuffix(o.Key, "_$folder$"):
			return nil // folder markers
		case strings.HasPrefix(name, "_") || strings.HasPrefix(name, "."):
			return nil // _SUCCESS, _temporary, .crc and other hidden files
		}
		for _, re := range excl {
			if re.MatchString(rel) {
				return nil
			}
		}
		dir := path.Dir(o.Key)
		if known != nil {
			for d := dir; d != "." && d != "/" && len(d)+1 >= len(include); d = path.Dir(d) {
				if known["s3://"+bucket+"/"+d+"/"] {
					return nil
				}
			}
		}
		if sample != nil {
			if perDir[dir] >= *sample {
				return nil
			}
			perDir[dir]++
		}
		f := &crawlFile{key: o.Key, size: o.Size}
		if d := path.Dir(rel); d != "." {
			f.dirs = strings.Split(d, "/")
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list s3://%s/%s: %w", bucket, include, err)
	}
	return files, nil
}

// read lists the files under include and classifies them; it returns the
// ones that were recognized.
func (c *crawler) read(ctx context.Context, bucket, include string, excl []*regexp.Regexp, known map[string]bool, sample *int64) ([]*crawlFile, error) {
	files, err := c.list(ctx, bucket, include, excl, known, sample)
	if err != nil {
		return nil, err
	}
	c.classifyAll(ctx, bucket, files)
	good := files[:0]
	for _, f := range files {
		if f.res != nil {
			good = append(good, f)
		}
	}
	return good, nil
}

// classifyAll classifies files in parallel; a file that cannot be read or
// recognized is logged and left without a result.
func (c *crawler) classifyAll(ctx context.Context, bucket string, files []*crawlFile) {
	work := make(chan *crawlFile)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for f := range work {
				res, err := c.classify(ctx, bucket, f)
				mu.Lock()
				if err != nil {
					c.stats.filesSkipped++
					c.log("Skipping s3://%s/%s: %v", bucket, f.key, err)
				} else {
					c.stats.filesRead++
					f.res = res
				}
				mu.Unlock()
			}
		})
	}
	for _, f := range files {
		if ctx.Err() != nil {
			break
		}
		work <- f
	}
	close(work)
	wg.Wait()
}

func (c *crawler) classify(ctx context.Context, bucket string, f *crawlFile) (res *classify.Result, err error) {
	defer func() {
		// A reader library tripping over a malformed file skips the file.
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("unreadable file (%v)", p)
		}
	}()
	obj, err := c.s.opts.Lake.Open(ctx, c.sc.account, bucket, f.key)
	if err != nil {
		return nil, err
	}
	defer obj.Close()
	return classify.File(obj, obj.Size(), f.key, c.opts)
}

// group decides the tables among files under include (at folder level
// level, the bucket being level 1), as Glue's crawler does: the include
// path is one table when all files below it sit at the same depth and
// have compatible schemas; otherwise each subfolder is considered on its
// own, and files directly in a folder form a table of that folder.
// Grouping.TableLevelConfiguration instead fixes the level of every table.
func (c *crawler) group(bucket, root string, files []*crawlFile, level int) []*tableSpec {
	if len(files) == 0 {
		return nil
	}
	want := c.cfg.Grouping.TableLevelConfiguration
	if want == 0 || level >= want {
		if want > 0 || c.compatible(files, hivePartitioned(files)) {
			if depth, ok := c.sameDepth(files); ok {
				return []*tableSpec{{bucket: bucket, root: root, depth: depth, files: files}}
			}
		}
	}
	var here []*crawlFile
	kids := map[string][]*crawlFile{}
	var order []string
	for _, f := range files {
		if len(f.dirs) == 0 {
			here = append(here, f)
			continue
		}
		d := f.dirs[0]
		if _, ok := kids[d]; !ok {
			order = append(order, d)
		}
		kids[d] = append(kids[d], &crawlFile{key: f.key, dirs: f.dirs[1:], size: f.size, res: f.res})
	}
	var specs []*tableSpec
	if len(here) > 0 {
		specs = append(specs, &tableSpec{bucket: bucket, root: root, files: here})
	}
	for _, d := range order {
		specs = append(specs, c.group(bucket, root+d+"/", kids[d], level+1)...)
	}
	return specs
}

// sameDepth reports the files' common folder depth, and false when they
// sit at different depths (group then looks at each subfolder alone).
func (c *crawler) sameDepth(files []*crawlFile) (int, bool) {
	depth := len(files[0].dirs)
	for _, f := range files[1:] {
		if len(f.dirs) != depth {
			return 0, false
		}
	}
	return depth, true
}

// hivePartitioned reports whether every file sits in key=value folders
// with the same keys at each level: such folders are partitions of one
// table, whatever columns each holds.
func hivePartitioned(files []*crawlFile) bool {
	first := files[0].dirs
	if len(first) == 0 {
		return false
	}
	for _, f := range files {
		if len(f.dirs) != len(first) {
			return false
		}
		for i, d := range f.dirs {
			k, _, ok := strings.Cut(d, "=")
			k0, _, _ := strings.Cut(first[i], "=")
			if !ok || k != k0 {
				return false
			}
		}
	}
	return true
}

// compatible reports whether files can be one table: the same format (and
// for delimited text the same delimiter and header), and schemas that
// share at least 70% of their columns (any schemas, with
// CombineCompatibleSchemas or in key=value partition folders).
func (c *crawler) compatible(files []*crawlFile, combine bool) bool {
	first := files[0].res
	combine = combine || c.cfg.Grouping.TableGroupingPolicy == "CombineCompatibleSchemas"
	for _, f := range files[1:] {
		r := f.res
		if r.Classification != first.Classification || r.Params["delimiter"] != first.Params["delimiter"] ||
			r.Params["skip.header.line.count"] != first.Params["skip.header.line.count"] {
			return false
		}
		if !combine && classify.Similarity(first.Columns, r.Columns) < 0.7 {
			return false
		}
	}
	return true
}

// partitionKeys names a table's partition keys from its folders: the key
// of key=value folders when every folder at that level agrees, otherwise
// partition_<level>.
func partitionKeys(spec *tableSpec) []string {
	keys := make([]string, spec.depth)
	for i := range keys {
		name := ""
		for _, f := range spec.files {
			k, _, ok := strings.Cut(f.dirs[i], "=")
			if !ok || (name != "" && k != name) {
				name = ""
				break
			}
			name = k
		}
		if name == "" {
			name = fmt.Sprintf("partition_%d", i)
		}
		keys[i] = sanitizeName(name)
	}
	return keys
}

// partitionValues are a file's values: the value of key=value folders,
// unescaped as Hive escapes them, or the folder name.
func partitionValues(f *crawlFile, depth int) []string {
	vals := make([]string, depth)
	for i := range vals {
		v := f.dirs[i]
		if _, after, ok := strings.Cut(v, "="); ok {
			v = after
		}
		if u, err := url.PathUnescape(v); err == nil {
			v = u
		}
		vals[i] = v
	}
	return vals
}

var nonName = regexp.MustCompile(`[^a-z0-9_]`)

// sanitizeName makes a folder name a Glue table or column name: lowercase,
// characters other than letters, digits and underscore become underscores.
func sanitizeName(s string) string { return nonName.ReplaceAllString(strings.ToLower(s), "_") }

// tableName is the name a spec's table gets: the crawler's prefix and the
// root folder's (or the bucket's) name.
func (c *crawler) tableName(spec *tableSpec) string {
	base := spec.bucket
	if spec.root != "" {
		base = path.Base(spec.root)
	}
	return strings.ToLower(c.rec.TablePrefix) + sanitizeName(base)
}

// describe turns a group of files into columns and storage settings.
func describeFiles(files []*crawlFile) (cols []classify.Field, res *classify.Result, size, records int64) {
	res = files[0].res
	for _, f := range files {
		cols = classify.MergeFields(cols, f.res.Columns)
		size += f.size
		records += f.res.Records
	}
	return cols, res, size, records
}

func toColumns(fs []classify.Field, drop map[string]bool) []Column {
	out := make([]Column, 0, len(fs))
	for _, f := range fs {
		if drop[strings.ToLower(f.Name)] {
			continue
		}
		out = append(out, Column{Name: f.Name, Type: classify.Settled(f.Type).String()})
	}
	return out
}

// storage builds the storage descriptor and parameters of a table or
// partition.
func (c *crawler) storage(location string, cols []Column, res *classify.Result, size, records int64, objects int) (*StorageDescriptor, map[string]string) {
	params := map[string]string{
		"classification":  res.Classification,
		"compressionType": res.Params["compressionType"],
		"typeOfData":      "file",
		"objectCount":     strconv.Itoa(objects),
		"recordCount":     strconv.FormatInt(records, 10),
		"sizeKey":         strconv.FormatInt(size, 10),
		"averageRecordSize": func() string {
			if records == 0 {
				return "0"
			}
			return strconv.FormatInt(size/records, 10)
		}(),
		"UPDATED_BY_CRAWLER":               c.rec.Name,
		"CrawlerSchemaDeserializerVersion": "1.0",
		"CrawlerSchemaSerializerVersion":   "1.0",
	}
	for _, k := range []string{"delimiter", "skip.header.line.count", "areColumnsQuoted", "columnsOrdered"} {
		if v, ok := res.Params[k]; ok {
			params[k] = v
		}
	}
	sd := &StorageDescriptor{
		Columns:         cols,
		Location:        location,
		InputFormat:     res.InputFormat,
		OutputFormat:    res.OutputFormat,
		Compressed:      res.Compression != "",
		NumberOfBuckets: -1,
		SerdeInfo:       &SerDeInfo{SerializationLibrary: res.SerDe, Parameters: maps.Clone(res.SerDeParams)},
		BucketColumns:   []string{},
		SortColumns:     []Order{},
		Parameters:      maps.Clone(params),
	}
	return sd, params
}

func hash8(s string) string {
	h := fnv.New32a()
	h.Write([]byte(s))
	return fmt.Sprintf("%08x", h.Sum32())
}

// sameColumns compares column lists by name and type.
func sameColumns(a, b []Column) bool {
	return slices.EqualFunc(a, b, func(x, y Column) bool { return strings.EqualFold(x.Name, y.Name) && x.Type == y.Type })
}
