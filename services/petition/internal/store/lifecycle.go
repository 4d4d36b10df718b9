package store

import (
	"context"
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

// Collections of the petition lifecycle.
const (
	// CollectionCityClaims holds one document per city (domain.CityKey) that
	// has a petition which is not closed or rejected: its _id is the key, so
	// the unique _id index refuses a second petition for the same city.
	// (FerretDB v1 has no partial indexes, hence a collection of its own.)
	CollectionCityClaims = "city_claims"
	// CollectionOutcomeNotices holds one document per (signature, outcome):
	// the event telling that signer the outcome rides in it. Its
	// deterministic _id makes announcing an outcome idempotent.
	CollectionOutcomeNotices = "outcome_notices"
)

// LifecycleFields are the petition document's lifecycle fields.
type LifecycleFields struct {
	CityKey         string `bson:"city_key,omitempty"`
	RejectionReason string `bson:"rejection_reason,omitempty"`
	ProposerName    string `bson:"proposer_name,omitempty"`
	ProposerEmail   string `bson:"proposer_email,omitempty"`
	// ProposerEmailKey finds the proposals of an address (erasure).
	ProposerEmailKey string     `bson:"proposer_email_key,omitempty"`
	MemberID         string     `bson:"member_id,omitempty"`
	SucceededAt      *time.Time `bson:"succeeded_at,omitempty"`
}

func toLifecycleFields(p domain.Petition) LifecycleFields {
	f := LifecycleFields{
		CityKey: domain.CityKey(p.City, p.Country), RejectionReason: p.RejectionReason,
		ProposerName: p.Proposer.Name, ProposerEmail: p.Proposer.Email, MemberID: p.MemberID,
	}
	if p.Proposer.Email != "" {
		f.ProposerEmailKey = domain.NormalizeEmail(p.Proposer.Email)
	}
	if !p.SucceededAt.IsZero() {
		t := p.SucceededAt
		f.SucceededAt = &t
	}
	return f
}

func (f LifecycleFields) apply(p *domain.Petition) {
	p.RejectionReason, p.MemberID = f.RejectionReason, f.MemberID
	p.Proposer = domain.Proposer{Name: f.ProposerName, Email: f.ProposerEmail}
	if f.SucceededAt != nil {
		p.SucceededAt = *f.SucceededAt
	}
}

// publicOnly filters out proposals (proposed, rejected).
var publicOnly = bson.E{Key: "status", Value: bson.D{{Key: "$nin", Value: bson.A{domain.PetitionProposed, domain.PetitionRejected}}}}

// LifecycleIndexes are the indexes lifecycle.go needs.
func LifecycleIndexes() []mongodb.Index {
	return append([]mongodb.Index{
		{Collection: CollectionPetitions, Name: "country_status", Keys: bson.D{{Key: "country", Value: 1}, {Key: "status", Value: 1}}},
		{Collection: CollectionSignatures, Name: "petition_status", Keys: bson.D{{Key: "petition_id", Value: 1}, {Key: "status", Value: 1}}},
		{Collection: CollectionSignatures, Name: "status_created", Keys: bson.D{{Key: "status", Value: 1}, {Key: "created_at", Value: 1}}},
	}, append(append(ErasureIndexes(), BurstIndexes()...), outbox.Indexes(CollectionOutcomeNotices)...)...)
}

type claimDoc struct {
	ID         string    `bson:"_id"`
	PetitionID string    `bson:"petition_id"`
	ClaimedAt  time.Time `bson:"claimed_at"`
}

// claimStale is how old a claim whose petition was never written (a crash
// between the two inserts) must be before another petition may take it.
const claimStale = time.Minute

// ClaimCity reserves the city for petitionID, or returns
// domain.ErrPetitionExists when another petition holds it.
func (s *Store) ClaimCity(ctx context.Context, cityKey, petitionID string, now time.Time) error {
	claims := s.db.Collection(CollectionCityClaims)
	for range 2 {
		_, err := claims.InsertOne(ctx, claimDoc{ID: cityKey, PetitionID: petitionID, ClaimedAt: now})
		if err == nil {
			return nil
		}
		if !mongodb.IsDuplicateKey(err) {
			return fmt.Errorf("claim city: %w", err)
		}
		var c claimDoc
		if err := claims.FindOne(ctx, bson.D{{Key: "_id", Value: cityKey}}).Decode(&c); errors.Is(err, mongo.ErrNoDocuments) {
			continue // released meanwhile
		} else if err != nil {
			return fmt.Errorf("claim city: %w", err)
		}
		if _, err := s.Petition(ctx, c.PetitionID); !errors.Is(err, domain.ErrPetitionNotFound) || now.Sub(c.ClaimedAt) < claimStale {
			return domain.ErrPetitionExists
		}
		// An orphan: its petition was never written.
		if _, err := claims.DeleteOne(ctx, bson.D{{Key: "_id", Value: cityKey}, {Key: "petition_id", Value: c.PetitionID}}); err != nil {
			return fmt.Errorf("claim city: %w", err)
		}
	}
	return domain.ErrPetitionExists
}

// ReleaseCity frees the city if petitionID holds it.
func (s *Store) ReleaseCity(ctx context.Context, cityKey, petitionID string) error {
	_, err := s.db.Collection(CollectionCityClaims).DeleteOne(ctx, bson.D{{Key: "_id", Value: cityKey}, {Key: "petition_id", Value: petitionID}})
	if err != nil {
		return fmt.Errorf("release city: %w", err)
	}
	return nil
}

// Proposals lists proposals waiting for a coordinator, oldest first.
func (s *Store) Proposals(ctx context.Context, limit int64) ([]domain.Petition, error) {
	cur, err := s.petitions.Find(ctx, bson.D{{Key: "status", Value: domain.PetitionProposed}}, options.Find().
		SetSort(bson.D{{Key: "created_at", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(limit).
		SetProjection(bson.D{{Key: outbox.FieldEvents, Value: 0}}))
	if err != nil {
		return nil, fmt.Errorf("list proposals: %w", err)
	}
	var docs []petitionDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read proposals: %w", err)
	}
	out := make([]domain.Petition, len(docs))
	for i, d := range docs {
		out[i] = d.domain()
	}
	return out, nil
}

// TransitionPetition applies set to a petition whose status is one of from
// and queues the events, in one conditional write. It reports false (and
// writes nothing) when the petition was in another status.
func (s *Store) TransitionPetition(ctx context.Context, id string, from []domain.PetitionStatus, set bson.D, events ...broker.Event) (bool, error) {
	statuses := make([]any, len(from))
	for i, st := range from {
		statuses[i] = st
	}
	ok, err := s.upd.UpdateIf(ctx, s.petitions, id, mongodb.In("status", statuses...), outbox.Update(set, nil, events...), nil)
	if err != nil {
		return false, fmt.Errorf("update petition: %w", err)
	}
	return ok, nil
}

// PetitionsInCountry lists the petitions of a country in the given statuses
// (the city joined consumer matches names itself, with domain.CityKey, so
// petitions written before city_key existed match too).
func (s *Store) PetitionsInCountry(ctx context.Context, country string, statuses ...domain.PetitionStatus) ([]domain.Petition, error) {
	cur, err := s.petitions.Find(ctx, bson.D{{Key: "country", Value: country}, {Key: "status", Value: bson.D{{Key: "$in", Value: statuses}}}},
		options.Find().SetProjection(bson.D{{Key: outbox.FieldEvents, Value: 0}}))
	if err != nil {
		return nil, fmt.Errorf("find petitions: %w", err)
	}
	var docs []petitionDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read petitions: %w", err)
	}
	out := make([]domain.Petition, len(docs))
	for i, d := range docs {
		out[i] = d.domain()
	}
	return out, nil
}

// Recipient is a signer who confirmed and asked to hear the outcome.
type Recipient struct {
	SignatureID string `bson:"_id"`
	Name        string `bson:"name"`
	Email       string `bson:"email"`
	Language    string `bson:"language"`
}

// OutcomeRecipients pages through a petition's confirmed signers who asked
// to hear the outcome, in id order after afterID.
func (s *Store) OutcomeRecipients(ctx context.Context, petitionID, afterID string, limit int64) ([]Recipient, error) {
	filter := bson.D{{Key: "petition_id", Value: petitionID}, {Key: "status", Value: domain.SignatureConfirmed}, {Key: "notify_outcome", Value: true}}
	if afterID != "" {
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$gt", Value: afterID}}})
	}
	cur, err := s.signatures.Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(limit).
		SetProjection(bson.D{{Key: "name", Value: 1}, {Key: "email", Value: 1}, {Key: "language", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("find outcome recipients: %w", err)
	}
	var out []Recipient
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("read outcome recipients: %w", err)
	}
	return out, nil
}

type noticeDoc struct {
	ID             string    `bson:"_id"`
	SignatureID    string    `bson:"signature_id"`
	PetitionID     string    `bson:"petition_id"`
	CreatedAt      time.Time `bson:"created_at"`
	outbox.Pending `bson:",inline"`
}

// Notice is one outcome announcement for one signer.
type Notice struct {
	SignatureID, PetitionID, Outcome string
	Event                            broker.Event
}

// InsertNotices writes outcome notices in one unordered bulk insert; a
// notice that exists already (an earlier, interrupted run) is skipped, so
// each signer is told once. It returns the notices' ids (for the relay).
func (s *Store) InsertNotices(ctx context.Context, notices []Notice, now time.Time) ([]string, error) {
	if len(notices) == 0 {
		return nil, nil
	}
	docs := make([]any, len(notices))
	ids := make([]string, len(notices))
	for i, n := range notices {
		ids[i] = n.SignatureID + "/" + n.Outcome
		docs[i] = noticeDoc{
			ID: ids[i], SignatureID: n.SignatureID, PetitionID: n.PetitionID, CreatedAt: now,
			Pending: outbox.New(n.Event),
		}
	}
	_, err := s.db.Collection(CollectionOutcomeNotices).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	var bulk mongo.BulkWriteException
	if errors.As(err, &bulk) && bulk.WriteConcernError == nil {
		for _, we := range bulk.WriteErrors {
			if we.Code != 11000 {
				return nil, fmt.Errorf("insert outcome notices: %w", err)
			}
		}
		return ids, nil
	}
	if err != nil {
		return nil, fmt.Errorf("insert outcome notices: %w", err)
	}
	return ids, nil
}

// Withdraw moves a pending or confirmed signature to withdrawn and removes
// its personal data, queueing the events, in one conditional write. The
// document stays as a tombstone (no name or email; its email key replaced by
// a unique placeholder, its token hash marked used).
//
// Counting (counts.go): a signature no count batch has claimed yet (no
// count_batch) loses its "uncounted" mark, so it never will be counted; one
// a batch has claimed is marked to be taken off the count (uncount) by a
// later batch, and uncount reports so (the caller tells the counter). ok is
// false when the signature was not in sig.Status any more (withdrawn
// meanwhile): nothing changed.
func (s *Store) Withdraw(ctx context.Context, sig domain.Signature, at time.Time, events ...broker.Event) (ok, uncount bool, err error) {
	set := func(extra ...bson.E) bson.D {
		return append(bson.D{
			{Key: "status", Value: domain.SignatureWithdrawn}, {Key: "withdrawn_at", Value: at},
			{Key: "email", Value: ""}, {Key: "name", Value: ""}, {Key: "email_key", Value: "withdrawn:" + sig.ID},
			{Key: "token_hash", Value: sig.TokenHash + WithdrawnSuffix},
		}, extra...)
	}
	inStatus := mongodb.Eq("status", sig.Status)
	counted := outbox.Update(set(bson.E{Key: fieldUncount, Value: true}), nil, events...)
	notCounted := append(outbox.Update(set(), nil, events...), bson.E{Key: "$unset", Value: bson.D{{Key: fieldUncounted, Value: ""}}})
	// Two conditional writes, as the update depends on whether a batch has
	// claimed the signature; a claim landing between them is retried.
	for range 3 {
		ok, err := s.upd.UpdateIf(ctx, s.signatures, sig.ID, mongodb.And(inStatus, mongodb.Exists(fieldCountBatch)), counted, nil)
		if err != nil || ok {
			return ok, ok, wrapErr("withdraw signature", err)
		}
		ok, err = s.upd.UpdateIf(ctx, s.signatures, sig.ID, mongodb.And(inStatus, mongodb.Missing(fieldCountBatch)), notCounted, nil)
		if err != nil || ok {
			return ok, false, wrapErr("withdraw signature", err)
		}
		still, err := s.upd.FindEach(ctx, s.signatures, []string{sig.ID}, inStatus, "_id")
		if err != nil || len(still) == 0 {
			return false, false, wrapErr("withdraw signature", err)
		}
	}
	return false, false, fmt.Errorf("withdraw signature: %w", domain.ErrConcurrentChange)
}

func wrapErr(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}

// WithdrawnSuffix marks a used token's hash in a withdrawn signature: the
// link no longer confirms or withdraws, but is recognised as used.
const WithdrawnSuffix = ":withdrawn"

// DeleteExpiredPending deletes pending signatures created before cutoff
// whose events have been published (a signature with an unpublished event
// waits for the relay). It reports how many went.
func (s *Store) DeleteExpiredPending(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := s.signatures.DeleteMany(ctx, bson.D{
		{Key: "status", Value: domain.SignaturePending},
		{Key: "created_at", Value: bson.D{{Key: "$lt", Value: cutoff}}},
		{Key: "token_expires_at", Value: bson.D{{Key: "$lt", Value: cutoff}}},
		{Key: outbox.FieldPending, Value: bson.D{{Key: "$ne", Value: true}}},
	})
	if err != nil {
		return 0, fmt.Errorf("delete expired signatures: %w", err)
	}
	return res.DeletedCount, nil
}
