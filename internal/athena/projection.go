package athena

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lakebox/lakebox/internal/glue"
	"github.com/lakebox/lakebox/internal/javatime"
)

// Partition projection (TBLPROPERTIES projection.*): a table's partitions
// are computed from ranges in its properties, not looked up in the
// catalog, as Athena does. Each key has a type:
//
//	integer   projection.k.range = 'lo,hi', .interval (1), .digits (zero-padded width)
//	enum      projection.k.values = 'a,b,c'
//	date      projection.k.range = 'start,end' in .format (a Java date pattern),
//	          either end may be NOW[+-N UNIT]; .interval (1), .interval.unit
//	injected  the values the query's WHERE clause gives by equality
//
// A partition's files are under storage.location.template with ${k}
// replaced by its values, or <table location>/k=v/... without one.

// maxProjected bounds the partitions one table's projection may produce.
const maxProjected = 1_000_000

type projectedKey struct {
	name   string
	kind   string   // integer, enum, date, injected
	values []string // all of them, but for injected keys
}

type projection struct {
	table    *glue.Table
	keys     []projectedKey
	template string
}

// projectionOf reads a table's projection, or returns nil when it has
// none.
func projectionOf(t *glue.Table, now time.Time) (*projection, error) {
	if !strings.EqualFold(t.Parameters["projection.enabled"], "true") || len(t.PartitionKeys) == 0 {
		return nil, nil
	}
	p := &projection{table: t, template: t.Parameters["storage.location.template"]}
	prop := func(key, name string) string { return strings.TrimSpace(t.Parameters["projection."+key+"."+name]) }
	for _, k := range t.PartitionKeys {
		name := strings.ToLower(k.Name)
		pk := projectedKey{name: name, kind: strings.ToLower(prop(k.Name, "type"))}
		var err error
		switch pk.kind {
		case "integer":
			pk.values, err = integerRange(prop(k.Name, "range"), prop(k.Name, "interval"), prop(k.Name, "digits"))
		case "enum":
			for _, v := range strings.Split(prop(k.Name, "values"), ",") {
				if v = strings.TrimSpace(v); v != "" {
					pk.values = append(pk.values, v)
				}
			}
			if len(pk.values) == 0 {
				err = fmt.Errorf("projection.%s.values is missing or empty", k.Name)
			}
		case "date":
			pk.values, err = dateRange(prop(k.Name, "range"), prop(k.Name, "format"), prop(k.Name, "interval"), prop(k.Name, "interval.unit"), now)
		case "injected":
		case "":
			err = fmt.Errorf("projection.%s.type is missing", k.Name)
		default:
			err = fmt.Errorf("projection.%s.type %q is not one of integer, enum, date, injected", k.Name, pk.kind)
		}
		if err != nil {
			return nil, userError(errUser, "INVALID_TABLE_PROPERTY: Table %s.%s: %v", t.DatabaseName, t.Name, err)
		}
		p.keys = append(p.keys, pk)
	}
	if p.template != "" {
		for _, k := range p.keys {
			if !strings.Contains(p.template, "${"+k.name+"}") {
				return nil, userError(errUser, "INVALID_TABLE_PROPERTY: Table %s.%s: storage.location.template %q does not use the partition key %s",
					t.DatabaseName, t.Name, p.template, k.name)
			}
		}
	}
	return p, nil
}

func integerRange(rng, interval, digits string) ([]string, error) {
	lo, hi, ok := strings.Cut(rng, ",")
	from, err1 := strconv.ParseInt(strings.TrimSpace(lo), 10, 64)
	to, err2 := strconv.ParseInt(strings.TrimSpace(hi), 10, 64)
	if !ok || err1 != nil || err2 != nil || from > to {
		return nil, fmt.Errorf("the integer range %q is not 'low,high'", rng)
	}
	step, width := int64(1), 0
	if interval != "" {
		if step, _ = strconv.ParseInt(interval, 10, 64); step <= 0 {
			return nil, fmt.Errorf("the interval %q is not a positive integer", interval)
		}
	}
	if digits != "" {
		if width, _ = strconv.Atoi(digits); width <= 0 {
			return nil, fmt.Errorf("the digits %q is not a positive integer", digits)
		}
	}
	if (to-from)/step >= maxProjected {
		return nil, fmt.Errorf("the integer range %q holds more than %d values", rng, maxProjected)
	}
	var out []string
	for v := from; v <= to; v += step {
		out = append(out, fmt.Sprintf("%0*d", width, v)) // Java's %0Nd: the sign counts in the width
	}
	return out, nil
}

var dateUnits = map[string]string{
	"YEARS": "YEARS", "YEAR": "YEARS", "MONTHS": "MONTHS", "MONTH": "MONTHS", "WEEKS": "WEEKS", "WEEK": "WEEKS",
	"DAYS": "DAYS", "DAY": "DAYS", "HOURS": "HOURS", "HOUR": "HOURS", "MINUTES": "MINUTES", "MINUTE": "MINUTES",
	"SECONDS": "SECONDS", "SECOND": "SECONDS",
}

