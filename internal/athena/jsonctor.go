package athena

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Trino's SQL/JSON constructors, json_array and json_object, take
// clauses the engine's parser does not ('k' : v, KEY k VALUE v,
// v FORMAT JSON, ABSENT ON NULL, RETURNING VARBINARY ...). The syntax pass
// writes each call as an expression of the engine's that builds the
// JSON text: every element made JSON on its own (to_json, or json() of
// text given FORMAT JSON), the pieces joined with commas — so duplicate
// keys keep their order, and NULLs drop out (array_to_string skips them)
// unless NULL ON NULL makes them null.

// isJSONConstructor tells whether toks[i] starts a json_array or
// json_object call.
func isJSONConstructor(toks []token, i int) bool {
	return (toks[i].is("JSON_ARRAY") || toks[i].is("JSON_OBJECT")) && isPunctAfter(toks, i, "(")
}

// jsonElement is one value of a constructor, and for json_object its key.
type jsonElement struct {
	key, value []token
	format     bool   // FORMAT JSON: the value is JSON text
	encoding   string // FORMAT JSON ENCODING x: the value is varbinary
}

// jsonCtorClauses are a constructor's clauses after its last element.
type jsonCtorClauses struct {
	nullOnNull bool
	unique     bool
	returning  string // "" (varchar), "varchar" or "varbinary"
	encoding   string // of a varbinary result: UTF8, UTF16 or UTF32
}

// jsonConstructorCall rewrites the call at toks[i] and returns the index
// of its closing parenthesis.
func jsonConstructorCall(b *strings.Builder, toks []token, i int) int {
	object := toks[i].is("JSON_OBJECT")
	fn := "json_array"
	if object {
		fn = "json_object"
	}
	open := next(toks, i+1)
	end := closing(toks, open)
	if end == len(toks) {
		writeTokens(b, toks[i:]) // unclosed: the engine reports it
		return end
	}
	elems, clauses, err := parseJSONConstructor(object, toks[open+1:end])
	if err != nil {
		b.WriteString("error('" + strings.ReplaceAll(fn+": "+err.Error(), "'", "''") + "')")
		return end
	}
	var text strings.Builder // the JSON text, as an expression
	if object {
		text.WriteString("'{' || ")
	} else {
		text.WriteString("'[' || ")
	}
	if len(elems) == 0 {
		text.WriteString("''")
	} else {
		text.WriteString("coalesce(array_to_string([")
		for k, e := range elems {
			if k > 0 {
				text.WriteString(", ")
			}
			if object {
				// Each key is a JSON string.
				text.WriteString("lakebox_json_format(to_json(")
				writeJSONKey(&text, e.key)
				text.WriteString(")) || ':' || ")
			}
			if clauses.nullOnNull {
				text.WriteString("coalesce(")
			}
			writeJSONValue(&text, e)
			if clauses.nullOnNull {
				text.WriteString(", 'null')")
			}
		}
		text.WriteString("], ','), '')") // NULL when every piece is
	}
	if object {
		text.WriteString(" || '}'")
	} else {
		text.WriteString(" || ']'")
	}
	body := text.String()
	if clauses.unique && len(elems) > 1 {
		var keys strings.Builder
		for k, e := range elems {
			if k > 0 {
				keys.WriteString(", ")
			}
			writeJSONKey(&keys, e.key)
		}
		body = fmt.Sprintf("CASE WHEN len(list_distinct([%[1]s])) < len([%[1]s]) THEN error('duplicate key passed to JSON_OBJECT function') ELSE %[2]s END",
			keys.String(), body)
	}
	switch {
	case clauses.returning != "varbinary":
		b.WriteString("(" + body + ")")
	case clauses.encoding == "UTF8":
		b.WriteString("encode(" + body + ")")
	default:
		b.WriteString("unhex(lakebox_utf_encode(" + body + ", '" + clauses.encoding + "'))")
	}
	return end
}

// writeJSONKey writes an object key as text; a NULL key fails the query,
// as in Trino.
func writeJSONKey(b *strings.Builder, key []token) {
	b.WriteString("CASE WHEN (")
	rewrite(b, key)
	b.WriteString(") IS NULL THEN error('null value passed for JSON object key to JSON_OBJECT function') ELSE CAST((")
	rewrite(b, key)
	b.WriteString(") AS VARCHAR) END")
}

// writeJSONValue writes an element's value as JSON text (NULL for NULL);
// lakebox_json_format is the text of a JSON value (a CAST to VARCHAR
// would be Trino's, the value of a JSON string).
func writeJSONValue(b *strings.Builder, e jsonElement) {
	switch {
	case e.encoding != "":
		b.WriteString("lakebox_json_format(json(lakebox_utf_decode(hex((")
		rewrite(b, e.value)
		b.WriteString(")), '" + e.encoding + "')))")
	case e.format && isVarbinaryLiteral(e.value):
		b.WriteString("lakebox_json_format(json(decode(")
		rewrite(b, e.value)
		b.WriteString(")))")
	case e.format:
		b.WriteString("lakebox_json_format(json((")
		rewrite(b, e.value)
		b.WriteString(")))")
	default:
		b.WriteString("lakebox_json_format(to_json((")
		rewrite(b, e.value)
		b.WriteString(")))")
	}
}

