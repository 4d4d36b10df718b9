package app

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"
	"google.golang.org/protobuf/proto"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/membership/internal/domain"
)

// CreateMember records a member or partner. A city (or network) recorded as
// a member carries CityJoined, a partner PartnerAdded, in the same write.
func (a *App) CreateMember(ctx context.Context, m domain.Member) (domain.Member, error) {
	m.Name = domain.NormalizeSpace(m.Name)
	m.NameKey = domain.NameKey(m.Name)
	m.Region = domain.NormalizeSpace(m.Region)
	m.Principles = domain.InDeclarationOrder(m.Principles)
	if !m.JoinedAt.IsZero() {
		m.JoinedAt = m.JoinedAt.UTC().Truncate(time.Millisecond)
	}
	if err := m.Validate(); err != nil {
		return domain.Member{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return domain.Member{}, fmt.Errorf("member id: %w", err)
	}
	m.ID = id.String()
	m.CreatedAt = a.now()
	m.History = []domain.StatusChange{{To: m.Status, By: by(ctx), At: m.CreatedAt, Reason: "recorded on the register"}}

	var events []broker.Event
	var msg proto.Message
	switch {
	case m.Joined():
		msg = &membershipv1.CityJoined{Member: ToProto(m)}
	case m.Kind == domain.KindPartner:
		msg = &membershipv1.PartnerAdded{Member: ToProto(m)}
	}
	if msg != nil {
		ev, err := broker.NewEvent(Source, msg)
		if err != nil {
			return domain.Member{}, err
		}
		events = append(events, ev)
	}
	if err := a.store.InsertMember(ctx, m, events...); err != nil {
		return domain.Member{}, err
	}
	if len(events) > 0 {
		a.relay.Kick()
	}
	a.log.Debug("member recorded", zap.String("member_id", m.ID), zap.String("kind", string(m.Kind)))
	return m, nil
}
