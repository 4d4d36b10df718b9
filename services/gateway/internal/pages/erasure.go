package pages

import (
	"net/http"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
)

// Asking for erasure: a form with one email address. The petition service
// emails a confirmation link to it (RequestErasure), whose page
// (erasureAction) erases. The answer is the same whether or not the
// address ever signed, so the form reveals nothing about anyone.

type erasurePage struct {
	Email string
	Error string
	Sent  bool
}

func (p *Pages) erasureForm(w http.ResponseWriter, r *http.Request) {
	p.render(w, r, http.StatusOK, "erasure", localeOf(r).T("erasure.title"), erasurePage{})
}

func (p *Pages) requestErasure(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		p.badForm(w, r, err)
		return
	}
	loc := localeOf(r)
	email := strings.TrimSpace(r.PostFormValue("email"))
	ctx, cancel := outgoing(r)
	defer cancel()
	_, err := p.petitions.RequestErasure(ctx, &petitionv1.RequestErasureRequest{Email: email, Language: formLanguage(r)})
	switch status.Code(err) {
	case codes.OK:
		p.render(w, r, http.StatusOK, "erasure", loc.T("erasure.sent.heading"), erasurePage{Sent: true})
	case codes.InvalidArgument:
		p.render(w, r, http.StatusBadRequest, "erasure", loc.T("form.error_title", loc.T("erasure.title")),
			erasurePage{Email: echo(email, 400), Error: loc.T("form.error.email")})
	case codes.ResourceExhausted:
		p.tooMany(w, r, err)
	default:
		p.unavailable(w, r, "RequestErasure", err)
	}
}
