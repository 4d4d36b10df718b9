package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.uber.org/zap"
	"google.golang.org/protobuf/types/known/timestamppb"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/petition/internal/domain"
	"github.com/cc4dr/coalition/services/petition/internal/store"
)

// Membership answers whether a city is already a member of the coalition
// (the membership service's LookupCity). An error means no answer.
type Membership interface {
	CityJoined(ctx context.Context, city, country string) (bool, error)
}

// admit checks that p's city may get a petition — not a member already, no
// other petition that is not closed or rejected — and stores p with its
// events. Without an answer from membership nothing is stored.
func (a *App) admit(ctx context.Context, p domain.Petition, events ...broker.Event) error {
	if a.opts.Membership == nil {
		return domain.ErrMembershipDown
	}
	joined, err := a.opts.Membership.CityJoined(ctx, p.City, p.Country)
	if err != nil {
		a.log.Warn("membership lookup failed", zap.Error(err))
		return domain.ErrMembershipDown
	}
	if joined {
		return domain.ErrCityAlreadyMember
	}
	key := domain.CityKey(p.City, p.Country)
	if err := a.store.ClaimCity(ctx, key, p.ID, a.now()); err != nil {
		return err
	}
	if err := a.store.InsertPetition(ctx, p, events...); err != nil {
		if rerr := a.store.ReleaseCity(ctx, key, p.ID); rerr != nil {
			a.log.Warn("releasing city claim failed", zap.Error(rerr))
		}
		return err
	}
	return nil
}

// ProposeRequest is a resident's proposal.
type ProposeRequest struct {
	City, Country, Region, Title, Text, Language string
	Proposer                                     domain.Proposer
}

// ProposePetition records a resident's proposal (not public) for a
// coordinator to publish, edit or reject.
func (a *App) ProposePetition(ctx context.Context, req ProposeRequest) (domain.Petition, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return domain.Petition{}, fmt.Errorf("proposal id: %w", err)
	}
	p := domain.Petition{
		ID: id.String(), City: normalizeSpace(req.City), Country: req.Country, Region: normalizeSpace(req.Region),
		Texts:  []domain.Text{{Language: req.Language, Title: normalizeSpace(req.Title), Body: req.Text}},
		Status: domain.PetitionProposed, CreatedAt: a.now(),
		Proposer: domain.Proposer{Name: normalizeSpace(req.Proposer.Name), Email: normalizeSpace(req.Proposer.Email)},
	}
	ev, err := broker.NewEvent(Source, &petitionv1.PetitionProposed{Petition: ToProto(p)})
	if err != nil {
		return domain.Petition{}, err
	}
	if err := a.admit(ctx, p, ev); err != nil {
		return domain.Petition{}, err
	}
	a.relay.Notify(store.CollectionPetitions, p.ID)
	return p, nil
}

// Proposals lists the proposals waiting for a coordinator, oldest first.
func (a *App) Proposals(ctx context.Context, limit int) ([]domain.Petition, error) {
	if limit <= 0 {
		limit = 50
	}
	return a.store.Proposals(ctx, int64(limit))
}

func (a *App) proposal(ctx context.Context, id string) (domain.Petition, error) {
	p, err := a.store.Petition(ctx, id)
	if errors.Is(err, domain.ErrPetitionNotFound) {
		return domain.Petition{}, domain.ErrProposalNotFound
	}
	if err != nil {
		return domain.Petition{}, err
	}
	if p.Status != domain.PetitionProposed {
		if p.Status == domain.PetitionRejected || p.Public() {
			return p, domain.ErrProposalNotPending
		}
	}
	return p, nil
}

var proposed = []domain.PetitionStatus{domain.PetitionProposed}

// EditProposal replaces a proposal's texts (and region).
func (a *App) EditProposal(ctx context.Context, id string, texts []domain.Text, region string) (domain.Petition, error) {
	if _, err := a.proposal(ctx, id); err != nil {
		return domain.Petition{}, err
	}
	for i := range texts {
		texts[i].Title = normalizeSpace(texts[i].Title)
	}
	ok, err := a.store.TransitionPetition(ctx, id, proposed, bson.D{{Key: "texts", Value: texts}, {Key: "region", Value: normalizeSpace(region)}})
	if err != nil {
		return domain.Petition{}, err
	}
	if !ok {
		return domain.Petition{}, domain.ErrProposalNotPending
	}
	return a.store.Petition(ctx, id)
}

