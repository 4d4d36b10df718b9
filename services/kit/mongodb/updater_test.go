package mongodb_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

// TestCondAgreesWithTheStore checks each condition's two evaluations
// against each other: the store evaluates the filter (as MongoDB would,
// FerretDB implements its query language), Go evaluates Match. They must
// pick the same documents.
func TestCondAgreesWithTheStore(t *testing.T) {
	t.Parallel()
	coll := testkit.Get(t).Database(t).Collection("c")
	ctx := testkit.Context(t)
	t0 := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	docs := []any{
		bson.D{{Key: "_id", Value: "a"}, {Key: "s", Value: "pending"}, {Key: "n", Value: int32(1)}, {Key: "b", Value: true}, {Key: "t", Value: t0}},
		bson.D{{Key: "_id", Value: "b"}, {Key: "s", Value: "confirmed"}, {Key: "n", Value: int64(2)}, {Key: "b", Value: false}, {Key: "t", Value: t0.Add(time.Hour)}},
		bson.D{{Key: "_id", Value: "c"}, {Key: "s", Value: nil}, {Key: "n", Value: 2.5}},
		bson.D{{Key: "_id", Value: "d"}, {Key: "n", Value: "2"}, {Key: "arr", Value: bson.A{"x", "y"}}},
		bson.D{{Key: "_id", Value: "e"}, {Key: "s", Value: "pending"}, {Key: "arr", Value: bson.A{int64(1), int64(5)}}, {Key: "sub", Value: bson.D{{Key: "k", Value: "v"}}}},
	}
	if _, err := coll.InsertMany(ctx, docs); err != nil {
		t.Fatal(err)
	}
	conds := map[string]mongodb.Cond{
		"eq string":        mongodb.Eq("s", "pending"),
		"eq nil":           mongodb.Eq("s", nil),
		"eq number kinds":  mongodb.Eq("n", int64(1)),
		"eq int as double": mongodb.Eq("n", 2.0),
		"eq bool":          mongodb.Eq("b", true),
		"eq time":          mongodb.Eq("t", t0),
		"eq in array":      mongodb.Eq("arr", "y"),
		"eq nested":        mongodb.Eq("sub.k", "v"),
		"ne string":        mongodb.Ne("s", "pending"),
		"ne nil":           mongodb.Ne("s", nil),
		"ne number":        mongodb.Ne("n", int32(2)),
		"ne array element": mongodb.Ne("arr", "x"),
		"in":               mongodb.In("s", "confirmed", "pending"),
		"in numbers":       mongodb.In("n", int32(2), 7),
		"exists":           mongodb.Exists("s"),
		"missing":          mongodb.Missing("s"),
		"lt number":        mongodb.Lt("n", 2),
		"lte number":       mongodb.Lte("n", int64(2)),
		"gt number":        mongodb.Gt("n", int32(0)),
		"gte number":       mongodb.Gte("n", 2.5),
		"gt array":         mongodb.Gt("arr", int64(4)),
		"lte time":         mongodb.Lte("t", t0),
		"gt time":          mongodb.Gt("t", t0),
		"lt string":        mongodb.Lt("s", "pending"),
		"and":              mongodb.And(mongodb.Eq("s", "pending"), mongodb.Exists("n")),
		"or":               mongodb.Or(mongodb.Missing("t"), mongodb.Lte("t", t0)),
		"not":              mongodb.Not(mongodb.Eq("s", "pending")),
		"nested logic":     mongodb.And(mongodb.Or(mongodb.Eq("b", false), mongodb.Missing("b")), mongodb.Not(mongodb.Missing("s"))),
		"always":           mongodb.Always(),
		"and of nothing":   mongodb.And(),
	}
	var all []bson.Raw
	cur, err := coll.Find(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	if err := cur.All(ctx, &all); err != nil {
		t.Fatal(err)
	}
	for name, c := range conds {
		if c.Err() != nil {
			t.Fatalf("%s: %v", name, c.Err())
		}
		cur, err := coll.Find(ctx, c.Filter())
		if err != nil {
			t.Fatalf("%s: find %v: %v", name, c.Filter(), err)
		}
		var got []bson.Raw
		if err := cur.All(ctx, &got); err != nil {
			t.Fatal(err)
		}
		var byStore, byGo []string
		for _, d := range got {
			byStore = append(byStore, d.Lookup("_id").StringValue())
		}
		for _, d := range all {
			if c.Match(d) {
				byGo = append(byGo, d.Lookup("_id").StringValue())
			}
		}
		slices.Sort(byStore)
		slices.Sort(byGo)
		if !slices.Equal(byStore, byGo) {
			t.Errorf("%s (%v): the store picks %v, Go picks %v", name, c.Filter(), byStore, byGo)
		}
	}
	if mongodb.Or().Err() == nil {
		t.Error("Or of nothing accepted")
	}
	if bad := mongodb.Eq("x", make(chan int)); bad.Err() == nil {
		t.Error("unencodable value accepted")
	}
}

// engines runs f once per way of writing: the embedded store's (read by
// _id, check in Go, write by _id) and MongoDB's (condition in the filter),
// both against the real embedded store.
func engines(t *testing.T, f func(t *testing.T, u *mongodb.Updater, coll *mongo.Collection)) {
	for _, ferret := range []bool{true, false} {
		t.Run(fmt.Sprintf("ferretdb=%v", ferret), func(t *testing.T) {
			t.Parallel()
			f(t, mongodb.NewUpdater(mongodb.NewDocLocks(), ferret), testkit.Get(t).Database(t).Collection("c"))
		})
	}
}

func TestIsFerretDB(t *testing.T) {
	t.Parallel()
	db := testkit.Get(t).Database(t)
	ok, err := mongodb.IsFerretDB(testkit.Context(t), db)
	if err != nil || !ok {
		t.Fatalf("IsFerretDB = %v, %v on the embedded store", ok, err)
	}
}

func TestUpdateIf(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, u *mongodb.Updater, coll *mongo.Collection) {
		ctx := testkit.Context(t)
		if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "x"}, {Key: "s", Value: "pending"}, {Key: "n", Value: int64(0)}}); err != nil {
			t.Fatal(err)
		}
		set := func(k string, v any) bson.D { return bson.D{{Key: "$set", Value: bson.D{{Key: k, Value: v}}}} }

		// 20 concurrent conditional updates: exactly one wins.
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				ok, err := u.UpdateIf(ctx, coll, "x", mongodb.Eq("s", "pending"),
					bson.D{{Key: "$set", Value: bson.D{{Key: "s", Value: "done"}}}, {Key: "$inc", Value: bson.D{{Key: "n", Value: 1}}}}, nil)
				if err != nil {
					t.Error(err)
				}
				if ok {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		var d struct {
			S string
			N int64
		}
		if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "x"}}).Decode(&d); err != nil {
			t.Fatal(err)
		}
		if wins.Load() != 1 || d.S != "done" || d.N != 1 {
			t.Fatalf("wins=%d doc=%+v, want one winner", wins.Load(), d)
		}
		// The document as it was before, when applied; nothing when not.
		var before struct {
			S string
			N int64
		}
		ok, err := u.UpdateIf(ctx, coll, "x", mongodb.And(mongodb.Eq("s", "done"), mongodb.Missing("m")), set("m", true), &before)
		if err != nil || !ok || before.S != "done" || before.N != 1 {
			t.Fatalf("UpdateIf with before = %v, %v, %+v", ok, err, before)
		}
		before.S = "untouched"
		if ok, err := u.UpdateIf(ctx, coll, "x", mongodb.Missing("m"), set("m", false), &before); ok || err != nil || before.S != "untouched" {
			t.Fatalf("second UpdateIf = %v, %v, %+v", ok, err, before)
		}
		if ok, err := u.UpdateIf(ctx, coll, "nobody", mongodb.Always(), set("m", 1), nil); ok || err != nil {
			t.Fatalf("UpdateIf of a missing document = %v, %v", ok, err)
		}
		if _, err := u.UpdateIf(ctx, coll, "x", mongodb.Or(), set("m", 1), nil); err == nil {
			t.Fatal("a broken condition was accepted")
		}
		if n := u.Locks().Held(); n != 0 {
			t.Fatalf("%d locks left behind", n)
		}
	})
}

