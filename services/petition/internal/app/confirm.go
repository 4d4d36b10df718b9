package app

import (
	"context"
	"errors"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/petition/internal/domain"
	"github.com/cc4dr/coalition/services/petition/internal/store"
)

// confirmFlushWait bounds how long a confirmation waits for its count.
const confirmFlushWait = 2 * time.Second

// Confirm confirms the signature a token belongs to and returns its petition
// with the new count. Following the same link again changes nothing and
// answers the same (people click twice); an unknown or expired link is an
// error.
func (a *App) Confirm(ctx context.Context, token string) (domain.Petition, error) {
	sig, err := a.store.SignatureByToken(ctx, token)
	if errors.Is(err, domain.ErrSignatureNotFound) || err == nil && sig.Status == domain.SignatureWithdrawn {
		return domain.Petition{}, domain.ErrTokenUnknown // a used withdrawal link no longer confirms
	}
	if err != nil {
		return domain.Petition{}, err
	}
	now := a.now()
	if err := sig.Confirmable(now); err != nil {
		return domain.Petition{}, err
	}
	if sig.Status == domain.SignaturePending {
		ev, err := broker.NewEvent(Source, &petitionv1.SignatureConfirmed{
			SignatureId: sig.ID, PetitionId: sig.PetitionID, ConfirmedAt: timestamppb.New(now),
		})
		if err != nil {
			return domain.Petition{}, err
		}
		changed, err := a.store.Confirm(ctx, sig.ID, now, ev)
		if err != nil {
			return domain.Petition{}, err
		}
		if changed {
			a.relay.Notify(store.CollectionSignatures, sig.ID)
			// The counter folds it into the count in its next batch; wait
			// for that batch (briefly) so the answer shows it counted.
			a.counter.Note(store.CountEntry{SignatureID: sig.ID, PetitionID: sig.PetitionID})
			a.counter.Flush(ctx, confirmFlushWait)
		}
	}
	return a.store.Petition(ctx, sig.PetitionID)
}
