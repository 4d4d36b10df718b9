package mongodb_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

// TestDocLocksMakeConcurrentUpdatesSafe shows the store problem DocLocks
// exists for and that the locks solve it: 20 concurrent $inc and 20
// concurrent conditional updates of one document.
func TestDocLocksMakeConcurrentUpdatesSafe(t *testing.T) {
	coll := testkit.Get(t).Database(t).Collection("c")
	ctx := context.Background()
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "x"}, {Key: "n", Value: 0}, {Key: "s", Value: "pending"}}); err != nil {
		t.Fatal(err)
	}
	locks := mongodb.NewDocLocks()
	var wg sync.WaitGroup
	var mu sync.Mutex
	winners := 0
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			unlock, err := locks.Lock(ctx, coll, "x")
			if err != nil {
				t.Error(err)
				return
			}
			defer unlock()
			if _, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: "x"}}, bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: 1}}}}); err != nil {
				t.Error(err)
			}
			res, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: "x"}, {Key: "s", Value: "pending"}}, bson.D{{Key: "$set", Value: bson.D{{Key: "s", Value: "done"}}}})
			if err == nil && res.ModifiedCount == 1 {
				mu.Lock()
				winners++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	var d struct{ N int }
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "x"}}).Decode(&d); err != nil {
		t.Fatal(err)
	}
	if d.N != 20 || winners != 1 {
		t.Fatalf("n=%d (want 20), conditional winners=%d (want 1)", d.N, winners)
	}
	if locks.Held() != 0 {
		t.Fatalf("%d locks left behind", locks.Held())
	}
}

func TestDocLocksRespectContextAndOrder(t *testing.T) {
	coll := testkit.Get(t).Database(t).Collection("c")
	locks := mongodb.NewDocLocks()
	unlock, err := locks.Lock(context.Background(), coll, "a")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := locks.LockAll(ctx, coll, []string{"b", "a"}); err == nil {
		t.Fatal("LockAll must give up when ctx ends while a document is held")
	}
	unlock()
	all, err := locks.LockAll(context.Background(), coll, []string{"b", "a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	all()
	if locks.Held() != 0 {
		t.Fatalf("%d locks left behind", locks.Held())
	}
}
