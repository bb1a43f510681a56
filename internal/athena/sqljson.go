package athena

import (
	"fmt"
	"strings"
	"sync"

	"github.com/lakebox/lakebox/internal/jsonpath"
	"github.com/lakebox/lakebox/internal/sqlengine"
)

// Trino's SQL/JSON query functions, json_exists, json_query and
// json_value, carry clauses the engine's parser does not take
// ('lax $.a' WITH ARRAY WRAPPER EMPTY ARRAY ON EMPTY). The syntax pass
// rewrites each call into a Go function of the engine (lakebox_json_*)
// that takes the clauses as an options string; internal/jsonpath
// evaluates the path.

// sqlJSONFuncs are the functions a call is rewritten to.
var sqlJSONFuncs = map[string]string{"JSON_EXISTS": "lakebox_json_exists", "JSON_QUERY": "lakebox_json_query", "JSON_VALUE": "lakebox_json_value"}

// isSQLJSONCall tells whether toks[i] starts a json_exists, json_query or
// json_value call.
func isSQLJSONCall(toks []token, i int) bool {
	t := toks[i]
	if t.kind != 'w' || sqlJSONFuncs[strings.ToUpper(t.text)] == "" {
		return false
	}
	return isPunctAfter(toks, i, "(")
}

// sqlJSONCall rewrites the call at toks[i] and returns the index of its
// closing parenthesis.
func sqlJSONCall(b *strings.Builder, toks []token, i int) int {
	name := strings.ToUpper(toks[i].text)
	open := next(toks, i+1)
	end := closing(toks, open)
	comma := topLevelComma(toks, open+1, end)
	if end == len(toks) || comma < 0 {
		writeTokens(b, toks[i:min(end+1, len(toks))]) // malformed: the engine reports it
		return end
	}
	input, _, _ := formatJSON(toks[open+1 : comma]) // the input is text either way
	pathAt := next(toks, comma+1)
	if pathAt >= end || toks[pathAt].kind != 'q' || toks[pathAt].text[0] != '\'' {
		b.WriteString("error('" + strings.ToLower(name) + ": the JSON path must be a string literal')")
		return end
	}
	opts, err := parseSQLJSONClauses(name, toks[pathAt+1:end])
	if err != nil {
		b.WriteString("error('" + strings.ReplaceAll(err.Error(), "'", "''") + "')")
		return end
	}
	call := func() {
		b.WriteString(sqlJSONFuncs[name] + "(CAST((")
		rewrite(b, input)
		b.WriteString(") AS VARCHAR), " + toks[pathAt].text + ", '" + strings.ReplaceAll(opts.encode(), "'", "''") + "', ")
		// The passed values go as one JSON object, typed as the engine
		// makes JSON of them.
		if len(opts.passing) == 0 {
			b.WriteString("NULL")
		} else {
			b.WriteString("CAST(json_object(")
			for k, v := range opts.passing {
				if k > 0 {
					b.WriteString(", ")
				}
				b.WriteString("'" + strings.ReplaceAll(v.name, "'", "''") + "', (")
				rewrite(b, v.expr)
				b.WriteString(")")
			}
			b.WriteString(") AS VARCHAR)")
		}
		if name == "JSON_VALUE" {
			for _, d := range [][]token{opts.emptyDefault, opts.errorDefault} {
				b.WriteString(", ")
				if d == nil {
					b.WriteString("NULL")
					continue
				}
				b.WriteString("CAST((")
				rewrite(b, d)
				b.WriteString(") AS VARCHAR)")
			}
		}
		b.WriteString(")")
	}
	switch {
	case name == "JSON_VALUE" && opts.returningSQL != "":
		// Go checked the item against the numeric, boolean and date types;
		// for others a value the engine cannot cast reads as NULL.
		cast := "TRY_CAST("
		base, _, _ := strings.Cut(opts.returning, "(")
		switch strings.TrimSpace(base) {
		case "tinyint", "smallint", "integer", "int", "bigint", "double", "real", "decimal", "boolean", "date", "varchar", "char":
			cast = "CAST("
		}
		b.WriteString(cast)
		call()
		b.WriteString(" AS " + opts.returningSQL + ")")
	default:
		call()
	}
	return end
}

// topLevelComma returns the index of the first comma between from and end
// outside parentheses and brackets, or -1.
func topLevelComma(toks []token, from, end int) int {
	span := toks[from:end]
	i := firstTopLevel(span, func(k int) bool { return span[k].kind == 'p' && span[k].text == "," })
	if i == len(span) {
		return -1
	}
	return from + i
}

