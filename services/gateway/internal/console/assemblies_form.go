package console

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
)

// Reading the assembly forms: times in a planning zone, the agenda, the
// place, and whom to invite. Each reader records what is wrong on the
// form's fields and returns what it could read; callers send nothing while
// the form has errors.

// timeFields are the times part of the schedule and reschedule forms.
var timeFields = []string{"start_date", "start_time", "duration", "end_date", "end_time", "time_zone"}

// timesValues are the times a form gave, as instants.
type timesValues struct {
	loc        *time.Location
	start, end time.Time     // zero when not given (or not valid)
	length     time.Duration // zero when not known
}

// readTimes reads the times fields, marking values that are given but
// wrong; whether each is required is the action's to say (requireTimes).
func readTimes(rq *request, f *form) timesValues {
	f.read(rq.r, timeFields...)
	var tv timesValues
	if z := f.Get("time_zone"); z != "" {
		loc, err := loadZone(z)
		if err != nil {
			f.Errors["time_zone"] = "Choose a time zone from the list (an IANA name such as Europe/Madrid)."
		} else {
			tv.loc = loc
		}
	}
	if d := f.Get("duration"); d != "" {
		if !validOption(durations, d) {
			f.Errors["duration"] = "Choose a length from the list."
		} else {
			tv.length, _ = time.ParseDuration(d)
		}
	}
	if tv.loc == nil {
		return tv
	}
	tv.start = localField(f, "start_date", "start_time", tv.loc, "start")
	end := localField(f, "end_date", "end_time", tv.loc, "end")
	switch {
	case !end.IsZero() && f.Get("duration") != "":
		f.Errors["duration"] = "Give either a length or an end, not both."
		tv.length = 0
	case !end.IsZero() && !tv.start.IsZero():
		if !end.After(tv.start) {
			f.Errors["end_date"] = "The end must be after the start."
		} else {
			tv.length = end.Sub(tv.start)
		}
	case !end.IsZero():
		f.Errors["start_date"] = "Enter the start too."
	}
	if !tv.start.IsZero() && tv.length > 0 {
		tv.end = tv.start.Add(tv.length)
	}
	return tv
}

// localField reads a date and a time field pair in loc; both empty is no
// value, one of them is an error.
func localField(f *form, dateName, clockName string, loc *time.Location, what string) time.Time {
	date, clock := f.Get(dateName), f.Get(clockName)
	if date == "" && clock == "" {
		return time.Time{}
	}
	if date == "" {
		f.Errors[dateName] = "Enter the day of the " + what + " too."
		return time.Time{}
	}
	if clock == "" {
		f.Errors[clockName] = "Enter the time of the " + what + " too."
		return time.Time{}
	}
	t, err := localInstant(date, clock, loc)
	switch err {
	case nil:
		return t
	case errSkippedLocal:
		f.Errors[clockName] = fmt.Sprintf("%s on %s does not exist in %s: the clocks skip it. Choose another time.", clock, date, loc)
	default:
		f.Errors[dateName] = "Enter the " + what + " as a date and a time, like 2027-03-28 and 10:00."
	}
	return time.Time{}
}

// requireTimes marks what a complete set of times lacks.
func requireTimes(f *form, tv timesValues) {
	f.require("time_zone", "Choose the time zone the assembly is planned in.")
	f.require("start_date", "Enter the day it starts.")
	f.require("start_time", "Enter the time it starts.")
	requireLength(f, tv)
}

// requireLength marks a missing length (a duration, or an end).
func requireLength(f *form, tv timesValues) {
	f.require("time_zone", "Choose the time zone the assembly is planned in.")
	if tv.length == 0 && f.Errors["duration"] == "" && f.Errors["end_date"] == "" && f.Errors["end_time"] == "" && f.Errors["start_date"] == "" {
		f.Errors["duration"] = "Choose how long it lasts, or give the end."
	}
}

// fillTimes puts start and end (as a length when the list has it, else as
// an end) into the form's times fields, in zone loc.
func fillTimes(f *form, start, end time.Time, loc *time.Location) {
	f.Values["start_date"], f.Values["start_time"] = splitLocal(start, loc)
	f.Values["duration"], f.Values["end_date"], f.Values["end_time"] = durationValue(end.Sub(start)), "", ""
	if f.Values["duration"] == "" {
		f.Values["end_date"], f.Values["end_time"] = splitLocal(end, loc)
	}
}

// agendaLine is an agenda line with its planned minutes at the end: "Budget (30 min)".
var agendaLine = regexp.MustCompile(`^(.*\S)\s*\((\d{1,4})\s*min(?:utes)?\)$`)

