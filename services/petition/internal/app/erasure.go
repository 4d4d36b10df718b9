package app

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"google.golang.org/protobuf/types/known/timestamppb"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/logging"
	"github.com/cc4dr/coalition/services/petition/internal/domain"
	"github.com/cc4dr/coalition/services/petition/internal/store"
)

// RequestErasure emails a link that erases every signature made with email.
// It is sent whether or not the address signed anything (only its owner
// reads it), so the answer reveals nothing; the caller limits how often.
func (a *App) RequestErasure(ctx context.Context, email, language string) error {
	if language == "" {
		language = domain.DefaultLanguage
	}
	id, err := uuid.NewV7()
	if err != nil {
		return fmt.Errorf("erasure id: %w", err)
	}
	token, hash, err := domain.NewToken(id.String())
	if err != nil {
		return err
	}
	now := a.now()
	e := store.Erasure{
		ID: id.String(), EmailKey: domain.NormalizeEmail(email), Email: normalizeSpace(email), Language: language,
		TokenHash: hash, ExpiresAt: now.Add(a.opts.ConfirmationTTL), Status: store.ErasureRequested, CreatedAt: now,
	}
	ev, err := broker.NewEvent(Source, &petitionv1.ErasureRequested{
		RequestId: e.ID, Email: e.Email, Language: language, ConfirmationToken: token, ExpiresAt: timestamppb.New(e.ExpiresAt),
	})
	if err != nil {
		return err
	}
	if err := a.store.InsertErasure(ctx, e, ev); err != nil {
		return err
	}
	a.relay.Notify(store.CollectionErasures, e.ID)
	return nil
}

// ConfirmErasure erases every signature made with the request's address —
// each withdrawn exactly as WithdrawSignature does (a confirmed one stops
// counting, once) — and the address from the proposals it made, then
// publishes ErasureConfirmed for the other services. Following the link again
// changes nothing; an interrupted run is finished by the next click.
func (a *App) ConfirmErasure(ctx context.Context, token string) error {
	e, err := a.store.ErasureByToken(ctx, token)
	if err != nil {
		return err
	}
	if e.Status == store.ErasureConfirmed {
		return nil
	}
	now := a.now()
	if now.After(e.ExpiresAt) {
		return domain.ErrTokenExpired
	}
	sigs, err := a.store.SignaturesByEmail(ctx, e.EmailKey)
	if err != nil {
		return err
	}
	for _, sig := range sigs {
		if err := a.withdraw(ctx, sig, false); err != nil {
			return err
		}
	}
	if err := a.store.ForgetProposer(ctx, e.EmailKey); err != nil {
		return err
	}
	ev, err := broker.NewEvent(Source, &petitionv1.ErasureConfirmed{
		RequestId: e.ID, Email: e.EmailKey, EmailHash: logging.EmailHash(e.EmailKey), ConfirmedAt: timestamppb.New(now),
	})
	if err != nil {
		return err
	}
	if _, err := a.store.ConfirmErasure(ctx, e.ID, now, ev); err != nil {
		return err
	}
	a.relay.Notify(store.CollectionErasures, e.ID)
	return nil
}

// Bursts lists the sources (hashed network address, email domain) of at
// least threshold signatures within window.
func (a *App) Bursts(ctx context.Context, window time.Duration, threshold int64) (byIP, byDomain []domain.Burst, err error) {
	since := a.now().Add(-window)
	conv := func(list []store.Burst) []domain.Burst {
		out := make([]domain.Burst, len(list))
		for i, b := range list {
			out[i] = domain.Burst{Key: b.Key, Signatures: b.Signatures, Petitions: b.Petitions, FirstAt: b.FirstAt, LastAt: b.LastAt}
		}
		return out
	}
	ips, err := a.store.Bursts(ctx, "ip_hash", since, threshold, 50)
	if err != nil {
		return nil, nil, err
	}
	domains, err := a.store.Bursts(ctx, "email_domain", since, threshold, 50)
	if err != nil {
		return nil, nil, err
	}
	return conv(ips), conv(domains), nil
}
