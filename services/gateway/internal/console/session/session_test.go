package session_test

import (
	"testing"
	"time"

	"github.com/cc4dr/coalition/services/gateway/internal/console/session"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newStore(max int) (*session.Store, *clock) {
	c := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	return session.NewStore(session.Options{Idle: 30 * time.Minute, Absolute: 2 * time.Hour, Max: max, Now: c.now}), c
}

var coord = session.Identity{Subject: "coord@example.org", Name: "Coord", Role: "coordinator", Method: "password"}

func TestIdleExpiry(t *testing.T) {
	s, c := newStore(0)
	sess, token := s.Create(coord)
	if sess.CSRF == "" || token == "" || sess.CSRF == token {
		t.Fatalf("session %+v token %q: want distinct random token and CSRF token", sess, token)
	}
	c.advance(29 * time.Minute)
	if _, ok := s.Get(token); !ok {
		t.Fatal("session ended before the idle limit")
	}
	// Use renews the idle window.
	c.advance(29 * time.Minute)
	got, ok := s.Get(token)
	if !ok || got.Subject != coord.Subject || got.CSRF != sess.CSRF {
		t.Fatalf("Get after 58 active minutes = %+v, %v", got, ok)
	}
	c.advance(30 * time.Minute)
	if _, ok := s.Get(token); ok {
		t.Fatal("session still valid after 30 idle minutes")
	}
	if s.Len() != 0 {
		t.Errorf("expired session kept: %d sessions", s.Len())
	}
}

func TestAbsoluteExpiry(t *testing.T) {
	s, c := newStore(0)
	_, token := s.Create(coord)
	for range 7 { // active every 20 minutes for 2h20
		c.advance(20 * time.Minute)
		_, ok := s.Get(token)
		if c.t.Sub(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)) >= 2*time.Hour {
			if ok {
				t.Fatalf("session valid %v after sign-in, past the absolute limit", c.t.Format(time.Kitchen))
			}
			return
		}
		if !ok {
			t.Fatalf("active session ended at %v, before the absolute limit", c.t.Format(time.Kitchen))
		}
	}
	t.Fatal("absolute limit never reached")
}

func TestDeleteEndsTheSession(t *testing.T) {
	s, _ := newStore(0)
	_, token := s.Create(coord)
	s.Delete(token)
	if _, ok := s.Get(token); ok {
		t.Fatal("session valid after Delete (sign-out)")
	}
	for _, bad := range []string{"", "nonsense", string(make([]byte, 500))} {
		if _, ok := s.Get(bad); ok {
			t.Errorf("Get(%.10q) found a session", bad)
		}
	}
}

func TestEveryCreateIsANewToken(t *testing.T) {
	s, _ := newStore(0)
	seen := map[string]bool{}
	for range 100 {
		sess, token := s.Create(coord)
		if seen[token] || seen[sess.CSRF] {
			t.Fatal("a token repeated")
		}
		seen[token], seen[sess.CSRF] = true, true
	}
}

func TestFullStoreEvictsLeastRecentlyUsed(t *testing.T) {
	s, c := newStore(3)
	_, a := s.Create(coord)
	c.advance(time.Minute)
	_, b := s.Create(coord)
	c.advance(time.Minute)
	_, cc := s.Create(coord)
	c.advance(time.Minute)
	s.Get(a) // a is now the most recently used; b the least
	_, d := s.Create(coord)
	if s.Len() != 3 {
		t.Fatalf("%d sessions, want at most 3", s.Len())
	}
	if _, ok := s.Get(b); ok {
		t.Error("the least recently used session survived")
	}
	for _, tok := range []string{a, cc, d} {
		if _, ok := s.Get(tok); !ok {
			t.Error("a recently used session was evicted")
		}
	}
}

func TestFlashIsShownOnce(t *testing.T) {
	s, _ := newStore(0)
	_, token := s.Create(coord)
	s.SetFlash(token, "Saved.")
	if got := s.TakeFlash(token); got != "Saved." {
		t.Fatalf("TakeFlash = %q", got)
	}
	if got := s.TakeFlash(token); got != "" {
		t.Fatalf("second TakeFlash = %q, want empty", got)
	}
}

func TestEqual(t *testing.T) {
	if session.Equal("", "") {
		t.Error("empty tokens are equal")
	}
	if !session.Equal("abc", "abc") || session.Equal("abc", "abd") || session.Equal("abc", "abcd") {
		t.Error("Equal is wrong")
	}
}
