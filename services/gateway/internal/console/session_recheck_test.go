package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cc4dr/coalition/services/gateway/internal/console/accounts"
)

// signedOut checks that the browser's session has ended: pages send it to
// sign in, forms change nothing, and the cookie is gone.
func signedOut(t *testing.T, b *browser, what string) {
	t.Helper()
	if r := b.get("/console/"); r.code != http.StatusSeeOther || !strings.HasPrefix(r.location, "/console/sign-in") {
		t.Errorf("%s: GET /console/ = HTTP %d to %q, want the sign-in page", what, r.code, r.location)
	}
	if b.cookie("coalition_console") != "" {
		t.Errorf("%s: session cookie kept", what)
	}
}

// TestRemovedRepresentativeLosesConsoleAccess: a representative removed
// from membership is signed out within a minute, not at the end of their
// session (the console confirms the record at most every minute).
func TestRemovedRepresentativeLosesConsoleAccess(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn(repEmail)
	csrf := b.csrf("/console/")

	e.fake.mu.Lock()
	e.fake.repGone = true
	e.fake.mu.Unlock()
	e.advance(30 * time.Second)
	if r := b.get("/console/"); r.code != http.StatusOK {
		t.Fatalf("within the minute: HTTP %d", r.code)
	}
	e.advance(31 * time.Second)
	// A form posted once the record is gone changes nothing.
	if r := b.post("/console/sign-out", url.Values{"csrf": {csrf}}); r.code != http.StatusForbidden || !strings.Contains(r.body, "Signed out") {
		t.Fatalf("form after removal: HTTP %d\n%s", r.code, r.body)
	}
	signedOut(t, b, "removed representative")
	// Signing in again is refused: there is no representative record.
	r := b.post("/console/sign-in", url.Values{"csrf": {b.csrf("/console/sign-in")}, "username": {repEmail}, "password": {password}})
	if r.code != http.StatusForbidden || b.cookie("coalition_console") != "" {
		t.Fatalf("sign-in after removal: HTTP %d", r.code)
	}
}

// TestChangedAccountEndsSession: an account removed from the accounts
// file, or given another role, loses its session within a minute.
func TestChangedAccountEndsSession(t *testing.T) {
	e := newEnv(t)
	hash, err := accounts.Hash(password)
	if err != nil {
		t.Fatal(err)
	}
	coord := e.browser()
	coord.signIn(coordEmail)
	rep := e.browser()
	rep.signIn(repEmail)
	other := e.browser()
	other.signIn(repEmail)

	// The coordinator is removed; the representative becomes a coordinator.
	if err := accounts.Write(e.config.AccountsFile, []accounts.Account{
		{Username: repEmail, Role: accounts.Coordinator, PasswordHash: hash},
	}); err != nil {
		t.Fatal(err)
	}
	e.advance(61 * time.Second)
	if r := coord.get("/console/applications"); r.code != http.StatusSeeOther || !strings.HasPrefix(r.location, "/console/sign-in") {
		t.Errorf("removed coordinator: HTTP %d to %q, want the sign-in page", r.code, r.location)
	}
	signedOut(t, coord, "removed coordinator")
	signedOut(t, rep, "representative whose role changed")
	signedOut(t, other, "second session of the representative whose role changed")

	// Signing in again gets the new role.
	rep.signIn(repEmail)
	if r := rep.get("/console/applications"); r.code != http.StatusOK {
		t.Errorf("signed in again as coordinator: HTTP %d", r.code)
	}
}

// TestUnchangedAccountKeepsSession: the checks do not end a session whose
// person is still current, however often it is used.
func TestUnchangedAccountKeepsSession(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn(repEmail)
	for range 5 {
		e.advance(2 * time.Minute)
		if r := b.get("/console/"); r.code != http.StatusOK {
			t.Fatalf("HTTP %d after %v", r.code, 2*time.Minute)
		}
	}
}
