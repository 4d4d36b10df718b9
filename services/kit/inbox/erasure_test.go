package inbox_test

import (
	"errors"
	"testing"
	"time"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/inbox"
	"github.com/cc4dr/coalition/services/kit/logging"
	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

// TestPurgeConcerning: a dead letter is found by the hash of any address
// its event names (in any field, any case; a payload of an unknown type
// too), and erasing that address deletes it and only it.
func TestPurgeConcerning(t *testing.T) {
	ctx := testkit.Context(t)
	db := testkit.Get(t).Database(t)
	if err := mongodb.EnsureIndexes(ctx, db, inbox.Indexes()...); err != nil {
		t.Fatal(err)
	}
	store := inbox.New(db)
	erased, kept := "Ada.Lovelace@Example.org", "grace@example.org"
	signed, err := broker.NewEvent("/test", &petitionv1.SignatureRequested{
		SignatureId: "s1", Name: "Ada", Email: erased, ConfirmationToken: "secret",
	})
	if err != nil {
		t.Fatal(err)
	}
	other, err := broker.NewEvent("/test", &petitionv1.SignatureRequested{SignatureId: "s2", Email: kept})
	if err != nil {
		t.Fatal(err)
	}
	unknown := broker.Event{ID: "unknown-1", Type: "test.v1.Unknown", Data: append([]byte{0x0a, 0x18}, []byte("ada.lovelace@example.org")...)}
	for _, ev := range []broker.Event{signed, other, unknown} {
		if err := store.RecordDeadLetter(ctx, "c", ev, 8, errors.New("smtp down")); err != nil {
			t.Fatal(err)
		}
	}
	if d, _ := store.DeadLetter(ctx, "c", signed.ID); len(d.Concerns) != 1 || d.Concerns[0] != logging.EmailHash(erased) {
		t.Fatalf("concerns %v, want the hash of the one address", d.Concerns)
	}

	n, err := store.PurgeConcerning(ctx, logging.EmailHash("ada.lovelace@example.org"))
	if err != nil || n != 2 {
		t.Fatalf("purged %d (%v), want the 2 dead letters naming the address", n, err)
	}
	for _, id := range []string{signed.ID, unknown.ID} {
		if _, err := store.DeadLetter(ctx, "c", id); !errors.Is(err, inbox.ErrDeadLetterNotFound) {
			t.Errorf("dead letter %s survived the erasure: %v", id, err)
		}
	}
	if _, err := store.DeadLetter(ctx, "c", other.ID); err != nil {
		t.Errorf("another person's dead letter went too: %v", err)
	}
	if n, err := store.PurgeConcerning(ctx, ""); n != 0 || err != nil {
		t.Errorf("purging the empty hash: %d %v", n, err)
	}
}

// TestSweepDeadLetters: dead letters older than the retention go, newer
// ones stay.
func TestSweepDeadLetters(t *testing.T) {
	ctx := testkit.Context(t)
	store := inbox.New(testkit.Get(t).Database(t))
	ev := event(t)
	if err := store.RecordDeadLetter(ctx, "c", ev, 8, errors.New("x")); err != nil {
		t.Fatal(err)
	}
	if n, err := store.SweepDeadLetters(ctx, time.Hour); n != 0 || err != nil {
		t.Fatalf("sweep with an hour's retention: %d %v", n, err)
	}
	time.Sleep(20 * time.Millisecond)
	if n, err := store.SweepDeadLetters(ctx, 10*time.Millisecond); n != 1 || err != nil {
		t.Fatalf("sweep: %d %v, want 1", n, err)
	}
	if _, err := store.DeadLetter(ctx, "c", ev.ID); !errors.Is(err, inbox.ErrDeadLetterNotFound) {
		t.Errorf("old dead letter still there: %v", err)
	}
}
