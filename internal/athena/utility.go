package athena

import (
	"context"
	"regexp"
	"strings"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/glue"
)

// Statements on the catalog that Lakebox carries out itself.
var (
	showDatabases = regexp.MustCompile(`(?is)^SHOW\s+(?:DATABASES|SCHEMAS)(?:\s+(?:LIKE\s+)?'([^']*)')?$`)
	showTables    = regexp.MustCompile("(?is)^SHOW\\s+TABLES(?:\\s+(?:IN|FROM)\\s+`?([\\w-]+)`?)?(?:\\s+(?:LIKE\\s+)?'([^']*)')?$")
	createDB      = regexp.MustCompile("(?is)^CREATE\\s+(?:DATABASE|SCHEMA)\\s+(IF\\s+NOT\\s+EXISTS\\s+)?`?([\\w-]+)`?(?:\\s+COMMENT\\s+'([^']*)')?(?:\\s+LOCATION\\s+'([^']*)')?(?:\\s+WITH\\s+DBPROPERTIES\\s*\\(.*\\))?$")
	dropDB        = regexp.MustCompile("(?is)^DROP\\s+(?:DATABASE|SCHEMA)\\s+(IF\\s+EXISTS\\s+)?`?([\\w-]+)`?(\\s+(?:CASCADE|RESTRICT))?$")
	dropTable     = regexp.MustCompile("(?is)^DROP\\s+TABLE\\s+(IF\\s+EXISTS\\s+)?`?([\\w-]+)`?(?:\\.`?([\\w-]+)`?)?$")
	describe      = regexp.MustCompile("(?is)^DESCRIBE\\s+(?:FORMATTED\\s+|EXTENDED\\s+)?`?([\\w-]+)`?(?:\\.`?([\\w-]+)`?)?$")
)

