package grpcapi

import (
	"context"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/membership/internal/app"
)

func (s *Server) AddRepresentative(ctx context.Context, req *membershipv1.AddRepresentativeRequest) (*membershipv1.AddRepresentativeResponse, error) {
	r, err := s.app.AddRepresentative(ctx, req.GetMemberId(), app.RepresentativeFromProto(req.GetRepresentative()))
	if err != nil {
		return nil, toStatus(err)
	}
	return &membershipv1.AddRepresentativeResponse{Representative: app.RepresentativeToProto(r)}, nil
}

func (s *Server) ListRepresentatives(ctx context.Context, req *membershipv1.ListRepresentativesRequest) (*membershipv1.ListRepresentativesResponse, error) {
	list, err := s.app.Representatives(ctx, req.GetMemberId())
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &membershipv1.ListRepresentativesResponse{}
	for _, r := range list {
		resp.Representatives = append(resp.Representatives, app.RepresentativeToProto(r))
	}
	return resp, nil
}

func (s *Server) UpdateRepresentative(ctx context.Context, req *membershipv1.UpdateRepresentativeRequest) (*membershipv1.UpdateRepresentativeResponse, error) {
	r, err := s.app.UpdateRepresentative(ctx, req.GetMemberId(), req.GetRepresentativeId(), app.RepresentativeFromProto(req.GetRepresentative()))
	if err != nil {
		return nil, toStatus(err)
	}
	return &membershipv1.UpdateRepresentativeResponse{Representative: app.RepresentativeToProto(r)}, nil
}

func (s *Server) RemoveRepresentative(ctx context.Context, req *membershipv1.RemoveRepresentativeRequest) (*membershipv1.RemoveRepresentativeResponse, error) {
	if err := s.app.RemoveRepresentative(ctx, req.GetMemberId(), req.GetRepresentativeId()); err != nil {
		return nil, toStatus(err)
	}
	return &membershipv1.RemoveRepresentativeResponse{}, nil
}

func (s *Server) GetMyData(ctx context.Context, _ *membershipv1.GetMyDataRequest) (*membershipv1.GetMyDataResponse, error) {
	r, bodies, err := s.app.MyData(ctx)
	if err != nil {
		return nil, toStatus(err)
	}
	return &membershipv1.GetMyDataResponse{Representative: app.RepresentativeToProto(r), Bodies: bodies}, nil
}

func (s *Server) UpdateMyData(ctx context.Context, req *membershipv1.UpdateMyDataRequest) (*membershipv1.UpdateMyDataResponse, error) {
	r, err := s.app.UpdateMyData(ctx, app.RepresentativeFromProto(req.GetRepresentative()))
	if err != nil {
		return nil, toStatus(err)
	}
	return &membershipv1.UpdateMyDataResponse{Representative: app.RepresentativeToProto(r)}, nil
}

func (s *Server) DeleteMyData(ctx context.Context, _ *membershipv1.DeleteMyDataRequest) (*membershipv1.DeleteMyDataResponse, error) {
	if err := s.app.DeleteMyData(ctx); err != nil {
		return nil, toStatus(err)
	}
	return &membershipv1.DeleteMyDataResponse{}, nil
}
