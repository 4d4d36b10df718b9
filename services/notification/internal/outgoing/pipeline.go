// Package outgoing is the sending pipeline. A consumer records a delivery
// (with its composed email) and hands it over with Enqueue, which never
// waits: when the workers have room the delivery is recorded claimed by
// this process (NewClaim) and queued, otherwise it is recorded unclaimed
// and the poller takes it in turn, so recording an event's emails does not
// wait for SMTP. A fixed number of workers, one per SMTP connection, send
// at the configured rate. A worker renews its claim (by owner token) when
// the delivery waited long in the queue or for the rate limiter, right
// before sending, so a claim never lapses under a send in progress. A failure that may pass (a 4xx answer, no connection) is
// retried with exponential back-off from the delivery record itself, so
// retries survive restarts; a 5xx answer, or the last allowed attempt,
// fails the delivery for a coordinator to see and resend.
//
// A poller claims deliveries as they fall due. Those this process knows
// of (recorded unclaimed, released, retry scheduled, resent: Enqueue, Due)
// it keeps in memory by due time (due.go) and claims by id, which the
// embedded store answers by index; it checks them every PollInterval or
// sooner when one falls due. Scanning the deliveries for due ones reads the
// whole collection on the embedded store, so that runs only at start and
// every ScanInterval: the safety net for deliveries of a crashed or
// restarted process, of another instance, or forgotten by a full memory.
// The settled deliveries' events are named to the outbox relay (Notify).
//
// Every send is checked against the suppression list first; a suppressed
// delivery is recorded as such and not sent.
package outgoing

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.uber.org/zap"
	"golang.org/x/time/rate"
	"google.golang.org/protobuf/types/known/timestamppb"

	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/logging"
	"github.com/cc4dr/coalition/services/notification/internal/mailer"
	"github.com/cc4dr/coalition/services/notification/internal/store"
	"github.com/cc4dr/coalition/services/notification/internal/templates"
)

// Source is the CloudEvents source of the notification service's own events.
const Source = "/coalition/notification"

// Options tune the pipeline.
type Options struct {
	// Workers send at once (default 1); give the mailer as many connections.
	Workers int
	// Rate bounds emails per second (0: no bound).
	Rate float64
	// Lease is how long a worker owns a claimed delivery (default 1m):
	// longer than an SMTP attempt, short enough that a crashed worker's
	// delivery is retried soon.
	Lease time.Duration
	// RetryBase and RetryMax shape the back-off (defaults 2s and 30m).
	RetryBase, RetryMax time.Duration
	// MaxAttempts before a delivery fails for good (default 10).
	MaxAttempts int
	// PollInterval is how often the deliveries known to be due are claimed
	// (default 1s); a retry falling due sooner wakes the poller itself.
	PollInterval time.Duration
	// ScanInterval is how often the store is also scanned for due
	// deliveries nobody named (default 15s; also at start).
	ScanInterval time.Duration
	// AfterAccept, for tests only, runs between the SMTP server's accepting
	// a message and its recording; an error stops the worker there, as a
	// crash would.
	AfterAccept func(deliveryID string) error
}

func (o *Options) defaults() {
	if o.Workers <= 0 {
		o.Workers = 1
	}
	if o.Lease <= 0 {
		o.Lease = time.Minute
	}
	if o.RetryBase <= 0 {
		o.RetryBase = 2 * time.Second
	}
	if o.RetryMax <= 0 {
		o.RetryMax = 30 * time.Minute
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 10
	}
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.ScanInterval <= 0 {
		o.ScanInterval = 15 * time.Second
	}
}

// scanLimit bounds the due deliveries one safety-net scan reads; a full
// scan is followed by another once those are claimed.
const scanLimit = 1000

// Suppressor says whether an address opted out of a category.
type Suppressor interface {
	Suppressed(ctx context.Context, address string, cat templates.Category) (bool, error)
}

// Notifier names documents with new events to the outbox relay.
type Notifier interface {
	Notify(collection string, ids ...string)
}

