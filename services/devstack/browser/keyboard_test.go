package browser

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// focused describes document.activeElement and whether its focus can be seen.
type focused struct {
	ID       string `json:"id"`
	Tag      string `json:"tag"`
	Type     string `json:"type"`
	Text     string `json:"text"`
	Checked  bool   `json:"checked"`
	Visible  bool   `json:"visible"` // outline or box-shadow drawn
	Matches  bool   `json:"matches"` // :focus-visible applies
	Style    string `json:"style"`
	InForm   bool   `json:"inForm"`
	Summary  bool   `json:"summary"` // inside the error summary
	IsBody   bool   `json:"isBody"`
	Required bool   `json:"required"`
}

func (f focused) String() string {
	s := strings.ToLower(f.Tag)
	if f.ID != "" {
		s += "#" + f.ID
	}
	if f.Type != "" {
		s += "[" + f.Type + "]"
	}
	if f.Text != "" {
		s += " " + f.Text
	}
	return s
}

const activeElementJS = `(() => {
  const el = document.activeElement || document.body;
  const cs = getComputedStyle(el);
  const outline = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0;
  const shadow = cs.boxShadow !== "none" && cs.boxShadow !== "";
  return {
    id: el.id || "", tag: el.tagName, type: el.getAttribute("type") || "",
    text: (el.tagName === "A" || el.tagName === "BUTTON") ? el.textContent.trim().slice(0, 40) : "",
    checked: !!el.checked, visible: outline || shadow, matches: el.matches(":focus-visible"),
    style: "outline: " + cs.outlineStyle + " " + cs.outlineWidth + " " + cs.outlineColor + "; box-shadow: " + cs.boxShadow,
    inForm: !!el.closest('form[action$="/sign"]'), summary: !!el.closest(".error-summary"),
    isBody: el === document.body, required: !!el.required,
  };
})()`

func active(t *testing.T, tb *tab) focused {
	t.Helper()
	return eval[focused](t, tb, activeElementJS)
}

// Keys pressed by [press]. (Text is typed with chromedp.KeyEvent.)
const (
	keyTab   = "Tab"
	keyEnter = "Enter"
	keySpace = "Space"
)

// press sends one key as real key events (Input.dispatchKeyEvent) to
// whatever has focus, and returns what has focus then.
func press(t *testing.T, tb *tab, key string, shift ...bool) focused {
	t.Helper()
	name := key
	if len(shift) > 0 && shift[0] {
		name = "Shift+" + key
	}
	tb.do(t, "press "+name, pressing(key, len(shift) > 0 && shift[0]))
	return active(t, tb)
}

// pressing is the action of pressing key, as Chrome gets it from a
// keyboard: a keyDown carrying the key's text, from which Chrome makes the
// keypress itself, then a keyUp. (A separate char event, as
// chromedp.KeyEvent sends, would reach the element that the keyDown moved
// focus to: Enter on a link to #name would then also submit the form that
// #name belongs to.)
func pressing(key string, shift bool) chromedp.Action[chromedp.Void] {
	down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: key, Code: key}
	switch key {
	case keyTab:
		down.WindowsVirtualKeyCode = 9
	case keyEnter:
		down.WindowsVirtualKeyCode, down.Text = 13, "\r"
	case keySpace:
		down.Key, down.WindowsVirtualKeyCode, down.Text = " ", 32, " "
	default:
		panic("pressing: unknown key " + key)
	}
	if shift {
		down.Modifiers = int64(chromedp.ModifierShift)
	}
	down.NativeVirtualKeyCode, down.UnmodifiedText = down.WindowsVirtualKeyCode, down.Text
	up := down
	up.Type, up.Text, up.UnmodifiedText = input.DispatchKeyEventTypeKeyUp, "", ""
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for _, ev := range []input.DispatchKeyEventParams{down, up} {
			if _, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, ev); err != nil {
				return err
			}
		}
		return nil
	})
}

// mustSeeFocus fails unless the focused element shows where focus is.
func mustSeeFocus(t *testing.T, f focused) {
	t.Helper()
	if f.IsBody {
		t.Fatalf("focus fell back to the page body")
	}
	if !f.Visible {
		t.Errorf("focus on %s is not visible (%s)", f, f.Style)
	}
}