// PublishProposal opens a proposal for signatures with a goal.
func (a *App) PublishProposal(ctx context.Context, id string, goal int64, closesAt time.Time) (domain.Petition, error) {
	p, err := a.proposal(ctx, id)
	if err != nil {
		return domain.Petition{}, err
	}
	p.Status, p.Goal, p.ClosesAt, p.CreatedAt = domain.PetitionOpen, goal, closesAt, a.now()
	ev, err := broker.NewEvent(Source, &petitionv1.PetitionOpened{Petition: ToProto(p)})
	if err != nil {
		return domain.Petition{}, err
	}
	set := bson.D{{Key: "status", Value: p.Status}, {Key: "goal", Value: goal}, {Key: "created_at", Value: p.CreatedAt}}
	if !closesAt.IsZero() {
		set = append(set, bson.E{Key: "closes_at", Value: closesAt})
	}
	ok, err := a.store.TransitionPetition(ctx, id, proposed, set, ev)
	if err != nil {
		return domain.Petition{}, err
	}
	if !ok {
		return domain.Petition{}, domain.ErrProposalNotPending
	}
	a.relay.Notify(store.CollectionPetitions, id)
	return a.store.Petition(ctx, id)
}

// RejectProposal rejects a proposal, keeping the reason, and frees the city
// for another proposal.
func (a *App) RejectProposal(ctx context.Context, id, reason string) (domain.Petition, error) {
	p, err := a.proposal(ctx, id)
	if err != nil {
		return domain.Petition{}, err
	}
	p.Status, p.RejectionReason = domain.PetitionRejected, normalizeSpace(reason)
	ev, err := broker.NewEvent(Source, &petitionv1.PetitionRejected{Petition: ToProto(p)})
	if err != nil {
		return domain.Petition{}, err
	}
	ok, err := a.store.TransitionPetition(ctx, id, proposed,
		bson.D{{Key: "status", Value: p.Status}, {Key: "rejection_reason", Value: p.RejectionReason}}, ev)
	if err != nil {
		return domain.Petition{}, err
	}
	if !ok {
		return domain.Petition{}, domain.ErrProposalNotPending
	}
	a.relay.Notify(store.CollectionPetitions, id)
	if err := a.store.ReleaseCity(ctx, domain.CityKey(p.City, p.Country), p.ID); err != nil {
		return domain.Petition{}, err
	}
	return a.store.Petition(ctx, id)
}

// noticeBatch is how many outcome notices are written per bulk insert.
const noticeBatch = 500

// CityJoined moves the open petition(s) for a city that joined the
// coalition to succeeded (PetitionSucceeded) and announces the outcome to
// every signer who confirmed and asked to hear back, one
// SignatureOutcomeAnnounced per signer. Safe to run again for the same
// member: the transition is conditional and each signer's notice has a
// deterministic id, so a redelivery finishes an interrupted run and tells
// nobody twice.
func (a *App) CityJoined(ctx context.Context, memberID, city, country string) error {
	key := domain.CityKey(city, country)
	list, err := a.store.PetitionsInCountry(ctx, country, domain.PetitionOpen, domain.PetitionGoalReached, domain.PetitionSucceeded)
	if err != nil {
		return err
	}
	for _, p := range list {
		if domain.CityKey(p.City, p.Country) != key {
			continue
		}
		if p.Status == domain.PetitionSucceeded && p.MemberID != memberID {
			continue // succeeded earlier, for another member entry
		}
		if p.Status != domain.PetitionSucceeded {
			now := a.now()
			p.Status, p.MemberID, p.SucceededAt = domain.PetitionSucceeded, memberID, now
			ev, err := broker.NewEvent(Source, &petitionv1.PetitionSucceeded{
				Petition: ToProto(p), MemberId: memberID, SucceededAt: timestamppb.New(now),
			})
			if err != nil {
				return err
			}
			ok, err := a.store.TransitionPetition(ctx, p.ID, []domain.PetitionStatus{domain.PetitionOpen, domain.PetitionGoalReached},
				bson.D{{Key: "status", Value: p.Status}, {Key: "member_id", Value: memberID}, {Key: "succeeded_at", Value: now}}, ev)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("petition %s changed meanwhile; will retry", p.ID)
			}
			a.relay.Notify(store.CollectionPetitions, p.ID)
			a.log.Info("petition succeeded", zap.String("petition_id", p.ID), zap.String("member_id", memberID))
		}
		if err := a.announce(ctx, p, petitionv1.PetitionStatus_PETITION_STATUS_SUCCEEDED); err != nil {
			return err
		}
	}
	return nil
}

