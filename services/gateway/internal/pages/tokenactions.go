package pages

import (
	"context"
	"net/http"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/gateway/internal/i18n"
)

// The pages that emailed links open: withdrawing a signature, confirming an
// erasure, answering an invitation. Opening the link only shows a button;
// the action is a POST, so a mail scanner that prefetches links changes
// nothing.

// actionButton is one submit button of an emailed-link page. Secondary
// buttons are drawn in outline so the one the reader clicked in the email
// stands out (and comes first, so Enter submits it).
type actionButton struct {
	Value, Label string
	Secondary    bool
}

type actionPage struct {
	Heading, Message, Action, Token, Assembly string
	Buttons                                   []actionButton
}

// maxTokenLen bounds a token taken from a URL or form before it goes on.
const maxTokenLen = 200

func tokenFrom(r *http.Request) (string, bool) {
	var t string
	if r.Method == http.MethodPost {
		t = r.PostFormValue("token")
	} else {
		t = r.URL.Query().Get("token")
	}
	return t, t != "" && len(t) <= maxTokenLen
}

func (p *Pages) badLink(w http.ResponseWriter, r *http.Request) {
	p.renderError(w, r, http.StatusBadRequest, "error.incomplete_link.heading", "error.incomplete_link.message")
}

// tokenAction is one emailed-link action that takes only the token. Its
// texts are catalogue keys.
type tokenAction struct {
	heading, message, button string // what opening the link shows
	action, choice           string // where the button posts, and its value
	call                     func(ctx context.Context, token string) error
	doneHeading, doneMessage string // what a successful POST shows
	unknownMessage           string // for a token the service does not know
	expiredMessage           string // for FailedPrecondition; "" when the action cannot expire
}

func (p *Pages) withdrawAction() tokenAction {
	return tokenAction{
		heading: "withdraw.heading", message: "withdraw.message", button: "withdraw.button",
		action: "/signatures/withdraw", choice: "withdraw",
		call: func(ctx context.Context, token string) error {
			_, err := p.petitions.WithdrawSignature(ctx, &petitionv1.WithdrawSignatureRequest{Token: token})
			return err
		},
		doneHeading: "withdraw.done.heading", doneMessage: "withdraw.done.message",
		unknownMessage: "error.unknown_withdraw.message",
	}
}

func (p *Pages) erasureAction() tokenAction {
	return tokenAction{
		heading: "erase.heading", message: "erase.message", button: "erase.button",
		action: "/erasure/confirm", choice: "erase",
		call: func(ctx context.Context, token string) error {
			_, err := p.petitions.ConfirmErasure(ctx, &petitionv1.ConfirmErasureRequest{Token: token})
			return err
		},
		doneHeading: "erase.done.heading", doneMessage: "erase.done.message",
		unknownMessage: "error.unknown_erasure.message",
		expiredMessage: "error.expired_erasure.message",
	}
}

// tokenForm answers GET on an emailed link: the page with the button.
func (p *Pages) tokenForm(a tokenAction) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := tokenFrom(r)
		if !ok {
			p.badLink(w, r)
			return
		}
		loc := localeOf(r)
		p.render(w, r, http.StatusOK, "action", loc.T(a.heading), actionPage{
			Heading: loc.T(a.heading), Message: loc.T(a.message), Action: a.action, Token: token,
			Buttons: []actionButton{{Value: a.choice, Label: loc.T(a.button)}},
		})
	}
}

