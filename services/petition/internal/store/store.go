// Package store keeps petitions and signatures in the petition service's own
// MongoDB database. Each state change is one single-document write that also
// carries the events it produces (package outbox).
//
// The embedded store (FerretDB v1 on SQLite) finds a document by index only
// when the filter is exactly {_id: X}; anything else reads the whole
// collection. So the hot paths reach documents by _id alone: conditional
// updates go through mongodb.Updater (read by _id, check, write by _id on
// the embedded store; one conditional update on MongoDB), confirmation and
// withdrawal links carry the signature's id (domain.NewToken), the writers
// name the documents they gave events to the outbox relay (Notify) and the
// confirmations and withdrawals to the counter; scans for pending work run
// only as a slow safety net.
//
// Two things are batched for the embedded store's sake (~1 000 single
// writes/s, ~20 000 documents/s in bulk):
//
//   - New signatures are group-committed (batch.go): concurrent signings
//     share one unordered InsertMany, each document with its own outbox
//     event, each caller with its own result (duplicates per document).
//   - Public counts are never one $inc per signature (counts.go): a
//     confirmation marks its signature uncounted, a withdrawal of a
//     counted one marks it to be taken off; the counter folds both into
//     the petition's count, its per-day series and its milestones in
//     batches, exactly once across crashes — a batch is recorded (one
//     insert), its signatures marked with the batch id (idempotent,
//     conditional), its total frozen, then applied to the petition in one
//     write that remembers the batch id (a re-applied batch is skipped),
//     then forgotten. counts.go argues each crash point. The same batches
//     keep each petition's newest public signers in one document read by
//     _id (public_names.go), so listing them reads no signature.
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
	// upd writes every update of an existing document: conditional ones
	// the way the engine finds by index, all under the service's document
	// locks, shared with the outbox relay (see mongodb.Updater).
	upd   *mongodb.Updater
	locks *mongodb.DocLocks
}

// New binds the store to db; upd takes the service's document locks.
func New(db *mongo.Database, upd *mongodb.Updater) *Store {
	return &Store{db: db, petitions: db.Collection(CollectionPetitions), signatures: db.Collection(CollectionSignatures),
		countBatches: db.Collection(CollectionCountBatches), upd: upd, locks: upd.Locks()}
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