// announce writes one outcome notice per signer who asked to hear back.
func (a *App) announce(ctx context.Context, p domain.Petition, outcome petitionv1.PetitionStatus) error {
	after := ""
	for {
		batch, err := a.store.OutcomeRecipients(ctx, p.ID, after, noticeBatch)
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		notices := make([]store.Notice, len(batch))
		for i, r := range batch {
			lang := r.Language
			if lang == "" {
				lang = domain.DefaultLanguage
			}
			ev, err := broker.NewEvent(Source, &petitionv1.SignatureOutcomeAnnounced{
				SignatureId: r.SignatureID, PetitionId: p.ID, Outcome: outcome, PetitionTitle: p.Title(lang),
				City: p.City, Name: r.Name, Email: r.Email, Language: lang,
			})
			if err != nil {
				return err
			}
			notices[i] = store.Notice{SignatureID: r.SignatureID, PetitionID: p.ID, Outcome: outcome.String(), Event: ev}
		}
		ids, err := a.store.InsertNotices(ctx, notices, a.now())
		if err != nil {
			return err
		}
		a.relay.Notify(store.CollectionOutcomeNotices, ids...)
		after = batch[len(batch)-1].SignatureID
	}
}

// Withdraw withdraws the signature a token belongs to: it stops counting
// (once: the change is conditional) and loses its personal data, and
// SignatureWithdrawn is published. A token already used answers the same as
// a first withdrawal; an unknown one is domain.ErrTokenUnknown.
func (a *App) Withdraw(ctx context.Context, token string) error {
	sig, err := a.store.SignatureByToken(ctx, token)
	if errors.Is(err, domain.ErrSignatureNotFound) {
		return domain.ErrTokenUnknown
	}
	if err != nil {
		return err
	}
	if sig.Status != domain.SignaturePending && sig.Status != domain.SignatureConfirmed {
		return nil // used already: the same answer
	}
	return a.withdraw(ctx, sig, true)
}

// withdraw withdraws sig. With tell, the event carries what the notification
// service needs to confirm the withdrawal to the signer; an erasure leaves
// it out (the person hears about the erasure instead, once).
func (a *App) withdraw(ctx context.Context, sig domain.Signature, tell bool) error {
	now := a.now()
	msg := &petitionv1.SignatureWithdrawn{
		SignatureId: sig.ID, PetitionId: sig.PetitionID, WasConfirmed: sig.Status == domain.SignatureConfirmed,
		WithdrawnAt: timestamppb.New(now),
	}
	if tell {
		p, err := a.store.Petition(ctx, sig.PetitionID)
		if err != nil {
			return err
		}
		lang := sig.Language
		if lang == "" {
			lang = domain.DefaultLanguage
		}
		msg.PetitionTitle, msg.City, msg.Name, msg.Email, msg.Language = p.Title(lang), p.City, sig.Name, sig.Email, lang
	}
	ev, err := broker.NewEvent(Source, msg)
	if err != nil {
		return err
	}
	ok, uncount, err := a.store.Withdraw(ctx, sig, now, ev)
	if err != nil || !ok {
		return err
	}
	a.relay.Notify(store.CollectionSignatures, sig.ID)
	if uncount { // counted already: a batch takes it off (store, counts.go)
		a.counter.Note(store.CountEntry{SignatureID: sig.ID, PetitionID: sig.PetitionID, Withdrawn: true})
	}
	return nil
}

// SweepExpired deletes pending signatures older than ttl that were never
// confirmed (and whose link has expired), and erasure requests whose link
// expired unconfirmed.
func (a *App) SweepExpired(ctx context.Context, ttl time.Duration) (int64, error) {
	n, err := a.store.DeleteExpiredPending(ctx, a.now().Add(-ttl))
	if err != nil {
		return n, err
	}
	m, err := a.store.DeleteExpiredErasures(ctx, a.now()) // unconfirmed requests hold an address
	return n + m, err
}

// resendTooSoon: the pending signature's current link was issued less than
// ResendInterval ago, so signing again sends nothing new (the same answer).
func (a *App) resendTooSoon(sig domain.Signature) bool {
	if a.opts.ResendInterval <= 0 {
		return false
	}
	issued := sig.TokenExpiresAt.Add(-a.opts.ConfirmationTTL)
	return a.now().Before(issued.Add(a.opts.ResendInterval))
}
