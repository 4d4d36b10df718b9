package outgoing

import (
	"math/rand/v2"
	"time"
)

// backoff is the wait before attempt n+1 after n failed attempts: base
// doubled each time, capped at max, less up to a quarter at random so that
// deliveries that failed together (an SMTP outage) do not all come back at
// the same instant.
func backoff(n int, base, max time.Duration) time.Duration {
	d := base
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	d = min(d, max)
	if q := int64(d / 4); q > 0 {
		d -= time.Duration(rand.Int64N(q))
	}
	return d
}
