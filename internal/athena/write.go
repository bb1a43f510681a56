package athena

import (
	"context"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/glue"
	"github.com/lakebox/lakebox/internal/orc"
	"github.com/lakebox/lakebox/internal/sqlengine"
)

// CREATE TABLE AS SELECT and INSERT INTO: the engine writes the query's
// rows to files (Parquet, delimited text or JSON), which become objects
// under the table's location; new partitions are registered in the
// catalog.

var (
	ctasStmt   = regexp.MustCompile("(?is)^CREATE\\s+TABLE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?`?([\\w-]+)`?(?:\\.`?([\\w-]+)`?)?\\s*(WITH\\s*\\((.*?)\\))?\\s*AS\\s+(.+?)(\\s+WITH\\s+(NO\\s+)?DATA)?$")
	insertStmt = regexp.MustCompile("(?is)^INSERT\\s+INTO\\s+`?([\\w-]+)`?(?:\\.`?([\\w-]+)`?)?\\s+(.+)$")
	withProp   = regexp.MustCompile(`(?is)\s*(\w+)\s*=\s*(ARRAY\s*\[[^\]]*\]|'(?:[^']|'')*'|[\w.]+)\s*(?:,|$)`)
)

// writeFormat is how new files are written.
type writeFormat struct {
	name        string // PARQUET, ORC, TEXTFILE, JSON
	compression string // SNAPPY, GZIP, ZSTD, NONE; ZLIB for ORC
	delimiter   string
}

func (f writeFormat) copyOptions() string {
	switch f.name {
	case "PARQUET":
		return "FORMAT parquet, COMPRESSION " + quoteString(strings.ToLower(f.compression))
	case "JSON":
		return "FORMAT json, COMPRESSION " + quoteString(strings.ToLower(textCompression(f.compression)))
	}
	return "FORMAT csv, HEADER false, DELIMITER " + quoteString(f.delimiter) + ", COMPRESSION " + quoteString(strings.ToLower(textCompression(f.compression)))
}

// checkCompression refuses a compression the format is not written with.
func (f writeFormat) checkCompression() error {
	if f.name == "ORC" {
		if _, ok := orc.CompressionNamed(f.compression); !ok {
			return userError(errSyntax, "NOT_SUPPORTED: ORC write_compression %s is not supported by Lakebox yet (ZLIB, SNAPPY, ZSTD or NONE)", f.compression)
		}
		return nil
	}
	switch f.compression {
	case "SNAPPY", "GZIP", "ZSTD", "NONE":
		return nil
	}
	return userError(errSyntax, "NOT_SUPPORTED: write_compression %s is not supported by Lakebox yet", f.compression)
}

func textCompression(c string) string {
	if c == "SNAPPY" {
		return "NONE" // DuckDB does not write snappy text
	}
	return c
}

func (f writeFormat) extension() string {
	ext := map[string]string{"PARQUET": ".parquet", "ORC": ".orc", "JSON": ".json", "TEXTFILE": ".csv"}[f.name]
	switch {
	case f.name == "ORC":
	case f.name != "PARQUET" && f.compression == "GZIP":
		ext += ".gz"
	case f.name != "PARQUET" && f.compression == "ZSTD":
		ext += ".zst"
	}
	return ext
}

// storage is the catalog description of files written in this format.
func (f writeFormat) storage(location string, cols []glue.Column) *glue.StorageDescriptor {
	sd := &glue.StorageDescriptor{Columns: cols, Location: location, SerdeInfo: &glue.SerDeInfo{Parameters: map[string]string{}}}
	var formats [3]string
	switch f.name {
	case "PARQUET", "ORC":
		formats = storedAs[f.name]
		sd.SerdeInfo.Parameters["serialization.format"] = "1"
	case "JSON":
		formats = storedAs["JSONFILE"]
	default:
		formats = storedAs["TEXTFILE"]
		sd.SerdeInfo.Parameters["field.delim"] = f.delimiter
	}
	sd.InputFormat, sd.OutputFormat, sd.SerdeInfo.SerializationLibrary = formats[0], formats[1], formats[2]
	sd.Compressed = f.compression != "NONE"
	return sd
}

