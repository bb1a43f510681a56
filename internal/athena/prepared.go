package athena

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/epoch"
)

// Prepared statements, per workgroup: made by CreatePreparedStatement or
// PREPARE, run by EXECUTE ... USING, removed by DeletePreparedStatement or
// DEALLOCATE PREPARE.

type PreparedStatement struct {
	StatementName    string      `json:"StatementName"`
	QueryStatement   string      `json:"QueryStatement"`
	WorkGroupName    string      `json:"WorkGroupName"`
	Description      string      `json:"Description,omitempty"`
	LastModifiedTime *epoch.Time `json:"LastModifiedTime,omitempty"`
}

var statementName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_@:]{0,255}$`)

func (s *Service) putPrepared(sc scope, wg, name, query, description string, create bool) error {
	if !statementName.MatchString(name) {
		return invalid("StatementName %q is not valid.", name)
	}
	if strings.TrimSpace(query) == "" {
		return invalid("QueryStatement is required.")
	}
	if _, err := s.workGroup(sc, wg); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := sc.key(kindPrepared, wg, name)
	has, err := s.db.Has(key)
	if err != nil {
		return err
	}
	switch {
	case create && has:
		return invalid("Prepared statement %s already exists in workgroup %s.", name, wg)
	case !create && !has:
		return ErrResourceNotFound.WithMessage("Prepared statement %s not found in workgroup %s.", name, wg)
	}
	b := s.db.NewBatch()
	b.Set(key, mustJSON(&PreparedStatement{StatementName: name, QueryStatement: query, WorkGroupName: wg, Description: description, LastModifiedTime: epoch.Ptr(s.clock.Now())}))
	return b.Commit()
}

func (s *Service) prepared(sc scope, wg, name string) (*PreparedStatement, error) {
	var p PreparedStatement
	ok, err := s.getJSON(sc.key(kindPrepared, wg, name), &p)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrResourceNotFound.WithMessage("Prepared statement %s not found in workgroup %s.", name, wg)
	}
	return &p, nil
}

type CreatePreparedStatementInput struct {
	StatementName  string `json:"StatementName"`
	WorkGroup      string `json:"WorkGroup"`
	QueryStatement string `json:"QueryStatement"`
	Description    string `json:"Description,omitempty"`
}

type CreatePreparedStatementOutput struct{}

// CreatePreparedStatement saves a statement with ? parameters.
func (s *Service) CreatePreparedStatement(ctx context.Context, in *CreatePreparedStatementInput) (*CreatePreparedStatementOutput, error) {
	return &CreatePreparedStatementOutput{}, s.putPrepared(scopeOf(ctx), in.WorkGroup, in.StatementName, in.QueryStatement, in.Description, true)
}

type UpdatePreparedStatementInput = CreatePreparedStatementInput

type UpdatePreparedStatementOutput struct{}

// UpdatePreparedStatement replaces a saved statement.
func (s *Service) UpdatePreparedStatement(ctx context.Context, in *UpdatePreparedStatementInput) (*UpdatePreparedStatementOutput, error) {
	return &UpdatePreparedStatementOutput{}, s.putPrepared(scopeOf(ctx), in.WorkGroup, in.StatementName, in.QueryStatement, in.Description, false)
}

type PreparedStatementNameInput struct {
	StatementName string `json:"StatementName"`
	WorkGroup     string `json:"WorkGroup"`
}

type GetPreparedStatementOutput struct {
	PreparedStatement *PreparedStatement `json:"PreparedStatement"`
}

// GetPreparedStatement returns a saved statement.
func (s *Service) GetPreparedStatement(ctx context.Context, in *PreparedStatementNameInput) (*GetPreparedStatementOutput, error) {
	p, err := s.prepared(scopeOf(ctx), in.WorkGroup, in.StatementName)
	if err != nil {
		return nil, err
	}
	return &GetPreparedStatementOutput{PreparedStatement: p}, nil
}

type DeletePreparedStatementOutput struct{}

// DeletePreparedStatement removes a saved statement.
func (s *Service) DeletePreparedStatement(ctx context.Context, in *PreparedStatementNameInput) (*DeletePreparedStatementOutput, error) {
	sc := scopeOf(ctx)
	if _, err := s.prepared(sc, in.WorkGroup, in.StatementName); err != nil {
		return nil, err
	}
	b := s.db.NewBatch()
	b.Delete(sc.key(kindPrepared, in.WorkGroup, in.StatementName))
	return &DeletePreparedStatementOutput{}, b.Commit()
}

type ListPreparedStatementsInput struct {
	WorkGroup  string `json:"WorkGroup"`
	NextToken  string `json:"NextToken,omitempty"`
	MaxResults int64  `json:"MaxResults,omitempty"`
}

type PreparedStatementSummary struct {
	StatementName    string      `json:"StatementName"`
	LastModifiedTime *epoch.Time `json:"LastModifiedTime,omitempty"`
}

type ListPreparedStatementsOutput struct {
	PreparedStatements []PreparedStatementSummary `json:"PreparedStatements"`
}

// ListPreparedStatements lists a workgroup's saved statements.
func (s *Service) ListPreparedStatements(ctx context.Context, in *ListPreparedStatementsInput) (*ListPreparedStatementsOutput, error) {
	sc := scopeOf(ctx)
	if _, err := s.workGroup(sc, in.WorkGroup); err != nil {
		return nil, err
	}
	prefix := sc.key(kindPrepared, in.WorkGroup)
	it, err := s.db.NewIter(prefix, prefixEnd(prefix))
	if err != nil {
		return nil, err
	}
	out := &ListPreparedStatementsOutput{PreparedStatements: []PreparedStatementSummary{}}
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			it.Close()
			return nil, err
		}
		var p PreparedStatement
		if err := json.Unmarshal(v, &p); err != nil {
			it.Close()
			return nil, err
		}
		out.PreparedStatements = append(out.PreparedStatements, PreparedStatementSummary{StatementName: p.StatementName, LastModifiedTime: p.LastModifiedTime})
	}
	return out, it.Close()
}

var (
	prepareStmt    = regexp.MustCompile(`(?is)^PREPARE\s+([a-zA-Z_][\w@:]*)\s+FROM\s+(.+)$`)
	executeStmt    = regexp.MustCompile(`(?is)^EXECUTE\s+([a-zA-Z_][\w@:]*)(?:\s+USING\s+(.+))?$`)
	deallocateStmt = regexp.MustCompile(`(?is)^DEALLOCATE\s+PREPARE\s+([a-zA-Z_][\w@:]*)$`)
)

// splitArgs splits "a, 'b,c', 3" at top-level commas.
func splitArgs(s string) []string {
	var out []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == ',' && depth == 0:
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	if rest := strings.TrimSpace(s[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

type BatchGetPreparedStatementInput struct {
	PreparedStatementNames []string `json:"PreparedStatementNames"`
	WorkGroup              string   `json:"WorkGroup"`
}

type UnprocessedPreparedStatementName struct {
	StatementName string `json:"StatementName"`
	ErrorCode     string `json:"ErrorCode"`
	ErrorMessage  string `json:"ErrorMessage"`
}

type BatchGetPreparedStatementOutput struct {
	PreparedStatements                []PreparedStatement                `json:"PreparedStatements"`
	UnprocessedPreparedStatementNames []UnprocessedPreparedStatementName `json:"UnprocessedPreparedStatementNames"`
}

// BatchGetPreparedStatement returns up to 50 of a workgroup's prepared
// statements; the names it cannot return are listed with the reason.
func (s *Service) BatchGetPreparedStatement(ctx context.Context, in *BatchGetPreparedStatementInput) (*BatchGetPreparedStatementOutput, error) {
	if len(in.PreparedStatementNames) == 0 || len(in.PreparedStatementNames) > 50 {
		return nil, invalid("PreparedStatementNames must hold 1 to 50 names.")
	}
	sc := scopeOf(ctx)
	if _, err := s.workGroup(sc, in.WorkGroup); err != nil {
		return nil, err
	}
	out := &BatchGetPreparedStatementOutput{PreparedStatements: []PreparedStatement{}, UnprocessedPreparedStatementNames: []UnprocessedPreparedStatementName{}}
	for _, name := range in.PreparedStatementNames {
		if !statementName.MatchString(name) {
			out.UnprocessedPreparedStatementNames = append(out.UnprocessedPreparedStatementNames, UnprocessedPreparedStatementName{
				StatementName: name, ErrorCode: "INVALID_INPUT", ErrorMessage: "The name of the prepared statement is not valid."})
			continue
		}
		p, err := s.prepared(sc, in.WorkGroup, name)
		if e, ok := awserr.As(err); ok && e.Code == ErrResourceNotFound.Code {
			out.UnprocessedPreparedStatementNames = append(out.UnprocessedPreparedStatementNames, UnprocessedPreparedStatementName{
				StatementName: name, ErrorCode: "STATEMENT_NOT_FOUND", ErrorMessage: e.Message})
			continue
		}
		if err != nil {
			return nil, err
		}
		out.PreparedStatements = append(out.PreparedStatements, *p)
	}
	return out, nil
}
