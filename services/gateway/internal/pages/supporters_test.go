package pages

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cc4dr/coalition/services/gateway/internal/i18n"
)

// TestRecentSupporters: the petition page lists the public signers it is
// given, escaped, with the day they confirmed, and has no such section when
// there are none.
func TestRecentSupporters(t *testing.T) {
	p, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	render := func(lang string, signers []publicSigner) string {
		t.Helper()
		data := samplePages(i18n.Get(lang))["petition"].(petitionPage)
		data.Signers = signers
		r := httptest.NewRequest(http.MethodGet, "/petitions/x?lang="+lang, nil)
		w := httptest.NewRecorder()
		p.localized(func(w http.ResponseWriter, r *http.Request) { p.render(w, r, http.StatusOK, "petition", "T", data) })(w, r)
		if w.Code != http.StatusOK {
			t.Fatalf("%s: HTTP %d", lang, w.Code)
		}
		return w.Body.String()
	}
	signers := []publicSigner{
		{Name: "Zoë <script>alert(1)</script>", ConfirmedAt: time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)},
		{Name: "Pau Casals", ConfirmedAt: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)},
	}
	for lang, heading := range map[string]string{"en": "Recent supporters", "es": "Apoyos recientes", "pt": "Apoios recentes"} {
		body := render(lang, signers)
		if !strings.Contains(body, heading) || !strings.Contains(body, "Pau Casals") || !strings.Contains(body, i18n.Get(lang).Date(signers[1].ConfirmedAt)) {
			t.Errorf("%s: supporters missing:\n%s", lang, body)
		}
		if strings.Contains(body, "<script>alert") || !strings.Contains(body, "Zoë &lt;script&gt;") {
			t.Errorf("%s: a name is not escaped", lang)
		}
	}
	if body := render("en", nil); strings.Contains(body, "supporters-heading") || strings.Contains(body, "Recent supporters") {
		t.Errorf("empty list still shows the section:\n%s", body)
	}
}
