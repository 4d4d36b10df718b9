// Package inbox implements DESIGN.md's reliability rule 2, idempotent
// consumers: each consumer records the ids of the events it has applied in
// its own service's database (a unique key), and an event it has already
// applied is acknowledged without applying it again, however often JetStream
// delivers it (redelivery after a lost ack, an ack after AckWait, a replay).
//
// The record is written after the effect. A crash between the two leaves the
// event unrecorded and it is applied again, so handlers keep their effects
// idempotent by their own keys as well (e.g. the notification service keys a
// delivery by event, recipient and template). The inbox makes the common
// case cheap; the handler's keys make the rare case safe.
//
// The package also keeps the consumer's dead letters (deadletters.go):
// events that failed for good, with the error, for a coordinator to list
// and replay through the inbox, so a replay still applies an event once.
// Dead letters hold whole events, so they are found by the hashes of the
// addresses they name for a person's erasure (PurgeConcerning) and swept
// after a retention (SweepDeadLetters).
package inbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/mongodb"
)

// Collection names in the consuming service's database.
const (
	CollectionInbox       = "inbox"
	CollectionDeadLetters = "dead_letters"
)

// Store is a service's inbox and dead-letter list.
type Store struct {
	inbox *mongo.Collection
	dead  *mongo.Collection
}

// New binds the store to a service's database.
func New(db *mongo.Database) *Store {
	return &Store{inbox: db.Collection(CollectionInbox), dead: db.Collection(CollectionDeadLetters)}
}

// Indexes are the indexes the store needs (the inbox key is its _id).
func Indexes() []mongodb.Index {
	return []mongodb.Index{
		{Collection: CollectionInbox, Name: "applied_at", Keys: bson.D{{Key: "applied_at", Value: 1}}},
		{Collection: CollectionDeadLetters, Name: "consumer_time", Keys: bson.D{{Key: "consumer", Value: 1}, {Key: "failed_at", Value: -1}}},
		{Collection: CollectionDeadLetters, Name: "failed_at", Keys: bson.D{{Key: "failed_at", Value: 1}}},
		{Collection: CollectionDeadLetters, Name: "concerns", Keys: bson.D{{Key: "concerns", Value: 1}}},
	}
}

type record struct {
	ID        string    `bson:"_id"`
	Consumer  string    `bson:"consumer"`
	EventID   string    `bson:"event_id"`
	Type      string    `bson:"type"`
	AppliedAt time.Time `bson:"applied_at"`
}

func key(consumer, eventID string) string { return consumer + "/" + eventID }

// Applied reports whether the consumer has applied the event.
func (s *Store) Applied(ctx context.Context, consumer, eventID string) (bool, error) {
	err := s.inbox.FindOne(ctx, bson.D{{Key: "_id", Value: key(consumer, eventID)}}).Err()
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return false, nil
	default:
		return false, fmt.Errorf("inbox lookup: %w", err)
	}
}

// Record notes that the consumer applied the event; recording twice is fine.
func (s *Store) Record(ctx context.Context, consumer string, ev broker.Event) error {
	_, err := s.inbox.InsertOne(ctx, record{
		ID: key(consumer, ev.ID), Consumer: consumer, EventID: ev.ID, Type: ev.Type, AppliedAt: time.Now().UTC(),
	})
	if err != nil && !mongodb.IsDuplicateKey(err) {
		return fmt.Errorf("inbox record: %w", err)
	}
	return nil
}

// Wrap makes h idempotent for the named consumer: an event already applied
// is acknowledged without calling h.
func (s *Store) Wrap(consumer string, h broker.Handler) broker.Handler {
	return func(ctx context.Context, ev broker.Event) error {
		done, err := s.Applied(ctx, consumer, ev.ID)
		if err != nil {
			return err
		}
		if done {
			return nil
		}
		if err := h(ctx, ev); err != nil {
			return err
		}
		return s.Record(ctx, consumer, ev)
	}
}

// Sweep forgets inbox records older than retention (the store has no TTL
// indexes). Keep retention longer than the streams' MaxAge: an event older
// than that can no longer be redelivered.
func (s *Store) Sweep(ctx context.Context, retention time.Duration) (int64, error) {
	res, err := s.inbox.DeleteMany(ctx, bson.D{{Key: "applied_at", Value: bson.D{{Key: "$lt", Value: time.Now().Add(-retention)}}}})
	if err != nil {
		return 0, fmt.Errorf("inbox sweep: %w", err)
	}
	return res.DeletedCount, nil
}
