// Package grpcapi is the events service's gRPC transport: it maps requests
// to use cases (package app) and domain errors to gRPC statuses, nothing more.
package grpcapi

import (
	"context"
	"errors"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/events/internal/app"
	"github.com/cc4dr/coalition/services/events/internal/domain"
	"github.com/cc4dr/coalition/services/kit/auth"
	"github.com/cc4dr/coalition/services/kit/grpcserver"
)

// Server implements eventsv1.EventsServiceServer.
type Server struct {
	eventsv1.UnimplementedEventsServiceServer
	app *app.App
}

// New returns the transport for a.
func New(a *app.App) *Server { return &Server{app: a} }

func tsOf(t *timestamppb.Timestamp) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.AsTime()
}

func people(ps []*eventsv1.Person) []domain.Invitee {
	out := make([]domain.Invitee, 0, len(ps))
	for _, p := range ps {
		out = append(out, domain.Invitee{Name: p.GetName(), Email: p.GetEmail(), Language: p.GetLanguage(), TimeZone: p.GetTimeZone(),
			RepresentativeID: p.GetRepresentativeId()})
	}
	return out
}

func agenda(items []*eventsv1.AgendaItem) []domain.AgendaItem {
	out := make([]domain.AgendaItem, 0, len(items))
	for _, it := range items {
		out = append(out, domain.AgendaItem{Title: domain.NormalizeSpace(it.GetTitle()), Description: it.GetDescription(), Minutes: int(it.GetMinutes())})
	}
	return out
}

func attendees(list []domain.Invitee) []*eventsv1.Attendee {
	out := make([]*eventsv1.Attendee, 0, len(list))
	for _, p := range list {
		at := &eventsv1.Attendee{Name: p.Name, Email: p.Email, Language: p.Language, TimeZone: p.TimeZone, BodyId: p.BodyID,
			Response: app.ResponseToProto(p.Response), RepresentativeId: p.RepresentativeID}
		if !p.RespondedAt.IsZero() {
			at.RespondedAt = timestamppb.New(p.RespondedAt)
		}
		out = append(out, at)
	}
	return out
}

func conflicts(cs []app.Conflict) []*eventsv1.Conflict {
	out := make([]*eventsv1.Conflict, 0, len(cs))
	for _, c := range cs {
		out = append(out, &eventsv1.Conflict{Email: c.Email, AssemblyId: c.Assembly.ID, Title: c.Assembly.Title,
			StartsAt: timestamppb.New(c.Assembly.StartsAt), EndsAt: timestamppb.New(c.Assembly.EndsAt)})
	}
	return out
}

func (s *Server) ScheduleAssembly(ctx context.Context, req *eventsv1.ScheduleAssemblyRequest) (*eventsv1.ScheduleAssemblyResponse, error) {
	as := domain.Assembly{
		Kind: app.KindFromProto(req.GetKind()), Title: req.GetTitle(), Description: req.GetDescription(),
		TimeZone: req.GetTimeZone(), HostCity: req.GetPlace().GetHostCity(), Venue: req.GetPlace().GetVenue(),
		OnlineURL: req.GetOnlineUrl(), Public: req.GetPublic(), Agenda: agenda(req.GetAgenda()),
		Capacity: int(req.GetCapacity()), RSVPDeadline: tsOf(req.GetRsvpDeadline()), BodyIDs: req.GetBodyIds(),
	}
	times := app.Times{StartsAt: tsOf(req.GetStartsAt()), EndsAt: tsOf(req.GetEndsAt()), LocalStart: req.GetLocalStart(), LocalEnd: req.GetLocalEnd()}
	created, cs, err := s.app.ScheduleAssembly(ctx, as, times, people(req.GetPeople()))
	if err != nil {
		return nil, toStatus(err)
	}
	return &eventsv1.ScheduleAssemblyResponse{Assembly: s.app.Proto(created), Conflicts: conflicts(cs)}, nil
}

