package grpcapi

import (
	"context"

	"google.golang.org/protobuf/types/known/timestamppb"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
)

// ListPublicSigners answers names and confirmation times only: the
// signature id the list is kept by stays inside.
func (s *Server) ListPublicSigners(ctx context.Context, req *petitionv1.ListPublicSignersRequest) (*petitionv1.ListPublicSignersResponse, error) {
	names, err := s.app.PublicSigners(ctx, req.GetPetitionId(), int(req.GetPageSize()))
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &petitionv1.ListPublicSignersResponse{}
	for _, n := range names {
		resp.Signers = append(resp.Signers, &petitionv1.PublicSigner{Name: n.Name, ConfirmedAt: timestamppb.New(n.ConfirmedAt)})
	}
	return resp, nil
}
