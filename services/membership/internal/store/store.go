// Package store keeps the register of members in the membership service's
// own MongoDB database. Each state change is one single-document write that
// also carries the events it produces (package outbox).
package store

import (
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/outbox"
)

// Collection names.
const (
	CollectionMembers = "members"
)

// Store is the membership service's database.
type Store struct {
	db      *mongo.Database
	members *mongo.Collection
}

// New binds the store to db.
func New(db *mongo.Database) *Store {
	return &Store{db: db, members: db.Collection(CollectionMembers)}
}

// OutboxCollections are the collections whose documents carry events.
func (s *Store) OutboxCollections() []*mongo.Collection {
	return []*mongo.Collection{s.members}
}

// Indexes the store needs.
func Indexes() []mongodb.Index {
	idx := []mongodb.Index{
		// One entry per name per country, however the name is typed.
		{Collection: CollectionMembers, Name: "name_country", Unique: true,
			Keys: bson.D{{Key: "name_key", Value: 1}, {Key: "country", Value: 1}}},
		// The directory lists by name.
		{Collection: CollectionMembers, Name: "name_id", Keys: bson.D{{Key: "name_key", Value: 1}, {Key: "_id", Value: 1}}},
	}
	return append(idx, outbox.Indexes(CollectionMembers)...)
}
