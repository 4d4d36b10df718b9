package pages

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/gateway/internal/i18n"
)

// signForm is the sign form's values and the messages shown beside them.
type signForm struct {
	Name          string
	Email         string
	ShowName      bool
	LivesOrWorks  bool
	NotifyOutcome bool
	Errors        map[string]string
	Other         []string
}

func (f signForm) HasErrors() bool { return len(f.Errors) > 0 || len(f.Other) > 0 }

type signedPage struct {
	Petition petitionView
}

func checked(r *http.Request, name string) bool {
	switch strings.ToLower(r.PostFormValue(name)) {
	case "on", "true", "1", "yes":
		return true
	}
	return false
}

// echo bounds what a re-rendered form sends back of a value.
func echo(s string, max int) string {
	if len(s) <= max {
		return s
	}
	s = s[:max]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// formLanguage is the language a form was filled in: the page's, which the
// form posts (so emails follow the page the person read), else the
// negotiated one.
func formLanguage(r *http.Request) string {
	if l, ok := i18n.Lookup(r.PostFormValue("language")); ok {
		return l.Code()
	}
	return localeOf(r).Code()
}

// sign takes the sign form. Whatever the outcome for the address (first
// signature, repeated, already confirmed) the answer is the same "check
// your email" page; invalid input re-renders the form with the messages
// beside the fields.
func (p *Pages) sign(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := r.ParseForm(); err != nil {
		p.badForm(w, r, err)
		return
	}
	loc := localeOf(r)
	form := signForm{
		Name:          strings.TrimSpace(r.PostFormValue("name")),
		Email:         strings.TrimSpace(r.PostFormValue("email")),
		ShowName:      checked(r, "show_name"),
		LivesOrWorks:  checked(r, "lives_or_works_in_city"),
		NotifyOutcome: checked(r, "notify_outcome"),
	}
	ctx, cancel := outgoing(r)
	defer cancel()
	_, err := p.petitions.SignPetition(ctx, &petitionv1.SignPetitionRequest{
		PetitionId:         id,
		Name:               form.Name,
		ShowName:           form.ShowName,
		Email:              form.Email,
		LivesOrWorksInCity: form.LivesOrWorks,
		NotifyOutcome:      form.NotifyOutcome,
		Language:           formLanguage(r),
	})
	switch status.Code(err) {
	case codes.OK:
		pt, ok := p.getPetition(w, r, id)
		if !ok {
			return
		}
		p.render(w, r, http.StatusOK, "signed", loc.T("signed.heading"), signedPage{Petition: viewPetition(pt, loc)})
	case codes.InvalidArgument:
		violations := fieldViolations(err)
		form.Errors = map[string]string{}
		for _, v := range violations {
			field := v.GetField()
			if field == "petition_id" {
				p.renderError(w, r, http.StatusNotFound, "error.petition_not_found.heading", "error.petition_not_found.message")
				return
			}
			msg := signFieldMessage(loc, field, v.GetReason())
			switch field {
			case "name", "email", "lives_or_works_in_city":
				if _, dup := form.Errors[field]; !dup {
					form.Errors[field] = msg
				}
			default:
				form.Other = append(form.Other, msg)
			}
		}
		if len(violations) == 0 {
			form.Other = append(form.Other, loc.T("form.check"))
		}
		pt, ok := p.getPetition(w, r, id)
		if !ok {
			return
		}
		form.Name, form.Email = echo(form.Name, 400), echo(form.Email, 400)
		p.renderPetition(w, r, http.StatusBadRequest, pt, form)
	case codes.NotFound:
		p.renderError(w, r, http.StatusNotFound, "error.petition_not_found.heading", "error.petition_not_found.message")
	case codes.FailedPrecondition:
		p.renderError(w, r, http.StatusConflict, "error.petition_closed.heading", "error.petition_closed.message")
	case codes.ResourceExhausted:
		p.tooMany(w, r, err)
	default:
		p.unavailable(w, r, "SignPetition", err)
	}
}

// signFieldMessage is the sentence shown beside a sign-form field.
func signFieldMessage(loc *i18n.Locale, field, reason string) string {
	switch field {
	case "name":
		if reason == "string.max_len" {
			return loc.T("sign.error.name_long")
		}
		return loc.T("sign.error.name")
	case "email":
		return loc.T("form.error.email")
	case "lives_or_works_in_city":
		return loc.T("sign.error.lives")
	}
	return loc.T("form.error.invalid")
}
