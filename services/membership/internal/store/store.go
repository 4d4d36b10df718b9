// Package store keeps the register of members in the membership service's
// own MongoDB database. Each state change is one single-document write that
// also carries the events it produces (package outbox).
package store

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/outbox"
)

// Collection names.
const (
	CollectionMembers         = "members"
	CollectionApplications    = "applications"
	CollectionRepresentatives = "representatives"
	CollectionBodies          = "bodies"
)

// Store is the membership service's database.
type Store struct {
	db              *mongo.Database
	members         *mongo.Collection
	applications    *mongo.Collection
	representatives *mongo.Collection
	bodies          *mongo.Collection
	// locks serialise updates of one document with the outbox relay's
	// (see mongodb.DocLocks).
	locks *mongodb.DocLocks
}

// New binds the store to db; locks are the service's document locks.
func New(db *mongo.Database, locks *mongodb.DocLocks) *Store {
	return &Store{
		db: db, members: db.Collection(CollectionMembers), applications: db.Collection(CollectionApplications),
		representatives: db.Collection(CollectionRepresentatives), bodies: db.Collection(CollectionBodies), locks: locks,
	}
}

// OutboxCollections are the collections whose documents carry events.
func (s *Store) OutboxCollections() []*mongo.Collection {
	return []*mongo.Collection{s.members, s.applications, s.representatives}
}

// LockApplication holds the application's document lock until unlock is
// called: a review step holds it across all its writes, and the
// application update methods expect it held.
func (s *Store) LockApplication(ctx context.Context, id string) (unlock func(), err error) {
	return s.locks.Lock(ctx, s.applications, id)
}

// Indexes the store needs.
func Indexes() []mongodb.Index {
	idx := []mongodb.Index{
		// One entry per name per country, however the name is typed.
		{Collection: CollectionMembers, Name: "name_country", Unique: true,
			Keys: bson.D{{Key: "name_key", Value: 1}, {Key: "country", Value: 1}}},
		// The directory lists by name.
		{Collection: CollectionMembers, Name: "name_id", Keys: bson.D{{Key: "name_key", Value: 1}, {Key: "_id", Value: 1}}},
		// Filters of the directory.
		{Collection: CollectionMembers, Name: "country", Keys: bson.D{{Key: "country", Value: 1}}},
		{Collection: CollectionApplications, Name: "status_created", Keys: bson.D{{Key: "status", Value: 1}, {Key: "created_at", Value: -1}}},
		{Collection: CollectionApplications, Name: "created", Keys: bson.D{{Key: "created_at", Value: -1}}},
		// One representative per address per member (removed ones get a
		// key of their own).
		{Collection: CollectionRepresentatives, Name: "member_email", Unique: true,
			Keys: bson.D{{Key: "member_id", Value: 1}, {Key: "email_key", Value: 1}}},
		{Collection: CollectionRepresentatives, Name: "email", Keys: bson.D{{Key: "email_key", Value: 1}}},
		{Collection: CollectionBodies, Name: "slug", Unique: true, Keys: bson.D{{Key: "slug", Value: 1}}},
	}
	return append(idx, outbox.Indexes(CollectionMembers, CollectionApplications, CollectionRepresentatives)...)
}
