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
