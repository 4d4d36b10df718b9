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
	CollectionReminders  = "reminders"
	CollectionFeeds      = "feeds"
)

// Store is the events service's database.
type Store struct {
	db         *mongo.Database
	assemblies *mongo.Collection
	reminders  *mongo.Collection
	feeds      *mongo.Collection
	// locks serialise this process's updates of one document (see
	// mongodb.DocLocks): every update of an existing document holds one.
	locks *mongodb.DocLocks
}

// New binds the store to db.
func New(db *mongo.Database, locks *mongodb.DocLocks) *Store {
	return &Store{db: db, assemblies: db.Collection(CollectionAssemblies), reminders: db.Collection(CollectionReminders),
		feeds: db.Collection(CollectionFeeds), locks: locks}
}

// OutboxCollections are the collections whose documents carry events.
func (s *Store) OutboxCollections() []*mongo.Collection {
	return []*mongo.Collection{s.assemblies, s.reminders}
}

// Indexes the store needs.
func Indexes() []mongodb.Index {
	idx := []mongodb.Index{
		// The public calendar: public ones, soonest first.
		{Collection: CollectionAssemblies, Name: "public_starts_at", Keys: bson.D{
			{Key: "public", Value: 1}, {Key: "starts_at", Value: 1}, {Key: "_id", Value: 1},
		}},
		// Conflicts: scheduled assemblies inviting a person.
		{Collection: CollectionAssemblies, Name: "invitee_keys", Keys: bson.D{{Key: "invitee_keys", Value: 1}}},
		// RSVP: the assembly holding a token.
		{Collection: CollectionAssemblies, Name: "token_hashes", Keys: bson.D{{Key: "token_hashes", Value: 1}}},
		// A signed-in representative's invitations.
		{Collection: CollectionAssemblies, Name: "representative_ids", Keys: bson.D{{Key: "representative_ids", Value: 1}}},
		// Coordinators' search: every assembly by start.
		{Collection: CollectionAssemblies, Name: "starts_at", Keys: bson.D{{Key: "starts_at", Value: 1}, {Key: "_id", Value: 1}}},
		// Due reminders.
		{Collection: CollectionReminders, Name: "fired_due_at", Keys: bson.D{{Key: "fired", Value: 1}, {Key: "due_at", Value: 1}}},
		{Collection: CollectionReminders, Name: "assembly_id", Keys: bson.D{{Key: "assembly_id", Value: 1}}},
		// Personal feeds by token.
		{Collection: CollectionFeeds, Name: "token_hash", Keys: bson.D{{Key: "token_hash", Value: 1}}, Unique: true},
	}
	return append(idx, outbox.Indexes(CollectionAssemblies, CollectionReminders)...)
}
