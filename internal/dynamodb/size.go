package dynamodb

import (
	"bytes"

	"github.com/go-json-experiment/json/jsontext"
)

// Item sizes, as DynamoDB counts them toward the 400 KB item limit, the
// 1 MB page of a Query or Scan, and capacity units: each attribute's name
// in UTF-8 bytes plus its value's size. A string is its UTF-8 bytes, a
// binary its bytes, a number about a byte per two significant digits
// (numberSize), a boolean or null one byte, a list or map 3 bytes plus
// one per element (and, for a map, each name's bytes), a set the sum of
// its members.

// maxItemSize is DynamoDB's item size limit.
const maxItemSize = 400 << 10

// itemSize is an item's size: names and values.
func itemSize(item Item) int {
	n := 0
	for k, v := range item {
		n += len(k) + v.size()
	}
	return n
}

// size is the value's size. A value receiver: with a pointer, the copy of
// each map entry the recursion takes the address of went to the heap.
func (v AttributeValue) size() int {
	switch v.Type() {
	case typeS:
		return len(*v.S)
	case typeN:
		return numberSize(*v.N)
	case typeB:
		return len(v.B)
	case typeBOOL, typeNULL:
		return 1
	case typeL:
		n := 3
		for i := range v.L {
			n += 1 + v.L[i].size()
		}
		return n
	case typeM:
		n := 3
		for k, x := range v.M {
			n += 1 + len(k) + x.size()
		}
		return n
	case typeSS:
		n := 0
		for _, s := range v.SS {
			n += len(s)
		}
		return n
	case typeNS:
		n := 0
		for _, s := range v.NS {
			n += numberSize(s)
		}
		return n
	case typeBS:
		n := 0
		for _, x := range v.BS {
			n += len(x)
		}
		return n
	}
	return 0
}

// numberSize is the size of a number in canonical form (plain digits, no
// exponent). DynamoDB keeps a number as base-100 digits after an exponent
// byte: one byte per two significant digits, where the pairs are aligned
// on the decimal point, so 1.2 (digits 01|20) takes one more byte than 12;
// a negative number has a terminator byte; zero is one byte. This is the
// rule dynalite found by measuring DynamoDB.
func numberSize[T string | []byte](s T) int {
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	point := len(s) // digits before the decimal point
	first, last := -1, -1
	d := 0 // index among the digits, the point skipped
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.':
			point = i
		case c != '0':
			if first < 0 {
				first = d
			}
			last = d
			d++
		default:
			d++
		}
	}
	if first < 0 {
		return 1
	}
	digits := last - first + 1
	exp := point - 1 - first // the power of ten of the first significant digit
	n := 1 + (digits+1)/2
	if digits%2 == 0 && exp%2 == 0 {
		n++
	}
	if neg {
		n++
	}
	return n
}

// rawItemSize is itemSize of an item in the JSON appendItem writes,
// computed without decoding it: a Query or Scan counts the size of every
// item it reads, and passes most of them on as stored. ok is false for
// JSON not in that form; decoding it is the way to its size.
func rawItemSize(b []byte) (n int, ok bool) {
	s := sizeScanner{b: b}
	n = s.members(0)
	return n, !s.bad && s.i == len(b)
}

// size is the item's size, as itemSize counts it.
func (r RawItem) size() (int, error) {
	if n, ok := rawItemSize(r); ok {
		return n, nil
	}
	item, err := r.Decode()
	if err != nil {
		return 0, err
	}
	return itemSize(item), nil
}

// sizeScanner reads the JSON of an item, adding up sizes. Once bad is
// set, what it returns is meaningless.
type sizeScanner struct {
	b   []byte
	i   int
	bad bool
}

// next consumes c if it comes next.
func (s *sizeScanner) next(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

func (s *sizeScanner) expect(c byte) {
	if !s.next(c) {
		s.bad = true
	}
}

// members reads an object of named values: its names' bytes, its values'
// sizes and extra per member.
func (s *sizeScanner) members(extra int) int {
	s.expect('{')
	if s.next('}') {
		return 0
	}
	n := 0
	for !s.bad {
		n += extra + s.str()
		s.expect(':')
		n += s.value()
		if s.next('}') {
			return n
		}
		s.expect(',')
	}
	return 0
}

// value reads an attribute value, {"<type>":…}, and returns its size.
func (s *sizeScanner) value() int {
	s.expect('{')
	tag := s.plain()
	s.expect(':')
	n := 0
	switch string(tag) {
	case "S":
		n = s.str()
	case "N":
		n = numberSize(s.plain())
	case "B":
		n = s.binary()
	case "BOOL":
		if !s.literal("true") && !s.literal("false") {
			s.bad = true
		}
		n = 1
	case "NULL":
		if !s.literal("true") {
			s.bad = true
		}
		n = 1
	case "L":
		n = 3 + s.list(func() int { return 1 + s.value() })
	case "M":
		n = 3 + s.members(1)
	case "SS":
		n = s.list(s.str)
	case "NS":
		n = s.list(func() int { return numberSize(s.plain()) })
	case "BS":
		n = s.list(s.binary)
	default:
		s.bad = true
	}
	s.expect('}')
	return n
}

// list reads a JSON array, adding up what elem returns for each element.
func (s *sizeScanner) list(elem func() int) int {
	s.expect('[')
	if s.next(']') {
		return 0
	}
	n := 0
	for !s.bad {
		n += elem()
		if s.next(']') {
			return n
		}
		s.expect(',')
	}
	return 0
}

func (s *sizeScanner) literal(word string) bool {
	if bytes.HasPrefix(s.b[s.i:], []byte(word)) {
		s.i += len(word)
		return true
	}
	return false
}

// quoted reads a JSON string and returns what is between its quotes,
// escapes and all, and whether there were any. A byte loop: the strings
// of an item are mostly short, where it beats bytes.IndexByte.
func (s *sizeScanner) quoted() (body []byte, escaped bool) {
	if s.bad || s.i >= len(s.b) || s.b[s.i] != '"' {
		s.bad = true
		return nil, false
	}
	b, start := s.b, s.i+1
	for j := start; j < len(b); j++ {
		switch b[j] {
		case '"':
			s.i = j + 1
			return b[start:j], escaped
		case '\\':
			escaped = true
			j++
		}
	}
	s.bad = true
	return nil, false
}

// plain reads a string with no escapes (a type, a number, base64) and
// returns what is between its quotes.
func (s *sizeScanner) plain() []byte {
	body, escaped := s.quoted()
	if escaped {
		s.bad = true
	}
	return body
}

// str reads a string and returns its length in UTF-8 bytes, unescaped.
func (s *sizeScanner) str() int {
	start := s.i
	body, escaped := s.quoted()
	if !escaped {
		return len(body)
	}
	// Rare: appendItem escapes only quotes, backslashes and control
	// characters.
	out, err := jsontext.AppendUnquote(nil, s.b[start:s.i])
	if err != nil {
		s.bad = true
	}
	return len(out)
}

// binary reads a base64 string and returns how many bytes it encodes.
func (s *sizeScanner) binary() int {
	b := s.plain()
	if len(b)%4 != 0 {
		s.bad = true
		return 0
	}
	n := len(b) / 4 * 3
	for i := len(b) - 1; i >= 0 && i >= len(b)-2 && b[i] == '='; i-- {
		n--
	}
	return n
}
