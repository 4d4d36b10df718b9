package browser

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestResidentSignsAndConfirms: a resident finds a petition from the home
// page, signs it with the form, follows the link in the confirmation email
// and sees the signature counted.
func TestResidentSignsAndConfirms(t *testing.T) {
	tb := newTab(t)
	id := newPetition(t, "Signbury")
	const email = "ana.signbury@example.org"

	tb.open(t, "/", http.StatusOK)
	link := chromedp.CSS(`#petitions a[href="/petitions/` + id + `"]`)
	tb.do(t, "find the petition on the home page", chromedp.WaitVisible(link))
	tb.navigateBy(t, "follow the link to the petition", http.StatusOK, chromedp.Click(link))
	tb.heading(t, "Signbury, join the coalition")
	if got := tb.text(t, ".count strong"); got != "0" {
		t.Fatalf("count before signing: %q, want 0", got)
	}

	// Fill the form as a person would: type, tick, click.
	tb.do(t, "fill the sign form",
		chromedp.SendKeys(chromedp.ID("name"), "Ana Signbury"),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.Click(chromedp.ID("lives_or_works_in_city")),
		chromedp.Click(chromedp.ID("notify_outcome")),
	)
	// Any other box the form requires (a consent box, say) is ticked too.
	tickRequiredBoxes(t, tb)
	if !eval[bool](t, tb, `document.getElementById("lives_or_works_in_city").checked`) {
		t.Fatal("clicking the checkbox did not tick it")
	}
	tb.navigateBy(t, "submit the sign form", http.StatusOK, chromedp.Click(chromedp.CSS(`form[action$="/sign"] button[type="submit"]`)))
	tb.heading(t, "Check your email")

	confirm, _ := confirmationLink(t, email)
	if !strings.HasPrefix(confirm, gateway("/")) {
		t.Fatalf("confirmation link %s does not point at the gateway %s", confirm, gateway(""))
	}
	tb.openURL(t, confirm, http.StatusOK) // the link from the email
	tb.heading(t, "Thank you for signing")
	if got := tb.text(t, ".count strong"); got != "1" {
		t.Fatalf("count on the thank-you page: %q, want 1", got)
	}

	// The petition page shows the new count (counts are written in
	// batches: allow a short delay, bounded).
	deadline := time.Now().Add(10 * time.Second)
	for {
		tb.open(t, "/petitions/"+id, http.StatusOK)
		got := tb.text(t, ".count strong")
		if got == "1" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("petition page count %q, want 1", got)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// tickRequiredBoxes ticks every required checkbox of the sign form that is
// not ticked yet, by clicking it.
func tickRequiredBoxes(t *testing.T, tb *tab) {
	t.Helper()
	ids := eval[[]string](t, tb, `Array.from(document.querySelectorAll('form[action$="/sign"] input[type=checkbox][required]:not(:checked)')).map(e => e.id)`)
	for _, id := range ids {
		tb.do(t, "tick "+id, chromedp.Click(chromedp.ID(id)))
	}
}
