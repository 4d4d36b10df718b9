package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/testkit"
	"github.com/cc4dr/coalition/services/petition/internal/app"
	"github.com/cc4dr/coalition/services/petition/internal/domain"
	"github.com/cc4dr/coalition/services/petition/internal/store"
)

type fixture struct {
	st    *store.Store
	app   *app.App
	locks *mongodb.DocLocks
	ctx   context.Context
}

type nopKicker struct{}

func (nopKicker) Kick()                    {}
func (nopKicker) Notify(string, ...string) {}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	env := testkit.Get(t)
	db := env.Database(t)
	ctx := testkit.Context(t)
	if err := mongodb.EnsureIndexes(ctx, db, store.Indexes()...); err != nil {
		t.Fatal(err)
	}
	locks := mongodb.NewDocLocks()
	st := store.New(db, mongodb.NewUpdater(locks, true))
	return &fixture{st: st, app: app.New(st, nopKicker{}, app.Options{}, zap.NewNop()), locks: locks, ctx: ctx}
}

func (f *fixture) petition(t *testing.T, goal int64) domain.Petition {
	t.Helper()
	p := domain.Petition{ID: uuid.Must(uuid.NewV7()).String(), City: "Lisboa", Country: "PT", Goal: goal,
		Status: domain.PetitionOpen, CreatedAt: time.Now().UTC().Truncate(time.Millisecond),
		Texts: []domain.Text{{Language: "en", Title: "Join", Body: "Please"}}}
	if err := f.st.InsertPetition(f.ctx, p); err != nil {
		t.Fatal(err)
	}
	return p
}

func newSig(petitionID, email string) domain.Signature {
	id := uuid.Must(uuid.NewV7()).String()
	_, hash, _ := domain.NewToken(id)
	now := time.Now().UTC().Truncate(time.Millisecond)
	return domain.Signature{
		ID: id, PetitionID: petitionID, EmailKey: domain.NormalizeEmail(email), Email: email,
		Name: "A", LivesOrWorksInCity: true, Language: "en", Status: domain.SignaturePending,
		TokenHash: hash, TokenExpiresAt: now.Add(time.Hour), CreatedAt: now,
	}
}

// signAndConfirm stores n signatures and confirms them (no counting).
func (f *fixture) signAndConfirm(t *testing.T, petitionID string, from, n int) {
	t.Helper()
	sigs := make([]domain.Signature, n)
	for i := range sigs {
		sigs[i] = newSig(petitionID, fmt.Sprintf("p%d@example.org", from+i))
	}
	for i, err := range f.st.InsertSignatures(f.ctx, sigs, nil) {
		if err != nil {
			t.Fatalf("insert %d: %v", i, err)
		}
	}
	for _, s := range sigs {
		if ok, err := f.st.Confirm(f.ctx, s.ID, time.Now().UTC()); err != nil || !ok {
			t.Fatalf("confirm: %v %v", ok, err)
		}
	}
}

func (f *fixture) count(t *testing.T, id string) int64 {
	t.Helper()
	n, days, err := f.st.DailyConfirmations(f.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, d := range days {
		sum += d.N
	}
	if sum != n {
		t.Fatalf("days sum to %d, count is %d", sum, n)
	}
	return n
}

func decideNothing(store.PetitionCount, int64) (store.CountChange, error) {
	return store.CountChange{}, nil
}

// A crash after any step of a count batch, followed by the counter's
// recovery (and further confirmations), neither loses nor doubles a count.
func TestCountBatchSurvivesCrashBetweenSteps(t *testing.T) {
	t.Parallel()
	crashAfter := []string{"claim", "mark", "apply", "finish"}
	for _, step := range crashAfter {
		t.Run(step, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			p := f.petition(t, 1000)
			f.signAndConfirm(t, p.ID, 0, 20)

			// A round that dies after the step.
			batches, _, err := f.st.ClaimUncounted(f.ctx, 1000, time.Now())
			if err != nil || len(batches) != 1 || len(batches[0].SignatureIDs) != 20 {
				t.Fatalf("claim: %v %+v", err, batches)
			}
			b := batches[0]
			if step != "claim" {
				if err := f.st.MarkBatch(f.ctx, &b); err != nil || b.N != 20 {
					t.Fatalf("mark: %v n=%d", err, b.N)
				}
			}
			if step == "apply" || step == "finish" {
				if ok, err := f.st.ApplyBatch(f.ctx, b, decideNothing); err != nil || !ok {
					t.Fatalf("apply: %v %v", ok, err)
				}
				// Re-applying the same batch (a retry) is skipped.
				if ok, err := f.st.ApplyBatch(f.ctx, b, decideNothing); err != nil || ok {
					t.Fatalf("re-apply: applied=%v err=%v", ok, err)
				}
			}
			if step == "finish" {
				if err := f.st.FinishBatch(f.ctx, b.ID); err != nil {
					t.Fatal(err)
				}
			}

			// Meanwhile more people confirm.
			f.signAndConfirm(t, p.ID, 20, 10)

			// The restarted counter resumes and counts the rest.
			for range 2 {
				if _, err := f.app.Counter().Round(f.ctx); err != nil {
					t.Fatalf("round: %v", err)
				}
			}
			if n := f.count(t, p.ID); n != 30 {
				t.Fatalf("count %d after a crash after %s, want 30", n, step)
			}
			if left, err := f.st.PendingBatches(f.ctx); err != nil || len(left) != 0 {
				t.Fatalf("batches left: %v %v", left, err)
			}
			// Re-running the crashed round's steps changes nothing now.
			b2 := b
			b2.Marked = false
			if err := f.st.MarkBatch(f.ctx, &b2); err != nil {
				t.Fatal(err)
			}
			if ok, err := f.st.ApplyBatch(f.ctx, b2, decideNothing); err != nil || ok {
				t.Fatalf("stale batch applied again: %v %v", ok, err)
			}
			if n := f.count(t, p.ID); n != 30 {
				t.Fatalf("count %d after replaying the stale batch, want 30", n)
			}
		})
	}
}

