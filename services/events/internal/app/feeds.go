package app

import (
	"context"
	"strings"
	"time"

	"github.com/cc4dr/coalition/services/events/internal/domain"
	"github.com/cc4dr/coalition/services/kit/icalendar"
)

// newFeeds gives a private feed to each invitee who has none yet and
// returns their feed URLs by email key (only for those: the others got
// theirs with an earlier invitation, and only its hash is kept).
func (a *App) newFeeds(ctx context.Context, invitees []domain.Invitee) (map[string]string, error) {
	tokens := make(map[string]string, len(invitees))
	hashes := make(map[string]string, len(invitees))
	for _, p := range invitees {
		token, hash, err := domain.NewToken()
		if err != nil {
			return nil, err
		}
		tokens[p.Key], hashes[p.Key] = token, hash
	}
	created, err := a.store.CreateFeeds(ctx, hashes, a.now())
	if err != nil {
		return nil, err
	}
	urls := make(map[string]string, len(created))
	for k, ok := range created {
		if ok {
			urls[k] = a.feedURL(tokens[k])
		}
	}
	return urls, nil
}

func (a *App) feedURL(token string) string {
	return strings.TrimRight(a.opts.PublicBaseURL, "/") + "/calendars/" + token + ".ics"
}

// IssueFeedToken gives a person a new private feed URL; the old one stops
// working.
func (a *App) IssueFeedToken(ctx context.Context, email string) (string, error) {
	token, hash, err := domain.NewToken()
	if err != nil {
		return "", err
	}
	if err := a.store.SetFeed(ctx, domain.EmailKey(email), hash, a.now()); err != nil {
		return "", err
	}
	return a.feedURL(token), nil
}

// PersonalCalendar is the private feed of the person whose feed token this
// is: every assembly they are invited to (public or not, cancelled ones
// marked so) that ended at most 30 days ago or later.
func (a *App) PersonalCalendar(ctx context.Context, token string) (string, error) {
	key, err := a.store.FeedOwner(ctx, domain.HashToken(token))
	if err != nil {
		return "", err
	}
	now := a.now()
	list, err := a.store.InvitedTo(ctx, key, now.Add(-30*24*time.Hour), 1000)
	if err != nil {
		return "", err
	}
	return icalendar.Publish("Cities Coalition for Digital Rights — my assemblies", calendarEvents(list), a.opts.Organizer, now), nil
}