func formatOf(t *glue.Table) (writeFormat, error) {
	ff, err := tableFormat(t)
	if err != nil {
		return writeFormat{}, err
	}
	switch ff.kind {
	case "parquet":
		return writeFormat{name: "PARQUET", compression: "SNAPPY"}, nil
	case "json":
		return writeFormat{name: "JSON", compression: "NONE"}, nil
	case "orc":
		c := strings.ToUpper(firstOr(t.Parameters["orc.compress"], "ZLIB"))
		if _, ok := orc.CompressionNamed(c); !ok {
			return writeFormat{}, userError(errUser, "NOT_SUPPORTED: INSERT INTO an ORC table of orc.compress %s is not supported by Lakebox yet", c)
		}
		return writeFormat{name: "ORC", compression: c}, nil
	case "avro":
		return writeFormat{}, userError(errUser, "NOT_SUPPORTED: INSERT INTO an Avro table is not supported by Lakebox yet")
	}
	if ff.quote != "" && strings.Contains(strings.ToLower(t.StorageDescriptor.SerdeInfo.SerializationLibrary), "opencsv") {
		return writeFormat{}, userError(errUser, "NOT_SUPPORTED: INSERT INTO an OpenCSVSerde table is not supported by Lakebox yet")
	}
	return writeFormat{name: "TEXTFILE", compression: "NONE", delimiter: ff.delimiter}, nil
}

// ctas runs CREATE TABLE ... AS SELECT; ok is false for other statements.
func (s *Service) ctas(ctx context.Context, sc scope, rec *queryRecord, q string) (*result, bool, error) {
	m := ctasStmt.FindStringSubmatch(q)
	if m == nil {
		return nil, false, nil
	}
	db, name := strings.ToLower(rec.QueryExecutionContext.Database), strings.ToLower(m[2])
	if m[3] != "" {
		db, name = strings.ToLower(m[2]), strings.ToLower(m[3])
	}
	if db == "" {
		return nil, true, userError(errSyntax, "line 1:1: Schema must be specified when session schema is not set")
	}
	props := map[string]string{}
	for _, p := range withProp.FindAllStringSubmatch(m[5], -1) {
		props[strings.ToLower(p[1])] = p[2]
	}
	f := writeFormat{name: "PARQUET", compression: "SNAPPY", delimiter: "\x01"}
	var partitionedBy []string
	location := ""
	compressionSet := false
	for k, v := range props {
		str := strings.Trim(v, "'")
		switch k {
		case "format":
			switch up := strings.ToUpper(str); up {
			case "PARQUET", "ORC", "JSON", "TEXTFILE":
				f.name = up
			default:
				return nil, true, userError(errSyntax, "NOT_SUPPORTED: CTAS format %s is not supported by Lakebox yet", str)
			}
		case "write_compression", "parquet_compression", "orc_compression":
			f.compression, compressionSet = strings.ToUpper(str), true
		case "field_delimiter":
			f.delimiter = str
		case "external_location":
			location = str
		case "partitioned_by":
			for _, e := range regexp.MustCompile(`'([^']*)'`).FindAllStringSubmatch(v, -1) {
				partitionedBy = append(partitionedBy, strings.ToLower(e[1]))
			}
		case "bucketed_by", "bucket_count", "is_external", "table_type", "vacuum_max_snapshot_age_seconds":
			return nil, true, userError(errSyntax, "NOT_SUPPORTED: CTAS property %s is not supported by Lakebox yet", k)
		default:
			return nil, true, userError(errSyntax, "line 1:1: Catalog 'awsdatacatalog' table property '%s' does not exist", k)
		}
	}
	if f.name == "ORC" && !compressionSet {
		f.compression = "ZLIB" // Athena's default for ORC
	}
	if err := f.checkCompression(); err != nil {
		return nil, true, err
	}
	if f.name != "PARQUET" && f.delimiter == "\x01" && f.name == "TEXTFILE" {
		f.delimiter = "\x01"
	}
	if location == "" {
		location = rec.ResultConfiguration.OutputLocation + "tables/" + rec.QueryExecutionId + "/"
	}
	if !strings.HasSuffix(location, "/") {
		location += "/"
	}
	ictx := sc.identity(ctx)
	if _, err := s.glue.GetTable(ictx, &glue.GetTableInput{DatabaseName: db, Name: name}); err == nil {
		if m[1] != "" {
			return &result{text: true}, true, nil
		}
		return nil, true, userError(errUser, "line 1:1: Table 'awsdatacatalog.%s.%s' already exists", db, name)
	}
	bucket, prefix, err := parseS3URI(location)
	if err != nil {
		return nil, true, err
	}
	empty := true
	s.objects.List(ictx, sc.account, bucket, prefix, func(string, int64) error { empty = false; return errStop })
	if !empty {
		return nil, true, userError(errUser, "HIVE_PATH_ALREADY_EXISTS: Target directory for table '%s.%s' already exists: %s", db, name, location)
	}
	w, err := s.write(ctx, sc, rec, m[6], partitionedBy, f, location, m[8] != "" || m[7] == "")
	if err != nil {
		return nil, true, err
	}
	if m[7] != "" && m[8] != "" { // WITH NO DATA
		w.rows, w.partitions = 0, nil
	}
	var cols, keys []glue.Column
	for _, c := range w.columns {
		col := glue.Column{Name: c.name, Type: c.hive}
		if slices.Contains(partitionedBy, c.name) {
			keys = append(keys, col)
		} else {
			cols = append(cols, col)
		}
	}
	if len(keys) != len(partitionedBy) {
		return nil, true, userError(errSyntax, "line 1:1: Partition columns %v are not all columns of the query", partitionedBy)
	}
	in := &glue.TableInput{Name: name, TableType: "EXTERNAL_TABLE", PartitionKeys: keys, StorageDescriptor: f.storage(location, cols),
		Parameters: map[string]string{"EXTERNAL": "TRUE", "has_encrypted_data": "false"}}
	if _, err := s.glue.CreateTable(ictx, &glue.CreateTableInput{DatabaseName: db, TableInput: in}); err != nil {
		return nil, true, catalogError(err, db, name)
	}
	t, err := s.glue.GetTable(ictx, &glue.GetTableInput{DatabaseName: db, Name: name})
	if err != nil {
		return nil, true, err
	}
	if err := s.addPartitions(ictx, t.Table, w.partitions); err != nil {
		return nil, true, err
	}
	return &result{text: true, updateCount: w.rows, scanned: w.scanned}, true, nil
}

