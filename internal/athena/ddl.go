package athena

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/lakebox/lakebox/internal/glue"
)

// Hive DDL that Athena accepts, parsed by hand: the engine's parser does
// not know it.

// ddlLexer walks a statement's text: identifiers (plain or `quoted`),
// 'strings', and punctuation.
type ddlLexer struct {
	s   string
	pos int
}

func (l *ddlLexer) space() {
	for l.pos < len(l.s) {
		switch {
		case unicode.IsSpace(rune(l.s[l.pos])):
			l.pos++
		case strings.HasPrefix(l.s[l.pos:], "--"):
			if i := strings.IndexByte(l.s[l.pos:], '\n'); i >= 0 {
				l.pos += i + 1
			} else {
				l.pos = len(l.s)
			}
		case strings.HasPrefix(l.s[l.pos:], "/*"):
			if i := strings.Index(l.s[l.pos:], "*/"); i >= 0 {
				l.pos += i + 2
			} else {
				l.pos = len(l.s)
			}
		default:
			return
		}
	}
}

func (l *ddlLexer) errorf(format string, args ...any) error {
	line, col := lineCol(l.s, l.pos)
	return userError(errSyntax, "line %d:%d: %s", line, col, fmt.Sprintf(format, args...))
}

// keyword consumes the given words, case-insensitively, if they come next.
func (l *ddlLexer) keyword(words ...string) bool {
	save := l.pos
	for _, w := range words {
		l.space()
		end := l.pos
		for end < len(l.s) && (isIdentChar(l.s[end])) {
			end++
		}
		if !strings.EqualFold(l.s[l.pos:end], w) {
			l.pos = save
			return false
		}
		l.pos = end
	}
	return true
}

func isIdentChar(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '$'
}

// punct consumes c if it comes next.
func (l *ddlLexer) punct(c byte) bool {
	l.space()
	if l.pos < len(l.s) && l.s[l.pos] == c {
		l.pos++
		return true
	}
	return false
}

func (l *ddlLexer) expect(c byte) error {
	if !l.punct(c) {
		return l.errorf("mismatched input, expecting '%c'", c)
	}
	return nil
}

// ident reads an identifier, `quoted` or plain.
func (l *ddlLexer) ident() (string, error) {
	l.space()
	if l.pos < len(l.s) && l.s[l.pos] == '`' {
		end := strings.IndexByte(l.s[l.pos+1:], '`')
		if end < 0 {
			return "", l.errorf("unterminated quoted identifier")
		}
		id := l.s[l.pos+1 : l.pos+1+end]
		l.pos += end + 2
		return id, nil
	}
	start := l.pos
	for l.pos < len(l.s) && isIdentChar(l.s[l.pos]) {
		l.pos++
	}
	if start == l.pos {
		return "", l.errorf("mismatched input, expecting an identifier")
	}
	return l.s[start:l.pos], nil
}

// buckets reads "(col, ...) [SORTED BY (col [ASC|DESC], ...)] INTO n
// BUCKETS" after CLUSTERED BY.
func (l *ddlLexer) buckets(sd *glue.StorageDescriptor) error {
	list := func(sorted bool) error {
		if err := l.expect('('); err != nil {
			return err
		}
		for {
			c, err := l.ident()
			if err != nil {
				return err
			}
			if sorted {
				order := int64(1)
				if l.keyword("DESC") {
					order = 0
				} else {
					l.keyword("ASC")
				}
				sd.SortColumns = append(sd.SortColumns, glue.Order{Column: strings.ToLower(c), SortOrder: order})
			} else {
				sd.BucketColumns = append(sd.BucketColumns, strings.ToLower(c))
			}
			if !l.punct(',') {
				return l.expect(')')
			}
		}
	}
	if err := list(false); err != nil {
		return err
	}
	if l.keyword("SORTED", "BY") {
		if err := list(true); err != nil {
			return err
		}
	}
	if !l.keyword("INTO") {
		return l.errorf("mismatched input, expecting INTO n BUCKETS")
	}
	n, err := l.ident()
	v, perr := strconv.ParseInt(n, 10, 64)
	if err != nil || perr != nil || v < 1 || v > 100000 {
		return l.errorf("the number of buckets must be an integer from 1 to 100000")
	}
	sd.NumberOfBuckets = v
	if !l.keyword("BUCKETS") {
		return l.errorf("mismatched input, expecting BUCKETS")
	}
	return nil
}

