package app

import (
	"context"

	"go.uber.org/zap"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/membership/internal/domain"
)

// UpdateMember replaces a member's public facts (coordinators, or a
// representative of that member). When something changed, MemberUpdated
// rides in the same write; an edit that changes nothing writes nothing.
func (a *App) UpdateMember(ctx context.Context, id string, f domain.MemberFacts) (domain.Member, error) {
	if err := a.mayActFor(ctx, id); err != nil {
		return domain.Member{}, err
	}
	unlock, err := a.store.LockMember(ctx, id)
	if err != nil {
		return domain.Member{}, err
	}
	defer unlock()
	m, err := a.store.Member(ctx, id)
	if err != nil {
		return domain.Member{}, err
	}
	changed, err := m.Edit(f)
	if err != nil || len(changed) == 0 {
		return m, err
	}
	ev, err := broker.NewEvent(Source, &membershipv1.MemberUpdated{Member: ToProto(m), ChangedFields: changed})
	if err != nil {
		return domain.Member{}, err
	}
	if err := a.store.UpdateMemberFacts(ctx, m, ev); err != nil {
		return domain.Member{}, err
	}
	a.relay.Kick()
	a.log.Info("member updated", zap.String("member_id", id), zap.Strings("fields", changed))
	return m, nil
}
