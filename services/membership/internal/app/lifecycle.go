package app

import (
	"context"
	"strings"

	"go.uber.org/zap"
	"google.golang.org/protobuf/proto"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/membership/internal/domain"
)

// ChangeMemberStatus suspends, withdraws or re-admits a member, with its
// event in the same write.
func (a *App) ChangeMemberStatus(ctx context.Context, id string, action domain.MemberAction, reason string) (domain.Member, error) {
	// Held from reading to writing, so that the event describes the member
	// as written even when an edit runs at the same time.
	unlock, err := a.store.LockMember(ctx, id)
	if err != nil {
		return domain.Member{}, err
	}
	defer unlock()
	m, err := a.store.Member(ctx, id)
	if err != nil {
		return domain.Member{}, err
	}
	to, err := m.Lifecycle(action)
	if err != nil {
		return domain.Member{}, err
	}
	reason = strings.TrimSpace(reason)
	from := m.Status
	m.Status = to
	now := a.now()
	if to == domain.StatusMember {
		m.JoinedAt = now
	}
	var msg proto.Message
	switch action {
	case domain.ActionSuspend:
		msg = &membershipv1.CitySuspended{Member: ToProto(m), Reason: reason}
	case domain.ActionWithdraw:
		msg = &membershipv1.CityWithdrawn{Member: ToProto(m), Reason: reason}
	case domain.ActionReadmit:
		msg = &membershipv1.CityReadmitted{Member: ToProto(m), Reason: reason}
	}
	ev, err := broker.NewEvent(Source, msg)
	if err != nil {
		return domain.Member{}, err
	}
	if err := a.store.SetMemberStatus(ctx, id, from, to, by(ctx), reason, now, ev); err != nil {
		return domain.Member{}, err
	}
	a.relay.Kick()
	a.log.Info("member status changed", zap.String("member_id", id), zap.String("status", string(to)))
	return a.store.Member(ctx, id)
}