// qualified reads [db.]name.
func (l *ddlLexer) qualified(defaultDB string) (db, name string, err error) {
	first, err := l.ident()
	if err != nil {
		return "", "", err
	}
	if l.punct('.') {
		second, err := l.ident()
		return strings.ToLower(first), strings.ToLower(second), err
	}
	return strings.ToLower(defaultDB), strings.ToLower(first), nil
}

// str reads a 'string' literal (” is a quote; Hive's \' too).
func (l *ddlLexer) str() (string, error) {
	l.space()
	if l.pos >= len(l.s) || (l.s[l.pos] != '\'' && l.s[l.pos] != '"') {
		return "", l.errorf("mismatched input, expecting a string")
	}
	q := l.s[l.pos]
	var b strings.Builder
	for i := l.pos + 1; i < len(l.s); i++ {
		switch c := l.s[i]; {
		case c == '\\' && i+1 < len(l.s):
			i++
			switch l.s[i] {
			case 't':
				b.WriteByte('\t')
			case 'n':
				b.WriteByte('\n')
			default:
				b.WriteByte(l.s[i])
			}
		case c == q && i+1 < len(l.s) && l.s[i+1] == q:
			b.WriteByte(q)
			i++
		case c == q:
			l.pos = i + 1
			return b.String(), nil
		default:
			b.WriteByte(c)
		}
	}
	return "", l.errorf("unterminated string")
}

// typ reads a Hive type up to a top-level ',' or ')' or COMMENT.
func (l *ddlLexer) typ() (string, error) {
	l.space()
	depth, start := 0, l.pos
	for l.pos < len(l.s) {
		c := l.s[l.pos]
		switch {
		case c == '<' || c == '(':
			depth++
		case c == '>' || c == ')':
			if depth == 0 {
				return l.finishType(start)
			}
			depth--
		case c == ',' && depth == 0:
			return l.finishType(start)
		case depth == 0 && unicode.IsSpace(rune(c)):
			save := l.pos
			if l.keyword("COMMENT") {
				l.pos = save
				return l.finishType(start)
			}
			l.pos = save
		}
		l.pos++
	}
	return l.finishType(start)
}

func (l *ddlLexer) finishType(start int) (string, error) {
	t := strings.ToLower(strings.Join(strings.Fields(l.s[start:l.pos]), ""))
	t = strings.ReplaceAll(t, "`", "")
	if _, err := duckType(t); err != nil {
		line, col := lineCol(l.s, start)
		return "", userError(errSyntax, "line %d:%d: Unknown type '%s'", line, col, t)
	}
	return t, nil
}

// columns reads "(name type [COMMENT 'x'], ...)".
func (l *ddlLexer) columns() ([]glue.Column, error) {
	if err := l.expect('('); err != nil {
		return nil, err
	}
	var cols []glue.Column
	for {
		name, err := l.ident()
		if err != nil {
			return nil, err
		}
		t, err := l.typ()
		if err != nil {
			return nil, err
		}
		c := glue.Column{Name: strings.ToLower(name), Type: t}
		if l.keyword("COMMENT") {
			if c.Comment, err = l.str(); err != nil {
				return nil, err
			}
		}
		cols = append(cols, c)
		if l.punct(')') {
			return cols, nil
		}
		if err := l.expect(','); err != nil {
			return nil, err
		}
	}
}

