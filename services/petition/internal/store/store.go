// Package store keeps petitions and signatures in the petition service's own
// MongoDB database. Each state change is one single-document write that also
// carries the events it produces (package outbox).
//
// Two things are batched for the embedded store's sake (FerretDB v1 on
// SQLite: ~1 000 single writes/s, ~20 000 documents/s in bulk):
//
//   - New signatures are group-committed (batch.go): concurrent signings
//     share one unordered InsertMany, each document with its own outbox
//     event, each caller with its own result (duplicates per document).
//   - Public counts are never one $inc per signature (counts.go): a
//     confirmation marks its signature uncounted; the counter folds
//     uncounted signatures into the petition's count, its per-day series
//     and its milestones in batches, exactly once across crashes — a batch
//     is recorded (one insert), its signatures marked with the batch id
//     (idempotent, conditional), its total frozen, then applied to the
//     petition in one write that remembers the batch id (a re-applied
//     batch is skipped), then forgotten. counts.go argues each crash point.
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
	// countBatches hold count batches in flight (counts.go).
	countBatches *mongo.Collection
	// locks serialise updates of one document with the outbox relay's
	// (see mongodb.DocLocks).
	locks *mongodb.DocLocks
}

// New binds the store to db; locks are the service's document locks.
func New(db *mongo.Database, locks *mongodb.DocLocks) *Store {
	return &Store{db: db, petitions: db.Collection(CollectionPetitions), signatures: db.Collection(CollectionSignatures),
		countBatches: db.Collection(CollectionCountBatches), locks: locks}
}

// OutboxCollections are the collections whose documents carry events.
func (s *Store) OutboxCollections() []*mongo.Collection {
	return []*mongo.Collection{s.petitions, s.signatures, s.db.Collection(CollectionOutcomeNotices), s.db.Collection(CollectionErasures)}
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
	idx = append(idx, countIndexes()...)
	idx = append(idx, LifecycleIndexes()...) // lifecycle.go
	return append(idx, outbox.Indexes(CollectionPetitions, CollectionSignatures)...)
}
