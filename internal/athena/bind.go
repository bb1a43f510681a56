package athena

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/glue"
	"github.com/lakebox/lakebox/internal/sqlengine"
)

// binder replaces the catalog tables a query names by subqueries over
// their files. While it walks the tree, a table's reference names a
// placeholder (so that checks can still see base tables and their
// columns); substitute then puts each placeholder's subquery in its
// place in the SQL.
type binder struct {
	s         *Service
	sc        scope
	ctx       context.Context // carries the caller's identity
	sess      *sqlengine.Session
	query     string
	defaultDB string
	use       bindFor
	tables    *boundTables
	depth     int // how deep in views within views
	scanned   int64
}

// boundTables are the tables of one query, shared by the binders of the
// views it reads.
type boundTables struct {
	names   map[string]string          // db.table and partition filter -> placeholder
	bodies  []string                   // the placeholders' SQL, by number
	reads   []tableRead                // the files each placeholder reads, by number
	columns map[string]map[string]bool // placeholder -> its columns, lowercased
}

const placeholderPrefix = "__lakebox_table_"

// placeholderFree refuses SQL that spells a placeholder: the bound query's
// text must hold them only where the binder put them (substitute).
func placeholderFree(sql string) error {
	if strings.Contains(strings.ToLower(sql), placeholderPrefix) {
		return userError(errSyntax, "NOT_SUPPORTED: the name prefix %s is reserved by Lakebox", placeholderPrefix)
	}
	return nil
}

// bindFor says what a bound query's rows are for.
type bindFor int

const (
	forClient bindFor = iota // returned to the client: zoned timestamps print their zone
	forTable                 // written to a table or described for a view: plain types only
)

// bindQuery parses a query, binds its tables and returns the SQL the
// engine runs and the bytes its files hold.
func (s *Service) bindQuery(ctx context.Context, sc scope, sess *sqlengine.Session, query, defaultDB string, use bindFor) (string, int64, error) {
	if err := s.prepare(ctx); err != nil {
		return "", 0, err
	}
	if err := placeholderFree(query); err != nil {
		return "", 0, err
	}
	tree, err := sess.Parse(ctx, trinoSyntax(query))
	if err != nil {
		return "", 0, engineError(query, err)
	}
	b := &binder{s: s, sc: sc, ctx: sc.identity(ctx), sess: sess, query: query, defaultDB: defaultDB, use: use,
		tables: &boundTables{names: map[string]string{}, columns: map[string]map[string]bool{}}}
	bound, err := b.bind(tree)
	if err != nil {
		return "", b.scanned, err
	}
	sql, err := sess.Deparse(ctx, bound)
	if err != nil {
		return "", b.scanned, engineError(query, err)
	}
	return b.tables.substitute(sql), b.scanned, nil
}

// bind rewrites the syntax tree (json_serialize_sql's JSON).
func (b *binder) bind(tree string) (string, error) {
	dec := json.NewDecoder(strings.NewReader(tree))
	dec.UseNumber() // offsets such as 2^64-1 must survive the round trip
	var root any
	if err := dec.Decode(&root); err != nil {
		return "", fmt.Errorf("athena: syntax tree: %w", err)
	}
	nameColumns(root)
	if b.use == forClient {
		zonedColumns(root)
	}
	namedRows(root)
	translate(root)
	typedDoubles(root)
	markPrunes(root)
	ctes := map[string]bool{}
	collectCTEs(root, ctes)
	if err := b.walk(root, ctes); err != nil {
		return "", err
	}
	if err := b.checkAliases(root); err != nil {
		return "", err
	}
	scanned, err := b.tables.scanned(&b.s.footers, root)
	if err != nil {
		return "", err
	}
	b.scanned = scanned
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(root); err != nil {
		return "", err
	}
	return out.String(), nil
}