// isVarbinaryLiteral tells whether an expression is an X'..' literal.
func isVarbinaryLiteral(toks []token) bool {
	w := words(toks)
	return len(w) == 2 && w[0].is("X") && w[1].kind == 'q'
}

// words returns the tokens that are not white space or comments.
func words(toks []token) []token {
	var w []token
	for _, t := range toks {
		if t.kind != ' ' && !(t.kind == 'q' && isComment(t.text)) {
			w = append(w, t)
		}
	}
	return w
}

// parseJSONConstructor reads a constructor's arguments: its elements
// (key-value pairs for json_object), then its clauses.
func parseJSONConstructor(object bool, toks []token) ([]jsonElement, jsonCtorClauses, error) {
	clauses := jsonCtorClauses{nullOnNull: object} // Trino: NULL ON NULL for objects, ABSENT for arrays
	var items [][]token
	for start := 0; ; {
		comma := topLevelComma(toks, start, len(toks))
		if comma < 0 {
			items = append(items, toks[start:])
			break
		}
		items = append(items, toks[start:comma])
		start = comma + 1
	}
	// The clauses follow the last element, without a comma.
	last := items[len(items)-1]
	at := clauseStart(last)
	if err := parseJSONCtorClauses(object, words(last[at:]), &clauses); err != nil {
		return nil, clauses, err
	}
	items[len(items)-1] = last[:at]
	if len(items) == 1 && len(words(items[0])) == 0 {
		items = nil // no elements
	}
	elems := make([]jsonElement, 0, len(items))
	for _, item := range items {
		e, err := parseJSONElement(object, item)
		if err != nil {
			return nil, clauses, err
		}
		if clauses.unique && (e.format || e.encoding != "") {
			return nil, clauses, fmt.Errorf("WITH UNIQUE KEYS behavior is not supported for JSON_OBJECT function when input expression has FORMAT")
		}
		elems = append(elems, e)
	}
	return elems, clauses, nil
}

// clauseStart returns where the clauses begin in the last argument: the
// first NULL ON NULL, ABSENT ON NULL, WITH/WITHOUT UNIQUE or RETURNING
// outside parentheses (len(toks) if none).
func clauseStart(toks []token) int {
	return firstTopLevel(toks, func(i int) bool {
		t := toks[i]
		return t.is("RETURNING") ||
			(t.is("NULL") || t.is("ABSENT")) && isWordAfter(toks, i, "ON") && isWordAfter(toks, next(toks, i+1), "NULL") ||
			(t.is("WITH") || t.is("WITHOUT")) && isWordAfter(toks, i, "UNIQUE")
	})
}

func parseJSONCtorClauses(object bool, w []token, c *jsonCtorClauses) error {
	seen := map[string]bool{}
	once := func(clause string) error {
		if seen[clause] {
			return fmt.Errorf("the %s clause is given twice", clause)
		}
		seen[clause] = true
		return nil
	}
	for i := 0; i < len(w); {
		switch {
		case (w[i].is("NULL") || w[i].is("ABSENT")) && i+2 < len(w) && w[i+1].is("ON") && w[i+2].is("NULL"):
			if err := once("ON NULL"); err != nil {
				return err
			}
			c.nullOnNull = w[i].is("NULL")
			i += 3
		case object && (w[i].is("WITH") || w[i].is("WITHOUT")) && i+1 < len(w) && w[i+1].is("UNIQUE"):
			if err := once("UNIQUE KEYS"); err != nil {
				return err
			}
			c.unique = w[i].is("WITH")
			i += 2
			if i < len(w) && w[i].is("KEYS") {
				i++
			}
		case w[i].is("RETURNING") && i+1 < len(w):
			if err := once("RETURNING"); err != nil {
				return err
			}
			j := i + 2
			switch {
			case w[i+1].is("VARCHAR") || w[i+1].is("CHAR"):
				c.returning = "varchar"
				if j+2 < len(w) && w[j].text == "(" && w[j+2].text == ")" {
					j += 3 // a length: the JSON text is not cut
				}
			case w[i+1].is("VARBINARY"):
				c.returning, c.encoding = "varbinary", "UTF8"
			default:
				return fmt.Errorf("RETURNING %s is not a character or binary string type", w[i+1].text)
			}
			if j < len(w) && w[j].is("FORMAT") {
				if j+1 >= len(w) || !w[j+1].is("JSON") {
					return fmt.Errorf("FORMAT wants JSON")
				}
				j += 2
				if j < len(w) && w[j].is("ENCODING") {
					if j+1 >= len(w) {
						return fmt.Errorf("ENCODING wants UTF8, UTF16 or UTF32")
					}
					enc, err := jsonEncoding(w[j+1])
					if err != nil {
						return err
					}
					if c.returning != "varbinary" {
						return fmt.Errorf("ENCODING is only for a VARBINARY result")
					}
					c.encoding = enc
					j += 2
				}
			}
			i = j
		default:
			return fmt.Errorf("unexpected %s", w[i].text)
		}
	}
	return nil
}

