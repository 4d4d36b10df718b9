package inbox_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/inbox"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

// TestReplayAppliesOnce: a dead letter replayed runs the handler once and
// goes away; a second replay finds nothing; an event that a redelivery
// applied meanwhile is not applied again by its replay.
func TestReplayAppliesOnce(t *testing.T) {
	ctx := testkit.Context(t)
	store := inbox.New(testkit.Get(t).Database(t))
	ev := event(t)
	consumer := "replay-c"
	if err := store.RecordDeadLetter(ctx, consumer, ev, 8, errors.New("smtp down")); err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int32
	h := store.Wrap(consumer, func(context.Context, broker.Event) error { calls.Add(1); return nil })

	already, err := store.Replay(ctx, consumer, ev.ID, h)
	if err != nil || already {
		t.Fatalf("replay: already=%v err=%v", already, err)
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("handler ran %d times, want 1", n)
	}
	if _, err := store.DeadLetter(ctx, consumer, ev.ID); !errors.Is(err, inbox.ErrDeadLetterNotFound) {
		t.Fatalf("dead letter still there after a replay: %v", err)
	}
	if _, err := store.Replay(ctx, consumer, ev.ID, h); !errors.Is(err, inbox.ErrDeadLetterNotFound) {
		t.Fatalf("second replay: %v, want ErrDeadLetterNotFound", err)
	}
	// A redelivery of the event now is absorbed by the inbox.
	if err := h(ctx, ev); err != nil || calls.Load() != 1 {
		t.Fatalf("redelivery after replay: err %v, %d calls", err, calls.Load())
	}

	// Applied by a redelivery after it was dead-lettered: the replay only
	// removes the dead letter.
	ev2 := event(t)
	if err := store.RecordDeadLetter(ctx, consumer, ev2, 8, errors.New("x")); err != nil {
		t.Fatal(err)
	}
	if err := store.Record(ctx, consumer, ev2); err != nil {
		t.Fatal(err)
	}
	already, err = store.Replay(ctx, consumer, ev2.ID, func(context.Context, broker.Event) error {
		t.Error("handler ran for an applied event")
		return nil
	})
	if err != nil || !already {
		t.Fatalf("replay of an applied event: already=%v err=%v", already, err)
	}
}

// TestReplayFailingKeepsTheDeadLetter: the new error is kept, the event is
// not recorded as applied, and a later replay can still succeed.
func TestReplayFailingKeepsTheDeadLetter(t *testing.T) {
	ctx := testkit.Context(t)
	store := inbox.New(testkit.Get(t).Database(t))
	ev := event(t)
	if err := store.RecordDeadLetter(ctx, "c", ev, 3, errors.New("first")); err != nil {
		t.Fatal(err)
	}
	_, err := store.Replay(ctx, "c", ev.ID, func(context.Context, broker.Event) error { return errors.New("second") })
	if !errors.Is(err, inbox.ErrReplayFailed) {
		t.Fatalf("err %v, want ErrReplayFailed", err)
	}
	d, err := store.DeadLetter(ctx, "c", ev.ID)
	if err != nil || d.Error != "second" {
		t.Fatalf("dead letter %+v (err %v), want the new error", d, err)
	}
	if done, _ := store.Applied(ctx, "c", ev.ID); done {
		t.Fatal("a failed replay recorded the event as applied")
	}
	if _, err := store.Replay(ctx, "c", ev.ID, func(context.Context, broker.Event) error { return nil }); err != nil {
		t.Fatal(err)
	}

	// An unreadable message has no event to replay.
	if err := store.RecordDeadLetter(ctx, "c", broker.Event{Subject: "x"}, 1, errors.New("bad")); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Replay(ctx, "c", "", nil); !errors.Is(err, inbox.ErrDeadLetterNotFound) {
		t.Fatalf("replay by empty id: %v", err)
	}
}

// TestListDeadLettersPages: newest first, by consumer, pages that neither
// skip nor repeat.
func TestListDeadLettersPages(t *testing.T) {
	ctx := testkit.Context(t)
	store := inbox.New(testkit.Get(t).Database(t))
	for i := range 7 {
		consumer := "a"
		if i%2 == 1 {
			consumer = "b"
		}
		if err := store.RecordDeadLetter(ctx, consumer, event(t), 1, fmt.Errorf("e%d", i)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Millisecond)
	}
	seen := map[string]bool{}
	var last time.Time
	token := ""
	for pages := 0; ; pages++ {
		list, next, err := store.ListDeadLetters(ctx, "a", 3, token)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range list {
			if d.Consumer != "a" || seen[d.ID] || (!last.IsZero() && d.FailedAt.After(last)) {
				t.Fatalf("page %d: %+v (seen %v)", pages, d, seen[d.ID])
			}
			seen[d.ID], last = true, d.FailedAt
		}
		if next == "" {
			break
		}
		token = next
	}
	if len(seen) != 4 {
		t.Fatalf("listed %d of consumer a's 4 dead letters", len(seen))
	}
	if _, _, err := store.ListDeadLetters(ctx, "", 3, "garbage!"); err == nil {
		t.Fatal("a bad page token was accepted")
	}
}
