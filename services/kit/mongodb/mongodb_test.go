package mongodb_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/cc4dr/coalition/services/kit/embedded"
	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

func TestConnect(t *testing.T) {
	env := testkit.Get(t)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()

	client, db, err := mongodb.Connect(ctx, env.MongoURI(), "kit_connect", env.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = client.Disconnect(context.Background()) }()
	if db.Name() != "kit_connect" {
		t.Errorf("db = %s", db.Name())
	}
	if _, err := db.Collection("c").InsertOne(ctx, bson.D{{Key: "ok", Value: true}}); err != nil {
		t.Fatal(err)
	}
	_ = db.Drop(ctx)

	if _, _, err := mongodb.Connect(ctx, env.MongoURI(), "", nil); err == nil {
		t.Error("empty database name accepted")
	}
	if _, _, err := mongodb.Connect(ctx, "postgres://nope", "x", nil); err == nil {
		t.Error("bad URI accepted")
	}
}

func TestConnectGivesUpAtDeadline(t *testing.T) {
	t.Parallel()
	// Nothing listens on a just-closed store's port.
	store, err := embedded.StartStore(t.Context(), embedded.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	uri := store.URI()
	store.Close()

	ctx, cancel := context.WithTimeout(t.Context(), 700*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err = mongodb.Connect(ctx, uri, "x", testkit.Get(t).Logger(t))
	if err == nil {
		t.Fatal("connected to nothing")
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("took %v to give up", took)
	}
	if !mongodb.IsUnavailable(err) {
		t.Errorf("IsUnavailable(%v) = false", err)
	}
}

func TestEnsureIndexesAndDuplicates(t *testing.T) {
	t.Parallel()
	env := testkit.Get(t)
	db := env.Database(t)
	ctx := t.Context()

	idx := []mongodb.Index{
		{Collection: "signatures", Keys: bson.D{{Key: "petition", Value: 1}, {Key: "email", Value: 1}}, Unique: true, Name: "petition_email"},
		{Collection: "signatures", Keys: bson.D{{Key: "created", Value: -1}}, Name: "created"},
	}
	for range 2 { // idempotent
		if err := mongodb.EnsureIndexes(ctx, db, idx...); err != nil {
			t.Fatal(err)
		}
	}

	coll := db.Collection("signatures")
	doc := bson.D{{Key: "petition", Value: "p1"}, {Key: "email", Value: "a@x.org"}}
	if _, err := coll.InsertOne(ctx, doc); err != nil {
		t.Fatal(err)
	}
	_, err := coll.InsertOne(ctx, doc)
	if !mongodb.IsDuplicateKey(err) {
		t.Fatalf("IsDuplicateKey(%v) = false", err)
	}
	if mongodb.IsUnavailable(err) {
		t.Error("duplicate key classed as unavailable")
	}

	docs := []any{
		bson.D{{Key: "petition", Value: "p1"}, {Key: "email", Value: "b@x.org"}},
		doc, // duplicate at 1
		bson.D{{Key: "petition", Value: "p1"}, {Key: "email", Value: "c@x.org"}},
		doc, // duplicate at 3
	}
	_, err = coll.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	dups, only := mongodb.DuplicateKeyIndexes(err)
	if fmt.Sprint(dups) != "[1 3]" || !only {
		t.Fatalf("DuplicateKeyIndexes = %v, %v (err %v)", dups, only, err)
	}
	if n, _ := coll.CountDocuments(ctx, bson.D{}); n != 3 {
		t.Errorf("count = %d, want 3", n)
	}
	if d, only := mongodb.DuplicateKeyIndexes(errors.New("other")); d != nil || only {
		t.Error("non-bulk error reported duplicates")
	}
}

func TestIsUnavailableWhenStoreIsDown(t *testing.T) {
	t.Parallel()
	// A store that is gone: nothing listens on its port any more.
	store, err := embedded.StartStore(t.Context(), embedded.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	uri := store.URI()
	store.Close()

	client, err := mongo.Connect(options.Client().ApplyURI(uri).SetServerSelectionTimeout(300 * time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = client.Disconnect(context.Background()) }()

	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	_, err = client.Database("gone").Collection("c").InsertOne(ctx, bson.D{{Key: "a", Value: 1}})
	if err == nil {
		t.Fatal("insert succeeded with the store down")
	}
	if !mongodb.IsUnavailable(err) {
		t.Errorf("IsUnavailable(%v) = false", err)
	}
	if mongodb.IsDuplicateKey(err) {
		t.Error("unavailable classed as duplicate")
	}

	if mongodb.IsUnavailable(nil) || mongodb.IsUnavailable(mongo.ErrNoDocuments) {
		t.Error("nil / ErrNoDocuments classed as unavailable")
	}
	if !mongodb.IsUnavailable(fmt.Errorf("wrapped: %w", mongo.ErrClientDisconnected)) {
		t.Error("ErrClientDisconnected not unavailable")
	}
}
