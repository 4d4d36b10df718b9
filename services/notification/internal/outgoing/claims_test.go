package outgoing_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/cc4dr/coalition/services/kit/testkit"
	"github.com/cc4dr/coalition/services/notification/internal/outgoing"
	"github.com/cc4dr/coalition/services/notification/internal/store"
)

// TestSlowRateSendsEachOnce: at a send rate far below the arrival rate,
// deliveries wait in the queue and for the rate limiter longer than their
// lease, so their claims lapse and the poller claims them again. Each is
// still sent exactly once: a worker renews by owner token right before
// sending, and one whose claim was taken drops the delivery.
func TestSlowRateSendsEachOnce(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	p, _ := r.run(t, outgoing.Options{Workers: 4, Rate: 2, Lease: time.Second})
	var ds []store.Delivery
	for range 8 {
		ds = append(ds, r.submit(t, p, "signature_confirmation"))
	}
	for _, d := range ds {
		r.waitStatus(t, d.ID, store.StatusSent)
	}
	time.Sleep(time.Second) // a duplicate would be on its way by now
	for _, d := range ds {
		if n := r.mailTo(d.Recipient); n != 1 {
			t.Errorf("%d emails to one recipient, want exactly 1", n)
		}
	}
}

// TestEnqueueNeverWaits: handing over more deliveries than the workers can
// take returns at once (the consumer's handler is not held up by SMTP);
// the ones without room are recorded unclaimed, and the poller sends them,
// claiming them by id (no scan of the store).
func TestEnqueueNeverWaits(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	p, _ := r.run(t, outgoing.Options{Workers: 1, Rate: 5, ScanInterval: noScan})
	started := time.Now()
	var ds []store.Delivery
	for range 12 {
		ds = append(ds, r.submit(t, p, "signature_confirmation"))
	}
	// 12 emails at 5/s take over 2 s; recording them takes a fraction.
	if took := time.Since(started); took > 1500*time.Millisecond {
		t.Errorf("handing over 12 deliveries took %s: Enqueue waited for the workers", took)
	}
	unclaimed := 0
	for _, d := range ds {
		if d.ClaimOwner == "" {
			unclaimed++
		}
	}
	if unclaimed == 0 {
		t.Errorf("every delivery was claimed for the queue: the queue (2 places) never filled")
	}
	for _, d := range ds {
		r.waitStatus(t, d.ID, store.StatusSent)
		if n := r.mailTo(d.Recipient); n != 1 {
			t.Errorf("%d emails to one recipient, want 1", n)
		}
	}
}

// TestClaimsBelongToTheirOwner: once a claim lapsed and another worker took
// it, the first holder can neither renew nor release it nor record an
// attempt; the new holder can.
func TestClaimsBelongToTheirOwner(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	ctx := testkit.Context(t)
	p, stop := r.run(t, outgoing.Options{Workers: 1})
	stop() // nothing sends: this test moves the claims by hand
	d := r.submit(t, p, "signature_confirmation")

	first, ok, err := r.store.Claim(ctx, d.ID, time.Second)
	if err != nil || !ok {
		t.Fatalf("first claim: %v %v", ok, err)
	}
	if _, ok, _ := r.store.Claim(ctx, d.ID, time.Minute); ok {
		t.Fatal("a second claim while the first is current was granted")
	}
	renewed, ok, err := r.store.Renew(ctx, d.ID, first.ClaimOwner, 300*time.Millisecond)
	if err != nil || !ok || renewed.ClaimOwner != first.ClaimOwner {
		t.Fatalf("the holder's renewal: %v %v %+v", ok, err, renewed)
	}
	time.Sleep(400 * time.Millisecond) // the claim lapses
	second, ok, err := r.store.Claim(ctx, d.ID, time.Minute)
	if err != nil || !ok || second.ClaimOwner == first.ClaimOwner {
		t.Fatalf("claim after the lapse: %v %v", ok, err)
	}

	if _, ok, err := r.store.Renew(ctx, d.ID, first.ClaimOwner, time.Minute); ok || err != nil {
		t.Errorf("the former holder renewed: %v %v", ok, err)
	}
	for name, op := range map[string]func() error{
		"release": func() error { return r.store.Release(ctx, d.ID, first.ClaimOwner) },
		"retry":   func() error { return r.store.MarkRetry(ctx, d.ID, first.ClaimOwner, "x", time.Now()) },
		"fail":    func() error { return r.store.MarkFailed(ctx, d.ID, first.ClaimOwner, "x", true) },
		"suppress": func() error {
			return r.store.MarkSuppressed(ctx, d.ID, first.ClaimOwner)
		},
	} {
		if err := op(); !errors.Is(err, store.ErrClaimLost) {
			t.Errorf("%s by the former holder: %v, want ErrClaimLost", name, err)
		}
	}
	got, _ := r.store.Get(ctx, d.ID)
	if got.Status != store.StatusPending || got.ClaimOwner != second.ClaimOwner || got.Attempts != 0 {
		t.Errorf("after the former holder's attempts: %+v, want the second claim untouched", got)
	}
	if err := r.store.Release(ctx, d.ID, second.ClaimOwner); err != nil {
		t.Errorf("the holder's release: %v", err)
	}
	if _, ok, err := r.store.Claim(ctx, d.ID, time.Minute); !ok || err != nil {
		t.Errorf("claim after the release: %v %v", ok, fmt.Sprint(err))
	}
}
