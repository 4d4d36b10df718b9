package domain

import (
	"slices"
	"time"
)

// WorkingHours are a person's working hours in their own zone: from Start
// to End (minutes after midnight) on the listed weekdays.
type WorkingHours struct {
	Start, End int
	Days       []time.Weekday
}

// DefaultWorkingHours: 09:00–17:00, Monday to Friday.
var DefaultWorkingHours = WorkingHours{Start: 9 * 60, End: 17 * 60,
	Days: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}}

// Contains reports whether [start, end) lies inside one working day in loc.
func (w WorkingHours) Contains(start, end time.Time, loc *time.Location) bool {
	s, e := start.In(loc), end.In(loc)
	if !slices.Contains(w.Days, s.Weekday()) {
		return false
	}
	if s.Year() != e.Year() || s.YearDay() != e.YearDay() {
		// Ending exactly at midnight is still the same working day only if
		// working hours run to midnight.
		return false
	}
	sm, em := s.Hour()*60+s.Minute(), e.Hour()*60+e.Minute()
	if e.Second() > 0 {
		em++
	}
	return sm >= w.Start && em <= w.End
}

// Attendee is who a slot is scored for.
type Attendee struct {
	Email    string
	TimeZone string
}

// Slot is a candidate start with its score.
type Slot struct {
	Start, End time.Time
	// In counts the attendees for whom the slot is inside working hours.
	In      int
	Outside []string
}

// SuggestSlots scores every start from windowStart (inclusive) in steps of
// step such that start+duration ≤ windowEnd, and returns at most limit,
// most attendees inside their working hours first, ties by earliest.
// Candidates where nobody is inside working hours are left out.
func SuggestSlots(people []Attendee, duration, step time.Duration, windowStart, windowEnd time.Time, hours WorkingHours, limit int) []Slot {
	locs := make([]*time.Location, len(people))
	for i, p := range people {
		loc, err := LoadZone(p.TimeZone)
		if err != nil {
			loc = time.UTC
		}
		locs[i] = loc
	}
	var slots []Slot
	for s := windowStart; !s.Add(duration).After(windowEnd); s = s.Add(step) {
		slot := Slot{Start: s, End: s.Add(duration)}
		for i, p := range people {
			if hours.Contains(slot.Start, slot.End, locs[i]) {
				slot.In++
			} else {
				slot.Outside = append(slot.Outside, p.Email)
			}
		}
		if slot.In > 0 {
			slots = append(slots, slot)
		}
	}
	slices.SortStableFunc(slots, func(a, b Slot) int {
		if a.In != b.In {
			return b.In - a.In
		}
		return a.Start.Compare(b.Start)
	})
	if len(slots) > limit {
		slots = slots[:limit]
	}
	return slots
}
