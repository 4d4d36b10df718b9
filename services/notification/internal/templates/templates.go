// Package templates renders the notification service's emails: a subject, a
// plain-text part and an HTML part per template, in the recipient's language
// with English as the fallback. Content is escaped by html/template; the
// plain-text part uses text/template on the same strings.
//
// A template is a word set entry (its phrases in every language, see
// WordSet) plus files/<name>.txt and files/<name>.html that place the
// phrases. Every email gets the footer (files/footer.*) that says why it
// came and links to the recipient's email preferences, and for an optional
// category (categories.go) the unsubscribe link.
package templates

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
)

//go:embed files/*
var files embed.FS

// Languages the templates are written in.
func Languages() []string { return []string{"en", "es", "fr", "pt", "ca"} }

// WordSet returns the phrases of some templates: template name → language
// → phrase key → phrase. Each phrase is a text/template over the render
// data; the filled-in phrases are then placed (and, in the HTML part,
// escaped) by the layout templates in files/.
type WordSet func() map[string]map[string]map[string]string

// wordSets are every template's phrases, a set per group of emails (one
// strings_*.go file each). A new group adds its function here.
func wordSets() []WordSet {
	return []WordSet{
		words,            // strings.go
		outcomeWords,     // strings_outcome.go
		privacyWords,     // strings_privacy.go
		signerWords,      // strings_signer.go
		coordinatorWords, // strings_coordinator.go
		membershipWords,  // strings_membership.go
		assemblyWords,    // strings_assembly.go
	}
}

// Rendered is an email ready for MIME assembly.
type Rendered struct {
	Subject string
	Text    string
	HTML    string
	// Category of the template (see categories.go).
	Category Category
}

// Renderer holds the parsed templates.
type Renderer struct {
	html *htmltemplate.Template
	text *texttemplate.Template
	// phrases: template → language → key → parsed phrase.
	phrases map[string]map[string]map[string]*texttemplate.Template
}

// New parses the embedded templates and every phrase once.
func New() (*Renderer, error) {
	h, err := htmltemplate.ParseFS(files, "files/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse html templates: %w", err)
	}
	t, err := texttemplate.ParseFS(files, "files/*.txt")
	if err != nil {
		return nil, fmt.Errorf("parse text templates: %w", err)
	}
	r := &Renderer{html: h, text: t, phrases: map[string]map[string]map[string]*texttemplate.Template{}}
	sets := append(wordSets(), func() map[string]map[string]map[string]string {
		return map[string]map[string]map[string]string{footerTemplate: footerWords()}
	})
	for _, set := range sets {
		for name, langs := range set() {
			if _, dup := r.phrases[name]; dup {
				return nil, fmt.Errorf("template %q has two word sets", name)
			}
			r.phrases[name] = map[string]map[string]*texttemplate.Template{}
			for lang, keys := range langs {
				r.phrases[name][lang] = map[string]*texttemplate.Template{}
				for key, phrase := range keys {
					pt, err := texttemplate.New(key).Option("missingkey=error").Parse(phrase)
					if err != nil {
						return nil, fmt.Errorf("template %s/%s/%s: %w", name, lang, key, err)
					}
					r.phrases[name][lang][key] = pt
				}
			}
		}
	}
	return r, nil
}

// Names lists the templates that can be rendered.
func (r *Renderer) Names() []string {
	var out []string
	for name := range r.phrases {
		if name != footerTemplate {
			out = append(out, name)
		}
	}
	return out
}

// Language picks the language to write in: the recipient's (a BCP 47 tag
// such as "pt-BR" counts as its language, "pt") if we have it, else English.
func Language(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(lang, "-_"); i > 0 {
		lang = lang[:i]
	}
	for _, l := range Languages() {
		if l == lang {
			return l
		}
	}
	return "en"
}

// Footer links, set in the render data by the sender: PreferencesURL on
// every email, UnsubscribeURL on optional ones.
const (
	KeyPreferencesURL = "PreferencesURL"
	KeyUnsubscribeURL = "UnsubscribeURL"
)

// Render writes template name (e.g. "signature_confirmation") in lang for
// data, with the footer. data is not modified.
func (r *Renderer) Render(name, lang string, data map[string]any) (Rendered, error) {
	lang = Language(lang)
	if _, ok := r.phrases[name]; !ok || name == footerTemplate {
		return Rendered{}, fmt.Errorf("no template %q", name)
	}
	d := make(map[string]any, len(data)+4)
	for k, v := range data {
		d[k] = v
	}
	filled, err := r.fill(name, lang, d)
	if err != nil {
		return Rendered{}, err
	}
	d["T"], d["Lang"] = filled, lang
	var text, html bytes.Buffer
	if err := r.text.ExecuteTemplate(&text, name+".txt", d); err != nil {
		return Rendered{}, fmt.Errorf("render %s text: %w", name, err)
	}
	if err := r.html.ExecuteTemplate(&html, name+".html", d); err != nil {
		return Rendered{}, fmt.Errorf("render %s html: %w", name, err)
	}
	cat := CategoryOf(name)
	footText, footHTML, err := r.footer(cat, lang, d)
	if err != nil {
		return Rendered{}, err
	}
	return Rendered{
		Subject:  filled["subject"],
		Text:     strings.TrimRight(text.String(), "\n") + "\n\n-- \n" + footText,
		HTML:     insertBeforeBodyEnd(html.String(), footHTML),
		Category: cat,
	}, nil
}

// fill renders the phrases of template name in lang.
func (r *Renderer) fill(name, lang string, data map[string]any) (map[string]string, error) {
	phrases := r.phrases[name][lang]
	if phrases == nil {
		phrases = r.phrases[name]["en"]
	}
	filled := make(map[string]string, len(phrases))
	for key, t := range phrases {
		var b bytes.Buffer
		if err := t.Execute(&b, data); err != nil {
			return nil, fmt.Errorf("render %s/%s/%s: %w", name, lang, key, err)
		}
		filled[key] = b.String()
	}
	return filled, nil
}

// insertBeforeBodyEnd puts the footer inside the body, where every layout
// ends, or at the end of a document without one.
func insertBeforeBodyEnd(doc, footer string) string {
	if i := strings.LastIndex(doc, "</body>"); i >= 0 {
		return doc[:i] + footer + doc[i:]
	}
	return doc + footer
}