var errStop = fmt.Errorf("stop")

var unloadStmt = regexp.MustCompile("(?is)^UNLOAD\\s*\\((.+)\\)\\s*TO\\s+'([^']+)'\\s*(?:WITH\\s*\\((.*)\\))?$")

// unload runs UNLOAD (query) TO 's3://...' WITH (...): the rows as files,
// no table.
func (s *Service) unload(ctx context.Context, sc scope, rec *queryRecord, q string) (*result, bool, error) {
	m := unloadStmt.FindStringSubmatch(q)
	if m == nil {
		return nil, false, nil
	}
	f := writeFormat{name: "PARQUET", compression: "GZIP", delimiter: "\x01"}
	var partitionedBy []string
	compressionSet := false
	for _, p := range withProp.FindAllStringSubmatch(m[3], -1) {
		v := strings.Trim(p[2], "'")
		switch strings.ToLower(p[1]) {
		case "format":
			switch up := strings.ToUpper(v); up {
			case "PARQUET", "ORC", "JSON", "TEXTFILE":
				f.name = up
			default:
				return nil, true, userError(errSyntax, "NOT_SUPPORTED: UNLOAD format %s is not supported by Lakebox yet", v)
			}
		case "compression":
			f.compression, compressionSet = strings.ToUpper(v), true
		case "field_delimiter":
			f.delimiter = v
		case "partitioned_by":
			for _, e := range regexp.MustCompile(`'([^']*)'`).FindAllStringSubmatch(p[2], -1) {
				partitionedBy = append(partitionedBy, strings.ToLower(e[1]))
			}
		default:
			return nil, true, userError(errSyntax, "line 1:1: UNLOAD property '%s' is not supported", p[1])
		}
	}
	if f.name == "ORC" {
		if !compressionSet {
			f.compression = "ZLIB"
		}
		if err := f.checkCompression(); err != nil {
			return nil, true, err
		}
	}
	location := withSlash(m[2])
	bucket, prefix, err := parseS3URI(location)
	if err != nil {
		return nil, true, err
	}
	empty := true
	s.objects.List(sc.identity(ctx), sc.account, bucket, prefix, func(string, int64) error { empty = false; return errStop })
	if !empty {
		return nil, true, userError(errUser, "HIVE_PATH_ALREADY_EXISTS: Target directory for UNLOAD already exists: %s", location)
	}
	w, err := s.write(ctx, sc, rec, m[1], partitionedBy, f, location, true)
	if err != nil {
		return nil, true, err
	}
	return &result{text: true, updateCount: w.rows, scanned: w.scanned}, true, nil
}

