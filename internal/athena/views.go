package athena

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/glue"
)

// Views are stored in the Glue catalog as Athena stores them: a
// VIRTUAL_VIEW whose ViewOriginalText is "/* Presto View: <base64 JSON> */"
// holding the SQL, the schema it was made in and its columns. A query
// naming a view gets the view's query as a subquery, bound in turn.

type prestoView struct {
	OriginalSQL  string       `json:"originalSql"`
	Catalog      string       `json:"catalog"`
	Schema       string       `json:"schema"`
	Columns      []viewColumn `json:"columns"`
	Owner        string       `json:"owner,omitempty"`
	RunAsInvoker bool         `json:"runAsInvoker"`
}

type viewColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

var (
	createView     = regexp.MustCompile("(?is)^CREATE\\s+(OR\\s+REPLACE\\s+)?VIEW\\s+`?([\\w-]+)`?(?:\\.`?([\\w-]+)`?)?\\s+AS\\s+(.+)$")
	dropView       = regexp.MustCompile("(?is)^DROP\\s+VIEW\\s+(IF\\s+EXISTS\\s+)?`?([\\w-]+)`?(?:\\.`?([\\w-]+)`?)?$")
	showViews      = regexp.MustCompile("(?is)^SHOW\\s+VIEWS(?:\\s+(?:IN|FROM)\\s+`?([\\w-]+)`?)?(?:\\s+(?:LIKE\\s+)?'([^']*)')?$")
	showCreateView = regexp.MustCompile("(?is)^SHOW\\s+CREATE\\s+VIEW\\s+`?([\\w-]+)`?(?:\\.`?([\\w-]+)`?)?$")
)

func viewText(v *prestoView) string {
	return "/* Presto View: " + base64.StdEncoding.EncodeToString(mustJSON(v)) + " */"
}

// decodeView reads a view's definition.
func decodeView(t *glue.Table) (*prestoView, error) {
	text := strings.TrimSpace(t.ViewOriginalText)
	inner, ok := strings.CutPrefix(text, "/* Presto View: ")
	if !ok || !strings.HasSuffix(inner, " */") {
		return nil, userError(errUser, "NOT_SUPPORTED: view %s.%s is not a Presto view", t.DatabaseName, t.Name)
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimSuffix(inner, " */"))
	if err != nil {
		return nil, userError(errUser, "HIVE_INVALID_VIEW_DATA: view %s.%s: %v", t.DatabaseName, t.Name, err)
	}
	var v prestoView
	if err := json.Unmarshal(b, &v); err != nil || v.OriginalSQL == "" {
		return nil, userError(errUser, "HIVE_INVALID_VIEW_DATA: view %s.%s has no SQL", t.DatabaseName, t.Name)
	}
	return &v, nil
}

// bindView replaces a table reference to a view by the view's query.
func (b *binder) bindView(n map[string]any, t *glue.Table, depth int) error {
	if depth > 16 {
		return userError(errUser, "VIEW_IS_RECURSIVE: View %s.%s refers to itself", t.DatabaseName, t.Name)
	}
	v, err := decodeView(t)
	if err != nil {
		return err
	}
	if err := placeholderFree(v.OriginalSQL); err != nil {
		return err
	}
	tree, err := b.sess.Parse(b.ctx, trinoSyntax(v.OriginalSQL))
	if err != nil {
		return userError(errUser, "HIVE_INVALID_VIEW_DATA: view %s.%s: %v", t.DatabaseName, t.Name, err)
	}
	dec := json.NewDecoder(strings.NewReader(tree))
	dec.UseNumber()
	var root map[string]any
	if err := dec.Decode(&root); err != nil {
		return err
	}
	stmts, _ := root["statements"].([]any)
	if len(stmts) != 1 {
		return userError(errUser, "HIVE_INVALID_VIEW_DATA: view %s.%s does not hold one query", t.DatabaseName, t.Name)
	}
	sub := &binder{s: b.s, sc: b.sc, ctx: b.ctx, sess: b.sess, query: v.OriginalSQL, defaultDB: v.Schema,
		tables: b.tables, depth: depth + 1}
	translate(stmts[0])
	typedDoubles(stmts[0])
	markPrunes(stmts[0])
	ctes := map[string]bool{}
	collectCTEs(stmts[0], ctes)
	if err := sub.walk(stmts[0], ctes); err != nil {
		return err
	}
	alias := stringOf(n["alias"])
	if alias == "" {
		alias = t.Name
	}
	asSubquery(n, alias, stmts[0])
	return nil
}

