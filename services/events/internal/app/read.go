package app

import (
	"context"
	"time"

	"github.com/cc4dr/coalition/services/events/internal/domain"
	"github.com/cc4dr/coalition/services/kit/paging"
)

// Page sizes of the calendar.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// Assembly returns one assembly if the caller may see it. A non-public
// assembly is reported as not found to anyone but a coordinator, so its
// existence is not revealed either.
func (a *App) Assembly(ctx context.Context, id string, coordinator bool) (domain.Assembly, error) {
	as, err := a.store.Assembly(ctx, id)
	if err != nil {
		return domain.Assembly{}, err
	}
	if !as.VisibleTo(coordinator) {
		return domain.Assembly{}, domain.ErrAssemblyNotFound
	}
	return as, nil
}

// Assemblies lists the public calendar: public assemblies that have not
// ended, soonest first; pageToken continues a listing.
func (a *App) Assemblies(ctx context.Context, pageSize int, pageToken string) ([]domain.Assembly, string, error) {
	pageSize = pageSizeOf(pageSize)
	var after time.Time
	var afterID string
	if pageToken != "" {
		t, id, err := paging.ParseTime(pageToken)
		if err != nil {
			return nil, "", err
		}
		after, afterID = t, id
	}
	list, err := a.store.UpcomingPublic(ctx, a.now(), int64(pageSize)+1, after, afterID)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(list) > pageSize {
		list = list[:pageSize]
		last := list[len(list)-1]
		next = paging.TimeToken(last.StartsAt, last.ID)
	}
	return list, next, nil
}

// ErrBadPageToken is returned for a page token this service did not issue.
var ErrBadPageToken = paging.ErrBadToken