// tokenSubmit answers the button's POST: it performs the action.
func (p *Pages) tokenSubmit(a tokenAction) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := tokenFrom(r)
		if !ok {
			p.badLink(w, r)
			return
		}
		ctx, cancel := outgoing(r)
		defer cancel()
		err := a.call(ctx, token)
		switch code := status.Code(err); {
		case code == codes.OK:
			loc := localeOf(r)
			p.render(w, r, http.StatusOK, "error", loc.T(a.doneHeading), message{Heading: loc.T(a.doneHeading), Message: loc.T(a.doneMessage)})
		case code == codes.InvalidArgument || code == codes.NotFound:
			p.renderError(w, r, http.StatusNotFound, "error.unknown_link.heading", a.unknownMessage)
		case code == codes.FailedPrecondition && a.expiredMessage != "":
			p.renderError(w, r, http.StatusBadRequest, "error.expired_link.heading", a.expiredMessage)
		default:
			p.unavailable(w, r, a.action, err)
		}
	}
}

// rsvpButtons are the three answers. The invitation email links each
// answer with &choice=; opening the link must not record anything (mail
// scanners follow links), so the page asks once more, with the clicked
// answer first and the others in outline.
func rsvpButtons(loc *i18n.Locale, chosen string) []actionButton {
	buttons := []actionButton{
		{Value: "accept", Label: loc.T("rsvp.accept")},
		{Value: "tentative", Label: loc.T("rsvp.tentative")},
		{Value: "decline", Label: loc.T("rsvp.decline")},
	}
	for i, b := range buttons {
		if b.Value != chosen {
			continue
		}
		ordered := append([]actionButton{b}, buttons[:i]...)
		ordered = append(ordered, buttons[i+1:]...)
		for j := range ordered[1:] {
			ordered[j+1].Secondary = true
		}
		return ordered
	}
	return buttons
}

func (p *Pages) rsvpForm(w http.ResponseWriter, r *http.Request) {
	token, ok := tokenFrom(r)
	assembly := r.URL.Query().Get("assembly")
	if !ok || assembly == "" || len(assembly) > 64 {
		p.badLink(w, r)
		return
	}
	loc := localeOf(r)
	p.render(w, r, http.StatusOK, "action", loc.T("rsvp.title"), actionPage{
		Heading: loc.T("rsvp.heading"), Message: loc.T("rsvp.message"),
		Action: "/invitations/respond", Token: token, Assembly: assembly, Buttons: rsvpButtons(loc, r.URL.Query().Get("choice")),
	})
}

func (p *Pages) rsvp(w http.ResponseWriter, r *http.Request) {
	token, ok := tokenFrom(r)
	assembly := r.PostFormValue("assembly")
	responses := map[string]eventsv1.Response{
		"accept": eventsv1.Response_RESPONSE_ACCEPTED, "decline": eventsv1.Response_RESPONSE_DECLINED, "tentative": eventsv1.Response_RESPONSE_TENTATIVE,
	}
	response, known := responses[r.PostFormValue("choice")]
	if !ok || !known || assembly == "" || len(assembly) > 64 || p.events == nil {
		p.badLink(w, r)
		return
	}
	ctx, cancel := outgoing(r)
	defer cancel()
	_, err := p.events.RespondToInvitation(ctx, &eventsv1.RespondToInvitationRequest{AssemblyId: assembly, Token: token, Response: response})
	switch status.Code(err) {
	case codes.OK:
		loc := localeOf(r)
		p.render(w, r, http.StatusOK, "error", loc.T("rsvp.done.title"), message{
			Heading: loc.T("rsvp.done.heading"), Message: loc.T("rsvp.done.message"),
		})
	case codes.InvalidArgument, codes.NotFound:
		p.renderError(w, r, http.StatusNotFound, "error.unknown_link.heading", "error.unknown_invitation.message")
	case codes.FailedPrecondition:
		// The events service says why in English; the page says it in the
		// visitor's language.
		msg := "error.rsvp_closed.message"
		switch m := status.Convert(err).Message(); {
		case strings.Contains(m, "places"):
			msg = "error.rsvp_full.message"
		case strings.Contains(m, "cancelled"):
			msg = "error.rsvp_cancelled.message"
		}
		p.renderError(w, r, http.StatusConflict, "error.rsvp_closed.heading", msg)
	default:
		p.unavailable(w, r, "RespondToInvitation", err)
	}
}