// viewDDL runs CREATE [OR REPLACE] VIEW, DROP VIEW, SHOW VIEWS and SHOW
// CREATE VIEW; ok is false for other statements.
func (s *Service) viewDDL(ctx context.Context, sc scope, rec *queryRecord, q string) (*result, bool, error) {
	ictx := sc.identity(ctx)
	defDB := rec.QueryExecutionContext.Database
	name := func(a, b string) (string, string) {
		if b != "" {
			return strings.ToLower(a), strings.ToLower(b)
		}
		return strings.ToLower(defDB), strings.ToLower(a)
	}
	switch {
	case createView.MatchString(q):
		m := createView.FindStringSubmatch(q)
		db, vn := name(m[2], m[3])
		if db == "" {
			return nil, true, userError(errSyntax, "line 1:1: Schema must be specified when session schema is not set")
		}
		cols, err := s.viewColumns(ctx, sc, rec, m[4], db)
		if err != nil {
			return nil, true, err
		}
		v := &prestoView{OriginalSQL: m[4], Catalog: "awsdatacatalog", Schema: db, Owner: "arn:aws:iam::" + sc.account + ":root"}
		var hive []glue.Column
		for _, c := range cols {
			v.Columns = append(v.Columns, viewColumn{Name: c.name, Type: c.presto})
			hive = append(hive, glue.Column{Name: c.name, Type: c.hive})
		}
		in := &glue.TableInput{Name: vn, TableType: "VIRTUAL_VIEW", ViewOriginalText: viewText(v), ViewExpandedText: "/* Presto View */",
			Parameters:        map[string]string{"presto_view": "true", "comment": "Presto View"},
			StorageDescriptor: &glue.StorageDescriptor{Columns: hive, SerdeInfo: &glue.SerDeInfo{}}}
		_, err = s.glue.CreateTable(ictx, &glue.CreateTableInput{DatabaseName: db, TableInput: in})
		if e, ok := awserr.As(err); ok && e.Code == "AlreadyExistsException" {
			if m[1] == "" {
				return nil, true, userError(errUser, "line 1:1: View '%s.%s' already exists", db, vn)
			}
			old, gerr := s.glue.GetTable(ictx, &glue.GetTableInput{DatabaseName: db, Name: vn})
			if gerr == nil && old.Table.TableType != "VIRTUAL_VIEW" {
				return nil, true, userError(errUser, "line 1:1: Table '%s.%s' already exists and is not a view", db, vn)
			}
			_, err = s.glue.UpdateTable(ictx, &glue.UpdateTableInput{DatabaseName: db, TableInput: in})
		}
		if err != nil {
			return nil, true, catalogError(err, db, vn)
		}
		return &result{text: true}, true, nil
	case dropView.MatchString(q):
		m := dropView.FindStringSubmatch(q)
		db, vn := name(m[2], m[3])
		out, err := s.glue.GetTable(ictx, &glue.GetTableInput{DatabaseName: db, Name: vn})
		if err != nil {
			if e, ok := awserr.As(err); ok && e.Code == "EntityNotFoundException" && m[1] != "" {
				return &result{text: true}, true, nil
			}
			return nil, true, userError(errNoTable, "line 1:1: View '%s.%s' does not exist", db, vn)
		}
		if out.Table.TableType != "VIRTUAL_VIEW" {
			return nil, true, userError(errUser, "line 1:1: '%s.%s' is a table, not a view", db, vn)
		}
		_, err = s.glue.DeleteTable(ictx, &glue.DeleteTableInput{DatabaseName: db, Name: vn})
		return &result{text: true}, true, err
	case showViews.MatchString(q):
		m := showViews.FindStringSubmatch(q)
		db := firstOr(m[1], defDB)
		var names []string
		var next string
		for {
			out, err := s.glue.GetTables(ictx, &glue.GetTablesInput{DatabaseName: db, NextToken: next})
			if err != nil {
				return nil, true, catalogError(err, db, "")
			}
			for _, t := range out.TableList {
				if t.TableType == "VIRTUAL_VIEW" && likeMatch(m[2], t.Name) {
					names = append(names, t.Name)
				}
			}
			if next = out.NextToken; next == "" {
				break
			}
		}
		return textResult("views", names), true, nil
	case showCreateView.MatchString(q):
		m := showCreateView.FindStringSubmatch(q)
		db, vn := name(m[1], m[2])
		out, err := s.glue.GetTable(ictx, &glue.GetTableInput{DatabaseName: db, Name: vn})
		if err != nil {
			return nil, true, catalogError(err, db, vn)
		}
		v, err := decodeView(out.Table)
		if err != nil {
			return nil, true, err
		}
		return textResult("Create View", []string{fmt.Sprintf("CREATE VIEW %s.%s AS\n%s", db, vn, v.OriginalSQL)}), true, nil
	}
	return nil, false, nil
}

