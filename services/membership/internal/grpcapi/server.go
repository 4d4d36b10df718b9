// Package grpcapi is the membership service's gRPC transport: it maps
// requests to use cases (package app) and domain errors to gRPC statuses,
// nothing more.
package grpcapi

import (
	"context"
	"errors"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/kit/grpcserver"
	"github.com/cc4dr/coalition/services/membership/internal/app"
	"github.com/cc4dr/coalition/services/membership/internal/domain"
	"github.com/cc4dr/coalition/services/membership/internal/store"
)

// Server implements membershipv1.MembershipServiceServer.
type Server struct {
	membershipv1.UnimplementedMembershipServiceServer
	app *app.App
}

// New returns the transport for a.
func New(a *app.App) *Server { return &Server{app: a} }

func (s *Server) CreateMember(ctx context.Context, req *membershipv1.CreateMemberRequest) (*membershipv1.CreateMemberResponse, error) {
	m := domain.Member{
		Name: req.GetName(), Kind: app.KindFromProto(req.GetKind()), Country: req.GetCountry(), Region: req.GetRegion(),
		Population: int64(req.GetPopulation()), Status: app.StatusFromProto(req.GetStatus()), Commitment: req.GetCommitment(),
		Principles: app.PrinciplesFromProto(req.GetPrinciples()),
	}
	if req.GetJoinedAt() != nil {
		m.JoinedAt = req.GetJoinedAt().AsTime()
	}
	created, err := s.app.CreateMember(ctx, m)
	if err != nil {
		return nil, toStatus(err)
	}
	return &membershipv1.CreateMemberResponse{Member: app.ToProto(created)}, nil
}

func (s *Server) GetMember(ctx context.Context, req *membershipv1.GetMemberRequest) (*membershipv1.GetMemberResponse, error) {
	m, err := s.app.Member(ctx, req.GetMemberId())
	if err != nil {
		return nil, toStatus(err)
	}
	return &membershipv1.GetMemberResponse{Member: app.ToProto(m), History: app.HistoryFor(ctx, m.History)}, nil
}

func (s *Server) UpdateMember(ctx context.Context, req *membershipv1.UpdateMemberRequest) (*membershipv1.UpdateMemberResponse, error) {
	m, err := s.app.UpdateMember(ctx, req.GetMemberId(), domain.MemberFacts{
		Name: req.GetName(), Country: req.GetCountry(), Region: req.GetRegion(), Population: int64(req.GetPopulation()),
		Commitment: req.GetCommitment(), Principles: app.PrinciplesFromProto(req.GetPrinciples()),
	})
	if err != nil {
		return nil, toStatus(err)
	}
	return &membershipv1.UpdateMemberResponse{Member: app.ToProto(m)}, nil
}

func (s *Server) ListMembers(ctx context.Context, req *membershipv1.ListMembersRequest) (*membershipv1.ListMembersResponse, error) {
	f := store.MemberFilter{
		Country: req.GetCountry(), Region: domain.NormalizeSpace(req.GetRegion()),
		Kind: app.KindFromProto(req.GetKind()), Status: app.StatusFromProto(req.GetStatus()),
		Principle: app.PrincipleFromProto(req.GetPrinciple()),
	}
	list, next, err := s.app.Members(ctx, f, int(req.GetPageSize()), req.GetPageToken())
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &membershipv1.ListMembersResponse{NextPageToken: next}
	for _, m := range list {
		resp.Members = append(resp.Members, app.ToProto(m))
	}
	return resp, nil
}

func (s *Server) LookupCity(ctx context.Context, req *membershipv1.LookupCityRequest) (*membershipv1.LookupCityResponse, error) {
	m, found, err := s.app.LookupCity(ctx, req.GetCity(), req.GetCountry())
	if err != nil {
		return nil, toStatus(err)
	}
	if !found {
		return &membershipv1.LookupCityResponse{}, nil
	}
	return &membershipv1.LookupCityResponse{Member: app.ToProto(m)}, nil
}

// toStatus maps domain errors; anything else passes to the server's error
// interceptor (Unavailable for store outages, Internal otherwise).
func toStatus(err error) error {
	var fe *domain.FieldError
	var te *domain.TransitionError
	switch {
	case errors.As(err, &te):
		return status.Error(codes.FailedPrecondition, te.Msg)
	case errors.Is(err, domain.ErrApplicationNotFound):
		return status.Error(codes.NotFound, "application not found")
	case errors.Is(err, domain.ErrApplicantToken):
		return status.Error(codes.PermissionDenied, "the applicant token does not match this application")
	case errors.Is(err, domain.ErrConcurrentChange):
		return status.Error(codes.Aborted, "changed by someone else meanwhile; reload and try again")
	case errors.Is(err, domain.ErrRepresentativeNotFound):
		return status.Error(codes.NotFound, "representative not found")
	case errors.Is(err, domain.ErrDuplicateRepresentative):
		return status.Error(codes.AlreadyExists, "this member already has a representative with this email address")
	case errors.Is(err, domain.ErrNotYourMember):
		return status.Error(codes.PermissionDenied, "a representative may act only for their own member")
	case errors.Is(err, domain.ErrBodyNotFound):
		return status.Error(codes.NotFound, "body not found")
	case errors.Is(err, domain.ErrDuplicateBody):
		return status.Error(codes.AlreadyExists, "a body with this slug already exists")
	case errors.As(err, &fe):
		return grpcserver.FieldViolations(&errdetails.BadRequest_FieldViolation{
			Field: fe.Field, Description: fe.Description, Reason: fe.Reason,
		}).Err()
	case errors.Is(err, domain.ErrMemberNotFound):
		return status.Error(codes.NotFound, "member not found")
	case errors.Is(err, domain.ErrDuplicateMember):
		return status.Error(codes.AlreadyExists, "a member with this name and country is already on the register")
	case errors.Is(err, app.ErrBadPageToken):
		return grpcserver.FieldViolations(&errdetails.BadRequest_FieldViolation{
			Field: "page_token", Description: "not a page token from a previous response", Reason: "page_token.invalid",
		}).Err()
	default:
		return err
	}
}
