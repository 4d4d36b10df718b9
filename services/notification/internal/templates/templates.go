// Package templates renders the notification service's emails: a subject, a
// plain-text part and an HTML part per template, in the recipient's language
// with English as the fallback. Content is escaped by html/template; the
// plain-text part uses text/template on the same strings.
package templates

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	texttemplate "text/template"
)

//go:embed files/*
var files embed.FS

// Languages the templates are written in.
func Languages() []string { return []string{"en", "es", "fr", "pt", "ca"} }

// Rendered is an email ready for MIME assembly.
type Rendered struct {
	Subject string
	Text    string
	HTML    string
}

// Renderer holds the parsed templates.
type Renderer struct {
	html *htmltemplate.Template
	text *texttemplate.Template
}

// New parses the embedded templates.
func New() (*Renderer, error) {
	h, err := htmltemplate.ParseFS(files, "files/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse html templates: %w", err)
	}
	t, err := texttemplate.ParseFS(files, "files/*.txt")
	if err != nil {
		return nil, fmt.Errorf("parse text templates: %w", err)
	}
	return &Renderer{html: h, text: t}, nil
}

// Language picks the language to write in: the recipient's if we have it,
// else English.
func Language(lang string) string {
	for _, l := range Languages() {
		if l == lang {
			return l
		}
	}
	return "en"
}

// Render writes template name (e.g. "signature_confirmation") in lang for data.
func (r *Renderer) Render(name, lang string, data map[string]any) (Rendered, error) {
	lang = Language(lang)
	phrases, ok := words()[name]
	if !ok {
		phrases, ok = outcomeWords()[name] // strings_outcome.go
	}
	if !ok {
		phrases, ok = privacyWords()[name] // strings_privacy.go
	}
	if !ok {
		return Rendered{}, fmt.Errorf("no template %q", name)
	}
	filled := make(map[string]string, len(phrases[lang]))
	for key, phrase := range phrases[lang] {
		var b bytes.Buffer
		t, err := texttemplate.New(key).Option("missingkey=error").Parse(phrase)
		if err != nil {
			return Rendered{}, fmt.Errorf("template %s/%s/%s: %w", name, lang, key, err)
		}
		if err := t.Execute(&b, data); err != nil {
			return Rendered{}, fmt.Errorf("render %s/%s/%s: %w", name, lang, key, err)
		}
		filled[key] = b.String()
	}
	data["T"] = filled
	data["Lang"] = lang
	var text, html bytes.Buffer
	if err := r.text.ExecuteTemplate(&text, name+".txt", data); err != nil {
		return Rendered{}, fmt.Errorf("render %s text: %w", name, err)
	}
	if err := r.html.ExecuteTemplate(&html, name+".html", data); err != nil {
		return Rendered{}, fmt.Errorf("render %s html: %w", name, err)
	}
	return Rendered{Subject: filled["subject"], Text: text.String(), HTML: html.String()}, nil
}
