package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/kit/mailcatcher"
)

// newPetition opens a petition for city through the JSON API, as a
// coordinator, and returns its id.
func newPetition(t *testing.T, city string) string {
	t.Helper()
	token, err := shared.Token("browser-tests", optionsv1.Role_ROLE_COORDINATOR, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{
		"city": city, "country": "ES", "goal": 100,
		"texts": []map[string]string{{"language": "en", "title": city + ", join the coalition",
			"body": "We ask our city council to commit to digital rights.\n\nPrivacy, open standards and equal access online matter to everyone."}},
	})
	req, _ := http.NewRequest(http.MethodPost, gateway("/api/v1/petitions"), bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Petition struct {
			ID string `json:"id"`
		} `json:"petition"`
	}
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &out); err != nil || resp.StatusCode != http.StatusOK || out.Petition.ID == "" {
		t.Fatalf("create petition %s: HTTP %d %s (%v)", city, resp.StatusCode, raw, err)
	}
	return out.Petition.ID
}

var confirmLink = regexp.MustCompile(`https?://\S+/signatures/confirm\?token=[A-Za-z0-9_%-]+`)

// confirmationLink waits for the confirmation email to addr in the catcher
// and returns the link in its plain-text part.
func confirmationLink(t *testing.T, addr string) (link, messageID string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msg, err := shared.Mail().WaitFor(ctx, func(m mailcatcher.Message) bool {
		for _, to := range m.To {
			if strings.EqualFold(to, addr) {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("no email to %s: %v", addr, err)
	}
	text := plainText(t, msg.Raw)
	link = confirmLink.FindString(text)
	if link == "" {
		t.Fatalf("no confirmation link in the email:\n%s", text)
	}
	return link, msg.ID
}

// plainText returns the text/plain part of a MIME message.
func plainText(t *testing.T, raw []byte) string {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("email is not RFC 5322: %v", err)
	}
	mediaType, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("email content type: %v", err)
	}
	decode := func(cte string, r io.Reader) string {
		if strings.EqualFold(cte, "quoted-printable") {
			r = quotedprintable.NewReader(r)
		}
		b, _ := io.ReadAll(r)
		return string(b)
	}
	if !strings.HasPrefix(mediaType, "multipart/") {
		return decode(m.Header.Get("Content-Transfer-Encoding"), m.Body)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err != nil {
			t.Fatalf("no text/plain part in the email (%v)", err)
		}
		if ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type")); ct == "text/plain" {
			return decode(part.Header.Get("Content-Transfer-Encoding"), part)
		}
	}
}
