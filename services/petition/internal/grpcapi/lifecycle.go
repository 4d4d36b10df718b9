package grpcapi

import (
	"context"
	"errors"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/petition/internal/app"
	"github.com/cc4dr/coalition/services/petition/internal/domain"
)

func (s *Server) ProposePetition(ctx context.Context, req *petitionv1.ProposePetitionRequest) (*petitionv1.ProposePetitionResponse, error) {
	if err := s.limit(ctx, req.GetProposerEmail()); err != nil {
		return nil, err
	}
	p, err := s.app.ProposePetition(ctx, app.ProposeRequest{
		City: req.GetCity(), Country: req.GetCountry(), Region: req.GetRegion(), Title: req.GetTitle(), Text: req.GetText(),
		Language: req.GetLanguage(), Proposer: domain.Proposer{Name: req.GetProposerName(), Email: req.GetProposerEmail()},
	})
	if err != nil {
		return nil, lifecycleStatus(err)
	}
	return &petitionv1.ProposePetitionResponse{ProposalId: p.ID}, nil
}

func (s *Server) ListProposals(ctx context.Context, req *petitionv1.ListProposalsRequest) (*petitionv1.ListProposalsResponse, error) {
	list, err := s.app.Proposals(ctx, int(req.GetPageSize()))
	if err != nil {
		return nil, lifecycleStatus(err)
	}
	resp := &petitionv1.ListProposalsResponse{}
	for _, p := range list {
		resp.Proposals = append(resp.Proposals, toProposal(p))
	}
	return resp, nil
}

func (s *Server) EditProposal(ctx context.Context, req *petitionv1.EditProposalRequest) (*petitionv1.EditProposalResponse, error) {
	var texts []domain.Text
	for _, t := range req.GetTexts() {
		texts = append(texts, domain.Text{Language: t.GetLanguage(), Title: t.GetTitle(), Body: t.GetBody()})
	}
	p, err := s.app.EditProposal(ctx, req.GetProposalId(), texts, req.GetRegion())
	if err != nil {
		return nil, lifecycleStatus(err)
	}
	return &petitionv1.EditProposalResponse{Proposal: toProposal(p)}, nil
}

func (s *Server) PublishProposal(ctx context.Context, req *petitionv1.PublishProposalRequest) (*petitionv1.PublishProposalResponse, error) {
	var closes time.Time
	if req.GetClosesAt() != nil {
		closes = req.GetClosesAt().AsTime()
	}
	p, err := s.app.PublishProposal(ctx, req.GetProposalId(), int64(req.GetGoal()), closes)
	if err != nil {
		return nil, lifecycleStatus(err)
	}
	return &petitionv1.PublishProposalResponse{Petition: app.ToProto(p)}, nil
}

func (s *Server) RejectProposal(ctx context.Context, req *petitionv1.RejectProposalRequest) (*petitionv1.RejectProposalResponse, error) {
	p, err := s.app.RejectProposal(ctx, req.GetProposalId(), req.GetReason())
	if err != nil {
		return nil, lifecycleStatus(err)
	}
	return &petitionv1.RejectProposalResponse{Proposal: toProposal(p)}, nil
}

func (s *Server) WithdrawSignature(ctx context.Context, req *petitionv1.WithdrawSignatureRequest) (*petitionv1.WithdrawSignatureResponse, error) {
	if err := s.limit(ctx, ""); err != nil {
		return nil, err
	}
	if err := s.app.Withdraw(ctx, req.GetToken()); err != nil {
		if errors.Is(err, domain.ErrTokenUnknown) {
			return nil, status.Error(codes.NotFound, "this withdrawal link is not valid")
		}
		return nil, lifecycleStatus(err)
	}
	return &petitionv1.WithdrawSignatureResponse{}, nil
}

func toProposal(p domain.Petition) *petitionv1.Proposal {
	return &petitionv1.Proposal{Petition: app.ToProto(p), ProposerName: p.Proposer.Name, ProposerEmail: p.Proposer.Email}
}

// lifecycleStatus maps the lifecycle's errors, then the common ones.
func lifecycleStatus(err error) error {
	switch {
	case errors.Is(err, domain.ErrCityAlreadyMember):
		return status.Error(codes.FailedPrecondition, "this city is already a member of the coalition: no petition is needed")
	case errors.Is(err, domain.ErrPetitionExists):
		return status.Error(codes.AlreadyExists, "a petition for this city already exists")
	case errors.Is(err, domain.ErrMembershipDown):
		return status.Error(codes.Unavailable, "the membership register cannot be reached to check the city; try again shortly")
	case errors.Is(err, domain.ErrProposalNotFound):
		return status.Error(codes.NotFound, "proposal not found")
	case errors.Is(err, domain.ErrProposalNotPending):
		return status.Error(codes.FailedPrecondition, "this proposal was already published or rejected")
	default:
		return toStatus(err)
	}
}
