package pages

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cc4dr/coalition/services/gateway/internal/i18n"
)

// Each request's language: negotiated once (i18n.Negotiate), kept in the
// request's context for the handler and the templates, and remembered in a
// cookie when the visitor chose it with ?lang= (the language switcher).

type localeKey struct{}

// localized negotiates the request's language before h runs.
func (p *Pages) localized(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		loc, chosen := i18n.Negotiate(r)
		if chosen {
			http.SetCookie(w, i18n.Cookie(loc, r.TLS != nil))
		}
		h(w, r.WithContext(context.WithValue(r.Context(), localeKey{}, loc)))
	}
}

// localeOf is the request's language; pages rendered outside a localized
// route (the 403 and 413 pages the middleware renders) negotiate it here.
func localeOf(r *http.Request) *i18n.Locale {
	if loc, ok := r.Context().Value(localeKey{}).(*i18n.Locale); ok {
		return loc
	}
	loc, _ := i18n.Negotiate(r)
	return loc
}

// languageLink is one entry of the language switcher.
type languageLink struct {
	Code, Name, URL string
	Current         bool
}

// switcher links the page to itself in each language. A page answering a
// POST links to the page its form is on (or the home page), since links
// cannot repeat a POST.
func switcher(r *http.Request, current *i18n.Locale) []languageLink {
	target := switchTarget(r)
	out := make([]languageLink, 0, len(i18n.Languages))
	for _, l := range i18n.Languages {
		q := target.Query()
		q.Set(i18n.QueryParam, l.Code)
		u := url.URL{Path: target.Path, RawQuery: q.Encode()}
		out = append(out, languageLink{Code: l.Code, Name: l.Name, URL: u.String(), Current: l.Code == current.Code()})
	}
	return out
}

func switchTarget(r *http.Request) *url.URL {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return &url.URL{Path: r.URL.Path, RawQuery: r.URL.RawQuery}
	}
	switch path := r.URL.Path; {
	case strings.HasPrefix(path, "/petitions/") && strings.HasSuffix(path, "/sign"):
		return &url.URL{Path: strings.TrimSuffix(path, "/sign")}
	case path == "/propose" || path == "/erasure":
		return &url.URL{Path: path}
	}
	return &url.URL{Path: "/"}
}

// templateFuncs are the template functions of one language.
func templateFuncs(loc *i18n.Locale) template.FuncMap {
	return template.FuncMap{
		// t "key" args...: a message; th: one that holds markup.
		"t":  loc.T,
		"th": loc.HTML,
		// tn "key" n args...: the plural message that suits n.
		"tn":        func(key string, n any, args ...any) string { return loc.N(key, toInt64(n), args...) },
		"num":       func(n any) string { return loc.Number(toInt64(n)) },
		"percent":   func(n any) string { return loc.Percent(toInt64(n)) },
		"date":      loc.Date,
		"longdate":  loc.LongDate,
		"monthyear": loc.MonthYear,
		"clock":     loc.Clock,
		"country":   loc.Country,
		"lang":      loc.Code,
		"nonzero":   func(t time.Time) bool { return !t.IsZero() },
		"field":     newFormField,
		"optional":  func(f formField) formField { f.Required = false; return f },
	}
}

// formField is one input of a form, for the text-field and email-field
// templates.
type formField struct {
	Name, Value, Error, Label, Hint, Autocomplete string
	Max                                           int
	Required                                      bool
}

// DescribedBy lists the ids of the hint and the error, for aria-describedby.
func (f formField) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.Name+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.Name+"-error")
	}
	return strings.Join(ids, " ")
}

// newFormField is the template function field: name, value, error message,
// label, hint, maximum length, autocomplete token; required unless passed
// through optional.
func newFormField(name, value, errMsg, label, hint string, maxLen int, autocomplete string) formField {
	return formField{Name: name, Value: value, Error: errMsg, Label: label, Hint: hint, Max: maxLen,
		Autocomplete: autocomplete, Required: true}
}

// toInt64 takes the integer types templates hand over (len gives int,
// protobuf counts int32).
func toInt64(n any) int64 {
	switch v := n.(type) {
	case int:
		return int64(v)
	case int32:
		return int64(v)
	case int64:
		return v
	case uint32:
		return int64(v)
	}
	return 0
}
