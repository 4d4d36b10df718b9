package console

import (
	"net/http"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
)

// A representative's own invitations: the assemblies they are invited to,
// with their times in their own zone and the planning zone, and buttons
// that answer them (the events service knows them by the representative
// id the console's token carries as its subject).

// maxInvitations is how many invitations the page reads (one page of the
// events service's largest).
const maxInvitations = 200

// answers are the answer buttons' values, in the order shown.
var answers = []struct {
	Value, Label string
	Response     eventsv1.Response
}{
	{"accepted", "Accept", eventsv1.Response_RESPONSE_ACCEPTED},
	{"tentative", "Maybe", eventsv1.Response_RESPONSE_TENTATIVE},
	{"declined", "Decline", eventsv1.Response_RESPONSE_DECLINED},
}

type answerButton struct{ Value, Label string }

type invitationView struct {
	ID, Title, Kind, Body, Place, OnlineURL string
	Public, Cancelled, Ended, Minutes       bool
	CancelReason                            string
	// YourTime is in the invitee's zone, Planned in the planning zone
	// (SameZone: they are one).
	YourTime, YourZone, Planned, PlanningZone string
	SameZone                                  bool
	Deadline                                  string
	Answer                                    string
	Answered                                  bool
	RespondedAt                               time.Time
	TakesAnswers                              bool
	// Buttons are the answers one can change to.
	Buttons []answerButton
	// CSRF is the session's form token (each card has its form).
	CSRF string
}

type invitationsPage struct {
	Upcoming, Recent []invitationView
	// More: there are more invitations than the page shows.
	More bool
	// Form holds why an answer was refused.
	Form *form
}

// invitations shows the signed-in representative's invitations.
func (c *Console) invitations(rq *request) {
	if rq.coordinator() {
		c.renderError(rq.w, rq.r, &rq.sess, http.StatusNotFound, "No invitations",
			"This page is for representatives: it shows the assemblies they are invited to.")
		return
	}
	c.showInvitations(rq, http.StatusOK, newForm("answer"))
}

func (c *Console) showInvitations(rq *request, code int, f *form) {
	var (
		list   *eventsv1.ListMyInvitationsResponse
		bodies *membershipv1.ListBodiesResponse
	)
	var g errgroup.Group
	g.Go(func() (err error) {
		list, err = c.events.ListMyInvitations(rq.ctx, &eventsv1.ListMyInvitationsRequest{PageSize: maxInvitations})
		return err
	})
	g.Go(func() error {
		// Body names are a nicety: without them the page still shows.
		bodies, _ = c.membership.ListBodies(rq.ctx, &membershipv1.ListBodiesRequest{})
		return nil
	})
	if err := g.Wait(); err != nil {
		c.fail(rq, err)
		return
	}
	names := map[string]string{}
	for _, b := range bodies.GetBodies() {
		names[b.GetId()] = b.GetName()
	}
	p := invitationsPage{More: list.GetNextPageToken() != "", Form: f}
	now := c.now()
	for _, inv := range list.GetInvitations() {
		v := viewInvitation(inv, names, now)
		v.CSRF = rq.sess.CSRF
		if v.Ended {
			p.Recent = append(p.Recent, v)
		} else {
			p.Upcoming = append(p.Upcoming, v)
		}
	}
	c.show(rq, code, "invitations", "Your invitations", "invitations", p)
}

func viewInvitation(inv *eventsv1.MyInvitation, bodies map[string]string, now time.Time) invitationView {
	a := inv.GetAssembly()
	yours := inv.GetTimes().GetStarts().GetTimeZone()
	v := invitationView{
		ID:           a.GetId(),
		Title:        a.GetTitle(),
		Kind:         labelOf(assemblyKinds, a.GetKind().String()),
		Body:         bodies[inv.GetBodyId()],
		Place:        placeText(a),
		Public:       a.GetPublic(),
		Cancelled:    a.GetStatus() == eventsv1.AssemblyStatus_ASSEMBLY_STATUS_CANCELLED,
		Ended:        ended(a, now),
		Minutes:      a.GetMinutes() != nil,
		CancelReason: a.GetCancelReason(),
		YourTime:     localSpanText(inv.GetTimes().GetStarts(), inv.GetTimes().GetEnds()),
		YourZone:     zoneLabel(yours),
		Planned:      spanText(when(a.GetStartsAt()), when(a.GetEndsAt()), a.GetTimeZone()),
		PlanningZone: zoneLabel(a.GetTimeZone()),
		SameZone:     yours == a.GetTimeZone(),
		Answer:       responseLabels[inv.GetResponse()],
		Answered:     inv.GetResponse() == eventsv1.Response_RESPONSE_ACCEPTED || inv.GetResponse() == eventsv1.Response_RESPONSE_TENTATIVE || inv.GetResponse() == eventsv1.Response_RESPONSE_DECLINED,
		RespondedAt:  when(inv.GetRespondedAt()),
		TakesAnswers: inv.GetTakesAnswers(),
	}
	if isWebLink(a.GetOnlineUrl()) {
		v.OnlineURL = a.GetOnlineUrl()
	}
	if d := when(a.GetRsvpDeadline()); !d.IsZero() {
		v.Deadline = whenText(d, yours)
	}
	for _, b := range answers {
		if b.Response != inv.GetResponse() {
			v.Buttons = append(v.Buttons, answerButton{Value: b.Value, Label: b.Label})
		}
	}
	return v
}

func zoneLabel(name string) string { return strings.ReplaceAll(name, "_", " ") }

// respondToInvitation records the representative's answer to their own
// invitation {id}. A refusal by the rules (deadline, no places left,
// cancelled) shows the list again with the reason; an assembly they are
// not invited to is not found.
func (c *Console) respondToInvitation(rq *request, id string) {
	if rq.coordinator() {
		c.forbidden(rq.w, rq.r, &rq.sess)
		return
	}
	choice := rq.r.PostForm.Get("response")
	r := eventsv1.Response_RESPONSE_UNSPECIFIED
	for _, b := range answers {
		if b.Value == choice {
			r = b.Response
		}
	}
	f := newForm("answer")
	if r == eventsv1.Response_RESPONSE_UNSPECIFIED {
		f.Other = append(f.Other, "Choose whether you accept, may come or decline.")
		c.showInvitations(rq, http.StatusBadRequest, f)
		return
	}
	resp, err := c.events.RespondAsInvitee(rq.ctx, &eventsv1.RespondAsInviteeRequest{AssemblyId: id, Response: r})
	if err != nil {
		o := c.explain(err, f, nil)
		if o.page {
			c.renderError(rq.w, rq.r, &rq.sess, o.code, o.heading, o.message)
			return
		}
		c.showInvitations(rq, o.code, f)
		return
	}
	inv := resp.GetInvitation()
	rq.redirect(Prefix+"invitations#invitation-"+id,
		"Your answer to “"+inv.GetAssembly().GetTitle()+"” is recorded: "+strings.ToLower(responseLabels[inv.GetResponse()])+".")
}
