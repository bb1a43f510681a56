package sqlengine

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// Options tune the engine. Zero values take DuckDB's defaults.
type Options struct {
	// MemoryLimit bounds the engine's memory, e.g. "2GB"; beyond it,
	// operators spill to TempDir.
	MemoryLimit string
	// TempDir is where spilled data goes.
	TempDir string
	// Threads bounds the threads one query uses.
	Threads int
}

// Engine is an embedded DuckDB database, in memory: it holds no data of its
// own, queries read files.
type Engine struct {
	db *sql.DB
	// The syntax trees of queries and the SQL of trees, which depend on
	// the text alone: a query run again (a dashboard's, a benchmark's)
	// skips two round trips through the engine, a few milliseconds.
	parsed, deparsed texts
}

// texts maps texts to what the engine makes of them, bounded in bytes: it
// starts over when full.
type texts struct {
	mu    sync.Mutex
	m     map[string]string
	bytes int
}

const textsMaxBytes = 16 << 20

func (t *texts) get(key string) (string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	v, ok := t.m[key]
	return v, ok
}

func (t *texts) put(key, val string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil || t.bytes+len(key)+len(val) > textsMaxBytes {
		t.m, t.bytes = map[string]string{}, 0
	}
	if _, ok := t.m[key]; !ok {
		t.m[key] = val
		t.bytes += len(key) + len(val)
	}
}

// Open starts an engine.
func Open(opts Options) (*Engine, error) {
	// Every connection computes like Trino: integer division, in UTC.
	// Sessions never change settings, so a connection reused from the
	// pool keeps them.
	connector, err := duckdb.NewConnector("", func(conn driver.ExecerContext) error {
		_, err := conn.ExecContext(context.Background(), "SET integer_division = true; SET TimeZone = 'UTC'", nil)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlengine: open: %w", err)
	}
	db := sql.OpenDB(connector)
	var settings []string
	if opts.MemoryLimit != "" {
		settings = append(settings, fmt.Sprintf("SET memory_limit = '%s'", quote(opts.MemoryLimit)))
	}
	if opts.TempDir != "" {
		settings = append(settings, fmt.Sprintf("SET temp_directory = '%s'", quote(opts.TempDir)))
	}
	if opts.Threads > 0 {
		settings = append(settings, fmt.Sprintf("SET threads = %d", opts.Threads))
	}
	// Queries read only the files Lakebox hands them. Those are named
	// after the immutable bodies they hold (a path never changes content),
	// so Parquet footers are safely read once and kept.
	settings = append(settings, "SET autoinstall_known_extensions = false", "SET autoload_known_extensions = false",
		"SET parquet_metadata_cache = true")
	for _, s := range settings {
		if _, err := db.Exec(s); err != nil {
			db.Close()
			return nil, fmt.Errorf("sqlengine: %s: %w", s, err)
		}
	}
	return &Engine{db: db}, nil
}

func quote(s string) string { return strings.ReplaceAll(s, "'", "''") }

// Close shuts the engine down.
func (e *Engine) Close() error { return e.db.Close() }

// Session is one connection of the engine. It is not safe for concurrent
// use.
type Session struct {
	engine *Engine
	conn   *sql.Conn
	// interrupted is set when a statement was cancelled: the connection
	// is then discarded, not reused, since the engine may still carry the
	// interrupt.
	interrupted bool
}

// Session takes a connection from the pool.
func (e *Engine) Session(ctx context.Context) (*Session, error) {
	conn, err := e.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlengine: connect: %w", err)
	}
	return &Session{engine: e, conn: conn}, nil
}

// Close returns the session's connection to the pool.
func (s *Session) Close() error {
	if s.interrupted {
		s.conn.Raw(func(any) error { return driver.ErrBadConn }) // discard it
	}
	return s.conn.Close()
}

// watch records whether ctx cancelled the statement that returned err.
func (s *Session) watch(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil {
		s.interrupted = true
	}
	return err
}

// Exec runs a statement that returns no rows.
func (s *Session) Exec(ctx context.Context, stmt string) error {
	_, err := s.conn.ExecContext(ctx, stmt)
	return wrap(s.watch(ctx, err))
}

// Parse returns DuckDB's syntax tree of a query as JSON
// (json_serialize_sql), or a syntax error.
func (s *Session) Parse(ctx context.Context, query string) (string, error) {
	if tree, ok := s.engine.parsed.get(query); ok {
		return tree, nil
	}
	var tree string
	if err := s.conn.QueryRowContext(ctx, "SELECT json_serialize_sql(?::VARCHAR)::VARCHAR", query).Scan(&tree); err != nil {
		return "", wrap(err)
	}
	var probe struct {
		Error        bool   `json:"error"`
		ErrorType    string `json:"error_type"`
		ErrorMessage string `json:"error_message"`
		Position     string `json:"position"`
	}
	if err := jsonUnmarshal(tree, &probe); err != nil {
		return "", fmt.Errorf("sqlengine: parse tree: %w", err)
	}
	if probe.Error {
		return "", &Error{Kind: probe.ErrorType, Message: probe.ErrorMessage, Position: atoi(probe.Position)}
	}
	s.engine.parsed.put(query, tree)
	return tree, nil
}

