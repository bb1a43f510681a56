package athena

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/sqlengine"
	"github.com/lakebox/lakebox/internal/storage/meta"
)

// run carries a query from QUEUED to its end.
func (s *Service) run(ctx context.Context, sc scope, rec *queryRecord) {
	id := rec.QueryExecutionId
	defer func() {
		s.mu.Lock()
		delete(s.running, id)
		s.mu.Unlock()
	}()
	defer func() {
		// A bug must fail the query, not the server.
		if p := recover(); p != nil {
			s.opts.Logger.Error("athena: query panicked", "id", id, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			s.end(sc, id, stateFailed, "INTERNAL_ERROR_QUERY_ENGINE: an internal error occurred", errInternal, nil)
		}
	}()
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		s.fail(ctx, sc, id, ctx.Err(), nil)
		return
	}
	defer func() { <-s.slots }()
	start := s.clock.Now()
	// RUNNING need not survive a crash: a query found QUEUED or RUNNING at
	// start is failed alike.
	if _, err := s.updateWith(sc, id, func(r *queryRecord) {
		r.Status.State = stateRunning
		r.Statistics.QueryQueueTimeInMillis = start.Sub(r.Status.SubmissionDateTime.Time).Milliseconds()
	}, (*meta.Batch).CommitUnsynced); err != nil {
		s.opts.Logger.Error("athena: record running query", "id", id, "err", err)
		return
	}
	wall := s.clock.Wall()
	res, err := s.execute(ctx, sc, rec)
	engineMs := s.clock.Wall().Sub(wall).Milliseconds()
	var pages func(*meta.Batch)
	if err == nil && ctx.Err() == nil {
		pages, err = s.store(ctx, sc, rec, res)
	}
	if err != nil || ctx.Err() != nil {
		s.fail(ctx, sc, id, err, res)
		return
	}
	final, err := s.update(sc, id, func(r *queryRecord) {
		r.Columns, r.Rows, r.Header, r.UpdateCount = res.columns, len(res.rows), res.header, res.updateCount
		r.Statistics.EngineExecutionTimeInMillis = engineMs
		r.Statistics.DataScannedInBytes = res.scanned
		finish(r, s.clock.Now(), stateSucceeded, "", failure{})
	}, pages, ended(sc, id))
	if err != nil {
		s.opts.Logger.Error("athena: record query end", "id", id, "err", err)
		return
	}
	s.report(sc, final)
}

// report tells OnQueryEnd of a query that ended.
func (s *Service) report(sc scope, rec *queryRecord) {
	if s.opts.OnQueryEnd == nil || rec == nil {
		return
	}
	st := rec.Statistics
	s.opts.OnQueryEnd(QueryStats{
		Account: sc.account, Region: sc.region, WorkGroup: rec.WorkGroup, State: rec.Status.State, Type: rec.StatementType,
		ProcessedBytes:  st.DataScannedInBytes,
		EngineExecution: time.Duration(st.EngineExecutionTimeInMillis) * time.Millisecond,
		TotalExecution:  time.Duration(st.TotalExecutionTimeInMillis) * time.Millisecond,
		QueueTime:       time.Duration(st.QueryQueueTimeInMillis) * time.Millisecond,
	})
}

// fail records how a query ended without success: interrupted by
// shutdown, stopped by the user, or failed with err.
func (s *Service) fail(ctx context.Context, sc scope, id string, err error, res *result) {
	var qe *queryError
	switch {
	case s.ctx.Err() != nil:
		s.end(sc, id, stateFailed, "Query was interrupted: Lakebox stopped while it ran.", errInternal, res)
	case ctx.Err() != nil:
		s.end(sc, id, stateCancelled, "Query was cancelled by user", errUser, res)
	case errors.As(err, &qe) && qe.cancel:
		s.end(sc, id, stateCancelled, qe.msg, qe.f, res)
	case errors.As(err, &qe):
		s.end(sc, id, stateFailed, qe.msg, qe.f, res)
	default:
		s.opts.Logger.Error("athena: query failed", "id", id, "err", err)
		s.end(sc, id, stateFailed, "INTERNAL_ERROR_QUERY_ENGINE: "+err.Error(), errInternal, res)
	}
}

// end records a query's unsuccessful end.
func (s *Service) end(sc scope, id, state, reason string, f failure, res *result) {
	rec, err := s.update(sc, id, func(r *queryRecord) {
		if res != nil {
			r.Statistics.DataScannedInBytes = res.scanned
		}
		finish(r, s.clock.Now(), state, reason, f)
	}, ended(sc, id))
	if err != nil {
		s.opts.Logger.Error("athena: record query end", "id", id, "err", err)
		return
	}
	s.report(sc, rec)
}

// queryError is a query's failure as the user sees it.
type queryError struct {
	msg    string
	f      failure
	cancel bool // the query is CANCELLED, not FAILED (a scan limit)
}

func (e *queryError) Error() string { return e.msg }

func userError(f failure, format string, args ...any) error {
	return &queryError{msg: fmt.Sprintf(format, args...), f: f}
}

