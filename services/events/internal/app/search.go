package app

import (
	"context"
	"strings"
	"time"

	"github.com/cc4dr/coalition/services/events/internal/domain"
	"github.com/cc4dr/coalition/services/events/internal/store"
	"github.com/cc4dr/coalition/services/kit/paging"
)

// Period selects assemblies by time, as seen at the moment of the call.
type Period string

const (
	// PeriodUpcoming: not ended (under way or to come), soonest first.
	PeriodUpcoming Period = "upcoming"
	// PeriodPast: ended, most recent first.
	PeriodPast Period = "past"
	// PeriodAll: every one, earliest start first.
	PeriodAll Period = "all"
)

// Search is a coordinator's listing of every assembly, public or not.
type Search struct {
	Period Period
	// Kind and Status narrow the listing ("": any).
	Kind      domain.Kind
	Status    domain.Status
	PageSize  int
	PageToken string
}

// SearchAssemblies lists every assembly Search selects (coordinators
// only: the transport lets nobody else call it), with the next page's
// token. A page token is tied to the period it was issued for, whose
// order it continues.
func (a *App) SearchAssemblies(ctx context.Context, s Search) ([]domain.Assembly, string, error) {
	if s.Period == "" {
		s.Period = PeriodUpcoming
	}
	size := pageSizeOf(s.PageSize)
	q := store.Query{Kind: s.Kind, Status: s.Status, Limit: int64(size) + 1}
	now := a.now()
	switch s.Period {
	case PeriodUpcoming:
		q.EndsAfter = now
	case PeriodPast:
		q.EndedBefore, q.Descending = now, true
	}
	if s.PageToken != "" {
		key, id, err := paging.Parse(s.PageToken)
		if err != nil {
			return nil, "", err
		}
		period, at, ok := strings.Cut(key, "|")
		t, terr := time.Parse(time.RFC3339Nano, at)
		if !ok || terr != nil || Period(period) != s.Period {
			return nil, "", ErrBadPageToken
		}
		q.AfterStart, q.AfterID = t, id
	}
	list, err := a.store.Search(ctx, q)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(list) > size {
		list = list[:size]
		last := list[len(list)-1]
		next = paging.Token(string(s.Period)+"|"+last.StartsAt.UTC().Format(time.RFC3339Nano), last.ID)
	}
	return list, next, nil
}

// pageSizeOf is a request's page size with the default and the bound.
func pageSizeOf(n int) int {
	if n <= 0 {
		return DefaultPageSize
	}
	return min(n, MaxPageSize)
}
