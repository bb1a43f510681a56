package athena

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/lakebox/lakebox/internal/sqlengine"
)

// Trino functions the engine lacks and SQL macros cannot express are
// written here in Go. They take and return text (sqlengine.RegisterFunc);
// where Trino's result is not a varchar the translation casts it.

// udfs holds what the Go functions keep between calls.
type udfs struct {
	regexps   memo[*regexp.Regexp] // regexp_position's patterns
	castPlans memo[*jsonCastPlan]  // lakebox_json_rows's plans
	zones     memo[*time.Location] // lakebox_java_zoned's zones

	zoneIndexOnce sync.Once
	zoneIndex     map[string]string // zone names in lower case, to their spelling
}

// register defines the functions in the engine.
func (u *udfs) register(sess *sqlengine.Session) error {
	for _, f := range []struct {
		name  string
		nargs int
		fn    sqlengine.Func
	}{
		{"lakebox_typeof", 1, strict1(func(s string) (any, error) { return trinoType(s), nil })},
		{"soundex", 1, strict1(soundex)},
		{"lakebox_format_number", 1, strict1(formatNumber)},
		{"lakebox_parse_duration", 1, strict1(parseDuration)},
		{"lakebox_iso8601_date", 1, strict1(iso8601Date)},
		{"lakebox_regexp_position", 4, u.regexpPosition},
		{"lakebox_iso8601_zone", 1, strict1(iso8601Zone)},
		{"lakebox_utf_encode", 2, utfEncode},
		{"lakebox_utf_decode", 2, utfDecode},
		{"lakebox_json_rows", 2, u.jsonRows},
		{"lakebox_json_parse", 1, jsonParse},
		{"lakebox_java_zoned", 3, u.javaZoned},
	} {
		if err := sess.RegisterFunc(f.name, f.nargs, false, f.fn); err != nil {
			return err
		}
	}
	if err := sess.RegisterFunc("lakebox_subscript_ok", 2, true, subscriptOK); err != nil {
		return err
	}
	return registerBinary(sess)
}

// strict1 makes a one-argument function NULL on a NULL argument.
func strict1(fn func(string) (any, error)) sqlengine.Func {
	return func(a []*string) (any, error) {
		if a[0] == nil {
			return nil, nil
		}
		return fn(*a[0])
	}
}

// trinoType spells an engine type (typeof's answer) as Trino does:
// INTEGER[] is array(integer), STRUCT(a INTEGER) is row(a integer).
func trinoType(duck string) string {
	p := &duckTypeParser{s: duck}
	t := p.parse(0)
	if p.pos != len(p.s) {
		return strings.ToLower(duck)
	}
	return t
}

// duckTypeParser reads the engine's type names, which nest: T[],
// T[n], MAP(K, V), STRUCT(name T, ...), DECIMAL(p,s).
type duckTypeParser struct {
	s   string
	pos int
}

func (p *duckTypeParser) space() {
	for p.pos < len(p.s) && p.s[p.pos] == ' ' {
		p.pos++
	}
}

