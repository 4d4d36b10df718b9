package app

import (
	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	"github.com/cc4dr/coalition/services/events/internal/domain"
)

// Proto maps an assembly to its contract form, with the configured
// organizer of its calendar invitations.
func (a *App) Proto(as domain.Assembly) *eventsv1.Assembly {
	out := toProto(as)
	if o := a.opts.Organizer; o.Email != "" {
		out.Organizer = &eventsv1.Organizer{Name: o.Name, Email: o.Email}
	}
	return out
}

// toProto maps an assembly to its contract form, all but the organizer
// (configuration: see App.Proto).
func toProto(a domain.Assembly) *eventsv1.Assembly {
	out := &eventsv1.Assembly{
		Id: a.ID, Kind: KindToProto(a.Kind), Title: a.Title, Description: a.Description,
		StartsAt: timestamppb.New(a.StartsAt), EndsAt: timestamppb.New(a.EndsAt), TimeZone: a.TimeZone,
		OnlineUrl: a.OnlineURL, Public: a.Public, Status: StatusToProto(a.Status),
		Capacity: int32(a.Capacity), Uid: a.UID(), Sequence: int32(a.Sequence),
		PlannedLocalStart: a.PlannedLocalStart, PlannedLocalEnd: a.PlannedLocalEnd, BodyIds: a.BodyIDs,
		InviteeCount: int32(len(a.Invitees)), Minutes: MinutesToProto(a.Minutes), CancelReason: a.CancelReason,
		ZoneRulesChanged: a.ZoneRulesChanged(),
	}
	if !a.RSVPDeadline.IsZero() {
		out.RsvpDeadline = timestamppb.New(a.RSVPDeadline)
	}
	for _, it := range a.Agenda {
		out.Agenda = append(out.Agenda, &eventsv1.AgendaItem{Title: it.Title, Description: it.Description, Minutes: int32(it.Minutes)})
	}
	if a.HostCity != "" || a.Venue != "" {
		out.Place = &eventsv1.Place{HostCity: a.HostCity, Venue: a.Venue}
	}
	return out
}

var kinds = map[domain.Kind]eventsv1.AssemblyKind{
	domain.KindAnnualConference: eventsv1.AssemblyKind_ASSEMBLY_KIND_ANNUAL_CONFERENCE,
	domain.KindLeadershipBoard:  eventsv1.AssemblyKind_ASSEMBLY_KIND_LEADERSHIP_BOARD,
	domain.KindCoordinationTeam: eventsv1.AssemblyKind_ASSEMBLY_KIND_COORDINATION_TEAM,
	domain.KindWorkingGroup:     eventsv1.AssemblyKind_ASSEMBLY_KIND_WORKING_GROUP,
	domain.KindOther:            eventsv1.AssemblyKind_ASSEMBLY_KIND_OTHER,
}

// KindToProto maps an assembly kind to the contract's enum.
func KindToProto(k domain.Kind) eventsv1.AssemblyKind {
	return kinds[k] // unknown: ASSEMBLY_KIND_UNSPECIFIED (0)
}

// KindFromProto maps the contract's enum to an assembly kind ("" if unspecified).
func KindFromProto(k eventsv1.AssemblyKind) domain.Kind {
	for d, p := range kinds {
		if p == k {
			return d
		}
	}
	return ""
}

// StatusToProto maps an assembly status to the contract's enum.
func StatusToProto(s domain.Status) eventsv1.AssemblyStatus {
	switch s {
	case domain.StatusScheduled:
		return eventsv1.AssemblyStatus_ASSEMBLY_STATUS_SCHEDULED
	case domain.StatusCancelled:
		return eventsv1.AssemblyStatus_ASSEMBLY_STATUS_CANCELLED
	default:
		return eventsv1.AssemblyStatus_ASSEMBLY_STATUS_UNSPECIFIED
	}
}

// MinutesToProto maps minutes (nil: none).
func MinutesToProto(m *domain.Minutes) *eventsv1.Minutes {
	if m == nil {
		return nil
	}
	return &eventsv1.Minutes{Text: m.Text, Outcomes: m.Outcomes, PublishedAt: timestamppb.New(m.PublishedAt)}
}

// LocalTimeToProto maps a wall-clock time.
func LocalTimeToProto(l domain.LocalTime) *eventsv1.LocalTime {
	return &eventsv1.LocalTime{Local: l.Local, TimeZone: l.TimeZone, UtcOffset: l.UTCOffset, Abbreviation: l.Abbreviation}
}

// SpanToProto maps one person's view of an assembly's times.
func SpanToProto(name, email string, s domain.Span) *eventsv1.InviteeTimes {
	return &eventsv1.InviteeTimes{
		Name: name, Email: email, Starts: LocalTimeToProto(s.Starts), Ends: LocalTimeToProto(s.Ends),
		CrossesMidnight: s.CrossesMidnight, CrossesOffsetChange: s.CrossesOffsetChange,
	}
}

// Invitations are what the notification service needs to write to each
// invitee; links (by invitee key) carry RSVP links, only known when the
// tokens are made.
func Invitations(a domain.Assembly, invitees []domain.Invitee, links map[string]string) []*eventsv1.Invitation {
	out := make([]*eventsv1.Invitation, 0, len(invitees))
	for _, p := range invitees {
		out = append(out, &eventsv1.Invitation{
			Invitee:  &eventsv1.Person{Name: p.Name, Email: p.Email, Language: p.Language, TimeZone: p.TimeZone, RepresentativeId: p.RepresentativeID},
			BodyId:   p.BodyID,
			RsvpUrl:  links[p.Key],
			Times:    SpanToProto(p.Name, p.Email, domain.SpanIn(a.StartsAt, a.EndsAt, p.TimeZone)),
			Response: ResponseToProto(p.Response),
		})
	}
	return out
}

var responses = map[domain.Response]eventsv1.Response{
	domain.ResponseNeedsAction: eventsv1.Response_RESPONSE_NEEDS_ACTION,
	domain.ResponseAccepted:    eventsv1.Response_RESPONSE_ACCEPTED,
	domain.ResponseDeclined:    eventsv1.Response_RESPONSE_DECLINED,
	domain.ResponseTentative:   eventsv1.Response_RESPONSE_TENTATIVE,
}

// ResponseToProto maps an answer.
func ResponseToProto(r domain.Response) eventsv1.Response { return responses[r] }

// ResponseFromProto maps the contract's answer ("" if unspecified).
func ResponseFromProto(r eventsv1.Response) domain.Response {
	for d, p := range responses {
		if p == r {
			return d
		}
	}
	return ""
}