// properties reads "('k'='v', ...)".
func (l *ddlLexer) properties() (map[string]string, error) {
	if err := l.expect('('); err != nil {
		return nil, err
	}
	props := map[string]string{}
	for {
		k, err := l.str()
		if err != nil {
			return nil, err
		}
		if err := l.expect('='); err != nil {
			return nil, err
		}
		v, err := l.str()
		if err != nil {
			return nil, err
		}
		props[k] = v
		if l.punct(')') {
			return props, nil
		}
		if err := l.expect(','); err != nil {
			return nil, err
		}
	}
}

func (l *ddlLexer) end() error {
	l.space()
	if l.pos < len(l.s) && l.s[l.pos] == ';' {
		l.pos++
		l.space()
	}
	if l.pos != len(l.s) {
		return l.errorf("extraneous input '%s'", firstToken(l.s[l.pos:]))
	}
	return nil
}

func firstToken(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return s
}

// createTable is a parsed CREATE EXTERNAL TABLE.
type createTable struct {
	db          string
	ifNotExists bool
	input       glue.TableInput
}

// Storage formats of STORED AS.
var storedAs = map[string][3]string{ // input format, output format, serde
	"PARQUET":  {"org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat", "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat", "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"},
	"TEXTFILE": {"org.apache.hadoop.mapred.TextInputFormat", "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat", "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"},
	"JSONFILE": {"org.apache.hadoop.mapred.TextInputFormat", "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat", "org.apache.hive.hcatalog.data.JsonSerDe"},
	"ORC":      {"org.apache.hadoop.hive.ql.io.orc.OrcInputFormat", "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat", "org.apache.hadoop.hive.ql.io.orc.OrcSerde"},
	"AVRO":     {"org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat", "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat", "org.apache.hadoop.hive.serde2.avro.AvroSerDe"},
}

