package domain

import (
	"fmt"
	"time"
)

// LocalLayout is how wall-clock times are written: ISO 8601 without offset.
const LocalLayout = "2006-01-02T15:04:05"

// ParseLocal turns a wall-clock time in loc ("2006-01-02T15:04" or with
// seconds) into an instant. A time that does not exist there (skipped by a
// switch to summer time, e.g. 02:30 in Amsterdam on the last Sunday of
// March) is refused rather than silently moved. A time that exists twice
// (the repeated hour when clocks go back) is the first of the two, the one
// still on summer time, as RFC 5545 reads such local times (Go's time.Date
// alone would pick the second).
func ParseLocal(field, s string, loc *time.Location) (time.Time, error) {
	var t time.Time
	var err error
	for _, layout := range []string{LocalLayout, "2006-01-02T15:04"} {
		if t, err = time.ParseInLocation(layout, s, loc); err == nil {
			break
		}
	}
	if err != nil {
		return time.Time{}, &FieldError{Field: field, Reason: field + ".invalid", Description: "not a local date and time like 2027-03-28T10:00"}
	}
	// A time that exists twice: take the first occurrence, as RFC 5545
	// does for local times in a repeated hour.
	for _, d := range []time.Duration{30 * time.Minute, time.Hour, 2 * time.Hour} {
		if e := t.Add(-d); e.Format(LocalLayout) == t.Format(LocalLayout) {
			t = e
		}
	}
	if t.Format(LocalLayout)[:16] != normalizeLocal(s)[:16] {
		return time.Time{}, &FieldError{Field: field, Reason: field + ".nonexistent",
			Description: fmt.Sprintf("%s does not exist in %s (the clocks skip it)", s, loc)}
	}
	return t, nil
}

func normalizeLocal(s string) string {
	if len(s) == 16 {
		return s + ":00"
	}
	return s
}

// LocalTime is an instant seen in one zone.
type LocalTime struct {
	Local        string // LocalLayout
	TimeZone     string
	UTCOffset    string // "+02:00"
	Abbreviation string // "CEST", "-03"
	t            time.Time
}

// Time is the instant in its zone.
func (l LocalTime) Time() time.Time { return l.t }

// In shows instant t in zone (UTC if the zone is unknown).
func In(t time.Time, zone string) LocalTime {
	loc, err := LoadZone(zone)
	if err != nil {
		loc, zone = time.UTC, "UTC"
	}
	lt := t.In(loc)
	abbr, _ := lt.Zone()
	return LocalTime{Local: lt.Format(LocalLayout), TimeZone: zone, UTCOffset: lt.Format("-07:00"), Abbreviation: abbr, t: lt}
}

// Span is an assembly's times as seen by one person.
type Span struct {
	Starts, Ends LocalTime
	// CrossesMidnight: it ends on a later local date than it starts.
	CrossesMidnight bool
	// CrossesOffsetChange: the zone's offset at the end differs from the one
	// at the start (a daylight-saving switch inside the assembly).
	CrossesOffsetChange bool
}

// SpanIn shows [start, end) in zone.
func SpanIn(start, end time.Time, zone string) Span {
	s, e := In(start, zone), In(end, zone)
	return Span{
		Starts: s, Ends: e,
		CrossesMidnight:     s.Local[:10] != e.Local[:10],
		CrossesOffsetChange: s.UTCOffset != e.UTCOffset,
	}
}
