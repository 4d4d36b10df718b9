package store_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/cc4dr/coalition/services/petition/internal/domain"
)

// A crash after the public names were applied, with a withdrawal landing
// before it, leaves exactly the shown, still-confirmed signers once the
// counter has resumed (the names step is idempotent, and the withdrawal's
// batch comes after the one that put the name in).
func TestPublicNamesSurviveCrashAndWithdrawal(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.petition(t, 1000)
	var sigs []domain.Signature
	for i := range 4 {
		s := newSig(p.ID, fmt.Sprintf("n%d@example.org", i))
		s.Name, s.ShowName = fmt.Sprintf("Signer %d", i), i != 3 // the last one stays hidden
		sigs = append(sigs, s)
	}
	for i, err := range f.st.InsertSignatures(f.ctx, sigs, nil) {
		if err != nil {
			t.Fatalf("insert %d: %v", i, err)
		}
	}
	for i, s := range sigs {
		if ok, err := f.st.Confirm(f.ctx, s.ID, time.Now().UTC().Add(time.Duration(i)*time.Second)); err != nil || !ok {
			t.Fatalf("confirm: %v %v", ok, err)
		}
		sigs[i].Status = domain.SignatureConfirmed
	}

	// A round that dies after the names step.
	batches, _, err := f.st.ClaimUncounted(f.ctx, 1000, time.Now())
	if err != nil || len(batches) != 1 {
		t.Fatalf("claim: %v %+v", err, batches)
	}
	b := batches[0]
	if err := f.st.MarkBatch(f.ctx, &b); err != nil || len(b.Names) != 3 {
		t.Fatalf("mark: %v names=%v", err, b.Names)
	}
	for range 2 { // re-running the step changes nothing
		if err := f.st.ApplyNames(f.ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	names := func() []string {
		list, err := f.st.PublicNames(f.ctx, p.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, n := range list {
			out = append(out, n.Name)
		}
		return out
	}
	if got := names(); !slices.Equal(got, []string{"Signer 2", "Signer 1", "Signer 0"}) {
		t.Fatalf("names after the first apply: %v", got)
	}

	// Signer 1 withdraws before the crash; its note to the counter is lost.
	if ok, uncount, err := f.st.Withdraw(f.ctx, sigs[1], time.Now().UTC()); err != nil || !ok || !uncount {
		t.Fatalf("withdraw: ok=%v uncount=%v err=%v", ok, uncount, err)
	}

	// The restarted counter resumes the batch (re-applying its names), then
	// its scan finds the withdrawal.
	for range 2 {
		if _, err := f.app.Counter().Round(f.ctx); err != nil {
			t.Fatalf("round: %v", err)
		}
	}
	if got := names(); !slices.Equal(got, []string{"Signer 2", "Signer 0"}) {
		t.Fatalf("names after recovery: %v", got)
	}
	if n := f.count(t, p.ID); n != 3 {
		t.Fatalf("count %d, want 3", n)
	}
	if got, err := f.st.PublicNames(f.ctx, p.ID, 1); err != nil || len(got) != 1 || got[0].Name != "Signer 2" {
		t.Fatalf("limit 1: %v %v", got, err)
	}
}