func (p *duckTypeParser) eat(c byte) bool {
	p.space()
	if p.pos < len(p.s) && p.s[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

// name reads a type's name: words, up to a bracket, comma or parenthesis
// ("TIMESTAMP WITH TIME ZONE" is one name).
func (p *duckTypeParser) name() string {
	p.space()
	start := p.pos
	for p.pos < len(p.s) && !strings.ContainsRune("()[],", rune(p.s[p.pos])) {
		p.pos++
	}
	return strings.TrimSpace(p.s[start:p.pos])
}

// field reads a struct field's name, quoted or not; "" when the field
// has none (an unnamed struct's).
func (p *duckTypeParser) field() string {
	p.space()
	if p.pos < len(p.s) && p.s[p.pos] == '"' {
		var b strings.Builder
		for p.pos++; p.pos < len(p.s); p.pos++ {
			if p.s[p.pos] == '"' {
				if p.pos+1 < len(p.s) && p.s[p.pos+1] == '"' {
					b.WriteByte('"')
					p.pos++
					continue
				}
				p.pos++
				break
			}
			b.WriteByte(p.s[p.pos])
		}
		return `"` + strings.ReplaceAll(b.String(), `"`, `""`) + `"`
	}
	start := p.pos
	for p.pos < len(p.s) && p.s[p.pos] != ' ' && p.s[p.pos] != ',' && p.s[p.pos] != ')' && p.s[p.pos] != '(' {
		p.pos++
	}
	word := p.s[start:p.pos]
	p.space()
	if p.pos < len(p.s) && strings.IndexByte(",)[(", p.s[p.pos]) >= 0 {
		p.pos = start // the word was the type of an unnamed field
		return ""
	}
	return strings.ToLower(word)
}

func (p *duckTypeParser) parse(depth int) string {
	if depth > 64 {
		p.pos = len(p.s) + 1 // fail: nested too deeply
		return ""
	}
	name := strings.ToUpper(p.name())
	var t string
	switch name {
	case "DECIMAL":
		if p.eat('(') {
			start := p.pos
			for p.pos < len(p.s) && p.s[p.pos] != ')' {
				p.pos++
			}
			t = "decimal(" + strings.ReplaceAll(p.s[start:p.pos], " ", "") + ")"
			p.eat(')')
		} else {
			t = "decimal(18,3)"
		}
	case "MAP":
		p.eat('(')
		k := p.parse(depth + 1)
		p.eat(',')
		v := p.parse(depth + 1)
		p.eat(')')
		t = "map(" + k + ", " + v + ")"
	case "STRUCT":
		p.eat('(')
		// An anonymous row's fields are field0, field1, ... (as Athena
		// prints its values); Trino's type names no fields then.
		var names, types []string
		anonymous := true
		for !p.eat(')') && p.pos < len(p.s) {
			at := p.pos
			f := p.field()
			ft := p.parse(depth + 1)
			if p.pos == at { // nothing read: not a struct this parser knows
				p.pos = len(p.s) + 1
				return ""
			}
			anonymous = anonymous && f == "field"+strconv.Itoa(len(names))
			names, types = append(names, f), append(types, ft)
			p.eat(',')
		}
		for i, f := range names {
			if f != "" && !anonymous {
				types[i] = f + " " + types[i]
			}
		}
		t = "row(" + strings.Join(types, ", ") + ")"
	default:
		t = scalarTrinoType(name)
		if p.eat('(') { // arguments of a type this parser does not know: as written
			start, depth := p.pos, 1
			for ; p.pos < len(p.s) && depth > 0; p.pos++ {
				switch p.s[p.pos] {
				case '(':
					depth++
				case ')':
					depth--
				}
			}
			t += "(" + strings.ToLower(p.s[start:max(start, p.pos-1)]) + ")"
		}
	}
	for p.eat('[') { // T[] and T[n] are arrays
		for p.pos < len(p.s) && p.s[p.pos] != ']' {
			p.pos++
		}
		p.eat(']')
		t = "array(" + t + ")"
	}
	return t
}

func scalarTrinoType(name string) string {
	switch name {
	case "FLOAT":
		return "real"
	case "BLOB":
		return "varbinary"
	case "HUGEINT":
		return "decimal(38,0)"
	case "TIME":
		return "time(3)"
	case "TIMESTAMP", "TIMESTAMP_MS":
		return "timestamp(3)"
	case "TIMESTAMP_NS":
		return "timestamp(9)"
	case "TIMESTAMP_S":
		return "timestamp(0)"
	case "TIMESTAMP WITH TIME ZONE":
		return "timestamp(3) with time zone"
	case "TIME WITH TIME ZONE":
		return "time(3) with time zone"
	case "INTERVAL":
		return "interval day to second"
	case `"NULL"`, "NULL":
		return "unknown"
	}
	return strings.ToLower(name)
}

// soundex is the American Soundex code of s: its first letter and three
// digits for the consonant sounds after it (H and W do not separate two
// letters of one sound, vowels do); "" for a string without letters.
func soundex(s string) (any, error) {
	const codes = "01230120022455012623010202" // A to Z
	var out []byte
	last := byte(0)
	for _, r := range strings.ToUpper(s) {
		if r < 'A' || r > 'Z' {
			if !unicode.IsLetter(r) {
				continue // not a letter: skipped
			}
			return nil, fmt.Errorf("soundex: the character %q is not mapped", r)
		}
		code := codes[r-'A']
		if len(out) == 0 {
			out, last = append(out, byte(r)), code
			continue
		}
		if r == 'H' || r == 'W' {
			continue
		}
		if code != '0' && code != last {
			out = append(out, code)
			if len(out) == 4 {
				break
			}
		}
		last = code
	}
	if len(out) == 0 {
		return "", nil
	}
	for len(out) < 4 {
		out = append(out, '0')
	}
	return string(out), nil
}

// formatNumber is Trino's format_number: the value (a double cut to an
// integer) in thousands (K), millions (M), billions (B), trillions (T) or
// quadrillions (Q), with as many decimals, rounded half up, as make three
// significant digits (123K, 1.23M, 12.3B; trailing zeros dropped).
func formatNumber(s string) (any, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return nil, fmt.Errorf("format_number: %q is not a number", s)
	}
	var n int64
	switch {
	case math.IsNaN(f):
	case f >= math.MaxInt64:
		n = math.MaxInt64
	case f <= math.MinInt64:
		n = math.MinInt64
	default:
		n = int64(f)
	}
	v, unit := float64(n), ""
	for _, u := range []string{"K", "M", "B", "T", "Q"} {
		if v < 1000 && v > -1000 {
			break
		}
		v, unit = v/1000, u
	}
	decimals := 0
	switch {
	case v < 10: // negative numbers too, as Trino has it
		decimals = 2
	case v < 100:
		decimals = 1
	}
	return roundHalfUp(v, decimals) + unit, nil
}

// roundHalfUp prints v's exact binary value rounded half away from zero
// to at most decimals places, without trailing zeros (Java's
// DecimalFormat "#.##" with RoundingMode.HALF_UP).
func roundHalfUp(v float64, decimals int) string {
	r := new(big.Rat).SetFloat64(v)
	scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(decimals)), nil))
	r.Mul(r, scale)
	neg := r.Sign() < 0
	r.Abs(r)
	r.Add(r, big.NewRat(1, 2))
	q := new(big.Int).Quo(r.Num(), r.Denom()) // floor of |v|·10^d + ½
	digits := q.String()
	if decimals > 0 {
		for len(digits) <= decimals {
			digits = "0" + digits
		}
		digits = digits[:len(digits)-decimals] + "." + digits[len(digits)-decimals:]
		digits = strings.TrimRight(strings.TrimRight(digits, "0"), ".")
	}
	if neg && digits != "0" {
		digits = "-" + digits
	}
	return digits
}

