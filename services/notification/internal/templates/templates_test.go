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
		})
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
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
