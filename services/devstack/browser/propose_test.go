package browser

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/auth"
)

// proposals lists the proposals waiting for a coordinator, as the
// coordinators' gRPC API shows them.
func proposals(t *testing.T) []*petitionv1.Proposal {
	t.Helper()
	token, err := shared.Token("browser-tests", optionsv1.Role_ROLE_COORDINATOR, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := grpc.NewClient(shared.Addresses().Petition, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithPerRPCCredentials(auth.BearerToken(token)))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := petitionv1.NewPetitionServiceClient(conn).ListProposals(ctx, &petitionv1.ListProposalsRequest{PageSize: 200})
	if err != nil {
		t.Fatalf("list proposals: %v", err)
	}
	return resp.GetProposals()
}

func proposalFor(t *testing.T, city string) *petitionv1.Proposal {
	t.Helper()
	for _, p := range proposals(t) {
		if p.GetPetition().GetCity() == city {
			return p
		}
	}
	return nil
}

// TestProposeAPetition: a resident proposes a petition for their city in
// Portuguese; the thanks page says a coordinator reviews it, and the
// coordinators see the proposal with its language.
func TestProposeAPetition(t *testing.T) {
	tb := newTab(t)
	const city = "Proposópolis"
	tb.open(t, "/?lang=pt", http.StatusOK)
	tb.navigateBy(t, "follow the link to propose a petition", http.StatusOK, chromedp.Click(chromedp.CSS(`#petitions a[href="/propose"]`)))
	tb.heading(t, "Proponha uma petição para a sua cidade")
	if got := eval[string](t, tb, `document.getElementById("language").value`); got != "pt" {
		t.Errorf("the text's language defaults to %q, want the page's (pt)", got)
	}
	tb.do(t, "fill the form",
		chromedp.SendKeys(chromedp.ID("city"), city),
		chromedp.SetValue(chromedp.ID("country"), "PT"),
		chromedp.SendKeys(chromedp.ID("region"), "Norte"),
		chromedp.SendKeys(chromedp.ID("title"), city+", adira à coalizão"),
		chromedp.SendKeys(chromedp.ID("text"), "Pedimos à câmara municipal que proteja os direitos digitais.\n\nA privacidade importa."),
		chromedp.SendKeys(chromedp.ID("proposer_name"), "Paula Proposta"),
		chromedp.SendKeys(chromedp.ID("proposer_email"), "paula.proposta@example.org"),
	)
	tb.navigateBy(t, "send the proposal", http.StatusOK, chromedp.Click(chromedp.CSS(`form[action="/propose"] button[type="submit"]`)))
	tb.heading(t, "Obrigado pela sua proposta")
	if lead := tb.text(t, "main .lead"); !strings.Contains(lead, city) {
		t.Errorf("thanks page %q does not name the city", lead)
	}
	if next := tb.text(t, "main .lead + p"); !strings.Contains(next, "coordenador") {
		t.Errorf("thanks page does not say a coordinator reviews it: %q", next)
	}
	tb.screenshot(t, "proposed-pt")

	p := proposalFor(t, city)
	if p == nil {
		t.Fatal("the coordinators do not see the proposal")
	}
	pt := p.GetPetition()
	if pt.GetCountry() != "PT" || pt.GetRegion() != "Norte" || len(pt.GetTexts()) != 1 || pt.GetTexts()[0].GetLanguage() != "pt" ||
		p.GetProposerEmail() != "paula.proposta@example.org" || pt.GetStatus() != petitionv1.PetitionStatus_PETITION_STATUS_PROPOSED {
		t.Errorf("proposal as stored: %v", p)
	}
	// Not public until a coordinator publishes it.
	tb.open(t, "/petitions", http.StatusOK)
	if body := tb.text(t, "main"); strings.Contains(body, city) {
		t.Error("the proposal is listed among the public petitions")
	}
}

// TestProposeErrorsByKeyboard: sent empty from the keyboard, the form comes
// back with a summary that is announced and takes focus, each message links
// to its field, which is marked invalid and described by its message; and
// nothing was proposed.
func TestProposeErrorsByKeyboard(t *testing.T) {
	tb := newTab(t)
	before := len(proposals(t))
	tb.open(t, "/propose", http.StatusOK)
	tb.heading(t, "Propose a petition for your city")

	// Tab from the top of the page to the form's submit button, every stop
	// showing its focus.
	f := press(t, tb, keyTab)
	if !strings.Contains(f.Text, "Skip to content") {
		t.Fatalf("first Tab reached %s, want the skip link", f)
	}
	if f = press(t, tb, keyEnter); f.ID != "main" {
		t.Fatalf("Enter on the skip link moved focus to %s", f)
	}
	var order []string
	for range 40 {
		f = press(t, tb, keyTab)
		mustSeeFocus(t, f)
		if f.ID != "" {
			order = append(order, f.ID)
		}
		if f.Tag == "BUTTON" {
			break
		}
	}
	if f.Tag != "BUTTON" {
		t.Fatalf("40 Tabs never reached the submit button (fields: %v)", order)
	}
	want := []string{"city", "country", "region", "title", "text", "language", "proposer_name", "proposer_email"}
	if positions(order, want) == nil {
		t.Fatalf("fields reached in the order %v, want %v", order, want)
	}
	tb.navigateBy(t, "Enter on the submit button with an empty form", http.StatusBadRequest, pressing(keyEnter, false))
	tb.do(t, "wait for the error summary", chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	if title := eval[string](t, tb, `document.title`); !strings.HasPrefix(title, "Error") {
		t.Errorf("title %q should start with Error", title)
	}
	if role := eval[string](t, tb, `document.querySelector(".error-summary").getAttribute("role")`); role != "alert" {
		t.Errorf("the summary is not announced (role %q)", role)
	}
	if f = active(t, tb); !f.Summary {
		t.Errorf("focus is on %s, not on the error summary", f)
	}
	type fieldError struct {
		Field, Link, Invalid, Described string
	}
	errs := eval[[]fieldError](t, tb, `Array.from(document.querySelectorAll('.error-summary a[href^="#"]')).map(a => {
	  const el = document.getElementById(a.getAttribute("href").slice(1));
	  const ids = el ? (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean) : [];
	  return {Field: el ? el.id : "", Link: a.textContent.trim(), Invalid: el ? (el.getAttribute("aria-invalid") || "") : "",
	    Described: ids.map(id => (document.getElementById(id) || {textContent: ""}).textContent.trim()).join(" | ")};
	})`)
	fields := map[string]bool{}
	for _, e := range errs {
		fields[e.Field] = true
		if e.Invalid != "true" || !strings.Contains(e.Described, e.Link) {
			t.Errorf("field %q: aria-invalid %q, described by %q, message %q", e.Field, e.Invalid, e.Described, e.Link)
		}
	}
	for _, want := range []string{"city", "country", "title", "text", "proposer_name", "proposer_email"} {
		if !fields[want] {
			t.Errorf("no error for %s (got %+v)", want, errs)
		}
	}
	if fields["region"] {
		t.Error("the optional region is flagged")
	}
	tb.screenshot(t, "propose-errors")

	// Tab reaches the summary's first link; Enter goes to the city field.
	if f = press(t, tb, keyTab); !f.Summary || f.Tag != "A" {
		t.Fatalf("Tab from the summary reached %s, want its first link", f)
	}
	press(t, tb, keyEnter)
	if _, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](`location.hash === "#city"`, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("Enter on the first summary link did not go to #city: %v", err)
	}
	if n := len(proposals(t)); n != before {
		t.Errorf("%d proposals after a refused form, want %d", n, before)
	}
}
