package athena

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"time"
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
	loc, err := u.zones.get(zone, u.loadZone)
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
func (u *udfs) loadZone(zone string) (*time.Location, error) {
	if zone == "" {
		return nil, fmt.Errorf("INVALID_FUNCTION_ARGUMENT: Unknown time zone: ")
	}
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
	if name, ok := u.zoneNames()[strings.ToLower(zone)]; ok {
		if loc, err := time.LoadLocation(name); err == nil {
			return loc, nil
		}
	}
	return nil, fmt.Errorf("INVALID_FUNCTION_ARGUMENT: Unknown time zone: %s", zone)
}

// zoneNames maps the tz database's zone names, in lower case, to their
// spelling, read once from the host's zoneinfo directory (empty without
// one).
func (u *udfs) zoneNames() map[string]string {
	u.zoneIndexOnce.Do(func() {
		u.zoneIndex = map[string]string{}
		const root = "/usr/share/zoneinfo"
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				name := strings.TrimPrefix(path, root+"/")
				u.zoneIndex[strings.ToLower(name)] = name
			}
			return nil
		})
	})
	return u.zoneIndex
}

// javaZoneName is %tZ: an offset's own name (+05:30), UTC, or the zone's
// short name (EST, EDT, CET, IST). Java names a zone as it is named today,
// standard or daylight as t is, whatever it was called at t (New York in
// 1811 is EST to Java, LMT to the tz database): today's names are read at
// two instants of 2025, the one with the larger offset being daylight
// time (Dublin's summer is daylight time to Java, standard time to the tz
// database). Java takes the names from CLDR, which has one for zones whose
// tz database abbreviation is only an offset (America/Sao_Paulo is BRT to
// Java, -03 to the tz database), and a daylight name for zones that no
// longer keep daylight time: those Lakebox does not know, and says so.
func javaZoneName(zone string, t time.Time) (string, error) {
	if zone[0] == '+' || zone[0] == '-' || zone == "UTC" {
		return zone, nil
	}
	jan := time.Date(2025, time.January, 15, 12, 0, 0, 0, t.Location())
	jul := time.Date(2025, time.July, 15, 12, 0, 0, 0, t.Location())
	standard, stdOffset := jan.Zone()
	daylight, dstOffset := jul.Zone()
	if dstOffset < stdOffset {
		standard, daylight = daylight, standard
	}
	name := standard
	if isDaylight(t) {
		name = daylight
		if stdOffset == dstOffset { // no daylight time today
			name = ""
		}
	}
	if name == "" || name[0] == '+' || name[0] == '-' {
		return "", fmt.Errorf("NOT_SUPPORTED: format's %%tZ of the zone %s at %s: Lakebox does not know Java's short name for it", zone, t.Format(time.RFC3339))
	}
	return name, nil
}

// isDaylight tells whether t is in daylight time as Java tells it: as the
// tz database says, except where it keeps "negative" daylight time (Dublin's
// winter), which Java reads as standard time, its summer as daylight time.
func isDaylight(t time.Time) bool {
	_, off := t.Zone()
	dst := t.IsDST()
	for _, other := range []time.Time{t.AddDate(0, -6, 0), t.AddDate(0, 6, 0)} {
		if _, otherOff := other.Zone(); other.IsDST() != dst {
			switch {
			case dst && off < otherOff:
				return false
			case !dst && off > otherOff:
				return true
			}
		}
	}
	return dst
}
