package browser

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// signAndConfirm signs a petition through the JSON API and follows the
// link in the confirmation email, so the petition has a confirmed count.
func signAndConfirm(t *testing.T, petitionID, email string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"name": "Chart Signer", "email": email, "lives_or_works_in_city": true, "language": "en"})
	resp, err := http.Post(gateway("/api/v1/petitions/"+petitionID+"/signatures"), "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sign: HTTP %d %s", resp.StatusCode, raw)
	}
	link, _ := confirmationLink(t, email)
	if resp, err = http.Get(link); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// TestPublicPagesAccessible runs axe-core (WCAG 2.1 A/AA) on every public
// page that is not in TestMainPages, in English and in Spanish (and the
// main ones in the dark colour scheme), keeping a screenshot of each.
func TestPublicPagesAccessible(t *testing.T) {
	id := newPetition(t, "Axebridge")
	signAndConfirm(t, id, "axel.axebridge@example.org")

	for _, lang := range []string{"en", "es"} {
		t.Run(lang, func(t *testing.T) {
			tb := newTab(t)
			check := func(name string, dark bool) {
				t.Helper()
				tb.do(t, "wait for the heading", chromedp.WaitVisible(chromedp.CSS("main h1")))
				if got := pageLang(t, tb); got != lang {
					t.Fatalf("%s: html lang %q, want %s", name, got, lang)
				}
				shot := name + "-" + lang
				tb.screenshot(t, shot)
				axeCheck(t, tb, shot)
				if dark {
					colorScheme(t, tb, "dark")
					tb.screenshot(t, shot+"-dark")
					axeCheck(t, tb, shot+" (dark)")
					colorScheme(t, tb, "")
				}
			}
			// The switcher's choice (a cookie) carries the language to every
			// page below.
			tb.open(t, "/?lang="+lang, http.StatusOK)
			check("home-filters", false)
			tb.navigateBy(t, "filter the member cities by region", http.StatusOK,
				chromedp.SetValue(chromedp.ID("region"), "150"),
				chromedp.Click(chromedp.CSS(`form.filters button[type="submit"]`)))
			if n := eval[int](t, tb, `document.querySelectorAll("ul.members li").length`); n == 0 {
				t.Error("no member city in Europe")
			}
			if strings.Contains(tb.text(t, "ul.members"), "New York") {
				t.Error("the Europe filter lists New York")
			}
			check("home-europe", false)

			tb.open(t, "/petitions", http.StatusOK)
			check("petitions", true)

			tb.open(t, "/petitions/"+id, http.StatusOK)
			// Counts are written in batches: wait for the confirmation.
			deadline := time.Now().Add(10 * time.Second)
			for eval[int](t, tb, `document.querySelectorAll(".chart rect.bar").length`) == 0 {
				if time.Now().After(deadline) {
					t.Fatal("no chart of confirmations on the petition page")
				}
				time.Sleep(200 * time.Millisecond)
				tb.open(t, "/petitions/"+id, http.StatusOK)
			}
			if caption := tb.text(t, ".chart figcaption"); caption == "" {
				t.Error("the chart has no text alternative")
			}
			if rows := eval[int](t, tb, `document.querySelectorAll(".chart-table tbody tr").length`); rows == 0 {
				t.Error("the chart has no table of its figures")
			}
			tb.do(t, "open the table of figures", chromedp.Click(chromedp.CSS(".chart-table summary")))
			check("petition-chart", true)

			tb.open(t, "/propose", http.StatusOK)
			check("propose", true)
			tb.navigateBy(t, "send the proposal form empty", http.StatusBadRequest, chromedp.Click(chromedp.CSS(`form[action="/propose"] button[type="submit"]`)))
			check("propose-errors", true)

			tb.open(t, "/assemblies", http.StatusOK)
			if n := eval[int](t, tb, `document.querySelectorAll(".assemblies > li").length`); n == 0 {
				t.Error("the demo's public assembly is not listed")
			}
			if zone := tb.text(t, ".assemblies .zone"); !strings.Contains(zone, "Europe/Madrid") {
				t.Errorf("the assembly's time zone is not named: %q", zone)
			}
			if n := eval[int](t, tb, `document.querySelectorAll('main a[href="/assemblies.ics"]').length`); n == 0 {
				t.Error("no link to the calendar feed")
			}
			check("assemblies", true)

			tb.open(t, "/members", http.StatusOK)
			check("members", false)

			tb.open(t, "/open-data", http.StatusOK)
			for _, href := range []string{"/open-data/members.csv", "/open-data/petitions.csv", "/assemblies.ics", "/api/v1/openapi.json"} {
				if n := eval[int](t, tb, `document.querySelectorAll('main a[href="`+href+`"]').length`); n == 0 {
					t.Errorf("the open-data page does not link %s", href)
				}
			}
			check("open-data", false)

			tb.open(t, "/erasure", http.StatusOK)
			check("erasure", false)
			tb.do(t, "type an address", chromedp.SendKeys(chromedp.ID("email"), "nobody."+lang+"@example.org"))
			tb.navigateBy(t, "ask for the erasure link", http.StatusOK, chromedp.Click(chromedp.CSS(`form[action="/erasure"] button[type="submit"]`)))
			check("erasure-sent", false)

			tb.open(t, "/signatures/withdraw?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", http.StatusOK)
			check("withdraw", false)
			tb.navigateBy(t, "withdraw with an unknown token", http.StatusNotFound, chromedp.Click(chromedp.CSS(`form.action-form button`)))
			check("withdraw-unknown", false)
		})
	}
}
