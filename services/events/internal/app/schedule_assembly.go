package app

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	"github.com/cc4dr/coalition/services/events/internal/domain"
	"github.com/cc4dr/coalition/services/kit/broker"
)

// ScheduleAssembly puts an assembly on the calendar; AssemblyScheduled rides
// in the same write.
func (a *App) ScheduleAssembly(ctx context.Context, as domain.Assembly) (domain.Assembly, error) {
	as.Title = domain.NormalizeSpace(as.Title)
	as.HostCity = domain.NormalizeSpace(as.HostCity)
	as.Venue = domain.NormalizeSpace(as.Venue)
	// The store keeps milliseconds: round now so what is returned is what is stored.
	as.StartsAt = as.StartsAt.UTC().Truncate(time.Millisecond)
	as.EndsAt = as.EndsAt.UTC().Truncate(time.Millisecond)
	if err := as.Validate(); err != nil {
		return domain.Assembly{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return domain.Assembly{}, fmt.Errorf("assembly id: %w", err)
	}
	as.ID = id.String()
	as.Status = domain.StatusScheduled
	as.CreatedAt = a.now()
	ev, err := broker.NewEvent(Source, &eventsv1.AssemblyScheduled{Assembly: ToProto(as)})
	if err != nil {
		return domain.Assembly{}, err
	}
	if err := a.store.InsertAssembly(ctx, as, ev); err != nil {
		return domain.Assembly{}, err
	}
	a.relay.Kick()
	a.log.Debug("assembly scheduled", zap.String("assembly_id", as.ID), zap.String("kind", string(as.Kind)))
	return as, nil
}
