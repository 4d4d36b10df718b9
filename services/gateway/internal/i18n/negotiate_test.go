package i18n

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestFromAcceptLanguage(t *testing.T) {
	for header, want := range map[string]string{
		"es":                                 "es",
		"es-MX,es;q=0.9,en;q=0.8":            "es",
		"pt-BR,pt;q=0.9":                     "pt",
		"ca-ES,ca;q=0.9,es;q=0.8":            "ca",
		"fr-CA":                              "fr",
		"en-US,en;q=0.9":                     "en",
		"de-DE,de;q=0.9":                     "en", // unknown: English
		"de,fr;q=0.5":                        "fr", // the best one we have
		"en;q=0.1,es":                        "es", // quality wins over order
		"":                                   "en",
		"*":                                  "en",
		"garbage;;;,q=":                      "en",
		"zh-Hant-TW,ja;q=0.8":                "en",
		strings.Repeat("xx-YY,", 200) + "es": "en", // beyond the bound: ignored
	} {
		if got := FromAcceptLanguage(header).Code(); got != want {
			t.Errorf("Accept-Language %.40q: %s, want %s", header, got, want)
		}
	}
}

func TestNegotiate(t *testing.T) {
	req := func(target, accept, cookie string) *http.Request {
		r := httptest.NewRequest(http.MethodGet, target, nil)
		if accept != "" {
			r.Header.Set("Accept-Language", accept)
		}
		if cookie != "" {
			r.AddCookie(&http.Cookie{Name: CookieName, Value: cookie})
		}
		return r
	}
	for _, c := range []struct {
		name, target, accept, cookie, want string
		chosen                             bool
	}{
		{"browser", "/", "es-ES,es;q=0.9", "", "es", false},
		{"cookie beats the browser", "/", "es-ES", "fr", "fr", false},
		{"query beats the cookie", "/?lang=ca", "es-ES", "fr", "ca", true},
		{"query tag with region", "/?lang=pt-BR", "", "", "pt", true},
		{"unknown query ignored", "/?lang=de", "es", "", "es", false},
		{"unknown cookie ignored", "/", "pt", "xx", "pt", false},
		{"hostile cookie ignored", "/", "", "<script>", "en", false},
		{"nothing known", "/", "", "", "en", false},
		{"unknown browser language", "/", "ja-JP", "", "en", false},
	} {
		got, chosen := Negotiate(req(c.target, c.accept, c.cookie))
		if got.Code() != c.want || chosen != c.chosen {
			t.Errorf("%s: %s (chosen %v), want %s (chosen %v)", c.name, got.Code(), chosen, c.want, c.chosen)
		}
	}
}

func TestCookie(t *testing.T) {
	c := Cookie(Get("es"), true)
	if c.Name != CookieName || c.Value != "es" || c.Path != "/" || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.MaxAge < 86400*300 {
		t.Errorf("cookie %+v", c)
	}
	if err := c.Valid(); err != nil {
		t.Error(err)
	}
}

func TestLookup(t *testing.T) {
	for code, want := range map[string]string{"es": "es", "ES": "es", " ca ": "ca", "pt-PT": "pt", "en-GB": "en"} {
		l, ok := Lookup(code)
		if !ok || l.Code() != want {
			t.Errorf("Lookup(%q) = %v %v, want %s", code, l, ok, want)
		}
	}
	for _, code := range []string{"", "de", "x", strings.Repeat("e", 100), "es-"} {
		if _, ok := Lookup(code); ok {
			t.Errorf("Lookup(%q) found a locale", code)
		}
	}
	if Get("nope").Code() != Default {
		t.Error("Get falls back to English")
	}
}
