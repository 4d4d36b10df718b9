package app

import (
	"context"
	"errors"

	"go.uber.org/zap"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	"github.com/cc4dr/coalition/services/events/internal/domain"
	"github.com/cc4dr/coalition/services/events/internal/store"
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
	as, _, err := a.answer(ctx, assemblyID, func(as domain.Assembly) int { return as.InviteeByToken(hash) }, r,
		eventsv1.AnswerChannel_ANSWER_CHANNEL_RSVP_LINK)
	return as, err
}

// answer records the answer r of the invitee find picks (-1: not invited)
// under the assembly's lock, with the rules of domain.Assembly.Answer. A
// changed answer is written with its AssemblyInviteeResponded event; the
// same answer again writes nothing. It returns the assembly and the
// invitee as they are now.
func (a *App) answer(ctx context.Context, assemblyID string, find func(domain.Assembly) int, r domain.Response,
	channel eventsv1.AnswerChannel) (domain.Assembly, domain.Invitee, error) {
	now := a.now()
	var current domain.Assembly
	var who domain.Invitee
	as, err := a.store.UpdateAssemblyLocked(ctx, assemblyID, func(as *domain.Assembly) ([]broker.Event, error) {
		i := find(*as)
		if i < 0 {
			return nil, domain.ErrInvitationNotFound
		}
		previous, changed, err := as.Answer(i, r, now)
		if err != nil {
			return nil, err
		}
		current, who = *as, as.Invitees[i]
		if !changed {
			return nil, errUnchanged
		}
		ev, err := broker.NewEvent(Source, &eventsv1.AssemblyInviteeResponded{
			AssemblyId: as.ID, Email: who.Key, RepresentativeId: who.RepresentativeID, BodyId: who.BodyID,
			Response: ResponseToProto(r), PreviousResponse: ResponseToProto(previous), RespondedAt: timestamppb.New(now),
			Channel: channel,
		})
		return []broker.Event{ev}, err
	})
	if errors.Is(err, errUnchanged) {
		return current, who, nil
	}
	if err != nil {
		return domain.Assembly{}, domain.Invitee{}, err
	}
	a.relay.Notify(store.CollectionAssemblies, as.ID)
	a.log.Debug("invitation answered", zap.String("assembly_id", as.ID), zap.String("response", string(r)),
		zap.String("channel", channel.String()))
	return as, who, nil
}

// Attendance is an assembly's invitees and answers, per body with quorum.
func (a *App) Attendance(ctx context.Context, id string) (domain.Assembly, []domain.BodyAttendance, error) {
	as, err := a.store.Assembly(ctx, id)
	if err != nil {
		return domain.Assembly{}, nil, err
	}
	return as, as.Attendance(a.opts.QuorumFraction), nil
}