// durationUnits are parse_duration's units, in nanoseconds.
var durationUnits = map[string]float64{
	"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9, "d": 86400e9,
}

var durationPattern = regexp.MustCompile(`^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*$`)

// parseDuration is Trino's parse_duration ('42.8ms', '3.81 d'): the
// duration in whole milliseconds (rounded half up), as text; the
// translation makes it an interval.
func parseDuration(s string) (any, error) {
	m := durationPattern.FindStringSubmatch(s)
	if m == nil {
		return nil, fmt.Errorf("duration is not a valid data duration string: %s", s)
	}
	unit, ok := durationUnits[m[2]]
	if !ok {
		return nil, fmt.Errorf("Unknown time unit: %s", m[2])
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return nil, fmt.Errorf("duration is not a valid data duration string: %s", s)
	}
	ms := math.Floor(v*unit/1e6 + 0.5)
	if ms > math.MaxInt64/1000 {
		return nil, fmt.Errorf("duration is too large: %s", s)
	}
	return strconv.FormatInt(int64(ms), 10), nil
}

var iso8601DatePattern = regexp.MustCompile(`^(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-W(\d{2})(?:-(\d))?|-(\d{3}))?$`)

// iso8601Date reads the ISO 8601 dates Trino's from_iso8601_date takes —
// a year, a month, a day (2020, 2020-05, 2020-05-11), a week and its day
// (2020-W10, 2020-W10-5) or a day of the year (2020-123) — and prints
// the date as YYYY-MM-DD.
func iso8601Date(s string) (any, error) {
	m := iso8601DatePattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return nil, fmt.Errorf("Invalid format: %q", s)
	}
	num := func(t string, def int) int {
		if t == "" {
			return def
		}
		n, _ := strconv.Atoi(t)
		return n
	}
	year := num(m[1], 0)
	var d time.Time
	switch {
	case m[4] != "": // week date: week 1 holds the year's first Thursday
		week, day := num(m[4], 1), num(m[5], 1)
		jan4 := time.Date(year, time.January, 4, 0, 0, 0, 0, time.UTC)
		weeks := isoWeeks(year)
		if week < 1 || week > weeks || day < 1 || day > 7 {
			return nil, fmt.Errorf("Invalid format: %q", s)
		}
		monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
		d = monday.AddDate(0, 0, (week-1)*7+day-1)
	case m[6] != "": // ordinal date
		day := num(m[6], 1)
		if day < 1 || day > time.Date(year, time.December, 31, 0, 0, 0, 0, time.UTC).YearDay() {
			return nil, fmt.Errorf("Invalid format: %q", s)
		}
		d = time.Date(year, time.January, day, 0, 0, 0, 0, time.UTC)
	default:
		month, day := num(m[2], 1), num(m[3], 1)
		d = time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
		if month < 1 || month > 12 || d.Day() != day {
			return nil, fmt.Errorf("Invalid format: %q", s)
		}
	}
	return d.Format("2006-01-02"), nil
}