// formatJSON splits a trailing FORMAT JSON [ENCODING x] off an
// expression: the expression without it, whether it was there, and the
// encoding's word (nil when none is named). One inside a nested call
// stays.
func formatJSON(toks []token) (expr []token, format bool, encoding *token) {
	var words []int // indices of the tokens that are not white space
	for i, t := range toks {
		if t.kind != ' ' && !(t.kind == 'q' && isComment(t.text)) {
			words = append(words, i)
		}
	}
	n := len(words)
	switch {
	case n >= 4 && toks[words[n-4]].is("FORMAT") && toks[words[n-3]].is("JSON") && toks[words[n-2]].is("ENCODING"):
		return toks[:words[n-4]], true, &toks[words[n-1]]
	case n >= 2 && toks[words[n-2]].is("FORMAT") && toks[words[n-1]].is("JSON"):
		return toks[:words[n-2]], true, nil
	}
	return toks, false, nil
}

// sqlJSONOptions are a call's clauses.
type sqlJSONOptions struct {
	onEmpty, onError string // behaviors, lower case
	wrapper          string
	omitQuotes       bool
	returning        string // json_value's type, lower case, for the function
	returningSQL     string // and spelled for the engine's CAST
	emptyDefault     []token
	errorDefault     []token
	passing          []passedValue
}

// passedValue is a PASSING clause's value, for $name in the path.
type passedValue struct {
	name string
	expr []token
}

// encode writes the options for the function, as key=value pairs.
func (o *sqlJSONOptions) encode() string {
	quotes := "keep"
	if o.omitQuotes {
		quotes = "omit"
	}
	return strings.Join([]string{"empty=" + o.onEmpty, "error=" + o.onError, "wrapper=" + o.wrapper, "quotes=" + quotes, "returning=" + o.returning}, ";")
}