func addUnit(t time.Time, n int, unit string) time.Time {
	switch unit {
	case "YEARS":
		return t.AddDate(n, 0, 0)
	case "MONTHS":
		return t.AddDate(0, n, 0)
	case "WEEKS":
		return t.AddDate(0, 0, 7*n)
	case "DAYS":
		return t.AddDate(0, 0, n)
	case "HOURS":
		return t.Add(time.Duration(n) * time.Hour)
	case "MINUTES":
		return t.Add(time.Duration(n) * time.Minute)
	}
	return t.Add(time.Duration(n) * time.Second)
}

func dateRange(rng, format, interval, unit string, now time.Time) ([]string, error) {
	if format == "" {
		return nil, fmt.Errorf("a date projection needs a format")
	}
	pattern, err := javatime.Compile(format)
	if err != nil {
		return nil, err
	}
	lo, hi, ok := strings.Cut(rng, ",")
	if !ok {
		return nil, fmt.Errorf("the date range %q is not 'start,end'", rng)
	}
	bound := func(s string) (time.Time, error) {
		s = strings.TrimSpace(s)
		if rest, ok := strings.CutPrefix(strings.ToUpper(s), "NOW"); ok {
			t := now.UTC()
			if rest == "" {
				return t, nil
			}
			sign := 1
			switch rest[0] {
			case '-':
				sign = -1
			case '+':
			default:
				return time.Time{}, fmt.Errorf("the date %q is not NOW[+-N UNIT]", s)
			}
			i := 1
			for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
				i++
			}
			n, err := strconv.Atoi(rest[1:i])
			u, ok := dateUnits[strings.TrimSpace(rest[i:])]
			if err != nil || !ok {
				return time.Time{}, fmt.Errorf("the date %q is not NOW[+-N UNIT]", s)
			}
			return addUnit(t, sign*n, u), nil
		}
		t, err := pattern.Parse(s, time.UTC)
		if err != nil {
			return time.Time{}, fmt.Errorf("the date %q does not match the format %q", s, format)
		}
		return t, nil
	}
	from, err := bound(lo)
	if err != nil {
		return nil, err
	}
	to, err := bound(hi)
	if err != nil {
		return nil, err
	}
	step := 1
	if interval != "" {
		if step, _ = strconv.Atoi(interval); step <= 0 {
			return nil, fmt.Errorf("the interval %q is not a positive integer", interval)
		}
	}
	if unit == "" {
		unit = pattern.Finest().String()
	} else if unit = dateUnits[strings.ToUpper(unit)]; unit == "" {
		return nil, fmt.Errorf("the interval unit is not one of YEARS, MONTHS, WEEKS, DAYS, HOURS, MINUTES, SECONDS")
	}
	var out []string
	for i := 0; ; i++ {
		t := addUnit(from, i*step, unit)
		if t.After(to) {
			break
		}
		if len(out) == maxProjected {
			return nil, fmt.Errorf("the date range %q holds more than %d values", rng, maxProjected)
		}
		out = append(out, pattern.Format(t))
	}
	return out, nil
}

// partitions returns the projected partitions the query can read: the
// values of each, in key order, and its location. filter is the Glue
// predicate of the query's conditions on the keys (or ""); injected
// keys take the values the query gives them by equality.
func (p *projection) partitions(filter string, equalities func(key string) []string) ([][]string, []string, error) {
	t := p.table
	lists := make([][]string, len(p.keys))
	for i, k := range p.keys {
		lists[i] = k.values
		if k.kind == "injected" {
			if lists[i] = equalities(k.name); len(lists[i]) == 0 {
				return nil, nil, userError(errUser, "CONSTRAINT_VIOLATION: For the injected projected partition column %s, the WHERE clause must contain only static equality conditions, and at least one such condition must be present.", k.name)
			}
		}
	}
	total := 1
	for _, l := range lists {
		if total *= len(l); total > maxProjected {
			return nil, nil, userError(errUser, "HIVE_EXCEEDED_PARTITION_LIMIT: Table %s.%s projects more than %d partitions; narrow the projection ranges", t.DatabaseName, t.Name, maxProjected)
		}
	}
	keep := func([]string) bool { return true }
	if filter != "" {
		if f, err := glue.PartitionFilter(filter, t.PartitionKeys); err == nil {
			keep = f
		}
	}
	var values [][]string
	var locations []string
	tuple := make([]string, len(lists))
	var walk func(i int)
	walk = func(i int) {
		if i == len(lists) {
			if keep(tuple) {
				values = append(values, append([]string(nil), tuple...))
				locations = append(locations, p.location(tuple))
			}
			return
		}
		for _, v := range lists[i] {
			tuple[i] = v
			walk(i + 1)
		}
	}
	walk(0)
	return values, locations, nil
}

func (p *projection) location(values []string) string {
	if p.template == "" {
		loc := withSlash(p.table.StorageDescriptor.Location)
		for i, k := range p.keys {
			loc += k.name + "=" + values[i] + "/"
		}
		return loc
	}
	loc := p.template
	for i, k := range p.keys {
		loc = strings.ReplaceAll(loc, "${"+k.name+"}", values[i])
	}
	return loc
}
