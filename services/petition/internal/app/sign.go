package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"go.uber.org/zap"
	"google.golang.org/protobuf/types/known/timestamppb"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/petition/internal/domain"
	"github.com/cc4dr/coalition/services/petition/internal/store"
)

// SignRequest is what a resident submits.
type SignRequest struct {
	PetitionID         string
	Name               string
	ShowName           bool
	Email              string
	LivesOrWorksInCity bool
	NotifyOutcome      bool
	Language           string
	// IPHash is the salted hash of the signer's network address (bursts).
	IPHash string
}

// Sign records a pending signature and queues the confirmation email. When
// the person already signed and is still pending, a fresh link is sent
// instead; when already confirmed, the signer is told so by email
// (SignatureAlreadyConfirmed) and nothing else changes. Both emails go out at
// most once per ResendInterval. The caller answers the same way in every
// case, so the form reveals nothing about who signed.
func (a *App) Sign(ctx context.Context, req SignRequest) error {
	p, err := a.store.Petition(ctx, req.PetitionID)
	if err != nil {
		return err
	}
	now := a.now()
	if !p.AcceptsSignatures(now) {
		return domain.ErrPetitionNotOpen
	}
	if req.Language == "" {
		req.Language = domain.DefaultLanguage
	}
	id, err := uuid.NewV7()
	if err != nil {
		return fmt.Errorf("signature id: %w", err)
	}
	token, hash, err := domain.NewToken(id.String())
	if err != nil {
		return err
	}
	sig := domain.Signature{
		ID: id.String(), PetitionID: p.ID, EmailKey: domain.NormalizeEmail(req.Email), Email: normalizeSpace(req.Email),
		Name: normalizeSpace(req.Name), ShowName: req.ShowName, LivesOrWorksInCity: req.LivesOrWorksInCity,
		NotifyOutcome: req.NotifyOutcome, Language: req.Language, Status: domain.SignaturePending,
		TokenHash: hash, TokenExpiresAt: now.Add(a.opts.ConfirmationTTL), CreatedAt: now,
		IPHash: req.IPHash, EmailDomain: domain.EmailDomain(req.Email),
	}
	ev, err := a.requestedEvent(p, sig, token)
	if err != nil {
		return err
	}
	err = a.signer.Insert(ctx, sig, ev) // group commit (store.SignatureBatcher)
	if errors.Is(err, store.ErrDuplicate) {
		return a.signAgain(ctx, p, sig)
	}
	if err != nil {
		return err
	}
	a.relay.Notify(store.CollectionSignatures, sig.ID)
	return nil
}

// signAgain handles a second submission by the same person.
func (a *App) signAgain(ctx context.Context, p domain.Petition, fresh domain.Signature) error {
	existing, err := a.store.SignatureByEmail(ctx, p.ID, fresh.EmailKey)
	if err != nil {
		return err
	}
	if existing.Status == domain.SignatureConfirmed {
		return a.remind(ctx, p, existing)
	}
	if existing.Status != domain.SignaturePending {
		return nil // withdrawn meanwhile (its email key is a placeholder now)
	}
	if a.resendTooSoon(existing) { // lifecycle.go: at most one resend per ResendInterval
		return nil
	}
	// Still pending: a new link replaces the old one (the old one may be lost).
	token, hash, err := domain.NewToken(existing.ID)
	if err != nil {
		return err
	}
	existing.Language, existing.Name, existing.Email = fresh.Language, fresh.Name, fresh.Email
	existing.TokenExpiresAt = fresh.TokenExpiresAt
	ev, err := a.requestedEvent(p, existing, token)
	if err != nil {
		return err
	}
	if err := a.store.RenewToken(ctx, existing.ID, hash, existing.TokenExpiresAt, ev); err != nil {
		if errors.Is(err, domain.ErrConcurrentChange) {
			return nil // confirmed meanwhile: nothing to send
		}
		return err
	}
	a.relay.Notify(store.CollectionSignatures, existing.ID)
	return nil
}

// remind tells the owner of the address that their signature is already
// confirmed (SignatureAlreadyConfirmed), at most once per ResendInterval,
// The mail uses the name and language the signer confirmed, not the new
// submission's: whoever typed the address need not be its owner.
func (a *App) remind(ctx context.Context, p domain.Petition, existing domain.Signature) error {
	now := a.now()
	since := now.Add(-a.opts.ResendInterval)
	if a.opts.ResendInterval > 0 && existing.RemindedAt.After(since) {
		return nil
	}
	ev, err := broker.NewEvent(Source, &petitionv1.SignatureAlreadyConfirmed{
		SignatureId:   existing.ID,
		PetitionId:    p.ID,
		PetitionTitle: p.Title(existing.Language),
		City:          p.City,
		Name:          existing.Name,
		Email:         existing.Email,
		Language:      existing.Language,
		RequestedAt:   timestamppb.New(now),
	})
	if err != nil {
		return err
	}
	if a.opts.ResendInterval <= 0 {
		since = now // no limit: any earlier reminder allows another
	}
	sent, err := a.store.Remind(ctx, existing.ID, now, since, ev)
	if err != nil {
		return err
	}
	if sent {
		a.log.Debug("signature already confirmed; reminder queued", zap.String("signature_id", existing.ID))
		a.relay.Notify(store.CollectionSignatures, existing.ID)
	}
	return nil
}

func (a *App) requestedEvent(p domain.Petition, sig domain.Signature, token string) (broker.Event, error) {
	return broker.NewEvent(Source, &petitionv1.SignatureRequested{
		SignatureId:       sig.ID,
		PetitionId:        p.ID,
		PetitionTitle:     p.Title(sig.Language),
		City:              p.City,
		Name:              sig.Name,
		Email:             sig.Email,
		Language:          sig.Language,
		ConfirmationToken: token,
		ExpiresAt:         timestamppb.New(sig.TokenExpiresAt),
	})
}
