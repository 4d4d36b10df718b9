package service

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
)

// DemoData is the demonstration calendar, relative to now: the Annual
// Conference in Barcelona about three months ahead (public; planned in
// Europe/Madrid, Spain's zone — there is no Europe/Barcelona), an online
// Leadership Board meeting planned in Amsterdam time and an online
// Coordination Team meeting planned in Maceió time (both not public).
//
// Each assembly is planned as wall-clock times in its own zone and turned
// into instants with time.Date in that zone, so "09:00 in Barcelona" stays
// 09:00 there whichever side of a daylight-saving change the date falls.
func DemoData(now time.Time) []*eventsv1.ScheduleAssemblyRequest {
	at := func(zone string, day time.Time, hour, minute int) *timestamppb.Timestamp {
		loc := mustZone(zone)
		return timestamppb.New(time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, loc))
	}

	conference := weekday(now.In(mustZone("Europe/Madrid")).AddDate(0, 3, 0))
	board := weekday(now.In(mustZone("Europe/Amsterdam")).AddDate(0, 0, 14))
	coordination := weekday(now.In(mustZone("America/Maceio")).AddDate(0, 0, 7))

	return []*eventsv1.ScheduleAssemblyRequest{
		{
			Kind:  eventsv1.AssemblyKind_ASSEMBLY_KIND_ANNUAL_CONFERENCE,
			Title: "Annual Conference " + conference.Format("2006"),
			Description: "Political representatives of the member cities, with high-level representatives of the partners, " +
				"set the coalition's political strategy, decide its expected outcomes and agree its core joint messages of advocacy.",
			StartsAt: at("Europe/Madrid", conference, 9, 0),
			EndsAt:   at("Europe/Madrid", conference, 17, 0),
			TimeZone: "Europe/Madrid",
			Place:    &eventsv1.Place{HostCity: "Barcelona"},
			Public:   true,
		},
		{
			Kind:  eventsv1.AssemblyKind_ASSEMBLY_KIND_LEADERSHIP_BOARD,
			Title: "Leadership Board meeting",
			Description: "The Leadership Board reviews the progress of the coalition's activities against the annual strategy " +
				"and its priority policy topics, and advises the Coordination Team.",
			StartsAt:  at("Europe/Amsterdam", board, 15, 0),
			EndsAt:    at("Europe/Amsterdam", board, 16, 30),
			TimeZone:  "Europe/Amsterdam",
			OnlineUrl: "https://meet.example.org/ccdr-leadership-board",
			Public:    false,
		},
		{
			Kind:        eventsv1.AssemblyKind_ASSEMBLY_KIND_COORDINATION_TEAM,
			Title:       "Coordination Team meeting",
			Description: "The Executive Coordination Team plans communication, meetings and the coalition's activities.",
			StartsAt:    at("America/Maceio", coordination, 10, 0),
			EndsAt:      at("America/Maceio", coordination, 11, 0),
			TimeZone:    "America/Maceio",
			OnlineUrl:   "https://meet.example.org/ccdr-coordination-team",
			Public:      false,
		},
	}
}

// weekday moves a weekend day to the following Monday.
func weekday(d time.Time) time.Time {
	switch d.Weekday() {
	case time.Saturday:
		return d.AddDate(0, 0, 2)
	case time.Sunday:
		return d.AddDate(0, 0, 1)
	default:
		return d
	}
}

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("events: demo time zone " + name + ": " + err.Error())
	}
	return loc
}
