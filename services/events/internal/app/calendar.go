package app

import (
	"github.com/cc4dr/coalition/services/events/internal/domain"
	"github.com/cc4dr/coalition/services/kit/icalendar"
)

// CalendarEvent is an assembly as calendars see it (package icalendar,
// shared with the notification service, which writes the same UID and
// SEQUENCE into the .ics of its emails).
func CalendarEvent(a domain.Assembly) icalendar.Event {
	e := icalendar.Event{
		UID: a.UID(), Sequence: a.Sequence, Start: a.StartsAt, End: a.EndsAt, TimeZone: a.TimeZone,
		Summary: a.Title, Description: a.Description, Venue: a.Venue, HostCity: a.HostCity, OnlineURL: a.OnlineURL,
		Cancelled: a.Status == domain.StatusCancelled,
	}
	for _, it := range a.Agenda {
		e.Agenda = append(e.Agenda, icalendar.AgendaItem{Title: it.Title, Minutes: it.Minutes})
	}
	return e
}

func calendarEvents(list []domain.Assembly) []icalendar.Event {
	out := make([]icalendar.Event, len(list))
	for i, a := range list {
		out[i] = CalendarEvent(a)
	}
	return out
}
