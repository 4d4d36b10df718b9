package app

import (
	"context"
	"errors"
	"time"

	"go.uber.org/zap"

	"github.com/cc4dr/coalition/services/events/internal/domain"
	"github.com/cc4dr/coalition/services/events/internal/store"
	"github.com/cc4dr/coalition/services/kit/broker"
)

// backfillRetry is how long a backfill that could not finish (membership
// unreachable) waits before trying again.
const backfillRetry = time.Minute

// RunBackfill backfills representative ids once at start (see
// BackfillRepresentatives), trying again while membership cannot answer,
// until it succeeds or ctx ends.
func (a *App) RunBackfill(ctx context.Context) error {
	for {
		n, err := a.BackfillRepresentatives(ctx)
		if err == nil {
			if n > 0 {
				a.log.Info("representative ids backfilled", zap.Int("assemblies", n))
			}
			return nil
		}
		if ctx.Err() != nil {
			return nil
		}
		a.log.Warn("backfilling representative ids failed; retrying", zap.Error(err), zap.Duration("in", backfillRetry))
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backfillRetry):
		}
	}
}

// BackfillRepresentatives gives representative ids to the invitees of
// assemblies stored before invitations recorded them, so that
// representatives find those among their invitations (ListMyInvitations
// looks them up by id). Only assemblies a representative could still see
// are looked at (not ended more than RecentInvitations ago); their
// invitees are matched by email with the people of the assembly's bodies as
// membership lists them now. Someone invited by name who sits on none of
// those bodies stays without an id: their emailed RSVP link works as
// before. Nothing is published and SEQUENCE does not move (nobody's
// invitation changes); a second run finds nothing to do. It reports how
// many assemblies it changed.
func (a *App) BackfillRepresentatives(ctx context.Context) (int, error) {
	if a.opts.Directory == nil {
		return 0, nil
	}
	bodies := map[string][]domain.Invitee{}
	changed := 0
	q := store.Query{EndsAfter: a.now().Add(-RecentInvitations), Limit: 100}
	for {
		page, err := a.store.Search(ctx, q)
		if err != nil {
			return changed, err
		}
		for _, as := range page {
			ok, err := a.backfill(ctx, as, bodies)
			if err != nil {
				return changed, err
			}
			if ok {
				changed++
			}
		}
		if int64(len(page)) < q.Limit {
			return changed, nil
		}
		last := page[len(page)-1]
		q.AfterStart, q.AfterID = last.StartsAt, last.ID
	}
}

// backfill learns the representative ids of one assembly's invitees from
// its bodies' people (cached in bodies for the run).
func (a *App) backfill(ctx context.Context, as domain.Assembly, bodies map[string][]domain.Invitee) (bool, error) {
	if len(as.BodyIDs) == 0 || as.KnownRepresentatives() == len(as.Invitees) {
		return false, nil
	}
	var people []domain.Invitee
	for _, id := range as.BodyIDs {
		members, ok := bodies[id]
		if !ok {
			var err error
			members, err = a.opts.Directory.BodyMembers(ctx, id)
			if errors.Is(err, domain.ErrBodyNotFound) {
				members, err = nil, nil // dissolved since: nobody to learn from
			}
			if err != nil {
				return false, err
			}
			bodies[id] = members
		}
		people = append(people, members...)
	}
	_, err := a.store.UpdateAssemblyLocked(ctx, as.ID, func(as *domain.Assembly) ([]broker.Event, error) {
		if as.LearnRepresentatives(people) == 0 {
			return nil, errUnchanged
		}
		return nil, nil
	})
	switch {
	case errors.Is(err, errUnchanged), errors.Is(err, domain.ErrAssemblyNotFound):
		return false, nil
	case err != nil:
		return false, err
	}
	return true, nil
}
