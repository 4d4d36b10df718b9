package outbox

import (
	"context"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"google.golang.org/protobuf/types/known/timestamppb"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

// (TestMain, in relay_test.go, starts the embedded store and NATS.)

// TestMarkKeepsEventsAddedWhilePublishing drives the race the seq exists
// for, on both ways of writing: a writer appends an event after the relay
// read the document and before it marks it published. Only the published
// event may go.
func TestMarkKeepsEventsAddedWhilePublishing(t *testing.T) {
	for _, ferret := range []bool{true, false} {
		name := map[bool]string{true: "read_check_write", false: "conditional_filter"}[ferret]
		t.Run(name, func(t *testing.T) {
			env := testkit.Get(t)
			_, js := env.JetStream(t)
			coll := env.Database(t).Collection("docs")
			locks := mongodb.NewDocLocks()
			r := NewRelay(js, RelayOptions{
				Stream:      broker.StreamConfig("petition", broker.StreamOptions{}),
				Collections: []*mongo.Collection{coll},
				Locks:       locks,
				Updater:     mongodb.NewUpdater(locks, ferret),
			})
			ctx := context.Background()
			ev := func() broker.Event {
				e, err := broker.NewEvent("/test", &petitionv1.SignatureConfirmed{SignatureId: "s", PetitionId: "p", ConfirmedAt: timestamppb.Now()})
				if err != nil {
					t.Fatal(err)
				}
				return e
			}
			first, second := ev(), ev()
			if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "d"}, {Key: FieldEvents, Value: []broker.Event{first}},
				{Key: FieldSeq, Value: int64(1)}, {Key: FieldPending, Value: true}}); err != nil {
				t.Fatal(err)
			}
			docs := []pendingDoc{{ID: "d", Events: []broker.Event{first}, Seq: 1}}
			if err := r.ensureStream(ctx); err != nil {
				t.Fatal(err)
			}
			if err := r.publish(ctx, docs); err != nil {
				t.Fatal(err)
			}
			if _, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: "d"}}, Update(nil, nil, second)); err != nil {
				t.Fatal(err)
			}
			if err := r.markPublished(ctx, coll, docs); err != nil {
				t.Fatal(err)
			}
			var got pendingDoc
			var flag struct {
				Pending bool `bson:"outbox_pending"`
			}
			raw, err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "d"}}).Raw()
			if err != nil {
				t.Fatal(err)
			}
			_ = bson.Unmarshal(raw, &got)
			_ = bson.Unmarshal(raw, &flag)
			if len(got.Events) != 1 || got.Events[0].ID != second.ID || !flag.Pending {
				t.Fatalf("after marking: %d events %+v pending=%v, want only the second, pending", len(got.Events), got.Events, flag.Pending)
			}
			// The next round publishes the second and clears the outbox.
			if err := r.drainIDs(ctx, coll, []string{"d"}); err != nil {
				t.Fatal(err)
			}
			raw, err = coll.FindOne(ctx, bson.D{{Key: "_id", Value: "d"}}).Raw()
			if err != nil {
				t.Fatal(err)
			}
			got, flag.Pending = pendingDoc{}, true
			_ = bson.Unmarshal(raw, &got)
			_ = bson.Unmarshal(raw, &flag)
			if len(got.Events) != 0 || flag.Pending {
				t.Fatalf("after the next round: %+v pending=%v", got.Events, flag.Pending)
			}
			if locks.Held() != 0 {
				t.Fatalf("%d locks left behind", locks.Held())
			}
		})
	}
}