func (s *Server) RescheduleAssembly(ctx context.Context, req *eventsv1.RescheduleAssemblyRequest) (*eventsv1.RescheduleAssemblyResponse, error) {
	times := app.Times{StartsAt: tsOf(req.GetStartsAt()), EndsAt: tsOf(req.GetEndsAt()), LocalStart: req.GetLocalStart(), LocalEnd: req.GetLocalEnd()}
	as, cs, err := s.app.RescheduleAssembly(ctx, req.GetAssemblyId(), times, req.GetTimeZone())
	if err != nil {
		return nil, toStatus(err)
	}
	return &eventsv1.RescheduleAssemblyResponse{Assembly: s.app.Proto(as), Conflicts: conflicts(cs)}, nil
}

func (s *Server) UpdateAssembly(ctx context.Context, req *eventsv1.UpdateAssemblyRequest) (*eventsv1.UpdateAssemblyResponse, error) {
	var c app.Changes
	if req.Title != nil {
		c.Title = req.Title
	}
	if req.Description != nil {
		c.Description = req.Description
	}
	if req.OnlineUrl != nil {
		c.OnlineURL = req.OnlineUrl
	}
	if p := req.GetPlace(); p != nil {
		city, venue := p.GetHostCity(), p.GetVenue()
		c.HostCity, c.Venue = &city, &venue
	}
	if req.GetReplaceAgenda() {
		items := agenda(req.GetAgenda())
		c.Agenda = &items
	}
	if req.Capacity != nil {
		n := int(req.GetCapacity())
		c.Capacity = &n
	}
	if req.GetRsvpDeadline() != nil {
		d := req.GetRsvpDeadline().AsTime()
		c.RSVPDeadline = &d
	}
	as, err := s.app.UpdateAssembly(ctx, req.GetAssemblyId(), c)
	if err != nil {
		return nil, toStatus(err)
	}
	return &eventsv1.UpdateAssemblyResponse{Assembly: s.app.Proto(as)}, nil
}

func (s *Server) CancelAssembly(ctx context.Context, req *eventsv1.CancelAssemblyRequest) (*eventsv1.CancelAssemblyResponse, error) {
	as, err := s.app.CancelAssembly(ctx, req.GetAssemblyId(), req.GetReason())
	if err != nil {
		return nil, toStatus(err)
	}
	return &eventsv1.CancelAssemblyResponse{Assembly: s.app.Proto(as)}, nil
}

func (s *Server) AddInvitees(ctx context.Context, req *eventsv1.AddInviteesRequest) (*eventsv1.AddInviteesResponse, error) {
	as, added, cs, err := s.app.AddInvitees(ctx, req.GetAssemblyId(), people(req.GetPeople()), req.GetBodyIds())
	if err != nil {
		return nil, toStatus(err)
	}
	return &eventsv1.AddInviteesResponse{Assembly: s.app.Proto(as), Added: attendees(added), Conflicts: conflicts(cs)}, nil
}

func (s *Server) RemoveInvitees(ctx context.Context, req *eventsv1.RemoveInviteesRequest) (*eventsv1.RemoveInviteesResponse, error) {
	as, removed, err := s.app.RemoveInvitees(ctx, req.GetAssemblyId(), req.GetEmails(), req.GetBodyIds())
	if err != nil {
		return nil, toStatus(err)
	}
	return &eventsv1.RemoveInviteesResponse{Assembly: s.app.Proto(as), Removed: attendees(removed)}, nil
}

func (s *Server) GetInviteeTimes(ctx context.Context, req *eventsv1.GetInviteeTimesRequest) (*eventsv1.GetInviteeTimesResponse, error) {
	planned, list, err := s.app.InviteeTimes(ctx, req.GetAssemblyId())
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &eventsv1.GetInviteeTimesResponse{Planned: app.SpanToProto("", "", planned)}
	for _, p := range list {
		resp.Invitees = append(resp.Invitees, app.SpanToProto(p.Invitee.Name, p.Invitee.Email, p.Span))
	}
	return resp, nil
}

