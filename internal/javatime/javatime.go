package javatime

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Unit is the finest calendar unit a pattern shows.
type Unit int

const (
	Years Unit = iota
	Months
	Days
	Hours
	Minutes
	Seconds
)

// String names the unit as Athena's projection.*.interval.unit does.
func (u Unit) String() string {
	return [...]string{"YEARS", "MONTHS", "DAYS", "HOURS", "MINUTES", "SECONDS"}[u]
}

// field is one element of a pattern: a run of one pattern letter, or
// literal text (letter 0).
type field struct {
	letter  byte
	width   int
	literal string
}

// Pattern is a compiled pattern.
type Pattern struct {
	source string
	fields []field
	finest Unit
}

// Compile parses a pattern. Letters it supports: y u (year), M (month:
// 1–2 digits, MMM short name, MMMM full name), d (day of month), D (day
// of year), E (weekday: EEE short, EEEE full), a (AM/PM), H (hour 0–23),
// h (hour 1–12), m, s and S (fraction of a second, as many digits as
// letters). Text in single quotes, and anything but letters, is literal;
// ” is a quote.
func Compile(pattern string) (*Pattern, error) {
	p := &Pattern{source: pattern}
	for i := 0; i < len(pattern); {
		c := pattern[i]
		if c == '\'' {
			var lit strings.Builder
			j := i + 1
			for {
				end := strings.IndexByte(pattern[j:], '\'')
				if end < 0 {
					return nil, fmt.Errorf("the date format %q has an unclosed quote", pattern)
				}
				lit.WriteString(pattern[j : j+end])
				j += end + 1
				if j < len(pattern) && pattern[j] == '\'' { // '' inside quotes
					lit.WriteByte('\'')
					j++
					continue
				}
				break
			}
			if j == i+2 { // '' outside quotes
				lit.WriteByte('\'')
			}
			p.fields = append(p.fields, field{literal: lit.String()})
			i = j
			continue
		}
		j := i
		for j < len(pattern) && pattern[j] == c {
			j++
		}
		n := j - i
		if !isLetter(c) {
			p.fields = append(p.fields, field{literal: pattern[i:j]})
			i = j
			continue
		}
		var unit Unit
		switch c {
		case 'y', 'u':
			unit = Years
		case 'M':
			unit = Months
			if n > 4 {
				return nil, fmt.Errorf("the date format %q has too many pattern letters: %s", pattern, pattern[i:j])
			}
		case 'd', 'D', 'E':
			unit = Days
		case 'H', 'h', 'a':
			unit = Hours
		case 'm':
			unit = Minutes
		case 's', 'S':
			unit = Seconds
		default:
			return nil, fmt.Errorf("the date format %q uses the pattern letter %c, which Lakebox does not support", pattern, c)
		}
		p.finest = max(p.finest, unit)
		p.fields = append(p.fields, field{letter: c, width: n})
		i = j
	}
	return p, nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// String returns the pattern's source.
func (p *Pattern) String() string { return p.source }

// Finest returns the finest unit the pattern shows.
func (p *Pattern) Finest() Unit { return p.finest }

// Format renders t (in its own location) as Java would.
func (p *Pattern) Format(t time.Time) string {
	b := make([]byte, 0, len(p.source)+8)
	for _, f := range p.fields {
		switch f.letter {
		case 0:
			b = append(b, f.literal...)
		case 'y', 'u':
			if f.width == 2 {
				b = pad(b, t.Year()%100, 2)
			} else {
				b = pad(b, t.Year(), f.width)
			}
		case 'M':
			switch f.width {
			case 3:
				b = append(b, t.Month().String()[:3]...)
			case 4:
				b = append(b, t.Month().String()...)
			default:
				b = pad(b, int(t.Month()), f.width)
			}
		case 'd':
			b = pad(b, t.Day(), f.width)
		case 'D':
			b = pad(b, t.YearDay(), f.width)
		case 'E':
			if f.width >= 4 {
				b = append(b, t.Weekday().String()...)
			} else {
				b = append(b, t.Weekday().String()[:3]...)
			}
		case 'a':
			if t.Hour() < 12 {
				b = append(b, "AM"...)
			} else {
				b = append(b, "PM"...)
			}
		case 'H':
			b = pad(b, t.Hour(), f.width)
		case 'h':
			b = pad(b, (t.Hour()+11)%12+1, f.width)
		case 'm':
			b = pad(b, t.Minute(), f.width)
		case 's':
			b = pad(b, t.Second(), f.width)
		case 'S':
			frac := fmt.Sprintf("%09d", t.Nanosecond())
			for len(frac) < f.width {
				frac += "0"
			}
			b = append(b, frac[:f.width]...)
		}
	}
	return string(b)
}

func pad(b []byte, n, width int) []byte {
	s := strconv.Itoa(n)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// GoLayout returns the pattern as a layout for Go's time.Parse, for
// patterns whose literal text holds nothing Go reads as a layout element.
func (p *Pattern) GoLayout() (string, error) {
	var b strings.Builder
	for _, f := range p.fields {
		var s string
		switch f.letter {
		case 0:
			if strings.ContainsAny(f.literal, "0123456789") || strings.Contains(f.literal, "Jan") || strings.Contains(f.literal, "Mon") ||
				strings.Contains(f.literal, "MST") || strings.Contains(f.literal, "PM") || strings.Contains(f.literal, "pm") {
				return "", fmt.Errorf("the date format %q has literal text %q that Lakebox cannot parse dates with", p.source, f.literal)
			}
			s = f.literal
		case 'y', 'u':
			s = map[bool]string{true: "06", false: "2006"}[f.width == 2]
		case 'M':
			s = [...]string{"", "1", "01", "Jan", "January"}[f.width]
		case 'd':
			s = map[bool]string{true: "02", false: "2"}[f.width >= 2]
		case 'D':
			s = map[bool]string{true: "002", false: "__2"}[f.width >= 3]
		case 'E':
			s = map[bool]string{true: "Monday", false: "Mon"}[f.width >= 4]
		case 'a':
			s = "PM"
		case 'H':
			s = "15"
		case 'h':
			s = map[bool]string{true: "03", false: "3"}[f.width >= 2]
		case 'm':
			s = map[bool]string{true: "04", false: "4"}[f.width >= 2]
		case 's':
			s = map[bool]string{true: "05", false: "5"}[f.width >= 2]
		case 'S':
			s = strings.Repeat("0", f.width)
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

// Parse reads s in the pattern, in loc.
func (p *Pattern) Parse(s string, loc *time.Location) (time.Time, error) {
	layout, err := p.GoLayout()
	if err != nil {
		return time.Time{}, err
	}
	return time.ParseInLocation(layout, s, loc)
}
