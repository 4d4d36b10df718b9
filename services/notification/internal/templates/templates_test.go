package templates

import (
	"strings"
	"testing"
)

func TestSignatureConfirmationEveryLanguage(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range append(Languages(), "de") {
		got, err := r.Render("signature_confirmation", lang, map[string]any{
			"Name": "Ana <script>", "City": "Lisboa", "PetitionTitle": "Lisboa, junta-te",
			"ConfirmURL": "https://example.org/signatures/confirm?token=abc", "ExpiresAt": "30 Nov 2026",
			"WithdrawURL": "https://example.org/signatures/withdraw?token=abc",
		})
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		for part, body := range map[string]string{"text": got.Text, "html": got.HTML} {
			if !strings.Contains(body, "/signatures/withdraw?token=abc") || strings.Contains(body, "no value") {
				t.Errorf("%s %s part lacks the withdraw link", lang, part)
			}
		}
		if !strings.Contains(got.Subject, "Lisboa, junta-te") || strings.Contains(got.Subject, "{{") {
			t.Errorf("%s subject: %q", lang, got.Subject)
		}
		for part, body := range map[string]string{"text": got.Text, "html": got.HTML} {
			if !strings.Contains(body, "token=abc") || !strings.Contains(body, "Lisboa") {
				t.Errorf("%s %s part lacks link or city:\n%s", lang, part, body)
			}
		}
		if strings.Contains(got.HTML, "<script>") || !strings.Contains(got.HTML, "Ana &lt;script&gt;") {
			t.Errorf("%s: name not escaped in HTML", lang)
		}
	}
}

func TestLanguageFallsBackToEnglish(t *testing.T) {
	if Language("de") != "en" || Language("ca") != "ca" {
		t.Fatal("fallback")
	}
}

func TestPetitionSucceededEveryLanguage(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range append(Languages(), "de") {
		got, err := r.Render("petition_succeeded", lang, map[string]any{
			"Name": "Ana <b>", "City": "Coimbra", "PetitionTitle": "Coimbra, junta-te",
			"PetitionURL": "https://example.org/petitions/p1",
		})
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		if !strings.Contains(got.Subject, "Coimbra") || strings.Contains(got.Subject, "{{") {
			t.Errorf("%s subject: %q", lang, got.Subject)
		}
		for part, body := range map[string]string{"text": got.Text, "html": got.HTML} {
			if !strings.Contains(body, "/petitions/p1") || !strings.Contains(body, "Coimbra") {
				t.Errorf("%s %s part lacks link or city:\n%s", lang, part, body)
			}
		}
		if strings.Contains(got.HTML, "<b>") {
			t.Errorf("%s: name not escaped in HTML", lang)
		}
	}
}

func TestErasureConfirmationEveryLanguage(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range append(Languages(), "de") {
		got, err := r.Render("erasure_confirmation", lang, map[string]any{
			"ConfirmURL": "https://example.org/erasure/confirm?token=abc", "ExpiresAt": "30 Nov 2026",
		})
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		for part, body := range map[string]string{"text": got.Text, "html": got.HTML} {
			if !strings.Contains(body, "token=abc") || !strings.Contains(body, "30 Nov 2026") || strings.Contains(body, "{{") {
				t.Errorf("%s %s part:\n%s", lang, part, body)
			}
		}
	}
}

// hostile is a name meant to break out of HTML and of a header.
const hostile = "Ana <script>alert(1)</script> & \"Co\"\r\nBcc: x@evil.test"

// sample is render data with every key the templates below use.
func sample() map[string]any {
	return map[string]any{
		"Name": hostile, "ContactName": hostile, "City": "Lisboa", "PetitionTitle": "Lisboa, junta-te <já>",
		"ConfirmURL": "https://example.org/signatures/confirm?token=abc", "WithdrawURL": "https://example.org/signatures/withdraw?token=abc",
		"ExpiresAt": "30 Nov 2026", "PetitionURL": "https://example.org/petitions/p1", "MembersURL": "https://example.org/members",
		"Milestone": int32(1000), "Count": int32(1012), "Goal": int32(5000), "ApplicationID": "app-1",
		"Reason":          "Missing <b>council</b> resolution",
		KeyPreferencesURL: "https://example.org/preferences/PREFTOKEN", KeyUnsubscribeURL: "https://example.org/unsubscribe/UNSUBTOKEN",
	}
}

