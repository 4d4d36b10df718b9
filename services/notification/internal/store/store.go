// Package store keeps the notification service's deliveries: one document
// per (event, recipient, template), created before the email is sent, so a
// redelivered event finds it and does not send again (DESIGN.md rule 3).
// While a delivery may still be sent it holds the composed email (content),
// so that the sending pipeline, a retry after a restart and a coordinator's
// resend all send exactly what the event asked for; once sent the content
// is dropped.
//
// The embedded store (FerretDB v1 on SQLite) finds a document by index only
// when the filter is exactly {_id: X}; anything else reads the whole
// collection. So every conditional update of one delivery (claim, renew,
// settle, resend) goes through mongodb.Updater with a mongodb.Cond: read by
// _id, check, write by _id under the service's document locks on the
// embedded store; one conditional update on MongoDB. Only the safety-net
// scan for due deliveries (DueIDs) and the coordinators' listing query
// anything else.
//
// It also keeps the suppression list (suppressions.go) and the service's
// settings (settings.go).
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

	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/outbox"
)

// CollectionDeliveries holds the deliveries.
const CollectionDeliveries = "deliveries"

// Status of a delivery.
type Status string

const (
	StatusPending    Status = "pending"
	StatusSent       Status = "sent"
	StatusFailed     Status = "failed"
	StatusSuppressed Status = "suppressed"
)

// Errors of the store.
var (
	ErrNotFound = errors.New("delivery not found")
	// ErrNotResendable: only failed deliveries can be sent again.
	ErrNotResendable = errors.New("only a failed delivery can be sent again")
	// ErrNoContent: the delivery no longer holds its email (or never did:
	// recorded before deliveries kept it).
	ErrNoContent = errors.New("the delivery does not hold its email any more")
)

// Delivery is one email for one recipient caused by one event.
type Delivery struct {
	ID        string     `bson:"_id"`
	EventID   string     `bson:"event_id"`
	EventType string     `bson:"event_type"`
	Template  string     `bson:"template"`
	Category  string     `bson:"category"`
	Recipient string     `bson:"recipient"`
	Language  string     `bson:"language"`
	Status    Status     `bson:"status"`
	Attempts  int32      `bson:"attempts"`
	LastError string     `bson:"last_error,omitempty"`
	CreatedAt time.Time  `bson:"created_at"`
	SentAt    *time.Time `bson:"sent_at,omitempty"`
	MessageID string     `bson:"message_id"`
	// ClaimedUntil: the worker sending this delivery owns it until then.
	ClaimedUntil time.Time `bson:"claimed_until"`
	// ClaimOwner is the token of that claim (claim.go); only its holder
	// renews or releases it.
	ClaimOwner string `bson:"claim_owner,omitempty"`
	// NextAttemptAt: when the pending delivery is (next) due.
	NextAttemptAt time.Time `bson:"next_attempt_at"`
	// Content is the composed email while it may still be sent.
	Content        *Content `bson:"content,omitempty"`
	outbox.Pending `bson:",inline"`
}

// Content is a composed email.
type Content struct {
	Subject     string            `bson:"subject"`
	Text        string            `bson:"text"`
	HTML        string            `bson:"html,omitempty"`
	Headers     map[string]string `bson:"headers,omitempty"`
	Attachments []Attachment      `bson:"attachments,omitempty"`
}

// Attachment is a file sent with an email (see mailer.Attachment).
type Attachment struct {
	Filename    string `bson:"filename"`
	ContentType string `bson:"content_type"`
	Content     []byte `bson:"content"`
	Alternative bool   `bson:"alternative,omitempty"`
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
	// upd writes every update of an existing delivery under the service's
	// document locks, shared with the outbox relay (see mongodb.Updater).
	upd *mongodb.Updater
}

// New binds the store to db; upd takes the service's document locks.
func New(db *mongo.Database, upd *mongodb.Updater) *Store {
	if upd == nil {
		panic("store: New needs the service's mongodb.Updater")
	}
	return &Store{deliveries: db.Collection(CollectionDeliveries), upd: upd}
}

// OutboxCollections carry the service's own events.
func (s *Store) OutboxCollections() []*mongo.Collection { return []*mongo.Collection{s.deliveries} }

// Indexes the store needs.
func Indexes() []mongodb.Index {
	idx := []mongodb.Index{
		{Collection: CollectionDeliveries, Name: "status_created", Keys: bson.D{{Key: "status", Value: 1}, {Key: "created_at", Value: -1}}},
		{Collection: CollectionDeliveries, Name: "event", Keys: bson.D{{Key: "event_id", Value: 1}}},
		{Collection: CollectionDeliveries, Name: "created", Keys: bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: -1}}},
		{Collection: CollectionDeliveries, Name: "due", Keys: bson.D{{Key: "status", Value: 1}, {Key: "next_attempt_at", Value: 1}}},
	}
	idx = append(idx, SuppressionIndexes()...)
	idx = append(idx, ErasureIndexes()...)
	return append(idx, outbox.Indexes(CollectionDeliveries)...)
}

