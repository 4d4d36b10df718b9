package app

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/petition/internal/domain"
	"github.com/cc4dr/coalition/services/petition/internal/store"
)

// CreatePetition opens a petition for a city that is not a member yet and
// has no other petition (lifecycle.go: admit).
func (a *App) CreatePetition(ctx context.Context, p domain.Petition) (domain.Petition, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return domain.Petition{}, fmt.Errorf("petition id: %w", err)
	}
	p.ID = id.String()
	p.City, p.Region = normalizeSpace(p.City), normalizeSpace(p.Region)
	p.Status = domain.PetitionOpen
	p.ConfirmedCount = 0
	p.CreatedAt = a.now()
	ev, err := broker.NewEvent(Source, &petitionv1.PetitionOpened{Petition: ToProto(p)})
	if err != nil {
		return domain.Petition{}, err
	}
	if err := a.admit(ctx, p, ev); err != nil {
		return domain.Petition{}, err
	}
	a.relay.Notify(store.CollectionPetitions, p.ID)
	return p, nil
}