// insert runs INSERT INTO t [(cols)] query; ok is false for other
// statements.
func (s *Service) insert(ctx context.Context, sc scope, rec *queryRecord, q string) (*result, bool, error) {
	m := insertStmt.FindStringSubmatch(q)
	if m == nil {
		return nil, false, nil
	}
	db, name := strings.ToLower(rec.QueryExecutionContext.Database), strings.ToLower(m[1])
	if m[2] != "" {
		db, name = strings.ToLower(m[1]), strings.ToLower(m[2])
	}
	query := strings.TrimSpace(m[3])
	var listed []string // the column list, if any
	if rest, ok := strings.CutPrefix(query, "("); ok && !startsQuery(rest) {
		end := strings.IndexByte(rest, ')')
		if end < 0 {
			return nil, true, userError(errSyntax, "line 1:1: the column list of INSERT INTO %s is not closed", name)
		}
		for _, c := range strings.Split(rest[:end], ",") {
			listed = append(listed, strings.ToLower(strings.Trim(strings.TrimSpace(c), "`\"")))
		}
		query = strings.TrimSpace(rest[end+1:])
	}
	ictx := sc.identity(ctx)
	out, err := s.glue.GetTable(ictx, &glue.GetTableInput{DatabaseName: db, Name: name})
	if err != nil {
		return nil, true, catalogError(err, db, name)
	}
	t := out.Table
	if t.TableType == "VIRTUAL_VIEW" {
		return nil, true, userError(errUser, "line 1:1: Inserting into views is not supported")
	}
	f, err := formatOf(t)
	if err != nil {
		return nil, true, err
	}
	var keys []string
	for _, k := range t.PartitionKeys {
		keys = append(keys, strings.ToLower(k.Name))
	}
	// The query's columns, in the table's order: data columns, then keys.
	var names []string
	for _, c := range t.StorageDescriptor.Columns {
		names = append(names, strings.ToLower(c.Name))
	}
	names = append(names, keys...)
	if listed != nil {
		if query, err = insertColumns(t, names, listed, query); err != nil {
			return nil, true, err
		}
	}
	w, err := s.write(ctx, sc, rec, query, keys, f, withSlash(t.StorageDescriptor.Location), true, names...)
	if err != nil {
		return nil, true, err
	}
	if len(w.columns) != len(names) {
		return nil, true, userError(errSyntax, "line 1:1: Insert query has %d columns, table %s.%s has %d", len(w.columns), db, name, len(names))
	}
	if err := s.addPartitions(ictx, t, w.partitions); err != nil {
		return nil, true, err
	}
	return &result{text: true, updateCount: w.rows, scanned: w.scanned}, true, nil
}

func withSlash(s string) string {
	if strings.HasSuffix(s, "/") {
		return s
	}
	return s + "/"
}

type written struct {
	columns    []outputColumn
	rows       int64
	scanned    int64      // the bytes of the files the query read
	partitions [][]string // values of each partition written
}

func startsQuery(s string) bool {
	w := strings.ToUpper(strings.TrimSpace(s))
	return strings.HasPrefix(w, "SELECT") || strings.HasPrefix(w, "WITH") || strings.HasPrefix(w, "VALUES") || strings.HasPrefix(w, "(")
}