// formControls lists the sign form's focusable controls in document order.
func formControls(t *testing.T, tb *tab) []string {
	t.Helper()
	return eval[[]string](t, tb, `Array.from(document.querySelectorAll('form[action$="/sign"] :is(input:not([type=hidden]), select, textarea, button)')).filter(e => !e.disabled).map(e => e.id || e.tagName.toLowerCase())`)
}

// tabToForm presses Tab from the skip link until focus enters the sign
// form, checking that every stop on the way shows its focus.
func tabToForm(t *testing.T, tb *tab) focused {
	t.Helper()
	f := press(t, tb, keyTab)
	if f.Tag != "A" || !strings.Contains(f.Text, "Skip to content") {
		t.Fatalf("first Tab reached %s, want the skip link", f)
	}
	mustSeeFocus(t, f)
	if f = press(t, tb, keyEnter); f.ID != "main" {
		t.Fatalf("Enter on the skip link moved focus to %s, want main", f)
	}
	for range 30 {
		f = press(t, tb, keyTab)
		mustSeeFocus(t, f)
		if f.InForm {
			return f
		}
	}
	t.Fatalf("30 Tabs after the skip link never reached the sign form (last: %s)", f)
	return f
}

// TestKeyboardOnlySign: with nothing but Tab, Shift+Tab, Space and Enter a
// resident reaches every field of the sign form in order, always sees
// where focus is, and signs.
func TestKeyboardOnlySign(t *testing.T) {
	tb := newTab(t)
	id := newPetition(t, "Keyborough")
	const email = "kim.keyborough@example.org"
	tb.open(t, "/petitions/"+id, http.StatusOK)
	tb.do(t, "wait for the form", chromedp.WaitVisible(chromedp.ID("name")))

	controls := formControls(t, tb)
	want := []string{"name", "email", "lives_or_works_in_city"}
	if pos := positions(controls, want); pos == nil {
		t.Fatalf("form controls %v: want %v in this order", controls, want)
	}
	if last := controls[len(controls)-1]; last != "button" {
		t.Fatalf("form controls %v: the submit button should come last", controls)
	}
	if n := eval[int](t, tb, `document.querySelectorAll('[tabindex]:not([tabindex="-1"]):not([tabindex="0"])').length`); n != 0 {
		t.Errorf("%d elements with a positive tabindex: they break the reading order", n)
	}

	f := tabToForm(t, tb)
	for i, ctl := range controls {
		if i > 0 {
			f = press(t, tb, keyTab)
		}
		if got := focusKey(f); got != ctl {
			t.Fatalf("Tab %d in the form reached %s, want %s (order %v)", i+1, f, ctl, controls)
		}
		mustSeeFocus(t, f)
		switch {
		case ctl == "name":
			tb.do(t, "type the name", chromedp.KeyEvent("Kim Keyborough"))
		case ctl == "email":
			tb.do(t, "type the email", chromedp.KeyEvent(email))
		case ctl == "lives_or_works_in_city" || ctl == "notify_outcome" || (f.Type == "checkbox" && f.Required):
			if f = press(t, tb, keySpace); !f.Checked {
				t.Fatalf("Space did not tick %s", f)
			}
		case ctl == "button":
			// Shift+Tab goes back to the previous control, Tab returns.
			if back := press(t, tb, keyTab, true); focusKey(back) != controls[i-1] {
				t.Fatalf("Shift+Tab from the submit button reached %s, want %s", back, controls[i-1])
			}
			if f = press(t, tb, keyTab); focusKey(f) != "button" {
				t.Fatalf("Tab back reached %s, want the submit button", f)
			}
		}
	}
	if v := eval[string](t, tb, `document.getElementById("email").value`); v != email {
		t.Fatalf("email field holds %q after typing, want %q", v, email)
	}
	tb.navigateBy(t, "Enter on the submit button", http.StatusOK, pressing(keyEnter, false))
	tb.heading(t, "Check your email")
	confirmationLink(t, email) // the signature really was taken
}

