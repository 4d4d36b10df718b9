package e2e

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cc4dr/coalition/services/kit/mailcatcher"
)

// postPage sends a page's form as a browser on the site would.
func postPage(t *testing.T, path, acceptLanguage string, form url.Values) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, shared.Addresses().GatewayURL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Accept-Language", acceptLanguage)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestErasureRequestedFromThePage: the "erase my data" page in French asks
// for the link, which arrives in French; a bad address gets the form back
// with the message beside the field, and no email.
func TestErasureRequestedFromThePage(t *testing.T) {
	p := newPetition(t, "Effaceville")
	const email = "eve.effaceville@example.org"
	if status := api(t, "POST", "/api/v1/petitions/"+p.ID+"/signatures", "", signature(email), nil); status != http.StatusOK {
		t.Fatalf("sign: HTTP %d", status)
	}
	waitForMail(t, email)
	shared.Mail().Clear()

	status, page := postPage(t, "/erasure", "fr-FR,fr;q=0.9", url.Values{"email": {"not an address"}, "language": {"fr"}})
	if status != http.StatusBadRequest || !strings.Contains(page, `<html lang="fr">`) || !strings.Contains(page, `id="email-error"`) ||
		!strings.Contains(page, `aria-invalid="true"`) || !strings.Contains(page, `value="not an address"`) {
		t.Fatalf("bad address: HTTP %d\n%s", status, page)
	}

	status, page = postPage(t, "/erasure", "fr-FR,fr;q=0.9", url.Values{"email": {email}, "language": {"fr"}})
	if status != http.StatusOK || !strings.Contains(page, "Consultez vos courriels") {
		t.Fatalf("erasure request: HTTP %d\n%s", status, page)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	toEve := func(m mailcatcher.Message) bool { return len(m.To) == 1 && strings.EqualFold(m.To[0], email) }
	msg, err := shared.Mail().WaitFor(ctx, toEve)
	if err != nil {
		t.Fatalf("no erasure email: %v", err)
	}
	if !strings.HasPrefix(msg.Subject, "Confirmez") {
		t.Errorf("erasure email subject %q, want it in French", msg.Subject)
	}
	time.Sleep(300 * time.Millisecond)
	if n := shared.Mail().Count(toEve); n != 1 {
		t.Errorf("%d emails, want only the one for the valid request", n)
	}
}
