package inbox_test

import (
	"context"
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"google.golang.org/protobuf/types/known/timestamppb"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/inbox"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

func event(t *testing.T) broker.Event {
	t.Helper()
	ev, err := broker.NewEvent("/test", &petitionv1.SignatureConfirmed{SignatureId: t.Name(), ConfirmedAt: timestamppb.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// consume runs a consumer of PETITION for the test and returns its stop func.
func consume(t *testing.T, cfg broker.ConsumerConfig, h broker.Handler, dead broker.DeadLetterFunc) func() {
	t.Helper()
	env := testkit.Get(t)
	_, js := env.JetStream(t)
	if err := broker.EnsureStream(context.Background(), js, broker.StreamConfig("petition", broker.StreamOptions{})); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := broker.Consume(ctx, js, cfg, h, dead, env.Logger(t)); err != nil {
			t.Errorf("consume: %v", err)
		}
	}()
	stop := func() { cancel(); <-done }
	t.Cleanup(stop)
	return stop
}

// publishTwice puts the same event on the stream twice, bypassing JetStream's
// de-duplication (different Nats-Msg-Id, same ce-id): a forced redelivery.
func publishTwice(t *testing.T, ev broker.Event) {
	t.Helper()
	_, js := testkit.Get(t).JetStream(t)
	for i := range 2 {
		m := ev.Msg()
		m.Header.Set(nats.MsgIdHdr, ev.ID+"-copy-"+string(rune('a'+i)))
		if _, err := js.PublishMsg(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
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

func TestSameEventTwiceAppliesOnce(t *testing.T) {
	env := testkit.Get(t)
	store := inbox.New(env.Database(t))
	ev := event(t)
	var applied, seen atomic.Int32
	durable := testkit.UniqueName(t, "c")
	h := store.Wrap(durable, func(_ context.Context, got broker.Event) error {
		if got.ID == ev.ID {
			applied.Add(1)
		}
		return nil
	})
	counting := func(ctx context.Context, got broker.Event) error {
		if got.ID == ev.ID {
			seen.Add(1)
		}
		return h(ctx, got)
	}
	consume(t, broker.ConsumerConfig{Stream: "PETITION", Durable: durable, FilterSubjects: []string{"petition.signature.confirmed"}}, counting, nil)
	publishTwice(t, ev)
	waitFor(t, "both deliveries", func() bool { return seen.Load() == 2 })
	if n := applied.Load(); n != 1 {
		t.Fatalf("effect applied %d times, want 1", n)
	}
}

func TestFailingHandlerIsRetriedWithBackoff(t *testing.T) {
	ev := event(t)
	var calls atomic.Int32
	var mu sync.Mutex
	var times []time.Time
	h := func(_ context.Context, got broker.Event) error {
		if got.ID != ev.ID {
			return nil
		}
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		if calls.Add(1) < 3 {
			return errors.New("transient")
		}
		return nil
	}
	consume(t, broker.ConsumerConfig{
		Stream: "PETITION", Durable: testkit.UniqueName(t, "c"), FilterSubjects: []string{"petition.signature.confirmed"},
		BackOff: []time.Duration{100 * time.Millisecond, 300 * time.Millisecond}, MaxDeliver: 5,
	}, h, nil)
	_, js := testkit.Get(t).JetStream(t)
	if _, err := js.PublishMsg(context.Background(), ev.Msg()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "third attempt", func() bool { return calls.Load() >= 3 })
	time.Sleep(300 * time.Millisecond)
	if n := calls.Load(); n != 3 {
		t.Fatalf("handler called %d times, want 3 (acked after success)", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if gap := times[2].Sub(times[1]); gap < 250*time.Millisecond {
		t.Fatalf("second retry came after %v, want the 300ms back-off", gap)
	}
}

func TestPermanentFailureIsDeadLettered(t *testing.T) {
	env := testkit.Get(t)
	store := inbox.New(env.Database(t))
	ev := event(t)
	var calls atomic.Int32
	durable := testkit.UniqueName(t, "c")
	h := func(_ context.Context, got broker.Event) error {
		if got.ID != ev.ID {
			return nil
		}
		calls.Add(1)
		return broker.Permanent(errors.New("cannot apply"))
	}
	consume(t, broker.ConsumerConfig{Stream: "PETITION", Durable: durable, FilterSubjects: []string{"petition.signature.confirmed"}},
		store.Wrap(durable, h), store.RecordDeadLetter)
	_, js := env.JetStream(t)
	if _, err := js.PublishMsg(context.Background(), ev.Msg()); err != nil {
		t.Fatal(err)
	}
	var letters []inbox.DeadLetter
	waitFor(t, "dead letter", func() bool {
		var err error
		letters, err = store.DeadLetters(context.Background(), 10)
		return err == nil && len(letters) == 1
	})
	if letters[0].Event.ID != ev.ID || letters[0].Consumer != durable || letters[0].Error != "cannot apply" {
		t.Fatalf("dead letter %+v", letters[0])
	}
	time.Sleep(200 * time.Millisecond)
	if n := calls.Load(); n != 1 {
		t.Fatalf("permanent failure retried: %d calls", n)
	}
	if done, _ := store.Applied(context.Background(), durable, ev.ID); done {
		t.Fatal("a dead-lettered event must not be recorded as applied (so a replay applies it)")
	}
}

func TestLastDeliveryFailingIsDeadLettered(t *testing.T) {
	env := testkit.Get(t)
	store := inbox.New(env.Database(t))
	ev := event(t)
	durable := testkit.UniqueName(t, "c")
	h := func(_ context.Context, got broker.Event) error {
		if got.ID != ev.ID {
			return nil
		}
		return errors.New("still failing")
	}
	consume(t, broker.ConsumerConfig{Stream: "PETITION", Durable: durable, FilterSubjects: []string{"petition.signature.confirmed"},
		MaxDeliver: 3, BackOff: []time.Duration{20 * time.Millisecond}}, h, store.RecordDeadLetter)
	_, js := env.JetStream(t)
	if _, err := js.PublishMsg(context.Background(), ev.Msg()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "dead letter after 3 deliveries", func() bool {
		l, err := store.DeadLetters(context.Background(), 10)
		return err == nil && len(l) == 1 && l[0].Deliveries == 3
	})
}

func TestSweepForgetsOldRecords(t *testing.T) {
	env := testkit.Get(t)
	store := inbox.New(env.Database(t))
	ev := event(t)
	if err := store.Record(context.Background(), "c", ev); err != nil {
		t.Fatal(err)
	}
	if err := store.Record(context.Background(), "c", ev); err != nil {
		t.Fatalf("recording twice must be fine: %v", err)
	}
	if n, err := store.Sweep(context.Background(), time.Hour); err != nil || n != 0 {
		t.Fatalf("fresh record swept: %d %v", n, err)
	}
	if n, err := store.Sweep(context.Background(), -time.Second); err != nil || n != 1 {
		t.Fatalf("old record not swept: %d %v", n, err)
	}
}
