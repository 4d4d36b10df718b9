package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/cc4dr/coalition/services/kit/mongodb"
)

// CollectionSuppressions holds who must not be sent which optional
// category of email: the hash of the address (AddressHash) and the
// category, never the address itself, so an entry survives the address's
// erasure without keeping it.
const CollectionSuppressions = "suppressions"

// Suppression is one address opted out of one category.
type Suppression struct {
	ID          string    `bson:"_id"` // AddressHash + "/" + category
	AddressHash string    `bson:"address_hash"`
	Category    string    `bson:"category"`
	Reason      string    `bson:"reason"`
	CreatedAt   time.Time `bson:"created_at"`
}

// SuppressionIndexes are the indexes suppressions.go needs.
func SuppressionIndexes() []mongodb.Index {
	return []mongodb.Index{
		{Collection: CollectionSuppressions, Name: "address_hash", Keys: bson.D{{Key: "address_hash", Value: 1}}},
	}
}

// AddressHash is how an address is kept on the suppression list: the
// SHA-256 of the trimmed, lower-cased address, in hex.
func AddressHash(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return hex.EncodeToString(sum[:])
}

func suppressionID(hash, category string) string { return hash + "/" + category }

// Suppressed reports whether the address with this hash opted out of category.
func (s *Store) Suppressed(ctx context.Context, hash, category string) (bool, error) {
	n, err := s.suppressions().CountDocuments(ctx, bson.D{{Key: "_id", Value: suppressionID(hash, category)}})
	if err != nil {
		return false, fmt.Errorf("look up suppression: %w", err)
	}
	return n > 0, nil
}

// Suppressions lists the categories the address with this hash opted out of.
func (s *Store) Suppressions(ctx context.Context, hash string) ([]string, error) {
	cur, err := s.suppressions().Find(ctx, bson.D{{Key: "address_hash", Value: hash}}, options.Find().SetLimit(100))
	if err != nil {
		return nil, fmt.Errorf("list suppressions: %w", err)
	}
	var list []Suppression
	if err := cur.All(ctx, &list); err != nil {
		return nil, fmt.Errorf("read suppressions: %w", err)
	}
	out := make([]string, 0, len(list))
	for _, sp := range list {
		out = append(out, sp.Category)
	}
	return out, nil
}

// Suppress opts the address with this hash out of category; doing it again
// changes nothing.
func (s *Store) Suppress(ctx context.Context, hash, category, reason string) error {
	_, err := s.suppressions().InsertOne(ctx, Suppression{
		ID: suppressionID(hash, category), AddressHash: hash, Category: category, Reason: reason, CreatedAt: time.Now().UTC(),
	})
	if err != nil && !mongodb.IsDuplicateKey(err) {
		return fmt.Errorf("add suppression: %w", err)
	}
	return nil
}

// Unsuppress opts the address back into category.
func (s *Store) Unsuppress(ctx context.Context, hash, category string) error {
	if _, err := s.suppressions().DeleteOne(ctx, bson.D{{Key: "_id", Value: suppressionID(hash, category)}}); err != nil {
		return fmt.Errorf("remove suppression: %w", err)
	}
	return nil
}

func (s *Store) suppressions() *mongo.Collection {
	return s.deliveries.Database().Collection(CollectionSuppressions)
}
