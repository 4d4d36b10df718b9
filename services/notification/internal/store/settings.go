package store

import (
	"context"
	"crypto/rand"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/cc4dr/coalition/services/kit/mongodb"
)

// CollectionSettings holds values the service generates once and keeps.
const CollectionSettings = "settings"

// Secret returns the random secret kept under name, creating it (size
// bytes) on first use. Concurrent first uses (several instances starting)
// agree: the first insert wins and the others read it.
func (s *Store) Secret(ctx context.Context, name string, size int) ([]byte, error) {
	coll := s.deliveries.Database().Collection(CollectionSettings)
	fresh := make([]byte, size)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("generate %s: %w", name, err)
	}
	_, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: name}, {Key: "value", Value: fresh}})
	if err == nil {
		return fresh, nil
	}
	if !mongodb.IsDuplicateKey(err) {
		return nil, fmt.Errorf("store %s: %w", name, err)
	}
	var doc struct {
		Value []byte `bson:"value"`
	}
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: name}}).Decode(&doc); err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	if len(doc.Value) < 16 {
		return nil, fmt.Errorf("stored %s is too short", name)
	}
	return doc.Value, nil
}
