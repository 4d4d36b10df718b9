package pages

import (
	"net/http"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/gateway/internal/i18n"
)

// Proposing a petition for one's city: a form whose answer goes to the
// coordinators (ProposePetition), who publish, edit or reject it. The
// petition service validates every field (the proto's rules) and limits
// how often one network address or email address may propose; this page
// turns its answers into messages beside the fields.

// proposeFields are the form's fields in the order they appear, as the
// service names them in its field violations.
var proposeFields = []string{"city", "country", "region", "title", "text", "language", "proposer_name", "proposer_email"}

type proposeForm struct {
	City, Country, Region, Title, Text, Language, Name, Email string
	Errors                                                    map[string]string
	Other                                                     []string
}

func (f proposeForm) HasErrors() bool { return len(f.Errors) > 0 || len(f.Other) > 0 }

// ErrorList is the summary's entries, in the form's order.
func (f proposeForm) ErrorList() []fieldError {
	var out []fieldError
	for _, field := range proposeFields {
		if msg, ok := f.Errors[field]; ok {
			out = append(out, fieldError{Field: field, Message: msg})
		}
	}
	return out
}

type fieldError struct{ Field, Message string }

type proposePage struct {
	Form      proposeForm
	Countries []i18n.Place
	Languages []i18n.Language
}

func (p *Pages) proposeForm(w http.ResponseWriter, r *http.Request) {
	loc := localeOf(r)
	p.renderPropose(w, r, http.StatusOK, proposeForm{Language: loc.Code()})
}

func (p *Pages) renderPropose(w http.ResponseWriter, r *http.Request, code int, form proposeForm) {
	loc := localeOf(r)
	title := loc.T("propose.title")
	if form.HasErrors() {
		title = loc.T("form.error_title", title)
	}
	p.render(w, r, code, "propose", title, proposePage{Form: form, Countries: loc.Countries(), Languages: i18n.Languages})
}

// propose takes the form: on success the thanks page, on invalid input the
// form again with a message beside each field in question.
func (p *Pages) propose(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		p.badForm(w, r, err)
		return
	}
	loc := localeOf(r)
	form := proposeForm{
		City:     strings.TrimSpace(r.PostFormValue("city")),
		Country:  strings.ToUpper(strings.TrimSpace(r.PostFormValue("country"))),
		Region:   strings.TrimSpace(r.PostFormValue("region")),
		Title:    strings.TrimSpace(r.PostFormValue("title")),
		Text:     strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("text"), "\r\n", "\n")),
		Language: strings.TrimSpace(r.PostFormValue("language")),
		Name:     strings.TrimSpace(r.PostFormValue("proposer_name")),
		Email:    strings.TrimSpace(r.PostFormValue("proposer_email")),
	}
	ctx, cancel := outgoing(r)
	defer cancel()
	_, err := p.petitions.ProposePetition(ctx, &petitionv1.ProposePetitionRequest{
		City: form.City, Country: form.Country, Region: form.Region, Title: form.Title, Text: form.Text,
		ProposerName: form.Name, ProposerEmail: form.Email, Language: form.Language,
	})
	switch status.Code(err) {
	case codes.OK:
		p.render(w, r, http.StatusOK, "proposed", loc.T("proposed.heading"), proposedPage{City: form.City})
	case codes.InvalidArgument:
		form.Errors = map[string]string{}
		for _, v := range fieldViolations(err) {
			field := v.GetField()
			if _, dup := form.Errors[field]; dup {
				continue
			}
			if msg, known := proposeFieldMessage(loc, field, v.GetReason()); known {
				form.Errors[field] = msg
			} else {
				form.Other = append(form.Other, msg)
			}
		}
		if !form.HasErrors() {
			form.Other = append(form.Other, loc.T("form.check"))
		}
		form.City, form.Region, form.Title = echo(form.City, 400), echo(form.Region, 400), echo(form.Title, 800)
		form.Text, form.Name, form.Email = echo(form.Text, 20000), echo(form.Name, 400), echo(form.Email, 400)
		form.Country, form.Language = echo(form.Country, 8), echo(form.Language, 8)
		p.renderPropose(w, r, http.StatusBadRequest, form)
	case codes.ResourceExhausted:
		p.tooMany(w, r, err)
	default:
		p.unavailable(w, r, "ProposePetition", err)
	}
}

type proposedPage struct{ City string }

// proposeFieldMessage is the sentence beside a field of the proposal form;
// known is false for a field the form does not have.
func proposeFieldMessage(loc *i18n.Locale, field, reason string) (msg string, known bool) {
	long := reason == "string.max_len"
	switch field {
	case "city":
		if long {
			return loc.T("form.error.too_long", 100), true
		}
		return loc.T("propose.error.city"), true
	case "country":
		return loc.T("propose.error.country"), true
	case "region":
		return loc.T("form.error.too_long", 100), true
	case "title":
		if long {
			return loc.T("form.error.too_long", 200), true
		}
		return loc.T("propose.error.title"), true
	case "text":
		if long {
			return loc.T("form.error.too_long", 10000), true
		}
		return loc.T("propose.error.text"), true
	case "language":
		return loc.T("propose.error.language"), true
	case "proposer_name":
		if long {
			return loc.T("form.error.too_long", 100), true
		}
		return loc.T("propose.error.name"), true
	case "proposer_email":
		return loc.T("form.error.email"), true
	}
	return loc.T("form.error.invalid"), false
}
