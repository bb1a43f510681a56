package athena

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/lakebox/lakebox/internal/sqlengine"
)

// jsonParse is Trino's json_parse (and a JSON '...' literal): the text read
// into values and written back as Trino's JSON mapper writes them, so that
// equal documents are equal JSON values whatever their spelling:
//   - an object's keys sorted (as Java compares strings), a duplicate key
//     keeping its last value;
//   - a number with a fraction or an exponent read as a double and written
//     as Java does (1.10 → 1.1, 1e2 → 100.0, 1e10 → 1.0E10), an integer as
//     its digits;
//   - strings with Jackson's escapes (\n, \t, \u001F; other characters as
//     they are); no spaces.
func jsonParse(a []*string) (any, error) {
	if a[0] == nil {
		return nil, nil
	}
	dec := json.NewDecoder(strings.NewReader(*a[0]))
	dec.UseNumber()
	var out bytes.Buffer
	err := canonicalJSON(dec, &out, 0)
	if err == nil {
		if _, end := dec.Token(); end != io.EOF { // something after the value
			err = errors.New("trailing text")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("Cannot convert value to JSON: '%s'", *a[0])
	}
	return out.String(), nil
}

var errJSONDepth = errors.New("JSON nested too deeply")

// canonicalJSON reads one value from dec and writes it to out.
func canonicalJSON(dec *json.Decoder, out *bytes.Buffer, depth int) error {
	if depth > 1000 {
		return errJSONDepth
	}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '[':
			out.WriteByte('[')
			for i := 0; dec.More(); i++ {
				if i > 0 {
					out.WriteByte(',')
				}
				if err := canonicalJSON(dec, out, depth+1); err != nil {
					return err
				}
			}
			out.WriteByte(']')
		case '{':
			members := map[string][]byte{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				var v bytes.Buffer
				if err := canonicalJSON(dec, &v, depth+1); err != nil {
					return err
				}
				members[k.(string)] = v.Bytes() // the last of a duplicate key wins
			}
			keys := make([]string, 0, len(members))
			for k := range members {
				keys = append(keys, k)
			}
			slices.SortFunc(keys, javaCompare)
			out.WriteByte('{')
			for i, k := range keys {
				if i > 0 {
					out.WriteByte(',')
				}
				writeJacksonString(out, k)
				out.WriteByte(':')
				out.Write(members[k])
			}
			out.WriteByte('}')
		}
		if _, err := dec.Token(); err != nil { // the closing bracket
			return err
		}
	case string:
		writeJacksonString(out, t)
	case json.Number:
		return writeJacksonNumber(out, string(t))
	case bool:
		out.WriteString(strconv.FormatBool(t))
	case nil:
		out.WriteString("null")
	}
	return nil
}

// writeJacksonNumber writes a number as Jackson reads and writes it: an
// integer exactly, anything else as a Java double.
func writeJacksonNumber(out *bytes.Buffer, n string) error {
	if !strings.ContainsAny(n, ".eE") {
		i, ok := new(big.Int).SetString(n, 10)
		if !ok {
			return fmt.Errorf("bad number %q", n)
		}
		out.WriteString(i.String()) // -0 is 0
		return nil
	}
	f, err := strconv.ParseFloat(n, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return err
	}
	s := sqlengine.JavaDouble(f)
	if s == "Infinity" || s == "-Infinity" {
		s = `"` + s + `"` // Jackson writes what JSON cannot spell as a string
	}
	out.WriteString(s)
	return nil
}

// writeJacksonString writes s quoted, escaped as Jackson's UTF-8 writer
// escapes: the quote, the backslash and control characters (\b \t \n \f
// \r by their short forms), and a character past U+FFFF as its two UTF-16
// surrogates (\uD83D\uDE00).
func writeJacksonString(out *bytes.Buffer, s string) {
	const hex = "0123456789ABCDEF"
	escape := func(u uint16) {
		out.WriteString(`\u`)
		for shift := 12; shift >= 0; shift -= 4 {
			out.WriteByte(hex[u>>shift&0xF])
		}
	}
	out.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0xF0 { // four bytes of UTF-8: past U+FFFF
			if r, size := utf8.DecodeRuneInString(s[i:]); size == 4 {
				hi, lo := utf16.EncodeRune(r)
				escape(uint16(hi))
				escape(uint16(lo))
				i += size - 1
				continue
			}
		}
		switch {
		case c == '"' || c == '\\':
			out.WriteByte('\\')
			out.WriteByte(c)
		case c == '\b':
			out.WriteString(`\b`)
		case c == '\t':
			out.WriteString(`\t`)
		case c == '\n':
			out.WriteString(`\n`)
		case c == '\f':
			out.WriteString(`\f`)
		case c == '\r':
			out.WriteString(`\r`)
		case c < 0x20:
			escape(uint16(c))
		default:
			out.WriteByte(c)
		}
	}
	out.WriteByte('"')
}

// javaCompare orders strings as Java's String.compareTo does, by UTF-16
// code units (which differs from byte order only past U+FFFF).
func javaCompare(a, b string) int {
	if isASCII(a) && isASCII(b) {
		return strings.Compare(a, b)
	}
	return slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b)))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