// isoWeeks is the number of ISO weeks of a year: 53 when it has 53
// Thursdays' weeks (Dec 28 always falls in the last one).
func isoWeeks(year int) int {
	_, w := time.Date(year, time.December, 28, 0, 0, 0, 0, time.UTC).ISOWeek()
	return w
}

// regexpPosition is regexp_position(s, pattern, start, occurrence): the
// character position (from 1) of the occurrence-th match at or after
// start, or -1. The search starts at start, as if the string began there.
func (u *udfs) regexpPosition(a []*string) (any, error) {
	for _, v := range a {
		if v == nil {
			return nil, nil
		}
	}
	start, err1 := strconv.ParseInt(*a[2], 10, 64)
	occurrence, err2 := strconv.ParseInt(*a[3], 10, 64)
	switch {
	case err1 != nil || err2 != nil:
		return nil, fmt.Errorf("regexp_position: start and occurrence must be integers")
	case start < 1:
		return nil, fmt.Errorf("start position cannot be smaller than 1")
	case occurrence < 1:
		return nil, fmt.Errorf("occurrence cannot be smaller than 1")
	}
	re, err := u.regexps.get(*a[1], compileRegexp)
	if err != nil {
		return nil, err
	}
	s := *a[0]
	off := 0 // s[off:] starts at character start
	for i := int64(1); i < start; i++ {
		if off >= len(s) {
			return "-1", nil
		}
		_, size := utf8.DecodeRuneInString(s[off:])
		off += size
	}
	matches := re.FindAllStringIndex(s[off:], int(min(occurrence, math.MaxInt32)))
	if int64(len(matches)) < occurrence {
		return "-1", nil
	}
	pos := start + int64(utf8.RuneCountInString(s[off:off+matches[occurrence-1][0]]))
	return strconv.FormatInt(pos, 10), nil
}

// memo keeps what a function makes of an argument that is the same for
// every row of a query (a pattern, a plan), bounded in size.
type memo[T any] struct {
	mu sync.Mutex
	m  map[string]T
}

