package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"go.uber.org/zap"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/kit/auth"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/membership/internal/domain"
)

// AddRepresentative adds a representative to a member (coordinators, or a
// representative of that member).
func (a *App) AddRepresentative(ctx context.Context, memberID string, r domain.Representative) (domain.Representative, error) {
	if err := a.mayActFor(ctx, memberID); err != nil {
		return domain.Representative{}, err
	}
	if _, err := a.store.Member(ctx, memberID); err != nil {
		return domain.Representative{}, err
	}
	r.MemberID = memberID
	r.Normalize()
	if err := r.Validate(); err != nil {
		return domain.Representative{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return domain.Representative{}, fmt.Errorf("representative id: %w", err)
	}
	r.ID, r.CreatedAt = id.String(), a.now()
	ev, err := broker.NewEvent(Source, &membershipv1.RepresentativeAdded{
		RepresentativeId: r.ID, MemberId: memberID, Name: r.Name, Email: r.Email, Language: r.Language, Role: RoleToProto(r.Role),
	})
	if err != nil {
		return domain.Representative{}, err
	}
	if err := a.store.InsertRepresentative(ctx, r, ev); err != nil {
		return domain.Representative{}, err
	}
	a.relay.Kick()
	a.log.Info("representative added", zap.String("representative_id", r.ID), zap.String("member_id", memberID))
	return r, nil
}

// Representatives lists a member's representatives (coordinators, or a
// representative of that member).
func (a *App) Representatives(ctx context.Context, memberID string) ([]domain.Representative, error) {
	if err := a.mayActFor(ctx, memberID); err != nil {
		return nil, err
	}
	return a.store.RepresentativesOf(ctx, memberID)
}

// RemoveRepresentative removes a representative of memberID and erases
// their personal data (coordinators, or a representative of that member).
func (a *App) RemoveRepresentative(ctx context.Context, memberID, id string) error {
	if err := a.mayActFor(ctx, memberID); err != nil {
		return err
	}
	return a.removeRepresentative(ctx, memberID, id)
}

func (a *App) removeRepresentative(ctx context.Context, memberID, id string) error {
	ev, err := broker.NewEvent(Source, &membershipv1.RepresentativeRemoved{RepresentativeId: id, MemberId: memberID})
	if err != nil {
		return err
	}
	if err := a.store.RemoveRepresentative(ctx, id, memberID, a.now(), ev); err != nil {
		return err
	}
	a.relay.Kick()
	a.log.Info("representative removed", zap.String("representative_id", id), zap.String("member_id", memberID))
	return nil
}

// Me finds the calling representative's record: the token's subject is
// their representative id or their email address (with the token's
// member id, when it has one).
func (a *App) Me(ctx context.Context) (domain.Representative, error) {
	c, ok := auth.FromContext(ctx)
	if !ok || c.Subject == "" {
		return domain.Representative{}, domain.ErrRepresentativeNotFound
	}
	var r domain.Representative
	var err error
	if _, perr := uuid.Parse(c.Subject); perr == nil {
		r, err = a.store.Representative(ctx, c.Subject)
	} else if strings.Contains(c.Subject, "@") {
		r, err = a.store.RepresentativeByEmail(ctx, c.MemberID, domain.NormalizeEmail(c.Subject))
	} else {
		err = domain.ErrRepresentativeNotFound
	}
	if err != nil {
		return domain.Representative{}, err
	}
	if c.MemberID != "" && c.MemberID != r.MemberID {
		return domain.Representative{}, domain.ErrRepresentativeNotFound
	}
	return r, nil
}

// MyData is what is held about the calling representative, and the bodies
// they sit on.
func (a *App) MyData(ctx context.Context) (domain.Representative, []string, error) {
	r, err := a.Me(ctx)
	if err != nil {
		return domain.Representative{}, nil, err
	}
	bodies, err := a.store.Bodies(ctx)
	if err != nil {
		return domain.Representative{}, nil, err
	}
	var names []string
	var memberStatus domain.Status
	for _, b := range bodies {
		sits := contains(b.RepresentativeIDs, r.ID) || (r.Role == domain.RolePolitical && contains(b.MemberIDs, r.MemberID))
		if b.Implicit() && r.Role == domain.RolePolitical {
			if memberStatus == "" {
				m, err := a.store.Member(ctx, r.MemberID)
				if err != nil {
					return domain.Representative{}, nil, err
				}
				memberStatus = m.Status
			}
			sits = memberStatus == domain.StatusMember
		}
		if sits {
			names = append(names, b.Name)
		}
	}
	return r, names, nil
}

// UpdateMyData corrects the calling representative's details, as
// UpdateRepresentative does.
func (a *App) UpdateMyData(ctx context.Context, d domain.Representative) (domain.Representative, error) {
	r, err := a.Me(ctx)
	if err != nil {
		return domain.Representative{}, err
	}
	return a.editRepresentative(ctx, r.MemberID, r.ID, d)
}

// DeleteMyData removes the calling representative and erases their data.
func (a *App) DeleteMyData(ctx context.Context) error {
	r, err := a.Me(ctx)
	if err != nil {
		return err
	}
	return a.removeRepresentative(ctx, r.MemberID, r.ID)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