// substitute puts each table's subquery where the SQL names its
// placeholder. The placeholders are table names no query can spell (the
// binder refuses names with their prefix), and the engine prints them
// as they are, so the text is where the table was: "__lakebox_table_0 AS
// t" becomes "(SELECT ... FROM read_parquet(...)) AS t". Splicing the text
// costs nothing; parsing the subqueries to splice their syntax trees
// cost a millisecond or more a query.
func (t *boundTables) substitute(sql string) string {
	if len(t.bodies) == 0 {
		return sql
	}
	var b strings.Builder
	for {
		i := strings.Index(sql, placeholderPrefix)
		if i < 0 {
			b.WriteString(sql)
			return b.String()
		}
		end := i + len(placeholderPrefix)
		for end < len(sql) && sql[end] >= '0' && sql[end] <= '9' {
			end++
		}
		n, err := strconv.Atoi(sql[i+len(placeholderPrefix) : end])
		if err != nil || n >= len(t.bodies) {
			b.WriteString(sql[:end])
		} else {
			b.WriteString(sql[:i])
			b.WriteString("(")
			b.WriteString(t.bodies[n])
			b.WriteString(")")
		}
		sql = sql[end:]
	}
}

// visit calls fn on every object of a syntax tree, parents first; fn
// returns whether to go on into the object's children.
func visit(v any, fn func(n map[string]any) bool) {
	switch n := v.(type) {
	case map[string]any:
		if fn(n) {
			for _, c := range n {
				visit(c, fn)
			}
		}
	case []any:
		for _, c := range n {
			visit(c, fn)
		}
	}
}

// asSubquery turns a table reference node into a subquery of stmt.
func asSubquery(n map[string]any, alias string, stmt any) {
	for k := range n {
		delete(n, k)
	}
	n["type"] = "SUBQUERY"
	n["alias"] = alias
	n["sample"] = nil
	n["query_location"] = json.Number("18446744073709551615")
	n["subquery"] = stmt
	n["column_name_alias"] = []any{}
}

// nameColumns gives the unnamed expressions of the outermost SELECT the
// names Athena gives them: _col0, _col1, ... by position. Column
// references keep their names.
func nameColumns(root any) {
	for i, e := range outputList(root) {
		expr, ok := e.(map[string]any)
		if !ok || expr["alias"] != "" {
			continue
		}
		switch expr["class"] {
		case "COLUMN_REF", "STAR":
			continue
		}
		expr["alias"] = fmt.Sprintf("_col%d", i)
	}
}

// outputNode returns a query's outermost node when it is a SELECT (nil
// for a set operation).
func outputNode(root any) map[string]any {
	m, _ := root.(map[string]any)
	stmts, _ := m["statements"].([]any)
	if len(stmts) != 1 {
		return nil
	}
	st, _ := stmts[0].(map[string]any)
	node, _ := st["node"].(map[string]any)
	if node == nil || node["type"] != "SELECT_NODE" {
		return nil
	}
	return node
}

// outputList returns the select list of outputNode.
func outputList(root any) []any {
	list, _ := outputNode(root)["select_list"].([]any)
	return list
}

