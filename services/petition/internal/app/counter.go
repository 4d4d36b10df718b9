package app

import (
	"context"
	"errors"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/cc4dr/coalition/services/petition/internal/domain"
	"github.com/cc4dr/coalition/services/petition/internal/store"
)

// CountOptions tune the counter.
type CountOptions struct {
	// MaxBatch bounds the signatures claimed per round (default 5000).
	MaxBatch int
	// MaxWait is how long a named confirmation or withdrawal waits for
	// others to share its round (default 20ms; a confirmer waits for it).
	MaxWait time.Duration
	// ScanInterval is how often the counter scans for marks nobody named
	// to it (a crash lost its queue); it also scans at start (default 30s:
	// on the embedded store a scan reads every signature).
	ScanInterval time.Duration
	// QueueLimit bounds the entries waiting for a round (default 10 000);
	// beyond it they are dropped and the next scan finds them.
	QueueLimit int
}

// Counter folds confirmations and withdrawals into their petitions' public
// counts in batches (see package store, counts.go, for why this is exact
// across crashes). It runs as one of the service's loops. Writers name the
// signatures they marked (Note), which it claims without scanning; a scan
// at start and every ScanInterval finds what a crash left behind.
type Counter struct {
	app  *App
	opts CountOptions
	kick chan struct{}

	mu      sync.Mutex
	running bool
	waiting []chan struct{}
	queue   []store.CountEntry
	scan    bool
}

func newCounter(a *App, opts CountOptions) *Counter {
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 5000
	}
	if opts.MaxWait < 0 {
		opts.MaxWait = 0
	} else if opts.MaxWait == 0 {
		opts.MaxWait = 20 * time.Millisecond
	}
	if opts.ScanInterval <= 0 {
		opts.ScanInterval = 30 * time.Second
	}
	if opts.QueueLimit <= 0 {
		opts.QueueLimit = 10_000
	}
	return &Counter{app: a, opts: opts, kick: make(chan struct{}, 1)}
}

// Kick asks for a round now.
func (c *Counter) Kick() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// Note names signatures whose marks the next round claims.
func (c *Counter) Note(entries ...store.CountEntry) {
	c.mu.Lock()
	for _, e := range entries {
		if len(c.queue) >= c.opts.QueueLimit {
			c.scan = true // nothing is lost: the mark is in the store
			break
		}
		c.queue = append(c.queue, e)
	}
	c.mu.Unlock()
	c.Kick()
}

// Flush waits until a round that started after the call has finished, so
// that a confirmation written (and noted) before it is in the count: the
// confirmer sees their own signature counted. It gives up at ctx's end or
// after max, and returns at once when the counter is not running.
func (c *Counter) Flush(ctx context.Context, max time.Duration) {
	ch := make(chan struct{})
	c.mu.Lock()
	if !c.running {
		c.mu.Unlock()
		return
	}
	c.waiting = append(c.waiting, ch)
	c.mu.Unlock()
	c.Kick()
	t := time.NewTimer(max)
	defer t.Stop()
	select {
	case <-ch:
	case <-ctx.Done():
	case <-t.C:
	}
}

// Run counts until ctx ends.
func (c *Counter) Run(ctx context.Context) error {
	c.mu.Lock()
	if c.running {
		c.mu.Unlock()
		return errors.New("counter already running")
	}
	c.running, c.scan = true, true // at start: whatever a crash left behind
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.running = false
		c.release(c.waiting)
		c.waiting = nil
		c.mu.Unlock()
	}()

	scan := time.NewTicker(c.opts.ScanInterval)
	defer scan.Stop()
	retry := time.NewTimer(0)
	defer retry.Stop()
	backoff := 100 * time.Millisecond
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-c.kick:
			// Let the confirmations arriving together share the round.
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(c.opts.MaxWait):
			}
		case <-scan.C:
			c.mu.Lock()
			c.scan = true
			c.mu.Unlock()
		case <-retry.C:
		}
		c.mu.Lock()
		waiters := c.waiting
		c.waiting = nil
		c.mu.Unlock()
		err := c.drain(ctx)
		c.release(waiters)
		if err != nil && ctx.Err() == nil {
			c.app.log.Warn("counting confirmed signatures failed; will retry", zap.Error(err), zap.Duration("retry_in", backoff))
			resetTimer(retry, backoff)
			backoff = min(backoff*2, 10*time.Second)
		} else {
			backoff = 100 * time.Millisecond
		}
	}
}