func (s *Server) CheckConflicts(ctx context.Context, req *eventsv1.CheckConflictsRequest) (*eventsv1.CheckConflictsResponse, error) {
	cs, err := s.app.CheckConflicts(ctx, req.GetStartsAt().AsTime(), req.GetEndsAt().AsTime(), req.GetEmails(), req.GetBodyIds(), req.GetExcludeAssemblyId())
	if err != nil {
		return nil, toStatus(err)
	}
	return &eventsv1.CheckConflictsResponse{Conflicts: conflicts(cs)}, nil
}

func (s *Server) SuggestSlots(ctx context.Context, req *eventsv1.SuggestSlotsRequest) (*eventsv1.SuggestSlotsResponse, error) {
	r := app.SlotRequest{
		People: people(req.GetPeople()), BodyIDs: req.GetBodyIds(), Duration: req.GetDuration().AsDuration(),
		WindowStart: req.GetWindowStart().AsTime(), WindowEnd: req.GetWindowEnd().AsTime(), Limit: int(req.GetMaxResults()),
	}
	if req.GetStep() != nil {
		r.Step = req.GetStep().AsDuration()
	}
	if r.Duration <= 0 {
		return nil, grpcserver.FieldViolations(&errdetails.BadRequest_FieldViolation{
			Field: "duration", Description: "a duration is required", Reason: "duration.required"}).Err()
	}
	slots, n, err := s.app.SuggestSlots(ctx, r)
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &eventsv1.SuggestSlotsResponse{}
	for _, sl := range slots {
		resp.Slots = append(resp.Slots, &eventsv1.Slot{StartsAt: timestamppb.New(sl.Start), EndsAt: timestamppb.New(sl.End),
			InWorkingHours: int32(sl.In), Invitees: int32(n), Outside: sl.Outside})
	}
	return resp, nil
}

func (s *Server) RespondToInvitation(ctx context.Context, req *eventsv1.RespondToInvitationRequest) (*eventsv1.RespondToInvitationResponse, error) {
	r := app.ResponseFromProto(req.GetResponse())
	as, err := s.app.RespondToInvitation(ctx, req.GetAssemblyId(), req.GetToken(), r)
	if err != nil {
		return nil, toStatus(err)
	}
	return &eventsv1.RespondToInvitationResponse{AssemblyTitle: as.Title, Response: app.ResponseToProto(r)}, nil
}

func (s *Server) GetAttendance(ctx context.Context, req *eventsv1.GetAttendanceRequest) (*eventsv1.GetAttendanceResponse, error) {
	as, bodies, err := s.app.Attendance(ctx, req.GetAssemblyId())
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &eventsv1.GetAttendanceResponse{Attendees: attendees(as.Invitees)}
	for _, p := range as.Invitees {
		switch p.Response {
		case domain.ResponseAccepted:
			resp.Accepted++
		case domain.ResponseDeclined:
			resp.Declined++
		case domain.ResponseTentative:
			resp.Tentative++
		default:
			resp.NoAnswer++
		}
	}
	for _, b := range bodies {
		resp.Bodies = append(resp.Bodies, &eventsv1.BodyAttendance{BodyId: b.BodyID, Invited: int32(b.Invited), Accepted: int32(b.Accepted),
			Tentative: int32(b.Tentative), Declined: int32(b.Declined), Quorum: int32(b.Quorum), QuorumExpected: b.QuorumExpected})
	}
	return resp, nil
}

func (s *Server) PublishMinutes(ctx context.Context, req *eventsv1.PublishMinutesRequest) (*eventsv1.PublishMinutesResponse, error) {
	as, err := s.app.PublishMinutes(ctx, req.GetAssemblyId(), req.GetText(), req.GetOutcomes())
	if err != nil {
		return nil, toStatus(err)
	}
	return &eventsv1.PublishMinutesResponse{Assembly: s.app.Proto(as)}, nil
}

func (s *Server) GetPublicCalendar(ctx context.Context, _ *eventsv1.GetPublicCalendarRequest) (*eventsv1.GetPublicCalendarResponse, error) {
	text, err := s.app.PublicCalendar(ctx)
	if err != nil {
		return nil, toStatus(err)
	}
	return &eventsv1.GetPublicCalendarResponse{Ics: text}, nil
}

