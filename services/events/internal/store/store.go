// Package store keeps the calendar of assemblies in the events service's own
// MongoDB database. Each state change is one single-document write that also
// carries the events it produces (package outbox).
package store

import (
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/outbox"
)

// Collection names.
const (
	CollectionAssemblies = "assemblies"
)

// Store is the events service's database.
type Store struct {
	db         *mongo.Database
	assemblies *mongo.Collection
}

// New binds the store to db.
func New(db *mongo.Database) *Store {
	return &Store{db: db, assemblies: db.Collection(CollectionAssemblies)}
}

// OutboxCollections are the collections whose documents carry events.
func (s *Store) OutboxCollections() []*mongo.Collection {
	return []*mongo.Collection{s.assemblies}
}

// Indexes the store needs.
func Indexes() []mongodb.Index {
	idx := []mongodb.Index{
		// The public calendar: public ones, soonest first.
		{Collection: CollectionAssemblies, Name: "public_starts_at", Keys: bson.D{
			{Key: "public", Value: 1}, {Key: "starts_at", Value: 1}, {Key: "_id", Value: 1},
		}},
	}
	return append(idx, outbox.Indexes(CollectionAssemblies)...)
}
