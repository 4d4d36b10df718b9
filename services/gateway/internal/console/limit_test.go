package console_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/cc4dr/coalition/services/gateway/internal/console"
)

// TestSuccessfulSignInsDoNotCountAgainstUsername: only failed attempts use
// up a username's allowance, so a coordinator who signs in often (or from
// several browsers) is never limited by it.
func TestSuccessfulSignInsDoNotCountAgainstUsername(t *testing.T) {
	e := newEnv(t, func(c *console.Config) { c.LoginPerUser = 2 })
	for range 5 {
		e.browser().signIn(coordEmail)
	}
}

// TestUsernameLimitSlowsRatherThanLocks: a username that ran out of
// failed attempts gets one more attempt per window/limit, not nothing for
// a whole window, so someone guessing cannot keep its owner out long.
func TestUsernameLimitSlowsRatherThanLocks(t *testing.T) {
	e := newEnv(t, func(c *console.Config) { c.LoginPerUser = 3; c.LoginWindow = 15 * time.Minute })
	b := e.browser()
	attempt := func(pw string) int {
		return b.post("/console/sign-in", url.Values{"csrf": {b.csrf("/console/sign-in")}, "username": {coordEmail}, "password": {pw}}).code
	}
	for range 3 {
		if code := attempt("guess"); code != http.StatusBadRequest {
			t.Fatalf("failed attempt: HTTP %d", code)
		}
	}
	if code := attempt(password); code != http.StatusTooManyRequests {
		t.Fatalf("after the failures: HTTP %d, want 429", code)
	}
	e.advance(5 * time.Minute) // window/limit: one attempt back
	b.signIn(coordEmail)
}

// TestAddressLimitComesFirst: a network address out of attempts is refused
// before any password is checked, the right one included.
func TestAddressLimitComesFirst(t *testing.T) {
	e := newEnv(t, func(c *console.Config) { c.LoginPerIP = 2; c.LoginPerUser = 2 })
	b := e.browser()
	for i, want := range []int{http.StatusBadRequest, http.StatusBadRequest, http.StatusTooManyRequests, http.StatusTooManyRequests} {
		pw := "guess"
		if i >= 2 {
			pw = password
		}
		r := b.post("/console/sign-in", url.Values{"csrf": {b.csrf("/console/sign-in")}, "username": {repEmail}, "password": {pw}})
		if r.code != want {
			t.Fatalf("attempt %d: HTTP %d, want %d", i+1, r.code, want)
		}
	}
}
