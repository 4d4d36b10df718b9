package pages

import (
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cc4dr/coalition/services/gateway/internal/i18n"
)

// TestPreferencesPageInEveryLanguage renders the preferences page as the
// unsubscribe link opens it: its own words in each language, the one-click
// button for the link's category, a form per category that works without
// JavaScript, and the token only where it belongs.
func TestPreferencesPageInEveryLanguage(t *testing.T) {
	p, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	token := strings.Repeat("T", 60)
	seen := map[string]bool{}
	for _, lang := range i18n.Languages {
		r := httptest.NewRequest(http.MethodGet, "/unsubscribe/"+token+"?lang="+lang.Code, nil)
		w := httptest.NewRecorder()
		p.localized(func(w http.ResponseWriter, r *http.Request) {
			words := wordsFor(r)
			news := preferenceCategory{ID: "petition_news", Title: "News <b>", Description: "D", Subscribed: true}
			p.render(w, r, http.StatusOK, "preferences", words.Heading, preferencesView{
				Words: words, Token: token, Notice: words.Saved, Unsubscribe: &news,
				Categories: []preferenceCategory{news, {ID: "assembly_reminders", Title: "Reminders", Description: "R"}},
			})
		})(w, r)
		body := w.Body.String()
		words := allPreferenceWords()[lang.Code]
		if w.Code != http.StatusOK || !strings.Contains(body, `<html lang="`+lang.Code+`">`) || !strings.Contains(body, words.Heading) {
			t.Fatalf("%s: %d\n%s", lang.Code, w.Code, body)
		}
		if seen[words.Heading] {
			t.Errorf("%s: heading %q repeats another language's", lang.Code, words.Heading)
		}
		seen[words.Heading] = true
		for _, want := range []string{
			`<form method="post" action="/unsubscribe/` + token + `"`,
			`<form method="post" action="/preferences/` + token + `"`,
			`name="category" value="petition_news"`, `name="subscribed" value="false"`, // news is on: turn off
			`name="category" value="assembly_reminders"`, `name="subscribed" value="true"`,
			`role="status"`, "News &lt;b&gt;", html.EscapeString(words.Stop), html.EscapeString(words.Start), html.EscapeString(words.Essential),
		} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: page lacks %q", lang.Code, want)
			}
		}
		if strings.Contains(body, "%!") || strings.Contains(body, "<script") {
			t.Errorf("%s: formatting error or script in the page", lang.Code)
		}
	}
}

func TestPreferenceTokenShape(t *testing.T) {
	for token, ok := range map[string]bool{
		strings.Repeat("a", 40): true, strings.Repeat("a", 39): false, strings.Repeat("a", 201): false,
		strings.Repeat("a", 50) + "/x": false, strings.Repeat("a", 50) + "%2F": false,
	} {
		if preferenceTokenPattern.MatchString(token) != ok {
			t.Errorf("%q: accepted %v", token, !ok)
		}
	}
}