// parseJSONElement reads one argument: "value [FORMAT JSON [ENCODING e]]",
// for json_object with its key first ("k : v", "[KEY] k VALUE v").
func parseJSONElement(object bool, item []token) (jsonElement, error) {
	var e jsonElement
	value := item
	if object {
		sep := firstTopLevel(item, func(i int) bool {
			return (item[i].kind == 'p' && item[i].text == ":" || item[i].is("VALUE")) && len(words(item[:i])) > 0
		})
		if sep == len(item) {
			return e, fmt.Errorf("an entry wants a key and a value ('k' : v or KEY 'k' VALUE v)")
		}
		e.key, value = item[:sep], item[sep+1:]
		if k := next(e.key, 0); k < len(e.key) && e.key[k].is("KEY") && len(words(e.key)) > 1 {
			e.key = e.key[k+1:]
		}
		if len(words(e.key)) == 0 {
			return e, fmt.Errorf("an entry has no key")
		}
	}
	// A trailing FORMAT JSON [ENCODING e] is the value's format.
	value, format, enc := formatJSON(value)
	switch {
	case enc != nil:
		encoding, err := jsonEncoding(*enc)
		if err != nil {
			return e, err
		}
		e.format, e.encoding = true, encoding
	case format:
		e.format = true
	case isJSONCallAlone(value):
		e.format = true // another JSON function's result is JSON
	}
	if len(words(value)) == 0 {
		return e, fmt.Errorf("an element has no value")
	}
	e.value = value
	return e, nil
}

// jsonEncoding reads an ENCODING clause's word: UTF8, UTF16 or UTF32.
func jsonEncoding(word token) (string, error) {
	switch enc := strings.ToUpper(word.text); enc {
	case "UTF8", "UTF16", "UTF32":
		return enc, nil
	}
	return "", fmt.Errorf("ENCODING wants UTF8, UTF16 or UTF32, not %s", word.text)
}

// isJSONCallAlone tells whether an expression is one call of
// json_query, json_array or json_object, and nothing else.
func isJSONCallAlone(toks []token) bool {
	first := next(toks, 0)
	if first == len(toks) || !(toks[first].is("JSON_QUERY") || toks[first].is("JSON_ARRAY") || toks[first].is("JSON_OBJECT")) {
		return false
	}
	open := next(toks, first+1)
	if open == len(toks) || toks[open].text != "(" {
		return false
	}
	end := closing(toks, open)
	return end < len(toks) && next(toks, end+1) == len(toks)
}

// utfEncode is lakebox_utf_encode(text, encoding): the text's bytes in
// UTF-8, UTF-16 or UTF-32 (little-endian, as Trino writes them), in hex.
func utfEncode(a []*string) (any, error) {
	if a[0] == nil || a[1] == nil {
		return nil, nil
	}
	s := *a[0]
	var out []byte
	switch *a[1] {
	case "UTF8":
		out = []byte(s)
	case "UTF16":
		for _, u := range utf16.Encode([]rune(s)) {
			out = binary.LittleEndian.AppendUint16(out, u)
		}
	case "UTF32":
		for _, r := range s {
			out = binary.LittleEndian.AppendUint32(out, uint32(r))
		}
	default:
		return nil, fmt.Errorf("unknown encoding %s", *a[1])
	}
	return hex.EncodeToString(out), nil
}

// utfDecode is lakebox_utf_decode(hex, encoding): the text of bytes in
// UTF-8, UTF-16 or UTF-32 (little-endian).
func utfDecode(a []*string) (any, error) {
	if a[0] == nil || a[1] == nil {
		return nil, nil
	}
	raw, err := hex.DecodeString(*a[0])
	if err != nil {
		return nil, err
	}
	bad := fmt.Errorf("the bytes are not valid %s", *a[1])
	switch *a[1] {
	case "UTF8":
		if !utf8.Valid(raw) {
			return nil, bad
		}
		return string(raw), nil
	case "UTF16":
		if len(raw)%2 != 0 {
			return nil, bad
		}
		units := make([]uint16, len(raw)/2)
		for i := range units {
			units[i] = binary.LittleEndian.Uint16(raw[2*i:])
		}
		return string(utf16.Decode(units)), nil
	case "UTF32":
		if len(raw)%4 != 0 {
			return nil, bad
		}
		var b strings.Builder
		for i := 0; i < len(raw); i += 4 {
			r := rune(binary.LittleEndian.Uint32(raw[i:]))
			if !utf8.ValidRune(r) {
				return nil, bad
			}
			b.WriteRune(r)
		}
		return b.String(), nil
	}
	return nil, fmt.Errorf("unknown encoding %s", *a[1])
}
