package grpcapi

import (
	"context"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/events/internal/app"
	"github.com/cc4dr/coalition/services/events/internal/domain"
	"github.com/cc4dr/coalition/services/kit/auth"
)

// A representative's own invitations: the caller is who the token says.

// representative is the calling representative's id: the token's subject.
// The access check lets coordinators call representative methods too, but
// they have no invitations of their own.
func representative(ctx context.Context) (string, error) {
	c, ok := auth.FromContext(ctx)
	if !ok || c == nil || c.Role != optionsv1.Role_ROLE_REPRESENTATIVE {
		return "", status.Error(codes.PermissionDenied, "only a representative has invitations of their own")
	}
	if uuid.Validate(c.Subject) != nil {
		return "", status.Error(codes.PermissionDenied, "the token's subject is not a representative id")
	}
	return c.Subject, nil
}

func (s *Server) ListMyInvitations(ctx context.Context, req *eventsv1.ListMyInvitationsRequest) (*eventsv1.ListMyInvitationsResponse, error) {
	repID, err := representative(ctx)
	if err != nil {
		return nil, err
	}
	list, next, err := s.app.MyInvitations(ctx, repID, int(req.GetPageSize()), req.GetPageToken())
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &eventsv1.ListMyInvitationsResponse{NextPageToken: next}
	for _, inv := range list {
		resp.Invitations = append(resp.Invitations, s.myInvitation(inv))
	}
	return resp, nil
}

func (s *Server) RespondAsInvitee(ctx context.Context, req *eventsv1.RespondAsInviteeRequest) (*eventsv1.RespondAsInviteeResponse, error) {
	repID, err := representative(ctx)
	if err != nil {
		return nil, err
	}
	inv, err := s.app.RespondAsInvitee(ctx, repID, req.GetAssemblyId(), app.ResponseFromProto(req.GetResponse()))
	if err != nil {
		return nil, toStatus(err)
	}
	return &eventsv1.RespondAsInviteeResponse{Invitation: s.myInvitation(inv)}, nil
}

func (s *Server) myInvitation(inv app.Invitation) *eventsv1.MyInvitation {
	p := inv.Invitee
	out := &eventsv1.MyInvitation{
		Assembly: s.app.Proto(inv.Assembly), Response: app.ResponseToProto(p.Response), BodyId: p.BodyID,
		Times:        app.SpanToProto(p.Name, p.Email, domain.SpanIn(inv.Assembly.StartsAt, inv.Assembly.EndsAt, p.TimeZone)),
		TakesAnswers: inv.TakesAnswers,
	}
	if !p.RespondedAt.IsZero() {
		out.RespondedAt = timestamppb.New(p.RespondedAt)
	}
	return out
}

// SearchAssemblies lists every assembly for coordinators (the contract
// declares the method coordinator-only, so the interceptor has checked).
func (s *Server) SearchAssemblies(ctx context.Context, req *eventsv1.SearchAssembliesRequest) (*eventsv1.SearchAssembliesResponse, error) {
	q := app.Search{Period: periods[req.GetPeriod()], Kind: app.KindFromProto(req.GetKind()), PageSize: int(req.GetPageSize()),
		PageToken: req.GetPageToken()}
	switch req.GetStatus() {
	case eventsv1.AssemblyStatus_ASSEMBLY_STATUS_SCHEDULED:
		q.Status = domain.StatusScheduled
	case eventsv1.AssemblyStatus_ASSEMBLY_STATUS_CANCELLED:
		q.Status = domain.StatusCancelled
	}
	list, next, err := s.app.SearchAssemblies(ctx, q)
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &eventsv1.SearchAssembliesResponse{NextPageToken: next}
	for _, as := range list {
		resp.Assemblies = append(resp.Assemblies, s.app.Proto(as))
	}
	return resp, nil
}

var periods = map[eventsv1.Period]app.Period{
	eventsv1.Period_PERIOD_UNSPECIFIED: app.PeriodUpcoming,
	eventsv1.Period_PERIOD_UPCOMING:    app.PeriodUpcoming,
	eventsv1.Period_PERIOD_PAST:        app.PeriodPast,
	eventsv1.Period_PERIOD_ALL:         app.PeriodAll,
}
