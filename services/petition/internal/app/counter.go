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

// Counter folds confirmed signatures into their petitions' public counts in
// batches (see package store, counts.go, for why this is exact across
// crashes). It runs as one of the service's loops: a confirmation kicks it,
// and it also looks every CountInterval for work a crash left behind.
type Counter struct {
	app      *App
	interval time.Duration
	limit    int
	kick     chan struct{}

	mu      sync.Mutex
	running bool
	waiting []chan struct{}
}

func newCounter(a *App, interval time.Duration, limit int) *Counter {
	if interval <= 0 {
		interval = 2 * time.Second
	}
	if limit <= 0 {
		limit = 5000
	}
	return &Counter{app: a, interval: interval, limit: limit, kick: make(chan struct{}, 1)}
}

// Kick asks for a round now.
func (c *Counter) Kick() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// Flush waits until a round that started after the call has finished, so
// that a confirmation written before it is in the count: the confirmer sees
// their own signature counted. It gives up at ctx's end or after max, and
// returns at once when the counter is not running.
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
	c.running = true
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.running = false
		c.release(c.waiting)
		c.waiting = nil
		c.mu.Unlock()
	}()

	backoff := c.interval
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-c.kick:
		case <-timer.C:
		}
		c.mu.Lock()
		waiters := c.waiting
		c.waiting = nil
		c.mu.Unlock()
		err := c.drain(ctx)
		c.release(waiters)
		next := c.interval
		if err != nil && ctx.Err() == nil {
			c.app.log.Warn("counting confirmed signatures failed; will retry", zap.Error(err), zap.Duration("retry_in", backoff))
			next, backoff = backoff, min(backoff*2, 10*time.Second)
		} else {
			backoff = c.interval
		}
		resetTimer(timer, next)
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

// drain runs rounds until one finds less than a full batch.
func (c *Counter) drain(ctx context.Context) error {
	for range 100 { // bounded: at most 100 × limit signatures per wake-up
		full, err := c.Round(ctx)
		if err != nil || !full {
			return err
		}
	}
	return nil
}

// Round finishes the batches a crash left behind, then claims and counts
// the uncounted signatures (up to the limit). It reports whether the limit
// was reached. Exported for tests, which call it (and the store's steps)
// directly.
func (c *Counter) Round(ctx context.Context) (full bool, err error) {
	st := c.app.store
	pending, err := st.PendingBatches(ctx)
	if err != nil {
		return false, err
	}
	for i := range pending {
		if err := c.finish(ctx, &pending[i]); err != nil {
			return false, err
		}
	}
	batches, full, err := st.ClaimUncounted(ctx, c.limit, c.app.now())
	if err != nil {
		return false, err
	}
	for i := range batches {
		if err := c.finish(ctx, &batches[i]); err != nil {
			return false, err
		}
	}
	return full, nil
}

// finish takes one batch through steps 2 to 4.
func (c *Counter) finish(ctx context.Context, b *store.CountBatch) error {
	st := c.app.store
	if err := st.MarkBatch(ctx, b); err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		applied, err := st.ApplyBatch(ctx, *b, c.app.countChange)
		if errors.Is(err, domain.ErrConcurrentChange) && attempt < 5 {
			continue // another instance applied a batch meanwhile (MongoDB): read again
		}
		if err != nil {
			return err
		}
		if applied {
			c.app.relay.Kick()
		}
		break
	}
	return st.FinishBatch(ctx, b.ID)
}
