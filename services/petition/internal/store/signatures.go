package store

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/outbox"
	"github.com/cc4dr/coalition/services/petition/internal/domain"
)

type signatureDoc struct {
	ID                 string                 `bson:"_id"`
	PetitionID         string                 `bson:"petition_id"`
	EmailKey           string                 `bson:"email_key"`
	Email              string                 `bson:"email"`
	Name               string                 `bson:"name"`
	ShowName           bool                   `bson:"show_name"`
	LivesOrWorksInCity bool                   `bson:"lives_or_works_in_city"`
	NotifyOutcome      bool                   `bson:"notify_outcome"`
	Language           string                 `bson:"language"`
	Status             domain.SignatureStatus `bson:"status"`
	TokenHash          string                 `bson:"token_hash"`
	TokenExpiresAt     time.Time              `bson:"token_expires_at"`
	CreatedAt          time.Time              `bson:"created_at"`
	ConfirmedAt        *time.Time             `bson:"confirmed_at,omitempty"`
	IPHash             string                 `bson:"ip_hash,omitempty"`      // bursts.go
	EmailDomain        string                 `bson:"email_domain,omitempty"` // bursts.go
	RemindedAt         *time.Time             `bson:"reminded_at,omitempty"`  // SignatureAlreadyConfirmed sent
	outbox.Pending     `bson:",inline"`
}

func (d signatureDoc) domain() domain.Signature {
	s := domain.Signature{
		ID: d.ID, PetitionID: d.PetitionID, EmailKey: d.EmailKey, Email: d.Email, Name: d.Name,
		ShowName: d.ShowName, LivesOrWorksInCity: d.LivesOrWorksInCity, NotifyOutcome: d.NotifyOutcome,
		Language: d.Language, Status: d.Status, TokenHash: d.TokenHash, TokenExpiresAt: d.TokenExpiresAt,
		CreatedAt: d.CreatedAt, IPHash: d.IPHash, EmailDomain: d.EmailDomain,
	}
	if d.ConfirmedAt != nil {
		s.ConfirmedAt = *d.ConfirmedAt
	}
	if d.RemindedAt != nil {
		s.RemindedAt = *d.RemindedAt
	}
	return s
}

// ErrDuplicate means the person has already signed this petition.
var ErrDuplicate = errors.New("already signed")

// InsertSignature stores a new pending signature with its events, or returns
// ErrDuplicate when the same person (email key) already signed.
func (s *Store) InsertSignature(ctx context.Context, sig domain.Signature, events ...broker.Event) error {
	_, err := s.signatures.InsertOne(ctx, toSignatureDoc(sig, events...))
	return insertResult(err)
}

func toSignatureDoc(sig domain.Signature, events ...broker.Event) signatureDoc {
	return signatureDoc{
		ID: sig.ID, PetitionID: sig.PetitionID, EmailKey: sig.EmailKey, Email: sig.Email, Name: sig.Name,
		ShowName: sig.ShowName, LivesOrWorksInCity: sig.LivesOrWorksInCity, NotifyOutcome: sig.NotifyOutcome,
		Language: sig.Language, Status: sig.Status, TokenHash: sig.TokenHash, TokenExpiresAt: sig.TokenExpiresAt,
		CreatedAt: sig.CreatedAt, IPHash: sig.IPHash, EmailDomain: sig.EmailDomain, Pending: outbox.New(events...),
	}
}

// SignatureByEmail finds a person's signature on a petition.
func (s *Store) SignatureByEmail(ctx context.Context, petitionID, emailKey string) (domain.Signature, error) {
	return s.findSignature(ctx, bson.D{{Key: "petition_id", Value: petitionID}, {Key: "email_key", Value: emailKey}})
}

