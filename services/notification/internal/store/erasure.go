package store

import (
	"context"
	"fmt"
	"regexp"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/cc4dr/coalition/services/kit/mongodb"
)

// ErasureIndexes are the indexes erasure.go needs.
func ErasureIndexes() []mongodb.Index {
	return []mongodb.Index{
		{Collection: CollectionDeliveries, Name: "recipient", Keys: bson.D{{Key: "recipient", Value: 1}}},
	}
}

// ForgetRecipient deletes every delivery to an address (matched without
// regard to case: deliveries keep the address as it was typed), pending
// ones with their content included. The address's suppressions are kept:
// they hold only a hash, and they are what keeps an erased person who had
// unsubscribed unsubscribed. It reports how many deliveries went.
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
