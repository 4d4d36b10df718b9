package console

import (
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"golang.org/x/time/rate"
)

// limiter allows each key (a network address, a username) burst sign-in
// attempts, refilled at burst per window — steadily, so a key that ran out
// is slowed to one attempt per window/burst rather than locked out for a
// window: a token bucket per key
// (golang.org/x/time/rate) in a bounded LRU whose idle keys expire, so
// memory stays bounded however many keys come by.
type limiter struct {
	mu      sync.Mutex
	buckets *expirable.LRU[string, *rate.Limiter]
	every   rate.Limit
	burst   int
}

func newLimiter(burst int, window time.Duration) *limiter {
	if burst <= 0 {
		return &limiter{}
	}
	if window <= 0 {
		window = 15 * time.Minute
	}
	return &limiter{
		burst:   burst,
		every:   rate.Limit(float64(burst) / window.Seconds()),
		buckets: expirable.NewLRU[string, *rate.Limiter](50_000, nil, window),
	}
}

// blocked reports whether key has no attempt left, without taking one.
func (l *limiter) blocked(key string, now time.Time) bool {
	if l.burst <= 0 || key == "" {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets.Get(key)
	return ok && b.TokensAt(now) < 1
}

// allow takes one attempt for key.
func (l *limiter) allow(key string, now time.Time) bool {
	if l.burst <= 0 || key == "" {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets.Get(key)
	if !ok {
		b = rate.NewLimiter(l.every, l.burst)
	}
	l.buckets.Add(key, b) // refreshes the expiry: forgotten only after a quiet window
	return b.AllowN(now, 1)
}