// parseAgenda reads the agenda field: one item per line.
func parseAgenda(f *form) []*eventsv1.AgendaItem {
	var items []*eventsv1.AgendaItem
	for _, line := range strings.Split(f.Get("agenda"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		item := &eventsv1.AgendaItem{Title: line}
		if m := agendaLine.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[2])
			if n > 1440 {
				f.Errors["agenda"] = "An item lasts at most 1440 minutes (a day)."
			}
			item.Title, item.Minutes = m[1], int32(n)
		}
		if utf8.RuneCountInString(item.Title) > 300 {
			f.Errors["agenda"] = "Each agenda item is at most 300 characters."
		}
		items = append(items, item)
	}
	if len(items) > 100 {
		f.Errors["agenda"] = "An agenda has at most 100 items."
	}
	return items
}

// agendaText is an agenda as the agenda field shows it.
func agendaText(items []*eventsv1.AgendaItem) string {
	lines := make([]string, 0, len(items))
	for _, it := range items {
		line := it.GetTitle()
		if it.GetMinutes() > 0 {
			line += fmt.Sprintf(" (%d min)", it.GetMinutes())
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// detailFields are the place and practical details of the schedule and
// edit forms.
var detailFields = []string{"title", "description", "agenda", "host_city", "venue", "online_url", "capacity", "rsvp_date", "rsvp_time"}

// details are what readDetails read.
type details struct {
	agenda   []*eventsv1.AgendaItem
	capacity int32
	rsvp     time.Time // zero: none
}

// readDetails reads the details fields; the RSVP deadline is a wall-clock
// time in loc (nil when the zone is not known yet: it is then not read).
func readDetails(rq *request, f *form, loc *time.Location) details {
	f.read(rq.r, detailFields...)
	// Browsers send textarea lines ending in CRLF: store LF, so that sending
	// an unchanged description back is no change.
	for _, n := range []string{"description", "agenda"} {
		f.Values[n] = strings.ReplaceAll(f.Values[n], "\r\n", "\n")
	}
	var d details
	f.require("title", "Enter a title.")
	if utf8.RuneCountInString(f.Get("title")) > 200 {
		f.Errors["title"] = "A title is at most 200 characters."
	}
	if utf8.RuneCountInString(f.Get("description")) > 10000 {
		f.Errors["description"] = "The description is at most 10 000 characters."
	}
	if utf8.RuneCountInString(f.Get("host_city")) > 200 {
		f.Errors["host_city"] = "The host city is at most 200 characters."
	}
	if utf8.RuneCountInString(f.Get("venue")) > 500 {
		f.Errors["venue"] = "The venue is at most 500 characters."
	}
	if u := f.Get("online_url"); u != "" && (!isWebLink(u) || len(u) > 2000) {
		f.Errors["online_url"] = "Enter the meeting link as a web address starting with https://."
	}
	d.agenda = parseAgenda(f)
	if s := f.Get("capacity"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 100000 {
			f.Errors["capacity"] = "Enter the number of places as a whole number from 0 to 100 000 (0: no limit)."
		}
		d.capacity = int32(n)
	}
	if loc != nil {
		d.rsvp = localField(f, "rsvp_date", "rsvp_time", loc, "RSVP deadline")
	}
	return d
}

// chosen reads a checkbox list's values: at most limit, each one of
// known's, no repeats.
func chosen(rq *request, f *form, name string, limit int, known func(string) bool, unknown string) []string {
	values := rq.r.PostForm[name]
	if len(values) > limit {
		f.Errors[name] = fmt.Sprintf("Choose at most %d.", limit)
		return nil
	}
	var out []string
	for _, v := range values {
		if !known(v) {
			f.Errors[name] = unknown
			return nil
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// invitees reads the bodies and representatives ticked on the form.
func invitees(rq *request, f *form, ic *inviteeChoices) (bodyIDs []string, people []*eventsv1.Person, repIDs []string) {
	bodyIDs = chosen(rq, f, "bodies", maxChosenBodies, func(id string) bool { _, ok := ic.bodyNames[id]; return ok },
		"Choose bodies from the list (the list may have changed: look again).")
	repIDs = chosen(rq, f, "people", maxChosenPeople, func(id string) bool { _, ok := ic.reps[id]; return ok },
		"Choose people from the list (the list may have changed: look again).")
	for _, id := range repIDs {
		p, _ := ic.person(id)
		people = append(people, p)
	}
	return bodyIDs, people, repIDs
}

func ts(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

// eventsFields maps the events service's field paths to the assembly
// forms' names.
var eventsFields = map[string]string{
	"kind": "kind", "title": "title", "description": "description", "time_zone": "time_zone",
	"starts_at": "start_date", "ends_at": "duration", "local_start": "start_date", "local_end": "duration",
	"place.host_city": "host_city", "place.venue": "venue", "online_url": "online_url",
	"agenda": "agenda", "capacity": "capacity", "rsvp_deadline": "rsvp_date",
	"body_ids": "bodies", "people": "people", "text": "text", "outcomes": "outcomes", "reason": "reason",
	"emails": "emails",
}
