package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cc4dr/coalition/services/kit/mailcatcher"
)

var preferencesLink = regexp.MustCompile(`https?://\S+/preferences/[A-Za-z0-9_-]+`)

// TestEmailPreferencesPage opens the preferences link of an email's footer
// in Chromium: the page passes axe-core (WCAG 2.1 A/AA, light and dark),
// and turning "petition news" off with the mouse works without JavaScript
// and says so; every request stays on the gateway.
func TestEmailPreferencesPage(t *testing.T) {
	tb := newTab(t)
	id := newPetition(t, "Prefville")
	const email = "pia.prefville@example.org"
	body, _ := json.Marshal(map[string]any{"name": "Pia", "email": email, "lives_or_works_in_city": true, "notify_outcome": true, "language": "en"})
	resp, err := http.Post(gateway("/api/v1/petitions/"+id+"/signatures"), "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sign: HTTP %d", resp.StatusCode)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msg, err := shared.Mail().WaitFor(ctx, func(m mailcatcher.Message) bool { return len(m.To) == 1 && strings.EqualFold(m.To[0], email) })
	if err != nil {
		t.Fatalf("no email to %s: %v", email, err)
	}
	link := preferencesLink.FindString(plainText(t, msg.Raw))
	if link == "" {
		t.Fatal("no preferences link in the email's footer")
	}

	tb.openURL(t, link, http.StatusOK)
	tb.heading(t, "Your email preferences")
	t.Run("preferences", func(t *testing.T) {
		tb.screenshot(t, "email-preferences")
		axeCheck(t, tb, "email preferences")
		colorScheme(t, tb, "dark")
		defer colorScheme(t, tb, "")
		axeCheck(t, tb, "email preferences (dark)")
	})

	tb.navigateBy(t, "turn petition news off", http.StatusOK,
		chromedp.Click(chromedp.CSS(`li:has(input[name="category"][value="petition_news"]) button[type="submit"]`)))
	tb.heading(t, "Your email preferences")
	if got := tb.text(t, `[role="status"]`); got != "Your choice is saved." {
		t.Errorf("notice %q", got)
	}
	if got := tb.text(t, "#state-petition_news"); got != "You do not receive these emails." {
		t.Errorf("petition news state %q after turning it off", got)
	}
	t.Run("saved", func(t *testing.T) {
		tb.screenshot(t, "email-preferences-saved")
		axeCheck(t, tb, "email preferences (saved)")
	})
	tb.assertOwnOrigin(t)
}
