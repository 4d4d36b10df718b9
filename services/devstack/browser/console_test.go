package browser

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cc4dr/coalition/services/devstack/stack"
)

// consoleLogin is the launcher's demo console account for role.
func consoleLogin(t *testing.T, role string) stack.ConsoleLogin {
	t.Helper()
	for _, l := range shared.ConsoleLogins() {
		if l.Role == role {
			return l
		}
	}
	t.Fatalf("the launcher seeded no %s console account", role)
	return stack.ConsoleLogin{}
}

// consolePage checks the heading, keeps a screenshot and runs axe-core on
// the page (light and dark colour schemes).
func consolePage(t *testing.T, tb *tab, name, heading string) {
	t.Helper()
	tb.heading(t, heading)
	t.Run(name, func(t *testing.T) {
		tb.screenshot(t, "console-"+name)
		axeCheck(t, tb, "console "+name)
		colorScheme(t, tb, "dark")
		defer colorScheme(t, tb, "")
		axeCheck(t, tb, "console "+name+" (dark)")
	})
}

// signInWithMouse fills and sends the sign-in form as a person would.
func signInWithMouse(t *testing.T, tb *tab, l stack.ConsoleLogin) {
	t.Helper()
	tb.do(t, "fill the sign-in form",
		chromedp.Clear(chromedp.ID("sign-in-username")),
		chromedp.SendKeys(chromedp.ID("sign-in-username"), l.Username),
		chromedp.SendKeys(chromedp.ID("sign-in-password"), l.Password),
	)
	tb.navigateBy(t, "sign in", http.StatusOK, chromedp.Click(chromedp.CSS(`form[action="/console/sign-in"] button[type="submit"]`)))
}

