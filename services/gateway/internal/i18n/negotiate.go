package i18n

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"
)

const (
	// QueryParam chooses a language for one request (and, through the
	// cookie it sets, for the next ones): ?lang=es.
	QueryParam = "lang"
	// CookieName keeps the language a visitor chose with the switcher.
	CookieName = "lang"
	// cookieAge is how long a chosen language is remembered.
	cookieAge = 365 * 24 * time.Hour
	// maxAcceptLanguage bounds how much of the header is read: browsers send
	// a few dozen bytes; more is noise or abuse.
	maxAcceptLanguage = 512
)

// matcher matches against [Languages] (built after init has filled tags).
var matcher = sync.OnceValue(func() language.Matcher { return language.NewMatcher(tags) })

// Negotiate picks the language of a request: ?lang= when it names one of
// [Languages] (chosen is then true: the caller remembers it with [Cookie]),
// else the cookie, else the best match for Accept-Language, else English.
func Negotiate(r *http.Request) (l *Locale, chosen bool) {
	if code := r.URL.Query().Get(QueryParam); code != "" {
		if l, ok := Lookup(code); ok {
			return l, true
		}
	}
	if c, err := r.Cookie(CookieName); err == nil {
		if l, ok := Lookup(c.Value); ok {
			return l, false
		}
	}
	return FromAcceptLanguage(r.Header.Get("Accept-Language")), false
}

// FromAcceptLanguage returns the locale that best matches an Accept-Language
// header (RFC 9110), or English when none of [Languages] is close enough.
// Languages near one of ours count (Galician reads Spanish); "*" alone and
// unrelated languages give English.
func FromAcceptLanguage(header string) *Locale {
	if len(header) > maxAcceptLanguage {
		// Keep whole entries only.
		header = header[:maxAcceptLanguage]
		if i := strings.LastIndexByte(header, ','); i > 0 {
			header = header[:i]
		}
	}
	prefs, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(prefs) == 0 {
		return Get(Default)
	}
	_, idx, conf := matcher().Match(prefs...)
	if conf == language.No || idx < 0 || idx >= len(Languages) {
		return Get(Default)
	}
	return Get(Languages[idx].Code)
}

// Cookie is the cookie that remembers a chosen language. It is a
// preference, not an identifier: no consent is needed, and scripts have no
// business reading it.
func Cookie(l *Locale, secure bool) *http.Cookie {
	return &http.Cookie{
		Name: CookieName, Value: l.Code(), Path: "/",
		MaxAge: int(cookieAge.Seconds()), HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
	}
}
