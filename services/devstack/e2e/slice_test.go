package e2e

import (
	"html"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestSignConfirmCount is the thin slice of issue 2 through real parts:
// POST a signature to the gateway → petition service (pending, event in the
// outbox) → JetStream → notification service → SMTP → catcher; following the
// emailed link confirms it and the public count shows it.
func TestSignConfirmCount(t *testing.T) {
	p := newPetition(t, "Slicetown")
	const email = "slice.signer@example.org"

	var empty map[string]any
	if status := api(t, "POST", "/api/v1/petitions/"+p.ID+"/signatures", "", signature(email), &empty); status != http.StatusOK {
		t.Fatalf("sign: HTTP %d", status)
	}
	if got := getPetition(t, p.ID).ConfirmedCount; got != 0 {
		t.Fatalf("a pending signature must not count; count=%d", got)
	}

	m := parseMail(t, waitForMail(t, email))
	if subj := m.Header.Get("Subject"); !strings.Contains(subj, "Slicetown") {
		t.Errorf("subject %q does not name the petition", subj)
	}
	if m.Header.Get("Message-Id") == "" || strings.Contains(m.Header.Get("Message-Id"), "<<") {
		t.Errorf("bad Message-ID %q", m.Header.Get("Message-Id"))
	}
	link := confirmLink.FindString(m.Text)
	if link == "" {
		t.Fatalf("no confirmation link in the text part:\n%s", m.Text)
	}
	if !strings.Contains(html.UnescapeString(m.HTML), link) {
		t.Errorf("the HTML part lacks the same link")
	}
	if strings.Contains(m.Text, "{{") || strings.Contains(m.HTML, "{{") {
		t.Errorf("unrendered template placeholders")
	}

	// Following the link (as the browser does) confirms the signature.
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "confirmed") {
		t.Fatalf("confirm page: HTTP %d\n%s", resp.StatusCode, page)
	}
	if got := getPetition(t, p.ID).ConfirmedCount; got != 1 {
		t.Fatalf("after confirming, count=%d, want 1", got)
	}

	// Following it again changes nothing.
	resp, err = http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := getPetition(t, p.ID).ConfirmedCount; got != 1 {
		t.Fatalf("a second click counted again: count=%d", got)
	}
	// The inbox page lists the message too.
	resp, err = http.Get(shared.Addresses().MailURL)
	if err != nil {
		t.Fatal(err)
	}
	inbox, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(inbox), "Slicetown") {
		t.Errorf("/dev/mail does not list the email")
	}
	if n := len(mailTo(t, email)); n != 1 {
		t.Errorf("%d emails to the signer, want 1", n)
	}
}

// TestSigningAgainAnswersTheSame: the HTTP answer never reveals whether an
// address has signed, and a second signature is not counted twice. (The
// API rejects surrounding spaces as an invalid email; the HTML form trims.)
func TestSigningAgainAnswersTheSame(t *testing.T) {
	p := newPetition(t, "Twiceville")
	const email = "twice@example.org"
	var first, second map[string]any
	s1 := api(t, "POST", "/api/v1/petitions/"+p.ID+"/signatures", "", signature(email), &first)
	waitForMail(t, email)
	s2 := api(t, "POST", "/api/v1/petitions/"+p.ID+"/signatures", "", signature("TWICE@Example.ORG"), &second)
	if s1 != http.StatusOK || s2 != http.StatusOK || len(first) != 0 || len(second) != 0 {
		t.Fatalf("answers differ: %d %v / %d %v", s1, first, s2, second)
	}
	if n := countSignatures(t, p.ID); n != 1 {
		t.Fatalf("%d signatures stored for one person (email normalised), want 1", n)
	}
}

func TestHealthAndOpenAPI(t *testing.T) {
	var health struct {
		Status   string            `json:"status"`
		Services map[string]string `json:"services"`
	}
	if status := api(t, "GET", "/healthz", "", nil, &health); status != http.StatusOK || health.Status != "ok" {
		t.Fatalf("healthz: %d %+v", status, health)
	}
	for _, svc := range []string{"membership", "petition", "events", "notification"} {
		if health.Services[svc] != "SERVING" {
			t.Errorf("%s: %q", svc, health.Services[svc])
		}
	}
	var doc struct {
		Swagger string                    `json:"swagger"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if status := api(t, "GET", "/api/v1/openapi.json", "", nil, &doc); status != http.StatusOK {
		t.Fatalf("openapi: %d", status)
	}
	if _, ok := doc.Paths["/api/v1/petitions/{petition_id}/signatures"]["post"]; !ok {
		t.Fatalf("openapi lacks the signature endpoint: %v", doc.Paths)
	}
}