// insertColumns rewrites the query of INSERT INTO t (listed) so that it
// gives every column of t in order, NULL for those the list leaves out.
func insertColumns(t *glue.Table, names, listed []string, query string) (string, error) {
	types := map[string]string{}
	for _, c := range append(append([]glue.Column(nil), t.StorageDescriptor.Columns...), t.PartitionKeys...) {
		types[strings.ToLower(c.Name)] = c.Type
	}
	seen := map[string]bool{}
	var aliases []string
	for _, c := range listed {
		if _, ok := types[c]; !ok {
			return "", userError(errSyntax, "COLUMN_NOT_FOUND: line 1:1: Insert column name does not exist in target table: %s", c)
		}
		if seen[c] {
			return "", userError(errSyntax, "line 1:1: Insert column name is specified more than once: %s", c)
		}
		seen[c] = true
		aliases = append(aliases, sqlengine.QuoteIdent(c))
	}
	var cols []string
	for _, n := range names {
		if seen[n] {
			cols = append(cols, "__lakebox_insert."+sqlengine.QuoteIdent(n))
			continue
		}
		dt, err := duckType(types[n])
		if err != nil {
			return "", err
		}
		cols = append(cols, fmt.Sprintf("CAST(NULL AS %s) AS %s", dt, sqlengine.QuoteIdent(n)))
	}
	return fmt.Sprintf("SELECT %s FROM (%s) AS __lakebox_insert(%s)", strings.Join(cols, ", "), query, strings.Join(aliases, ", ")), nil
}