func (s *Server) GetPersonalCalendar(ctx context.Context, req *eventsv1.GetPersonalCalendarRequest) (*eventsv1.GetPersonalCalendarResponse, error) {
	text, err := s.app.PersonalCalendar(ctx, req.GetFeedToken())
	if err != nil {
		return nil, toStatus(err)
	}
	return &eventsv1.GetPersonalCalendarResponse{Ics: text}, nil
}

func (s *Server) IssueFeedToken(ctx context.Context, req *eventsv1.IssueFeedTokenRequest) (*eventsv1.IssueFeedTokenResponse, error) {
	u, err := s.app.IssueFeedToken(ctx, req.GetEmail())
	if err != nil {
		return nil, toStatus(err)
	}
	return &eventsv1.IssueFeedTokenResponse{FeedUrl: u}, nil
}

func (s *Server) GetAssembly(ctx context.Context, req *eventsv1.GetAssemblyRequest) (*eventsv1.GetAssemblyResponse, error) {
	as, err := s.app.Assembly(ctx, req.GetAssemblyId(), isCoordinator(ctx))
	if err != nil {
		return nil, toStatus(err)
	}
	return &eventsv1.GetAssemblyResponse{Assembly: s.app.Proto(as)}, nil
}

func (s *Server) ListAssemblies(ctx context.Context, req *eventsv1.ListAssembliesRequest) (*eventsv1.ListAssembliesResponse, error) {
	list, next, err := s.app.Assemblies(ctx, int(req.GetPageSize()), req.GetPageToken())
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &eventsv1.ListAssembliesResponse{NextPageToken: next}
	for _, as := range list {
		resp.Assemblies = append(resp.Assemblies, s.app.Proto(as))
	}
	return resp, nil
}

// isCoordinator reports whether the call carried a verified coordinator token.
func isCoordinator(ctx context.Context) bool {
	c, ok := auth.FromContext(ctx)
	return ok && c != nil && c.Role == optionsv1.Role_ROLE_COORDINATOR
}

// toStatus maps domain errors; anything else passes to the server's error
// interceptor (Unavailable for store outages, Internal otherwise).
func toStatus(err error) error {
	var fe *domain.FieldError
	switch {
	case errors.As(err, &fe):
		return grpcserver.FieldViolations(&errdetails.BadRequest_FieldViolation{
			Field: fe.Field, Description: fe.Description, Reason: fe.Reason,
		}).Err()
	case errors.Is(err, domain.ErrAssemblyNotFound):
		return status.Error(codes.NotFound, "assembly not found")
	case errors.Is(err, domain.ErrInvitationNotFound):
		return status.Error(codes.NotFound, "invitation not found")
	case errors.Is(err, domain.ErrFeedNotFound):
		return status.Error(codes.NotFound, "feed not found")
	case errors.Is(err, domain.ErrInvitationClosed):
		return status.Error(codes.FailedPrecondition, "this invitation no longer takes answers (the RSVP deadline passed or the assembly is over)")
	case errors.Is(err, domain.ErrFull):
		return status.Error(codes.FailedPrecondition, "all places are taken")
	case errors.Is(err, domain.ErrCancelled):
		return status.Error(codes.FailedPrecondition, "the assembly is cancelled")
	case errors.Is(err, domain.ErrEnded):
		return status.Error(codes.FailedPrecondition, "the assembly has ended: its invitees no longer change")
	case errors.Is(err, domain.ErrNotEnded):
		return status.Error(codes.FailedPrecondition, "minutes can be published once the assembly has ended")
	case errors.Is(err, domain.ErrMembershipDown):
		return status.Error(codes.Unavailable, "membership service unavailable: bodies cannot be resolved into people")
	case errors.Is(err, domain.ErrBodyNotFound):
		return grpcserver.FieldViolations(&errdetails.BadRequest_FieldViolation{
			Field: "body_ids", Description: "no such body", Reason: "body_ids.unknown",
		}).Err()
	case errors.Is(err, app.ErrBadPageToken):
		return grpcserver.FieldViolations(&errdetails.BadRequest_FieldViolation{
			Field: "page_token", Description: "not a page token from a previous response", Reason: "page_token.invalid",
		}).Err()
	default:
		return err
	}
}
