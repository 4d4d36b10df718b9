package outgoing_test

// Component tests of the sending pipeline: the real deliveries store (the
// embedded store over the wire) and real SMTP to a mail catcher of the
// test's own (the catcher's injected faults count commands across all its
// connections, so each test has one).

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
	"github.com/cc4dr/coalition/services/kit/mailcatcher"
	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/testkit"
	"github.com/cc4dr/coalition/services/notification/internal/mailer"
	"github.com/cc4dr/coalition/services/notification/internal/outgoing"
	"github.com/cc4dr/coalition/services/notification/internal/preferences"
	"github.com/cc4dr/coalition/services/notification/internal/store"
	"github.com/cc4dr/coalition/services/notification/internal/templates"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

// noScan as ScanInterval leaves only the start's scan: what is sent after
// it was named to the pipeline (Enqueue, Due, retries), found by id.
const noScan = time.Hour

type nopRelay struct{}

func (nopRelay) Notify(string, ...string) {}

// rig is a store, a catcher and what it takes to run pipelines over them.
type rig struct {
	store   *store.Store
	catcher *mailcatcher.Catcher
	prefs   *preferences.Service
	tpl     *templates.Renderer
	smtp    string // address pipelines send to (the catcher, or a proxy)
}

func newRig(t *testing.T) *rig {
	t.Helper()
	env := testkit.Get(t)
	db := env.Database(t)
	if err := mongodb.EnsureIndexes(testkit.Context(t), db, store.Indexes()...); err != nil {
		t.Fatal(err)
	}
	c, err := mailcatcher.Start(context.Background(), mailcatcher.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	tpl, err := templates.New()
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(db, mongodb.NewUpdater(mongodb.NewDocLocks(), true))
	return &rig{store: st, catcher: c, prefs: preferences.New(st, testTokens(t), "https://coalition.test"), tpl: tpl, smtp: c.Addr()}
}

// run starts a pipeline (one "process") and returns it with its stop.
func (r *rig) run(t *testing.T, opts outgoing.Options) (*outgoing.Pipeline, func()) {
	t.Helper()
	host, port, _ := net.SplitHostPort(r.smtp)
	p, _ := strconv.Atoi(port)
	m, err := mailer.New(mailer.Options{Host: host, Port: p, From: "Coalition <no-reply@coalition.test>", Connections: opts.Workers, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if opts.RetryBase == 0 {
		opts.RetryBase = 50 * time.Millisecond
	}
	if opts.PollInterval == 0 {
		opts.PollInterval = 50 * time.Millisecond
	}
	if opts.ScanInterval == 0 {
		// The safety net, for the tests of lapsed claims and restarts;
		// tests of what the pipeline is told (noScan) turn it off.
		opts.ScanInterval = 200 * time.Millisecond
	}
	pl := outgoing.New(r.store, m, r.prefs, nopRelay{}, opts, testkit.Get(t).Logger(t))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = pl.Run(ctx); close(done) }()
	var once sync.Once
	stop := func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return pl, stop
}

// submit records a delivery of template to a fresh address, as a consumer
// does, and hands it to p; it returns the delivery.
func (r *rig) submit(t *testing.T, p *outgoing.Pipeline, template string) store.Delivery {
	t.Helper()
	ctx := testkit.Context(t)
	to := fmt.Sprintf("%s.%s@example.org", template, uuid.NewString()[:8])
	cat := templates.CategoryOf(template)
	links := r.prefs.LinksFor(to, cat)
	data := sampleData()
	data[templates.KeyPreferencesURL], data[templates.KeyUnsubscribeURL] = links.Preferences, links.Unsubscribe
	rendered, err := r.tpl.Render(template, "en", data)
	if err != nil {
		t.Fatal(err)
	}
	content := outgoing.Compose(rendered, links, nil)
	now := time.Now().UTC()
	id := store.Key(uuid.NewString(), to, template)
	owner, until, _ := p.NewClaim()
	d, created, err := r.store.Record(ctx, store.Delivery{
		ID: id, EventID: uuid.NewString(), Template: template, Category: string(cat), Recipient: to, Language: "en",
		Status: store.StatusPending, CreatedAt: now, NextAttemptAt: now, MessageID: id + "@coalition.test",
		ClaimOwner: owner, ClaimedUntil: until, Content: &content,
	})
	if err != nil || !created {
		t.Fatalf("record: %v (created %v)", err, created)
	}
	p.Enqueue(ctx, d) // unclaimed: the poller claims it by id
	return d
}

func (r *rig) mailTo(addr string) int {
	return r.catcher.Count(func(m mailcatcher.Message) bool { return len(m.To) == 1 && strings.EqualFold(m.To[0], addr) })
}

func (r *rig) waitStatus(t *testing.T, id string, want store.Status) store.Delivery {
	t.Helper()
	var d store.Delivery
	testkit.Eventually(t, 15*time.Second, func() (bool, error) {
		var err error
		d, err = r.store.Get(testkit.Context(t), id)
		return err == nil && d.Status == want, fmt.Errorf("delivery %s is %s (%s), want %s (err %v)", id, d.Status, d.LastError, want, err)
	})
	return d
}

// TestTemporaryFailuresThenSuccess: two 4xx answers, then the server
// accepts: retried with back-off from the record, one email, three attempts.
func TestTemporaryFailuresThenSuccess(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	p, _ := r.run(t, outgoing.Options{Workers: 2, ScanInterval: noScan})
	r.catcher.FailNext(2, 451, "try later")
	d := r.submit(t, p, "signature_confirmation")
	got := r.waitStatus(t, d.ID, store.StatusSent)
	time.Sleep(300 * time.Millisecond)
	if n := r.mailTo(d.Recipient); n != 1 {
		t.Errorf("%d emails, want 1", n)
	}
	if got.Attempts != 3 || got.Content != nil || got.LastError != "" || got.SentAt == nil {
		t.Errorf("delivery %+v: want sent after 3 attempts, content dropped", got)
	}
	if len(got.Events) != 1 {
		t.Errorf("%d events in the outbox, want one DeliverySent", len(got.Events))
	}
}

// TestPermanentFailureIsNotRetried: a 5xx answer fails the delivery at
// once; nothing is sent later; the content stays for a resend, which then
// sends it once, and a sent delivery cannot be resent.
func TestPermanentFailureIsNotRetried(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	p, _ := r.run(t, outgoing.Options{Workers: 1, ScanInterval: noScan})
	r.catcher.FailNext(1, 550, "no such user")
	d := r.submit(t, p, "signature_confirmation")
	got := r.waitStatus(t, d.ID, store.StatusFailed)
	time.Sleep(500 * time.Millisecond) // ten back-offs' worth
	if n := r.mailTo(d.Recipient); n != 0 {
		t.Errorf("%d emails after a permanent refusal, want none", n)
	}
	got, _ = r.store.Get(testkit.Context(t), d.ID)
	if got.Status != store.StatusFailed || got.Attempts != 1 || !strings.Contains(got.LastError, "550") || got.Content == nil {
		t.Fatalf("delivery %+v: want failed after 1 attempt, the 550 recorded, content kept", got)
	}
	// The DeliveryFailed event outlives the record (it is never erased):
	// it gives the SMTP codes but not the address go-mail's error names.
	if len(got.Events) != 1 {
		t.Fatalf("%d events in the outbox, want one DeliveryFailed", len(got.Events))
	}
	var failed notificationv1.DeliveryFailed
	if err := got.Events[0].Decode(&failed); err != nil {
		t.Fatal(err)
	}
	if e := failed.GetError(); strings.Contains(e, "@") || !strings.Contains(e, "550 5.0.0") {
		t.Errorf("DeliveryFailed error %q: want the SMTP codes, no address (the record has %q)", e, got.LastError)
	}

	// A coordinator resends it: the same record, one email.
	ctx := testkit.Context(t)
	if _, err := r.store.Resend(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	p.Due(d.ID)
	sent := r.waitStatus(t, d.ID, store.StatusSent)
	time.Sleep(300 * time.Millisecond)
	// A resend starts the attempt count afresh.
	if n := r.mailTo(d.Recipient); n != 1 || sent.Attempts != 1 {
		t.Errorf("%d emails after the resend (attempts %d), want 1 (1)", n, sent.Attempts)
	}
	if _, err := r.store.Resend(ctx, d.ID); !errors.Is(err, store.ErrNotResendable) {
		t.Errorf("resending a sent delivery: %v, want ErrNotResendable", err)
	}
	if _, err := r.store.Resend(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("resending an unknown delivery: %v", err)
	}
}

// TestServerDownThenUp: while the server answers 421 the delivery stays
// pending with the error; when it is back, one email. With too few
// attempts allowed it fails instead, saying why.
func TestServerDownThenUp(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	p, _ := r.run(t, outgoing.Options{Workers: 2, MaxAttempts: 30})
	r.catcher.SetDown(true)
	d := r.submit(t, p, "erasure_confirmation")
	testkit.Eventually(t, 10*time.Second, func() (bool, error) {
		got, err := r.store.Get(testkit.Context(t), d.ID)
		return err == nil && got.Status == store.StatusPending && got.Attempts >= 2 && strings.Contains(got.LastError, "421"), fmt.Errorf("%+v %v", got, err)
	})
	r.catcher.SetDown(false)
	r.waitStatus(t, d.ID, store.StatusSent)
	if n := r.mailTo(d.Recipient); n != 1 {
		t.Errorf("%d emails, want 1", n)
	}
}

// TestGivesUpAfterMaxAttempts, and a resend gets all the attempts again
// (not a single one: the count restarts).
func TestGivesUpAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	p, _ := r.run(t, outgoing.Options{Workers: 1, MaxAttempts: 3, ScanInterval: noScan})
	r.catcher.SetDown(true)
	d := r.submit(t, p, "signature_confirmation")
	got := r.waitStatus(t, d.ID, store.StatusFailed)
	if got.Attempts != 3 || !strings.Contains(got.LastError, "gave up after 3 attempts") {
		t.Errorf("delivery %+v", got)
	}

	resent, err := r.store.Resend(testkit.Context(t), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if resent.Attempts != 0 {
		t.Errorf("resent delivery has %d attempts, want 0", resent.Attempts)
	}
	p.Due(d.ID)
	got = r.waitStatus(t, d.ID, store.StatusFailed)
	if got.Attempts != 3 || !strings.Contains(got.LastError, "gave up after 3 attempts") {
		t.Errorf("after the resend: delivery %+v, want failed again after 3 more attempts", got)
	}
	if n := r.mailTo(d.Recipient); n != 0 {
		t.Errorf("%d emails while the server was down", n)
	}
}

// TestCrashBetweenAcceptAndRecord measures the one duplicate window that
// remains (DESIGN.md: SMTP has no idempotency key). The SMTP server accepts
// the message, then the process dies before the delivery is marked sent:
// the delivery is still pending and claimed. Once the claim lapses another
// process takes it and sends it again, so the person gets the email TWICE.
// The window is one database write long (MarkSent right after the accept,
// retried on error); it cannot be closed without an idempotency key in
// SMTP. Outside it (below: after the record) nothing is ever sent twice.
func TestCrashBetweenAcceptAndRecord(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	lease := 500 * time.Millisecond
	crashed := make(chan struct{})
	var once sync.Once
	first, stopFirst := r.run(t, outgoing.Options{Workers: 1, Lease: lease, AfterAccept: func(string) error {
		once.Do(func() { close(crashed) })
		return errors.New("crash")
	}})
	d := r.submit(t, first, "signature_confirmation")
	<-crashed
	stopFirst() // the process is gone; its claim lapses after the lease
	if n := r.mailTo(d.Recipient); n != 1 {
		t.Fatalf("%d emails before the crash was noticed, want 1", n)
	}

	r.run(t, outgoing.Options{Workers: 1, Lease: lease}) // the restarted process
	r.waitStatus(t, d.ID, store.StatusSent)
	if n := r.mailTo(d.Recipient); n != 2 {
		t.Errorf("%d emails, want exactly 2: the accepted one and the resend of the unrecorded delivery", n)
	}

	// After the record, a third process sends nothing more.
	r.run(t, outgoing.Options{Workers: 1, Lease: lease})
	time.Sleep(4 * lease)
	if n := r.mailTo(d.Recipient); n != 2 {
		t.Errorf("%d emails after the delivery was recorded sent, want still 2", n)
	}
}

// TestSuppressedAtSendTime: an optional email whose recipient opts out
// while it waits is recorded as suppressed and not sent; a transactional
// one to the same address still goes.
func TestSuppressedAtSendTime(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	ctx := testkit.Context(t)
	p, stop := r.run(t, outgoing.Options{Workers: 1})
	stop() // nothing is sent until the opt-out is in place
	d := r.submit(t, p, "petition_succeeded")
	if err := r.store.Suppress(ctx, store.AddressHash(d.Recipient), string(templates.PetitionNews), "test"); err != nil {
		t.Fatal(err)
	}
	p2, _ := r.run(t, outgoing.Options{Workers: 1})
	got := r.waitStatus(t, d.ID, store.StatusSuppressed)
	if got.Content != nil || got.Attempts != 0 {
		t.Errorf("suppressed delivery %+v: want no content, no attempt", got)
	}
	if n := r.mailTo(d.Recipient); n != 0 {
		t.Errorf("%d emails to an address that opted out", n)
	}
	essential := r.submit(t, p2, "signature_confirmation")
	r.waitStatus(t, essential.ID, store.StatusSent)
}

// TestConnectionsAreReused: many emails over a pool of two connections
// open two connections, not one per email, at the configured rate.
func TestConnectionsAreReused(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	var conns atomic.Int32
	r.smtp = countingProxy(t, r.catcher.Addr(), &conns)
	const n, perSecond = 20, 40.0
	p, _ := r.run(t, outgoing.Options{Workers: 2, Rate: perSecond})
	started := time.Now()
	var ids []string
	for range n {
		ids = append(ids, r.submit(t, p, "signature_confirmation").ID)
	}
	for _, id := range ids {
		r.waitStatus(t, id, store.StatusSent)
	}
	took := time.Since(started)
	if c := conns.Load(); c < 1 || c > 2 {
		t.Errorf("%d SMTP connections for %d emails over a pool of 2", c, n)
	}
	// 20 emails at 40/s with a burst of 2 take at least ~0.45 s.
	if took < 400*time.Millisecond {
		t.Errorf("%d emails took %s: the rate of %.0f/s was not applied", n, took, perSecond)
	}
}

// countingProxy forwards TCP connections to target and counts them.
func countingProxy(t *testing.T, target string, count *atomic.Int32) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			count.Add(1)
			go pipe(c, target)
		}
	}()
	return ln.Addr().String()
}

func pipe(c net.Conn, target string) {
	defer c.Close()
	up, err := net.Dial("tcp", target)
	if err != nil {
		return
	}
	defer up.Close()
	done := make(chan struct{}, 2)
	go func() { _, _ = copyConn(up, c); done <- struct{}{} }()
	go func() { _, _ = copyConn(c, up); done <- struct{}{} }()
	<-done
}

func copyConn(dst, src net.Conn) (int64, error) {
	buf := make([]byte, 32<<10)
	var n int64
	for {
		k, err := src.Read(buf)
		if k > 0 {
			if _, werr := dst.Write(buf[:k]); werr != nil {
				return n, werr
			}
			n += int64(k)
		}
		if err != nil {
			return n, err
		}
	}
}
