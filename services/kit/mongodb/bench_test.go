package mongodb_test

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

// BenchmarkEmbeddedStore times, on the embedded store, the queries hot paths
// make, at collection sizes from KIT_BENCH_DOCS (comma separated, default
// 10000). It is the harness behind the Updater: only a filter that is
// exactly {_id: X} is found by index, anything else scans the collection.
//
//	KIT_BENCH_DOCS=10000,50000 go test -run '^$' -bench EmbeddedStore ./mongodb/
func BenchmarkEmbeddedStore(b *testing.B) {
	for _, n := range benchSizes(b) {
		coll := seed(b, n)
		id := func(i int) string { return fmt.Sprintf("d%07d", i%n) }
		pending := mongodb.Eq("status", "pending")
		flip := func(i int) bson.D { // keeps the document pending
			return bson.D{{Key: "$set", Value: bson.D{{Key: "touched", Value: i}}}}
		}
		prefix := fmt.Sprintf("docs=%d/", n)
		b.Run(prefix+"find_by_id", func(b *testing.B) {
			ctx := b.Context()
			for i := 0; b.Loop(); i++ {
				if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: id(i * 7919)}}).Err(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(prefix+"find_by_id_and_status", func(b *testing.B) {
			ctx := b.Context()
			for i := 0; b.Loop(); i++ {
				if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: id(i * 7919)}, {Key: "status", Value: "pending"}}).Err(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(prefix+"find_flag_no_match", func(b *testing.B) {
			ctx := b.Context()
			for b.Loop() {
				cur, err := coll.Find(ctx, bson.D{{Key: "flag", Value: true}}, options.Find().SetLimit(256))
				if err != nil {
					b.Fatal(err)
				}
				var out []bson.Raw
				if err := cur.All(ctx, &out); err != nil || len(out) != 0 {
					b.Fatal(err, len(out))
				}
			}
		})
		for _, ferret := range []bool{true, false} {
			u := mongodb.NewUpdater(mongodb.NewDocLocks(), ferret)
			way := map[bool]string{true: "read_check_write", false: "conditional_filter"}[ferret]
			b.Run(prefix+"update_if/"+way, func(b *testing.B) {
				ctx := b.Context()
				for i := 0; b.Loop(); i++ {
					ok, err := u.UpdateIf(ctx, coll, id(i*7919), pending, flip(i), nil)
					if err != nil || !ok {
						b.Fatal(ok, err)
					}
				}
			})
			b.Run(prefix+"update_each_64/"+way, func(b *testing.B) {
				ctx := b.Context()
				for i := 0; b.Loop(); i++ {
					changes := make([]mongodb.Change, 64)
					for j := range changes {
						changes[j] = mongodb.Change{ID: id(i*64 + j), If: pending, Update: flip(i)}
					}
					if _, err := u.UpdateEach(ctx, coll, changes); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(prefix+"find_each_64/"+way, func(b *testing.B) {
				ctx := b.Context()
				ids := make([]string, 64)
				for i := 0; b.Loop(); i++ {
					for j := range ids {
						ids[j] = id(i*64 + j)
					}
					if _, err := u.FindEach(ctx, coll, ids, pending, "status"); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func benchSizes(b *testing.B) []int {
	spec := os.Getenv("KIT_BENCH_DOCS")
	if spec == "" {
		return []int{10_000}
	}
	var out []int
	for _, s := range strings.Split(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 1_000_000 {
			b.Fatalf("KIT_BENCH_DOCS: bad size %q", s)
		}
		out = append(out, n)
	}
	return out
}

// seed fills a fresh collection with n signature-like documents.
func seed(b *testing.B, n int) *mongo.Collection {
	b.Helper()
	coll := testkit.Get(b).Database(b).Collection("bench")
	ctx := testkit.Context(b)
	docs := make([]any, 0, 1000)
	for i := range n {
		docs = append(docs, bson.D{
			{Key: "_id", Value: fmt.Sprintf("d%07d", i)}, {Key: "petition_id", Value: "p1"},
			{Key: "email_key", Value: fmt.Sprintf("signer%d@example.org", i)}, {Key: "name", Value: "A Signer"},
			{Key: "status", Value: "pending"}, {Key: "token_hash", Value: fmt.Sprintf("%064d", i)},
			{Key: "outbox_pending", Value: false}, {Key: "outbox_seq", Value: int64(1)},
		})
		if len(docs) == cap(docs) || i == n-1 {
			if _, err := coll.InsertMany(ctx, docs); err != nil {
				b.Fatal(err)
			}
			docs = docs[:0]
		}
	}
	// The embedded store indexes a new collection's _id lookups within a
	// second (kit/embedded, idindex.go); measure with the index in place.
	time.Sleep(1500 * time.Millisecond)
	return coll
}
