package embedded_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/cc4dr/coalition/services/kit/embedded"
)

// TestLookupsByIDUseAnIndex: a collection's finds and updates by _id are
// answered through an index (not by scanning every document), including a
// collection created after the store started, and dropping a database
// still works while the store indexes.
func TestLookupsByIDUseAnIndex(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	dir := t.TempDir()
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

	coll := client.Database("lookups").Collection("docs")
	docs := make([]any, 5000)
	for i := range docs {
		docs[i] = bson.D{{Key: "_id", Value: fmt.Sprintf("d%05d", i)}, {Key: "n", Value: i}}
	}
	if _, err := coll.InsertMany(ctx, docs); err != nil {
		t.Fatal(err)
	}
	plan := func() string {
		db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "lookups.sqlite")+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = db.Close() }()
		var table string
		if err := db.QueryRowContext(ctx, `SELECT table_name FROM _ferretdb_collections WHERE name = 'docs'`).Scan(&table); err != nil {
			t.Fatal(err)
		}
		var id, parent, unused int
		var detail string
		// The statement FerretDB runs for a find by _id (backends/sqlite).
		q := fmt.Sprintf(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->'$._id' = ?`, table)
		if err := db.QueryRowContext(ctx, q, `"d00001"`).Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		return detail
	}
	deadline := time.Now().Add(10 * time.Second)
	var got string
	for got = plan(); time.Now().Before(deadline) && got[:6] != "SEARCH"; got = plan() {
		time.Sleep(100 * time.Millisecond)
	}
	if got[:6] != "SEARCH" {
		t.Fatalf("a find by _id runs as %q, want an index SEARCH", got)
	}
	var d struct{ N int }
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "d04321"}}).Decode(&d); err != nil || d.N != 4321 {
		t.Fatalf("find by _id = %+v, %v", d, err)
	}
	if _, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: "d04321"}}, bson.D{{Key: "$set", Value: bson.D{{Key: "n", Value: -1}}}}); err != nil {
		t.Fatal(err)
	}
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "d04321"}}).Decode(&d); err != nil || d.N != -1 {
		t.Fatalf("after update = %+v, %v", d, err)
	}
	// FerretDB's own index list is unchanged.
	cur, err := coll.Indexes().List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var idx []bson.M
	if err := cur.All(ctx, &idx); err != nil || len(idx) != 1 {
		t.Fatalf("listIndexes = %v, %v; want only _id_", idx, err)
	}
	if err := client.Database("lookups").Drop(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "lookups.sqlite")); !os.IsNotExist(err) {
		t.Fatalf("dropped database's file: %v", err)
	}
	if _, err := client.Database("lookups").Collection("docs").InsertOne(ctx, bson.D{{Key: "_id", Value: "again"}}); err != nil {
		t.Fatalf("re-create after drop: %v", err)
	}
}
