package embedded_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/cc4dr/coalition/services/kit/embedded"
)

func TestStoreOverTheWire(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	dir := t.TempDir() + "/not/yet/there" // StartStore must create it
	store, err := embedded.StartStore(ctx, embedded.StoreOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)

	client, err := mongo.Connect(options.Client().ApplyURI(store.URI()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Disconnect(context.Background()) })
	coll := client.Database("embedded_test").Collection("people")

	if _, err := coll.Indexes().CreateOne(ctx, mongo.IndexModel{
		Keys:    bson.D{{Key: "email", Value: 1}},
		Options: options.Index().SetUnique(true).SetName("email_unique"),
	}); err != nil {
		t.Fatalf("create index: %v", err)
	}
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "email", Value: "a@example.org"}}); err != nil {
		t.Fatalf("insert: %v", err)
	}
	_, err = coll.InsertOne(ctx, bson.D{{Key: "email", Value: "a@example.org"}})
	if !mongo.IsDuplicateKeyError(err) {
		t.Fatalf("duplicate insert: err = %v, want duplicate key", err)
	}

	// Unordered bulk insert: every non-duplicate lands, each duplicate is
	// reported with its position.
	docs := make([]any, 0, 100)
	for i := range 100 {
		docs = append(docs, bson.D{{Key: "email", Value: fmt.Sprintf("p%d@example.org", i%90)}})
	}
	docs = append(docs, bson.D{{Key: "email", Value: "a@example.org"}})
	_, err = coll.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	var bwe mongo.BulkWriteException
	if !mongo.IsDuplicateKeyError(err) {
		t.Fatalf("InsertMany err = %v, want duplicates", err)
	}
	if !errors.As(err, &bwe) || len(bwe.WriteErrors) != 11 {
		t.Fatalf("InsertMany err = %v (%d write errors), want 11", err, len(bwe.WriteErrors))
	}
	for _, we := range bwe.WriteErrors {
		if we.Code != 11000 || (we.Index < 90 && we.Index != 100) {
			t.Errorf("write error at %d: code %d", we.Index, we.Code)
		}
	}
	n, err := coll.CountDocuments(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	if n != 91 {
		t.Errorf("count = %d, want 91", n)
	}
}

func TestStoreCloseStopsListener(t *testing.T) {
	store, err := embedded.StartStore(t.Context(), embedded.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	uri := store.URI()
	store.Close()
	store.Close() // idempotent

	client, err := mongo.Connect(options.Client().ApplyURI(uri).SetServerSelectionTimeout(300 * time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = client.Disconnect(context.Background()) }()
	if err := client.Ping(t.Context(), nil); err == nil {
		t.Fatal("ping succeeded after Close")
	}
}
