package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/cc4dr/coalition/services/kit/mongodb"
)

// CollectionSuppressions holds addresses that must not be emailed, by hash
// only (SuppressionKey): what survives an erasure of someone who had
// unsubscribed. (Unsubscribing itself comes later.)
const CollectionSuppressions = "suppressions"

// Suppression is one suppressed address.
type Suppression struct {
	Hash      string    `bson:"_id"`
	Reason    string    `bson:"reason"`
	CreatedAt time.Time `bson:"created_at"`
}

// ErasureIndexes are the indexes erasure.go needs.
func ErasureIndexes() []mongodb.Index {
	return []mongodb.Index{
		{Collection: CollectionDeliveries, Name: "recipient", Keys: bson.D{{Key: "recipient", Value: 1}}},
	}
}

// ForgetRecipient deletes every delivery to an address (matched without
// regard to case: deliveries keep the address as it was typed). A
// suppression of the address is kept: it holds only a hash. It reports how
// many deliveries went.
func (s *Store) ForgetRecipient(ctx context.Context, email string) (int64, error) {
	if email == "" {
		return 0, nil
	}
	res, err := s.deliveries.DeleteMany(ctx, bson.D{{Key: "recipient", Value: bson.D{
		{Key: "$regex", Value: "^" + regexp.QuoteMeta(email) + "$"}, {Key: "$options", Value: "i"},
	}}})
	if err != nil {
		return 0, fmt.Errorf("forget recipient: %w", err)
	}
	return res.DeletedCount, nil
}

// SuppressionKey is how a suppressed address is kept: the SHA-256 of the
// trimmed, lower-cased address (like logging.EmailHash, but whole).
func SuppressionKey(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return hex.EncodeToString(sum[:])
}

// Suppressed reports whether an address is suppressed.
func (s *Store) Suppressed(ctx context.Context, email string) (bool, error) {
	n, err := s.deliveries.Database().Collection(CollectionSuppressions).CountDocuments(ctx, bson.D{{Key: "_id", Value: SuppressionKey(email)}})
	if err != nil {
		return false, fmt.Errorf("look up suppression: %w", err)
	}
	return n > 0, nil
}

// AddSuppression records a suppressed address by hash.
func (s *Store) AddSuppression(ctx context.Context, email, reason string) error {
	_, err := s.deliveries.Database().Collection(CollectionSuppressions).InsertOne(ctx, Suppression{Hash: SuppressionKey(email), Reason: reason, CreatedAt: time.Now().UTC()})
	if err != nil && !mongodb.IsDuplicateKey(err) {
		return fmt.Errorf("add suppression: %w", err)
	}
	return nil
}
