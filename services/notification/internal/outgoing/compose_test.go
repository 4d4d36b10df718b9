package outgoing_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"

	"github.com/cc4dr/coalition/services/notification/internal/mailer"
	"github.com/cc4dr/coalition/services/notification/internal/outgoing"
	"github.com/cc4dr/coalition/services/notification/internal/preferences"
	"github.com/cc4dr/coalition/services/notification/internal/store"
	"github.com/cc4dr/coalition/services/notification/internal/templates"
)

// hostile tries to break out of the HTML and to add a header.
const hostile = "Ana <script>alert(1)</script> & \"Co\"\r\nBcc: victim@evil.test"

func sampleData() map[string]any {
	return map[string]any{
		"Name": hostile, "ContactName": hostile, "City": "Lisboa", "PetitionTitle": "Lisboa, junta-te <já>\nX-Injected: 1",
		"ConfirmURL": "https://coalition.test/signatures/confirm?token=abc", "WithdrawURL": "https://coalition.test/signatures/withdraw?token=abc",
		"ExpiresAt": "30 Nov 2026", "PetitionURL": "https://coalition.test/petitions/p1", "MembersURL": "https://coalition.test/members",
		"Milestone": int32(1000), "Count": int32(1012), "Goal": int32(5000), "ApplicationID": "app-1",
		"Reason": "Missing <b>council</b> resolution",
	}
}

var emailTypes = []string{
	"signature_confirmation", "signature_already_confirmed", "signature_withdrawn", "erasure_confirmation",
	"petition_succeeded", "petition_milestone", "petition_goal_reached",
	"application_received", "application_approved", "application_rejected", "representative_welcome",
}

func testTokens(t *testing.T) *preferences.Tokens {
	t.Helper()
	tokens, err := preferences.NewTokens(bytes.Repeat([]byte("k"), 32))
	if err != nil {
		t.Fatal(err)
	}
	return tokens
}

// TestEveryEmailAsMIME renders every email type in every language,
// composes and assembles it as the pipeline does, and reads it back as
// MIME: headers (one-click unsubscribe exactly on optional email), both
// parts in UTF-8, hostile input escaped in HTML and unable to add headers.
func TestEveryEmailAsMIME(t *testing.T) {
	r, err := templates.New()
	if err != nil {
		t.Fatal(err)
	}
	m, err := mailer.New(mailer.Options{Host: "127.0.0.1", Port: 25, From: "Coalition <no-reply@coalition.test>"})
	if err != nil {
		t.Fatal(err)
	}
	prefs := preferences.New(nil, testTokens(t), "https://coalition.test/")
	const to = "ana.silva@example.org"
	for _, name := range emailTypes {
		for _, lang := range templates.Languages() {
			cat := templates.CategoryOf(name)
			links := prefs.LinksFor(to, cat)
			data := sampleData()
			data[templates.KeyPreferencesURL], data[templates.KeyUnsubscribeURL] = links.Preferences, links.Unsubscribe
			rendered, err := r.Render(name, lang, data)
			if err != nil {
				t.Fatalf("%s/%s: %v", name, lang, err)
			}
			content := outgoing.Compose(rendered, links, nil)
			msg := outgoing.Message(store.Delivery{Recipient: to, MessageID: "d1@coalition.test", Content: &content})
			built, err := m.Build(msg)
			if err != nil {
				t.Fatalf("%s/%s: build: %v", name, lang, err)
			}
			var raw bytes.Buffer
			if _, err := built.WriteTo(&raw); err != nil {
				t.Fatal(err)
			}
			checkMIME(t, name+"/"+lang, raw.Bytes(), cat, links)
		}
	}
}

func checkMIME(t *testing.T, what string, raw []byte, cat templates.Category, links preferences.Links) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: not RFC 5322: %v\n%s", what, err, raw)
	}
	h := msg.Header
	if a, err := mail.ParseAddress(h.Get("To")); err != nil || a.Address != "ana.silva@example.org" {
		t.Errorf("%s: To %q", what, h.Get("To"))
	}
	if h.Get("Bcc") != "" || h.Get("X-Injected") != "" {
		t.Errorf("%s: data added a header", what)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil || subject == "" || strings.ContainsAny(subject, "\r\n") {
		t.Errorf("%s: Subject %q (%v)", what, subject, err)
	}
	if h.Get("Message-Id") != "<d1@coalition.test>" || h.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("%s: Message-ID %q, Auto-Submitted %q", what, h.Get("Message-Id"), h.Get("Auto-Submitted"))
	}
	lu, lup := h.Get("List-Unsubscribe"), h.Get("List-Unsubscribe-Post")
	if cat.Essential() {
		if lu != "" || lup != "" {
			t.Errorf("%s: transactional email with List-Unsubscribe %q", what, lu)
		}
	} else if lu != "<"+links.Unsubscribe+">" || lup != "List-Unsubscribe=One-Click" || !strings.HasPrefix(links.Unsubscribe, "https://coalition.test/unsubscribe/") {
		t.Errorf("%s: List-Unsubscribe %q, -Post %q", what, lu, lup)
	}
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("%s: Content-Type %q", what, h.Get("Content-Type"))
	}
	parts := map[string]string{}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		pt, pp, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if !strings.EqualFold(pp["charset"], "utf-8") {
			t.Errorf("%s: %s charset %q", what, pt, pp["charset"])
		}
		parts[pt] = decode(t, p)
	}
	text, html := parts["text/plain"], parts["text/html"]
	if text == "" || html == "" || len(parts) != 2 {
		t.Fatalf("%s: parts %v", what, keys(parts))
	}
	if strings.Contains(html, "<script>") || strings.Contains(html, "<b>council") {
		t.Errorf("%s: hostile input not escaped in HTML", what)
	}
	for part, body := range map[string]string{"text": text, "html": html} {
		if !strings.Contains(body, links.Preferences) {
			t.Errorf("%s %s: no preferences link", what, part)
		}
		if !cat.Essential() && !strings.Contains(body, links.Unsubscribe) {
			t.Errorf("%s %s: no unsubscribe link", what, part)
		}
	}
}

func decode(t *testing.T, p *multipart.Part) string {
	t.Helper()
	var r io.Reader = p
	switch strings.ToLower(p.Header.Get("Content-Transfer-Encoding")) {
	case "base64":
		b, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		r = base64.NewDecoder(base64.StdEncoding, strings.NewReader(strings.NewReplacer("\r", "", "\n", "").Replace(string(b))))
	case "quoted-printable":
		r = quotedprintable.NewReader(p)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
