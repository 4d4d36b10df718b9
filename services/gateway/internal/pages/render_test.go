package pages

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/gateway/internal/i18n"
)

// samplePages is one filled-in value of every page's data.
func samplePages(loc *i18n.Locale) map[string]any {
	pt := petitionView{ID: "0190a3c4-1111-7000-8000-000000000001", City: "Lisbon", Country: "PT", Title: "Lisboa, junte-se", Lang: "pt",
		Body: []string{"Um.", "Dois."}, Goal: 1000, Count: 1234, Percent: 100, Status: loc.T("petition.status.open"), Open: true,
		ClosesAt: time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC)}
	stats := &petitionv1.GetPetitionStatsResponse{Days: []*petitionv1.DailyConfirmations{{Day: "2026-03-01", Confirmed: 3}, {Day: "2026-03-04", Confirmed: 40}}}
	chart, _ := buildChart(stats, true, time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC))
	home := homePage{Principles: principleList(loc), Petitions: []petitionView{pt}, Members: []memberView{{Name: "Barcelona", Country: "Spain", Region: "Catalonia"}},
		Regions: loc.WorldRegions(), Countries: []i18n.Place{{Code: "ES", Name: loc.Country("ES")}}, Region: "150", Filtered: true}
	return map[string]any{
		"home":      home,
		"petitions": petitionsPage{Open: []petitionView{pt}, Others: []petitionView{pt}, Next: "/petitions?page=x"},
		"petition": petitionPage{Petition: pt, Chart: chart, HasChart: true, Summary: chart.Summary(loc),
			Form:    signForm{Name: "<b>", Errors: map[string]string{"email": "bad"}, Other: []string{"other"}},
			Signers: []publicSigner{{Name: "Ana", ConfirmedAt: time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)}}},
		"signed":    signedPage{Petition: pt},
		"confirmed": confirmedPage{Petition: pt},
		"error":     message{Heading: "H", Message: "M"},
		"members": directoryPage{Members: []directoryEntry{{Name: "Barcelona", Kind: "City", Country: "Spain", Joined: time.Now(), Principles: []string{"P"}}},
			Kinds: []directoryOption{{"", "All"}}},
		"action": actionPage{Heading: "H", Message: "M", Action: "/x", Token: "t", Assembly: "a", Buttons: []actionButton{{Value: "v", Label: "L"}, {Value: "w", Label: "M", Secondary: true}}},
		"propose": proposePage{Form: proposeForm{Country: "PT", Language: "pt", Errors: map[string]string{"city": "c", "country": "k", "text": "t"}},
			Countries: loc.Countries(), Languages: i18n.Languages},
		"proposed": proposedPage{City: "Porto"},
		"erasure":  erasurePage{Email: "x", Error: "bad"},
		"assemblies": assembliesPage{Assemblies: []assemblyView{{ID: "a", Title: "T", Kind: "K", Day: "D", Start: "09:00", End: "10:00", Zone: "Europe/Madrid (CET, UTC+01:00)",
			UTC: "u", HostCity: "Barcelona", Online: "https://example.org", Agenda: []agendaView{{Title: "A", Minutes: 30}}, Capacity: 1200, Cancelled: true, CancelReason: "R"}}},
		"opendata": nil,
	}
}

// rawKey finds a catalogue key that reached the page untranslated.
var rawKey = regexp.MustCompile(`\b(nav|home|sign|supporters|chart|propose|members|error|assemblies|opendata|petition|petitions|footer|form)\.[a-z_]+(\.[a-z_]+)?\b`)

