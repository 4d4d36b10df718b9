package app

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

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
		t, id, err := decodePageToken(pageToken)
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
		next = encodePageToken(last.CreatedAt, last.ID)
	}
	return list, next, nil
}

// ErrBadPageToken is returned for a page token this service did not issue.
var ErrBadPageToken = fmt.Errorf("page_token is not valid")

func encodePageToken(t time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(t.UTC().Format(time.RFC3339Nano) + "|" + id))
}

func decodePageToken(s string) (time.Time, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return time.Time{}, "", ErrBadPageToken
	}
	ts, id, ok := strings.Cut(string(b), "|")
	if !ok {
		return time.Time{}, "", ErrBadPageToken
	}
	t, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return time.Time{}, "", ErrBadPageToken
	}
	return t, id, nil
}

// normalizeSpace trims a free-text field and collapses inner runs of space.
func normalizeSpace(s string) string { return strings.Join(strings.Fields(s), " ") }