// parseSQLJSONClauses reads the clauses after the path.
func parseSQLJSONClauses(name string, toks []token) (*sqlJSONOptions, error) {
	fn := strings.ToLower(name)
	o := &sqlJSONOptions{wrapper: "without"}
	var w []token // the clause tokens without white space
	var at0 []int // where each of them is in toks
	for i, t := range toks {
		if t.kind != ' ' && !(t.kind == 'q' && isComment(t.text)) {
			w = append(w, t)
			at0 = append(at0, i)
		}
	}
	// original returns the tokens of w[i:j] as written, white space kept.
	original := func(i, j int) []token {
		if i >= j {
			return nil
		}
		return toks[at0[i] : at0[j-1]+1]
	}
	seen := map[string]bool{} // clauses given, to refuse repeats
	once := func(clause string) error {
		if seen[clause] {
			return fmt.Errorf("%s: the %s clause is given twice", fn, clause)
		}
		seen[clause] = true
		return nil
	}
	at := func(i int, words ...string) bool {
		for k, word := range words {
			if i+k >= len(w) || !w[i+k].is(word) {
				return false
			}
		}
		return true
	}
	// behavior reads "<behavior> ON EMPTY|ERROR" at w[i]; it returns the
	// index after it, or -1.
	behavior := func(i int) (int, error) {
		var mode string
		var def []token
		j := i
		switch {
		case at(i, "EMPTY", "ARRAY"), at(i, "EMPTY", "OBJECT"):
			mode, j = "empty "+strings.ToLower(w[i+1].text), i+2
		case at(i, "DEFAULT"):
			// The default is an expression up to ON at depth zero.
			depth := 0
			for j = i + 1; j < len(w) && !(depth == 0 && w[j].is("ON")); j++ {
				switch {
				case w[j].kind == 'p' && w[j].text == "(":
					depth++
				case w[j].kind == 'p' && w[j].text == ")":
					depth--
				}
			}
			mode, def = "default", original(i+1, j)
			if def == nil {
				return -1, fmt.Errorf("%s: DEFAULT wants a value", fn)
			}
		case at(i, "NULL"), at(i, "ERROR"), at(i, "TRUE"), at(i, "FALSE"), at(i, "UNKNOWN"):
			mode, j = strings.ToLower(w[i].text), i+1
		default:
			return -1, nil
		}
		if !at(j, "ON") || j+1 >= len(w) || !(w[j+1].is("EMPTY") || w[j+1].is("ERROR")) {
			return -1, nil
		}
		on := strings.ToLower(w[j+1].text)
		allowed := map[string]string{
			"JSON_EXISTS": " true false unknown error ",
			"JSON_VALUE":  " null error default ",
			"JSON_QUERY":  " null error empty array empty object ",
		}[name]
		if name == "JSON_EXISTS" && on == "empty" || !strings.Contains(allowed, " "+mode+" ") {
			return -1, fmt.Errorf("%s: %s ON %s is not allowed", fn, strings.ToUpper(mode), strings.ToUpper(on))
		}
		if err := once("ON " + strings.ToUpper(on)); err != nil {
			return -1, err
		}
		if on == "empty" {
			o.onEmpty, o.emptyDefault = mode, def
		} else {
			o.onError, o.errorDefault = mode, def
		}
		return j + 2, nil
	}
	for i := 0; i < len(w); {
		switch {
		case at(i, "PASSING") && i == 0: // right after the path, as the grammar has it
			if err := once("PASSING"); err != nil {
				return nil, err
			}
			// PASSING expr AS name [, expr AS name ...]
			for i++; ; {
				depth, as := 0, -1
				for j := i; j < len(w) && as < 0; j++ {
					switch {
					case w[j].kind == 'p' && w[j].text == "(":
						depth++
					case w[j].kind == 'p' && w[j].text == ")":
						depth--
					case depth == 0 && w[j].is("AS"):
						as = j
					}
				}
				if as <= i || as+1 >= len(w) || !(w[as+1].kind == 'w' || w[as+1].kind == 'q' && w[as+1].text[0] == '"') {
					return nil, fmt.Errorf("%s: PASSING wants value AS name", fn)
				}
				name := w[as+1].text
				if name[0] == '"' {
					name = strings.ReplaceAll(name[1:len(name)-1], `""`, `"`)
				}
				o.passing = append(o.passing, passedValue{name, original(i, as)})
				i = as + 2
				if !(i < len(w) && w[i].kind == 'p' && w[i].text == ",") {
					break
				}
				i++
			}
		case at(i, "RETURNING") && name != "JSON_EXISTS":
			if err := once("RETURNING"); err != nil {
				return nil, err
			}
			j := i + 1
			for j < len(w) && !isClauseWord(name, w[j]) {
				j++
			}
			typ := w[i+1 : j]
			if len(typ) == 0 {
				return nil, fmt.Errorf("%s: RETURNING wants a type", fn)
			}
			var raw strings.Builder
			writeTokens(&raw, typ)
			if name == "JSON_VALUE" {
				o.returning = strings.ToLower(raw.String())
				o.returningSQL = typeSQL(original(i+1, j))
			}
			i = j
			if at(i, "FORMAT", "JSON") {
				i += 2
				if at(i, "ENCODING") {
					i += 2
				}
			}
		case name == "JSON_QUERY" && at(i, "WITHOUT"):
			if err := once("WRAPPER"); err != nil {
				return nil, err
			}
			i++
			if at(i, "ARRAY") {
				i++
			}
			if !at(i, "WRAPPER") {
				return nil, fmt.Errorf("%s: expected WRAPPER", fn)
			}
			o.wrapper, i = "without", i+1
		case name == "JSON_QUERY" && at(i, "WITH"):
			if err := once("WRAPPER"); err != nil {
				return nil, err
			}
			i++
			o.wrapper = "unconditional"
			switch {
			case at(i, "CONDITIONAL"):
				o.wrapper, i = "conditional", i+1
			case at(i, "UNCONDITIONAL"):
				i++
			}
			if at(i, "ARRAY") {
				i++
			}
			if !at(i, "WRAPPER") {
				return nil, fmt.Errorf("%s: expected WRAPPER", fn)
			}
			i++
		case name == "JSON_QUERY" && (at(i, "KEEP", "QUOTES") || at(i, "OMIT", "QUOTES")):
			if err := once("QUOTES"); err != nil {
				return nil, err
			}
			o.omitQuotes = w[i].is("OMIT")
			i += 2
			if at(i, "ON", "SCALAR", "STRING") {
				i += 3
			}
		default:
			j, err := behavior(i)
			if err != nil {
				return nil, err
			}
			if j < 0 {
				var rest strings.Builder
				writeTokens(&rest, original(i, len(w)))
				return nil, fmt.Errorf("%s: unexpected %s", fn, rest.String())
			}
			i = j
		}
	}
	if o.omitQuotes && o.wrapper != "without" {
		return nil, fmt.Errorf("%s: OMIT QUOTES cannot go with an array wrapper", fn)
	}
	return o, nil
}

