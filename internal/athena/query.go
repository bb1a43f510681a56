package athena

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/epoch"
	"github.com/lakebox/lakebox/internal/shutdown"
	"github.com/lakebox/lakebox/internal/storage/meta"
)

// Query states.
const (
	stateQueued    = "QUEUED"
	stateRunning   = "RUNNING"
	stateSucceeded = "SUCCEEDED"
	stateFailed    = "FAILED"
	stateCancelled = "CANCELLED"
)

// queryRecord is a query execution as stored.
type queryRecord struct {
	QueryExecution
	Columns []ColumnInfo `json:"lakeboxColumns,omitempty"`
	Rows    int          `json:"lakeboxRows"`
	Header  bool         `json:"lakeboxHeader,omitempty"` // a SELECT: the first result row is the header
	Account string       `json:"lakeboxAccount"`
	Region  string       `json:"lakeboxRegion"`
	Cutoff  int64        `json:"lakeboxCutoff,omitempty"` // BytesScannedCutoffPerQuery
	// UpdateCount is the rows an INSERT INTO or CTAS wrote.
	UpdateCount int64 `json:"lakeboxUpdateCount,omitempty"`
}

func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

type StartQueryExecutionInput struct {
	QueryString              string                 `json:"QueryString"`
	ClientRequestToken       string                 `json:"ClientRequestToken,omitempty"`
	QueryExecutionContext    *QueryExecutionContext `json:"QueryExecutionContext,omitempty"`
	ResultConfiguration      *ResultConfiguration   `json:"ResultConfiguration,omitempty"`
	WorkGroup                string                 `json:"WorkGroup,omitempty"`
	ExecutionParameters      []string               `json:"ExecutionParameters,omitempty"`
	ResultReuseConfiguration json.RawMessage        `json:"ResultReuseConfiguration,omitempty"`
	EngineConfiguration      json.RawMessage        `json:"EngineConfiguration,omitempty"`
}

type StartQueryExecutionOutput struct {
	QueryExecutionId string `json:"QueryExecutionId"`
}

// StartQueryExecution queues a query and returns its id at once; the query
// runs in the background.
func (s *Service) StartQueryExecution(ctx context.Context, in *StartQueryExecutionInput) (*StartQueryExecutionOutput, error) {
	sc := scopeOf(ctx)
	if strings.TrimSpace(in.QueryString) == "" || len(in.QueryString) > 262144 {
		return nil, invalid("QueryString must be 1 to 262144 characters.")
	}
	wg, err := s.workGroup(sc, in.WorkGroup)
	if err != nil {
		return nil, err
	}
	if wg.State == "DISABLED" {
		return nil, invalid("WorkGroup %s is disabled.", wg.Name)
	}
	out := wg.Configuration.ResultConfiguration
	enforce := wg.Configuration.EnforceWorkGroupConfiguration != nil && *wg.Configuration.EnforceWorkGroupConfiguration
	if !enforce && in.ResultConfiguration != nil && in.ResultConfiguration.OutputLocation != "" {
		out = in.ResultConfiguration
	}
	if out == nil || out.OutputLocation == "" {
		return nil, invalid("No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.")
	}
	if _, _, err := parseS3URI(out.OutputLocation); err != nil {
		return nil, err
	}
	qctx := in.QueryExecutionContext
	if qctx == nil {
		qctx = &QueryExecutionContext{}
	}
	if qctx.Catalog != "" && !strings.EqualFold(qctx.Catalog, "AwsDataCatalog") {
		return nil, notSupported("Catalogs other than AwsDataCatalog")
	}
	now := s.clock.Now()
	rec := &queryRecord{
		QueryExecution: QueryExecution{
			QueryExecutionId: newID(), Query: in.QueryString, StatementType: statementType(in.QueryString),
			ResultConfiguration:   &ResultConfiguration{OutputLocation: strings.TrimSuffix(out.OutputLocation, "/") + "/"},
			QueryExecutionContext: qctx,
			Status:                QueryExecutionStatus{State: stateQueued, SubmissionDateTime: epoch.Ptr(now)},
			Statistics:            &QueryExecutionStatistics{},
			WorkGroup:             wg.Name,
			EngineVersion:         &EngineVersion{SelectedEngineVersion: "AUTO", EffectiveEngineVersion: "Athena engine version 3"},
			ExecutionParameters:   in.ExecutionParameters,
		},
		Account: sc.account, Region: sc.region,
	}
	if c := wg.Configuration.BytesScannedCutoffPerQuery; c != nil {
		rec.Cutoff = *c
	}
	id, created, err := s.submit(sc, in.ClientRequestToken, rec)
	if err != nil {
		return nil, err
	}
	// The query runs from here on; the answer waits for the record to be
	// durable (or, for a repeated token, the first request's record).
	if err := s.db.Sync(); err != nil {
		if created {
			s.cancel(id)
		}
		return nil, err
	}
	return &StartQueryExecutionOutput{QueryExecutionId: id}, nil
}