// result is what a statement produced.
type result struct {
	columns []ColumnInfo
	rows    [][]*string
	header  bool // a query: the first result row is the header
	scanned int64
	text    bool // DDL and utility output goes to <id>.txt
	// updateCount is the rows an INSERT INTO or CTAS wrote.
	updateCount int64
}

// execute runs one statement.
func (s *Service) execute(ctx context.Context, sc scope, rec *queryRecord) (*result, error) {
	q := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rec.Query), ";"))
	params := rec.ExecutionParameters
	switch {
	case prepareStmt.MatchString(q):
		m := prepareStmt.FindStringSubmatch(q)
		err := s.putPrepared(sc, rec.WorkGroup, m[1], m[2], "", true)
		if e, ok := asInvalid(err); ok && strings.Contains(e, "already exists") {
			err = s.putPrepared(sc, rec.WorkGroup, m[1], m[2], "", false) // PREPARE replaces
		}
		return &result{text: true}, err
	case deallocateStmt.MatchString(q):
		m := deallocateStmt.FindStringSubmatch(q)
		_, err := s.DeletePreparedStatement(sc.identity(ctx), &PreparedStatementNameInput{StatementName: m[1], WorkGroup: rec.WorkGroup})
		if err != nil {
			return nil, userError(errUser, "PREPARED_STATEMENT_NOT_FOUND: Prepared statement not found: %s", m[1])
		}
		return &result{text: true}, nil
	case executeStmt.MatchString(q):
		m := executeStmt.FindStringSubmatch(q)
		p, err := s.prepared(sc, rec.WorkGroup, m[1])
		if err != nil {
			return nil, userError(errUser, "PREPARED_STATEMENT_NOT_FOUND: Prepared statement not found: %s", m[1])
		}
		q = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(p.QueryStatement), ";"))
		if m[2] != "" {
			params = splitArgs(m[2])
		}
	}
	q, err := bindParameters(q, params)
	if err != nil {
		return nil, err
	}
	switch firstWord(q) {
	case "SELECT", "WITH", "VALUES", "TABLE", "(":
		return s.selectQuery(ctx, sc, rec, q)
	}
	if res, ok, err := s.unload(ctx, sc, rec, q); ok || err != nil {
		return res, err
	}
	if res, ok, err := s.ctas(ctx, sc, rec, q); ok || err != nil {
		return res, err
	}
	if res, ok, err := s.insert(ctx, sc, rec, q); ok || err != nil {
		return res, err
	}
	if res, ok, err := s.utility(ctx, sc, rec, q); ok || err != nil {
		return res, err
	}
	// Not a statement Lakebox carries out: a syntax error if the engine
	// cannot parse it either.
	sess, err := s.engine.Session(ctx)
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	if _, err := sess.Parse(ctx, q); err != nil {
		var ee *sqlengine.Error
		if !errors.As(err, &ee) || !strings.EqualFold(ee.Kind, "not implemented") {
			return nil, engineError(q, err)
		}
	}
	return nil, userError(errSyntax, "NOT_SUPPORTED: %s statements are not supported by Lakebox yet", strings.ToUpper(firstWord(q)))
}

// selectQuery runs a query over catalog tables.
func (s *Service) selectQuery(ctx context.Context, sc scope, rec *queryRecord, q string) (*result, error) {
	sess, err := s.engine.Session(ctx)
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	sql, scanned, err := s.bindQuery(ctx, sc, sess, q, rec.QueryExecutionContext.Database, forClient)
	res := &result{header: true, scanned: scanned}
	if err != nil {
		return res, err
	}
	if rec.Cutoff > 0 && scanned > rec.Cutoff {
		return res, &queryError{msg: fmt.Sprintf("Query cancelled! Bytes scanned limit was exceeded: the query would scan %d bytes, the workgroup allows %d", scanned, rec.Cutoff), f: errUser, cancel: true}
	}
	s.opts.Logger.Debug("athena: query bound", "id", rec.QueryExecutionId, "sql", sql)
	cols, err := sess.Query(ctx, sql, func(row []*string) error {
		cp := make([]*string, len(row))
		copy(cp, row)
		res.rows = append(res.rows, cp)
		return nil
	})
	if err != nil {
		return res, engineError(q, err)
	}
	for _, c := range cols {
		res.columns = append(res.columns, columnInfo(c.Name, c.Type))
	}
	return res, nil
}

// asInvalid returns the message of an InvalidRequestException.
func asInvalid(err error) (string, bool) {
	if e, ok := awserr.As(err); ok && e.Code == ErrInvalidRequest.Code {
		return e.Message, true
	}
	return "", false
}

