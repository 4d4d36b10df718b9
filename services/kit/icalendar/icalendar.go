// Package icalendar writes meetings as iCalendar (RFC 5545) objects with the
// iTIP methods (RFC 5546) that scheduling by email needs: REQUEST for an
// invitation or an update, CANCEL when a meeting is called off or an invitee
// is removed, PUBLISH for subscribed feeds. The events service renders its
// feeds with it and the notification service the .ics of its emails, so
// both describe a meeting the same way. It is built on
// github.com/arran4/golang-ical.
//
// Every version of a meeting has the same UID and a SEQUENCE that grows
// with each change, so calendar clients update the meeting they already
// have instead of adding another.
//
// Times are written in UTC (DTSTART:20270328T080000Z), not as local times
// with a TZID. The instant is what the platform treats as authoritative; a
// TZID would need a VTIMEZONE whose rules the client may replace with its
// own tzdata, and UTC leaves nothing to disagree on. Clients show UTC times
// in the reader's zone. The planning zone travels as X-WR-TIMEZONE on the
// calendar and X-COALITION-TZID on the event, for clients that want it.
package icalendar

import (
	"fmt"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
)

// ProductID identifies this software in PRODID.
const ProductID = "-//Cities Coalition for Digital Rights//Events//EN"

// Method is an iTIP method (RFC 5546).
type Method string

// The methods the platform uses.
const (
	MethodPublish Method = "PUBLISH"
	MethodRequest Method = "REQUEST"
	MethodCancel  Method = "CANCEL"
)

// MediaType is the MIME type of a calendar object sent by email with method
// (iMIP, RFC 6047 section 2.4: the method parameter must match METHOD).
func MediaType(m Method) string {
	return "text/calendar; method=" + string(m) + "; charset=UTF-8"
}

// Organizer is who invitations come from (replies go there).
type Organizer struct {
	Name  string
	Email string
}

// PartStat is an attendee's participation status (RFC 5545 PARTSTAT).
type PartStat string

// The participation statuses of a meeting.
const (
	PartStatNeedsAction PartStat = "NEEDS-ACTION"
	PartStatAccepted    PartStat = "ACCEPTED"
	PartStatDeclined    PartStat = "DECLINED"
	PartStatTentative   PartStat = "TENTATIVE"
)

// Attendee is one invited person.
type Attendee struct {
	Name     string
	Email    string
	PartStat PartStat // empty: NEEDS-ACTION
}

// AgendaItem is one point on a meeting's agenda (listed in DESCRIPTION).
type AgendaItem struct {
	Title   string
	Minutes int
}

// Event is one meeting as calendars see it.
type Event struct {
	// UID is the same for every version of the meeting.
	UID string
	// Sequence grows with each change (RFC 5546 section 2.1.4).
	Sequence int
	// Start and End are instants, written in UTC.
	Start, End time.Time
	// TimeZone is the IANA zone the meeting is planned in.
	TimeZone    string
	Summary     string
	Description string
	Agenda      []AgendaItem
	Venue       string
	HostCity    string
	OnlineURL   string
	// Cancelled marks the meeting STATUS:CANCELLED (else CONFIRMED).
	Cancelled bool
}

// Request is an invitation or an update (METHOD:REQUEST) of e to attendees,
// each asked to answer (RSVP=TRUE). Send each invitee a Request naming only
// them: an invitation never carries other invitees' addresses.
func Request(e Event, org Organizer, attendees []Attendee, now time.Time) string {
	cal := newCalendar(MethodRequest, e.TimeZone)
	addEvent(cal, e, org, attendees, now)
	return serialize(cal)
}

// Cancel tells attendees that e was called off for them (METHOD:CANCEL,
// STATUS:CANCELLED): the whole meeting, or their invitation to it.
// e.Sequence must be higher than in the last Request they got.
func Cancel(e Event, org Organizer, attendees []Attendee, now time.Time) string {
	e.Cancelled = true
	cal := newCalendar(MethodCancel, e.TimeZone)
	addEvent(cal, e, org, attendees, now)
	return serialize(cal)
}

