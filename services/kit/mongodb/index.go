package mongodb

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Index describes one index a service needs on one of its collections.
type Index struct {
	Collection string
	Keys       bson.D // order matters, hence bson.D, e.g. {{"city", 1}, {"email", 1}}
	Unique     bool
	Name       string // explicit names keep re-creation idempotent and errors readable
}

// EnsureIndexes creates the given indexes. Creating an index that already
// exists with the same keys and options is a no-op, so services call this on
// every start-up instead of running migrations.
func EnsureIndexes(ctx context.Context, db *mongo.Database, idx ...Index) error {
	for _, ix := range idx {
		opts := options.Index().SetUnique(ix.Unique)
		if ix.Name != "" {
			opts.SetName(ix.Name)
		}
		_, err := db.Collection(ix.Collection).Indexes().CreateOne(ctx, mongo.IndexModel{
			Keys:    ix.Keys,
			Options: opts,
		})
		if err != nil {
			return fmt.Errorf("mongodb: ensure index %q on %s.%s: %w", ix.Name, db.Name(), ix.Collection, err)
		}
	}
	return nil
}
