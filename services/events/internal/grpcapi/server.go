// Package grpcapi is the events service's gRPC transport: it maps requests
// to use cases (package app) and domain errors to gRPC statuses, nothing more.
package grpcapi

import (
	"context"
	"errors"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

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

func (s *Server) ScheduleAssembly(ctx context.Context, req *eventsv1.ScheduleAssemblyRequest) (*eventsv1.ScheduleAssemblyResponse, error) {
	as := domain.Assembly{
		Kind: app.KindFromProto(req.GetKind()), Title: req.GetTitle(), Description: req.GetDescription(),
		TimeZone: req.GetTimeZone(), HostCity: req.GetPlace().GetHostCity(), Venue: req.GetPlace().GetVenue(),
		OnlineURL: req.GetOnlineUrl(), Public: req.GetPublic(),
	}
	if req.GetStartsAt() != nil {
		as.StartsAt = req.GetStartsAt().AsTime()
	}
	if req.GetEndsAt() != nil {
		as.EndsAt = req.GetEndsAt().AsTime()
	}
	created, err := s.app.ScheduleAssembly(ctx, as)
	if err != nil {
		return nil, toStatus(err)
	}
	return &eventsv1.ScheduleAssemblyResponse{Assembly: app.ToProto(created)}, nil
}

func (s *Server) GetAssembly(ctx context.Context, req *eventsv1.GetAssemblyRequest) (*eventsv1.GetAssemblyResponse, error) {
	as, err := s.app.Assembly(ctx, req.GetAssemblyId(), isCoordinator(ctx))
	if err != nil {
		return nil, toStatus(err)
	}
	return &eventsv1.GetAssemblyResponse{Assembly: app.ToProto(as)}, nil
}

func (s *Server) ListAssemblies(ctx context.Context, req *eventsv1.ListAssembliesRequest) (*eventsv1.ListAssembliesResponse, error) {
	list, next, err := s.app.Assemblies(ctx, int(req.GetPageSize()), req.GetPageToken())
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &eventsv1.ListAssembliesResponse{NextPageToken: next}
	for _, as := range list {
		resp.Assemblies = append(resp.Assemblies, app.ToProto(as))
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
	case errors.Is(err, app.ErrBadPageToken):
		return grpcserver.FieldViolations(&errdetails.BadRequest_FieldViolation{
			Field: "page_token", Description: "not a page token from a previous response", Reason: "page_token.invalid",
		}).Err()
	default:
		return err
	}
}
