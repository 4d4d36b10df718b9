package app

import (
	"context"
	"strings"
	"time"

	"github.com/cc4dr/coalition/services/kit/paging"
	"github.com/cc4dr/coalition/services/petition/internal/domain"
)

// Petition returns one petition.
func (a *App) Petition(ctx context.Context, id string) (domain.Petition, error) {
	p, err := a.store.Petition(ctx, id)
	if err == nil && !p.Public() {
		return domain.Petition{}, domain.ErrPetitionNotFound // proposals are not public
	}
	return p, err
}

// Petitions lists petitions newest first; pageToken continues a listing.
func (a *App) Petitions(ctx context.Context, pageSize int, pageToken string) ([]domain.Petition, string, error) {
	if pageSize <= 0 {
		pageSize = 50
	}
	var after time.Time
	var afterID string
	if pageToken != "" {
		t, id, err := paging.ParseTime(pageToken)
		if err != nil {
			return nil, "", err
		}
		after, afterID = t, id
	}
	list, err := a.store.Petitions(ctx, int64(pageSize)+1, after, afterID)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(list) > pageSize {
		list = list[:pageSize]
		last := list[len(list)-1]
		next = paging.TimeToken(last.CreatedAt, last.ID)
	}
	return list, next, nil
}

// ErrBadPageToken is returned for a page token this service did not issue.
var ErrBadPageToken = paging.ErrBadToken

// normalizeSpace trims a free-text field and collapses inner runs of space.
func normalizeSpace(s string) string { return strings.Join(strings.Fields(s), " ") }
