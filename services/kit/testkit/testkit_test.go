package testkit_test

import (
	"context"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/cc4dr/coalition/services/kit/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

func TestStoreAndNATS(t *testing.T) {
	t.Parallel()
	env := testkit.Get(t)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()

	if !strings.HasPrefix(env.MongoURI(), "mongodb://") || !strings.HasPrefix(env.NATSURL(), "nats://") {
		t.Fatalf("URIs: %s %s", env.MongoURI(), env.NATSURL())
	}
	env.Logger(t).Info("logger writes to t.Log")

	db := env.Database(t)
	if _, err := db.Collection("things").InsertOne(ctx, bson.D{{Key: "n", Value: 1}}); err != nil {
		t.Fatalf("insert: %v", err)
	}

	_, js := env.JetStream(t)
	stream := testkit.UniqueName(t, "S")
	if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: stream, Subjects: []string{stream + ".>"}, Storage: jetstream.FileStorage,
	}); err != nil {
		t.Fatalf("create stream: %v", err)
	}
	if _, err := js.Publish(ctx, stream+".x", []byte("hi")); err != nil {
		t.Fatalf("publish: %v", err)
	}
}

func TestDatabasesAreIsolatedAndDropped(t *testing.T) {
	t.Parallel()
	env := testkit.Get(t)
	ctx := t.Context()

	var name string
	t.Run("inner", func(t *testing.T) {
		db := env.Database(t)
		name = db.Name()
		if _, err := db.Collection("c").InsertOne(ctx, bson.D{{Key: "a", Value: 1}}); err != nil {
			t.Fatal(err)
		}
		other := env.Database(t)
		if other.Name() == name {
			t.Fatal("two calls returned the same database")
		}
		if n, err := other.Collection("c").CountDocuments(ctx, bson.D{}); err != nil || n != 0 {
			t.Fatalf("other database sees %d docs (err %v)", n, err)
		}
	})

	// Cleanup of the subtest dropped its database.
	names, err := env.Database(t).Client().ListDatabaseNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(names, name) {
		t.Fatalf("database %s not dropped: %v", name, names)
	}
}

// Not parallel: it takes the shared server away from everyone.
func TestStopStartNATSKeepsStreams(t *testing.T) {
	env := testkit.Get(t)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	nc, js := env.JetStream(t)

	stream := testkit.UniqueName(t, "RESTART")
	if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: stream, Subjects: []string{stream + ".>"}, Storage: jetstream.FileStorage,
	}); err != nil {
		t.Fatalf("create stream: %v", err)
	}
	if _, err := js.Publish(ctx, stream+".before", []byte("1")); err != nil {
		t.Fatal(err)
	}

	url := env.NATSURL()
	env.StopNATS(t)
	pctx, pcancel := context.WithTimeout(ctx, 300*time.Millisecond)
	_, err := js.Publish(pctx, stream+".during", []byte("2"))
	pcancel()
	if err == nil {
		t.Fatal("publish acked while NATS was stopped")
	}

	env.StartNATS(t)
	if env.NATSURL() != url {
		t.Fatalf("URL changed: %s -> %s", url, env.NATSURL())
	}
	// The same connection must come back by itself.
	deadline := time.Now().Add(10 * time.Second)
	for !nc.IsConnected() {
		if time.Now().After(deadline) {
			t.Fatal("connection did not reconnect")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := js.Publish(ctx, stream+".after", []byte("3")); err != nil {
		t.Fatalf("publish after restart: %v", err)
	}
	s, err := js.Stream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// "during" may have been buffered and flushed on reconnect; "before" and
	// "after" must both be there.
	if info.State.Msgs < 2 {
		t.Errorf("stream has %d messages, want >= 2", info.State.Msgs)
	}
}

func TestUniqueName(t *testing.T) {
	a := testkit.UniqueName(t, "Stream.X")
	b := testkit.UniqueName(t, "Stream.X")
	if a == b {
		t.Fatal("names repeat")
	}
	if !regexp.MustCompile(`^Stream_X_TestUniqueName_[0-9a-f]{8}$`).MatchString(a) {
		t.Errorf("name = %q", a)
	}
	t.Run("a very long subtest name / with spaces and.dots and more words to push it well past the limit", func(t *testing.T) {
		n := testkit.UniqueName(t, "P")
		if len(n) > 63 || !regexp.MustCompile(`^[A-Za-z0-9_-]+$`).MatchString(n) {
			t.Errorf("name = %q (%d)", n, len(n))
		}
	})
}