func (c *memo[T]) get(key string, make func(string) (T, error)) (T, error) {
	c.mu.Lock()
	v, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := make(key)
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= 256 {
		c.m = map[string]T{} // bounded: start over
	}
	c.m[key] = v
	return v, nil
}

func compileRegexp(pattern string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression %q: %v", pattern, err)
	}
	return re, nil
}

// iso8601Zone is the zone of an ISO 8601 timestamp: ±hh:mm for an
// offset, UTC for Z or none (the session's zone).
func iso8601Zone(s string) (any, error) {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, "Z") || strings.HasSuffix(s, "z") {
		return "UTC", nil
	}
	t := strings.LastIndexByte(s, 'T')
	if t < 0 {
		return "UTC", nil // a date alone
	}
	tm := s[t+1:]
	if i := strings.LastIndexAny(tm, "+-"); i >= 0 {
		if off, ok := normalOffset(tm[i:]); ok {
			return off, nil
		}
		return nil, fmt.Errorf("Invalid format: %q", s)
	}
	return "UTC", nil
}

// subscriptOK decides a subscript the engine found NULL, or whose index
// is negative, from the collection as JSON and the index or key as text:
// true when the element is there (the engine's answer stands), Trino's
// error when an array's index is out of its bounds or a map lacks the
// key. Keys compare as text or, both numbers, as numbers (a double key
// 1.0 is the integer 1). Anything but an array or an object keeps the
// engine's answer.
func subscriptOK(a []*string) (any, error) {
	if a[0] == nil || a[1] == nil {
		return nil, nil
	}
	kind, n, keys := jsonTopLevel(*a[0])
	key := *a[1]
	switch kind {
	case '[':
		i, err := strconv.ParseInt(key, 10, 64)
		switch {
		case err != nil:
		case i == 0:
			return nil, errors.New("INVALID_FUNCTION_ARGUMENT: SQL array indices start at 1")
		case i < 0:
			return nil, fmt.Errorf("INVALID_FUNCTION_ARGUMENT: Array subscript is negative: %d", i)
		case i > int64(n):
			return nil, fmt.Errorf("INVALID_FUNCTION_ARGUMENT: Array subscript must be less than or equal to array length: %d > %d", i, n)
		}
	case '{':
		f, numErr := strconv.ParseFloat(key, 64)
		for _, k := range keys {
			if k == key {
				return true, nil
			}
			if g, err := strconv.ParseFloat(k, 64); numErr == nil && err == nil && f == g {
				return true, nil
			}
		}
		return nil, fmt.Errorf("INVALID_FUNCTION_ARGUMENT: Key not present in map: %s", key)
	}
	return true, nil
}

// jsonTopLevel reads the top level of a JSON array or object as the engine
// writes one: its kind ('[' or '{', else 0), its number of elements or
// members, and an object's keys. Values are skipped, not parsed, so the
// engine's bare NaN and Infinity pass.
func jsonTopLevel(doc string) (kind byte, n int, keys []string) {
	doc = strings.TrimSpace(doc)
	if doc == "" || doc[0] != '[' && doc[0] != '{' {
		return 0, 0, nil
	}
	kind = doc[0]
	depth, commas, empty, keyNext := 0, 0, true, kind == '{'
	for i := 1; i < len(doc); i++ {
		switch doc[i] {
		case '"':
			j := i + 1
			for j < len(doc) && doc[j] != '"' {
				if doc[j] == '\\' {
					j++
				}
				j++
			}
			if keyNext && depth == 0 {
				var k string
				if json.Unmarshal([]byte(doc[i:min(j+1, len(doc))]), &k) == nil {
					keys = append(keys, k)
				}
				keyNext = false
			}
			empty, i = false, j
		case '[', '{':
			depth++
			empty = false
		case ']', '}':
			if depth == 0 {
				if !empty {
					n = commas + 1
				}
				return kind, n, keys
			}
			depth--
		case ',':
			if depth == 0 {
				commas++
				keyNext = kind == '{'
			}
		case ' ', '\t', '\n', '\r':
		default:
			empty = false
		}
	}
	return kind, n, keys
}