func TestUpdateEachUpdateAllIfAndFindEach(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, u *mongodb.Updater, coll *mongo.Collection) {
		ctx := testkit.Context(t)
		var docs []any
		for i := range 6 {
			docs = append(docs, bson.D{{Key: "_id", Value: fmt.Sprint(i)}, {Key: "seq", Value: int64(i % 2)}, {Key: "tag", Value: "t"}})
		}
		if _, err := coll.InsertMany(ctx, docs); err != nil {
			t.Fatal(err)
		}
		var changes []mongodb.Change
		for _, id := range []string{"0", "1", "2", "3", "missing"} {
			changes = append(changes, mongodb.Change{
				ID: id, If: mongodb.Eq("seq", int64(0)),
				Update: bson.D{{Key: "$set", Value: bson.D{{Key: "r", Value: "then"}}}},
				Else:   bson.D{{Key: "$set", Value: bson.D{{Key: "r", Value: "else"}}}},
			})
		}
		applied, err := u.UpdateEach(ctx, coll, changes)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(applied) != "[true false true false false]" {
			t.Fatalf("applied = %v", applied)
		}
		got, err := u.FindEach(ctx, coll, []string{"3", "2", "1", "0", "4", "missing"}, mongodb.Exists("r"), "r")
		if err != nil {
			t.Fatal(err)
		}
		var seen []string
		for _, d := range got {
			seen = append(seen, d.Lookup("_id").StringValue()+"="+d.Lookup("r").StringValue())
			if _, err := d.LookupErr("tag"); err == nil {
				t.Errorf("FindEach returned an unasked field: %v", d)
			}
		}
		if fmt.Sprint(seen) != "[3=else 2=then 1=else 0=then]" {
			t.Fatalf("FindEach = %v", seen)
		}
		n, err := u.UpdateAllIf(ctx, coll, []string{"0", "1", "2", "3", "4", "missing"}, mongodb.Eq("r", "then"),
			bson.D{{Key: "$set", Value: bson.D{{Key: "r", Value: "again"}}}})
		if err != nil || n != 2 {
			t.Fatalf("UpdateAllIf = %d, %v; want 2", n, err)
		}
		again, err := u.FindEach(ctx, coll, []string{"0", "1", "2"}, mongodb.Eq("r", "again"))
		if err != nil || len(again) != 2 {
			t.Fatalf("after UpdateAllIf: %v, %v", again, err)
		}
		whole, err := u.FindEach(ctx, coll, []string{"5"}, mongodb.Always())
		if err != nil || len(whole) != 1 || whole[0].Lookup("tag").StringValue() != "t" {
			t.Fatalf("FindEach without fields = %v, %v", whole, err)
		}
		if applied, err := u.UpdateEach(ctx, coll, nil); err != nil || len(applied) != 0 {
			t.Fatalf("UpdateEach of nothing = %v, %v", applied, err)
		}
		if n := u.Locks().Held(); n != 0 {
			t.Fatalf("%d locks left behind", n)
		}
	})
}

