package grpcapi

import (
	"context"

	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
	"github.com/cc4dr/coalition/services/notification/internal/preferences"
)

// The token in these requests is the credential (the methods are public):
// it was emailed to the address it speaks for.

func (s *Server) GetEmailPreferences(ctx context.Context, req *notificationv1.GetEmailPreferencesRequest) (*notificationv1.GetEmailPreferencesResponse, error) {
	p, err := s.d.Preferences.Get(ctx, req.GetToken(), req.GetLanguage())
	if err != nil {
		return nil, toStatus(err)
	}
	return &notificationv1.GetEmailPreferencesResponse{Preferences: preferencesToProto(p)}, nil
}

func (s *Server) UpdateEmailPreferences(ctx context.Context, req *notificationv1.UpdateEmailPreferencesRequest) (*notificationv1.UpdateEmailPreferencesResponse, error) {
	p, err := s.d.Preferences.Set(ctx, req.GetToken(), req.GetCategory(), req.GetSubscribed(), req.GetLanguage())
	if err != nil {
		return nil, toStatus(err)
	}
	return &notificationv1.UpdateEmailPreferencesResponse{Preferences: preferencesToProto(p)}, nil
}

func (s *Server) Unsubscribe(ctx context.Context, req *notificationv1.UnsubscribeRequest) (*notificationv1.UnsubscribeResponse, error) {
	p, err := s.d.Preferences.Unsubscribe(ctx, req.GetToken(), req.GetLanguage())
	if err != nil {
		return nil, toStatus(err)
	}
	return &notificationv1.UnsubscribeResponse{Preferences: preferencesToProto(p)}, nil
}

func preferencesToProto(p preferences.Preferences) *notificationv1.EmailPreferences {
	out := &notificationv1.EmailPreferences{TokenCategory: p.TokenCategory, Language: p.Language}
	for _, c := range p.Categories {
		out.Categories = append(out.Categories, &notificationv1.EmailCategory{
			Category: string(c.Category), Title: c.Text.Title, Description: c.Text.Description, Subscribed: c.Subscribed,
		})
	}
	return out
}