// zonedColumns makes the output columns that are visibly timestamps with
// a time zone (x AT TIME ZONE z, at_timezone, with_timezone) carry their
// zone to the client: the engine has no type that keeps one, so inside
// the query such a value is its wall-clock time in the zone (translate),
// and the outermost select pairs it with the zone (sqlengine.ZonedLocal,
// ZonedZone), which prints as Trino prints it: 2012-10-30 18:00:00.000
// America/Los_Angeles.
//
// The pair repeats the zone's expression beside the value, which a query
// that groups or is DISTINCT may not allow when the zone is not a
// constant (GROUP BY ts AT TIME ZONE tz): there, and for every column of a
// DISTINCT query, the value stays as it is.
func zonedColumns(root any) {
	node := outputNode(root)
	list, _ := node["select_list"].([]any)
	mods, _ := node["modifiers"].([]any)
	for _, m := range mods {
		if mm, _ := m.(map[string]any); mm != nil && mm["type"] == "DISTINCT_MODIFIER" {
			return
		}
	}
	groups, _ := node["group_expressions"].([]any)
	grouped := len(groups) > 0 || node["aggregate_handling"] == "FORCE_AGGREGATES"
	var zones columnZones // of the columns of subqueries and CTEs, when a column is selected
	for i, e := range list {
		expr, _ := e.(map[string]any)
		if expr == nil {
			continue
		}
		args, _ := expr["children"].([]any)
		var local, zone any // nil: not a zoned value
		switch fn := strings.ToLower(stringOf(expr["function_name"])); {
		case expr["class"] == "COLUMN_REF": // a subquery's or CTE's moved value
			if zones == nil {
				zones = sourceZones(node, cteQueries(root))
			}
			if z := zones.of(expr); z != "" {
				local, zone = expr, stringConstant(z)
				if stringOf(expr["alias"]) == "" {
					cols, _ := expr["column_names"].([]any)
					expr["alias"] = stringOf(cols[len(cols)-1]) // the column's name, as the engine would print it
				}
			}
		case expr["class"] == "CAST": // TIMESTAMP '... Europe/Paris'
			if z := literalZone(expr); z != "" {
				zone = stringConstant(z)
				local = call("lakebox_at_zone", noLocation, stringConstant(z), expr)
			}
		case expr["class"] != "FUNCTION":
		case zoneOfMoved(expr) != nil: // x AT TIME ZONE z, at_timezone, with_timezone
			local, zone = expr, deepCopy(zoneOfMoved(expr))
		case (fn == "from_iso8601_timestamp" || fn == "from_iso8601_timestamp_nanos") && len(args) == 1: // the string's own offset
			zone = call("lakebox_iso8601_zone", noLocation, deepCopy(args[0]))
			local = iso8601Local(deepCopy(zone), expr)
		case fn == "from_unixtime_nanos" && len(args) == 1:
			local, zone = expr, stringConstant("UTC")
		}
		if zone == nil {
			continue
		}
		if _, _, constant := constantValue(zone); grouped && !constant {
			continue
		}
		zone = call("lakebox_zone_name", noLocation, zone) // +00:00 is UTC
		alias := expr["alias"]
		expr["alias"] = ""
		pair := call("struct_pack", noLocation, named(sqlengine.ZonedLocal, local), named(sqlengine.ZonedZone, zone))
		pair["alias"] = alias
		list[i] = pair
	}
}

// literalZone returns the zone a TIMESTAMPTZ literal (as the syntax pass
// spells it, zonedLiteral) names, or "" (offsets as ±hh:mm; the macro
// lakebox_zone_name gives the name Trino prints).
func literalZone(cast map[string]any) string {
	t, _ := cast["cast_type"].(map[string]any)
	val, typ, ok := constantValue(cast["child"])
	text, _ := val.(string)
	if t == nil || t["id"] != "TIMESTAMP WITH TIME ZONE" || !ok || typ != "VARCHAR" {
		return ""
	}
	if n := len(text); n > 6 && (text[n-6] == '+' || text[n-6] == '-') && text[n-3] == ':' {
		return text[n-6:] // ±hh:mm right after the time
	}
	if sp := strings.LastIndexByte(text, ' '); sp > 0 && strings.Contains(text[:sp], " ") {
		last := text[sp+1:]
		if last[0] != '+' && last[0] != '-' {
			return last
		}
		if off, ok := normalOffset(last); ok { // a CAST of a string the syntax pass left alone
			return off
		}
	}
	return ""
}

func collectCTEs(v any, ctes map[string]bool) {
	visit(v, func(n map[string]any) bool {
		m, _ := n["cte_map"].(map[string]any)
		list, _ := m["map"].([]any)
		for _, e := range list {
			if em, ok := e.(map[string]any); ok {
				if k, ok := em["key"].(string); ok {
					ctes[strings.ToLower(k)] = true
				}
			}
		}
		return true
	})
}

