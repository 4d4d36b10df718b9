package ical

import (
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/cc4dr/coalition/services/events/internal/domain"
)

func assembly() domain.Assembly {
	start := time.Date(2027, 3, 28, 8, 0, 0, 0, time.UTC) // 10:00 Amsterdam
	return domain.Assembly{
		ID: "0190a1b2-0000-7000-8000-000000000001", Title: "Leadership Board, spring", Description: "Review; strategy, budget",
		StartsAt: start, EndsAt: start.Add(90 * time.Minute), TimeZone: "Europe/Amsterdam",
		HostCity: "Amsterdam", Venue: "Stadhuis", OnlineURL: "https://meet.example.org/board",
		Agenda: []domain.AgendaItem{{Title: "Budget", Minutes: 30}}, Status: domain.StatusScheduled, Sequence: 2,
	}
}

var org = Organizer{Name: "Coordination Team", Email: "coordination@coalition.example"}

func parse(t *testing.T, s string) (*ics.Calendar, *ics.VEvent) {
	t.Helper()
	if !strings.Contains(s, "\r\n") {
		t.Fatal("lines not CRLF-terminated")
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
	a := assembly()
	now := time.Date(2027, 1, 5, 12, 0, 0, 0, time.UTC)
	invitees := []domain.Invitee{
		{Name: "Ana Silva", Email: "ana@example.org", Response: domain.ResponseAccepted},
		{Name: "Otto", Email: "otto@example.org", Response: domain.ResponseNeedsAction},
	}
	cal, ev := parse(t, Request(a, org, invitees, now))
	if m := calProp(cal, ics.PropertyMethod); m != "REQUEST" {
		t.Errorf("METHOD %q", m)
	}
	if ev.Id() != "assembly-0190a1b2-0000-7000-8000-000000000001@cc4dr-coalition" || prop(ev, ics.ComponentPropertySequence) != "2" {
		t.Errorf("UID %q SEQUENCE %q", ev.Id(), prop(ev, ics.ComponentPropertySequence))
	}
	start, err := ev.GetStartAt()
	if err != nil || !start.Equal(a.StartsAt) {
		t.Errorf("DTSTART %v (%v)", start, err)
	}
	end, err := ev.GetEndAt()
	if err != nil || !end.Equal(a.EndsAt) {
		t.Errorf("DTEND %v (%v)", end, err)
	}
	if prop(ev, ics.ComponentPropertyDtStart) != "20270328T080000Z" || prop(ev, ics.ComponentPropertyDtstamp) != "20270105T120000Z" {
		t.Errorf("DTSTART %q DTSTAMP %q", prop(ev, ics.ComponentPropertyDtStart), prop(ev, ics.ComponentPropertyDtstamp))
	}
	if prop(ev, ics.ComponentPropertySummary) != a.Title || prop(ev, ics.ComponentPropertyLocation) != "Stadhuis, Amsterdam" ||
		prop(ev, ics.ComponentPropertyUrl) != a.OnlineURL || !strings.Contains(prop(ev, ics.ComponentPropertyDescription), "1. Budget (30 min)") ||
		!strings.HasPrefix(prop(ev, ics.ComponentPropertyDescription), "Review; strategy, budget") {
		t.Errorf("text properties:\n%s", ev.Serialize(nil))
	}
	if o := ev.GetProperty(ics.ComponentPropertyOrganizer); o == nil || o.Value != "mailto:coordination@coalition.example" || o.ICalParameters["CN"][0] != "Coordination Team" {
		t.Errorf("ORGANIZER %v", o)
	}
	att := ev.Attendees()
	if len(att) != 2 || att[0].Email() != "ana@example.org" || att[0].ParticipationStatus() != ics.ParticipationStatusAccepted ||
		att[1].ParticipationStatus() != ics.ParticipationStatusNeedsAction {
		t.Errorf("ATTENDEE %v", att)
	}
	if prop(ev, "X-COALITION-TZID") != "Europe/Amsterdam" {
		t.Errorf("planning zone missing")
	}
}

func TestCancel(t *testing.T) {
	a := assembly()
	a.Status, a.Sequence = domain.StatusCancelled, 3
	cal, ev := parse(t, Cancel(a, org, []domain.Invitee{{Name: "Ana", Email: "ana@example.org"}}, time.Now()))
	if calProp(cal, ics.PropertyMethod) != "CANCEL" || prop(ev, ics.ComponentPropertyStatus) != "CANCELLED" ||
		prop(ev, ics.ComponentPropertySequence) != "3" || ev.Id() != assembly().UID() {
		t.Errorf("cancel:\n%s", cal.Serialize())
	}
}

func TestPublishHasNoAttendees(t *testing.T) {
	a := assembly()
	out := Publish("Coalition", []domain.Assembly{a}, org, time.Now())
	cal, ev := parse(t, out)
	if calProp(cal, ics.PropertyMethod) != "PUBLISH" || len(ev.Attendees()) != 0 {
		t.Errorf("publish:\n%s", out)
	}
}