// Record inserts a new delivery. When one with its id exists (the event
// came again) it returns that one and created is false.
func (s *Store) Record(ctx context.Context, d Delivery) (_ Delivery, created bool, _ error) {
	_, err := s.deliveries.InsertOne(ctx, d)
	if err == nil {
		return d, true, nil
	}
	if !mongodb.IsDuplicateKey(err) {
		return Delivery{}, false, fmt.Errorf("record delivery: %w", err)
	}
	existing, err := s.Get(ctx, d.ID)
	return existing, false, err
}

// Get returns one delivery.
func (s *Store) Get(ctx context.Context, id string) (Delivery, error) {
	var d Delivery
	err := s.deliveries.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return Delivery{}, ErrNotFound
	case err != nil:
		return Delivery{}, fmt.Errorf("load delivery: %w", err)
	}
	return d, nil
}

// MarkSent records that the SMTP server accepted the email, and drops its
// content. It does not check the claim: what was sent was sent.
func (s *Store) MarkSent(ctx context.Context, id string, at time.Time, events ...broker.Event) error {
	return s.update(ctx, id, "", bson.D{
		{Key: "status", Value: StatusSent}, {Key: "sent_at", Value: at}, {Key: "last_error", Value: ""},
		{Key: "claimed_until", Value: time.Time{}}, {Key: "claim_owner", Value: ""},
	}, true, true, events...)
}

// The methods below settle an attempt of the claim owner holds; they
// answer ErrClaimLost when that claim is gone, and change nothing.

// MarkRetry records a failed attempt that will be retried at next, and
// releases the claim.
func (s *Store) MarkRetry(ctx context.Context, id, owner, reason string, next time.Time) error {
	return s.update(ctx, id, owner, bson.D{
		{Key: "last_error", Value: reason}, {Key: "next_attempt_at", Value: next},
		{Key: "claimed_until", Value: time.Time{}}, {Key: "claim_owner", Value: ""},
	}, true, false)
}

// MarkFailed records a permanent failure. The content stays, so a
// coordinator can send it again (Resend). attempted says whether an SMTP
// attempt was made (a message that could not be rendered never was).
func (s *Store) MarkFailed(ctx context.Context, id, owner, reason string, attempted bool, events ...broker.Event) error {
	return s.update(ctx, id, owner, bson.D{
		{Key: "status", Value: StatusFailed}, {Key: "last_error", Value: reason},
		{Key: "claimed_until", Value: time.Time{}}, {Key: "claim_owner", Value: ""},
	}, attempted, false, events...)
}

// MarkSuppressed records that the recipient opted out before the email went.
func (s *Store) MarkSuppressed(ctx context.Context, id, owner string) error {
	return s.update(ctx, id, owner, bson.D{
		{Key: "status", Value: StatusSuppressed}, {Key: "claimed_until", Value: time.Time{}}, {Key: "claim_owner", Value: ""},
	}, false, true)
}

// Release gives up a claim without an attempt (no room in the sending
// queue, or shutdown with the delivery still queued), so another worker can
// take it at once.
func (s *Store) Release(ctx context.Context, id, owner string) error {
	return s.update(ctx, id, owner, bson.D{{Key: "claimed_until", Value: time.Time{}}, {Key: "claim_owner", Value: ""}}, false, false)
}

// update applies set to a delivery; with an owner, only to a pending one
// under that owner's claim.
func (s *Store) update(ctx context.Context, id, owner string, set bson.D, attempt, dropContent bool, events ...broker.Event) error {
	var inc bson.D
	if attempt {
		inc = bson.D{{Key: "attempts", Value: int32(1)}}
	}
	update := outbox.Update(set, inc, events...)
	if dropContent {
		update = append(update, bson.E{Key: "$unset", Value: bson.D{{Key: "content", Value: ""}}})
	}
	if owner == "" {
		return s.updateByID(ctx, id, update)
	}
	cond := mongodb.And(mongodb.Eq("status", string(StatusPending)), mongodb.Eq("claim_owner", owner))
	ok, err := s.upd.UpdateIf(ctx, s.deliveries, id, cond, update, nil)
	if err != nil {
		return fmt.Errorf("update delivery: %w", err)
	}
	if !ok {
		return ErrClaimLost
	}
	return nil
}

// updateByID applies an unconditional update (a pure _id filter, which
// both engines find by index) under the delivery's lock.
func (s *Store) updateByID(ctx context.Context, id string, update bson.D) error {
	unlock, err := s.upd.Locks().Lock(ctx, s.deliveries, id)
	if err != nil {
		return fmt.Errorf("update delivery: %w", err)
	}
	defer unlock()
	res, err := s.deliveries.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, update)
	if err != nil {
		return fmt.Errorf("update delivery: %w", err)
	}
	if res.MatchedCount == 0 {
		return ErrNotFound
	}
	return nil
}