// Pipeline sends recorded deliveries.
type Pipeline struct {
	store   *store.Store
	mailer  *mailer.Mailer
	prefs   Suppressor
	relay   Notifier
	limiter *rate.Limiter
	opts    Options
	log     *zap.Logger

	queue   chan store.Delivery
	due     *dueSet
	wake    chan struct{}
	stopped chan struct{}
}

// New returns a pipeline; Run runs it.
func New(st *store.Store, m *mailer.Mailer, prefs Suppressor, relay Notifier, opts Options, log *zap.Logger) *Pipeline {
	opts.defaults()
	lim := rate.NewLimiter(rate.Inf, 1)
	if opts.Rate > 0 {
		lim = rate.NewLimiter(rate.Limit(opts.Rate), max(1, min(opts.Workers, int(opts.Rate))))
	}
	return &Pipeline{
		store: st, mailer: m, prefs: prefs, relay: relay, limiter: lim, opts: opts, log: log,
		queue: make(chan store.Delivery, opts.Workers*2), due: newDueSet(), wake: make(chan struct{}, 1), stopped: make(chan struct{}),
	}
}

// NewClaim is the claim a consumer records a new delivery with before
// handing it to Enqueue: an owner token and its expiry. ok is false when the
// queue is full or the pipeline stopped: the delivery is then recorded
// unclaimed (due now) for the poller to send in turn.
func (p *Pipeline) NewClaim() (owner string, until time.Time, ok bool) {
	select {
	case <-p.stopped:
		return "", time.Time{}, false
	default:
	}
	if len(p.queue) >= cap(p.queue) {
		return "", time.Time{}, false
	}
	return store.NewClaimToken(), time.Now().UTC().Add(p.opts.Lease), true
}

// Enqueue hands a pending delivery just recorded to the pipeline without
// waiting. One claimed by this process (NewClaim) goes to the workers;
// when the queue filled meanwhile, or the pipeline stopped, the claim is
// given back. The poller sends those and the unclaimed ones in turn.
func (p *Pipeline) Enqueue(_ context.Context, d store.Delivery) {
	if d.ClaimOwner == "" {
		p.Due(d.ID)
		return
	}
	select {
	case <-p.stopped:
		p.release(d)
		return
	default:
	}
	select {
	case p.queue <- d:
	default:
		p.release(d)
	}
}

// Run sends until ctx ends, then lets the messages in hand finish and gives
// back the claims of those still queued.
func (p *Pipeline) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for range p.opts.Workers {
		wg.Go(func() { p.work(ctx) })
	}
	wg.Go(func() { p.poll(ctx) })
	<-ctx.Done()
	close(p.stopped)
	wg.Wait()
	for {
		select {
		case d := <-p.queue:
			p.release(d)
		default:
			p.mailer.Close()
			return nil
		}
	}
}

// release gives back a claim without an attempt; the poller takes the
// delivery again (or, after shutdown, whoever starts next).
func (p *Pipeline) release(d store.Delivery) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := p.store.Release(ctx, d.ID, d.ClaimOwner)
	switch {
	case err == nil:
		p.Due(d.ID)
	case !errors.Is(err, store.ErrClaimLost):
		// The claim lapses on its own.
		p.due.add(d.ClaimedUntil, d.ID)
		p.log.Warn("releasing a delivery failed", zap.String("delivery_id", d.ID), zap.Error(err))
	}
}

func (p *Pipeline) work(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case d := <-p.queue:
			// A message in hand is finished even when shutdown begins.
			p.send(context.WithoutCancel(ctx), d)
		}
	}
}

