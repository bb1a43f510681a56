package glue

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// cronSchedule is a parsed AWS cron expression:
// cron(Minutes Hours Day-of-month Month Day-of-week Year), evaluated in
// UTC. Day-of-week runs 1 (SUN) to 7 (SAT); one of the two day fields
// must be "?". Supported: numbers, names (JAN-DEC, SUN-SAT), "*", "?",
// lists, ranges, "/" steps, "L" (last day of the month), "nL" (the last
// weekday n of the month) and "n#k" (the k-th weekday n).
type cronSchedule struct {
	minutes, hours uint64
	dom            uint64 // bits 1-31
	lastDOM        bool
	months         uint64 // bits 1-12
	dow            uint64 // bits 1-7, any week
	dowLast        uint64 // weekdays wanted in the month's last week
	dowNth         [8]uint8
	anyDOM, anyDOW bool   // "?" or "*"
	years          [2]int // inclusive range; yearSet refines it
	yearSet        map[int]bool
}

var monthNames = map[string]int{"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}
var dayNames = map[string]int{"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}

// parseCron parses "cron(...)".
func parseCron(expr string) (*cronSchedule, error) {
	bad := func(format string, args ...any) error {
		return invalid("Schedule %q is not a valid cron expression: %s.", expr, fmt.Sprintf(format, args...))
	}
	inner, ok := strings.CutPrefix(strings.TrimSpace(expr), "cron(")
	if !ok || !strings.HasSuffix(inner, ")") {
		return nil, bad("write it as cron(Minutes Hours Day-of-month Month Day-of-week Year)")
	}
	f := strings.Fields(strings.TrimSuffix(inner, ")"))
	if len(f) != 6 {
		return nil, bad("it needs 6 fields, found %d", len(f))
	}
	c := &cronSchedule{}
	var err error
	if c.minutes, err = cronField(f[0], 0, 59, nil); err != nil {
		return nil, bad("minutes: %v", err)
	}
	if c.hours, err = cronField(f[1], 0, 23, nil); err != nil {
		return nil, bad("hours: %v", err)
	}
	switch {
	case f[2] == "?" && f[4] == "?":
		return nil, bad("day-of-month and day-of-week cannot both be ?")
	case f[2] != "?" && f[4] != "?":
		return nil, bad("one of day-of-month and day-of-week must be ?")
	}
	switch dom := f[2]; {
	case dom == "?" || dom == "*":
		c.anyDOM = dom == "*"
		if dom == "*" {
			c.dom = ^uint64(0)
		}
	case dom == "L":
		c.lastDOM = true
	case strings.Contains(dom, "W"):
		return nil, bad("W (nearest weekday) is not supported by Lakebox")
	default:
		if c.dom, err = cronField(dom, 1, 31, nil); err != nil {
			return nil, bad("day-of-month: %v", err)
		}
	}
	if c.months, err = cronField(f[3], 1, 12, monthNames); err != nil {
		return nil, bad("month: %v", err)
	}
	switch dow := f[4]; {
	case dow == "?" || dow == "*":
		c.anyDOW = dow == "*"
		if dow == "*" {
			c.dow = ^uint64(0)
		}
	case strings.HasSuffix(dow, "L"):
		d, err := cronValue(strings.TrimSuffix(dow, "L"), 1, 7, dayNames)
		if err != nil {
			return nil, bad("day-of-week: %v", err)
		}
		c.dowLast = 1 << d
	case strings.Contains(dow, "#"):
		d, k, _ := strings.Cut(dow, "#")
		day, err := cronValue(d, 1, 7, dayNames)
		if err != nil {
			return nil, bad("day-of-week: %v", err)
		}
		n, err := strconv.Atoi(k)
		if err != nil || n < 1 || n > 5 {
			return nil, bad("day-of-week: #%s is not 1 to 5", k)
		}
		c.dowNth[day] = uint8(n)
	default:
		if c.dow, err = cronField(dow, 1, 7, dayNames); err != nil {
			return nil, bad("day-of-week: %v", err)
		}
	}
	if f[5] == "*" {
		c.years = [2]int{1970, 2199}
	} else {
		set := map[int]bool{}
		for part := range strings.SplitSeq(f[5], ",") {
			bitsOf, err := cronRange(part, 1970, 2199, nil)
			if err != nil {
				return nil, bad("year: %v", err)
			}
			for _, y := range bitsOf {
				set[y] = true
			}
		}
		c.yearSet = set
		c.years = [2]int{1970, 2199}
	}
	return c, nil
}

// cronField parses a comma list of values, ranges and steps into a bit set.
func cronField(s string, lo, hi int, names map[string]int) (uint64, error) {
	var set uint64
	for part := range strings.SplitSeq(s, ",") {
		vals, err := cronRange(part, lo, hi, names)
		if err != nil {
			return 0, err
		}
		for _, v := range vals {
			set |= 1 << v
		}
	}
	return set, nil
}

// cronRange expands one of "*", "n", "a-b", with an optional "/step".
func cronRange(part string, lo, hi int, names map[string]int) ([]int, error) {
	base, stepText, hasStep := strings.Cut(part, "/")
	step := 1
	if hasStep {
		n, err := strconv.Atoi(stepText)
		if err != nil || n < 1 || n > hi {
			return nil, fmt.Errorf("bad step %q", stepText)
		}
		step = n
	}
	from, to := lo, hi
	switch {
	case base == "*":
	case strings.Contains(base, "-"):
		a, b, _ := strings.Cut(base, "-")
		var err error
		if from, err = cronValue(a, lo, hi, names); err != nil {
			return nil, err
		}
		if to, err = cronValue(b, lo, hi, names); err != nil {
			return nil, err
		}
		if from > to {
			return nil, fmt.Errorf("range %s runs backwards", base)
		}
	default:
		v, err := cronValue(base, lo, hi, names)
		if err != nil {
			return nil, err
		}
		from = v
		if !hasStep {
			to = v
		}
	}
	var out []int
	for v := from; v <= to; v += step {
		out = append(out, v)
	}
	return out, nil
}

func cronValue(s string, lo, hi int, names map[string]int) (int, error) {
	if v, ok := names[strings.ToUpper(s)]; ok {
		return v, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < lo || v > hi {
		return 0, fmt.Errorf("%q is not a value from %d to %d", s, lo, hi)
	}
	return v, nil
}

// Next returns the first minute strictly after t that the schedule
// fires, or the zero time if it never fires again (within its years).
func (c *cronSchedule) Next(t time.Time) time.Time {
	t = t.UTC().Truncate(time.Minute).Add(time.Minute)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	for range 366 * 8 { // every day of eight years at most
		if day.Year() > c.years[1] {
			return time.Time{}
		}
		if c.dayMatches(day) {
			start := 0
			if day.Equal(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)) {
				start = t.Hour()*60 + t.Minute()
			}
			for m := start; m < 24*60; m++ {
				if c.hours&(1<<(m/60)) != 0 && c.minutes&(1<<(m%60)) != 0 {
					return day.Add(time.Duration(m) * time.Minute)
				}
			}
		}
		day = day.AddDate(0, 0, 1)
	}
	return time.Time{}
}

func (c *cronSchedule) dayMatches(day time.Time) bool {
	if y := day.Year(); y < c.years[0] || c.yearSet != nil && !c.yearSet[y] {
		return false
	}
	if c.months&(1<<int(day.Month())) == 0 {
		return false
	}
	last := time.Date(day.Year(), day.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	wd := int(day.Weekday()) + 1 // 1 = SUN
	switch {
	case c.lastDOM:
		return day.Day() == last
	case c.dom != 0:
		return c.dom&(1<<day.Day()) != 0
	case c.dowLast != 0:
		return c.dowLast&(1<<wd) != 0 && day.Day() > last-7
	case c.dowNth[wd] != 0:
		return (day.Day()-1)/7+1 == int(c.dowNth[wd])
	}
	return c.dow&(1<<wd) != 0
}