// TestEveryPageInEveryLanguage renders each page with sample data in each
// language: it renders, says its language, links the other languages, and
// shows no catalogue key in place of a text.
func TestEveryPageInEveryLanguage(t *testing.T) {
	p, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range i18n.Languages {
		loc := i18n.Get(lang.Code)
		data := samplePages(loc)
		for _, name := range pageNames {
			r := httptest.NewRequest(http.MethodGet, "/somewhere?x=1&lang="+lang.Code, nil)
			w := httptest.NewRecorder()
			p.localized(func(w http.ResponseWriter, r *http.Request) { p.render(w, r, http.StatusOK, name, "Title", data[name]) })(w, r)
			body := w.Body.String()
			if w.Code != http.StatusOK {
				t.Fatalf("%s/%s: %d %s", lang.Code, name, w.Code, body)
			}
			if !strings.Contains(body, `<html lang="`+lang.Code+`">`) {
				t.Errorf("%s/%s: no html lang", lang.Code, name)
			}
			for _, other := range i18n.Languages {
				if !strings.Contains(body, `href="/somewhere?lang=`+other.Code+`&amp;x=1"`) {
					t.Errorf("%s/%s: no switcher link to %s", lang.Code, name, other.Code)
				}
			}
			if m := rawKey.FindString(body); m != "" && !strings.Contains(m, ".csv") && !strings.Contains(m, ".ics") && !strings.Contains(m, ".json") {
				t.Errorf("%s/%s: untranslated key %q", lang.Code, name, m)
			}
			if strings.Contains(body, "%!") {
				t.Errorf("%s/%s: a formatting error: %s", lang.Code, name, body[strings.Index(body, "%!"):][:40])
			}
		}
	}
}

// TestLanguageFromTheBrowserAndTheSwitcher drives the negotiation through a
// page that needs no service: Accept-Language chooses, ?lang= overrides and
// sets the cookie, and the cookie then wins over the browser.
func TestLanguageFromTheBrowserAndTheSwitcher(t *testing.T) {
	p, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	p.Register(mux)
	get := func(target, accept string, cookies ...*http.Cookie) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, target, nil)
		r.Header.Set("Accept-Language", accept)
		for _, c := range cookies {
			r.AddCookie(c)
		}
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		return w
	}
	w := get("/open-data", "es-ES,es;q=0.9")
	if body := w.Body.String(); !strings.Contains(body, `<html lang="es">`) || !strings.Contains(body, "Datos abiertos") {
		t.Fatalf("Spanish browser: %s", body)
	}
	if w.Header().Get("Content-Language") != "es" || !strings.Contains(w.Header().Get("Vary"), "Accept-Language") {
		t.Errorf("headers %v", w.Header())
	}
	if len(w.Result().Cookies()) != 0 {
		t.Error("a cookie was set although nothing was chosen")
	}

	w = get("/open-data?lang=ca", "es-ES")
	cookies := w.Result().Cookies()
	if !strings.Contains(w.Body.String(), `<html lang="ca">`) || len(cookies) != 1 || cookies[0].Value != "ca" {
		t.Fatalf("switcher: cookies %v", cookies)
	}
	if !strings.Contains(w.Body.String(), `aria-current="true">Català`) {
		t.Error("the switcher does not mark the current language")
	}
	if w = get("/propose", "es-ES", cookies[0]); !strings.Contains(w.Body.String(), `<html lang="ca">`) {
		t.Error("the cookie did not persist the choice")
	}
	if w = get("/no-such-page", "fr"); w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "Page introuvable") {
		t.Errorf("French 404: %d", w.Code)
	}
	if w = get("/erasure", "de-DE"); !strings.Contains(w.Body.String(), `<html lang="en">`) {
		t.Error("an unknown language did not fall back to English")
	}
	// The form posts the page's language.
	if w = get("/erasure?lang=pt", ""); !strings.Contains(w.Body.String(), `<input type="hidden" name="language" value="pt">`) {
		t.Error("the erasure form does not post its language")
	}
}

func TestSwitchTargetOfAPost(t *testing.T) {
	for path, want := range map[string]string{
		"/petitions/abc/sign":  "/petitions/abc",
		"/propose":             "/propose",
		"/erasure":             "/erasure",
		"/signatures/withdraw": "/",
	} {
		r := httptest.NewRequest(http.MethodPost, path, nil)
		if got := switchTarget(r).Path; got != want {
			t.Errorf("POST %s switches to %s, want %s", path, got, want)
		}
	}
}