// poll claims the deliveries that fall due and queues them: those it was
// told of by id, and every ScanInterval those a scan of the store finds.
func (p *Pipeline) poll(ctx context.Context) {
	batch := p.opts.Workers * 4
	t := time.NewTimer(0)
	defer t.Stop()
	var scanAt time.Time // zero: scan at start
	rescan := false      // the last scan was full
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-p.wake:
		}
		now := time.Now()
		if !now.Before(scanAt) || (rescan && p.due.len() == 0) {
			ids, err := p.store.DueIDs(ctx, scanLimit)
			p.due.add(now, ids...)
			scanAt, rescan = now.Add(p.opts.ScanInterval), len(ids) == scanLimit
			if err != nil && ctx.Err() == nil {
				p.log.Warn("looking for due deliveries failed", zap.Error(err))
				scanAt = now.Add(p.opts.PollInterval)
			}
		}
		ids := p.due.take(now, batch)
		list := p.claim(ctx, ids)
		for i, d := range list {
			select {
			case p.queue <- d:
			case <-ctx.Done():
				for _, rest := range list[i:] {
					p.release(rest)
				}
				return
			}
		}
		next := min(p.opts.PollInterval, time.Until(scanAt))
		if at, ok := p.due.next(); ok {
			next = min(next, time.Until(at))
		}
		if len(ids) == batch || (rescan && p.due.len() == 0) {
			next = 0 // more are due
		}
		if !t.Stop() {
			select {
			case <-t.C:
			default:
			}
		}
		t.Reset(max(next, 0))
	}
}

// claim claims the deliveries ids by id; those taken meanwhile, settled or
// not due after all are skipped. On a store error the rest are tried again
// after PollInterval.
func (p *Pipeline) claim(ctx context.Context, ids []string) []store.Delivery {
	var out []store.Delivery
	for i, id := range ids {
		d, ok, err := p.store.Claim(ctx, id, p.opts.Lease)
		if err != nil {
			if ctx.Err() == nil {
				p.log.Warn("claiming due deliveries failed", zap.Error(err))
			}
			p.due.add(time.Now().Add(p.opts.PollInterval), ids[i:]...)
			break
		}
		if ok {
			out = append(out, d)
		}
	}
	return out
}

// Due tells the poller that the deliveries ids are due now (recorded
// unclaimed, released, resent): it claims them by id at once.
func (p *Pipeline) Due(ids ...string) {
	if !p.due.add(time.Now(), ids...) {
		p.log.Debug("too many due deliveries in memory; the safety-net scan finds the rest")
	}
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// send makes one attempt at a delivery the worker holds.
func (p *Pipeline) send(ctx context.Context, d store.Delivery) {
	log := p.log.With(zap.String("delivery_id", d.ID), zap.String("template", d.Template), logging.Recipient(d.Recipient))
	d, ok := p.holdClaim(ctx, d, 0, log)
	if !ok {
		return
	}
	if d.Content == nil {
		err := errors.New("the delivery holds no email")
		p.fail(ctx, d, err, err.Error(), false, log)
		return
	}
	suppressed, err := p.prefs.Suppressed(ctx, d.Recipient, templates.Category(d.Category))
	if err != nil {
		p.retry(ctx, d, err, false, log)
		return
	}
	if suppressed {
		if err := p.store.MarkSuppressed(ctx, d.ID, d.ClaimOwner); err != nil {
			log.Warn("recording a suppression failed", zap.Error(err))
		}
		log.Info("email suppressed: the recipient opted out of its category")
		return
	}
	// The rate limiter's wait may be long (a low SEND_RATE, several
	// workers): the claim is extended over it first, so the poller does not
	// take the delivery meanwhile, and checked again right before sending.
	res := p.limiter.Reserve()
	if delay := res.Delay(); delay > 0 {
		if d, ok = p.holdClaim(ctx, d, delay, log); !ok {
			res.Cancel()
			return
		}
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			res.Cancel()
			p.release(d)
			return
		}
	}
	if d, ok = p.holdClaim(ctx, d, 0, log); !ok {
		return
	}
	err = p.mailer.Send(ctx, Message(d))
	switch {
	case err == nil:
		if p.opts.AfterAccept != nil {
			if herr := p.opts.AfterAccept(d.ID); herr != nil {
				return
			}
		}
		p.sent(ctx, d, log)
	case mailer.IsPermanent(err):
		p.fail(ctx, d, err, mailer.Summary(err), true, log)
	default:
		p.retry(ctx, d, err, true, log)
	}
}

