// Package grpcapi is the petition service's gRPC transport: it maps requests
// to use cases (package app) and domain errors to gRPC statuses, nothing more.
package grpcapi

import (
	"context"
	"errors"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/grpcserver"
	"github.com/cc4dr/coalition/services/petition/internal/app"
	"github.com/cc4dr/coalition/services/petition/internal/domain"
)

// Server implements petitionv1.PetitionServiceServer.
type Server struct {
	petitionv1.UnimplementedPetitionServiceServer
	app *app.App
	// limits bound public writes per address and email (limits.go).
	limits Limits
}

// New returns the transport for a.
func New(a *app.App) *Server { return &Server{app: a} }

func (s *Server) CreatePetition(ctx context.Context, req *petitionv1.CreatePetitionRequest) (*petitionv1.CreatePetitionResponse, error) {
	p := domain.Petition{City: req.GetCity(), Country: req.GetCountry(), Region: req.GetRegion(), Goal: int64(req.GetGoal())}
	for _, t := range req.GetTexts() {
		p.Texts = append(p.Texts, domain.Text{Language: t.GetLanguage(), Title: t.GetTitle(), Body: t.GetBody()})
	}
	if req.GetClosesAt() != nil {
		p.ClosesAt = req.GetClosesAt().AsTime()
	}
	created, err := s.app.CreatePetition(ctx, p)
	if err != nil {
		return nil, lifecycleStatus(err)
	}
	return &petitionv1.CreatePetitionResponse{Petition: app.ToProto(created)}, nil
}

func (s *Server) GetPetition(ctx context.Context, req *petitionv1.GetPetitionRequest) (*petitionv1.GetPetitionResponse, error) {
	p, err := s.app.Petition(ctx, req.GetPetitionId())
	if err != nil {
		return nil, toStatus(err)
	}
	return &petitionv1.GetPetitionResponse{Petition: app.ToProto(p)}, nil
}

func (s *Server) ListPetitions(ctx context.Context, req *petitionv1.ListPetitionsRequest) (*petitionv1.ListPetitionsResponse, error) {
	list, next, err := s.app.Petitions(ctx, int(req.GetPageSize()), req.GetPageToken())
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &petitionv1.ListPetitionsResponse{NextPageToken: next}
	for _, p := range list {
		resp.Petitions = append(resp.Petitions, app.ToProto(p))
	}
	return resp, nil
}

func (s *Server) SignPetition(ctx context.Context, req *petitionv1.SignPetitionRequest) (*petitionv1.SignPetitionResponse, error) {
	if err := s.limit(ctx, req.GetEmail()); err != nil { // limits.go
		return nil, err
	}
	err := s.app.Sign(ctx, app.SignRequest{
		IPHash:     s.ipHash(clientIP(ctx)),
		PetitionID: req.GetPetitionId(), Name: req.GetName(), ShowName: req.GetShowName(), Email: req.GetEmail(),
		LivesOrWorksInCity: req.GetLivesOrWorksInCity(), NotifyOutcome: req.GetNotifyOutcome(), Language: req.GetLanguage(),
	})
	if err != nil {
		return nil, toStatus(err)
	}
	return &petitionv1.SignPetitionResponse{}, nil
}

func (s *Server) ConfirmSignature(ctx context.Context, req *petitionv1.ConfirmSignatureRequest) (*petitionv1.ConfirmSignatureResponse, error) {
	p, err := s.app.Confirm(ctx, req.GetToken())
	if err != nil {
		return nil, toStatus(err)
	}
	return &petitionv1.ConfirmSignatureResponse{Petition: app.ToProto(p)}, nil
}

// toStatus maps domain errors; anything else passes to the server's error
// interceptor (Unavailable for store outages, Internal otherwise).
func toStatus(err error) error {
	switch {
	case errors.Is(err, domain.ErrPetitionNotFound):
		return status.Error(codes.NotFound, "petition not found")
	case errors.Is(err, domain.ErrPetitionNotOpen):
		return status.Error(codes.FailedPrecondition, "this petition no longer takes signatures")
	case errors.Is(err, domain.ErrTokenUnknown):
		return status.Error(codes.NotFound, "this confirmation link is not valid")
	case errors.Is(err, domain.ErrTokenExpired):
		return status.Error(codes.FailedPrecondition, "this confirmation link has expired; sign again to receive a new one")
	case errors.Is(err, app.ErrBadPageToken):
		return grpcserver.FieldViolations(&errdetails.BadRequest_FieldViolation{
			Field: "page_token", Description: "not a page token from a previous response", Reason: "page_token.invalid",
		}).Err()
	default:
		return err
	}
}
