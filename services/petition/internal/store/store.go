// Package store keeps petitions and signatures in the petition service's own
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
	CollectionPetitions  = "petitions"
	CollectionSignatures = "signatures"
)

// Store is the petition service's database.
type Store struct {
	db         *mongo.Database
	petitions  *mongo.Collection
	signatures *mongo.Collection
	// locks serialise updates of one document with the outbox relay's
	// (see mongodb.DocLocks).
	locks *mongodb.DocLocks
}

// New binds the store to db; locks are the service's document locks.
func New(db *mongo.Database, locks *mongodb.DocLocks) *Store {
	return &Store{db: db, petitions: db.Collection(CollectionPetitions), signatures: db.Collection(CollectionSignatures), locks: locks}
}

// OutboxCollections are the collections whose documents carry events.
func (s *Store) OutboxCollections() []*mongo.Collection {
	return []*mongo.Collection{s.petitions, s.signatures}
}

// Indexes the store needs.
func Indexes() []mongodb.Index {
	idx := []mongodb.Index{
		// One signature per person per petition.
		{Collection: CollectionSignatures, Name: "petition_email", Unique: true,
			Keys: bson.D{{Key: "petition_id", Value: 1}, {Key: "email_key", Value: 1}}},
		{Collection: CollectionSignatures, Name: "token_hash", Unique: true, Keys: bson.D{{Key: "token_hash", Value: 1}}},
		{Collection: CollectionPetitions, Name: "created_at", Keys: bson.D{{Key: "created_at", Value: -1}}},
	}
	return append(idx, outbox.Indexes(CollectionPetitions, CollectionSignatures)...)
}
