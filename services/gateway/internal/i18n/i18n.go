// Package i18n holds the public pages' words in the coalition's five
// languages (English, Spanish, French, Portuguese, Catalan) and formats
// numbers, dates and country names for each. A page's language comes from
// ?lang=, else the "lang" cookie, else the browser's Accept-Language, else
// English (see [Negotiate]).
//
// Messages are Go maps, one file per language, keyed by dotted names such
// as "home.title". A message is a fmt format ("%s", "%[2]d"; a literal
// percent sign is "%%"), formatted by golang.org/x/text/message so numbers
// get the language's digit grouping. Plural messages are two keys, "<key>.one"
// and "<key>.other", chosen by CLDR's plural rules ([Locale.N]). Messages
// used with [Locale.HTML] may hold markup; their arguments are escaped.
// Tests check that every language has every key, with the same verbs and the
// same markup as English.
package i18n

import (
	"fmt"
	"html/template"
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// Language is one language the pages are written in.
type Language struct {
	Code string // "es"
	Name string // its own name for itself, "Español"
}

// Languages are the pages' languages; the first, English, is the fallback.
var Languages = []Language{
	{"en", "English"},
	{"es", "Español"},
	{"fr", "Français"},
	{"pt", "Português"},
	{"ca", "Català"},
}

// Default is the language used when nothing better is known.
const Default = "en"

// Locale formats the pages' text in one language.
type Locale struct {
	code    string
	tag     language.Tag
	msgs    map[string]string
	printer *message.Printer
	regions display.Namer
	// countries is [Locale.Countries], sorted once.
	countries func() []Place
}

var (
	locales = map[string]*Locale{}
	tags    []language.Tag // in the order of Languages, for matching
)

// catalogues maps each language to its messages (messages_<code>.go).
var catalogues = map[string]map[string]string{
	"en": messagesEN, "es": messagesES, "fr": messagesFR, "pt": messagesPT, "ca": messagesCA,
}

func init() {
	// An empty catalogue: the printer formats our own strings and never
	// looks a format up as a key in a global one.
	empty := catalog.NewBuilder()
	for _, l := range Languages {
		tag := language.MustParse(l.Code)
		tags = append(tags, tag)
		loc := &Locale{
			code: l.Code, tag: tag, msgs: catalogues[l.Code],
			printer: message.NewPrinter(tag, message.Catalog(empty)),
			regions: display.Regions(tag),
		}
		loc.countries = sync.OnceValue(loc.sortedCountries)
		locales[l.Code] = loc
	}
}

// Get returns the locale of a language code ("es"), or English's for a code
// that is not one of [Languages].
func Get(code string) *Locale {
	if l, ok := locales[code]; ok {
		return l
	}
	return locales[Default]
}

// Lookup returns the locale for a language code or a BCP 47 tag whose
// language is one of [Languages] ("pt-BR" gives Portuguese).
func Lookup(code string) (*Locale, bool) {
	if len(code) > 35 {
		return nil, false
	}
	code = strings.ToLower(strings.TrimSpace(code))
	if l, ok := locales[code]; ok {
		return l, true
	}
	tag, err := language.Parse(code)
	if err != nil {
		return nil, false
	}
	base, _ := tag.Base()
	l, ok := locales[base.String()]
	return l, ok
}

// Code is the locale's language code, e.g. "es".
func (l *Locale) Code() string { return l.code }

// Tag is the locale's language tag.
func (l *Locale) Tag() language.Tag { return l.tag }

// message returns the text of key: this language's, else English's, else
// the key itself (tests make the fallbacks unreachable).
func (l *Locale) message(key string) string {
	if m, ok := l.msgs[key]; ok {
		return m
	}
	if m, ok := messagesEN[key]; ok {
		return m
	}
	return key
}

// T returns the message key formatted with args.
func (l *Locale) T(key string, args ...any) string {
	return l.printer.Sprintf(l.message(key), args...)
}

// HTML returns the message key, which may hold markup, formatted with args
// escaped for HTML.
func (l *Locale) HTML(key string, args ...any) template.HTML {
	safe := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			safe[i] = template.HTMLEscapeString(v)
		case fmt.Stringer:
			safe[i] = template.HTMLEscapeString(v.String())
		default:
			safe[i] = v
		}
	}
	return template.HTML(l.printer.Sprintf(l.message(key), safe...)) //nolint:gosec // our own catalogue; arguments escaped above
}

// N returns the plural message key.one or key.other that suits n in this
// language, formatted with n first and then args.
func (l *Locale) N(key string, n int64, args ...any) string {
	form := "other"
	if plural.Cardinal.MatchPlural(l.tag, int(n), 0, 0, 0, 0) == plural.One {
		form = "one"
	}
	return l.T(key+"."+form, append([]any{n}, args...)...)
}

// Number formats an integer with the language's digit grouping
// (1,234 · 1.234 · 1 234).
func (l *Locale) Number(n int64) string { return l.printer.Sprintf("%d", n) }

// Percent formats a whole percentage (45 %, 45%).
func (l *Locale) Percent(n int64) string { return l.T("format.percent", n) }

// Keys lists the catalogue's keys (English's; the others have the same),
// sorted.
func Keys() []string {
	keys := make([]string, 0, len(messagesEN))
	for k := range messagesEN {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
