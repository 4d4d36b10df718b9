package app

import (
	"context"
	"errors"
	"time"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	"github.com/cc4dr/coalition/services/events/internal/domain"
	"github.com/cc4dr/coalition/services/events/internal/store"
	"github.com/cc4dr/coalition/services/kit/paging"
)

// RecentInvitations is how long after an assembly ends a representative
// still finds it among their invitations.
const RecentInvitations = 30 * 24 * time.Hour

// Invitation is one invitee's view of an assembly they are invited to.
type Invitation struct {
	Assembly domain.Assembly
	Invitee  domain.Invitee
	// TakesAnswers: answers are still taken now.
	TakesAnswers bool
}

// MyInvitations lists the invitations of representative repID (the
// signed-in caller): assemblies inviting them that have not ended or
// ended within RecentInvitations, soonest first, with the next page's
// token.
func (a *App) MyInvitations(ctx context.Context, repID string, size int, pageToken string) ([]Invitation, string, error) {
	if repID == "" {
		return nil, "", nil // no representative, no invitations (and never everyone's)
	}
	size = pageSizeOf(size)
	now := a.now()
	q := store.Query{RepresentativeID: repID, EndsAfter: now.Add(-RecentInvitations), Limit: int64(size) + 1}
	if pageToken != "" {
		t, id, err := paging.ParseTime(pageToken)
		if err != nil {
			return nil, "", err
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
		next = paging.TimeToken(last.StartsAt, last.ID)
	}
	out := make([]Invitation, 0, len(list))
	for _, as := range list {
		if i := as.InviteeByRepresentative(repID); i >= 0 {
			out = append(out, Invitation{Assembly: as, Invitee: as.Invitees[i], TakesAnswers: as.CanRespond(now) == nil})
		}
	}
	return out, next, nil
}

// RespondAsInvitee records the answer of representative repID (the
// signed-in caller) to their own invitation, with the RSVP link's rules
// and event. An assembly that does not invite them is
// ErrInvitationNotFound, whether or not it exists, so nobody learns of
// closed assemblies they are not invited to.
func (a *App) RespondAsInvitee(ctx context.Context, repID, assemblyID string, r domain.Response) (Invitation, error) {
	as, who, err := a.answer(ctx, assemblyID, func(as domain.Assembly) int { return as.InviteeByRepresentative(repID) }, r,
		eventsv1.AnswerChannel_ANSWER_CHANNEL_SIGNED_IN)
	if errors.Is(err, domain.ErrAssemblyNotFound) {
		return Invitation{}, domain.ErrInvitationNotFound
	}
	if err != nil {
		return Invitation{}, err
	}
	return Invitation{Assembly: as, Invitee: who, TakesAnswers: as.CanRespond(a.now()) == nil}, nil
}