// Two counters racing over the same confirmations (a second instance, or a
// round overlapping a resumed one) count each signature once.
func TestConcurrentRoundsCountOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p1, p2 := f.petition(t, 1000), f.petition(t, 1000)
	other := app.New(f.st, nopKicker{}, app.Options{}, zap.NewNop())
	var wg sync.WaitGroup
	for round := range 3 {
		f.signAndConfirm(t, p1.ID, round*20, 20)
		f.signAndConfirm(t, p2.ID, round*20, 10)
		for _, c := range []*app.Counter{f.app.Counter(), other.Counter(), f.app.Counter()} {
			wg.Go(func() {
				if _, err := c.Round(f.ctx); err != nil && !errors.Is(err, domain.ErrConcurrentChange) {
					t.Errorf("round: %v", err)
				}
			})
		}
	}
	wg.Wait()
	if _, err := f.app.Counter().Round(f.ctx); err != nil {
		t.Fatal(err)
	}
	if n1, n2 := f.count(t, p1.ID), f.count(t, p2.ID); n1 != 60 || n2 != 30 {
		t.Fatalf("counts %d, %d; want 60, 30", n1, n2)
	}
}

// Unordered InsertMany answers each document on its own: duplicates of
// stored signatures and duplicates inside the batch are ErrDuplicate, the
// rest are stored with their own outbox event.
func TestInsertSignaturesReportsDuplicatesPerDocument(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.petition(t, 10)
	if err := f.st.InsertSignature(f.ctx, newSig(p.ID, "ana@example.org")); err != nil {
		t.Fatal(err)
	}
	emails := []string{"bea@example.org", "ANA@example.org", "carla@example.org", "Bea@Example.org", "dora@example.org"}
	sigs := make([]domain.Signature, len(emails))
	for i, e := range emails {
		sigs[i] = newSig(p.ID, e)
	}
	res := f.st.InsertSignatures(f.ctx, sigs, nil)
	want := []error{nil, store.ErrDuplicate, nil, store.ErrDuplicate, nil}
	for i := range want {
		if !errors.Is(res[i], want[i]) && res[i] != want[i] {
			t.Errorf("%s: %v, want %v", emails[i], res[i], want[i])
		}
	}
	n, err := f.st.CountSignatures(f.ctx, p.ID, domain.SignaturePending)
	if err != nil || n != 4 {
		t.Fatalf("%d signatures stored (err %v), want 4", n, err)
	}
}

// Concurrent callers of a running batcher share InsertManys and each gets
// its own answer; duplicates among them are reported to the late ones.
func TestSignatureBatcherGroupsConcurrentInserts(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.petition(t, 10)
	b := store.NewSignatureBatcher(f.st, store.BatchOptions{MaxBatch: 64, MaxWait: 5 * time.Millisecond})
	runCtx, stop := context.WithCancel(f.ctx)
	done := make(chan error, 1)
	go func() { done <- b.Run(runCtx) }()
	time.Sleep(10 * time.Millisecond) // let Run start (before it, Insert writes directly: also correct)

	const n = 300
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			// Every tenth signer signs twice (different spelling of the same address).
			email := fmt.Sprintf("s%d@example.org", i)
			if i%10 == 9 {
				email = fmt.Sprintf("S%d@EXAMPLE.org", i-1)
			}
			errs[i] = b.Insert(f.ctx, newSig(p.ID, email))
		})
	}
	wg.Wait()
	dups := 0
	for i, err := range errs {
		switch {
		case errors.Is(err, store.ErrDuplicate):
			dups++
		case err != nil:
			t.Errorf("insert %d: %v", i, err)
		}
	}
	if dups != n/10 {
		t.Errorf("%d duplicates reported, want %d", dups, n/10)
	}
	stored, err := f.st.CountSignatures(f.ctx, p.ID, domain.SignaturePending)
	if err != nil || stored != n-n/10 {
		t.Fatalf("%d stored (err %v), want %d", stored, err, n-n/10)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// Stopped: Insert still works (directly).
	if err := b.Insert(f.ctx, newSig(p.ID, "late@example.org")); err != nil {
		t.Fatal(err)
	}
}
