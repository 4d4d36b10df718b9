package app

import (
	"context"

	"go.uber.org/zap"

	"github.com/cc4dr/coalition/services/membership/internal/domain"
)

// UpdateApplication replaces the applicant's fields of a draft; token is
// the applicant token. A draft is private, so no event is published: the
// coalition hears of the application when it is submitted.
func (a *App) UpdateApplication(ctx context.Context, id, token string, d domain.Application) (domain.Application, error) {
	d.Normalize()
	if err := d.Validate(); err != nil {
		return domain.Application{}, err
	}
	unlock, err := a.store.LockApplication(ctx, id)
	if err != nil {
		return domain.Application{}, err
	}
	defer unlock()
	ap, err := a.store.Application(ctx, id)
	if err != nil {
		return domain.Application{}, err
	}
	// The token first: without it, not even the status is told.
	if !tokenMatches(token, ap.TokenHash) {
		return domain.Application{}, domain.ErrApplicantToken
	}
	if err := ap.EditDraft(d); err != nil {
		return domain.Application{}, err
	}
	if err := a.store.UpdateDraft(ctx, ap); err != nil {
		return domain.Application{}, err
	}
	a.log.Debug("draft application edited", zap.String("application_id", id))
	return ap, nil
}