// submit records a new query, not yet durably, and starts it; or, for a
// client request token seen before, returns that request's query, not
// created.
func (s *Service) submit(sc scope, token string, rec *queryRecord) (id string, created bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if token != "" {
		if ok, err := s.getJSON(sc.key(kindToken, token), &id); err != nil || ok {
			return id, false, err
		}
	}
	id = rec.QueryExecutionId
	b := s.db.NewBatch()
	b.Set(sc.key(kindQuery, id), mustJSON(rec))
	b.Set(sc.key(kindActive, id), nil)
	b.Set(append(binary.BigEndian.AppendUint64(sc.key(kindList, rec.WorkGroup), ^uint64(rec.Status.SubmissionDateTime.UnixNano())), id...), nil)
	if token != "" {
		b.Set(sc.key(kindToken, token), mustJSON(id))
	}
	if err := b.CommitUnsynced(); err != nil {
		return "", false, err
	}
	ctx, cancel := context.WithCancel(s.ctx)
	q := &active{cancel: cancel, ended: make(chan struct{})}
	s.running[id] = q
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(q.ended)
		defer cancel()
		s.run(ctx, sc, rec)
	}()
	return id, true, nil
}

// cancel interrupts a queued or running query.
func (s *Service) cancel(id string) {
	s.mu.Lock()
	q := s.running[id]
	s.mu.Unlock()
	if q != nil {
		q.cancel()
	}
}

// statementType is Athena's classification of a statement.
func statementType(q string) string {
	switch firstWord(q) {
	case "SELECT", "WITH", "VALUES", "TABLE", "INSERT", "UNLOAD", "(":
		return "DML"
	case "SHOW", "DESCRIBE", "EXPLAIN", "PREPARE", "EXECUTE", "DEALLOCATE":
		return "UTILITY"
	}
	return "DDL"
}

// record reads a query's record, never a state a crash could undo but
// QUEUED or RUNNING (see current).
func (s *Service) record(sc scope, id string) (*queryRecord, error) {
	rec, _, err := s.current(sc, id)
	return rec, err
}

// current reads a query's record and, while the query is queued or
// running, its entry in s.running. It reads under s.mu, which every
// update holds until its batch is durable: Pebble shows a batch to readers
// before its sync, and a client told a query ended must find it so (and
// its result files) after a crash.
func (s *Service) current(sc scope, id string) (*queryRecord, *active, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.load(sc, id)
	return rec, s.running[id], err
}

// load reads a query's record; the caller holds s.mu.
func (s *Service) load(sc scope, id string) (*queryRecord, error) {
	var rec queryRecord
	ok, err := s.getJSON(sc.key(kindQuery, id), &rec)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, invalid("QueryExecution %s was not found", id)
	}
	return &rec, nil
}

// update changes a stored record under s.mu, durably. more, if set, adds
// to the same batch.
func (s *Service) update(sc scope, id string, change func(*queryRecord), more ...func(*meta.Batch)) (*queryRecord, error) {
	return s.updateWith(sc, id, change, (*meta.Batch).Commit, more...)
}

func (s *Service) updateWith(sc scope, id string, change func(*queryRecord), commit func(*meta.Batch) error, more ...func(*meta.Batch)) (*queryRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.load(sc, id)
	if err != nil {
		return nil, err
	}
	change(rec)
	b := s.db.NewBatch()
	b.Set(sc.key(kindQuery, id), mustJSON(rec))
	for _, m := range more {
		m(b)
	}
	return rec, commit(b)
}

type GetQueryExecutionInput struct {
	QueryExecutionId string `json:"QueryExecutionId"`
}

type GetQueryExecutionOutput struct {
	QueryExecution *QueryExecution `json:"QueryExecution"`
}