// utility runs SHOW, DESCRIBE, CREATE/DROP DATABASE and DROP TABLE; ok is
// false for any other statement.
func (s *Service) utility(ctx context.Context, sc scope, rec *queryRecord, q string) (*result, bool, error) {
	ictx := sc.identity(ctx)
	text := textResult
	ddl := func() *result { return &result{text: true} }
	if res, ok, err := s.viewDDL(ctx, sc, rec, q); ok || err != nil {
		return res, true, err
	}
	if res, ok, err := s.hiveDDL(ctx, sc, rec, q); ok || err != nil {
		return res, true, err
	}
	switch {
	case showDatabases.MatchString(q):
		m := showDatabases.FindStringSubmatch(q)
		var names []string
		var next string
		for {
			out, err := s.glue.GetDatabases(ictx, &glue.GetDatabasesInput{NextToken: next})
			if err != nil {
				return nil, true, err
			}
			for _, d := range out.DatabaseList {
				if likeMatch(m[1], d.Name) {
					names = append(names, d.Name)
				}
			}
			if next = out.NextToken; next == "" {
				break
			}
		}
		return text("database_name", names), true, nil
	case showTables.MatchString(q):
		m := showTables.FindStringSubmatch(q)
		db := firstOr(m[1], rec.QueryExecutionContext.Database)
		if db == "" {
			return nil, true, userError(errSyntax, "line 1:1: Schema must be specified when session schema is not set")
		}
		var names []string
		var next string
		for {
			out, err := s.glue.GetTables(ictx, &glue.GetTablesInput{DatabaseName: db, NextToken: next})
			if err != nil {
				return nil, true, catalogError(err, db, "")
			}
			for _, t := range out.TableList {
				if likeMatch(m[2], t.Name) {
					names = append(names, t.Name)
				}
			}
			if next = out.NextToken; next == "" {
				break
			}
		}
		return text("tab_name", names), true, nil
	case createDB.MatchString(q):
		m := createDB.FindStringSubmatch(q)
		_, err := s.glue.CreateDatabase(ictx, &glue.CreateDatabaseInput{DatabaseInput: &glue.DatabaseInput{Name: m[2], Description: m[3], LocationUri: m[4]}})
		if e, ok := awserr.As(err); ok && e.Code == "AlreadyExistsException" {
			if m[1] != "" {
				return ddl(), true, nil
			}
			return nil, true, userError(errUser, "FAILED: AlreadyExistsException: Database %s already exists", strings.ToLower(m[2]))
		}
		return ddl(), true, err
	case dropDB.MatchString(q):
		m := dropDB.FindStringSubmatch(q)
		if !strings.EqualFold(strings.TrimSpace(m[3]), "CASCADE") {
			out, err := s.glue.GetTables(ictx, &glue.GetTablesInput{DatabaseName: m[2], MaxResults: 1})
			if err == nil && len(out.TableList) > 0 {
				return nil, true, userError(errUser, "FAILED: InvalidOperationException: Database %s is not empty. One or more tables exist.", strings.ToLower(m[2]))
			}
		}
		_, err := s.glue.DeleteDatabase(ictx, &glue.DeleteDatabaseInput{Name: m[2]})
		if e, ok := awserr.As(err); ok && e.Code == "EntityNotFoundException" {
			if m[1] != "" {
				return ddl(), true, nil
			}
			return nil, true, userError(errNoTable, "FAILED: SemanticException [Error 10072]: Database does not exist: %s", strings.ToLower(m[2]))
		}
		return ddl(), true, err
	case dropTable.MatchString(q):
		m := dropTable.FindStringSubmatch(q)
		db, table := rec.QueryExecutionContext.Database, m[2]
		if m[3] != "" {
			db, table = m[2], m[3]
		}
		_, err := s.glue.DeleteTable(ictx, &glue.DeleteTableInput{DatabaseName: db, Name: table})
		if e, ok := awserr.As(err); ok && e.Code == "EntityNotFoundException" {
			if m[1] != "" {
				return ddl(), true, nil
			}
			return nil, true, userError(errNoTable, "FAILED: SemanticException [Error 10001]: Table not found %s.%s", db, table)
		}
		return ddl(), true, err
	case describe.MatchString(q):
		m := describe.FindStringSubmatch(q)
		db, table := rec.QueryExecutionContext.Database, m[1]
		if m[2] != "" {
			db, table = m[1], m[2]
		}
		out, err := s.glue.GetTable(ictx, &glue.GetTableInput{DatabaseName: db, Name: table})
		if err != nil {
			return nil, true, catalogError(err, db, table)
		}
		var lines []string
		for _, c := range out.Table.StorageDescriptor.Columns {
			lines = append(lines, padRight(c.Name, 20)+"\t"+padRight(c.Type, 20)+"\t"+c.Comment)
		}
		if len(out.Table.PartitionKeys) > 0 {
			lines = append(lines, "", "# Partition Information", "# col_name            \tdata_type           \tcomment             ", "")
			for _, k := range out.Table.PartitionKeys {
				lines = append(lines, padRight(k.Name, 20)+"\t"+padRight(k.Type, 20)+"\t"+k.Comment)
			}
		}
		return text("col_name", lines), true, nil
	}
	return nil, false, nil
}

func padRight(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len(s))
}

// likeMatch matches Hive's SHOW pattern: * any characters, | alternatives.
func likeMatch(pattern, name string) bool {
	if pattern == "" {
		return true
	}
	for _, alt := range strings.Split(pattern, "|") {
		re := "^(?i)" + strings.ReplaceAll(regexp.QuoteMeta(strings.TrimSpace(alt)), `\*`, ".*") + "$"
		if ok, _ := regexp.MatchString(re, name); ok {
			return true
		}
	}
	return false
}

func catalogError(err error, db, table string) error {
	if e, ok := awserr.As(err); ok && e.Code == "EntityNotFoundException" {
		if table == "" || strings.HasPrefix(e.Message, "Database") {
			return userError(errNoTable, "FAILED: SemanticException [Error 10072]: Database does not exist: %s", db)
		}
		return userError(errNoTable, "FAILED: SemanticException [Error 10001]: Table not found %s.%s", db, table)
	}
	return err
}
