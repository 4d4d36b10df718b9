package store_test

import (
	"encoding/base64"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cc4dr/coalition/services/petition/internal/domain"
)

// confirmed stores n signatures and confirms them, returning them as
// confirmed (no counting).
func (f *fixture) confirmed(t *testing.T, petitionID string, from, n int, at time.Time) []domain.Signature {
	t.Helper()
	sigs := make([]domain.Signature, n)
	for i := range sigs {
		sigs[i] = newSig(petitionID, fmt.Sprintf("w%d@example.org", from+i))
	}
	for i, err := range f.st.InsertSignatures(f.ctx, sigs, nil) {
		if err != nil {
			t.Fatalf("insert %d: %v", i, err)
		}
	}
	for i := range sigs {
		if ok, err := f.st.Confirm(f.ctx, sigs[i].ID, at); err != nil || !ok {
			t.Fatalf("confirm: %v %v", ok, err)
		}
		sigs[i].Status, sigs[i].ConfirmedAt = domain.SignatureConfirmed, at
	}
	return sigs
}

func (f *fixture) withdraw(t *testing.T, sig domain.Signature, wantUncount bool) {
	t.Helper()
	ok, uncount, err := f.st.Withdraw(f.ctx, sig, time.Now().UTC())
	if err != nil || !ok || uncount != wantUncount {
		t.Fatalf("withdraw %s: ok=%v uncount=%v err=%v, want uncount=%v", sig.ID, ok, uncount, err, wantUncount)
	}
	// Withdrawing again changes nothing.
	if ok, _, err := f.st.Withdraw(f.ctx, sig, time.Now().UTC()); err != nil || ok {
		t.Fatalf("second withdrawal of %s: ok=%v err=%v", sig.ID, ok, err)
	}
}

func (f *fixture) rounds(t *testing.T) {
	t.Helper()
	for range 2 {
		if _, err := f.app.Counter().Round(f.ctx); err != nil {
			t.Fatalf("round: %v", err)
		}
	}
}

// Withdrawals go through the same batches as confirmations: a counted one
// is taken off (from the day it was confirmed on), one not yet counted
// never is, and the count and its per-day series stay exact — also when a
// round taking withdrawals off dies half-way.
func TestWithdrawalsAreTakenOffInBatches(t *testing.T) {
	t.Parallel()
	for _, crash := range []string{"none", "claim", "mark", "apply"} {
		t.Run("crash="+crash, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			p := f.petition(t, 1000)
			day1 := time.Now().UTC().Add(-48 * time.Hour).Truncate(time.Millisecond)
			day2 := time.Now().UTC().Truncate(time.Millisecond)
			early := f.confirmed(t, p.ID, 0, 6, day1)
			late := f.confirmed(t, p.ID, 6, 4, day2)
			f.rounds(t)
			if n := f.count(t, p.ID); n != 10 {
				t.Fatalf("count %d, want 10", n)
			}

			// Counted ones: taken off later, by a batch.
			for _, s := range append(early[:3:3], late[0]) {
				f.withdraw(t, s, true)
			}
			// Confirmed but not counted yet: never counted.
			fresh := f.confirmed(t, p.ID, 10, 2, day2)
			f.withdraw(t, fresh[0], false)
			// Pending: nothing to count.
			pending := newSig(p.ID, "pending@example.org")
			if err := f.st.InsertSignature(f.ctx, pending); err != nil {
				t.Fatal(err)
			}
			f.withdraw(t, pending, false)

			if crash != "none" {
				batches, _, err := f.st.ClaimUncounted(f.ctx, 1000, time.Now())
				if err != nil || len(batches) != 1 || len(batches[0].WithdrawnIDs) != 4 {
					t.Fatalf("claim: %v %+v", err, batches)
				}
				b := batches[0]
				if crash != "claim" {
					if err := f.st.MarkBatch(f.ctx, &b); err != nil || b.N != 1-4 {
						t.Fatalf("mark: %v n=%d, want -3", err, b.N)
					}
				}
				if crash == "apply" {
					if ok, err := f.st.ApplyBatch(f.ctx, b, decideNothing); err != nil || !ok {
						t.Fatalf("apply: %v %v", ok, err)
					}
				}
			}
			f.rounds(t)
			n, days, err := f.st.DailyConfirmations(f.ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := []domain.DayCount{{Day: domain.DayOf(day1), N: 3}, {Day: domain.DayOf(day2), N: 4}}
			if n != 7 || fmt.Sprint(days) != fmt.Sprint(want) {
				t.Fatalf("count %d days %v, want 7 and %v", n, days, want)
			}
			if left, err := f.st.PendingBatches(f.ctx); err != nil || len(left) != 0 {
				t.Fatalf("batches left: %v %v", left, err)
			}
		})
	}
}

// Links sent before tokens carried the signature id still confirm and
// withdraw (found by their hash); a token with an id finds its signature
// by that id only when its secret matches.
func TestTokensFindTheirSignature(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.petition(t, 10)

	legacy := base64.RawURLEncoding.EncodeToString(make([]byte, 32)) // 43 characters, no id
	old := newSig(p.ID, "old@example.org")
	old.TokenHash = domain.HashToken(legacy)
	if err := f.st.InsertSignature(f.ctx, old); err != nil {
		t.Fatal(err)
	}
	if got, err := f.st.SignatureByToken(f.ctx, legacy); err != nil || got.ID != old.ID {
		t.Fatalf("legacy token: %v %v", got.ID, err)
	}

	sig := newSig(p.ID, "new@example.org")
	token, hash, err := domain.NewToken(sig.ID)
	if err != nil {
		t.Fatal(err)
	}
	sig.TokenHash = hash
	if err := f.st.InsertSignature(f.ctx, sig); err != nil {
		t.Fatal(err)
	}
	if got, err := f.st.SignatureByToken(f.ctx, token); err != nil || got.ID != sig.ID || got.Status != domain.SignaturePending {
		t.Fatalf("token: %+v %v", got, err)
	}
	flip := map[bool]string{true: "B", false: "A"}[token[36] == 'A']
	forged := token[:36] + flip + token[37:]
	if _, err := f.st.SignatureByToken(f.ctx, forged); err != domain.ErrSignatureNotFound {
		t.Fatalf("forged secret: %v, want not found", err)
	}
	other, _, _ := domain.NewToken(uuid.Must(uuid.NewV7()).String())
	if _, err := f.st.SignatureByToken(f.ctx, other); err != domain.ErrSignatureNotFound {
		t.Fatalf("unknown id: %v, want not found", err)
	}
	// Once used to withdraw, the link still finds the (withdrawn) signature.
	if ok, _, err := f.st.Withdraw(f.ctx, sig, time.Now().UTC()); err != nil || !ok {
		t.Fatalf("withdraw: %v %v", ok, err)
	}
	if got, err := f.st.SignatureByToken(f.ctx, token); err != nil || got.Status != domain.SignatureWithdrawn {
		t.Fatalf("used token: %+v %v", got, err)
	}
}
