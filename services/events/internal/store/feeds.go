package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/cc4dr/coalition/services/events/internal/domain"
)

// A feed is one person's private calendar feed: their email key and the
// hash of their feed token.
type feedDoc struct {
	Key       string    `bson:"_id"`
	TokenHash string    `bson:"token_hash"`
	CreatedAt time.Time `bson:"created_at"`
}

// CreateFeeds gives a feed to each person (by email key → token hash) who
// has none yet, and reports which keys got one (the others keep theirs).
func (s *Store) CreateFeeds(ctx context.Context, hashes map[string]string, now time.Time) (map[string]bool, error) {
	if len(hashes) == 0 {
		return nil, nil
	}
	docs := make([]any, 0, len(hashes))
	keys := make([]string, 0, len(hashes))
	for k, h := range hashes {
		docs = append(docs, feedDoc{Key: k, TokenHash: h, CreatedAt: now})
		keys = append(keys, k)
	}
	created := make(map[string]bool, len(keys))
	for _, k := range keys {
		created[k] = true
	}
	_, err := s.feeds.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	var bwe mongo.BulkWriteException
	switch {
	case err == nil:
	case errors.As(err, &bwe):
		for _, we := range bwe.WriteErrors {
			if !mongo.IsDuplicateKeyError(we) {
				return nil, fmt.Errorf("create feeds: %w", err)
			}
			created[keys[we.Index]] = false
		}
	default:
		return nil, fmt.Errorf("create feeds: %w", err)
	}
	return created, nil
}

// SetFeed gives a person a new feed token (the old one stops working).
func (s *Store) SetFeed(ctx context.Context, key, hash string, now time.Time) error {
	unlock, err := s.locks.Lock(ctx, s.feeds, key)
	if err != nil {
		return fmt.Errorf("set feed: %w", err)
	}
	defer unlock()
	_, err = s.feeds.UpdateOne(ctx, bson.D{{Key: "_id", Value: key}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "token_hash", Value: hash}, {Key: "created_at", Value: now}}}},
		options.UpdateOne().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("set feed: %w", err)
	}
	return nil
}

// FeedOwner is the email key whose feed token hashes to hash.
func (s *Store) FeedOwner(ctx context.Context, hash string) (string, error) {
	var d feedDoc
	err := s.feeds.FindOne(ctx, bson.D{{Key: "token_hash", Value: hash}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return "", domain.ErrFeedNotFound
	}
	if err != nil {
		return "", fmt.Errorf("find feed: %w", err)
	}
	return d.Key, nil
}

// InvitedTo lists the assemblies inviting key that ended after since,
// soonest first.
func (s *Store) InvitedTo(ctx context.Context, key string, since time.Time, limit int64) ([]domain.Assembly, error) {
	cur, err := s.assemblies.Find(ctx, bson.D{
		{Key: "invitee_keys", Value: key},
		{Key: "ends_at", Value: bson.D{{Key: "$gte", Value: since}}},
	}, options.Find().SetSort(bson.D{{Key: "starts_at", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(limit).SetProjection(withoutOutbox))
	if err != nil {
		return nil, fmt.Errorf("list invitations: %w", err)
	}
	var docs []assemblyDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read invitations: %w", err)
	}
	out := make([]domain.Assembly, len(docs))
	for i, d := range docs {
		out[i] = d.domain()
	}
	return out, nil
}
