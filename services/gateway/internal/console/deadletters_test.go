package console_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// TestDeadLettersAndResend: a coordinator sees dead letters and failed
// emails, replays one dead letter, sees why another cannot be replayed yet,
// and sends a failed email again — each a form with the session's token.
func TestDeadLettersAndResend(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn(coordEmail)

	page := b.get("/console/dead-letters")
	if page.code != http.StatusOK || !strings.Contains(page.body, "template missing") || !strings.Contains(page.body, "/console/dead-letters/notification-petition-mail/"+deadEvent+"/replay") {
		t.Fatalf("dead letters page: HTTP %d\n%s", page.code, page.body)
	}
	token := b.csrf("/console/dead-letters")
	if r := b.post("/console/dead-letters/notification-petition-mail/"+deadEvent+"/replay", url.Values{}); r.code != http.StatusForbidden {
		t.Fatalf("replay without the form token: HTTP %d", r.code)
	}
	r := b.post("/console/dead-letters/notification-petition-mail/"+deadEvent+"/replay", url.Values{"csrf": {token}})
	if r.code != http.StatusSeeOther {
		t.Fatalf("replay: HTTP %d\n%s", r.code, r.body)
	}
	if got := b.get("/console/dead-letters"); !strings.Contains(got.body, "Replayed: the event was handled") {
		t.Errorf("after replay the page does not say so")
	}
	r = b.post("/console/dead-letters/notification-petition-mail/"+stuckEvent+"/replay", url.Values{"csrf": {token}})
	if r.code != http.StatusConflict || !strings.Contains(r.body, "The handler failed again: still failing.") {
		t.Fatalf("replay that fails again: HTTP %d\n%s", r.code, r.body)
	}
	if r := b.post("/console/dead-letters/bad$name/"+deadEvent+"/replay", url.Values{"csrf": {token}}); r.code != http.StatusNotFound {
		t.Errorf("replay of a malformed consumer: HTTP %d, want 404", r.code)
	}

	emails := b.get("/console/deliveries?status=DELIVERY_STATUS_FAILED")
	if !strings.Contains(emails.body, "/console/deliveries/"+failedDelivery+"/resend") {
		t.Fatalf("failed delivery has no Send again button:\n%s", emails.body)
	}
	if r := b.post("/console/deliveries/"+failedDelivery+"/resend", url.Values{"csrf": {token}}); r.code != http.StatusSeeOther {
		t.Fatalf("resend: HTTP %d\n%s", r.code, r.body)
	}
	want := []string{"ReplayDeadLetter notification-petition-mail " + deadEvent, "ResendDelivery " + failedDelivery}
	if ch := e.fake.changed(); !slices.Equal(ch, want) {
		t.Fatalf("changes = %v, want %v", ch, want)
	}
}
