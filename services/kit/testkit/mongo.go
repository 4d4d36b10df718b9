package testkit

import (
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Database returns a database of its own for this test, dropped when the
// test ends. Tests can therefore run in parallel and never see each other's
// documents or indexes.
func (e *Env) Database(t testing.TB) *mongo.Database {
	t.Helper()
	// FerretDB allows [a-zA-Z0-9_-]{1,63} in database names.
	db := e.client.Database(uniqueName(t, "t", 63))
	t.Cleanup(func() {
		// t.Context() is already cancelled when cleanups run.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := db.Drop(ctx); err != nil {
			t.Logf("testkit: drop database %s: %v", db.Name(), err)
		}
	})
	return db
}
