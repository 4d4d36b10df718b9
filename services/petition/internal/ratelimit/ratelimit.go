// Package ratelimit limits how often one key (a network address, an email
// address) may do something: a token bucket per key (golang.org/x/time/rate)
// in a bounded LRU whose idle entries expire, so memory stays bounded
// however many keys come by.
package ratelimit

import (
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"golang.org/x/time/rate"
)

// Limiter allows each key Burst actions at once, refilled at Burst per
// Window.
type Limiter struct {
	mu      sync.Mutex
	buckets *expirable.LRU[string, *rate.Limiter]
	every   rate.Limit
	burst   int
	now     func() time.Time
}

// New returns a limiter of burst actions per window for each key, keeping
// at most maxKeys keys (the least recently used go first; a key idle for a
// window is full again and forgotten). burst <= 0 disables limiting.
func New(burst int, window time.Duration, maxKeys int) *Limiter {
	if maxKeys <= 0 {
		maxKeys = 100_000
	}
	if window <= 0 {
		window = time.Hour
	}
	l := &Limiter{burst: burst, now: time.Now}
	if burst > 0 {
		l.every = rate.Limit(float64(burst) / window.Seconds())
		l.buckets = expirable.NewLRU[string, *rate.Limiter](maxKeys, nil, window)
	}
	return l
}

// Allow takes one action for key. When the bucket is empty it reports false
// and how long until the next action is allowed.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	if l == nil || l.burst <= 0 || key == "" {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets.Get(key)
	if !ok {
		b = rate.NewLimiter(l.every, l.burst)
	}
	l.buckets.Add(key, b) // refreshes the expiry: forgotten only after a quiet window
	now := l.now()
	r := b.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// Len is how many keys are tracked.
func (l *Limiter) Len() int {
	if l == nil || l.buckets == nil {
		return 0
	}
	return l.buckets.Len()
}
