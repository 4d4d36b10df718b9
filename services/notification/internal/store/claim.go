package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/cc4dr/coalition/services/kit/mongodb"
)

// Claims: a pending delivery is sent by whoever holds its claim
// (claimed_until in the future, claim_owner their token). A claim is taken
// only when nobody's is current, so two workers (here or, on MongoDB, in
// another instance) never send one delivery at once; a crashed worker's
// claim simply lapses. A holder extends its claim with Renew, which checks
// the owner token: once a claim lapsed and someone else took it, the first
// holder can neither renew nor release it, nor record an attempt.

// ErrClaimLost: the delivery is no longer pending under the caller's claim
// (someone else took it after the claim lapsed, or it was settled).
var ErrClaimLost = errors.New("the delivery's claim is held by someone else or it is no longer pending")

// NewClaimToken returns a fresh owner token for a claim.
func NewClaimToken() string { return uuid.NewString() }

// Claim takes a pending, due delivery for lease under a fresh owner token.
// ok is false when it is not pending any more, not due yet (a retry
// scheduled later) or someone else holds it.
func (s *Store) Claim(ctx context.Context, id string, lease time.Duration) (_ Delivery, ok bool, _ error) {
	now := time.Now().UTC()
	cond := mongodb.And(mongodb.Lt("claimed_until", now), mongodb.Lte("next_attempt_at", now))
	return s.claim(ctx, id, cond, NewClaimToken(), now.Add(lease))
}

// Renew extends the claim that owner holds on a pending delivery to
// now+lease, and returns the delivery. ok is false when owner's claim is
// gone (ErrClaimLost's cases): the caller must not send it.
func (s *Store) Renew(ctx context.Context, id, owner string, lease time.Duration) (_ Delivery, ok bool, _ error) {
	if owner == "" {
		return Delivery{}, false, nil
	}
	return s.claim(ctx, id, mongodb.Eq("claim_owner", owner), owner, time.Now().UTC().Add(lease))
}

// claim sets the claim of a pending delivery that satisfies cond, reading
// the delivery in the same step (by _id, see mongodb.Updater).
func (s *Store) claim(ctx context.Context, id string, cond mongodb.Cond, owner string, until time.Time) (_ Delivery, ok bool, _ error) {
	var d Delivery
	ok, err := s.upd.UpdateIf(ctx, s.deliveries, id, mongodb.And(mongodb.Eq("status", string(StatusPending)), cond),
		bson.D{{Key: "$set", Value: bson.D{{Key: "claimed_until", Value: until}, {Key: "claim_owner", Value: owner}}}}, &d)
	if err != nil || !ok {
		return Delivery{}, false, wrapErr("claim delivery", err)
	}
	d.ClaimedUntil, d.ClaimOwner = until, owner
	return d, true, nil
}

// DueIDs returns up to limit pending deliveries that are due (next attempt
// time passed) and unclaimed, earliest first, for the caller to Claim. On
// the embedded store it reads the whole collection: the sending pipeline
// runs it only as a safety net (deliveries it was not told about: those of
// a crashed or restarted process, or of another instance).
func (s *Store) DueIDs(ctx context.Context, limit int64) ([]string, error) {
	now := time.Now().UTC()
	cur, err := s.deliveries.Find(ctx, bson.D{
		{Key: "status", Value: StatusPending},
		{Key: "next_attempt_at", Value: bson.D{{Key: "$lte", Value: now}}},
		{Key: "claimed_until", Value: bson.D{{Key: "$lt", Value: now}}},
	}, options.Find().SetSort(bson.D{{Key: "next_attempt_at", Value: 1}}).SetLimit(limit).SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("find due deliveries: %w", err)
	}
	var rows []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &rows); err != nil {
		return nil, fmt.Errorf("read due deliveries: %w", err)
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids, nil
}

// Resend puts a failed delivery back to pending, due now, with its attempt
// count back at zero: the same record (same id, same Message-ID) gets the
// full set of attempts again (a resend is often asked for after an outage
// that used them up). Any other status answers
// ErrNotResendable, so a sent email is never sent twice this way.
func (s *Store) Resend(ctx context.Context, id string) (Delivery, error) {
	now := time.Now().UTC()
	var d Delivery
	ok, err := s.upd.UpdateIf(ctx, s.deliveries, id,
		mongodb.And(mongodb.Eq("status", string(StatusFailed)), mongodb.Exists("content")),
		bson.D{{Key: "$set", Value: bson.D{
			{Key: "status", Value: StatusPending}, {Key: "next_attempt_at", Value: now}, {Key: "claimed_until", Value: time.Time{}},
			{Key: "claim_owner", Value: ""}, {Key: "attempts", Value: int32(0)},
		}}}, &d)
	if err != nil {
		return Delivery{}, fmt.Errorf("resend delivery: %w", err)
	}
	if !ok {
		// Say why: read it again (not found, not failed, or no content).
		d, err := s.Get(ctx, id)
		switch {
		case err != nil:
			return Delivery{}, err
		case d.Status != StatusFailed:
			return d, fmt.Errorf("%w (it is %s)", ErrNotResendable, d.Status)
		case d.Content == nil:
			return d, ErrNoContent
		}
		return d, fmt.Errorf("%w (it changed meanwhile)", ErrNotResendable)
	}
	d.Status, d.NextAttemptAt, d.ClaimedUntil, d.ClaimOwner, d.Attempts = StatusPending, now, time.Time{}, "", 0
	return d, nil
}

func wrapErr(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}