// Publish is a feed of meetings (METHOD:PUBLISH) without attendees.
func Publish(name string, events []Event, org Organizer, now time.Time) string {
	cal := newCalendar(MethodPublish, "")
	cal.SetXWRCalName(name)
	cal.SetName(name)
	for _, e := range events {
		addEvent(cal, e, org, nil, now)
	}
	return serialize(cal)
}

func newCalendar(method Method, zone string) *ics.Calendar {
	cal := ics.NewCalendar()
	cal.SetProductId(ProductID)
	cal.SetMethod(ics.Method(method))
	cal.SetCalscale("GREGORIAN")
	if zone != "" {
		cal.SetXWRTimezone(zone)
	}
	return cal
}

func addEvent(cal *ics.Calendar, e Event, org Organizer, attendees []Attendee, now time.Time) *ics.VEvent {
	ev := cal.AddEvent(e.UID)
	ev.SetSequence(e.Sequence)
	ev.SetDtStampTime(now)
	ev.SetStartAt(e.Start)
	ev.SetEndAt(e.End)
	ev.SetSummary(e.Summary)
	if d := description(e); d != "" {
		ev.SetDescription(d)
	}
	if loc := location(e); loc != "" {
		ev.SetLocation(loc)
	}
	if e.OnlineURL != "" {
		ev.SetURL(e.OnlineURL)
	}
	if e.TimeZone != "" {
		ev.SetProperty(ics.ComponentProperty("X-COALITION-TZID"), e.TimeZone)
	}
	if org.Email != "" {
		ev.SetOrganizer("mailto:"+org.Email, ics.WithCN(org.Name))
	}
	for _, p := range attendees {
		ev.AddAttendee("mailto:"+p.Email,
			ics.WithCN(p.Name),
			ics.CalendarUserTypeIndividual,
			ics.ParticipationRoleReqParticipant,
			partstat(p.PartStat),
			rsvpTrue)
	}
	if e.Cancelled {
		ev.SetStatus(ics.ObjectStatusCancelled)
	} else {
		ev.SetStatus(ics.ObjectStatusConfirmed)
	}
	return ev
}

// rsvpTrue asks for an answer, spelt as RFC 5545 (3.3.2) spells booleans;
// the library's WithRSVP writes "true".
var rsvpTrue = &ics.KeyValues{Key: string(ics.ParameterRsvp), Value: []string{"TRUE"}}

func partstat(s PartStat) ics.ParticipationStatus {
	switch s {
	case PartStatAccepted:
		return ics.ParticipationStatusAccepted
	case PartStatDeclined:
		return ics.ParticipationStatusDeclined
	case PartStatTentative:
		return ics.ParticipationStatusTentative
	default:
		return ics.ParticipationStatusNeedsAction
	}
}

func location(e Event) string {
	var parts []string
	for _, s := range []string{e.Venue, e.HostCity} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 && e.OnlineURL != "" {
		return e.OnlineURL
	}
	return strings.Join(parts, ", ")
}

func description(e Event) string {
	var b strings.Builder
	b.WriteString(e.Description)
	if len(e.Agenda) > 0 {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString("Agenda:\n")
		for i, item := range e.Agenda {
			fmt.Fprintf(&b, "%d. %s", i+1, item.Title)
			if item.Minutes > 0 {
				fmt.Fprintf(&b, " (%d min)", item.Minutes)
			}
			b.WriteString("\n")
		}
	}
	if e.OnlineURL != "" {
		fmt.Fprintf(&b, "\nJoin online: %s\n", e.OnlineURL)
	}
	return strings.TrimSpace(b.String())
}

// serialize writes RFC 5545 lines: CRLF-terminated, folded at 75 octets.
func serialize(cal *ics.Calendar) string {
	return cal.Serialize(ics.WithNewLine("\r\n"), ics.WithLineLength(75))
}