func (b *binder) walk(v any, ctes map[string]bool) error {
	switch n := v.(type) {
	case map[string]any:
		if n["type"] == "BASE_TABLE" {
			if _, ok := n["table_name"].(string); ok {
				return b.bindTable(n, ctes)
			}
		}
		for _, c := range n {
			if err := b.walk(c, ctes); err != nil {
				return err
			}
		}
	case []any:
		for _, c := range n {
			if err := b.walk(c, ctes); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *binder) bindTable(n map[string]any, ctes map[string]bool) error {
	prune, _ := n[pruneKey].(pruneTarget)
	delete(n, pruneKey)
	catalog, _ := n["catalog_name"].(string)
	schema, _ := n["schema_name"].(string)
	table, _ := n["table_name"].(string)
	pos := -1
	if num, ok := n["query_location"].(json.Number); ok {
		if p, err := num.Int64(); err == nil {
			pos = int(p)
		}
	}
	line, col := lineCol(b.query, pos)
	if catalog == "" && schema == "" && ctes[strings.ToLower(table)] {
		return nil
	}
	if catalog != "" && !strings.EqualFold(catalog, "awsdatacatalog") {
		// a two-part name "catalog.db.table" arrives as catalog, schema, table
		return userError(errNoTable, "line %d:%d: Catalog '%s' does not exist", line, col, catalog)
	}
	db := schema
	if db == "" {
		db = b.defaultDB
	}
	if db == "" {
		return userError(errSyntax, "line %d:%d: Schema must be specified when session schema is not set", line, col)
	}
	db, table = strings.ToLower(db), strings.ToLower(table)
	out, err := b.s.glue.GetTable(b.ctx, &glue.GetTableInput{DatabaseName: db, Name: table})
	if err != nil {
		if e, ok := awserr.As(err); ok && e.Code == "EntityNotFoundException" {
			if strings.HasPrefix(e.Message, "Database") {
				return userError(errNoTable, "line %d:%d: Schema '%s' does not exist", line, col, db)
			}
			return userError(errNoTable, "line %d:%d: Table 'awsdatacatalog.%s.%s' does not exist", line, col, db, table)
		}
		return err
	}
	if out.Table.TableType == "VIRTUAL_VIEW" {
		return b.bindView(n, out.Table, b.depth)
	}
	filter := ""
	if prune.where != nil && len(out.Table.PartitionKeys) > 0 {
		filter = prune.expression(out.Table)
	}
	proj, err := projectionOf(out.Table, b.s.clock.Now())
	if err != nil {
		return err
	}
	if proj != nil {
		// Injected keys take their values from the query: they are part
		// of what the table reads.
		for _, k := range proj.keys {
			if k.kind == "injected" {
				filter += "\x00" + k.name + "=" + strings.Join(prune.equalities(out.Table, k.name), "\x00")
			}
		}
	}
	key := db + "." + table + "\x00" + filter
	name, ok := b.tables.names[key]
	if !ok {
		body, read, err := b.tableQuery(out.Table, filter, proj, prune)
		if err != nil {
			return err
		}
		name = placeholderPrefix + strconv.Itoa(len(b.tables.bodies))
		b.tables.bodies = append(b.tables.bodies, body)
		b.tables.reads = append(b.tables.reads, read)
		b.tables.names[key] = name
		cols := map[string]bool{}
		if sd := out.Table.StorageDescriptor; sd != nil {
			for _, c := range sd.Columns {
				cols[strings.ToLower(c.Name)] = true
			}
		}
		for _, k := range out.Table.PartitionKeys {
			cols[strings.ToLower(k.Name)] = true
		}
		b.tables.columns[name] = cols
	}
	if alias, _ := n["alias"].(string); alias == "" {
		n["alias"] = table
	}
	n["catalog_name"], n["schema_name"], n["table_name"] = "", "", name
	return nil
}

// tableQuery is the query that reads a catalog table from its files.
func (b *binder) tableQuery(t *glue.Table, filter string, proj *projection, prune pruneTarget) (string, tableRead, error) {
	var read tableRead
	sd := t.StorageDescriptor
	if sd == nil || sd.Location == "" {
		return "", read, userError(errUser, "HIVE_METASTORE_ERROR: Table %s.%s has no location", t.DatabaseName, t.Name)
	}
	format, err := tableFormat(t)
	if err != nil {
		return "", read, err
	}
	dir := filepath.Join(b.s.opts.LinkDir, b.sc.account, b.sc.region, t.DatabaseName, t.Name)
	if len(t.PartitionKeys) == 0 {
		if err := b.linkFiles(sd.Location, dir, &read); err != nil {
			return "", read, err
		}
	} else if proj != nil {
		expr, _, _ := strings.Cut(filter, "\x00")
		values, locations, err := proj.partitions(expr, func(key string) []string { return prune.equalities(t, key) })
		if err != nil {
			return "", read, err
		}
		for i, vals := range values {
			pdir := dir
			for j, k := range t.PartitionKeys {
				pdir = filepath.Join(pdir, partitionFolder(k.Name, vals[j]))
			}
			if err := b.linkFiles(locations[i], pdir, &read); err != nil {
				return "", read, err
			}
		}
	} else {
		var next string
		for {
			out, err := b.s.glue.GetPartitions(b.ctx, &glue.GetPartitionsInput{DatabaseName: t.DatabaseName, TableName: t.Name, Expression: filter, NextToken: next})
			if err != nil && filter != "" {
				// A condition Glue's language reads otherwise: read every
				// partition, the engine filters.
				b.s.opts.Logger.Debug("athena: partition filter not usable", "filter", filter, "err", err)
				filter, next = "", ""
				continue
			}
			if err != nil {
				return "", read, err
			}
			for _, p := range out.Partitions {
				if p.StorageDescriptor == nil || p.StorageDescriptor.Location == "" {
					continue
				}
				pdir := dir
				for i, k := range t.PartitionKeys {
					pdir = filepath.Join(pdir, partitionFolder(k.Name, p.Values[i]))
				}
				if err := b.linkFiles(p.StorageDescriptor.Location, pdir, &read); err != nil {
					return "", read, err
				}
			}
			if next = out.NextToken; next == "" {
				break
			}
		}
	}
	var cols []string
	for _, c := range sd.Columns {
		// Named as declared, whatever the files spell (JSON keys).
		name := sqlengine.QuoteIdent(c.Name)
		if format.blobText(c.Type) {
			cols = append(cols, "CAST("+name+" AS BLOB) AS "+name)
			continue
		}
		cols = append(cols, name+" AS "+name)
	}
	for _, k := range t.PartitionKeys {
		dt, err := duckType(k.Type)
		if err != nil {
			return "", read, err
		}
		cols = append(cols, fmt.Sprintf("CAST(%s AS %s) AS %s", sqlengine.QuoteIdent(strings.ToLower(k.Name)), dt, sqlengine.QuoteIdent(k.Name)))
	}
	read.parquet = format.kind == "parquet"
	for _, c := range sd.Columns {
		read.columns = append(read.columns, strings.ToLower(c.Name))
	}
	if len(read.files) == 0 {
		var nulls []string
		for _, c := range append(append([]glue.Column(nil), sd.Columns...), t.PartitionKeys...) {
			dt, err := duckType(c.Type)
			if err != nil {
				return "", read, err
			}
			nulls = append(nulls, fmt.Sprintf("CAST(NULL AS %s) AS %s", dt, sqlengine.QuoteIdent(c.Name)))
		}
		return fmt.Sprintf("SELECT %s LIMIT 0", strings.Join(nulls, ", ")), read, nil
	}
	if read.parquet {
		if cols, err = b.parquetColumns(&read, sd.Columns, cols); err != nil {
			return "", read, err
		}
	}
	if format.kind == "avro" || format.kind == "orc" {
		// Read through JSON (avro.go, orc.go); the scan is still the
		// files' own.
		var columns []string
		if !format.byName {
			for _, c := range sd.Columns {
				columns = append(columns, c.Name)
			}
		}
		for i, f := range read.files {
			if format.kind == "avro" {
				read.files[i], err = avroJSON(f)
			} else {
				read.files[i], err = orcJSON(f, columns)
			}
			if err != nil {
				return "", read, err
			}
		}
	}
	var keys *spelling
	if format.kind == "json" && !format.exactKeys || format.kind == "avro" || format.kind == "orc" {
		if keys, err = b.jsonKeys(read.files); err != nil {
			return "", read, err
		}
	}
	reader, err := format.reader(&read, len(t.PartitionKeys) > 0, sd.Columns, keys)
	if err != nil {
		return "", read, err
	}
	return fmt.Sprintf("SELECT %s FROM %s", strings.Join(cols, ", "), reader), read, nil
}

// parquetColumns reads a Parquet table's columns as the table declares
// them, as Athena does: a column no file has is NULL, and a primitive
// column is cast to its declared type (a timestamp written adjusted to
// UTC reads as a timestamp, not one with a time zone, rounded to the
// millisecond when stored finer; an INT32 declared bigint as a bigint). A
// cast to the type a column already has is no cast at all to the engine,
// so filters still reach the files. Nested columns are read as written. cols are the select list, the data columns first.
func (b *binder) parquetColumns(read *tableRead, declared []glue.Column, cols []string) ([]string, error) {
	present, fine := map[string]bool{}, map[string]bool{}
	read.sameSchema = true
	var schema uint64
	for j, f := range read.files {
		chunks, err := b.s.footers.chunks(f, read.sizes[j])
		if err != nil {
			return nil, userError(errUser, "HIVE_BAD_DATA: %v", err)
		}
		for col := range chunks.columns {
			present[col] = true
		}
		for col := range chunks.fine {
			fine[col] = true
		}
		if j == 0 {
			schema = chunks.schema
		}
		read.sameSchema = read.sameSchema && chunks.schema == schema
	}
	out := slices.Clone(cols)
	for i, c := range declared {
		dt, err := duckType(c.Type)
		if err != nil {
			return nil, err
		}
		switch name := sqlengine.QuoteIdent(c.Name); {
		case !present[strings.ToLower(c.Name)]:
			out[i] = fmt.Sprintf("CAST(NULL AS %s) AS %s", dt, name)
		case dt == "TIMESTAMP" && fine[strings.ToLower(c.Name)]:
			// Athena's timestamp(3): Trino rounds finer values to the
			// millisecond, half up. (Only then: the bare cast still lets
			// filters reach the files.)
			out[i] = fmt.Sprintf("lakebox_millis(CAST(%s AS TIMESTAMP)) AS %s", name, name)
		case !nestedType(c.Type):
			out[i] = fmt.Sprintf("CAST(%s AS %s) AS %s", name, dt, name)
		}
	}
	return out, nil
}

// nestedType tells a Hive struct, array, map or union type.
func nestedType(hive string) bool {
	t := strings.ToLower(strings.TrimSpace(hive))
	for _, p := range []string{"struct", "array", "map", "uniontype"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// linkFiles makes every data file under an S3 location readable in dir
// and adds them to r.
func (b *binder) linkFiles(location, dir string, r *tableRead) error {
	bucket, prefix, err := parseS3URI(location)
	if err != nil {
		return userError(errUser, "HIVE_METASTORE_ERROR: %v", err)
	}
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	err = b.s.objects.List(b.ctx, b.sc.account, bucket, prefix, func(key string, _ int64) error {
		rel := strings.TrimPrefix(key, prefix)
		if strings.HasSuffix(key, "/") || hidden(rel) {
			return nil // folder markers, hidden files and folders
		}
		// Subfolders are read too, as Athena reads them (Firehose's
		// YYYY/MM/dd/HH/ folders under an unpartitioned table). Their
		// files are linked side by side: link names are unique per
		// object whatever its folder.
		p, size, err := b.s.objects.Link(b.ctx, b.sc.account, bucket, key, dir, path.Base(rel))
		if err != nil {
			if e, ok := awserr.As(err); ok {
				return userError(errPermitted, "HIVE_CANNOT_OPEN_SPLIT: Error opening s3://%s/%s: %s", bucket, key, e.Message)
			}
			return userError(errUser, "HIVE_CANNOT_OPEN_SPLIT: Error opening s3://%s/%s: %v", bucket, key, err)
		}
		r.files, r.sizes = append(r.files, p), append(r.sizes, size)
		return nil
	})
	if err != nil {
		if e, ok := awserr.As(err); ok && e.Code == "NoSuchBucket" {
			return userError(errUser, "HIVE_PATH_ALREADY_EXISTS: The bucket of location %s does not exist", location)
		}
		return err
	}
	return nil
}

// partitionFolder names a partition's folder in the link farm, key=value,
// percent-encoded for the engine's Hive partitioning to decode: '=' too,
// which a path allows but would end the key.
func partitionFolder(key, value string) string {
	return url.PathEscape(strings.ToLower(key)) + "=" + strings.ReplaceAll(url.PathEscape(value), "=", "%3D")
}

// hidden tells whether a path under a table's location names a file the
// engine passes over, as Hive and Trino do: any part of it beginning with
// "_" or "." (_SUCCESS, _temporary/, .hive-staging).
func hidden(rel string) bool {
	for part := range strings.SplitSeq(rel, "/") {
		if strings.HasPrefix(part, "_") || strings.HasPrefix(part, ".") {
			return true
		}
	}
	return false
}

func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// tableFormat decides how a table's files are read.
type fileFormat struct {
	kind      string // parquet, csv, json
	delimiter string
	quote     string
	escape    string
	header    bool
	// exactKeys: JSON keys match columns only as spelled (the SerDe
	// property case.insensitive = false); by default case is ignored.
	exactKeys bool
	// byName: ORC columns are matched by name ('orc.column.index.access'
	// = 'false'), not by position as Athena does by default.
	byName bool
}

func tableFormat(t *glue.Table) (*fileFormat, error) {
	sd := t.StorageDescriptor
	lib, in := "", strings.ToLower(sd.InputFormat)
	params := map[string]string{}
	if sd.SerdeInfo != nil {
		lib = strings.ToLower(sd.SerdeInfo.SerializationLibrary)
		for k, v := range sd.SerdeInfo.Parameters {
			params[k] = v
		}
	}
	class := strings.ToLower(t.Parameters["classification"])
	skip := t.Parameters["skip.header.line.count"]
	if skip == "" {
		skip = sd.Parameters["skip.header.line.count"]
	}
	switch {
	case strings.Contains(lib, "parquet") || strings.Contains(in, "parquet") || class == "parquet":
		return &fileFormat{kind: "parquet"}, nil
	case strings.Contains(lib, "json") || class == "json":
		return &fileFormat{kind: "json", exactKeys: strings.EqualFold(params["case.insensitive"], "false")}, nil
	case strings.Contains(lib, "opencsv"):
		f := &fileFormat{kind: "csv", delimiter: firstOr(params["separatorChar"], ","), quote: firstOr(params["quoteChar"], `"`), escape: firstOr(params["escapeChar"], `\`), header: skip == "1"}
		return f, nil
	case strings.Contains(lib, "lazysimple") || strings.Contains(in, "textinputformat") || class == "csv":
		d := params["field.delim"]
		if d == "" {
			d = firstOr(t.Parameters["delimiter"], "\x01")
		}
		return &fileFormat{kind: "csv", delimiter: d, header: skip == "1"}, nil
	case strings.Contains(lib, "avro") || strings.Contains(in, "avro") || class == "avro":
		return &fileFormat{kind: "avro"}, nil
	case strings.Contains(lib, "orc") || strings.Contains(in, "orc") || class == "orc":
		return &fileFormat{kind: "orc", byName: strings.EqualFold(params["orc.column.index.access"], "false")}, nil
	}
	return nil, userError(errUser, "HIVE_UNSUPPORTED_FORMAT: Unable to create input format for table %s.%s", t.DatabaseName, t.Name)
}

// blobText tells whether a column of the Hive type is read as the text of
// a blob and then cast: an ORC file's binary columns are written into JSON
// lines that way (orc.go), and the engine reads JSON strings as blobs byte
// for byte.
func (f *fileFormat) blobText(hive string) bool {
	return f.kind == "orc" && strings.EqualFold(strings.TrimSpace(hive), "binary")
}

func firstOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// jsonKeys returns how a JSON table's files spell their keys, from the
// structure of their first thousand records.
func (b *binder) jsonKeys(files []string) (*spelling, error) {
	quoted := make([]string, len(files))
	for i, p := range files {
		quoted[i] = quoteString(p)
	}
	q := fmt.Sprintf("SELECT CAST(json_group_structure(json) AS VARCHAR) FROM (SELECT json FROM read_json_objects([%s], format = 'newline_delimited', ignore_errors = true) LIMIT 1000)",
		strings.Join(quoted, ", "))
	var structure string
	if _, err := b.sess.Query(b.ctx, q, func(row []*string) error {
		if row[0] != nil {
			structure = *row[0]
		}
		return nil
	}); err != nil {
		return nil, engineError(b.query, err)
	}
	var v any
	if structure != "" {
		if err := json.Unmarshal([]byte(structure), &v); err != nil {
			return nil, fmt.Errorf("athena: JSON key structure: %w", err)
		}
	}
	return spellingOf("", v), nil
}

// reader is the engine's table function over files; keys spell a JSON
// table's columns and fields as its files do (nil otherwise).
func (f *fileFormat) reader(read *tableRead, partitioned bool, cols []glue.Column, keys *spelling) (string, error) {
	quoted := make([]string, len(read.files))
	for i, p := range read.files {
		quoted[i] = quoteString(p)
	}
	glob := "[" + strings.Join(quoted, ", ") + "]"
	hive := fmt.Sprintf("hive_partitioning = %v, hive_types_autocast = false", partitioned)
	if f.kind == "parquet" {
		// Files of one schema need no unifying by name, which has the
		// engine read every file's schema before it starts (a tenth of
		// a short query's time over 50 files).
		if read.sameSchema {
			return fmt.Sprintf("read_parquet(%s, %s)", glob, hive), nil
		}
		return fmt.Sprintf("read_parquet(%s, %s, union_by_name = true)", glob, hive), nil
	}
	var defs []string
	for _, c := range cols {
		sp := keys.field(c.Name)
		dt, err := spelledType(c.Type, sp)
		if err != nil {
			return "", err
		}
		if f.blobText(c.Type) {
			dt = "VARCHAR"
		}
		defs = append(defs, quoteString(sp.nameOr(c.Name))+": "+quoteString(dt))
	}
	columns := "{" + strings.Join(defs, ", ") + "}"
	if f.kind == "json" || f.kind == "avro" || f.kind == "orc" {
		return fmt.Sprintf("read_json(%s, format = 'newline_delimited', columns = %s, %s, ignore_errors = true)", glob, columns, hive), nil
	}
	opts := fmt.Sprintf("delim = %s, header = %v, columns = %s, %s, auto_detect = false, null_padding = true", quoteString(f.delimiter), f.header, columns, hive)
	if f.quote != "" {
		opts += ", quote = " + quoteString(f.quote)
	}
	if f.escape != "" {
		opts += ", escape = " + quoteString(f.escape)
	}
	return fmt.Sprintf("read_csv(%s, %s)", glob, opts), nil
}
