package icalendar

import (
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
)

func event() Event {
	start := time.Date(2027, 3, 28, 8, 0, 0, 0, time.UTC) // 10:00 Amsterdam
	return Event{
		UID: "assembly-0190a1b2-0000-7000-8000-000000000001@cc4dr-coalition", Summary: "Leadership Board, spring",
		Description: "Review; strategy, budget", Start: start, End: start.Add(90 * time.Minute), TimeZone: "Europe/Amsterdam",
		HostCity: "Amsterdam", Venue: "Stadhuis", OnlineURL: "https://meet.example.org/board",
		Agenda: []AgendaItem{{Title: "Budget", Minutes: 30}}, Sequence: 2,
	}
}

var org = Organizer{Name: "Coordination Team", Email: "coordination@coalition.example"}

func parse(t *testing.T, s string) (*ics.Calendar, *ics.VEvent) {
	t.Helper()
	if !strings.Contains(s, "\r\n") {
		t.Fatal("lines not CRLF-terminated")
	}
	for _, line := range strings.Split(s, "\r\n") {
		if len(line) > 75 {
			t.Fatalf("line longer than 75 octets: %q", line)
		}
	}
	cal, err := ics.ParseCalendar(strings.NewReader(s))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, s)
	}
	if len(cal.Events()) != 1 {
		t.Fatalf("%d events", len(cal.Events()))
	}
	return cal, cal.Events()[0]
}

func prop(c interface {
	GetProperty(ics.ComponentProperty) *ics.IANAProperty
}, p ics.ComponentProperty) string {
	if v := c.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

func calProp(cal *ics.Calendar, p ics.Property) string {
	for _, cp := range cal.CalendarProperties {
		if cp.IANAToken == string(p) {
			return cp.Value
		}
	}
	return ""
}

func TestRequestRoundTrip(t *testing.T) {
	e := event()
	now := time.Date(2027, 1, 5, 12, 0, 0, 0, time.UTC)
	attendees := []Attendee{
		{Name: "Ana Silva", Email: "ana@example.org", PartStat: PartStatAccepted},
		{Name: "Otto", Email: "otto@example.org"},
	}
	cal, ev := parse(t, Request(e, org, attendees, now))
	if m := calProp(cal, ics.PropertyMethod); m != "REQUEST" {
		t.Errorf("METHOD %q", m)
	}
	if ev.Id() != e.UID || prop(ev, ics.ComponentPropertySequence) != "2" {
		t.Errorf("UID %q SEQUENCE %q", ev.Id(), prop(ev, ics.ComponentPropertySequence))
	}
	start, err := ev.GetStartAt()
	if err != nil || !start.Equal(e.Start) {
		t.Errorf("DTSTART %v (%v)", start, err)
	}
	end, err := ev.GetEndAt()
	if err != nil || !end.Equal(e.End) {
		t.Errorf("DTEND %v (%v)", end, err)
	}
	if prop(ev, ics.ComponentPropertyDtStart) != "20270328T080000Z" || prop(ev, ics.ComponentPropertyDtstamp) != "20270105T120000Z" {
		t.Errorf("DTSTART %q DTSTAMP %q", prop(ev, ics.ComponentPropertyDtStart), prop(ev, ics.ComponentPropertyDtstamp))
	}
	if prop(ev, ics.ComponentPropertySummary) != e.Summary || prop(ev, ics.ComponentPropertyLocation) != "Stadhuis, Amsterdam" ||
		prop(ev, ics.ComponentPropertyUrl) != e.OnlineURL || !strings.Contains(prop(ev, ics.ComponentPropertyDescription), "1. Budget (30 min)") ||
		!strings.HasPrefix(prop(ev, ics.ComponentPropertyDescription), "Review; strategy, budget") ||
		prop(ev, ics.ComponentPropertyStatus) != "CONFIRMED" {
		t.Errorf("text properties:\n%s", ev.Serialize(nil))
	}
	if o := ev.GetProperty(ics.ComponentPropertyOrganizer); o == nil || o.Value != "mailto:coordination@coalition.example" || o.ICalParameters["CN"][0] != "Coordination Team" {
		t.Errorf("ORGANIZER %v", o)
	}
	att := ev.Attendees()
	if len(att) != 2 || att[0].Email() != "ana@example.org" || att[0].ParticipationStatus() != ics.ParticipationStatusAccepted ||
		att[1].ParticipationStatus() != ics.ParticipationStatusNeedsAction || att[1].ICalParameters["RSVP"][0] != "TRUE" {
		t.Errorf("ATTENDEE %v", att)
	}
	if prop(ev, "X-COALITION-TZID") != "Europe/Amsterdam" || calProp(cal, ics.PropertyXWRTimezone) != "Europe/Amsterdam" {
		t.Errorf("planning zone missing")
	}
}

func TestCancel(t *testing.T) {
	e := event()
	e.Sequence = 3
	cal, ev := parse(t, Cancel(e, org, []Attendee{{Name: "Ana", Email: "ana@example.org"}}, time.Now()))
	if calProp(cal, ics.PropertyMethod) != "CANCEL" || prop(ev, ics.ComponentPropertyStatus) != "CANCELLED" ||
		prop(ev, ics.ComponentPropertySequence) != "3" || ev.Id() != event().UID || len(ev.Attendees()) != 1 {
		t.Errorf("cancel:\n%s", cal.Serialize())
	}
}

func TestPublishHasNoAttendees(t *testing.T) {
	cancelled := event()
	cancelled.UID, cancelled.Cancelled = "other@cc4dr-coalition", true
	out := Publish("Coalition", []Event{event(), cancelled}, org, time.Now())
	cal, err := ics.ParseCalendar(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	evs := cal.Events()
	if calProp(cal, ics.PropertyMethod) != "PUBLISH" || len(evs) != 2 || len(evs[0].Attendees()) != 0 ||
		prop(evs[0], ics.ComponentPropertyStatus) != "CONFIRMED" || prop(evs[1], ics.ComponentPropertyStatus) != "CANCELLED" {
		t.Errorf("publish:\n%s", out)
	}
}

func TestOnlineOnlyLocationAndLongTextFolds(t *testing.T) {
	e := event()
	e.Venue, e.HostCity = "", ""
	e.Summary = strings.Repeat("Coordinación ", 20) // multi-byte runes across fold points
	_, ev := parse(t, Request(e, org, nil, time.Now()))
	if prop(ev, ics.ComponentPropertyLocation) != e.OnlineURL || prop(ev, ics.ComponentPropertySummary) != e.Summary {
		t.Errorf("LOCATION %q SUMMARY %q", prop(ev, ics.ComponentPropertyLocation), prop(ev, ics.ComponentPropertySummary))
	}
}

func TestMediaType(t *testing.T) {
	if got := MediaType(MethodCancel); got != "text/calendar; method=CANCEL; charset=UTF-8" {
		t.Errorf("media type %q", got)
	}
}