// engineError turns an engine error into Athena's message and category.
func engineError(q string, err error) error {
	var ee *sqlengine.Error
	if !errors.As(err, &ee) {
		if errors.Is(err, context.Canceled) {
			return err
		}
		return err
	}
	msg := strings.SplitN(ee.Message, "\n", 2)[0]
	switch strings.Title(strings.ToLower(ee.Kind)) {
	case "Not Implemented":
		return userError(errSyntax, "NOT_SUPPORTED: %s", msg)
	case "Parser":
		line, col := lineCol(q, ee.Position)
		return userError(errSyntax, "line %d:%d: %s", line, col, msg)
	case "Catalog":
		if name, ok := missingFunction(msg); ok {
			line, col := lineCol(q, functionCall(q, name))
			return userError(errSyntax, "FUNCTION_NOT_FOUND: line %d:%d: Function '%s' not registered", line, col, name)
		}
		return userError(errNoTable, "TABLE_NOT_FOUND: %s", msg)
	case "Binder":
		// A macro standing in for a Trino function, overloaded by type.
		if name, ok := strings.CutPrefix(msg, "Macro "); ok && (strings.Contains(msg, "does not support the supplied arguments") || strings.Contains(msg, "multiple overloads")) {
			name, _, _ = strings.Cut(name, "(")
			return userError(errSyntax, "FUNCTION_NOT_FOUND: Unexpected parameters for function %s", strings.TrimPrefix(name, "lakebox_"))
		}
		if strings.HasPrefix(msg, "No function matches") || strings.Contains(msg, "does not support the supplied arguments") {
			return userError(errSyntax, "FUNCTION_NOT_FOUND: %s", msg)
		}
		return userError(errSyntax, "COLUMN_NOT_FOUND: %s", msg)
	case "Conversion", "Invalid Input", "Out of Range":
		if strings.HasPrefix(msg, "INVALID_FUNCTION_ARGUMENT: ") || strings.HasPrefix(msg, "NOT_SUPPORTED: ") { // a Trino function's own error, or Lakebox's
			return userError(errUser, "%s", msg)
		}
		if strings.HasPrefix(msg, "FUNCTION_NOT_FOUND: ") { // a macro refusing a type Trino has no overload for
			return userError(errSyntax, "%s", msg)
		}
		return userError(errUser, "INVALID_CAST_ARGUMENT: %s", msg)
	case "INTERRUPT", "Interrupt":
		return context.Canceled
	case "Out of Memory":
		return userError(errUser, "EXCEEDED_LOCAL_MEMORY_LIMIT: %s", msg)
	}
	return userError(errUser, "GENERIC_USER_ERROR: %s Error: %s", ee.Kind, msg)
}

// missingFunction reads the name out of the engine's message for a call
// of a function it does not have.
func missingFunction(msg string) (string, bool) {
	for _, kind := range []string{"Scalar", "Aggregate", "Table", "Macro"} {
		if rest, ok := strings.CutPrefix(msg, kind+" Function with name "); ok {
			name, _, ok := strings.Cut(rest, " does not exist")
			return name, ok && name != ""
		}
	}
	return "", false
}

// functionCall returns the offset in q of the first call of the function
// name (case-insensitively, a word followed by "("), or -1.
func functionCall(q, name string) int {
	lq, ln := strings.ToLower(q), strings.ToLower(name)
	for off := 0; ; {
		i := strings.Index(lq[off:], ln)
		if i < 0 {
			return -1
		}
		i += off
		end := i + len(ln)
		before := i == 0 || !isWordByte(lq[i-1])
		after := strings.TrimLeft(lq[end:], " \t\r\n")
		if before && strings.HasPrefix(after, "(") {
			return i
		}
		off = end
	}
}

// lineCol converts a byte offset to Athena's 1-based line:column.
func lineCol(q string, off int) (int, int) {
	if off < 0 || off > len(q) {
		return 1, 1
	}
	line := 1 + strings.Count(q[:off], "\n")
	col := off - strings.LastIndexByte(q[:off], '\n')
	return line, col
}

// firstWord returns the statement's first keyword, uppercased ("(" for a
// parenthesized query), skipping comments.
func firstWord(q string) string {
	for {
		q = strings.TrimSpace(q)
		switch {
		case strings.HasPrefix(q, "--"):
			if i := strings.IndexByte(q, '\n'); i >= 0 {
				q = q[i+1:]
				continue
			}
			return ""
		case strings.HasPrefix(q, "/*"):
			if i := strings.Index(q, "*/"); i >= 0 {
				q = q[i+2:]
				continue
			}
			return ""
		case strings.HasPrefix(q, "("):
			return "("
		}
		end := strings.IndexFunc(q, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_') })
		if end < 0 {
			end = len(q)
		}
		return strings.ToUpper(q[:end])
	}
}

// bindParameters replaces each ? outside quotes and comments with the
// next execution parameter, which Athena takes as an SQL literal.
func bindParameters(q string, params []string) (string, error) {
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(q) && q[j] != c {
				j++
			}
			b.WriteString(q[i:min(j+1, len(q))])
			i = j
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j - 1
		case c == '?':
			if n >= len(params) {
				return "", userError(errSyntax, "line 1:%d: Incorrect number of parameters: expected at least %d but found %d", i+1, n+1, len(params))
			}
			b.WriteString(params[n])
			n++
		default:
			b.WriteByte(c)
		}
	}
	if n != len(params) {
		return "", userError(errSyntax, "Incorrect number of parameters: expected %d but found %d", n, len(params))
	}
	return b.String(), nil
}
