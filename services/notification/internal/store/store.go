// Package store keeps the notification service's deliveries: one document
// per (event, recipient, template), created before the email is sent, so a
// redelivered event finds it and does not send again (DESIGN.md rule 3).
package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/outbox"
)

// CollectionDeliveries holds the deliveries.
const CollectionDeliveries = "deliveries"

// Status of a delivery.
type Status string

const (
	StatusPending Status = "pending"
	StatusSent    Status = "sent"
	StatusFailed  Status = "failed"
)

// Delivery is one email for one recipient caused by one event.
type Delivery struct {
	ID        string     `bson:"_id"`
	EventID   string     `bson:"event_id"`
	EventType string     `bson:"event_type"`
	Template  string     `bson:"template"`
	Recipient string     `bson:"recipient"`
	Language  string     `bson:"language"`
	Status    Status     `bson:"status"`
	Attempts  int32      `bson:"attempts"`
	LastError string     `bson:"last_error,omitempty"`
	CreatedAt time.Time  `bson:"created_at"`
	SentAt    *time.Time `bson:"sent_at,omitempty"`
	MessageID string     `bson:"message_id"`
	// ClaimedUntil: the worker sending this delivery owns it until then.
	ClaimedUntil   time.Time `bson:"claimed_until"`
	outbox.Pending `bson:",inline"`
}

// Key is the delivery id for (event, recipient, template): the same inputs
// always give the same id, which is what makes sending idempotent.
func Key(eventID, recipient, template string) string {
	sum := sha256.Sum256([]byte(eventID + "\x00" + strings.ToLower(strings.TrimSpace(recipient)) + "\x00" + template))
	return hex.EncodeToString(sum[:16])
}

// Store is the deliveries collection.
type Store struct {
	deliveries *mongo.Collection
	locks      *mongodb.DocLocks
}

// New binds the store to db; locks are the service's document locks.
func New(db *mongo.Database, locks *mongodb.DocLocks) *Store {
	return &Store{deliveries: db.Collection(CollectionDeliveries), locks: locks}
}

// OutboxCollections carry the service's own events.
func (s *Store) OutboxCollections() []*mongo.Collection { return []*mongo.Collection{s.deliveries} }

// Indexes the store needs.
func Indexes() []mongodb.Index {
	return append([]mongodb.Index{
		{Collection: CollectionDeliveries, Name: "status_created", Keys: bson.D{{Key: "status", Value: 1}, {Key: "created_at", Value: -1}}},
		{Collection: CollectionDeliveries, Name: "event", Keys: bson.D{{Key: "event_id", Value: 1}}},
	}, outbox.Indexes(CollectionDeliveries)...)
}

// Begin records a pending delivery claimed by the caller for lease. When
// the event came again and the delivery exists, it claims that one if it is
// still pending and nobody's claim is current; claimed says whether the
// caller now owns it.
func (s *Store) Begin(ctx context.Context, d Delivery, lease time.Duration) (_ Delivery, claimed bool, _ error) {
	now := time.Now().UTC()
	d.Status, d.ClaimedUntil = StatusPending, now.Add(lease)
	_, err := s.deliveries.InsertOne(ctx, d)
	if err == nil {
		return d, true, nil
	}
	if !mongodb.IsDuplicateKey(err) {
		return Delivery{}, false, fmt.Errorf("record delivery: %w", err)
	}
	unlock, err := s.locks.Lock(ctx, s.deliveries, d.ID)
	if err != nil {
		return Delivery{}, false, fmt.Errorf("claim delivery: %w", err)
	}
	defer unlock()
	res, err := s.deliveries.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: d.ID}, {Key: "status", Value: StatusPending}, {Key: "claimed_until", Value: bson.D{{Key: "$lt", Value: now}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "claimed_until", Value: now.Add(lease)}}}})
	if err != nil {
		return Delivery{}, false, fmt.Errorf("claim delivery: %w", err)
	}
	var existing Delivery
	if err := s.deliveries.FindOne(ctx, bson.D{{Key: "_id", Value: d.ID}}).Decode(&existing); err != nil {
		return Delivery{}, false, fmt.Errorf("load delivery: %w", err)
	}
	return existing, res.ModifiedCount == 1, nil
}

// MarkSent records that the SMTP server accepted the email.
func (s *Store) MarkSent(ctx context.Context, id string, at time.Time, events ...broker.Event) error {
	return s.update(ctx, id, bson.D{{Key: "status", Value: StatusSent}, {Key: "sent_at", Value: at}, {Key: "last_error", Value: ""}}, events...)
}

// MarkAttempt records a failed attempt that will be retried, and releases
// the claim so the retry can take it at once.
func (s *Store) MarkAttempt(ctx context.Context, id, reason string) error {
	return s.update(ctx, id, bson.D{{Key: "last_error", Value: reason}, {Key: "claimed_until", Value: time.Time{}}})
}

// MarkFailed records a permanent failure.
func (s *Store) MarkFailed(ctx context.Context, id, reason string, events ...broker.Event) error {
	return s.update(ctx, id, bson.D{{Key: "status", Value: StatusFailed}, {Key: "last_error", Value: reason}}, events...)
}

func (s *Store) update(ctx context.Context, id string, set bson.D, events ...broker.Event) error {
	unlock, err := s.locks.Lock(ctx, s.deliveries, id)
	if err != nil {
		return fmt.Errorf("update delivery: %w", err)
	}
	defer unlock()
	update := outbox.Update(set, bson.D{{Key: "attempts", Value: int32(1)}}, events...)
	res, err := s.deliveries.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, update)
	if err != nil {
		return fmt.Errorf("update delivery: %w", err)
	}
	if res.MatchedCount == 0 {
		return errors.New("update delivery: not found")
	}
	return nil
}

// Filter selects deliveries to list.
type Filter struct {
	Status  Status
	EventID string
	Limit   int64
}

// List returns deliveries newest first.
func (s *Store) List(ctx context.Context, f Filter) ([]Delivery, error) {
	q := bson.D{}
	if f.Status != "" {
		q = append(q, bson.E{Key: "status", Value: f.Status})
	}
	if f.EventID != "" {
		q = append(q, bson.E{Key: "event_id", Value: f.EventID})
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	cur, err := s.deliveries.Find(ctx, q, options.Find().SetSort(bson.D{{Key: "created_at", Value: -1}}).SetLimit(f.Limit).
		SetProjection(bson.D{{Key: outbox.FieldEvents, Value: 0}}))
	if err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	var out []Delivery
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("read deliveries: %w", err)
	}
	return out, nil
}