func (c *Counter) release(waiters []chan struct{}) {
	for _, w := range waiters {
		close(w)
	}
}

func resetTimer(t *time.Timer, d time.Duration) {
	t.Stop()
	select {
	case <-t.C:
	default:
	}
	t.Reset(d)
}

// drain runs rounds until one leaves nothing waiting.
func (c *Counter) drain(ctx context.Context) error {
	for range 100 { // bounded: at most 100 rounds per wake-up
		more, err := c.round(ctx)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// round finishes the batches a crash left behind, then claims and counts
// the named signatures and, when a scan is due, the marked ones it finds.
// It reports whether more is waiting.
func (c *Counter) round(ctx context.Context) (more bool, err error) {
	st := c.app.store
	if err := c.finishPending(ctx); err != nil {
		return false, err
	}
	c.mu.Lock()
	entries := c.queue[:min(len(c.queue), c.opts.MaxBatch)]
	c.queue = c.queue[len(entries):]
	scan := c.scan
	c.scan = false
	c.mu.Unlock()
	batches, err := st.ClaimEntries(ctx, entries, c.app.now())
	if err != nil {
		c.requeue(entries, scan)
		return false, err
	}
	if err := c.finishAll(ctx, batches); err != nil {
		c.requeue(nil, scan)
		return false, err
	}
	if scan {
		batches, full, err := st.ClaimUncounted(ctx, c.opts.MaxBatch, c.app.now())
		if err == nil {
			err = c.finishAll(ctx, batches)
		}
		if err != nil || full {
			c.requeue(nil, true)
		}
		if err != nil {
			return false, err
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.queue) > 0 || c.scan, nil
}

// requeue gives entries back (first) and keeps a due scan due.
func (c *Counter) requeue(entries []store.CountEntry, scan bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.queue = append(append([]store.CountEntry(nil), entries...), c.queue...)
	c.scan = c.scan || scan
}

// Round finishes what a crash left behind and counts every marked
// signature it finds by scanning (up to MaxBatch), besides the named ones.
// It reports whether more is waiting. Exported for tests, which call it
// (and the store's steps) directly.
func (c *Counter) Round(ctx context.Context) (more bool, err error) {
	c.mu.Lock()
	c.scan = true
	c.mu.Unlock()
	return c.round(ctx)
}

func (c *Counter) finishPending(ctx context.Context) error {
	pending, err := c.app.store.PendingBatches(ctx)
	if err != nil {
		return err
	}
	return c.finishAll(ctx, pending)
}

func (c *Counter) finishAll(ctx context.Context, batches []store.CountBatch) error {
	for i := range batches {
		if err := c.finish(ctx, &batches[i]); err != nil {
			return err
		}
	}
	return nil
}

// finish takes one batch through steps 2 to 4 (with the public names).
func (c *Counter) finish(ctx context.Context, b *store.CountBatch) error {
	st := c.app.store
	if err := st.MarkBatch(ctx, b); err != nil {
		return err
	}
	if err := st.ApplyNames(ctx, *b); err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		applied, err := st.ApplyBatch(ctx, *b, c.app.countChange)
		if errors.Is(err, domain.ErrConcurrentChange) && attempt < 5 {
			continue // the petition changed meanwhile (another writer, or instance): read again
		}
		if err != nil {
			return err
		}
		if applied {
			c.app.relay.Notify(store.CollectionPetitions, b.PetitionID)
		}
		break
	}
	return st.FinishBatch(ctx, b.ID)
}