// holdClaim makes sure the worker still holds d's claim for wait plus half a
// lease (longer than an SMTP attempt), renewing it by owner token when less
// is left. ok is false when the claim is gone (sent, suppressed, or taken
// by another worker after it lapsed): the worker must drop the delivery.
func (p *Pipeline) holdClaim(ctx context.Context, d store.Delivery, wait time.Duration, log *zap.Logger) (_ store.Delivery, ok bool) {
	if time.Until(d.ClaimedUntil) >= wait+p.opts.Lease/2 {
		return d, true
	}
	renewed, ok, err := p.store.Renew(ctx, d.ID, d.ClaimOwner, wait+p.opts.Lease)
	if err != nil {
		// The claim lapses and the poller takes the delivery again.
		p.due.add(d.ClaimedUntil, d.ID)
		log.Warn("renewing the claim failed", zap.Error(err))
		return d, false
	}
	if !ok {
		log.Debug("claim lost while the delivery waited; another worker has it or it is settled")
	}
	return renewed, ok
}

// sent records the SMTP server's acceptance at once: until it is recorded,
// a crash would send the email again (SMTP has no idempotency key), so a
// failing write is retried for a little while.
func (p *Pipeline) sent(ctx context.Context, d store.Delivery, log *zap.Logger) {
	now := time.Now().UTC()
	ev, err := broker.NewEvent(Source, &notificationv1.DeliverySent{
		DeliveryId: d.ID, EventId: d.EventID, Template: d.Template, SentAt: timestamppb.New(now),
	})
	if err != nil {
		log.Error("building DeliverySent failed", zap.Error(err))
		return
	}
	wait := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err = p.store.MarkSent(ctx, d.ID, now, ev)
		if err == nil || errors.Is(err, store.ErrNotFound) || attempt == 6 {
			break
		}
		time.Sleep(wait)
		wait *= 2
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		log.Error("email sent but not recorded: it may be sent again when its claim lapses", zap.Error(err))
		return
	}
	p.relay.Notify(store.CollectionDeliveries, d.ID)
	log.Info("email sent")
}

// retry records a failed attempt and when to try again, or fails the
// delivery when it was the last.
func (p *Pipeline) retry(ctx context.Context, d store.Delivery, cause error, attempted bool, log *zap.Logger) {
	n := int(d.Attempts)
	if attempted {
		n++
	}
	if n >= p.opts.MaxAttempts {
		p.fail(ctx, d, fmt.Errorf("gave up after %d attempts: %w", n, cause),
			fmt.Sprintf("gave up after %d attempts: %s", n, mailer.Summary(cause)), attempted, log)
		return
	}
	wait := backoff(max(n, 1), p.opts.RetryBase, p.opts.RetryMax)
	next := time.Now().UTC().Add(wait)
	// The error text may echo the address: it goes to the delivery record
	// (for coordinators), never to the logs.
	var err error
	if attempted {
		err = p.store.MarkRetry(ctx, d.ID, d.ClaimOwner, cause.Error(), next)
	} else {
		err = p.store.Release(ctx, d.ID, d.ClaimOwner)
	}
	if err != nil {
		log.Warn("recording a failed attempt failed", zap.Error(err))
		return
	}
	log.Warn("email failed temporarily, will retry (see the delivery's last_error)", zap.Int("attempts", n), zap.Duration("retry_in", wait))
	p.due.add(next, d.ID)
}

// fail records a permanent failure: cause in full on the delivery record
// (erased with it), public in the DeliveryFailed event, which stays on the
// NOTIFICATION stream and so must name no one (mailer.Summary).
func (p *Pipeline) fail(ctx context.Context, d store.Delivery, cause error, public string, attempted bool, log *zap.Logger) {
	log.Warn("email failed permanently (see the delivery's last_error)")
	ev, err := broker.NewEvent(Source, &notificationv1.DeliveryFailed{
		DeliveryId: d.ID, EventId: d.EventID, Template: d.Template, Error: public,
	})
	if err != nil {
		log.Error("building DeliveryFailed failed", zap.Error(err))
		return
	}
	if err := p.store.MarkFailed(ctx, d.ID, d.ClaimOwner, cause.Error(), attempted, ev); err != nil {
		log.Warn("recording a failure failed", zap.Error(err))
		return
	}
	p.relay.Notify(store.CollectionDeliveries, d.ID)
}