// GetQueryExecution reports a query's state and statistics. Of a query
// not yet ended it waits up to Options.PollWait for the end.
func (s *Service) GetQueryExecution(ctx context.Context, in *GetQueryExecutionInput) (*GetQueryExecutionOutput, error) {
	sc := scopeOf(ctx)
	rec, q, err := s.current(sc, in.QueryExecutionId)
	if err != nil {
		return nil, err
	}
	if q != nil && unfinished(rec.Status.State) && s.opts.PollWait > 0 {
		s.waiting.Add(1)
		t := time.NewTimer(s.opts.PollWait)
		select {
		case <-q.ended:
		case <-t.C:
		case <-ctx.Done():
		case <-shutdown.Begun(ctx):
		}
		t.Stop()
		s.waiting.Add(-1)
		if rec, err = s.record(sc, in.QueryExecutionId); err != nil {
			return nil, err
		}
	}
	return &GetQueryExecutionOutput{QueryExecution: &rec.QueryExecution}, nil
}

// PollsWaiting is how many GetQueryExecution calls wait for a query's end.
func (s *Service) PollsWaiting() int { return int(s.waiting.Load()) }

type BatchGetQueryExecutionInput struct {
	QueryExecutionIds []string `json:"QueryExecutionIds"`
}

type UnprocessedQueryExecutionId struct {
	QueryExecutionId string `json:"QueryExecutionId,omitempty"`
	ErrorCode        string `json:"ErrorCode,omitempty"`
	ErrorMessage     string `json:"ErrorMessage,omitempty"`
}

type BatchGetQueryExecutionOutput struct {
	QueryExecutions              []QueryExecution              `json:"QueryExecutions"`
	UnprocessedQueryExecutionIds []UnprocessedQueryExecutionId `json:"UnprocessedQueryExecutionIds"`
}

// BatchGetQueryExecution returns up to 50 queries.
func (s *Service) BatchGetQueryExecution(ctx context.Context, in *BatchGetQueryExecutionInput) (*BatchGetQueryExecutionOutput, error) {
	if len(in.QueryExecutionIds) == 0 || len(in.QueryExecutionIds) > 50 {
		return nil, invalid("QueryExecutionIds must hold 1 to 50 ids.")
	}
	sc := scopeOf(ctx)
	found, missing, err := batchGet(in.QueryExecutionIds, func(id string) (QueryExecution, error) {
		rec, err := s.record(sc, id)
		if err != nil {
			return QueryExecution{}, err
		}
		return rec.QueryExecution, nil
	})
	out := &BatchGetQueryExecutionOutput{QueryExecutions: found, UnprocessedQueryExecutionIds: []UnprocessedQueryExecutionId{}}
	for _, id := range missing {
		out.UnprocessedQueryExecutionIds = append(out.UnprocessedQueryExecutionIds, UnprocessedQueryExecutionId{QueryExecutionId: id, ErrorCode: "INVALID_INPUT", ErrorMessage: "QueryExecution " + id + " was not found"})
	}
	return out, err
}