// ours are the templates this file checks in depth (the assembly emails
// have their own tests); every one must be in every language.
var ours = []string{
	"signature_confirmation", "signature_already_confirmed", "signature_withdrawn", "erasure_confirmation",
	"petition_succeeded", "petition_milestone", "petition_goal_reached",
	"application_received", "application_approved", "application_rejected", "representative_welcome",
}

func TestEveryEmailInEveryLanguage(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	english := map[string]string{}
	for _, name := range ours {
		for _, lang := range Languages() {
			got, err := r.Render(name, lang, sample())
			if err != nil {
				t.Fatalf("%s/%s: %v", name, lang, err)
			}
			if lang == "en" {
				english[name] = got.Text
			} else if got.Text == english[name] {
				t.Errorf("%s/%s: text is the English one", name, lang)
			}
			for part, body := range map[string]string{"subject": got.Subject, "text": got.Text, "html": got.HTML} {
				if strings.Contains(body, "{{") || strings.Contains(body, "no value") || strings.TrimSpace(body) == "" {
					t.Errorf("%s/%s %s: unfilled:\n%s", name, lang, part, body)
				}
			}
			if strings.Contains(got.HTML, "<script>") || strings.Contains(got.HTML, "<b>council") || strings.Contains(got.HTML, "<já>") {
				t.Errorf("%s/%s: hostile input not escaped in HTML:\n%s", name, lang, got.HTML)
			}
			if !strings.Contains(got.HTML, `<html lang="`+lang+`">`) {
				t.Errorf("%s/%s: HTML not marked lang=%s", name, lang, lang)
			}
			cat := CategoryOf(name)
			if got.Category != cat {
				t.Errorf("%s: category %q, want %q", name, got.Category, cat)
			}
			// The footer: preferences always, unsubscribe on optional email only.
			for part, body := range map[string]string{"text": got.Text, "html": got.HTML} {
				if !strings.Contains(body, "/preferences/PREFTOKEN") {
					t.Errorf("%s/%s %s: no preferences link in the footer", name, lang, part)
				}
				if has := strings.Contains(body, "/unsubscribe/UNSUBTOKEN"); has == cat.Essential() {
					t.Errorf("%s/%s %s: unsubscribe link present=%v for a %s email", name, lang, part, has, cat)
				}
			}
			if i := strings.Index(got.HTML, "/preferences/PREFTOKEN"); i < 0 || i > strings.LastIndex(got.HTML, "</body>") {
				t.Errorf("%s/%s: footer not inside the body", name, lang)
			}
		}
	}
}

func TestTemplatesAreComplete(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	known := categories()
	for _, set := range wordSets() {
		for name, langs := range set() {
			if _, ok := known[name]; !ok {
				t.Errorf("template %s has no category in categories.go", name)
			}
			for _, lang := range Languages() {
				if len(langs[lang]) == 0 {
					t.Errorf("template %s has no %s phrases", name, lang)
					continue
				}
				for key := range langs["en"] {
					if _, ok := langs[lang][key]; !ok {
						t.Errorf("template %s/%s lacks %q", name, lang, key)
					}
				}
			}
		}
	}
	if len(r.Names()) < len(ours) {
		t.Errorf("only %d templates", len(r.Names()))
	}
	for _, c := range append(Optional(), Transactional) {
		for _, lang := range Languages() {
			if d := DescribeCategory(c, lang); d.Title == "" || d.Description == "" {
				t.Errorf("category %s has no %s text", c, lang)
			}
		}
	}
	if _, err := r.Render("no_such_template", "en", sample()); err == nil {
		t.Error("an unknown template rendered")
	}
	if _, err := r.Render("signature_confirmation", "en", map[string]any{}); err == nil {
		t.Error("missing data rendered")
	}
}

func TestLanguageTags(t *testing.T) {
	for in, want := range map[string]string{"pt-BR": "pt", "ES": "es", "fr_CA": "fr", "": "en", "de-DE": "en", "ca": "ca"} {
		if got := Language(in); got != want {
			t.Errorf("Language(%q) = %q, want %q", in, got, want)
		}
	}
}
