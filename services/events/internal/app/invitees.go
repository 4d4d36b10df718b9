package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"go.uber.org/zap"
	"google.golang.org/protobuf/proto"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	"github.com/cc4dr/coalition/services/events/internal/domain"
	"github.com/cc4dr/coalition/services/events/internal/store"
	"github.com/cc4dr/coalition/services/kit/broker"
)

// maxBodies bounds the bodies one assembly invites (as a request may name).
const maxBodies = 50

// errUnchanged ends an update that would change nothing: no write, no
// event, no new SEQUENCE.
var errUnchanged = errors.New("nothing to change")

// AddInvitees invites more people to a scheduled assembly that has not
// ended: people named and everyone sitting on the given bodies. Those
// newly invited get a token each, a feed if they have none, and
// AssemblyInviteesAdded events (see fanOut) carry their invitations; the others are
// not told. SEQUENCE goes up only when someone is added.
func (a *App) AddInvitees(ctx context.Context, id string, people []domain.Invitee, bodyIDs []string) (domain.Assembly, []domain.Invitee, []Conflict, error) {
	for i := range people {
		if people[i].TimeZone == "" {
			continue
		}
		if _, err := domain.LoadZone(people[i].TimeZone); err != nil {
			fe := *err.(*domain.FieldError)
			fe.Field = "people[" + strconv.Itoa(i) + "].time_zone"
			return domain.Assembly{}, nil, nil, &fe
		}
	}
	// Bodies are resolved before taking the lock: a remote call.
	members, err := a.resolveBodies(ctx, bodyIDs)
	if err != nil {
		return domain.Assembly{}, nil, nil, err
	}
	now := a.now()
	var added []domain.Invitee
	as, err := a.store.UpdateAssemblyLocked(ctx, id, func(as *domain.Assembly) ([]broker.Event, error) {
		if err := as.CanChangeInvitees(now); err != nil {
			return nil, err
		}
		bodiesBefore, repsBefore := len(as.BodyIDs), as.KnownRepresentatives()
		added = as.AddInvitees(people, members, bodyIDs)
		if len(as.BodyIDs) > maxBodies {
			return nil, &domain.FieldError{Field: "body_ids", Reason: "body_ids.too_many",
				Description: fmt.Sprintf("an assembly invites at most %d bodies", maxBodies)}
		}
		if err := as.Validate(); err != nil {
			return nil, err
		}
		if len(added) == 0 {
			if len(as.BodyIDs) == bodiesBefore && as.KnownRepresentatives() == repsBefore {
				return nil, errUnchanged
			}
			// A body whose people are all invited already, or invitees now
			// known as representatives: recorded, nobody to tell.
			return nil, nil
		}
		links := make(map[string]string, len(added))
		first := len(as.Invitees) - len(added) // the added are the last ones
		for i := range added {
			token, hash, err := domain.NewToken()
			if err != nil {
				return nil, err
			}
			added[i].TokenHash, as.Invitees[first+i].TokenHash = hash, hash
			links[added[i].Key] = a.rsvpURL(as.ID, token)
		}
		feeds, err := a.newFeeds(ctx, added)
		if err != nil {
			return nil, err
		}
		as.Sequence++
		invitations := Invitations(*as, added, links)
		for i, p := range added {
			invitations[i].FeedUrl = feeds[p.Key]
		}
		return fanOut(textField(*as), invitations, func(chunk []*eventsv1.Invitation) proto.Message {
			return &eventsv1.AssemblyInviteesAdded{Assembly: a.Proto(*as), Invitations: chunk}
		})
	})
	if errors.Is(err, errUnchanged) {
		as, err := a.store.Assembly(ctx, id)
		return as, nil, nil, err
	}
	if err != nil {
		return domain.Assembly{}, nil, nil, err
	}
	a.relay.Notify(store.CollectionAssemblies, as.ID)
	conflicts, err := a.conflicts(ctx, as.StartsAt, as.EndsAt, keysOf(added), as.ID)
	if err != nil {
		return domain.Assembly{}, nil, nil, err
	}
	a.log.Debug("invitees added", zap.String("assembly_id", as.ID), zap.Int("added", len(added)), zap.Int("sequence", as.Sequence))
	return as, added, conflicts, nil
}

// RemoveInvitees withdraws invitations: the people with the given emails
// and the given bodies with everyone invited only through them (someone who
// also sits on a body that stays invited stays, through that body).
// AssemblyInviteesRemoved events (see fanOut) carry the removed people's
// cancellations; their tokens stop working; the others are not told. SEQUENCE goes up
// only when someone is removed.
func (a *App) RemoveInvitees(ctx context.Context, id string, emails, bodyIDs []string) (domain.Assembly, []domain.Invitee, error) {
	keys := make([]string, len(emails))
	for i, e := range emails {
		keys[i] = domain.EmailKey(e)
	}
	stayOn, err := a.remainingBodyMembers(ctx, id, bodyIDs)
	if err != nil {
		return domain.Assembly{}, nil, err
	}
	now := a.now()
	var removed []domain.Invitee
	as, err := a.store.UpdateAssemblyLocked(ctx, id, func(as *domain.Assembly) ([]broker.Event, error) {
		if err := as.CanChangeInvitees(now); err != nil {
			return nil, err
		}
		bodiesBefore := len(as.BodyIDs)
		removed = as.RemoveInvitees(keys, bodyIDs, stayOn)
		if len(removed) == 0 {
			if len(as.BodyIDs) == bodiesBefore {
				return nil, errUnchanged
			}
			return nil, nil // a body whose people all stay invited otherwise
		}
		as.Sequence++
		return fanOut(textField(*as), Invitations(*as, removed, nil), func(chunk []*eventsv1.Invitation) proto.Message {
			return &eventsv1.AssemblyInviteesRemoved{Assembly: a.Proto(*as), Invitations: chunk}
		})
	})
	if errors.Is(err, errUnchanged) {
		as, err := a.store.Assembly(ctx, id)
		return as, nil, err
	}
	if err != nil {
		return domain.Assembly{}, nil, err
	}
	a.relay.Notify(store.CollectionAssemblies, as.ID)
	a.log.Debug("invitees removed", zap.String("assembly_id", as.ID), zap.Int("removed", len(removed)), zap.Int("sequence", as.Sequence))
	return as, removed, nil
}

// remainingBodyMembers maps the people of the bodies that stay invited
// after removing bodyIDs to one such body each, so that someone sitting on
// two invited bodies is not uninvited with one of them. No bodies removed:
// nothing to ask.
func (a *App) remainingBodyMembers(ctx context.Context, id string, bodyIDs []string) (map[string]string, error) {
	if len(bodyIDs) == 0 {
		return nil, nil
	}
	as, err := a.store.Assembly(ctx, id)
	if err != nil {
		return nil, err
	}
	var remaining []string
	for _, b := range as.BodyIDs {
		if !slices.Contains(bodyIDs, b) {
			remaining = append(remaining, b)
		}
	}
	members, err := a.resolveBodies(ctx, remaining)
	if err != nil {
		return nil, err
	}
	stayOn := make(map[string]string, len(members))
	for _, m := range members {
		k := domain.EmailKey(m.Email)
		if _, ok := stayOn[k]; !ok {
			stayOn[k] = m.BodyID
		}
	}
	return stayOn, nil
}
