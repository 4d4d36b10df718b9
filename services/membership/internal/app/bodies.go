package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/cc4dr/coalition/services/membership/internal/domain"
)

// CreateBody records a governance body or working group.
func (a *App) CreateBody(ctx context.Context, b domain.Body) (domain.Body, error) {
	b.Name = domain.NormalizeSpace(b.Name)
	b.Description = strings.TrimSpace(b.Description)
	if err := b.Validate(); err != nil {
		return domain.Body{}, err
	}
	if err := a.checkComposition(ctx, b.MemberIDs, b.RepresentativeIDs); err != nil {
		return domain.Body{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return domain.Body{}, fmt.Errorf("body id: %w", err)
	}
	b.ID, b.CreatedAt = id.String(), a.now()
	if err := a.store.InsertBody(ctx, b); err != nil {
		return domain.Body{}, err
	}
	return b, nil
}

// checkComposition refuses ids that are not on the register.
func (a *App) checkComposition(ctx context.Context, memberIDs, representativeIDs []string) error {
	for i, id := range memberIDs {
		if _, err := a.store.Member(ctx, id); err != nil {
			return &domain.FieldError{Field: fmt.Sprintf("member_ids[%d]", i), Reason: "member.unknown", Description: "no member with this id"}
		}
	}
	for i, id := range representativeIDs {
		if _, err := a.store.Representative(ctx, id); err != nil {
			return &domain.FieldError{Field: fmt.Sprintf("representative_ids[%d]", i), Reason: "representative.unknown", Description: "no representative with this id"}
		}
	}
	return nil
}

// SetBodyComposition replaces a body's lists.
func (a *App) SetBodyComposition(ctx context.Context, id string, memberIDs, representativeIDs []string) (domain.Body, error) {
	b, err := a.store.Body(ctx, id)
	if err != nil {
		return domain.Body{}, err
	}
	b.MemberIDs, b.RepresentativeIDs = memberIDs, representativeIDs
	if err := b.Validate(); err != nil {
		return domain.Body{}, err
	}
	if err := a.checkComposition(ctx, memberIDs, representativeIDs); err != nil {
		return domain.Body{}, err
	}
	if err := a.store.SetComposition(ctx, id, memberIDs, representativeIDs); err != nil {
		return domain.Body{}, err
	}
	return a.store.Body(ctx, id)
}

// Bodies lists the bodies.
func (a *App) Bodies(ctx context.Context) ([]domain.Body, error) { return a.store.Bodies(ctx) }

// BodyMembers is who sits on a body: for the Annual Conference the
// political representatives of every member city and network; otherwise
// the political representatives of the listed members and the listed
// representatives.
func (a *App) BodyMembers(ctx context.Context, id string) (domain.Body, []domain.Representative, error) {
	b, err := a.store.Body(ctx, id)
	if err != nil {
		return domain.Body{}, nil, err
	}
	memberIDs := b.MemberIDs
	if b.Implicit() {
		if memberIDs, err = a.store.CityIDsWithStatus(ctx, domain.StatusMember); err != nil {
			return domain.Body{}, nil, err
		}
	}
	people, err := a.store.PoliticalRepresentatives(ctx, memberIDs, b.RepresentativeIDs)
	if err != nil {
		return domain.Body{}, nil, err
	}
	return b, people, nil
}
