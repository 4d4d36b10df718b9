package app

import (
	"context"

	"go.uber.org/zap"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/membership/internal/domain"
)

// UpdateRepresentative corrects the details of a representative of
// memberID (coordinators, or a representative of that member).
func (a *App) UpdateRepresentative(ctx context.Context, memberID, id string, d domain.Representative) (domain.Representative, error) {
	if err := a.mayActFor(ctx, memberID); err != nil {
		return domain.Representative{}, err
	}
	return a.editRepresentative(ctx, memberID, id, d)
}

// editRepresentative applies d to representative id of memberID. When
// something changed, RepresentativeUpdated rides in the same write; an
// edit that changes nothing writes nothing.
func (a *App) editRepresentative(ctx context.Context, memberID, id string, d domain.Representative) (domain.Representative, error) {
	unlock, err := a.store.LockRepresentative(ctx, id)
	if err != nil {
		return domain.Representative{}, err
	}
	defer unlock()
	r, err := a.store.Representative(ctx, id)
	if err != nil {
		return domain.Representative{}, err
	}
	if r.MemberID != memberID { // someone else's: as if absent
		return domain.Representative{}, domain.ErrRepresentativeNotFound
	}
	changed, err := r.Edit(d)
	if err != nil || len(changed) == 0 {
		return r, err
	}
	ev, err := broker.NewEvent(Source, &membershipv1.RepresentativeUpdated{
		RepresentativeId: r.ID, MemberId: r.MemberID, Name: r.Name, Email: r.Email, Language: r.Language,
		Role: RoleToProto(r.Role), TimeZone: r.TimeZone, ChangedFields: changed,
	})
	if err != nil {
		return domain.Representative{}, err
	}
	if err := a.store.UpdateRepresentative(ctx, r, ev); err != nil {
		return domain.Representative{}, err
	}
	a.relay.Kick()
	a.log.Info("representative updated", zap.String("representative_id", r.ID), zap.String("member_id", r.MemberID),
		zap.Strings("fields", changed))
	return r, nil
}