// TestConsoleCoordinatorApproves: a coordinator opens the console, is sent
// to sign in, signs in, reviews the demo application from Valencia (starts
// the review, approves), finds Valencia in the members list, looks at the
// other screens, and signs out — after which the console asks to sign in
// again. Every page passes axe-core and is kept as a screenshot.
func TestConsoleCoordinatorApproves(t *testing.T) {
	tb := newTab(t)
	coord := consoleLogin(t, "coordinator")

	tb.open(t, "/console/", http.StatusOK) // redirected to the sign-in page
	consolePage(t, tb, "sign-in", "Sign in to the console")

	tb.do(t, "type a wrong password",
		chromedp.SendKeys(chromedp.ID("sign-in-username"), coord.Username),
		chromedp.SendKeys(chromedp.ID("sign-in-password"), "not the password"),
	)
	tb.navigateBy(t, "sign in with a wrong password", http.StatusBadRequest, chromedp.Click(chromedp.CSS(`form[action="/console/sign-in"] button[type="submit"]`)))
	tb.do(t, "wait for the error summary", chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	consolePage(t, tb, "sign-in-error", "Sign in to the console")

	signInWithMouse(t, tb, coord)
	consolePage(t, tb, "dashboard", "Dashboard")

	tb.navigateBy(t, "open Applications", http.StatusOK, chromedp.Click(chromedp.CSS(`nav a[href="/console/applications"]`)))
	consolePage(t, tb, "applications", "Applications")
	ids := eval[[]string](t, tb, `Array.from(document.querySelectorAll('table tbody tr')).filter(r => r.textContent.includes("Valencia") && r.textContent.includes("Submitted")).map(r => r.querySelector("a").getAttribute("href"))`)
	if len(ids) != 1 {
		t.Fatalf("the submitted demo application from Valencia is not listed once: %v", ids)
	}
	tb.navigateBy(t, "open Valencia's application", http.StatusOK, chromedp.Click(chromedp.CSS(`a[href="`+ids[0]+`"]`)))
	consolePage(t, tb, "application", "Application from Valencia")
	for _, want := range []string{"Council resolution", "Open data portal", "Open and ethical digital service standards", "History"} {
		if !strings.Contains(tb.text(t, "main"), want) {
			t.Errorf("the application page does not show %q", want)
		}
	}

	tb.navigateBy(t, "start the review", http.StatusOK, chromedp.Click(chromedp.CSS(`form[action$="/start-review"] button`)))
	if got := tb.text(t, ".flash"); got != "Review started." {
		t.Fatalf("after starting the review the page says %q", got)
	}
	tb.do(t, "send the reject form empty", chromedp.Click(chromedp.CSS(`form[action$="/reject"] button`)))
	tb.do(t, "wait for the reason's error", chromedp.WaitVisible(chromedp.ID("reject-reason-error")))
	consolePage(t, tb, "application-reject-error", "Application from Valencia")

	tb.navigateBy(t, "approve", http.StatusOK, chromedp.Click(chromedp.CSS(`form[action$="/approve"] button`)))
	if got := tb.text(t, ".flash"); !strings.Contains(got, "Application approved: Valencia is a member.") {
		t.Fatalf("after approving the page says %q", got)
	}

	tb.navigateBy(t, "open Members", http.StatusOK, chromedp.Click(chromedp.CSS(`nav a[href="/console/members"]`)))
	tb.do(t, "filter by country",
		chromedp.SendKeys(chromedp.ID("filters-country"), "ES"),
	)
	tb.navigateBy(t, "show Spanish members", http.StatusOK, chromedp.Click(chromedp.CSS(`form.filters button`)))
	consolePage(t, tb, "members", "Members")
	if !eval[bool](t, tb, `Array.from(document.querySelectorAll("table tbody th a")).some(a => a.textContent === "Valencia")`) {
		t.Fatalf("Valencia is not in the members list after approval:\n%s", tb.text(t, "main"))
	}
	member := eval[string](t, tb, `Array.from(document.querySelectorAll("table tbody th a")).find(a => a.textContent === "Valencia").getAttribute("href")`)
	tb.navigateBy(t, "open Valencia", http.StatusOK, chromedp.Click(chromedp.CSS(`a[href="`+member+`"]`)))
	consolePage(t, tb, "member", "Valencia")

	tb.navigateBy(t, "open Bodies", http.StatusOK, chromedp.Click(chromedp.CSS(`nav a[href="/console/bodies"]`)))
	consolePage(t, tb, "bodies", "Bodies")
	board := eval[string](t, tb, `Array.from(document.querySelectorAll('table a')).find(a => a.textContent === "Leadership Board").getAttribute("href")`)
	tb.navigateBy(t, "open the Leadership Board", http.StatusOK, chromedp.Click(chromedp.CSS(`a[href="`+board+`"]`)))
	consolePage(t, tb, "body", "Leadership Board")

	for _, p := range []struct{ nav, name, heading string }{
		{"/console/proposals", "proposals", "Petition proposals"},
		{"/console/bursts", "bursts", "Suspicious bursts"},
		{"/console/deliveries", "deliveries", "Email deliveries"},
		{"/console/dead-letters", "dead-letters", "Dead letters"},
	} {
		tb.navigateBy(t, "open "+p.name, http.StatusOK, chromedp.Click(chromedp.CSS(`nav a[href="`+p.nav+`"]`)))
		consolePage(t, tb, p.name, p.heading)
	}

	tb.navigateBy(t, "sign out", http.StatusOK, chromedp.Click(chromedp.CSS(`form[action="/console/sign-out"] button`)))
	consolePage(t, tb, "signed-out", "Sign in to the console")
	if got := tb.text(t, "main .notice"); got != "You have signed out." {
		t.Errorf("after signing out the page says %q", got)
	}
	tb.open(t, "/console/applications", http.StatusOK)
	tb.heading(t, "Sign in to the console") // the session really ended
}

// TestConsoleRepresentative: the demo representative (Porto's) signs in,
// sees their city and their details, and is refused the coordinators' pages.
func TestConsoleRepresentative(t *testing.T) {
	tb := newTab(t)
	tb.open(t, "/console/sign-in", http.StatusOK)
	signInWithMouse(t, tb, consoleLogin(t, "representative"))
	consolePage(t, tb, "rep-dashboard", "Dashboard")
	if got := tb.text(t, "main"); !strings.Contains(got, "Porto") {
		t.Errorf("the representative's dashboard does not name their city:\n%s", got)
	}
	tb.navigateBy(t, "open Your city", http.StatusOK, chromedp.Click(chromedp.CSS(`nav a[href^="/console/members/"]`)))
	consolePage(t, tb, "rep-city", "Porto")
	tb.navigateBy(t, "open Your details", http.StatusOK, chromedp.Click(chromedp.CSS(`nav a[href="/console/me"]`)))
	consolePage(t, tb, "rep-me", "Your details")
	tb.open(t, "/console/applications", http.StatusForbidden)
	consolePage(t, tb, "rep-forbidden", "Not allowed")
}

// TestConsoleKeyboardSignIn: with only Tab and typing, a coordinator
// reaches the username, the password and the button in that order, always
// seeing where focus is, and signs in with Enter.
func TestConsoleKeyboardSignIn(t *testing.T) {
	tb := newTab(t)
	coord := consoleLogin(t, "coordinator")
	tb.open(t, "/console/sign-in", http.StatusOK)
	tb.do(t, "wait for the form", chromedp.WaitVisible(chromedp.ID("sign-in-username")))

	f := press(t, tb, keyTab)
	if f.Tag != "A" || !strings.Contains(f.Text, "Skip to content") {
		t.Fatalf("first Tab reached %s, want the skip link", f)
	}
	mustSeeFocus(t, f)
	if f = press(t, tb, keyEnter); f.ID != "main" {
		t.Fatalf("Enter on the skip link moved focus to %s, want main", f)
	}
	for range 10 {
		if f = press(t, tb, keyTab); f.ID == "sign-in-username" {
			break
		}
		mustSeeFocus(t, f)
	}
	if f.ID != "sign-in-username" {
		t.Fatalf("Tab never reached the username field (last: %s)", f)
	}
	mustSeeFocus(t, f)
	tb.do(t, "type the username", chromedp.KeyEvent(coord.Username))
	if f = press(t, tb, keyTab); f.ID != "sign-in-password" {
		t.Fatalf("Tab from the username reached %s, want the password", f)
	}
	mustSeeFocus(t, f)
	tb.do(t, "type the password", chromedp.KeyEvent(coord.Password))
	if f = press(t, tb, keyTab); f.Tag != "BUTTON" || f.Text != "Sign in" {
		t.Fatalf("Tab from the password reached %s, want the Sign in button", f)
	}
	mustSeeFocus(t, f)
	tb.navigateBy(t, "Enter on Sign in", http.StatusOK, pressing(keyEnter, false))
	tb.heading(t, "Dashboard")
	if got := tb.text(t, ".sign-out strong"); got != "Demo Coordinator (fictional)" {
		t.Errorf("signed in as %q", got)
	}
}
