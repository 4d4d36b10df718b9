// Package session keeps the console's sign-in sessions on the server: the
// browser holds only a random token (in an HttpOnly cookie), the gateway
// keeps what it stands for, keyed by the token's SHA-256 so the tokens
// themselves are never stored. A session ends when it has been idle too
// long, when it reaches its absolute lifetime, or at sign-out; signing in
// always starts a new one (the token rotates).
//
// Sessions live in the gateway process: a restart signs everyone out, and
// with several gateway replicas the console needs session affinity.
package session

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"sync"
	"time"
)

// Identity is who a session belongs to.
type Identity struct {
	// Subject is who backend calls are made as.
	Subject string
	// Name is shown in the console.
	Name string
	// Coordinator or representative (see the console's roles).
	Role string
	// MemberID is a representative's member.
	MemberID string
	// Method is how they signed in: "password" or "oidc".
	Method string
	// Account is the local account's username (password sign-ins), so the
	// console can check the account still exists as it was.
	Account string
}

// Session is a signed-in person's session.
type Session struct {
	Identity
	// CSRF is the synchroniser token every form of the session carries.
	CSRF     string
	Created  time.Time
	LastSeen time.Time
	// Checked is when the identity was last confirmed still current
	// (account and representative record unchanged); see MarkChecked.
	Checked   time.Time
	flash     string
	tokenHash [32]byte
}

// Options configures a [Store].
type Options struct {
	// Idle ends a session not used for this long.
	Idle time.Duration
	// Absolute ends a session this long after sign-in, however active.
	Absolute time.Duration
	// Max bounds how many sessions are kept; when full, expired ones go
	// first, then the least recently used.
	Max int
	// Now is the clock (tests); time.Now when nil.
	Now func() time.Time
}

// Store holds the sessions.
type Store struct {
	o        Options
	mu       sync.Mutex
	sessions map[[32]byte]*Session
}

// NewStore returns an empty store.
func NewStore(o Options) *Store {
	if o.Idle <= 0 {
		o.Idle = 30 * time.Minute
	}
	if o.Absolute <= 0 {
		o.Absolute = 12 * time.Hour
	}
	if o.Max <= 0 {
		o.Max = 10_000
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Store{o: o, sessions: map[[32]byte]*Session{}}
}

// Idle is how long an unused session lasts.
func (s *Store) Idle() time.Duration { return s.o.Idle }

// Absolute is how long a session lasts at most.
func (s *Store) Absolute() time.Duration { return s.o.Absolute }

// Create starts a session for id and returns it with its token (for the
// cookie). Callers end the previous session, if any, first (rotation).
func (s *Store) Create(id Identity) (Session, string) {
	token, csrf := RandomToken(), RandomToken()
	now := s.o.Now()
	sess := &Session{Identity: id, CSRF: csrf, Created: now, LastSeen: now, Checked: now, tokenHash: hash(token)}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.sessions) >= s.o.Max {
		s.evictLocked(now)
	}
	s.sessions[sess.tokenHash] = sess
	return *sess, token
}

// Get returns the live session for token and marks it used now. An
// expired session is removed and not returned.
func (s *Store) Get(token string) (Session, bool) {
	if token == "" || len(token) > 128 {
		return Session{}, false
	}
	h := hash(token)
	now := s.o.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[h]
	if !ok {
		return Session{}, false
	}
	if s.expired(sess, now) {
		delete(s.sessions, h)
		return Session{}, false
	}
	sess.LastSeen = now
	return *sess, true
}

// Delete ends the session for token (sign-out). Unknown tokens are ignored.
func (s *Store) Delete(token string) {
	if token == "" || len(token) > 128 {
		return
	}
	s.mu.Lock()
	delete(s.sessions, hash(token))
	s.mu.Unlock()
}

// MarkChecked records that the session's identity was confirmed current
// at at. Unknown tokens are ignored.
func (s *Store) MarkChecked(token string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sess, ok := s.sessions[hash(token)]; ok {
		sess.Checked = at
	}
}

// SetFlash keeps a one-time message to show on the session's next page.
func (s *Store) SetFlash(token, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sess, ok := s.sessions[hash(token)]; ok {
		sess.flash = msg
	}
}

// TakeFlash returns and clears the session's one-time message.
func (s *Store) TakeFlash(token string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[hash(token)]
	if !ok {
		return ""
	}
	msg := sess.flash
	sess.flash = ""
	return msg
}

// Len is how many sessions are kept (expired ones included until swept).
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

func (s *Store) expired(sess *Session, now time.Time) bool {
	return now.Sub(sess.LastSeen) >= s.o.Idle || now.Sub(sess.Created) >= s.o.Absolute
}

// evictLocked drops every expired session and, if the store is still
// full, the least recently used one.
func (s *Store) evictLocked(now time.Time) {
	var oldest *Session
	for h, sess := range s.sessions {
		if s.expired(sess, now) {
			delete(s.sessions, h)
			continue
		}
		if oldest == nil || sess.LastSeen.Before(oldest.LastSeen) {
			oldest = sess
		}
	}
	if len(s.sessions) >= s.o.Max && oldest != nil {
		delete(s.sessions, oldest.tokenHash)
	}
}

// RandomToken is 32 random bytes, base64url without padding.
func RandomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand panics instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Equal compares two tokens in constant time.
func Equal(a, b string) bool {
	return a != "" && len(a) == len(b) && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func hash(token string) [32]byte { return sha256.Sum256([]byte(token)) }
