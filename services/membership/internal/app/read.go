package app

import (
	"context"
	"errors"

	"github.com/cc4dr/coalition/services/kit/paging"
	"github.com/cc4dr/coalition/services/membership/internal/domain"
	"github.com/cc4dr/coalition/services/membership/internal/store"
)

// Page sizes of the directory.
const (
	DefaultPageSize = 100
	MaxPageSize     = 500
)

// Member returns one member.
func (a *App) Member(ctx context.Context, id string) (domain.Member, error) {
	return a.store.Member(ctx, id)
}

// Members lists the register by name; pageToken continues a listing.
func (a *App) Members(ctx context.Context, f store.MemberFilter, pageSize int, pageToken string) ([]domain.Member, string, error) {
	if pageSize <= 0 {
		pageSize = DefaultPageSize
	}
	pageSize = min(pageSize, MaxPageSize)
	var afterKey, afterID string
	if pageToken != "" {
		k, id, err := paging.Parse(pageToken)
		if err != nil {
			return nil, "", err
		}
		afterKey, afterID = k, id
	}
	list, err := a.store.Members(ctx, f, int64(pageSize)+1, afterKey, afterID)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(list) > pageSize {
		list = list[:pageSize]
		last := list[len(list)-1]
		next = paging.Token(last.NameKey, last.ID)
	}
	return list, next, nil
}

// LookupCity finds the city or city network called city in country, matching
// names as domain.NameKey does. found is false when it is not on the register.
func (a *App) LookupCity(ctx context.Context, city, country string) (m domain.Member, found bool, err error) {
	m, err = a.store.CityByName(ctx, domain.NameKey(city), country)
	if errors.Is(err, domain.ErrMemberNotFound) {
		return domain.Member{}, false, nil
	}
	if err != nil {
		return domain.Member{}, false, err
	}
	return m, true, nil
}

// ErrBadPageToken is returned for a page token this service did not issue.
var ErrBadPageToken = paging.ErrBadToken