// batchGet looks up each id: what exists, the ids that do not (an
// InvalidRequest from get), and any other error.
func batchGet[T any](ids []string, get func(string) (T, error)) (found []T, missing []string, err error) {
	found = []T{}
	for _, id := range ids {
		v, err := get(id)
		if _, ok := asInvalid(err); ok {
			missing = append(missing, id)
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		found = append(found, v)
	}
	return found, missing, nil
}

type ListQueryExecutionsInput struct {
	NextToken  string `json:"NextToken,omitempty"`
	MaxResults int64  `json:"MaxResults,omitempty"`
	WorkGroup  string `json:"WorkGroup,omitempty"`
}

type ListQueryExecutionsOutput struct {
	QueryExecutionIds []string `json:"QueryExecutionIds"`
	NextToken         string   `json:"NextToken,omitempty"`
}

// ListQueryExecutions lists a workgroup's queries, newest first.
func (s *Service) ListQueryExecutions(ctx context.Context, in *ListQueryExecutionsInput) (*ListQueryExecutionsOutput, error) {
	sc := scopeOf(ctx)
	wg, err := s.workGroup(sc, in.WorkGroup)
	if err != nil {
		return nil, err
	}
	limit := int(in.MaxResults)
	if limit <= 0 || limit > 50 {
		limit = 50
	}
	prefix := sc.key(kindList, wg.Name)
	lower := prefix
	if in.NextToken != "" {
		t, err := base64.RawURLEncoding.DecodeString(in.NextToken)
		if err != nil {
			return nil, invalid("The NextToken is not valid.")
		}
		lower = append(append([]byte(nil), prefix...), t...)
	}
	it, err := s.db.NewIter(lower, prefixEnd(prefix))
	if err != nil {
		return nil, err
	}
	out := &ListQueryExecutionsOutput{QueryExecutionIds: []string{}}
	for ok := it.First(); ok; ok = it.Next() {
		k := it.Key()
		if len(out.QueryExecutionIds) == limit {
			out.NextToken = base64.RawURLEncoding.EncodeToString(k[len(prefix):])
			break
		}
		out.QueryExecutionIds = append(out.QueryExecutionIds, string(k[len(prefix)+8:]))
	}
	return out, it.Close()
}

type StopQueryExecutionInput struct {
	QueryExecutionId string `json:"QueryExecutionId"`
}

type StopQueryExecutionOutput struct{}

// StopQueryExecution interrupts a queued or running query; it ends
// CANCELLED. Stopping a finished query changes nothing.
func (s *Service) StopQueryExecution(ctx context.Context, in *StopQueryExecutionInput) (*StopQueryExecutionOutput, error) {
	sc := scopeOf(ctx)
	if _, err := s.record(sc, in.QueryExecutionId); err != nil {
		return nil, err
	}
	s.cancel(in.QueryExecutionId)
	return &StopQueryExecutionOutput{}, nil
}

type GetQueryResultsInput struct {
	QueryExecutionId string `json:"QueryExecutionId"`
	NextToken        string `json:"NextToken,omitempty"`
	MaxResults       int64  `json:"MaxResults,omitempty"`
	QueryResultType  string `json:"QueryResultType,omitempty"`
}

type GetQueryResultsOutput struct {
	UpdateCount int64      `json:"UpdateCount"`
	ResultSet   *ResultSet `json:"ResultSet"`
	NextToken   string     `json:"NextToken,omitempty"`
}

// GetQueryResults pages through a finished query's rows (for a SELECT the
// first row holds the column names), kept when the query ran.
func (s *Service) GetQueryResults(ctx context.Context, in *GetQueryResultsInput) (*GetQueryResultsOutput, error) {
	sc := scopeOf(ctx)
	rec, err := s.record(sc, in.QueryExecutionId)
	if err != nil {
		return nil, err
	}
	switch rec.Status.State {
	case stateSucceeded:
	case stateFailed, stateCancelled:
		return nil, invalid("Query has not yet finished. Current state: %s", rec.Status.State)
	default:
		return nil, invalid("Query has not yet finished. Current state: %s", rec.Status.State)
	}
	limit := int(in.MaxResults)
	if limit == 0 {
		limit = 1000
	}
	if limit < 1 || limit > 1000 {
		return nil, invalid("MaxResults must be between 1 and 1000.")
	}
	offset := 0
	if in.NextToken != "" {
		b, err := base64.RawURLEncoding.DecodeString(in.NextToken)
		if err != nil || json.Unmarshal(b, &offset) != nil || offset < 0 {
			return nil, invalid("The NextToken is not valid.")
		}
	}
	total := rec.Rows
	if rec.Header {
		total++
	}
	out := &GetQueryResultsOutput{UpdateCount: rec.UpdateCount, ResultSet: &ResultSet{Rows: []Row{}, ResultSetMetadata: &ResultSetMetadata{ColumnInfo: rec.Columns}}}
	if rec.Columns == nil {
		out.ResultSet.ResultSetMetadata.ColumnInfo = []ColumnInfo{}
	}
	end := min(offset+limit, total)
	pages := pageReader{s: s, sc: sc, id: rec.QueryExecutionId, n: -1}
	for i := offset; i < end; i++ {
		if rec.Header && i == 0 {
			r := Row{Data: make([]Datum, len(rec.Columns))}
			for j, c := range rec.Columns {
				name := c.Name
				r.Data[j] = Datum{VarCharValue: &name}
			}
			out.ResultSet.Rows = append(out.ResultSet.Rows, r)
			continue
		}
		n := i
		if rec.Header {
			n--
		}
		row, err := pages.row(n)
		if err != nil {
			return nil, err
		}
		r := Row{Data: make([]Datum, len(row))}
		for j, v := range row {
			r.Data[j] = Datum{VarCharValue: v}
		}
		out.ResultSet.Rows = append(out.ResultSet.Rows, r)
	}
	if end < total {
		out.NextToken = base64.RawURLEncoding.EncodeToString(mustJSON(end))
	}
	return out, nil
}

// rowsPerPage is how many result rows one stored value holds.
const rowsPerPage = 1000

// pageReader reads result rows in order, each stored page once.
type pageReader struct {
	s    *Service
	sc   scope
	id   string
	n    int // the page held, or -1
	page [][]*string
}

// row returns result row n.
func (p *pageReader) row(n int) ([]*string, error) {
	if n/rowsPerPage != p.n {
		p.page, p.n = nil, -1
		b, err := p.s.db.Get(rowsKey(p.sc, p.id, n/rowsPerPage))
		if err != nil {
			return nil, fmt.Errorf("athena: result page %d of %s: %w", n/rowsPerPage, p.id, err)
		}
		if p.page, err = decodeRows(b); err != nil {
			return nil, fmt.Errorf("athena: result page %d of %s: %w", n/rowsPerPage, p.id, err)
		}
		p.n = n / rowsPerPage
	}
	if n%rowsPerPage >= len(p.page) {
		return nil, fmt.Errorf("athena: result row %d of %s missing", n, p.id)
	}
	return p.page[n%rowsPerPage], nil
}

// Wait waits until no query is queued or running (for tests and
// benchmarks).
func (s *Service) Wait() { s.wg.Wait() }

// Recover marks queries that a crash interrupted as FAILED. The server
// calls it at start; it reads only the queries still marked active.
func (s *Service) Recover() error {
	prefix := []byte("athena\x00" + string(kindActive) + "\x00")
	it, err := s.db.NewIter(prefix, prefixEnd(prefix))
	if err != nil {
		return err
	}
	b := s.db.NewBatch()
	for ok := it.First(); ok; ok = it.Next() {
		parts := strings.Split(strings.TrimSuffix(string(it.Key()[len(prefix):]), "\x00"), "\x00")
		if len(parts) != 3 {
			continue
		}
		sc := scope{parts[0], parts[1]}
		b.Delete(append([]byte(nil), it.Key()...))
		rec, err := s.record(sc, parts[2])
		if err != nil {
			continue // the record is gone: nothing to mark
		}
		if unfinished(rec.Status.State) {
			finish(rec, s.clock.Now(), stateFailed, "Query was interrupted: Lakebox stopped while it ran.", errInternal)
			b.Set(sc.key(kindQuery, rec.QueryExecutionId), mustJSON(rec))
		}
	}
	if err := it.Close(); err != nil {
		b.Close()
		return err
	}
	return b.Commit()
}

func unfinished(state string) bool { return state == stateQueued || state == stateRunning }

// ended is the batch addition that marks a query no longer active.
func ended(sc scope, id string) func(*meta.Batch) {
	return func(b *meta.Batch) { b.Delete(sc.key(kindActive, id)) }
}

// Athena error categories (AthenaError.ErrorCategory): 1 system, 2 user, 3 other.
type failure struct {
	category, typ int64
}

var (
	errInternal  = failure{1, 401}
	errUser      = failure{2, 1000}
	errSyntax    = failure{2, 1001} // also the types for missing tables and columns
	errNoTable   = failure{2, 1002}
	errPermitted = failure{2, 1003}
)

func finish(rec *queryRecord, now time.Time, state, reason string, f failure) {
	rec.Status.State = state
	rec.Status.StateChangeReason = reason
	rec.Status.CompletionDateTime = epoch.Ptr(now)
	if state == stateFailed {
		rec.Status.AthenaError = &AthenaError{ErrorCategory: f.category, ErrorType: f.typ, Retryable: f.category == 1, ErrorMessage: reason}
	}
	if st := rec.Statistics; st != nil && rec.Status.SubmissionDateTime != nil {
		st.TotalExecutionTimeInMillis = now.Sub(rec.Status.SubmissionDateTime.Time).Milliseconds()
	}
}

// SweepLinks removes files of the link farm that no longer share their
// bytes with a stored body (the object was overwritten or deleted: only
// the link keeps the blob's space) and copies of small bodies, once they
// are an hour old; queries make what they need again.
func (s *Service) SweepLinks() (removed int, err error) {
	cutoff := s.clock.Wall().Add(-time.Hour)
	if s.opts.MemLinkDir != "" {
		filepath.WalkDir(s.opts.MemLinkDir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if info, err := d.Info(); err == nil && info.ModTime().Before(cutoff) && os.Remove(p) == nil {
					removed++
				}
			}
			return nil
		})
	}
	err = filepath.WalkDir(s.opts.LinkDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil || info.ModTime().After(cutoff) {
			return nil
		}
		if st, ok := info.Sys().(*syscall.Stat_t); ok && st.Nlink > 1 {
			return nil
		}
		if os.Remove(p) == nil {
			removed++
		}
		return nil
	})
	return removed, err
}