// Deparse turns a syntax tree back into SQL (json_deserialize_sql).
func (s *Session) Deparse(ctx context.Context, tree string) (string, error) {
	if q, ok := s.engine.deparsed.get(tree); ok {
		return q, nil
	}
	var q string
	if err := s.conn.QueryRowContext(ctx, "SELECT json_deserialize_sql(?::JSON)", tree).Scan(&q); err != nil {
		return "", wrap(err)
	}
	s.engine.deparsed.put(tree, q)
	return q, nil
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// Column is a result column and its DuckDB type.
type Column struct {
	Name string
	Type string
}

// Query runs a query and calls row for each row, values rendered as text
// (nil for NULL). Cancelling ctx interrupts the query.
func (s *Session) Query(ctx context.Context, query string, row func([]*string) error) ([]Column, error) {
	query, jsonCols, err := s.jsonAsText(ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := s.conn.QueryContext(ctx, query)
	if err != nil {
		return nil, wrap(s.watch(ctx, err))
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, wrap(err)
	}
	cols := make([]Column, len(types))
	for i, t := range types {
		cols[i] = Column{Name: t.Name(), Type: t.DatabaseTypeName()}
	}
	defer func() {
		for i, typ := range jsonCols {
			cols[i].Type = typ
		}
	}()
	zoned := make([]bool, len(cols))
	styles := make([]timeStyle, len(cols))
	for i, c := range cols {
		zoned[i] = c.Type == "TIMESTAMPTZ" || c.Type == "TIMESTAMP WITH TIME ZONE"
		styles[i] = styleOf(c.Type)
		switch zonedPair(c.Type) {
		case "TIMESTAMP":
			cols[i].Type, styles[i] = "TIMESTAMP WITH TIME ZONE", styleZoned
		case "TIMESTAMP_NS":
			cols[i].Type, styles[i] = "TIMESTAMP(9) WITH TIME ZONE", styleZonedNanos
		}
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	out := make([]*string, len(cols))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, wrap(s.watch(ctx, err))
		}
		for i, v := range vals {
			if v == nil || styles[i].zoned() && v.(map[string]any)[ZonedLocal] == nil {
				out[i] = nil
				continue
			}
			text := format(v, styles[i])
			if zoned[i] {
				text += " UTC" // sessions run in UTC; Athena names the zone
			}
			out[i] = &text
		}
		if err := row(out); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(s.watch(ctx, err))
	}
	return cols, nil
}

// jsonAsText rewrites a query whose result has JSON in its columns to
// return the JSON values as their text (JSON[] as VARCHAR[]): the driver
// would hand them decoded, losing the order of object keys and the digits
// of numbers (1 would print as 1.0). It returns the query to run and the
// columns it retyped, with their types. Only queries that mention JSON
// are described.
func (s *Session) jsonAsText(ctx context.Context, query string) (string, map[int]string, error) {
	if !strings.Contains(strings.ToLower(query), "json") {
		return query, nil, nil
	}
	rows, err := s.conn.QueryContext(ctx, "DESCRIBE "+query)
	if err != nil {
		if ctx.Err() != nil {
			return query, nil, wrap(s.watch(ctx, err))
		}
		return query, nil, nil // not a query DESCRIBE takes: run it as it is
	}
	defer rows.Close()
	var names []string
	jsonCols := map[int]string{}
	seen := map[string]bool{}
	unique := true
	for rows.Next() {
		var name, typ string
		var rest [4]any
		if err := rows.Scan(&name, &typ, &rest[0], &rest[1], &rest[2], &rest[3]); err != nil {
			return query, nil, nil
		}
		if strings.Contains(typ, "JSON") {
			jsonCols[len(names)] = typ
		}
		unique = unique && !seen[strings.ToLower(name)]
		seen[strings.ToLower(name)] = true
		names = append(names, name)
	}
	if rows.Err() != nil || len(jsonCols) == 0 || !unique {
		return query, nil, nil
	}
	list := make([]string, len(names))
	for i, n := range names {
		list[i] = QuoteIdent(n)
	}
	for i, typ := range jsonCols {
		list[i] = "CAST(" + QuoteIdent(names[i]) + " AS " + jsonAsVarchar(typ) + ") AS " + QuoteIdent(names[i])
	}
	return "SELECT " + strings.Join(list, ", ") + " FROM (" + query + ")", jsonCols, nil
}

// jsonAsVarchar replaces JSON by VARCHAR in a type where it is a type
// (JSON[], MAP(VARCHAR, JSON), STRUCT(a JSON)), not a field's name.
func jsonAsVarchar(typ string) string {
	var b strings.Builder
	for i := 0; i < len(typ); {
		if strings.HasPrefix(typ[i:], "JSON") && (i == 0 || strings.IndexByte("(, ", typ[i-1]) >= 0) &&
			(i+4 == len(typ) || strings.IndexByte("[),", typ[i+4]) >= 0) {
			b.WriteString("VARCHAR")
			i += 4
			continue
		}
		if typ[i] == '"' { // a quoted field name: copied as it is
			j := i + 1
			for j < len(typ) && (typ[j] != '"' || j+1 < len(typ) && typ[j+1] == '"') {
				if typ[j] == '"' {
					j++
				}
				j++
			}
			b.WriteString(typ[i:min(j+1, len(typ))])
			i = j + 1
			continue
		}
		b.WriteByte(typ[i])
		i++
	}
	return b.String()
}

// QuoteIdent quotes a name for the engine's SQL.
func QuoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// timeStyle is how a column prints the instants in it: the driver hands
// DATE and TIMESTAMP values alike as time.Time, so the column's type says
// which they are.
type timeStyle int

const (
	styleGuess          timeStyle = iota // a date at midnight UTC, else a timestamp
	styleDate                            // 2006-01-02
	styleTimestamp                       // 2006-01-02 15:04:05.000, midnight too
	styleJSON                            // JSON's text, as Trino prints its json type
	styleTime                            // 15:04:05.000, a time of day
	styleTimeZone                        // 15:04:05.000+09:00, a time of day with its offset
	styleZoned                           // a ZonedLocal/ZonedZone pair: 2006-01-02 15:04:05.000 Europe/Paris
	styleTimestampNanos                  // 2006-01-02 15:04:05.000000000, the wall-clock time of a styleZonedNanos pair
	styleZonedNanos                      // a pair of a TIMESTAMP_NS and its zone: Trino's timestamp(9) with time zone
)

// zoned tells the styles of ZonedLocal/ZonedZone pairs.
func (s timeStyle) zoned() bool { return s == styleZoned || s == styleZonedNanos }

// A struct of these two fields is a timestamp with its time zone, as the
// engine cannot type one: the wall-clock time in the zone, and the zone's
// name. Query prints it as Trino prints a timestamp with time zone and
// types its column TIMESTAMP WITH TIME ZONE.
const (
	ZonedLocal = "__lakebox_local"
	ZonedZone  = "__lakebox_zone"
)

// zonedPair returns the type of the wall-clock time of a column of the
// ZonedLocal/ZonedZone struct (TIMESTAMP, or TIMESTAMP_NS for Trino's
// timestamp(9) with time zone), or "" for any other column.
func zonedPair(typ string) string {
	for _, local := range []string{"TIMESTAMP", "TIMESTAMP_NS"} {
		if typ == "STRUCT("+QuoteIdent(ZonedLocal)+" "+local+", "+QuoteIdent(ZonedZone)+" VARCHAR)" {
			return local
		}
	}
	return ""
}

// styleOf returns the style of a column of the engine's type typ, nested
// values included (DATE[] prints dates).
func styleOf(typ string) timeStyle {
	switch typ {
	case "JSON":
		return styleJSON
	case "TIME":
		return styleTime
	case "TIME WITH TIME ZONE", "TIMETZ":
		return styleTimeZone
	}
	date, ts := strings.Contains(typ, "DATE"), strings.Contains(typ, "TIMESTAMP")
	switch {
	case date && !ts:
		return styleDate
	case ts && !date:
		return styleTimestamp
	}
	return styleGuess
}

// Format renders a value as Athena (Trino) prints it: arrays as [a, b],
// maps as {k=v}, rows as {f=v}, timestamps with milliseconds, and a
// time.Time at midnight UTC as a date (the engine's DATE). Query knows
// each column's type and prints its timestamps at midnight in full.
func Format(v any) string { return format(v, styleGuess) }

func format(v any, style timeStyle) string {
	if pair, ok := v.(map[string]any); ok && style.zoned() {
		local, zone := pair[ZonedLocal], pair[ZonedZone]
		if local == nil {
			return "" // a NULL timestamp: the pair is NULL too (see Query)
		}
		wall := styleTimestamp
		if style == styleZonedNanos {
			wall = styleTimestampNanos
		}
		return format(local, wall) + " " + fmt.Sprint(zone)
	}
	if style == styleJSON {
		// The driver hands JSON values decoded: printed again without
		// HTML escapes, object keys sorted, numbers as float64 keeps them.
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err == nil {
			return strings.TrimSuffix(b.String(), "\n")
		}
	}
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case []byte:
		return fmt.Sprintf("%x", v)
	case bool:
		return strconv.FormatBool(v)
	case int8, int16, int32, int64, int, uint8, uint16, uint32, uint64:
		return fmt.Sprint(v)
	case *big.Int:
		return v.String()
	case float32:
		return formatFloat(float64(v), 32)
	case float64:
		return formatFloat(v, 64)
	case duckdb.Decimal:
		return formatDecimal(v)
	case time.Time:
		midnight := v.Hour() == 0 && v.Minute() == 0 && v.Second() == 0 && v.Nanosecond() == 0 && v.Location() == time.UTC
		if style == styleTime {
			return v.Format("15:04:05.000")
		}
		if style == styleTimeZone {
			return v.Format("15:04:05.000-07:00")
		}
		if style == styleDate || style == styleGuess && midnight {
			return v.Format("2006-01-02")
		}
		if style == styleTimestampNanos {
			return v.Format("2006-01-02 15:04:05.000000000")
		}
		return v.Format("2006-01-02 15:04:05.000")
	case duckdb.Interval:
		return formatInterval(v)
	case duckdb.UUID:
		return v.String()
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = formatNested(e, style)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + "=" + formatNested(v[k], style)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case duckdb.OrderedMap:
		keys, vals := v.Keys(), v.Values()
		parts := make([]string, len(keys))
		for i := range keys {
			parts[i] = formatNested(keys[i], style) + "=" + formatNested(vals[i], style)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case *duckdb.OrderedMap:
		return format(*v, style)
	}
	return fmt.Sprint(v)
}

// formatInterval prints an interval as Trino prints its two kinds:
// year to month as "3-5", day to second as "2 03:00:00.000".
func formatInterval(v duckdb.Interval) string {
	if v.Days == 0 && v.Micros == 0 {
		sign, m := "", int64(v.Months)
		if m < 0 {
			sign, m = "-", -m
		}
		return fmt.Sprintf("%s%d-%d", sign, m/12, m%12)
	}
	if v.Months != 0 { // both kinds at once: Trino has no such value
		return fmt.Sprintf("%d months %d days %d µs", v.Months, v.Days, v.Micros)
	}
	us := int64(v.Days)*86_400_000_000 + v.Micros
	sign := ""
	if us < 0 {
		sign, us = "-", -us
	}
	ms := us / 1000
	return fmt.Sprintf("%s%d %02d:%02d:%02d.%03d", sign, ms/86_400_000, ms/3_600_000%24, ms/60_000%60, ms/1000%60, ms%1000)
}

func formatNested(v any, style timeStyle) string {
	if v == nil {
		return "null"
	}
	return format(v, style)
}

// JavaDouble prints a double as Java's Double.toString does.
func JavaDouble(f float64) string { return formatFloat(f, 64) }

// formatFloat prints a float as Java's Double.toString does, which is how
// Athena prints doubles: plain between 10^-3 and 10^7 (2.0, not 2), else
// scientific (1.7E9, 1.0E-4).
func formatFloat(f float64, bits int) string {
	if math.IsInf(f, 0) {
		if f > 0 {
			return "Infinity"
		}
		return "-Infinity"
	}
	if math.IsNaN(f) {
		return "NaN"
	}
	if a := math.Abs(f); a == 0 || a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, bits)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'E', -1, bits) // 1.7E+09
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

func formatDecimal(d duckdb.Decimal) string {
	s := d.Value.String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	scale := int(d.Scale)
	if scale > 0 {
		for len(s) <= scale {
			s = "0" + s
		}
		s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Error is an engine error with its kind (e.g. "Parser", "Catalog",
// "Binder", "Conversion") and, for syntax errors, the byte offset.
type Error struct {
	Kind     string
	Message  string
	Position int
}

func (e *Error) Error() string { return e.Kind + " Error: " + e.Message }

// wrap turns a DuckDB error into an *Error.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	var de *duckdb.Error
	if errors.As(err, &de) {
		msg := de.Msg
		kind, rest, ok := strings.Cut(msg, " Error: ")
		if !ok {
			return &Error{Kind: "Unknown", Message: msg, Position: -1}
		}
		// A Go function's error (RegisterFunc) reaches here wrapped by
		// the driver; the message is the function's own.
		rest = strings.TrimPrefix(strings.TrimSpace(rest), "database/sql/driver: API error: ")
		return &Error{Kind: kind, Message: rest, Position: -1}
	}
	return err
}
