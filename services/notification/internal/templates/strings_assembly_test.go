package templates

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// TestAssemblyEmailsEveryLanguage renders each assembly email in each
// language: every phrase is translated (same keys as English), filled in,
// and the layouts leave nothing unfilled.
func TestAssemblyEmailsEveryLanguage(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	words := assemblyWords()
	for name, langs := range words {
		want := slices.Sorted(maps.Keys(langs["en"]))
		for _, lang := range Languages() {
			if got := slices.Sorted(maps.Keys(langs[lang])); !slices.Equal(got, want) {
				t.Errorf("%s/%s phrases %v, want %v", name, lang, got, want)
			}
			data := map[string]any{
				"Title": "Board <b>", "Name": "Ana", "Description": "Budget", "Date": "28 March 2027",
				"YourZone": "America/Maceio", "YourTimes": "05:00–06:30", "PlanZone": "Europe/Amsterdam", "PlanTimes": "10:00–11:30",
				"SameZone": false, "Place": "Stadhuis", "OnlineURL": "https://meet.example.org/b", "Agenda": []struct {
					Title   string
					Minutes int32
				}{{"Budget", 30}},
				"FeedURL": "https://example.org/calendars/f.ics", "AcceptURL": "https://example.org/a", "TentativeURL": "https://example.org/t",
				"DeclineURL": "https://example.org/d", "Changed": []string{"changed_place", "changed_time"}, "OldYourTimes": "04:00–05:30",
				"OldPlanTimes": "09:00–10:30", "Reason": "merged", "MinutesText": "We met.", "Outcomes": []string{"Adopted"},
			}
			got, err := r.Render(name, lang, data)
			if err != nil {
				t.Fatalf("%s/%s: %v", name, lang, err)
			}
			if !strings.Contains(got.Subject, "Board <b>") {
				t.Errorf("%s/%s subject %q", name, lang, got.Subject)
			}
			if lang != "en" && got.Subject == mustRender(t, r, name, "en", data).Subject {
				t.Errorf("%s/%s subject not translated: %q", name, lang, got.Subject)
			}
			for part, body := range map[string]string{"text": got.Text, "html": got.HTML} {
				if strings.Contains(body, "<no value>") || strings.Contains(body, "{{") || strings.Contains(body, "%!") {
					t.Errorf("%s/%s %s part unfilled:\n%s", name, lang, part, body)
				}
			}
			if strings.Contains(got.HTML, "<b>") || !strings.Contains(got.HTML, `<html lang="`+lang+`">`) {
				t.Errorf("%s/%s: HTML not escaped or not marked as %s", name, lang, lang)
			}
		}
	}
}

func mustRender(t *testing.T, r *Renderer, name, lang string, data map[string]any) Rendered {
	t.Helper()
	got, err := r.Render(name, lang, data)
	if err != nil {
		t.Fatal(err)
	}
	return got
}
