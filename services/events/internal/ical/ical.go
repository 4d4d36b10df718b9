// Package ical renders assemblies as iCalendar (RFC 5545) with the iTIP
// methods (RFC 5546) invitations need: REQUEST for an invitation or an
// update, CANCEL when an assembly is called off, PUBLISH for feeds.
//
// Every version of an assembly has the same UID and a SEQUENCE that grows
// with each change, so calendar clients update the meeting they already have.
//
// Times are written in UTC (DTSTART:20270328T080000Z), not as local times
// with a TZID. The instant is what this service treats as authoritative;
// a TZID would need a VTIMEZONE whose rules the client may replace with its
// own tzdata, and UTC leaves nothing to disagree on. Clients show UTC times
// in the reader's zone. The planning zone travels as X-WR-TIMEZONE on the
// calendar and X-COALITION-TZID on the event, for clients that want it.
package ical

import (
	"fmt"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/cc4dr/coalition/services/events/internal/domain"
)

// ProductID identifies this software in PRODID.
const ProductID = "-//Cities Coalition for Digital Rights//Events//EN"

// Organizer is who invitations come from.
type Organizer struct {
	Name  string
	Email string
}

// Request is an invitation or an update (METHOD:REQUEST) of a to invitees.
func Request(a domain.Assembly, org Organizer, invitees []domain.Invitee, now time.Time) string {
	cal := newCalendar(ics.MethodRequest, a.TimeZone)
	addEvent(cal, a, org, invitees, now)
	return serialize(cal)
}

// Cancel tells invitees a was called off (METHOD:CANCEL, STATUS:CANCELLED).
func Cancel(a domain.Assembly, org Organizer, invitees []domain.Invitee, now time.Time) string {
	cal := newCalendar(ics.MethodCancel, a.TimeZone)
	ev := addEvent(cal, a, org, invitees, now)
	ev.SetStatus(ics.ObjectStatusCancelled)
	return serialize(cal)
}

// Publish is a feed of assemblies (METHOD:PUBLISH) without attendees.
func Publish(name string, list []domain.Assembly, org Organizer, now time.Time) string {
	cal := newCalendar(ics.MethodPublish, "")
	cal.SetXWRCalName(name)
	cal.SetName(name)
	for _, a := range list {
		ev := addEvent(cal, a, org, nil, now)
		if a.Status == domain.StatusCancelled {
			ev.SetStatus(ics.ObjectStatusCancelled)
		}
	}
	return serialize(cal)
}

func newCalendar(method ics.Method, zone string) *ics.Calendar {
	cal := ics.NewCalendar()
	cal.SetProductId(ProductID)
	cal.SetMethod(method)
	cal.SetCalscale("GREGORIAN")
	if zone != "" {
		cal.SetXWRTimezone(zone)
	}
	return cal
}

func addEvent(cal *ics.Calendar, a domain.Assembly, org Organizer, invitees []domain.Invitee, now time.Time) *ics.VEvent {
	ev := cal.AddEvent(a.UID())
	ev.SetSequence(a.Sequence)
	ev.SetDtStampTime(now)
	ev.SetStartAt(a.StartsAt)
	ev.SetEndAt(a.EndsAt)
	ev.SetSummary(a.Title)
	if d := description(a); d != "" {
		ev.SetDescription(d)
	}
	if loc := location(a); loc != "" {
		ev.SetLocation(loc)
	}
	if a.OnlineURL != "" {
		ev.SetURL(a.OnlineURL)
	}
	ev.SetProperty(ics.ComponentProperty("X-COALITION-TZID"), a.TimeZone)
	if org.Email != "" {
		ev.SetOrganizer("mailto:"+org.Email, ics.WithCN(org.Name))
	}
	for _, p := range invitees {
		ev.AddAttendee("mailto:"+p.Email,
			ics.WithCN(p.Name),
			ics.CalendarUserTypeIndividual,
			ics.ParticipationRoleReqParticipant,
			partstat(p.Response),
			ics.WithRSVP(true))
	}
	if a.Status != domain.StatusCancelled {
		ev.SetStatus(ics.ObjectStatusConfirmed)
	}
	return ev
}

func partstat(r domain.Response) ics.ParticipationStatus {
	switch r {
	case domain.ResponseAccepted:
		return ics.ParticipationStatusAccepted
	case domain.ResponseDeclined:
		return ics.ParticipationStatusDeclined
	case domain.ResponseTentative:
		return ics.ParticipationStatusTentative
	default:
		return ics.ParticipationStatusNeedsAction
	}
}

func location(a domain.Assembly) string {
	var parts []string
	for _, s := range []string{a.Venue, a.HostCity} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 && a.OnlineURL != "" {
		return a.OnlineURL
	}
	return strings.Join(parts, ", ")
}

func description(a domain.Assembly) string {
	var b strings.Builder
	b.WriteString(a.Description)
	if len(a.Agenda) > 0 {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString("Agenda:\n")
		for i, item := range a.Agenda {
			fmt.Fprintf(&b, "%d. %s", i+1, item.Title)
			if item.Minutes > 0 {
				fmt.Fprintf(&b, " (%d min)", item.Minutes)
			}
			b.WriteString("\n")
		}
	}
	if a.OnlineURL != "" {
		fmt.Fprintf(&b, "\nJoin online: %s\n", a.OnlineURL)
	}
	return strings.TrimSpace(b.String())
}

// serialize writes RFC 5545 lines: CRLF-terminated, folded at 75 octets.
func serialize(cal *ics.Calendar) string {
	return cal.Serialize(ics.WithNewLine("\r\n"), ics.WithLineLength(75))
}
