package athena

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// trinoSyntax rewrites the Trino syntax the engine's parser does not take,
// before the query is parsed:
//
//   - backtick identifiers (`a b`) become double-quoted ones;
//   - types in CAST and TRY_CAST are spelled the engine's way: ARRAY(T) as
//     T[], ROW(f T, ...) as STRUCT(f T, ...), VARBINARY as BLOB,
//     TIMESTAMP(p) [WITH TIME ZONE] without the precision;
//   - VALUES rows written without parentheses (VALUES 1, 2) get them;
//   - literals: TIMESTAMP '... UTC' (with a zone) is a timestamp with time
//     zone, X'0A' is varbinary, JSON '[1]' is parsed JSON, and integers may
//     be written 0x1F, 0o17, 0b101;
//   - listagg(x, sep) WITHIN GROUP (ORDER BY y) is string_agg(x, sep
//     ORDER BY y);
//   - json_exists, json_query and json_value with their clauses become
//     calls of Go functions (sqljson.go);
//   - json_array and json_object with theirs become expressions that
//     build the JSON text (jsonctor.go).
//
// String literals, quoted identifiers and comments pass untouched.
func trinoSyntax(q string) string {
	toks := lex(q)
	if !needsRewrite(toks) {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	rewrite(&b, toks)
	return b.String()
}

// token is a piece of a query: a word, a number, a quoted string or
// identifier, a comment, white space, or one punctuation character.
type token struct {
	text string
	kind byte // 'w' word, 'q' quoted or comment, ' ' space, 'p' punctuation
}

func lex(q string) []token {
	var toks []token
	for i := 0; i < len(q); {
		c := q[i]
		j := i + 1
		kind := byte('p')
		switch {
		case c == '\'' || c == '"' || c == '`':
			for j < len(q) {
				if q[j] == c {
					if j+1 < len(q) && q[j+1] == c { // doubled: an escaped quote
						j += 2
						continue
					}
					j++
					break
				}
				j++
			}
			kind = 'q'
		case c == '-' && strings.HasPrefix(q[i:], "--"):
			if k := strings.IndexByte(q[i:], '\n'); k >= 0 {
				j = i + k
			} else {
				j = len(q)
			}
			kind = 'q'
		case c == '/' && strings.HasPrefix(q[i:], "/*"):
			if k := strings.Index(q[i+2:], "*/"); k >= 0 {
				j = i + 2 + k + 2
			} else {
				j = len(q)
			}
			kind = 'q'
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			for j < len(q) && (q[j] == ' ' || q[j] == '\t' || q[j] == '\n' || q[j] == '\r') {
				j++
			}
			kind = ' '
		case isWordByte(c):
			for j < len(q) && isWordByte(q[j]) {
				j++
			}
			kind = 'w'
		}
		toks = append(toks, token{q[i:j], kind})
		i = j
	}
	return toks
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func (t token) is(word string) bool { return t.kind == 'w' && strings.EqualFold(t.text, word) }

func needsRewrite(toks []token) bool {
	for _, t := range toks {
		if t.kind == 'q' && t.text[0] == '`' || t.is("CAST") || t.is("TRY_CAST") || t.is("VALUES") ||
			t.is("TIMESTAMP") || t.is("TIME") || t.is("X") || t.is("JSON") || t.is("LISTAGG") || t.is("AT") || t.is("IF") || radixLiteral(t) != "" ||
			t.is("JSON_EXISTS") || t.is("JSON_QUERY") || t.is("JSON_VALUE") || t.is("JSON_ARRAY") || t.is("JSON_OBJECT") {
			return true
		}
	}
	return false
}

// radixLiteral returns the decimal value of a 0x, 0o or 0b integer
// literal, or "".
func radixLiteral(t token) string {
	if t.kind != 'w' || len(t.text) < 3 || t.text[0] != '0' {
		return ""
	}
	base := 0
	switch t.text[1] {
	case 'x', 'X':
		base = 16
	case 'o', 'O':
		base = 8
	case 'b', 'B':
		base = 2
	default:
		return ""
	}
	n, err := strconv.ParseUint(strings.ReplaceAll(t.text[2:], "_", ""), base, 64)
	if err != nil {
		return ""
	}
	return strconv.FormatUint(n, 10)
}

// zonedLiteral reads a timestamp literal's text (quotes included) that
// names a zone — letters (UTC, Europe/Paris) or an offset (+01:00,
// GMT-08:30) after the time or the date, an offset also right against the
// time (00:00:00+05:30) — and returns it spelled for the
// engine's TIMESTAMPTZ: the time always with its seconds, an offset as
// ±hh:mm right after it (literalZone reads the zone back). ok is false
// for a literal without a zone.
func zonedLiteral(lit string) (engine string, ok bool) {
	v := strings.TrimSpace(strings.Trim(lit, "'"))
	sp := strings.LastIndexByte(v, ' ')
	if sp < 0 {
		return "", false
	}
	when, last := strings.TrimSpace(v[:sp]), v[sp+1:]
	if last == "" || when == "" {
		return "", false
	}
	// An offset written against the time (00:00:00+05:30).
	if i := strings.IndexAny(last, "+-"); i > 0 && strings.Contains(last[:i], ":") {
		when, last = when+" "+last[:i], last[i:]
	}
	if !strings.Contains(when, " ") && !strings.Contains(when, "T") {
		when += " 00:00:00" // a date and a zone: its midnight
	}
	// HH:MM gets its seconds: the engine wants them.
	if i := strings.LastIndexAny(when, " T"); i >= 0 && strings.Count(when[i+1:], ":") == 1 {
		when += ":00"
	}
	for _, prefix := range []string{"GMT", "UTC", "UT"} {
		if rest, found := strings.CutPrefix(last, prefix); found && rest != "" && (rest[0] == '+' || rest[0] == '-') {
			last = rest
			break
		}
	}
	if last[0] == '+' || last[0] == '-' {
		off, ok := normalOffset(last)
		if !ok {
			return "", false
		}
		return when + off, true
	}
	for i := 0; i < len(last); i++ {
		c := last[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '/' || c == '_' || c == '-' && i > 0 || c >= '0' && c <= '9' && i > 0) {
			return "", false
		}
	}
	return when + " " + last, true
}

var timeOffset = regexp.MustCompile(`^\s*\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*[+-]\d{1,2}(:?\d{2})?\s*$`)

func isZonedLiteral(lit string) bool { _, ok := zonedLiteral(lit); return ok }

// normalOffset spells a zone offset (+1, +01, +0130, +01:30) as ±hh:mm.
func normalOffset(s string) (string, bool) {
	if len(s) < 2 || s[0] != '+' && s[0] != '-' {
		return "", false
	}
	digits := strings.ReplaceAll(s[1:], ":", "")
	for _, c := range digits {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	switch len(digits) {
	case 1:
		digits = "0" + digits + "00"
	case 2:
		digits += "00"
	case 4:
	default:
		return "", false
	}
	if digits[:2] > "18" || digits[2:] > "59" {
		return "", false
	}
	return s[:1] + digits[:2] + ":" + digits[2:], true
}

// literalAfter returns the index of the string literal right after word
// i (white space between allowed), or -1.
func literalAfter(toks []token, i int) int {
	j := next(toks, i+1)
	if j < len(toks) && toks[j].kind == 'q' && toks[j].text[0] == '\'' {
		return j
	}
	return -1
}

// next returns the index of the first token at or after i that is not
// white space or a comment, or len(toks).
func next(toks []token, i int) int {
	for i < len(toks) && (toks[i].kind == ' ' || toks[i].kind == 'q' && isComment(toks[i].text)) {
		i++
	}
	return i
}

func isComment(s string) bool { return strings.HasPrefix(s, "--") || strings.HasPrefix(s, "/*") }

// closing returns the index of the parenthesis that closes the one at
// open, or len(toks).
func closing(toks []token, open int) int {
	depth := 0
	for i := open; i < len(toks); i++ {
		if toks[i].kind != 'p' {
			continue
		}
		switch toks[i].text {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(toks)
}

func rewrite(b *strings.Builder, toks []token) {
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.kind == 'q' && t.text[0] == '`':
			inner := strings.TrimSuffix(t.text[1:], "`")
			inner = strings.ReplaceAll(inner, "``", "`")
			b.WriteString(`"` + strings.ReplaceAll(inner, `"`, `""`) + `"`)
		case t.is("CAST") || t.is("TRY_CAST"):
			open := next(toks, i+1)
			if open == len(toks) || toks[open].text != "(" {
				b.WriteString(t.text)
				continue
			}
			end := closing(toks, open)
			as := topLevelAs(toks, open+1, end)
			if as < 0 {
				b.WriteString(t.text)
				continue
			}
			b.WriteString(t.text)
			writeTokens(b, toks[i+1:open+1])
			rewrite(b, toks[open+1:as]) // the expression may hold more
			b.WriteString("AS")
			if typ := typeSQL(toks[as+1 : end]); typ != "" {
				b.WriteString(" " + typ)
			}
			if end < len(toks) {
				b.WriteString(")")
			}
			i = end
		case t.is("VALUES"):
			b.WriteString(t.text)
			i = valuesRows(b, toks, i+1) - 1
		case t.is("TIMESTAMP") && literalAfter(toks, i) > 0 && isZonedLiteral(toks[literalAfter(toks, i)].text):
			j := literalAfter(toks, i)
			engine, _ := zonedLiteral(toks[j].text)
			b.WriteString("TIMESTAMPTZ '" + strings.ReplaceAll(engine, "'", "''") + "'")
			i = j
		case t.is("TIME") && literalAfter(toks, i) > 0 && timeOffset.MatchString(strings.Trim(toks[literalAfter(toks, i)].text, "'")):
			b.WriteString("TIMETZ") // TIME '12:00:00+09:00' is a time with time zone
		case t.is("X") && i+1 < len(toks) && toks[i+1].kind == 'q' && toks[i+1].text[0] == '\'':
			b.WriteString("unhex(" + toks[i+1].text + ")")
			i++
		case t.is("JSON") && literalAfter(toks, i) > 0 && !prevIs(toks, i, "AS"):
			j := literalAfter(toks, i)
			b.WriteString("json_parse(" + toks[j].text + ")")
			i = j
		case t.is("LISTAGG"):
			i = listagg(b, toks, i)
		case isSQLJSONCall(toks, i):
			i = sqlJSONCall(b, toks, i)
		case isJSONConstructor(toks, i):
			i = jsonConstructorCall(b, toks, i)
		case t.is("IF") && isPunctAfter(toks, i, "("):
			// IF(c, v) is IF(c, v, NULL) to Trino; the engine wants three.
			open := next(toks, i+1)
			end := closing(toks, open)
			b.WriteString(t.text)
			writeTokens(b, toks[i+1:open+1])
			rewrite(b, toks[open+1:end])
			if end < len(toks) {
				if topLevelCommas(toks[open+1:end]) == 1 {
					b.WriteString(", NULL")
				}
				b.WriteString(")")
			}
			i = end
		case t.is("AT") && !isWordAfter(toks, i, "TIME"):
			// A column named at: Trino reserves no AT, DuckDB reads one
			// as AT TIME ZONE.
			b.WriteString(`"` + t.text + `"`)
		case radixLiteral(t) != "":
			b.WriteString(radixLiteral(t))
		default:
			b.WriteString(t.text)
		}
	}
}

// isPunctAfter tells whether the token after toks[i] (past spaces and
// comments) is the punctuation p.
func isPunctAfter(toks []token, i int, p string) bool {
	j := next(toks, i+1)
	return j < len(toks) && toks[j].kind == 'p' && toks[j].text == p
}

// isWordAfter tells whether the token after toks[i] (past spaces and
// comments) is the word.
func isWordAfter(toks []token, i int, word string) bool {
	j := next(toks, i+1)
	return j < len(toks) && toks[j].is(word)
}

func writeTokens(b *strings.Builder, toks []token) {
	for _, t := range toks {
		b.WriteString(t.text)
	}
}

// topLevelAs returns the index of the AS between from and end that is not
// inside parentheses, or -1.
func topLevelAs(toks []token, from, end int) int {
	depth := 0
	for i := from; i < end; i++ {
		switch {
		case toks[i].kind == 'p' && toks[i].text == "(":
			depth++
		case toks[i].kind == 'p' && toks[i].text == ")":
			depth--
		case depth == 0 && toks[i].is("AS"):
			return i
		}
	}
	return -1
}

// firstTopLevel returns the index of the first token outside parentheses
// and brackets for which match holds, or len(toks).
func firstTopLevel(toks []token, match func(i int) bool) int {
	depth := 0
	for i, t := range toks {
		switch {
		case t.kind == 'p' && (t.text == "(" || t.text == "["):
			depth++
		case t.kind == 'p' && (t.text == ")" || t.text == "]"):
			depth--
		case depth == 0 && match(i):
			return i
		}
	}
	return len(toks)
}

// typeSQL spells a Trino type the engine's way.
func typeSQL(toks []token) string {
	w := words(toks) // the type's tokens without white space
	s, end := parseType(w, 0)
	if end != len(w) { // not a type this pass knows: left for the engine to judge
		var b strings.Builder
		writeTokens(&b, toks)
		return strings.TrimSpace(b.String())
	}
	return s
}

// parseType reads one type starting at words[i] and returns its engine
// spelling and the index after it.
func parseType(words []token, i int) (string, int) {
	if i >= len(words) {
		return "", i
	}
	name := words[i]
	i++
	hasArgs := i < len(words) && words[i].text == "("
	switch {
	case name.is("ARRAY") && hasArgs:
		elem, j := parseType(words, i+1)
		return elem + "[]", skipClose(words, j)
	case name.is("MAP") && hasArgs:
		k, j := parseType(words, i+1)
		if j < len(words) && words[j].text == "," {
			j++
		}
		v, j := parseType(words, j)
		return "MAP(" + k + ", " + v + ")", skipClose(words, j)
	case name.is("ROW") && hasArgs:
		var fields []string
		j := i + 1
		for j < len(words) && words[j].text != ")" {
			field := words[j].text
			t, k := "", 0
			if j+1 < len(words) && (words[j+1].text == "," || words[j+1].text == ")" || words[j+1].text == "(") {
				// A field without a name: Trino calls it field0, field1, ...
				field = fmt.Sprint("field", len(fields))
				t, k = parseType(words, j)
			} else {
				t, k = parseType(words, j+1)
			}
			fields = append(fields, field+" "+t)
			j = k
			if j < len(words) && words[j].text == "," {
				j++
			}
		}
		return "STRUCT(" + strings.Join(fields, ", ") + ")", skipClose(words, j)
	case name.is("VARBINARY"):
		return "BLOB", i
	case name.is("TIMESTAMP") || name.is("TIME"):
		if hasArgs { // the precision: the engine keeps microseconds
			for i < len(words) && words[i].text != ")" {
				i++
			}
			i = skipClose(words, i)
		}
		if i+2 < len(words) && words[i].is("WITH") && words[i+1].is("TIME") && words[i+2].is("ZONE") {
			return strings.ToUpper(name.text) + " WITH TIME ZONE", i + 3
		}
		return strings.ToUpper(name.text), i
	}
	out := name.text
	if hasArgs { // VARCHAR(n), DECIMAL(p, s), CHAR(n): as they are
		end := i
		for end < len(words) && words[end].text != ")" {
			end++
		}
		var b strings.Builder
		writeTokens(&b, words[i:min(end+1, len(words))])
		out += b.String()
		i = min(end+1, len(words))
	}
	// Multi-word types: DOUBLE PRECISION.
	for i < len(words) && words[i].kind == 'w' && !words[i].is("WITH") {
		out += " " + words[i].text
		i++
	}
	return out, i
}

func skipClose(words []token, i int) int {
	if i < len(words) && words[i].text == ")" {
		return i + 1
	}
	return i
}

// valuesRows writes the rows after VALUES, each in parentheses, and
// returns the index of the first token after them.
func valuesRows(b *strings.Builder, toks []token, i int) int {
	for {
		start := i
		depth := 0
		for i < len(toks) {
			t := toks[i]
			if t.kind == 'p' {
				if t.text == "(" {
					depth++
				} else if t.text == ")" {
					if depth == 0 {
						break
					}
					depth--
				} else if depth == 0 && (t.text == "," || t.text == ";") {
					break
				}
			}
			if depth == 0 && t.kind == 'w' && endsValues(t) {
				break
			}
			i++
		}
		writeRow(b, toks[start:i])
		if i < len(toks) && toks[i].text == "," {
			b.WriteString(",")
			i++
			continue
		}
		return i
	}
}

// endsValues reports whether a word ends a VALUES list.
func endsValues(t token) bool {
	for _, w := range []string{"ORDER", "LIMIT", "OFFSET", "FETCH", "UNION", "INTERSECT", "EXCEPT", "AS", "ON", "WHERE", "GROUP", "JOIN"} {
		if t.is(w) {
			return true
		}
	}
	return false
}

// writeRow writes one VALUES row, in parentheses unless it is one
// parenthesized group already.
func writeRow(b *strings.Builder, row []token) {
	first := next(row, 0)
	last := len(row) - 1
	for last >= 0 && (row[last].kind == ' ' || row[last].kind == 'q' && isComment(row[last].text)) {
		last--
	}
	if first > last || (row[first].text == "(" && closing(row, first) == last) {
		rewrite(b, row)
		return
	}
	// White space and comments around the row stay outside the parentheses.
	writeTokens(b, row[:first])
	b.WriteString("(")
	rewrite(b, row[first:last+1])
	b.WriteString(")")
	writeTokens(b, row[last+1:])
}

// prevIs reports whether the word before token i is word.
func prevIs(toks []token, i int, word string) bool {
	for j := i - 1; j >= 0; j-- {
		if toks[j].kind == ' ' {
			continue
		}
		return toks[j].is(word)
	}
	return false
}

// listagg writes listagg(x, sep) WITHIN GROUP (ORDER BY ...) as
// string_agg(x, sep ORDER BY ...) and returns the index of its last
// token; anything else it writes as it is.
func listagg(b *strings.Builder, toks []token, i int) int {
	open := next(toks, i+1)
	if open == len(toks) || toks[open].text != "(" {
		b.WriteString(toks[i].text)
		return i
	}
	end := closing(toks, open)
	w := next(toks, end+1)
	g := next(toks, w+1)
	o := next(toks, g+1)
	if end == len(toks) || w >= len(toks) || !toks[w].is("WITHIN") || g >= len(toks) || !toks[g].is("GROUP") ||
		o >= len(toks) || toks[o].text != "(" {
		b.WriteString(toks[i].text)
		return i
	}
	oend := closing(toks, o)
	if oend == len(toks) {
		b.WriteString(toks[i].text)
		return i
	}
	// ON OVERFLOW ERROR is Trino's default: the engine's strings have no
	// 1 MB limit to overflow. TRUNCATE would cut what Lakebox keeps whole.
	argToks := toks[open+1 : end]
	if w := words(argToks); len(w) >= 3 && w[len(w)-3].is("ON") && w[len(w)-2].is("OVERFLOW") && w[len(w)-1].is("ERROR") {
		on := firstTopLevel(argToks, func(k int) bool {
			return argToks[k].is("ON") && isWordAfter(argToks, k, "OVERFLOW")
		})
		argToks = argToks[:on]
	}
	var args, order strings.Builder
	rewrite(&args, argToks)
	rewrite(&order, toks[o+1:oend])
	// Trino's separator defaults to none; the engine's to a comma.
	a := strings.TrimRight(args.String(), " \t\r\n")
	if topLevelCommas(argToks) == 0 {
		a += ", ''"
	}
	b.WriteString("string_agg(" + a + " " + order.String() + ")")
	return oend
}

func topLevelCommas(toks []token) int {
	n, depth := 0, 0
	for _, t := range toks {
		if t.kind != 'p' {
			continue
		}
		switch t.text {
		case "(":
			depth++
		case ")":
			depth--
		case ",":
			if depth == 0 {
				n++
			}
		}
	}
	return n
}
