package grpcapi

import (
	"context"
	"errors"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/petition/internal/domain"
)

func (s *Server) RequestErasure(ctx context.Context, req *petitionv1.RequestErasureRequest) (*petitionv1.RequestErasureResponse, error) {
	if err := s.limit(ctx, req.GetEmail()); err != nil {
		return nil, err
	}
	if err := s.app.RequestErasure(ctx, req.GetEmail(), req.GetLanguage()); err != nil {
		return nil, lifecycleStatus(err)
	}
	return &petitionv1.RequestErasureResponse{}, nil
}

func (s *Server) ConfirmErasure(ctx context.Context, req *petitionv1.ConfirmErasureRequest) (*petitionv1.ConfirmErasureResponse, error) {
	if err := s.limit(ctx, ""); err != nil {
		return nil, err
	}
	if err := s.app.ConfirmErasure(ctx, req.GetToken()); err != nil {
		switch {
		case errors.Is(err, domain.ErrTokenUnknown):
			return nil, status.Error(codes.NotFound, "this erasure link is not valid")
		case errors.Is(err, domain.ErrTokenExpired):
			return nil, status.Error(codes.FailedPrecondition, "this erasure link has expired; ask again to receive a new one")
		}
		return nil, lifecycleStatus(err)
	}
	return &petitionv1.ConfirmErasureResponse{}, nil
}

func (s *Server) ListSuspiciousBursts(ctx context.Context, req *petitionv1.ListSuspiciousBurstsRequest) (*petitionv1.ListSuspiciousBurstsResponse, error) {
	window := time.Hour
	if w := req.GetWindow().AsDuration(); req.GetWindow() != nil && w > 0 {
		window = w
	}
	threshold := int64(20)
	if req.GetThreshold() > 0 {
		threshold = int64(req.GetThreshold())
	}
	byIP, byDomain, err := s.app.Bursts(ctx, window, threshold)
	if err != nil {
		return nil, lifecycleStatus(err)
	}
	resp := &petitionv1.ListSuspiciousBurstsResponse{}
	for _, src := range []struct {
		kind petitionv1.BurstSource
		list []domain.Burst
	}{{petitionv1.BurstSource_BURST_SOURCE_IP, byIP}, {petitionv1.BurstSource_BURST_SOURCE_EMAIL_DOMAIN, byDomain}} {
		for _, b := range src.list {
			resp.Bursts = append(resp.Bursts, &petitionv1.SuspiciousBurst{
				Source: src.kind, Key: b.Key, Signatures: int32(b.Signatures), Petitions: int32(b.Petitions),
				FirstAt: timestamppb.New(b.FirstAt), LastAt: timestamppb.New(b.LastAt),
			})
		}
	}
	sortBursts(resp.Bursts)
	return resp, nil
}

func sortBursts(b []*petitionv1.SuspiciousBurst) {
	for i := 1; i < len(b); i++ {
		for j := i; j > 0 && b[j].GetSignatures() > b[j-1].GetSignatures(); j-- {
			b[j], b[j-1] = b[j-1], b[j]
		}
	}
}
