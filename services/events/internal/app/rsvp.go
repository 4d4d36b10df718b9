package app

import (
	"context"
	"slices"

	"github.com/cc4dr/coalition/services/events/internal/domain"
	"github.com/cc4dr/coalition/services/kit/broker"
)

// RespondToInvitation records an invitee's answer. The token must belong to
// an invitee of this very assembly (a token of another assembly is
// "not found", like a wrong one), and answers are taken only before the
// RSVP deadline and before the assembly ends. With a capacity, acceptances
// stop when the places are taken (declining frees one).
func (a *App) RespondToInvitation(ctx context.Context, assemblyID, token string, r domain.Response) (domain.Assembly, error) {
	hash := domain.HashToken(token)
	found, err := a.store.AssemblyByToken(ctx, hash)
	if err != nil {
		return domain.Assembly{}, err
	}
	if found.ID != assemblyID {
		return domain.Assembly{}, domain.ErrInvitationNotFound
	}
	now := a.now()
	return a.store.UpdateAssemblyLocked(ctx, assemblyID, func(as *domain.Assembly) ([]broker.Event, error) {
		i := slices.IndexFunc(as.Invitees, func(p domain.Invitee) bool { return p.TokenHash == hash })
		if i < 0 {
			return nil, domain.ErrInvitationNotFound
		}
		if err := as.CanRespond(now); err != nil {
			return nil, err
		}
		if r == domain.ResponseAccepted && as.Invitees[i].Response != domain.ResponseAccepted && as.Capacity > 0 {
			accepted := 0
			for _, p := range as.Invitees {
				if p.Response == domain.ResponseAccepted {
					accepted++
				}
			}
			if accepted >= as.Capacity {
				return nil, domain.ErrFull
			}
		}
		as.Invitees[i].Response = r
		as.Invitees[i].RespondedAt = now
		return nil, nil
	})
}

// Attendance is an assembly's invitees and answers, per body with quorum.
func (a *App) Attendance(ctx context.Context, id string) (domain.Assembly, []domain.BodyAttendance, error) {
	as, err := a.store.Assembly(ctx, id)
	if err != nil {
		return domain.Assembly{}, nil, err
	}
	return as, as.Attendance(a.opts.QuorumFraction), nil
}
