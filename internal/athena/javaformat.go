package athena

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Java's date and time conversions that need an instant and its zone,
// which strftime does not know (format's %tZ, %tz, %tc, %ts, %tQ), are
// written here: Trino hands format a ZonedDateTime for a timestamp with
// time zone and a LocalDateTime, which has neither, for a timestamp.

// zonedConversion reports whether Java's %t<c> needs an instant and its
// zone.
func zonedConversion(c byte) bool { return strings.IndexByte("ZzcsQ", c) >= 0 }

// javaZoned is lakebox_java_zoned(conversion, zone, epoch microseconds):
// the conversion of the instant in the zone, as java.util.Formatter
// writes it.
func (u *udfs) javaZoned(a []*string) (any, error) {
	if a[0] == nil || a[1] == nil || a[2] == nil {
		return nil, nil
	}
	us, err := strconv.ParseInt(*a[2], 10, 64)
	if err != nil {
		return nil, err
	}
	zone := *a[1]
	loc, err := u.zones.get(zone, loadZone)
	if err != nil {
		return nil, err
	}
	t := time.UnixMicro(us).In(loc)
	switch conv := *a[0]; conv {
	case "s":
		return strconv.FormatInt(floorDiv(us, 1e6), 10), nil
	case "Q":
		return strconv.FormatInt(floorDiv(us, 1e3), 10), nil
	case "z":
		return t.Format("-0700"), nil
	case "Z", "c":
		name, err := javaZoneName(zone, t)
		if err != nil {
			return nil, err
		}
		if conv == "Z" {
			return name, nil
		}
		year := t.Year()
		if year <= 0 {
			year = 1 - year // Java writes the year of the era
		}
		return t.Format("Mon Jan 02 15:04:05 ") + name + " " + fmt.Sprintf("%04d", year), nil
	}
	return nil, fmt.Errorf("INVALID_FUNCTION_ARGUMENT: Unknown conversion %%t%s", *a[0])
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// loadZone is a zone by Trino's name: a region, UTC, or an offset
// (+05:30).
func loadZone(zone string) (*time.Location, error) {
	if off, ok := normalOffset(zone); ok && (zone[0] == '+' || zone[0] == '-') {
		h, _ := strconv.Atoi(off[1:3])
		m, _ := strconv.Atoi(off[4:6])
		secs := (h*60 + m) * 60
		if off[0] == '-' {
			secs = -secs
		}
		return time.FixedZone(zone, secs), nil
	}
	if loc, err := time.LoadLocation(zone); err == nil {
		return loc, nil
	}
	// Trino takes zone names in any case (america/new_york); the tz
	// database's files have one.
	if loc, err := time.LoadLocation(zoneCase(zone)); err == nil {
		return loc, nil
	}
	return nil, fmt.Errorf("INVALID_FUNCTION_ARGUMENT: Unknown time zone: %s", zone)
}

// zoneCase spells a zone name as the tz database mostly does: each word
// capitalized (America/New_York, Etc/GMT+5).
func zoneCase(zone string) string {
	b := []byte(strings.ToLower(zone))
	for i := range b {
		if i == 0 || strings.IndexByte("/_-", b[i-1]) >= 0 {
			b[i] = byte(unicode.ToUpper(rune(b[i])))
		}
	}
	out := string(b)
	for _, w := range []string{"Gmt", "Utc", "Uct"} {
		out = strings.ReplaceAll(out, w, strings.ToUpper(w))
	}
	return out
}

// javaZoneName is %tZ: an offset's own name (+05:30), UTC, or the zone's
// short name (EST, EDT, CET, IST). Java names a zone as it is named today,
// standard or daylight as t is, whatever it was called at t (New York in
// 1811 is EST to Java, LMT to the tz database): today's names are read at
// two instants of 2025. Java takes the names from CLDR, which has one for
// zones whose tz database abbreviation is only an offset
// (America/Sao_Paulo is BRT to Java, -03 to the tz database): those
// Lakebox does not know, and says so.
func javaZoneName(zone string, t time.Time) (string, error) {
	if zone[0] == '+' || zone[0] == '-' || zone == "UTC" {
		return zone, nil
	}
	var standard, daylight string
	for _, month := range []time.Month{time.January, time.July} {
		ref := time.Date(2025, month, 15, 12, 0, 0, 0, t.Location())
		if name, _ := ref.Zone(); ref.IsDST() {
			daylight = name
		} else {
			standard = name
		}
	}
	name := standard
	if t.IsDST() {
		name = daylight
		if name == "" { // daylight time the zone no longer keeps
			name, _ = t.Zone()
		}
	}
	if name == "" || name[0] == '+' || name[0] == '-' {
		return "", fmt.Errorf("NOT_SUPPORTED: format's %%tZ of the zone %s: Lakebox does not know Java's short name for it", zone)
	}
	return name, nil
}