// write runs query and stores its rows as files under location, split by
// the partition columns. With names, the query's columns are renamed to
// them (INSERT INTO writes the table's column names).
func (s *Service) write(ctx context.Context, sc scope, rec *queryRecord, query string, partitionedBy []string, f writeFormat, location string, data bool, names ...string) (*written, error) {
	sess, err := s.engine.Session(ctx)
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	sql, scanned, err := s.bindQuery(ctx, sc, sess, query, rec.QueryExecutionContext.Database, forTable)
	if err != nil {
		return nil, err
	}
	cols, err := sess.Query(ctx, "SELECT * FROM ("+sql+") LIMIT 0", func([]*string) error { return nil })
	if err != nil {
		return nil, engineError(query, err)
	}
	w := &written{scanned: scanned}
	for i, c := range cols {
		name := strings.ToLower(c.Name)
		if i < len(names) {
			name = names[i]
		}
		w.columns = append(w.columns, outputColumn{name: name, presto: columnInfo(c.Name, c.Type).Type, hive: hiveType(c.Type)})
	}
	if len(names) > 0 && len(cols) != len(names) {
		return w, nil // the caller reports the mismatch
	}
	if !data {
		return w, nil
	}
	for _, k := range partitionedBy {
		if !slices.ContainsFunc(w.columns, func(c outputColumn) bool { return c.name == k }) {
			return nil, userError(errSyntax, "line 1:1: Partition column %s is not a column of the query", k)
		}
	}
	dir, err := os.MkdirTemp(s.opts.LinkDir, "write-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var sel []string
	for i, c := range cols {
		v := sqlengine.QuoteIdent(c.Name)
		switch presto := w.columns[i].presto; {
		case f.name == "PARQUET" && (presto == "timestamp" || presto == "timestamp with time zone"):
			// Athena's timestamp(3), stored in milliseconds: a table
			// Lakebox wrote reads back without rounding (bind.go), and
			// filters on it still reach the files' statistics.
			v = "CAST(lakebox_millis(CAST(" + v + " AS TIMESTAMP)) AS TIMESTAMP_MS)"
		case presto == "timestamp with time zone":
			// Hive's timestamp has no zone: the instant's time in the
			// session's zone, UTC, as the table declares it.
			v = "CAST(" + v + " AS TIMESTAMP)"
		}
		sel = append(sel, v+" AS "+sqlengine.QuoteIdent(w.columns[i].name))
	}
	// Partitioned, the engine writes a folder of key=value folders;
	// otherwise one file. For ORC it writes JSON lines of every column,
	// which writeORC lays out the same way (orcwrite.go).
	target, options := filepath.Join(dir, "out"), f.copyOptions()
	rowsFirst := f.name == "ORC" || f.name == "JSON" && len(partitionedBy) > 0 // laid out by orcwrite.go
	switch {
	case rowsFirst:
		target, options = filepath.Join(dir, "rows.json"), "FORMAT json, COMPRESSION 'none'"
	case len(partitionedBy) > 0:
		var q []string
		for _, k := range partitionedBy {
			q = append(q, sqlengine.QuoteIdent(k))
		}
		options += ", PARTITION_BY (" + strings.Join(q, ", ") + "), WRITE_PARTITION_COLUMNS false"
	default:
		target += f.extension()
	}
	copySQL := fmt.Sprintf("COPY (SELECT %s FROM (%s)) TO %s (%s)", strings.Join(sel, ", "), sql, quoteString(target), options)
	var count string
	if _, err := sess.Query(ctx, copySQL, func(row []*string) error {
		if len(row) > 0 && row[0] != nil {
			count = *row[0]
		}
		return nil
	}); err != nil {
		return nil, engineError(query, err)
	}
	w.rows, _ = strconv.ParseInt(count, 10, 64)
	if rowsFirst {
		var names, types []string
		for _, c := range w.columns {
			names, types = append(names, c.name), append(types, c.hive)
		}
		out := filepath.Join(dir, "out")
		if f.name == "ORC" {
			err = writeORC(target, out, names, types, partitionedBy, f.compression)
		} else {
			err = writeJSONPartitions(target, out, f.extension(), names, partitionedBy, f.compression)
		}
		if err != nil {
			return nil, err
		}
		if err := os.Remove(target); err != nil {
			return nil, err
		}
	}
	bucket, prefix, err := parseS3URI(location)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var files []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	for i, p := range files {
		rel, _ := filepath.Rel(filepath.Join(dir, "out"), p)
		if len(partitionedBy) == 0 {
			rel = filepath.Base(p)
		}
		relDir := filepath.ToSlash(filepath.Dir(rel))
		var values []string
		if len(partitionedBy) > 0 {
			for _, seg := range strings.Split(relDir, "/") {
				_, v, _ := strings.Cut(seg, "=")
				if u, err := url.PathUnescape(v); err == nil {
					v = u
				}
				values = append(values, v)
			}
			if id := strings.Join(values, "\x00"); !seen[id] {
				seen[id] = true
				w.partitions = append(w.partitions, values)
			}
		}
		key := prefix + rec.QueryExecutionId + "_" + strconv.Itoa(i) + f.extension()
		if len(partitionedBy) > 0 {
			// Named as the partition's catalog location is (partitionInput),
			// whatever escaping the folder was written with.
			var folder []string
			for j, k := range partitionedBy {
				folder = append(folder, hiveEscape(k)+"="+hiveEscape(values[j]))
			}
			key = prefix + strings.Join(folder, "/") + "/" + rec.QueryExecutionId + "_" + strconv.Itoa(i) + f.extension()
		}
		body, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		if err := s.objects.Put(sc.identity(ctx), sc.account, bucket, key, body, "application/octet-stream"); err != nil {
			if e, ok := awserr.As(err); ok {
				return nil, userError(errPermitted, "HIVE_WRITER_OPEN_ERROR: Error writing s3://%s/%s: %s", bucket, key, e.Message)
			}
			return nil, err
		}
	}
	return w, nil
}

// addPartitions registers the partitions a write made that the catalog
// lacks.
func (s *Service) addPartitions(ctx context.Context, t *glue.Table, parts [][]string) error {
	var inputs []*glue.PartitionInput
	for _, vals := range parts {
		inputs = append(inputs, s.partitionInput(t, vals, ""))
	}
	for i := 0; i < len(inputs); i += 100 {
		out, err := s.glue.BatchCreatePartition(ctx, &glue.BatchCreatePartitionInput{DatabaseName: t.DatabaseName, TableName: t.Name, PartitionInputList: inputs[i:min(i+100, len(inputs))]})
		if err != nil {
			return err
		}
		for _, e := range out.Errors {
			if e.ErrorDetail.ErrorCode != "AlreadyExistsException" {
				return userError(errUser, "HIVE_METASTORE_ERROR: partition %v: %s", e.PartitionValues, e.ErrorDetail.ErrorMessage)
			}
		}
	}
	return nil
}