// SignatureByToken finds the signature a confirmation token belongs to:
// pending or confirmed, or withdrawn when the token was used to withdraw it
// (its hash then carries WithdrawnSuffix). The token carries the signature's
// id, so this is a read by _id; tokens from before ids were carried are
// looked up by their hash (a scan on the embedded store).
func (s *Store) SignatureByToken(ctx context.Context, token string) (domain.Signature, error) {
	hash := domain.HashToken(token)
	id, ok := domain.TokenID(token)
	if !ok {
		return s.findSignature(ctx, bson.D{{Key: "token_hash", Value: bson.D{{Key: "$in", Value: bson.A{hash, hash + WithdrawnSuffix}}}}})
	}
	sig, err := s.findSignature(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return domain.Signature{}, err
	}
	// Constant time: the stored hash is compared with the one of a guess.
	if subtle.ConstantTimeCompare([]byte(sig.TokenHash), []byte(hash)) != 1 &&
		subtle.ConstantTimeCompare([]byte(sig.TokenHash), []byte(hash+WithdrawnSuffix)) != 1 {
		return domain.Signature{}, domain.ErrSignatureNotFound // an old link (renewed since) or a wrong one
	}
	return sig, nil
}

func (s *Store) findSignature(ctx context.Context, filter bson.D) (domain.Signature, error) {
	var d signatureDoc
	err := s.signatures.FindOne(ctx, filter, options.FindOne().SetProjection(bson.D{{Key: outbox.FieldEvents, Value: 0}})).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return domain.Signature{}, domain.ErrSignatureNotFound
	}
	if err != nil {
		return domain.Signature{}, fmt.Errorf("load signature: %w", err)
	}
	return d.domain(), nil
}

// pending is a signature still waiting for its confirmation.
var pending = mongodb.Eq("status", domain.SignaturePending)

// RenewToken gives a still-pending signature a new confirmation token (the
// signer asked again) and queues the events, in one conditional write.
func (s *Store) RenewToken(ctx context.Context, id, tokenHash string, expiresAt time.Time, events ...broker.Event) error {
	ok, err := s.upd.UpdateIf(ctx, s.signatures, id, pending,
		outbox.Update(bson.D{{Key: "token_hash", Value: tokenHash}, {Key: "token_expires_at", Value: expiresAt}}, nil, events...), nil)
	if err != nil {
		return fmt.Errorf("renew token: %w", err)
	}
	if !ok {
		return domain.ErrConcurrentChange
	}
	return nil
}

// Remind records that the signer of a confirmed signature is told again
// that it exists and queues the events, in one conditional write. It
// reports false when the signature is no longer confirmed or was reminded
// after since (another submission got there first): then nothing is sent.
func (s *Store) Remind(ctx context.Context, id string, at, since time.Time, events ...broker.Event) (bool, error) {
	cond := mongodb.And(mongodb.Eq("status", domain.SignatureConfirmed),
		mongodb.Or(mongodb.Missing("reminded_at"), mongodb.Lte("reminded_at", since)))
	ok, err := s.upd.UpdateIf(ctx, s.signatures, id, cond, outbox.Update(bson.D{{Key: "reminded_at", Value: at}}, nil, events...), nil)
	if err != nil {
		return false, fmt.Errorf("remind signer: %w", err)
	}
	return ok, nil
}

// Confirm moves a pending signature to confirmed and queues the events, in
// one conditional write. It reports false when the signature was not
// pending any more (confirmed meanwhile by another click), so it is counted
// once.
func (s *Store) Confirm(ctx context.Context, id string, at time.Time, events ...broker.Event) (bool, error) {
	ok, err := s.upd.UpdateIf(ctx, s.signatures, id, pending,
		outbox.Update(bson.D{{Key: "status", Value: domain.SignatureConfirmed}, {Key: "confirmed_at", Value: at},
			{Key: fieldUncounted, Value: true}}, nil, events...), nil) // the counter folds it in (counts.go)
	if err != nil {
		return false, fmt.Errorf("confirm signature: %w", err)
	}
	return ok, nil
}

// CountSignatures counts a petition's signatures in a status (tests, reconciliation).
func (s *Store) CountSignatures(ctx context.Context, petitionID string, status domain.SignatureStatus) (int64, error) {
	n, err := s.signatures.CountDocuments(ctx, bson.D{{Key: "petition_id", Value: petitionID}, {Key: "status", Value: status}})
	if err != nil {
		return 0, fmt.Errorf("count signatures: %w", err)
	}
	return n, nil
}
