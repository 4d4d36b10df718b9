package grpcapi

import (
	"context"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/membership/internal/app"
	"github.com/cc4dr/coalition/services/membership/internal/domain"
)

func (s *Server) CreateBody(ctx context.Context, req *membershipv1.CreateBodyRequest) (*membershipv1.CreateBodyResponse, error) {
	b, err := s.app.CreateBody(ctx, domain.Body{
		Slug: req.GetSlug(), Name: req.GetName(), Kind: app.BodyKindFromProto(req.GetKind()), Description: req.GetDescription(),
		Principle: app.PrincipleFromProto(req.GetPrinciple()), MemberIDs: req.GetMemberIds(), RepresentativeIDs: req.GetRepresentativeIds(),
	})
	if err != nil {
		return nil, toStatus(err)
	}
	return &membershipv1.CreateBodyResponse{Body: app.BodyToProto(b)}, nil
}

func (s *Server) SetBodyComposition(ctx context.Context, req *membershipv1.SetBodyCompositionRequest) (*membershipv1.SetBodyCompositionResponse, error) {
	b, err := s.app.SetBodyComposition(ctx, req.GetBodyId(), req.GetMemberIds(), req.GetRepresentativeIds())
	if err != nil {
		return nil, toStatus(err)
	}
	return &membershipv1.SetBodyCompositionResponse{Body: app.BodyToProto(b)}, nil
}

func (s *Server) ListBodies(ctx context.Context, _ *membershipv1.ListBodiesRequest) (*membershipv1.ListBodiesResponse, error) {
	list, err := s.app.Bodies(ctx)
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &membershipv1.ListBodiesResponse{}
	for _, b := range list {
		resp.Bodies = append(resp.Bodies, app.BodyToProto(b))
	}
	return resp, nil
}

func (s *Server) ListBodyMembers(ctx context.Context, req *membershipv1.ListBodyMembersRequest) (*membershipv1.ListBodyMembersResponse, error) {
	b, people, err := s.app.BodyMembers(ctx, req.GetBodyId())
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &membershipv1.ListBodyMembersResponse{Body: app.BodyToProto(b)}
	for _, r := range people {
		resp.People = append(resp.People, &membershipv1.BodyMember{
			RepresentativeId: r.ID, Name: r.Name, Email: r.Email, Language: r.Language, TimeZone: r.TimeZone,
			MemberId: r.MemberID, Role: app.RoleToProto(r.Role),
		})
	}
	return resp, nil
}
