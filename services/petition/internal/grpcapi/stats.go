package grpcapi

import (
	"context"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
)

func (s *Server) GetPetitionStats(ctx context.Context, req *petitionv1.GetPetitionStatsRequest) (*petitionv1.GetPetitionStatsResponse, error) {
	count, days, err := s.app.Stats(ctx, req.GetPetitionId())
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &petitionv1.GetPetitionStatsResponse{PetitionId: req.GetPetitionId(), ConfirmedCount: int32(count)}
	for _, d := range days {
		resp.Days = append(resp.Days, &petitionv1.DailyConfirmations{Day: d.Day, Confirmed: int32(d.N)})
	}
	return resp, nil
}