// TestKeyboardSignErrors: sending the form empty from the keyboard shows an
// error summary that is announced and takes focus, and each field names its
// own message.
func TestKeyboardSignErrors(t *testing.T) {
	tb := newTab(t)
	id := newPetition(t, "Errorton")
	tb.open(t, "/petitions/"+id, http.StatusOK)
	tb.do(t, "wait for the form", chromedp.WaitVisible(chromedp.ID("name")))
	controls := formControls(t, tb)

	f := tabToForm(t, tb)
	for range len(controls) - 1 {
		f = press(t, tb, keyTab)
	}
	if focusKey(f) != "button" {
		t.Fatalf("Tab through the form ended on %s, want the submit button", f)
	}
	tb.navigateBy(t, "Enter on the submit button with an empty form", http.StatusBadRequest, pressing(keyEnter, false))
	tb.do(t, "wait for the error summary", chromedp.WaitVisible(chromedp.CSS(".error-summary")))

	if title := eval[string](t, tb, `document.title`); !strings.HasPrefix(title, "Error") {
		t.Errorf("title %q should start with Error", title)
	}
	// Announced: a live region (role=alert is assertive and live).
	if live := eval[string](t, tb, `(() => { const s = document.querySelector(".error-summary"); return s.getAttribute("role") || s.getAttribute("aria-live") || ""; })()`); live != "alert" && live != "assertive" && live != "polite" {
		t.Errorf("the error summary is not announced: role/aria-live %q", live)
	}
	// Focus moves to the summary (or the page starts with it).
	f = active(t, tb)
	startsWithSummary := eval[bool](t, tb, `(() => { const m = document.querySelector("main"); const s = document.querySelector(".error-summary"); const h = m.querySelector("h1, h2, h3, p, form, .error-summary"); return h === s; })()`)
	if !f.Summary && !startsWithSummary {
		t.Errorf("after the failed submit focus is on %s and the page does not start with the error summary", f)
	}
	if f.Summary {
		mustSeeFocus(t, f)
	}

	// Each message in the summary links to its field, and each invalid field
	// is marked and described by its own message.
	type fieldError struct {
		Field     string `json:"field"`
		Link      string `json:"link"`
		Invalid   string `json:"invalid"`
		Described string `json:"described"`
	}
	errs := eval[[]fieldError](t, tb, `Array.from(document.querySelectorAll('.error-summary a[href^="#"]')).map(a => {
	  const el = document.getElementById(a.getAttribute("href").slice(1));
	  const ids = el ? (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean) : [];
	  return {
	    field: el ? el.id : "", link: a.textContent.trim(),
	    invalid: el ? (el.getAttribute("aria-invalid") || "") : "",
	    described: ids.map(id => (document.getElementById(id) || {textContent: ""}).textContent.trim()).join(" | "),
	  };
	})`)
	fields := map[string]bool{}
	for _, e := range errs {
		fields[e.Field] = true
		if e.Field == "" {
			t.Errorf("summary link %q points at no field", e.Link)
			continue
		}
		if e.Invalid != "true" {
			t.Errorf("field %s is not aria-invalid", e.Field)
		}
		if !strings.Contains(e.Described, e.Link) {
			t.Errorf("field %s is described by %q, which lacks its message %q", e.Field, e.Described, e.Link)
		}
	}
	for _, want := range []string{"name", "email", "lives_or_works_in_city"} {
		if !fields[want] {
			t.Errorf("no error for %s in the summary (got %+v)", want, errs)
		}
	}

	// From the summary, Tab reaches its first link, and Enter on it takes the
	// resident to the field.
	if !f.Summary {
		return
	}
	if f = press(t, tb, keyTab); !f.Summary || f.Tag != "A" {
		t.Fatalf("Tab from the summary reached %s, want its first link", f)
	}
	mustSeeFocus(t, f)
	press(t, tb, keyEnter)
	if _, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](`location.hash === "#name"`, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("Enter on the first summary link did not go to #name: %v", err)
	}
	// Following #name focuses the field, or at least moves the sequential
	// focus start to it, so that the next Tab lands just after it.
	if f = active(t, tb); focusKey(f) != "name" {
		if f = press(t, tb, keyTab); focusKey(f) != "email" && focusKey(f) != "name" {
			t.Errorf("after following the first summary link, focus is not at the name field (Tab reached %s)", f)
		}
	}
}

func focusKey(f focused) string {
	if f.ID != "" {
		return f.ID
	}
	return strings.ToLower(f.Tag)
}

// positions returns the index of each of want in have, if they appear in
// this order; nil otherwise.
func positions(have, want []string) []int {
	var out []int
	i := 0
	for _, w := range want {
		for i < len(have) && have[i] != w {
			i++
		}
		if i == len(have) {
			return nil
		}
		out = append(out, i)
	}
	return out
}