// parseCreateTable parses CREATE EXTERNAL TABLE.
func parseCreateTable(q, defaultDB string) (*createTable, error) {
	l := &ddlLexer{s: q}
	if !l.keyword("CREATE") {
		return nil, l.errorf("expecting CREATE")
	}
	if !l.keyword("EXTERNAL") {
		return nil, userError(errSyntax, "NOT_SUPPORTED: only CREATE EXTERNAL TABLE (and CTAS, not yet) create tables in Athena's Hive catalog")
	}
	if !l.keyword("TABLE") {
		return nil, l.errorf("mismatched input, expecting TABLE")
	}
	ct := &createTable{}
	ct.ifNotExists = l.keyword("IF", "NOT", "EXISTS")
	var err error
	if ct.db, ct.input.Name, err = l.qualified(defaultDB); err != nil {
		return nil, err
	}
	if ct.db == "" {
		return nil, l.errorf("Schema must be specified when session schema is not set")
	}
	cols, err := l.columns()
	if err != nil {
		return nil, err
	}
	in := &ct.input
	in.TableType = "EXTERNAL_TABLE"
	in.Parameters = map[string]string{"EXTERNAL": "TRUE"}
	sd := &glue.StorageDescriptor{Columns: cols, SerdeInfo: &glue.SerDeInfo{Parameters: map[string]string{}}}
	in.StorageDescriptor = sd
	formats := storedAs["TEXTFILE"]
	delimited := map[string]string{}
	for {
		switch {
		case l.keyword("COMMENT"):
			if in.Description, err = l.str(); err != nil {
				return nil, err
			}
		case l.keyword("PARTITIONED", "BY"):
			if in.PartitionKeys, err = l.columns(); err != nil {
				return nil, err
			}
		case l.keyword("CLUSTERED", "BY"):
			// Buckets shape how files were written; reading every file
			// gives the same answer, so they are recorded, not needed.
			if err := l.buckets(sd); err != nil {
				return nil, err
			}
		case l.keyword("ROW", "FORMAT", "DELIMITED"):
			for {
				var key string
				switch {
				case l.keyword("FIELDS", "TERMINATED", "BY"):
					key = "field.delim"
				case l.keyword("ESCAPED", "BY"):
					key = "escape.delim"
				case l.keyword("COLLECTION", "ITEMS", "TERMINATED", "BY"):
					key = "collection.delim"
				case l.keyword("MAP", "KEYS", "TERMINATED", "BY"):
					key = "mapkey.delim"
				case l.keyword("LINES", "TERMINATED", "BY"):
					key = "line.delim"
				case l.keyword("NULL", "DEFINED", "AS"):
					key = "serialization.null.format"
				}
				if key == "" {
					break
				}
				if delimited[key], err = l.str(); err != nil {
					return nil, err
				}
			}
			for k, v := range delimited {
				sd.SerdeInfo.Parameters[k] = v
			}
			if d, ok := delimited["field.delim"]; ok {
				sd.SerdeInfo.Parameters["serialization.format"] = d
			}
		case l.keyword("ROW", "FORMAT", "SERDE"):
			if sd.SerdeInfo.SerializationLibrary, err = l.str(); err != nil {
				return nil, err
			}
			if l.keyword("WITH", "SERDEPROPERTIES") {
				props, err := l.properties()
				if err != nil {
					return nil, err
				}
				for k, v := range props {
					sd.SerdeInfo.Parameters[k] = v
				}
			}
		case l.keyword("STORED", "AS", "INPUTFORMAT"):
			if sd.InputFormat, err = l.str(); err != nil {
				return nil, err
			}
			if !l.keyword("OUTPUTFORMAT") {
				return nil, l.errorf("mismatched input, expecting OUTPUTFORMAT")
			}
			if sd.OutputFormat, err = l.str(); err != nil {
				return nil, err
			}
		case l.keyword("STORED", "AS"):
			name, err := l.ident()
			if err != nil {
				return nil, err
			}
			f, ok := storedAs[strings.ToUpper(name)]
			if !ok {
				return nil, userError(errSyntax, "NOT_SUPPORTED: STORED AS %s is not supported by Lakebox yet", name)
			}
			formats = f
			sd.InputFormat, sd.OutputFormat = "", ""
		case l.keyword("LOCATION"):
			if sd.Location, err = l.str(); err != nil {
				return nil, err
			}
			if _, _, err := parseS3URI(sd.Location); err != nil {
				return nil, userError(errUser, "Invalid location: %s", sd.Location)
			}
		case l.keyword("TBLPROPERTIES"):
			props, err := l.properties()
			if err != nil {
				return nil, err
			}
			for k, v := range props {
				in.Parameters[k] = v
			}
		default:
			if err := l.end(); err != nil {
				return nil, err
			}
			if sd.InputFormat == "" {
				sd.InputFormat, sd.OutputFormat = formats[0], formats[1]
			}
			if sd.SerdeInfo.SerializationLibrary == "" {
				sd.SerdeInfo.SerializationLibrary = formats[2]
				if formats == storedAs["TEXTFILE"] && sd.SerdeInfo.Parameters["field.delim"] == "" {
					sd.SerdeInfo.Parameters["field.delim"] = "\x01"
				}
			}
			if sd.Location == "" {
				return nil, userError(errSyntax, "line 1:1: External location must be specified")
			}
			for k, v := range in.Parameters {
				if k == "skip.header.line.count" || k == "compressionType" || k == "classification" {
					sd.Parameters = setParam(sd.Parameters, k, v)
				}
			}
			return ct, nil
		}
	}
}

func setParam(m map[string]string, k, v string) map[string]string {
	if m == nil {
		m = map[string]string{}
	}
	m[k] = v
	return m
}

// partitionSpec is "PARTITION (k='v', ...) [LOCATION 's3://...']".
type partitionSpec struct {
	values   map[string]string
	location string
}