// isClauseWord tells whether a word starts a clause after RETURNING's type
// (WITH only for json_query, where it starts the wrapper: a json_value type
// may be timestamp(3) with time zone).
func isClauseWord(name string, t token) bool {
	if name == "JSON_QUERY" && (t.is("WITH") || t.is("WITHOUT") || t.is("KEEP") || t.is("OMIT")) {
		return true
	}
	for _, w := range []string{"FORMAT", "DEFAULT", "NULL", "ERROR", "EMPTY", "ON"} {
		if t.is(w) {
			return true
		}
	}
	return false
}

// sqlJSON holds what the SQL/JSON functions' calls were compiled to. A
// query's path and options are literals, the same for every row: they are
// parsed once and kept, by their text. The cache is emptied when it holds
// maxCalls.
type sqlJSON struct {
	mu    sync.Mutex
	calls map[[2]string]*compiledCall
}

const maxCalls = 1024

// compiledCall is a call's parsed path and decoded options (encode's
// key=value pairs).
type compiledCall struct {
	path *jsonpath.Path
	opts map[string]string
}

// prepare returns a call's compiled path and options, and its passed
// values for this row (a JSON object, or nil).
func (j *sqlJSON) prepare(path, opts, passed *string) (*compiledCall, map[string]any, error) {
	if path == nil {
		return nil, nil, fmt.Errorf("the JSON path is NULL")
	}
	key := [2]string{*path}
	if opts != nil {
		key[1] = *opts
	}
	j.mu.Lock()
	c, ok := j.calls[key]
	j.mu.Unlock()
	if !ok {
		p, err := jsonpath.Parse(*path)
		if err != nil {
			return nil, nil, err
		}
		c = &compiledCall{path: p, opts: map[string]string{}}
		for kv := range strings.SplitSeq(key[1], ";") {
			k, v, _ := strings.Cut(kv, "=")
			c.opts[k] = v
		}
		j.mu.Lock()
		if j.calls == nil || len(j.calls) >= maxCalls {
			j.calls = map[[2]string]*compiledCall{}
		}
		j.calls[key] = c
		j.mu.Unlock()
	}
	if passed == nil {
		return c, nil, nil
	}
	v, err := jsonpath.Decode(*passed)
	if err != nil {
		return nil, nil, err
	}
	o, ok := v.(*jsonpath.Object)
	if !ok {
		return nil, nil, fmt.Errorf("the PASSING values are not a JSON object")
	}
	vars := make(map[string]any, len(o.Keys))
	for i, k := range o.Keys {
		vars[k] = o.Values[i]
	}
	return c, vars, nil
}

// register defines the lakebox_json_* functions in the engine. Their
// arguments: the input, the path, the options, the passed values, and for
// json_value the ON EMPTY and ON ERROR defaults.
func (j *sqlJSON) register(sess *sqlengine.Session) error {
	if err := sess.RegisterFunc("lakebox_json_exists", 4, true, func(a []*string) (any, error) {
		c, vars, err := j.prepare(a[1], a[2], a[3])
		if err != nil {
			return nil, err
		}
		return jsonpath.Exists(a[0], c.path, vars, c.opts["error"])
	}); err != nil {
		return err
	}
	if err := sess.RegisterFunc("lakebox_json_query", 4, false, func(a []*string) (any, error) {
		c, vars, err := j.prepare(a[1], a[2], a[3])
		if err != nil {
			return nil, err
		}
		o := c.opts
		return jsonpath.Query(a[0], c.path, vars, jsonpath.QueryOptions{Wrapper: o["wrapper"], OmitQuotes: o["quotes"] == "omit",
			OnEmpty: jsonpath.Behavior{Mode: o["empty"]}, OnError: jsonpath.Behavior{Mode: o["error"]}})
	}); err != nil {
		return err
	}
	return sess.RegisterFunc("lakebox_json_value", 6, false, func(a []*string) (any, error) {
		c, vars, err := j.prepare(a[1], a[2], a[3])
		if err != nil {
			return nil, err
		}
		o := c.opts
		return jsonpath.Value(a[0], c.path, vars, jsonpath.ValueOptions{Returning: o["returning"],
			OnEmpty: jsonpath.Behavior{Mode: o["empty"], Default: a[4]}, OnError: jsonpath.Behavior{Mode: o["error"], Default: a[5]}})
	})
}
