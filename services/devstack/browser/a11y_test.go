package browser

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// wcagTags are the axe-core rule tags of WCAG 2.1 levels A and AA.
var wcagTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

type axeViolation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target  []string `json:"target"`
		HTML    string   `json:"html"`
		Summary string   `json:"summary"`
	} `json:"nodes"`
}

// axeCheck injects axe-core into the page (only this test does; the page
// itself loads nothing from elsewhere) and fails t on any WCAG 2.1 A/AA
// violation, naming the rule, its impact, the elements and the help page.
func axeCheck(t *testing.T, tb *tab, page string) {
	t.Helper()
	if axeSource == "" {
		if onCI {
			t.Fatalf("accessibility check of %s: %s", page, axeMissing)
		}
		t.Skipf("accessibility check of %s skipped: %s", page, axeMissing)
	}
	if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`typeof axe !== "undefined" || (() => {`+axeSource+"\n;return true})()")); err != nil {
		t.Fatalf("inject axe-core into %s: %v", page, err)
	}
	tags := `["` + strings.Join(wcagTags, `","`) + `"]`
	script := `axe.run(document, {runOnly: {type: "tag", values: ` + tags + `}, resultTypes: ["violations"]})
	  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
	    nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html, summary: n.failureSummary || ""}))})))`
	violations, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]axeViolation](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe.run on %s: %v", page, err)
	}
	for _, v := range violations {
		var b strings.Builder
		fmt.Fprintf(&b, "%s: axe %s (%s): %s\n  %s", page, v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n  - %s  %s", strings.Join(n.Target, " "), n.HTML)
			if n.Summary != "" {
				fmt.Fprintf(&b, "\n    %s", strings.ReplaceAll(n.Summary, "\n", "\n    "))
			}
		}
		t.Error(b.String())
	}
}

// colorScheme switches the tab's prefers-color-scheme ("" for the default).
func colorScheme(t *testing.T, tb *tab, scheme string) {
	t.Helper()
	params := emulation.SetEmulatedMediaParams{}
	if scheme != "" {
		params.Features = []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}
	}
	if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, params); err != nil {
		t.Fatalf("emulate %s colour scheme: %v", scheme, err)
	}
}

// TestMainPages walks a resident's way through the main pages in one tab:
// home, a petition (also with errors), the check-your-email page, the dev
// mail inbox and the message, the thank-you page, and the not-found page.
// On each it runs axe-core (WCAG 2.1 A/AA, in the light and the dark colour
// scheme) and keeps a full-page screenshot; at the end every request the
// pages made must have gone to the gateway itself.
func TestMainPages(t *testing.T) {
	tb := newTab(t)
	id := newPetition(t, "Tourville")
	const email = "tess.tourville@example.org"

	check := func(name, heading string, dark bool) {
		t.Helper()
		tb.heading(t, heading)
		t.Run(name, func(t *testing.T) {
			tb.screenshot(t, name)
			axeCheck(t, tb, name)
			if dark {
				colorScheme(t, tb, "dark")
				defer colorScheme(t, tb, "")
				tb.screenshot(t, name+"-dark")
				axeCheck(t, tb, name+" (dark)")
			}
		})
	}

	tb.open(t, "/", http.StatusOK)
	check("home", "Cities Coalition for Digital Rights", true)

	tb.navigateBy(t, "follow the link to the petition", http.StatusOK, chromedp.Click(chromedp.CSS(`#petitions a[href="/petitions/`+id+`"]`)))
	check("petition", "Tourville, join the coalition", true)

	tb.navigateBy(t, "send the form empty", http.StatusBadRequest, chromedp.Click(chromedp.CSS(`form[action$="/sign"] button[type="submit"]`)))
	tb.do(t, "wait for the error summary", chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	check("petition-errors", "Tourville, join the coalition", true)

	tb.do(t, "fill the sign form",
		chromedp.SendKeys(chromedp.ID("name"), "Tess Tourville"),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.Click(chromedp.ID("lives_or_works_in_city")),
	)
	tickRequiredBoxes(t, tb)
	tb.navigateBy(t, "submit the sign form", http.StatusOK, chromedp.Click(chromedp.CSS(`form[action$="/sign"] button[type="submit"]`)))
	check("signed", "Check your email", false)

	link, msgID := confirmationLink(t, email)
	tb.open(t, "/dev/mail", http.StatusOK)
	check("dev-mail", "Inbox", false)
	tb.navigateBy(t, "open the email in the inbox", http.StatusOK, chromedp.Click(chromedp.CSS(`a[href$="/messages/`+msgID+`"]`)))
	check("dev-mail-message", "Tourville", false)

	tb.openURL(t, link, http.StatusOK)
	check("confirmed", "Thank you for signing", true)

	tb.open(t, "/no-such-page", http.StatusNotFound)
	check("not-found", "Page not found", false)

	t.Run("no third-party requests", func(t *testing.T) {
		reqs := tb.requests()
		if !containsSuffix(reqs, "/static/style.css") {
			t.Fatalf("the stylesheet request was not recorded; requests: %v", reqs)
		}
		tb.assertOwnOrigin(t)
		t.Logf("%d requests, all to %s", len(reqs), gateway(""))
	})
}

func containsSuffix(list []string, suffix string) bool {
	for _, s := range list {
		if strings.HasSuffix(s, suffix) {
			return true
		}
	}
	return false
}
