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

// CollectionErasures holds erasure requests: one per request, carrying the
// address only until the erasure is confirmed (or the request expires and is
// swept).
const CollectionErasures = "erasure_requests"

// Erasure statuses.
const (
	ErasureRequested = "requested"
	ErasureConfirmed = "confirmed"
)

// Erasure is one request to erase an address's signatures.
type Erasure struct {
	ID        string    `bson:"_id"`
	EmailKey  string    `bson:"email_key,omitempty"`
	Email     string    `bson:"email,omitempty"`
	Language  string    `bson:"language,omitempty"`
	TokenHash string    `bson:"token_hash"`
	ExpiresAt time.Time `bson:"expires_at"`
	Status    string    `bson:"status"`
	CreatedAt time.Time `bson:"created_at"`
}

type erasureDoc struct {
	Erasure        `bson:",inline"`
	outbox.Pending `bson:",inline"`
}

// ErasureIndexes are the indexes erasure.go needs.
func ErasureIndexes() []mongodb.Index {
	return append([]mongodb.Index{
		{Collection: CollectionErasures, Name: "token_hash", Unique: true, Keys: bson.D{{Key: "token_hash", Value: 1}}},
		{Collection: CollectionErasures, Name: "expires_at", Keys: bson.D{{Key: "expires_at", Value: 1}}},
		{Collection: CollectionSignatures, Name: "email_key", Keys: bson.D{{Key: "email_key", Value: 1}}},
		{Collection: CollectionPetitions, Name: "proposer_email_key", Keys: bson.D{{Key: "proposer_email_key", Value: 1}}},
	}, outbox.Indexes(CollectionErasures)...)
}

// InsertErasure stores a new erasure request with its events.
func (s *Store) InsertErasure(ctx context.Context, e Erasure, events ...broker.Event) error {
	if _, err := s.db.Collection(CollectionErasures).InsertOne(ctx, erasureDoc{Erasure: e, Pending: outbox.New(events...)}); err != nil {
		return fmt.Errorf("insert erasure request: %w", err)
	}
	return nil
}

// ErasureByToken finds the request a token belongs to, by the request id the
// token carries (tokens from before ids were carried: by their hash).
func (s *Store) ErasureByToken(ctx context.Context, token string) (Erasure, error) {
	hash := domain.HashToken(token)
	filter := bson.D{{Key: "token_hash", Value: hash}}
	if id, ok := domain.TokenID(token); ok {
		filter = bson.D{{Key: "_id", Value: id}}
	}
	var e Erasure
	err := s.db.Collection(CollectionErasures).FindOne(ctx, filter,
		options.FindOne().SetProjection(bson.D{{Key: outbox.FieldEvents, Value: 0}})).Decode(&e)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return Erasure{}, domain.ErrTokenUnknown
	}
	if err != nil {
		return Erasure{}, fmt.Errorf("load erasure request: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(e.TokenHash), []byte(hash)) != 1 {
		return Erasure{}, domain.ErrTokenUnknown
	}
	return e, nil
}

// ConfirmErasure marks a request confirmed and forgets its address, queueing
// the events, in one conditional write. It reports false when the request
// was confirmed already.
func (s *Store) ConfirmErasure(ctx context.Context, id string, at time.Time, events ...broker.Event) (bool, error) {
	update := outbox.Update(bson.D{{Key: "status", Value: ErasureConfirmed}, {Key: "confirmed_at", Value: at}}, nil, events...)
	update = append(update, bson.E{Key: "$unset", Value: bson.D{{Key: "email", Value: ""}, {Key: "email_key", Value: ""}, {Key: "language", Value: ""}}})
	ok, err := s.upd.UpdateIf(ctx, s.db.Collection(CollectionErasures), id, mongodb.Eq("status", ErasureRequested), update, nil)
	if err != nil {
		return false, fmt.Errorf("confirm erasure: %w", err)
	}
	return ok, nil
}

// DeleteExpiredErasures deletes unconfirmed requests whose link expired
// before cutoff and whose events are out (they hold an address).
func (s *Store) DeleteExpiredErasures(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := s.db.Collection(CollectionErasures).DeleteMany(ctx, bson.D{
		{Key: "status", Value: ErasureRequested},
		{Key: "expires_at", Value: bson.D{{Key: "$lt", Value: cutoff}}},
		{Key: outbox.FieldPending, Value: bson.D{{Key: "$ne", Value: true}}},
	})
	if err != nil {
		return 0, fmt.Errorf("delete expired erasure requests: %w", err)
	}
	return res.DeletedCount, nil
}

// SignaturesByEmail lists every pending or confirmed signature made with an
// address (email key), across petitions.
func (s *Store) SignaturesByEmail(ctx context.Context, emailKey string) ([]domain.Signature, error) {
	cur, err := s.signatures.Find(ctx, bson.D{{Key: "email_key", Value: emailKey},
		{Key: "status", Value: bson.D{{Key: "$in", Value: bson.A{domain.SignaturePending, domain.SignatureConfirmed}}}}},
		options.Find().SetProjection(bson.D{{Key: outbox.FieldEvents, Value: 0}}))
	if err != nil {
		return nil, fmt.Errorf("find signatures: %w", err)
	}
	var docs []signatureDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read signatures: %w", err)
	}
	out := make([]domain.Signature, len(docs))
	for i, d := range docs {
		out[i] = d.domain()
	}
	return out, nil
}

// ForgetProposer removes a proposer's name and address from the petitions
// they proposed (each a conditional write).
func (s *Store) ForgetProposer(ctx context.Context, emailKey string) error {
	cur, err := s.petitions.Find(ctx, bson.D{{Key: "proposer_email_key", Value: emailKey}}, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return fmt.Errorf("find proposals: %w", err)
	}
	var ids []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &ids); err != nil {
		return fmt.Errorf("read proposals: %w", err)
	}
	for _, d := range ids {
		if err := s.forgetProposer(ctx, d.ID, emailKey); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) forgetProposer(ctx context.Context, id, emailKey string) error {
	_, err := s.upd.UpdateIf(ctx, s.petitions, id, mongodb.Eq("proposer_email_key", emailKey),
		bson.D{{Key: "$unset", Value: bson.D{{Key: "proposer_name", Value: ""}, {Key: "proposer_email", Value: ""}, {Key: "proposer_email_key", Value: ""}}}}, nil)
	if err != nil {
		return fmt.Errorf("forget proposer: %w", err)
	}
	return nil
}
