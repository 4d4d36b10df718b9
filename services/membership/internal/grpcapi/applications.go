package grpcapi

import (
	"context"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/membership/internal/app"
)

func (s *Server) CreateApplication(ctx context.Context, req *membershipv1.CreateApplicationRequest) (*membershipv1.CreateApplicationResponse, error) {
	ap, token, err := s.app.CreateApplication(ctx, app.ApplicationFromProto(req))
	if err != nil {
		return nil, toStatus(err)
	}
	return &membershipv1.CreateApplicationResponse{Application: app.ApplicationToProto(ap), ApplicantToken: token}, nil
}

func (s *Server) UpdateApplication(ctx context.Context, req *membershipv1.UpdateApplicationRequest) (*membershipv1.UpdateApplicationResponse, error) {
	ap, err := s.app.UpdateApplication(ctx, req.GetApplicationId(), req.GetApplicantToken(), app.ApplicationFromProto(req))
	if err != nil {
		return nil, toStatus(err)
	}
	return &membershipv1.UpdateApplicationResponse{Application: app.ApplicationToProto(ap)}, nil
}

func (s *Server) SubmitApplication(ctx context.Context, req *membershipv1.SubmitApplicationRequest) (*membershipv1.SubmitApplicationResponse, error) {
	ap, err := s.app.SubmitApplication(ctx, req.GetApplicationId(), req.GetApplicantToken())
	if err != nil {
		return nil, toStatus(err)
	}
	return &membershipv1.SubmitApplicationResponse{Application: app.ApplicationToProto(ap)}, nil
}

func (s *Server) GetApplication(ctx context.Context, req *membershipv1.GetApplicationRequest) (*membershipv1.GetApplicationResponse, error) {
	ap, err := s.app.Application(ctx, req.GetApplicationId())
	if err != nil {
		return nil, toStatus(err)
	}
	return &membershipv1.GetApplicationResponse{Application: app.ApplicationToProto(ap)}, nil
}

func (s *Server) ListApplications(ctx context.Context, req *membershipv1.ListApplicationsRequest) (*membershipv1.ListApplicationsResponse, error) {
	list, err := s.app.Applications(ctx, app.AppStatusFromProto(req.GetStatus()), int(req.GetPageSize()))
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &membershipv1.ListApplicationsResponse{}
	for _, ap := range list {
		resp.Applications = append(resp.Applications, app.ApplicationToProto(ap))
	}
	return resp, nil
}

func (s *Server) StartReview(ctx context.Context, req *membershipv1.StartReviewRequest) (*membershipv1.StartReviewResponse, error) {
	ap, err := s.app.StartReview(ctx, req.GetApplicationId())
	if err != nil {
		return nil, toStatus(err)
	}
	return &membershipv1.StartReviewResponse{Application: app.ApplicationToProto(ap)}, nil
}

func (s *Server) ApproveApplication(ctx context.Context, req *membershipv1.ApproveApplicationRequest) (*membershipv1.ApproveApplicationResponse, error) {
	ap, m, err := s.app.ApproveApplication(ctx, req.GetApplicationId())
	if err != nil {
		return nil, toStatus(err)
	}
	return &membershipv1.ApproveApplicationResponse{Application: app.ApplicationToProto(ap), Member: app.ToProto(m)}, nil
}

func (s *Server) RejectApplication(ctx context.Context, req *membershipv1.RejectApplicationRequest) (*membershipv1.RejectApplicationResponse, error) {
	ap, err := s.app.RejectApplication(ctx, req.GetApplicationId(), req.GetReason())
	if err != nil {
		return nil, toStatus(err)
	}
	return &membershipv1.RejectApplicationResponse{Application: app.ApplicationToProto(ap)}, nil
}
