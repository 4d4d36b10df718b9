package pages

import (
	"net/http"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
)

type confirmedPage struct {
	Petition petitionView
}

// confirm follows the link from the confirmation email. (Confirming is
// harmless to repeat, so unlike withdrawal it happens on GET.)
func (p *Pages) confirm(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	if token == "" || len(token) > maxTokenLen {
		p.renderError(w, r, http.StatusBadRequest, "error.incomplete_link.heading", "error.incomplete_confirm.message")
		return
	}
	ctx, cancel := outgoing(r)
	defer cancel()
	resp, err := p.petitions.ConfirmSignature(ctx, &petitionv1.ConfirmSignatureRequest{Token: token})
	switch status.Code(err) {
	case codes.OK:
		loc := localeOf(r)
		p.render(w, r, http.StatusOK, "confirmed", loc.T("confirmed.heading"), confirmedPage{Petition: viewPetition(resp.GetPetition(), loc)})
	case codes.InvalidArgument:
		p.renderError(w, r, http.StatusBadRequest, "error.invalid_link.heading", "error.invalid_confirm.message")
	case codes.NotFound:
		p.renderError(w, r, http.StatusNotFound, "error.unknown_link.heading", "error.unknown_confirm.message")
	case codes.FailedPrecondition:
		if strings.Contains(status.Convert(err).Message(), "expired") {
			p.renderError(w, r, http.StatusBadRequest, "error.expired_link.heading", "error.expired_confirm.message")
			return
		}
		p.renderError(w, r, http.StatusConflict, "error.petition_closed.heading", "error.closed_confirm.message")
	default:
		p.unavailable(w, r, "ConfirmSignature", err)
	}
}
