package console

import (
	"errors"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // assemblies name IANA zones; minimal containers have no zoneinfo

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
)

// Wall-clock times as the schedule forms take them: a date and a time
// (what <input type=date> and <input type=time> send) in an IANA zone.

const (
	dateLayout  = "2006-01-02"
	clockLayout = "15:04"
	// localLayout is the events contract's wall-clock format.
	localLayout = "2006-01-02T15:04:05"
)

// commonZones are offered in the zone list besides the invitees' own: the
// coalition's member cities are spread over these (a curated list keeps
// the select usable; any valid IANA name is accepted).
var commonZones = []string{
	"UTC",
	"Africa/Abidjan", "Africa/Cairo", "Africa/Johannesburg", "Africa/Lagos", "Africa/Nairobi", "Africa/Casablanca",
	"America/Anchorage", "America/Argentina/Buenos_Aires", "America/Bogota", "America/Chicago", "America/Denver",
	"America/Halifax", "America/Lima", "America/Los_Angeles", "America/Maceio", "America/Mexico_City",
	"America/Montevideo", "America/New_York", "America/Santiago", "America/Sao_Paulo", "America/Toronto",
	"America/Vancouver",
	"Asia/Bangkok", "Asia/Dubai", "Asia/Jakarta", "Asia/Kolkata", "Asia/Manila", "Asia/Seoul", "Asia/Shanghai",
	"Asia/Singapore", "Asia/Taipei", "Asia/Tokyo",
	"Atlantic/Azores", "Atlantic/Canary", "Atlantic/Reykjavik",
	"Australia/Melbourne", "Australia/Perth", "Australia/Sydney",
	"Europe/Amsterdam", "Europe/Athens", "Europe/Berlin", "Europe/Brussels", "Europe/Bucharest", "Europe/Dublin",
	"Europe/Helsinki", "Europe/Istanbul", "Europe/Kyiv", "Europe/Lisbon", "Europe/London", "Europe/Madrid",
	"Europe/Oslo", "Europe/Paris", "Europe/Prague", "Europe/Rome", "Europe/Stockholm", "Europe/Vienna",
	"Europe/Warsaw", "Europe/Zurich",
	"Pacific/Auckland", "Pacific/Honolulu",
}

// zoneOptions is the zone select's list: the common zones and extra (the
// invitees' zones, the current value), valid names only, sorted.
func zoneOptions(extra ...string) []option {
	names := append(slices.Clone(commonZones), extra...)
	slices.Sort(names)
	names = slices.Compact(names)
	out := make([]option, 0, len(names))
	for _, n := range names {
		if _, err := loadZone(n); err != nil {
			continue
		}
		out = append(out, option{Value: n, Label: strings.ReplaceAll(n, "_", " ")})
	}
	return out
}

// loadZone loads an IANA zone by name. "Local" and "" are refused: they
// mean the server's own zone, which differs per machine.
func loadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" || strings.TrimSpace(name) != name || len(name) > 64 {
		return nil, errBadZone
	}
	return time.LoadLocation(name)
}

// localInstant turns a date and a clock time in loc into an instant. A
// time the clocks skip there (the hour lost to summer time) is refused
// rather than moved; a time that happens twice (the hour repeated when the
// clocks go back) is the first, as RFC 5545 and the events service read it.
func localInstant(date, clock string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation(dateLayout+" "+clockLayout, date+" "+clock, loc)
	if err != nil {
		return time.Time{}, errBadLocal
	}
	for _, d := range []time.Duration{30 * time.Minute, time.Hour, 2 * time.Hour} {
		if e := t.Add(-d); e.Format(localLayout) == t.Format(localLayout) {
			t = e
		}
	}
	if t.Format(dateLayout+" "+clockLayout) != date+" "+clock {
		return time.Time{}, errSkippedLocal
	}
	return t, nil
}

var (
	errBadZone      = errors.New("not an IANA time zone")
	errBadLocal     = errors.New("not a date and time")
	errSkippedLocal = errors.New("the clocks skip this time")
)

// splitLocal is an instant's date and clock time in loc, for the form.
func splitLocal(t time.Time, loc *time.Location) (date, clock string) {
	lt := t.In(loc)
	return lt.Format(dateLayout), lt.Format(clockLayout)
}

// durations are the lengths the schedule form offers (longer assemblies
// give an end instead).
var durations = []option{
	{"30m", "30 minutes"}, {"45m", "45 minutes"}, {"1h", "1 hour"}, {"1h30m", "1 hour 30 minutes"},
	{"2h", "2 hours"}, {"2h30m", "2 hours 30 minutes"}, {"3h", "3 hours"}, {"4h", "4 hours"},
	{"6h", "6 hours"}, {"8h", "8 hours"},
}

// durationValue is d as a durations value, "" when it is none of them.
func durationValue(d time.Duration) string {
	for _, o := range durations {
		if od, _ := time.ParseDuration(o.Value); od == d {
			return o.Value
		}
	}
	return ""
}

// whenText shows an instant in a zone for people: "Tue 3 Mar 2027, 15:00
// CET". Unknown zones show UTC.
func whenText(t time.Time, zone string) string {
	if t.IsZero() {
		return ""
	}
	loc, err := loadZone(zone)
	if err != nil {
		loc = time.UTC
	}
	return t.In(loc).Format("Mon 2 Jan 2006, 15:04 MST")
}

// spanText shows a start and an end in a zone, the end's date only when
// it is another day: "Tue 3 Mar 2027, 15:00–16:30 CET".
func spanText(start, end time.Time, zone string) string {
	if start.IsZero() {
		return ""
	}
	loc, err := loadZone(zone)
	if err != nil {
		loc = time.UTC
	}
	s, e := start.In(loc), end.In(loc)
	if s.Format(dateLayout) == e.Format(dateLayout) {
		return s.Format("Mon 2 Jan 2006, 15:04") + "–" + e.Format("15:04 MST")
	}
	return s.Format("Mon 2 Jan 2006, 15:04 MST") + " – " + e.Format("Mon 2 Jan 2006, 15:04 MST")
}

// localSpanText shows a start and an end the events service computed in
// one zone (wall-clock "2027-03-28T10:00:00" with the zone's abbreviation
// and offset then): "Tue 2 Mar 2027, 15:00–16:30 CET (UTC+01:00)", with
// the end's date and zone too when they differ from the start's.
func localSpanText(starts, ends *eventsv1.LocalTime) string {
	s, err1 := time.Parse(localLayout, starts.GetLocal())
	e, err2 := time.Parse(localLayout, ends.GetLocal())
	if err1 != nil || err2 != nil {
		return starts.GetLocal() + " – " + ends.GetLocal()
	}
	zone := func(lt *eventsv1.LocalTime) string {
		z := lt.GetAbbreviation()
		if lt.GetUtcOffset() != "" && !strings.HasPrefix(z, "+") && !strings.HasPrefix(z, "-") {
			z += " (UTC" + lt.GetUtcOffset() + ")"
		}
		return z
	}
	if s.Format(dateLayout) == e.Format(dateLayout) && starts.GetAbbreviation() == ends.GetAbbreviation() {
		return s.Format("Mon 2 Jan 2006, 15:04") + "–" + e.Format("15:04") + " " + zone(ends)
	}
	return s.Format("Mon 2 Jan 2006, 15:04") + " " + zone(starts) + " – " + e.Format("Mon 2 Jan 2006, 15:04") + " " + zone(ends)
}
