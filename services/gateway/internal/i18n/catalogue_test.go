package i18n

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// verbs finds fmt verbs, with or without an explicit argument index.
var verbs = regexp.MustCompile(`%(\[\d+\])?[a-z%]`)

// tags finds markup: start tags with their attributes, and end tags.
var markup = regexp.MustCompile(`</?[a-z]+(\s+[a-z-]+="[^"]*")*\s*/?>`)

// sortedVerbs is the multiset of verbs of a message, in a canonical order:
// translations may reorder the arguments, only with explicit indexes.
func sortedVerbs(msg string) []string {
	v := verbs.FindAllString(msg, -1)
	slices.Sort(v)
	return v
}

func sortedTags(msg string) []string {
	v := markup.FindAllString(msg, -1)
	slices.Sort(v)
	return v
}

// TestCatalogueComplete: every language has exactly English's keys, no
// message is empty, each has the same fmt verbs as English's, and the same
// markup (the links of a translated sentence point where English's do).
func TestCatalogueComplete(t *testing.T) {
	for _, l := range Languages {
		msgs := catalogues[l.Code]
		if msgs == nil {
			t.Fatalf("no catalogue for %s", l.Code)
		}
		for key, en := range messagesEN {
			msg, ok := msgs[key]
			if !ok {
				t.Errorf("%s: missing %q", l.Code, key)
				continue
			}
			if strings.TrimSpace(msg) == "" {
				t.Errorf("%s: %q is empty", l.Code, key)
			}
			if got, want := sortedVerbs(msg), sortedVerbs(en); !slices.Equal(got, want) {
				t.Errorf("%s: %q has verbs %v, English %v", l.Code, key, got, want)
			}
			if got, want := sortedTags(msg), sortedTags(en); !slices.Equal(got, want) {
				t.Errorf("%s: %q has markup %v, English %v", l.Code, key, got, want)
			}
			if strings.Contains(msg, `\u`) {
				t.Errorf("%s: %q holds a literal \\u escape (a raw string?)", l.Code, key)
			}
		}
		for key := range msgs {
			if _, ok := messagesEN[key]; !ok {
				t.Errorf("%s: %q is not in the English catalogue", l.Code, key)
			}
		}
	}
}

// TestPluralPairs: a plural message has both forms.
func TestPluralPairs(t *testing.T) {
	for key := range messagesEN {
		if base, ok := strings.CutSuffix(key, ".one"); ok {
			if _, ok := messagesEN[base+".other"]; !ok {
				t.Errorf("%s has no .other", base)
			}
		}
		if base, ok := strings.CutSuffix(key, ".other"); ok {
			if _, ok := messagesEN[base+".one"]; !ok {
				t.Errorf("%s has no .one", base)
			}
		}
	}
}

func TestFormatting(t *testing.T) {
	d := time.Date(2026, time.April, 3, 9, 5, 0, 0, time.UTC)
	for _, c := range []struct {
		lang, number, date, long, monthYear, one, many, country string
	}{
		{"en", "1,234,567", "3 April 2026", "Friday 3 April 2026", "April 2026", "1 member", "2 members", "Spain"},
		{"es", "1.234.567", "3 de abril de 2026", "viernes, 3 de abril de 2026", "abril de 2026", "1 miembro", "2 miembros", "España"},
		{"fr", "1\u00a0234\u00a0567", "3 avril 2026", "vendredi 3 avril 2026", "avril 2026", "1 membre", "2 membres", "Espagne"},
		{"pt", "1.234.567", "3 de abril de 2026", "sexta-feira, 3 de abril de 2026", "abril de 2026", "1 membro", "2 membros", "Espanha"},
		{"ca", "1.234.567", "3 d’abril de 2026", "divendres, 3 d’abril de 2026", "abril de 2026", "1 membre", "2 membres", "Espanya"},
	} {
		l := Get(c.lang)
		for _, check := range []struct{ what, got, want string }{
			{"number", l.Number(1234567), c.number},
			{"date", l.Date(d), c.date},
			{"long date", l.LongDate(d), c.long},
			{"month", l.MonthYear(d), c.monthYear},
			{"plural one", l.N("members.count", 1), c.one},
			{"plural other", l.N("members.count", 2), c.many},
			{"country", l.Country("ES"), c.country},
			{"clock", l.Clock(d), "09:05"},
		} {
			if check.got != check.want {
				t.Errorf("%s %s: %q, want %q", c.lang, check.what, check.got, check.want)
			}
		}
	}
	// French counts zero as singular; the others do not.
	if got := Get("fr").N("members.count", 0); got != "0 membre" {
		t.Errorf("fr zero: %q", got)
	}
	if got := Get("en").N("members.count", 0); got != "0 members" {
		t.Errorf("en zero: %q", got)
	}
	if got := Get("ca").Date(time.Date(2026, time.March, 1, 0, 0, 0, 0, time.UTC)); got != "1 de març de 2026" {
		t.Errorf("ca consonant month: %q", got)
	}
}

func TestHTMLEscapesArguments(t *testing.T) {
	got := string(Get("en").HTML("signed.lead", `/petitions/x"><script>`, "<b>Lisbon</b> & co"))
	if strings.Contains(got, "<script>") || strings.Contains(got, "<b>") || !strings.Contains(got, "&lt;b&gt;Lisbon&lt;/b&gt; &amp; co") {
		t.Errorf("arguments not escaped: %s", got)
	}
	if !strings.Contains(got, `<a href="/petitions/x&#34;&gt;&lt;script&gt;">`) {
		t.Errorf("markup of the message lost: %s", got)
	}
}

func TestCountries(t *testing.T) {
	for _, l := range Languages {
		list := Get(l.Code).Countries()
		if len(list) < 240 || len(list) > 260 {
			t.Errorf("%s: %d countries", l.Code, len(list))
		}
		for _, bad := range []string{"AC", "EZ", "UN", "DD", "BU"} {
			if slices.ContainsFunc(list, func(p Place) bool { return p.Code == bad }) {
				t.Errorf("%s: lists %s", l.Code, bad)
			}
		}
	}
	if !IsCountry("BR") || IsCountry("ZZ") || IsCountry("br") {
		t.Error("IsCountry")
	}
	for country, region := range map[string]string{"ES": "150", "BR": "019", "US": "019", "KE": "002", "JP": "142", "NZ": "009", "ZZ": ""} {
		if got := WorldRegion(country); got != region {
			t.Errorf("WorldRegion(%s) = %q, want %q", country, got, region)
		}
	}
	if got := Get("es").RegionName("150"); got != "Europa" {
		t.Errorf("es Europe: %q", got)
	}
}