func (l *ddlLexer) partitionSpec(withLocation bool) (*partitionSpec, error) {
	if !l.keyword("PARTITION") {
		return nil, l.errorf("mismatched input, expecting PARTITION")
	}
	if err := l.expect('('); err != nil {
		return nil, err
	}
	p := &partitionSpec{values: map[string]string{}}
	for {
		k, err := l.ident()
		if err != nil {
			return nil, err
		}
		if err := l.expect('='); err != nil {
			return nil, err
		}
		l.space()
		var v string
		if l.pos < len(l.s) && (l.s[l.pos] == '\'' || l.s[l.pos] == '"') {
			v, err = l.str()
		} else {
			v, err = l.ident()
		}
		if err != nil {
			return nil, err
		}
		p.values[strings.ToLower(k)] = v
		if l.punct(')') {
			break
		}
		if err := l.expect(','); err != nil {
			return nil, err
		}
	}
	if withLocation && l.keyword("LOCATION") {
		var err error
		if p.location, err = l.str(); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// valuesFor orders a spec's values by the table's partition keys.
func (p *partitionSpec) valuesFor(t *glue.Table) ([]string, error) {
	if len(p.values) != len(t.PartitionKeys) {
		return nil, userError(errUser, "FAILED: SemanticException table is partitioned by %d keys, the partition names %d", len(t.PartitionKeys), len(p.values))
	}
	vals := make([]string, len(t.PartitionKeys))
	for i, k := range t.PartitionKeys {
		v, ok := p.values[strings.ToLower(k.Name)]
		if !ok {
			return nil, userError(errUser, "FAILED: SemanticException Partition spec is missing key %s", k.Name)
		}
		vals[i] = v
	}
	return vals, nil
}

// showCreateTable renders a table as the DDL that makes it.
func showCreateTable(t *glue.Table) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE EXTERNAL TABLE `%s`.`%s`(\n", t.DatabaseName, t.Name)
	sd := t.StorageDescriptor
	for i, c := range sd.Columns {
		sep := ","
		if i == len(sd.Columns)-1 {
			sep = ")"
		}
		comment := ""
		if c.Comment != "" {
			comment = " COMMENT '" + strings.ReplaceAll(c.Comment, "'", "\\'") + "'"
		}
		fmt.Fprintf(&b, "  `%s` %s%s%s\n", c.Name, c.Type, comment, sep)
	}
	if len(t.PartitionKeys) > 0 {
		b.WriteString("PARTITIONED BY ( \n")
		for i, k := range t.PartitionKeys {
			sep := ", "
			if i == len(t.PartitionKeys)-1 {
				sep = ")"
			}
			fmt.Fprintf(&b, "  `%s` %s%s\n", k.Name, k.Type, sep)
		}
	}
	if sd.SerdeInfo != nil {
		fmt.Fprintf(&b, "ROW FORMAT SERDE \n  '%s' \n", sd.SerdeInfo.SerializationLibrary)
		if len(sd.SerdeInfo.Parameters) > 0 {
			b.WriteString("WITH SERDEPROPERTIES ( \n")
			writeProps(&b, sd.SerdeInfo.Parameters)
		}
	}
	fmt.Fprintf(&b, "STORED AS INPUTFORMAT \n  '%s' \nOUTPUTFORMAT \n  '%s'\n", sd.InputFormat, sd.OutputFormat)
	fmt.Fprintf(&b, "LOCATION\n  '%s'\n", sd.Location)
	if len(t.Parameters) > 0 {
		b.WriteString("TBLPROPERTIES (\n")
		writeProps(&b, t.Parameters)
	}
	return strings.TrimRight(b.String(), "\n")
}

func writeProps(b *strings.Builder, m map[string]string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		sep := ", "
		if i == len(keys)-1 {
			sep = ")"
		}
		fmt.Fprintf(b, "  '%s'='%s'%s\n", k, m[k], sep)
	}
}
