package grpcapi

import (
	"context"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/membership/internal/app"
	"github.com/cc4dr/coalition/services/membership/internal/domain"
)

func (s *Server) changeStatus(ctx context.Context, id string, action domain.MemberAction, reason string) (*membershipv1.Member, error) {
	m, err := s.app.ChangeMemberStatus(ctx, id, action, reason)
	if err != nil {
		return nil, toStatus(err)
	}
	return app.ToProto(m), nil
}

func (s *Server) SuspendMember(ctx context.Context, req *membershipv1.SuspendMemberRequest) (*membershipv1.SuspendMemberResponse, error) {
	m, err := s.changeStatus(ctx, req.GetMemberId(), domain.ActionSuspend, req.GetReason())
	if err != nil {
		return nil, err
	}
	return &membershipv1.SuspendMemberResponse{Member: m}, nil
}

func (s *Server) WithdrawMember(ctx context.Context, req *membershipv1.WithdrawMemberRequest) (*membershipv1.WithdrawMemberResponse, error) {
	m, err := s.changeStatus(ctx, req.GetMemberId(), domain.ActionWithdraw, req.GetReason())
	if err != nil {
		return nil, err
	}
	return &membershipv1.WithdrawMemberResponse{Member: m}, nil
}

func (s *Server) ReadmitMember(ctx context.Context, req *membershipv1.ReadmitMemberRequest) (*membershipv1.ReadmitMemberResponse, error) {
	m, err := s.changeStatus(ctx, req.GetMemberId(), domain.ActionReadmit, req.GetReason())
	if err != nil {
		return nil, err
	}
	return &membershipv1.ReadmitMemberResponse{Member: m}, nil
}
