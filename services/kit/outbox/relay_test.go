package outbox_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"google.golang.org/protobuf/types/known/timestamppb"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/outbox"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

type doc struct {
	ID             string `bson:"_id"`
	State          string `bson:"state"`
	outbox.Pending `bson:",inline"`
}

func newEvent(t *testing.T) broker.Event {
	t.Helper()
	ev, err := broker.NewEvent("/test", &petitionv1.SignatureConfirmed{SignatureId: t.Name(), PetitionId: "p", ConfirmedAt: timestamppb.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

type fixture struct {
	relay *outbox.Relay
	js    jetstream.JetStream
	coll  *mongo.Collection
	env   *testkit.Env
}

func setup(t *testing.T) fixture {
	t.Helper()
	env := testkit.Get(t)
	db := env.Database(t)
	_, js := env.JetStream(t)
	if err := mongodb.EnsureIndexes(context.Background(), db, outbox.Indexes("docs")...); err != nil {
		t.Fatal(err)
	}
	coll := db.Collection("docs")
	relay := outbox.NewRelay(js, outbox.RelayOptions{
		Stream:       broker.StreamConfig("petition", broker.StreamOptions{}),
		Collections:  []*mongo.Collection{coll},
		PollInterval: 50 * time.Millisecond,
		Locks:        mongodb.NewDocLocks(),
		Logger:       env.Logger(t),
	})
	return fixture{relay: relay, js: js, coll: coll, env: env}
}

// published counts how often each of ids is in the PETITION stream.
func published(t *testing.T, js jetstream.JetStream, ids ...string) map[string]int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cons, err := js.OrderedConsumer(ctx, "PETITION", jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatalf("ordered consumer: %v", err)
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	counts := map[string]int{}
	for {
		msg, err := cons.Next(jetstream.FetchMaxWait(300 * time.Millisecond))
		if errors.Is(err, jetstream.ErrMsgIteratorClosed) || err != nil {
			break
		}
		if id := msg.Headers().Get(broker.HeaderID); want[id] {
			counts[id]++
		}
	}
	return counts
}

func pendingCount(t *testing.T, coll *mongo.Collection) int64 {
	t.Helper()
	n, err := coll.CountDocuments(context.Background(), bson.D{{Key: outbox.FieldPending, Value: true}})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestRelayPublishesOnceAndClearsOutbox(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	e1, e2 := newEvent(t), newEvent(t)
	if _, err := f.coll.InsertOne(ctx, doc{ID: "a", State: "new", Pending: outbox.New(e1, e2)}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.relay.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if got := published(t, f.js, e1.ID, e2.ID); got[e1.ID] != 1 || got[e2.ID] != 1 {
		t.Fatalf("published %v, want each once", got)
	}
	var d doc
	if err := f.coll.FindOne(ctx, bson.D{{Key: "_id", Value: "a"}}).Decode(&d); err != nil {
		t.Fatal(err)
	}
	if len(d.Events) != 0 || d.HasPending {
		t.Fatalf("outbox not cleared: %+v", d.Pending)
	}
	// A second round finds nothing to do.
	if _, err := f.relay.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if got := published(t, f.js, e1.ID); got[e1.ID] != 1 {
		t.Fatalf("re-published: %v", got)
	}
}

func TestRelayRepublishAfterCrashIsDeduplicated(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	ev := newEvent(t)
	if _, err := f.coll.InsertOne(ctx, doc{ID: "b", Pending: outbox.New(ev)}); err != nil {
		t.Fatal(err)
	}
	// Simulate "published, then crashed before marking": publish by hand.
	if _, err := f.js.PublishMsg(ctx, ev.Msg()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.relay.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if got := published(t, f.js, ev.ID); got[ev.ID] != 1 {
		t.Fatalf("event in stream %d times, want 1 (JetStream dedup by Nats-Msg-Id)", got[ev.ID])
	}
	if n := pendingCount(t, f.coll); n != 0 {
		t.Fatalf("%d documents still pending", n)
	}
}

func TestRelayKeepsEventsWhileNATSIsDownAndPublishesAfter(t *testing.T) {
	f := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Make sure the stream exists before the outage, as in production.
	if err := broker.EnsureStream(ctx, f.js, broker.StreamConfig("petition", broker.StreamOptions{})); err != nil {
		t.Fatal(err)
	}
	f.env.StopNATS(t)
	done := make(chan struct{})
	go func() { f.relay.Run(ctx); close(done) }()

	ev := newEvent(t)
	if _, err := f.coll.InsertOne(ctx, doc{ID: "c", Pending: outbox.New(ev)}); err != nil {
		t.Fatal(err)
	}
	f.relay.Kick()
	time.Sleep(500 * time.Millisecond)
	if n := pendingCount(t, f.coll); n != 1 {
		t.Fatalf("while NATS is down the event must stay pending; pending=%d", n)
	}
	f.env.StartNATS(t)
	waitFor(t, "outbox drained after NATS came back", func() bool { return pendingCount(t, f.coll) == 0 })
	cancel()
	<-done
	if got := published(t, f.js, ev.ID); got[ev.ID] != 1 {
		t.Fatalf("event published %d times, want exactly 1", got[ev.ID])
	}
}

func TestEventsAddedDuringPublishStayPending(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	first := newEvent(t)
	if _, err := f.coll.InsertOne(ctx, doc{ID: "d", Pending: outbox.New(first)}); err != nil {
		t.Fatal(err)
	}
	// A concurrent writer appends an event after the relay read the document
	// but before it marked it: emulate by bumping the document between two
	// relay rounds driven by hand.
	second := newEvent(t)
	if _, err := f.coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: "d"}}, outbox.Update(bson.D{{Key: "state", Value: "changed"}}, nil, second)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.relay.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if got := published(t, f.js, first.ID, second.ID); got[first.ID] != 1 || got[second.ID] != 1 {
		t.Fatalf("published %v, want both once", got)
	}
	if n := pendingCount(t, f.coll); n != 0 {
		t.Fatalf("pending=%d", n)
	}
}

// TestRelayReadsNotifiedDocumentsWithoutScanning: with scans rare, a
// document named by Notify is published at once; one that is not waits for
// a scan (Kick, or the next poll).
func TestRelayReadsNotifiedDocumentsWithoutScanning(t *testing.T) {
	env := testkit.Get(t)
	db := env.Database(t)
	_, js := env.JetStream(t)
	coll := db.Collection("docs")
	relay := outbox.NewRelay(js, outbox.RelayOptions{
		Stream:       broker.StreamConfig("petition", broker.StreamOptions{}),
		Collections:  []*mongo.Collection{coll},
		PollInterval: time.Hour,
		Locks:        mongodb.NewDocLocks(),
		Logger:       env.Logger(t),
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { relay.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	time.Sleep(200 * time.Millisecond) // the start-up scan finds nothing

	named, unnamed := newEvent(t), newEvent(t)
	if _, err := coll.InsertOne(ctx, doc{ID: "unnamed", Pending: outbox.New(unnamed)}); err != nil {
		t.Fatal(err)
	}
	if _, err := coll.InsertOne(ctx, doc{ID: "named", Pending: outbox.New(named)}); err != nil {
		t.Fatal(err)
	}
	relay.Notify("docs", "named", "named", "missing")
	relay.Notify("other", "ignored") // not a collection of this relay
	waitFor(t, "the named document published", func() bool { return pendingCount(t, coll) == 1 })
	if got := published(t, js, named.ID, unnamed.ID); got[named.ID] != 1 || got[unnamed.ID] != 0 {
		t.Fatalf("published %v, want only the named document's event", got)
	}
	relay.Kick()
	waitFor(t, "the scan to publish the other", func() bool { return pendingCount(t, coll) == 0 })
	if got := published(t, js, named.ID, unnamed.ID); got[named.ID] != 1 || got[unnamed.ID] != 1 {
		t.Fatalf("published %v, want each once", got)
	}
}
