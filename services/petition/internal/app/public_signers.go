package app

import (
	"context"

	"github.com/cc4dr/coalition/services/petition/internal/domain"
)

// PublicSigners returns up to pageSize (default 20, at most
// domain.PublicNamesKept) of the newest confirmed signers who chose to have
// their name shown, from the list the counter keeps (no signature is read).
func (a *App) PublicSigners(ctx context.Context, petitionID string, pageSize int) ([]domain.PublicName, error) {
	// Whatever hides a petition from GetPetition hides its signers too.
	if _, err := a.Petition(ctx, petitionID); err != nil {
		return nil, err
	}
	if pageSize <= 0 {
		pageSize = 20
	}
	return a.store.PublicNames(ctx, petitionID, min(pageSize, domain.PublicNamesKept))
}
