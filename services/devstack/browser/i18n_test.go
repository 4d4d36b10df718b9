package browser

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/cc4dr/coalition/services/kit/mailcatcher"
)

// acceptLanguage makes the tab's requests say Accept-Language: header, as a
// browser set to that language does.
func (tb *tab) acceptLanguage(t *testing.T, header string) {
	t.Helper()
	if _, err := chromedp.Call(tb.ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
		Headers: network.Headers{"Accept-Language": header},
	}); err != nil {
		t.Fatalf("set Accept-Language: %v", err)
	}
}

// pageLang is the page's <html lang>.
func pageLang(t *testing.T, tb *tab) string {
	t.Helper()
	return eval[string](t, tb, `document.documentElement.lang`)
}

// TestSpanishFromTheBrowser: a browser that asks for Spanish gets the pages
// in Spanish, numbers and all; the sign form carries the page's language,
// so the confirmation email is in Spanish too.
func TestSpanishFromTheBrowser(t *testing.T) {
	tb := newTab(t)
	tb.acceptLanguage(t, "es-ES,es;q=0.9,en;q=0.5")
	id := newPetition(t, "Castellón")
	const email = "carmen.castellon@example.org"

	tb.open(t, "/", http.StatusOK)
	tb.heading(t, "Coalición de Ciudades por los Derechos Digitales")
	if lang := pageLang(t, tb); lang != "es" {
		t.Fatalf("html lang %q, want es", lang)
	}
	if nav := tb.text(t, `nav[aria-label="Principal"]`); !strings.Contains(nav, "Peticiones") || !strings.Contains(nav, "Ciudades miembro") {
		t.Errorf("navigation not in Spanish: %q", nav)
	}
	tb.screenshot(t, "home-es")

	tb.navigateBy(t, "follow the link to the petition", http.StatusOK, chromedp.Click(chromedp.CSS(`#petitions a[href="/petitions/`+id+`"]`)))
	if got := tb.text(t, "#sign-heading"); got != "Firma esta petición" {
		t.Fatalf("sign heading %q", got)
	}
	if got := tb.text(t, ".count"); !strings.Contains(got, "de 100 firmas confirmadas") {
		t.Errorf("count %q", got)
	}
	if got := eval[string](t, tb, `document.querySelector('form[action$="/sign"] input[name=language]').value`); got != "es" {
		t.Fatalf("the sign form posts language %q, want es", got)
	}
	tb.do(t, "fill the sign form",
		chromedp.SendKeys(chromedp.ID("name"), "Carmen"),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.Click(chromedp.ID("lives_or_works_in_city")),
	)
	tickRequiredBoxes(t, tb)
	tb.navigateBy(t, "submit the sign form", http.StatusOK, chromedp.Click(chromedp.CSS(`form[action$="/sign"] button[type="submit"]`)))
	tb.heading(t, "Revisa tu correo")
	tb.screenshot(t, "signed-es")

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msg, err := shared.Mail().WaitFor(ctx, func(m mailcatcher.Message) bool {
		return len(m.To) == 1 && strings.EqualFold(m.To[0], email)
	})
	if err != nil {
		t.Fatalf("no confirmation email: %v", err)
	}
	if !strings.HasPrefix(msg.Subject, "Confirma tu firma") {
		t.Errorf("confirmation email subject %q, want it in Spanish", msg.Subject)
	}
}

// TestLanguageSwitcher: the switcher's links change the language, the
// choice outlives the page (a cookie), and it beats the browser's.
func TestLanguageSwitcher(t *testing.T) {
	tb := newTab(t)
	tb.acceptLanguage(t, "es-ES,es;q=0.9")
	tb.open(t, "/members", http.StatusOK)
	if lang := pageLang(t, tb); lang != "es" {
		t.Fatalf("html lang %q, want es", lang)
	}
	switcher := `nav.languages`
	if n := eval[int](t, tb, `document.querySelectorAll('`+switcher+` a[hreflang]').length`); n != 5 {
		t.Fatalf("%d languages in the switcher, want 5", n)
	}
	if cur := tb.text(t, switcher+` a[aria-current="true"]`); cur != "Español" {
		t.Errorf("current language %q", cur)
	}

	tb.navigateBy(t, "choose Français", http.StatusOK, chromedp.Click(chromedp.CSS(switcher+` a[hreflang="fr"]`)))
	tb.heading(t, "Annuaire des membres")
	if lang := pageLang(t, tb); lang != "fr" {
		t.Fatalf("html lang %q after choosing French", lang)
	}
	if cur := tb.text(t, switcher+` a[aria-current="true"]`); cur != "Français" {
		t.Errorf("current language %q", cur)
	}

	// Another page, without ?lang=: still French, though the browser asks
	// for Spanish.
	tb.open(t, "/assemblies", http.StatusOK)
	tb.heading(t, "Assemblées")
	tb.navigateBy(t, "follow the navigation to the home page", http.StatusOK, chromedp.Click(chromedp.CSS(`nav[aria-label="Principal"] a[href="/"]`)))
	tb.heading(t, "Coalition des villes pour les droits numériques")
	tb.screenshot(t, "home-fr")

	// The switcher is reachable from the keyboard: Catalan by Enter.
	tb.do(t, "focus the Catalan link", chromedp.Focus(chromedp.CSS(switcher+` a[hreflang="ca"]`)))
	tb.navigateBy(t, "Enter on Català", http.StatusOK, pressing(keyEnter, false))
	tb.heading(t, "Coalició de Ciutats pels Drets Digitals")
	tb.open(t, "/open-data", http.StatusOK)
	tb.heading(t, "Dades obertes")
}
