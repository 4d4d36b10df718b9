package app

import (
	"context"

	"github.com/cc4dr/coalition/services/petition/internal/domain"
)

// Stats returns a petition's stored count and its confirmations per UTC day
// (kept by the counter's batches; no signature is read).
func (a *App) Stats(ctx context.Context, petitionID string) (int64, []domain.DayCount, error) {
	// Whatever hides a petition from GetPetition hides its stats too.
	if _, err := a.Petition(ctx, petitionID); err != nil {
		return 0, nil, err
	}
	return a.store.DailyConfirmations(ctx, petitionID)
}