func TestUpdaterGivesUpWithContext(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, u *mongodb.Updater, coll *mongo.Collection) {
		unlock, err := u.Locks().Lock(context.Background(), coll, "x")
		if err != nil {
			t.Fatal(err)
		}
		defer unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		if _, err := u.UpdateIf(ctx, coll, "x", mongodb.Always(), bson.D{{Key: "$set", Value: bson.D{{Key: "a", Value: 1}}}}, nil); err == nil {
			t.Fatal("UpdateIf went ahead while the document was locked")
		}
		if _, err := u.UpdateEach(ctx, coll, []mongodb.Change{{ID: "x", If: mongodb.Always(), Update: bson.D{{Key: "$set", Value: bson.D{{Key: "a", Value: 1}}}}}}); err == nil {
			t.Fatal("UpdateEach went ahead while the document was locked")
		}
	})
}

// TestUpdateEachManyDocuments: hundreds of documents in one call complete.
// FerretDB v1.24 holds a SQLite connection per statement of a bulk update
// until the bulk ends, so one bulk of 100+ updates deadlocked the database
// (its pool has 100); the Updater writes in small bulks.
func TestUpdateEachManyDocuments(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, u *mongodb.Updater, coll *mongo.Collection) {
		ctx, cancel := context.WithTimeout(testkit.Context(t), 60*time.Second)
		defer cancel()
		const n = 300
		docs := make([]any, n)
		ids := make([]string, n)
		for i := range docs {
			ids[i] = fmt.Sprintf("d%03d", i)
			docs[i] = bson.D{{Key: "_id", Value: ids[i]}, {Key: "flag", Value: true}}
		}
		if _, err := coll.InsertMany(ctx, docs); err != nil {
			t.Fatal(err)
		}
		n2, err := u.UpdateAllIf(ctx, coll, ids, mongodb.Eq("flag", true), bson.D{{Key: "$set", Value: bson.D{{Key: "flag", Value: false}}}})
		if err != nil || n2 != n {
			t.Fatalf("UpdateAllIf of %d documents = %d, %v", n, n2, err)
		}
		if left, err := coll.CountDocuments(ctx, bson.D{{Key: "flag", Value: true}}); err != nil || left != 0 {
			t.Fatalf("%d documents not updated (%v)", left, err)
		}
	})
}