type outputColumn struct{ name, presto, hive string }

// viewColumns runs the view's query with no rows to learn its columns.
func (s *Service) viewColumns(ctx context.Context, sc scope, rec *queryRecord, query, db string) ([]outputColumn, error) {
	sess, err := s.engine.Session(ctx)
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	sql, _, err := s.bindQuery(ctx, sc, sess, query, db, forTable)
	if err != nil {
		return nil, err
	}
	cols, err := sess.Query(ctx, "SELECT * FROM ("+sql+") LIMIT 0", func([]*string) error { return nil })
	if err != nil {
		return nil, engineError(query, err)
	}
	var out []outputColumn
	for _, c := range cols {
		info := columnInfo(c.Name, c.Type)
		out = append(out, outputColumn{name: strings.ToLower(c.Name), presto: info.Type, hive: hiveType(c.Type)})
	}
	return out, nil
}

// hiveType names an engine type the way a Glue column would, nested types
// included: INTEGER[] is array<int>, STRUCT("a" INTEGER) struct<a:int>,
// MAP(VARCHAR, DOUBLE) map<string,double>.
func hiveType(duck string) string {
	d := strings.TrimSpace(duck)
	if strings.HasSuffix(d, "]") { // a list, T[] or T[n]
		if i := strings.LastIndexByte(d, '['); i > 0 {
			return "array<" + hiveType(d[:i]) + ">"
		}
	}
	upper := strings.ToUpper(d)
	if args, ok := typeArgs(d, "STRUCT"); ok {
		var fields []string
		for _, f := range args {
			name, typ := structField(f)
			fields = append(fields, strings.ToLower(name)+":"+hiveType(typ))
		}
		return "struct<" + strings.Join(fields, ",") + ">"
	}
	if args, ok := typeArgs(d, "MAP"); ok && len(args) == 2 {
		return "map<" + hiveType(args[0]) + "," + hiveType(args[1]) + ">"
	}
	d = upper
	switch {
	case d == "VARCHAR" || d == "UUID" || d == "JSON":
		return "string"
	case d == "INTEGER":
		return "int"
	case d == "BIGINT" || d == "HUGEINT":
		return "bigint"
	case d == "SMALLINT":
		return "smallint"
	case d == "TINYINT":
		return "tinyint"
	case d == "DOUBLE":
		return "double"
	case d == "FLOAT":
		return "float"
	case d == "BOOLEAN":
		return "boolean"
	case d == "DATE":
		return "date"
	case strings.HasPrefix(d, "TIMESTAMP"):
		return "timestamp"
	case strings.HasPrefix(d, "DECIMAL"):
		return strings.ToLower(d)
	case d == "BLOB":
		return "binary"
	}
	return "string"
}

// typeArgs splits NAME(a, b, ...), the engine's spelling of a type with
// arguments, into its arguments, commas inside parentheses or quotes kept.
func typeArgs(t, name string) ([]string, bool) {
	if len(t) < len(name)+2 || !strings.EqualFold(t[:len(name)], name) || t[len(name)] != '(' || t[len(t)-1] != ')' {
		return nil, false
	}
	inner := t[len(name)+1 : len(t)-1]
	var args []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(inner); i++ {
		switch c := inner[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			depth--
		case c == ',' && depth == 0:
			args = append(args, strings.TrimSpace(inner[start:i]))
			start = i + 1
		}
	}
	return append(args, strings.TrimSpace(inner[start:])), true
}

// structField splits a STRUCT member, "name" TYPE or name TYPE.
func structField(f string) (name, typ string) {
	if strings.HasPrefix(f, `"`) {
		for i := 1; i < len(f); i++ {
			if f[i] == '"' {
				if i+1 < len(f) && f[i+1] == '"' { // a doubled quote
					i++
					continue
				}
				return strings.ReplaceAll(f[1:i], `""`, `"`), strings.TrimSpace(f[i+1:])
			}
		}
	}
	name, typ, _ = strings.Cut(f, " ")
	return name, strings.TrimSpace(typ)
}
