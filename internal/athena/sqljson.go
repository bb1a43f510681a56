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
	input := stripFormatJSON(toks[open+1 : comma])
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
		b.WriteString(") AS VARCHAR), " + toks[pathAt].text + ", '" + strings.ReplaceAll(opts.encode(), "'", "''") + "'")
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
	case name == "JSON_EXISTS":
		b.WriteString("CAST(")
		call()
		b.WriteString(" AS BOOLEAN)")
	case name == "JSON_VALUE" && opts.returningSQL != "":
		b.WriteString("CAST(")
		call()
		b.WriteString(" AS " + opts.returningSQL + ")")
	default:
		call()
	}
	return end
}

// topLevelComma returns the index of the first comma between from and end
// outside parentheses, or -1.
func topLevelComma(toks []token, from, end int) int {
	depth := 0
	for i := from; i < end; i++ {
		if toks[i].kind != 'p' {
			continue
		}
		switch toks[i].text {
		case "(", "[":
			depth++
		case ")", "]":
			depth--
		case ",":
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// stripFormatJSON drops a trailing FORMAT JSON [ENCODING x] from the
// input argument: the input is text either way.
func stripFormatJSON(toks []token) []token {
	var words []int
	for i, t := range toks {
		if t.kind != ' ' && !(t.kind == 'q' && isComment(t.text)) {
			words = append(words, i)
		}
	}
	for k := range words {
		if toks[words[k]].is("FORMAT") && k+1 < len(words) && toks[words[k+1]].is("JSON") {
			return toks[:words[k]]
		}
	}
	return toks
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
	for _, t := range toks {
		if t.kind != ' ' && !(t.kind == 'q' && isComment(t.text)) {
			w = append(w, t)
		}
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
	behavior := func(i int) int {
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
			mode, def = "default", w[i+1:j]
		case at(i, "NULL"), at(i, "ERROR"), at(i, "TRUE"), at(i, "FALSE"), at(i, "UNKNOWN"):
			mode, j = strings.ToLower(w[i].text), i+1
		default:
			return -1
		}
		if !at(j, "ON") || j+1 >= len(w) {
			return -1
		}
		switch {
		case w[j+1].is("EMPTY") && name != "JSON_EXISTS":
			o.onEmpty, o.emptyDefault = mode, spaced(def)
		case w[j+1].is("ERROR"):
			o.onError, o.errorDefault = mode, spaced(def)
		default:
			return -1
		}
		return j + 2
	}
	for i := 0; i < len(w); {
		switch {
		case at(i, "PASSING"):
			return nil, fmt.Errorf("%s: the PASSING clause is not supported yet", fn)
		case at(i, "RETURNING"):
			j := i + 1
			for j < len(w) && !isClauseWord(w[j]) {
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
				o.returningSQL = typeSQL(spaced(typ))
			}
			i = j
			if at(i, "FORMAT", "JSON") {
				i += 2
				if at(i, "ENCODING") {
					i += 2
				}
			}
		case name == "JSON_QUERY" && at(i, "WITHOUT"):
			i++
			if at(i, "ARRAY") {
				i++
			}
			if !at(i, "WRAPPER") {
				return nil, fmt.Errorf("%s: expected WRAPPER", fn)
			}
			o.wrapper, i = "without", i+1
		case name == "JSON_QUERY" && at(i, "WITH"):
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
			o.omitQuotes = w[i].is("OMIT")
			i += 2
			if at(i, "ON", "SCALAR", "STRING") {
				i += 3
			}
		default:
			j := behavior(i)
			if j < 0 {
				var rest strings.Builder
				writeTokens(&rest, spaced(w[i:]))
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

// isClauseWord tells whether a word starts a clause after RETURNING's type.
func isClauseWord(t token) bool {
	for _, w := range []string{"FORMAT", "DEFAULT", "NULL", "ERROR", "EMPTY", "WITH", "WITHOUT", "KEEP", "OMIT", "ON"} {
		if t.is(w) {
			return true
		}
	}
	return false
}

// spaced puts single spaces between tokens that had white space removed.
func spaced(toks []token) []token {
	if toks == nil {
		return nil
	}
	out := make([]token, 0, 2*len(toks))
	for i, t := range toks {
		if i > 0 {
			out = append(out, token{" ", ' '})
		}
		out = append(out, t)
	}
	return out
}

// sqlJSON holds the parsed paths of the SQL/JSON functions, by text: a
// query's path is a literal, the same for every row.
type sqlJSON struct{ paths sync.Map }

func (j *sqlJSON) path(s *string) (*jsonpath.Path, error) {
	if s == nil {
		return nil, fmt.Errorf("the JSON path is NULL")
	}
	if p, ok := j.paths.Load(*s); ok {
		return p.(*jsonpath.Path), nil
	}
	p, err := jsonpath.Parse(*s)
	if err != nil {
		return nil, err
	}
	j.paths.Store(*s, p)
	return p, nil
}

// options decodes encode's key=value pairs.
func decodeSQLJSONOptions(s *string) map[string]string {
	out := map[string]string{}
	if s == nil {
		return out
	}
	for kv := range strings.SplitSeq(*s, ";") {
		k, v, _ := strings.Cut(kv, "=")
		out[k] = v
	}
	return out
}

// register defines the lakebox_json_* functions in the engine.
func (j *sqlJSON) register(sess *sqlengine.Session) error {
	if err := sess.RegisterFunc("lakebox_json_exists", 3, true, func(a []*string) (any, error) {
		p, err := j.path(a[1])
		if err != nil {
			return nil, err
		}
		onError := decodeSQLJSONOptions(a[2])["error"]
		return jsonpath.Exists(a[0], p, onError)
	}); err != nil {
		return err
	}
	if err := sess.RegisterFunc("lakebox_json_query", 3, false, func(a []*string) (any, error) {
		p, err := j.path(a[1])
		if err != nil {
			return nil, err
		}
		o := decodeSQLJSONOptions(a[2])
		return jsonpath.Query(a[0], p, jsonpath.QueryOptions{Wrapper: o["wrapper"], OmitQuotes: o["quotes"] == "omit",
			OnEmpty: jsonpath.Behavior{Mode: o["empty"]}, OnError: jsonpath.Behavior{Mode: o["error"]}})
	}); err != nil {
		return err
	}
	return sess.RegisterFunc("lakebox_json_value", 5, false, func(a []*string) (any, error) {
		p, err := j.path(a[1])
		if err != nil {
			return nil, err
		}
		o := decodeSQLJSONOptions(a[2])
		return jsonpath.Value(a[0], p, jsonpath.ValueOptions{Returning: o["returning"],
			OnEmpty: jsonpath.Behavior{Mode: o["empty"], Default: a[3]}, OnError: jsonpath.Behavior{Mode: o["error"], Default: a[4]}})
	})
}
