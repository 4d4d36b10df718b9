package pages

import (
	"context"
	"net/http"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
)

// The pages that emailed links open: withdrawing a signature, confirming an
// erasure, answering an invitation. Opening the link only shows a button;
// the action is a POST, so a mail scanner that prefetches links changes
// nothing.

type actionButton struct{ Value, Label string }

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
	p.renderError(w, r, http.StatusBadRequest, "Incomplete link",
		"This link is incomplete or damaged. Open the link from your email again, or copy the whole address into your browser.")
}

// tokenAction is one emailed-link action that takes only the token.
type tokenAction struct {
	form           actionPage // what opening the link shows (Token filled in per request)
	title          string
	call           func(ctx context.Context, token string) error
	done           errorPage // what a successful POST shows
	what           string    // "withdrawal", in "This withdrawal link is not valid"
	expiredMessage string    // for FailedPrecondition; empty when the action cannot expire
}

func (p *Pages) withdrawAction() tokenAction {
	return tokenAction{
		form: actionPage{
			Heading: "Withdraw your signature",
			Message: "Your signature will no longer count, and your name and email address are removed from this petition.",
			Action:  "/signatures/withdraw",
			Buttons: []actionButton{{Value: "withdraw", Label: "Withdraw my signature"}},
		},
		title: "Withdraw your signature",
		call: func(ctx context.Context, token string) error {
			_, err := p.petitions.WithdrawSignature(ctx, &petitionv1.WithdrawSignatureRequest{Token: token})
			return err
		},
		done: errorPage{
			Heading: "Your signature is withdrawn",
			Message: "It no longer counts, and we no longer hold your name or email address for this petition.",
		},
		what: "withdrawal",
	}
}

func (p *Pages) erasureAction() tokenAction {
	return tokenAction{
		form: actionPage{
			Heading: "Erase everything about your email address",
			Message: "Every signature you made on any petition is removed, and so is everything else we hold about your address. This cannot be undone.",
			Action:  "/erasure/confirm",
			Buttons: []actionButton{{Value: "erase", Label: "Erase my data"}},
		},
		title: "Erase your data",
		call: func(ctx context.Context, token string) error {
			_, err := p.petitions.ConfirmErasure(ctx, &petitionv1.ConfirmErasureRequest{Token: token})
			return err
		},
		done: errorPage{
			Heading: "Your data is erased",
			Message: "Your signatures are removed, and the other services are deleting what they held about your address.",
		},
		what:           "erasure",
		expiredMessage: "This erasure link has expired. Ask for erasure again to receive a new one.",
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
		page := a.form
		page.Token = token
		p.render(w, r, http.StatusOK, "action", a.title, page)
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
			p.render(w, r, http.StatusOK, "error", a.done.Heading, a.done)
		case code == codes.InvalidArgument || code == codes.NotFound:
			p.renderError(w, r, http.StatusNotFound, "Unknown link",
				"This "+a.what+" link is not valid. Check that you opened the whole link from your email.")
		case code == codes.FailedPrecondition && a.expiredMessage != "":
			p.renderError(w, r, http.StatusBadRequest, "Expired link", a.expiredMessage)
		default:
			p.unavailable(w, r, a.what, err)
		}
	}
}

func (p *Pages) rsvpForm(w http.ResponseWriter, r *http.Request) {
	token, ok := tokenFrom(r)
	assembly := r.URL.Query().Get("assembly")
	if !ok || assembly == "" || len(assembly) > 64 {
		p.badLink(w, r)
		return
	}
	p.render(w, r, http.StatusOK, "action", "Answer the invitation", actionPage{
		Heading: "Will you attend?",
		Message: "Let the coordinators know whether to expect you. You can change your answer later with the same link.",
		Action:  "/invitations/respond", Token: token, Assembly: assembly,
		Buttons: []actionButton{{Value: "accept", Label: "Yes, I will attend"}, {Value: "tentative", Label: "Maybe"}, {Value: "decline", Label: "No, I cannot attend"}},
	})
}

func (p *Pages) rsvp(w http.ResponseWriter, r *http.Request) {
	token, ok := tokenFrom(r)
	assembly := r.PostFormValue("assembly")
	responses := map[string]eventsv1.Response{
		"accept": eventsv1.Response_RESPONSE_ACCEPTED, "decline": eventsv1.Response_RESPONSE_DECLINED, "tentative": eventsv1.Response_RESPONSE_TENTATIVE,
	}
	response, known := responses[r.PostFormValue("choice")]
	if !ok || !known || assembly == "" || p.events == nil {
		p.badLink(w, r)
		return
	}
	ctx, cancel := outgoing(r)
	defer cancel()
	_, err := p.events.RespondToInvitation(ctx, &eventsv1.RespondToInvitationRequest{AssemblyId: assembly, Token: token, Response: response})
	switch status.Code(err) {
	case codes.OK:
		p.render(w, r, http.StatusOK, "error", "Answer recorded", errorPage{
			Heading: "Thank you, your answer is recorded",
			Message: "The coordinators see it in the attendance list. You can change it with the same link until the answer deadline.",
		})
	case codes.InvalidArgument, codes.NotFound:
		p.renderError(w, r, http.StatusNotFound, "Unknown link", "This invitation link is not valid. Check that you opened the whole link from your email.")
	case codes.FailedPrecondition:
		p.renderError(w, r, http.StatusConflict, "Answers are closed", status.Convert(err).Message())
	default:
		p.unavailable(w, r, "RespondToInvitation", err)
	}
}
