package console

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
)

// Changing who is invited to a scheduled assembly: newly invited people get
// an invitation, people uninvited get a cancellation for them only, nobody
// else is emailed.

type currentInvitee struct {
	Name, Email, Via, Answer string
}

type inviteesPage struct {
	ID, Title string
	Current   []currentInvitee
	// InvitedBodies are the bodies invited whole; Bodies all of them (a
	// body invited again brings in those who joined it since).
	InvitedBodies, Bodies []bodyChoice
	// Groups are the representatives not invited yet.
	Groups      []repGroup
	Add, Remove *form
	// What was ticked, when a form is shown again.
	AddBodies, AddPeople, RemoveBodies, RemoveEmails []string
}

func (c *Console) invitees(rq *request, id string) {
	c.showInvitees(rq, id, http.StatusOK, &inviteesPage{Add: newForm("add"), Remove: newForm("remove")})
}

// inviteesState is what the invitees page and its forms need to know.
type inviteesState struct {
	a   *eventsv1.Assembly
	att *eventsv1.GetAttendanceResponse
	ic  *inviteeChoices
}

func (c *Console) loadInvitees(rq *request, id string) (*inviteesState, bool) {
	a, ok := c.loadChangeable(rq, id)
	if !ok {
		return nil, false
	}
	st := &inviteesState{a: a}
	var g errgroup.Group
	g.Go(func() (err error) {
		st.att, err = c.events.GetAttendance(rq.ctx, &eventsv1.GetAttendanceRequest{AssemblyId: id})
		return err
	})
	g.Go(func() (err error) {
		st.ic, err = c.inviteeChoices(rq)
		return err
	})
	if err := g.Wait(); err != nil {
		c.fail(rq, err)
		return nil, false
	}
	return st, true
}

func (c *Console) showInvitees(rq *request, id string, code int, p *inviteesPage) {
	st, ok := c.loadInvitees(rq, id)
	if !ok {
		return
	}
	c.renderInvitees(rq, code, st, p)
}

func (c *Console) renderInvitees(rq *request, code int, st *inviteesState, p *inviteesPage) {
	p.ID, p.Title = st.a.GetId(), st.a.GetTitle()
	invited := map[string]bool{}
	for _, at := range st.att.GetAttendees() {
		invited[strings.ToLower(at.GetEmail())] = true
		via := "Invited by name"
		if at.GetBodyId() != "" {
			via = st.ic.bodyName(at.GetBodyId())
		}
		p.Current = append(p.Current, currentInvitee{Name: at.GetName(), Email: at.GetEmail(), Via: via, Answer: responseLabels[at.GetResponse()]})
	}
	p.Bodies = st.ic.Bodies
	for _, b := range st.ic.Bodies {
		if slices.Contains(st.a.GetBodyIds(), b.ID) {
			p.InvitedBodies = append(p.InvitedBodies, b)
		}
	}
	for _, g := range st.ic.Groups {
		var left []repChoice
		for _, r := range g.People {
			if !invited[strings.ToLower(st.ic.reps[r.ID].GetEmail())] {
				left = append(left, r)
			}
		}
		if len(left) > 0 {
			p.Groups = append(p.Groups, repGroup{Member: g.Member, People: left})
		}
	}
	c.show(rq, code, "assembly_invitees", "Invitees of "+p.Title, "assemblies", p)
}

// addInvitees invites the ticked bodies and representatives.
func (c *Console) addInvitees(rq *request, id string) {
	st, ok := c.loadInvitees(rq, id)
	if !ok {
		return
	}
	f := newForm("add")
	bodyIDs, people, repIDs := invitees(rq, f, st.ic)
	p := &inviteesPage{Add: f, Remove: newForm("remove"), AddBodies: bodyIDs, AddPeople: repIDs}
	if !f.HasErrors() && len(bodyIDs) == 0 && len(people) == 0 {
		f.Errors["bodies"] = "Choose bodies or people to invite."
	}
	if f.HasErrors() {
		c.renderInvitees(rq, http.StatusBadRequest, st, p)
		return
	}
	resp, err := c.events.AddInvitees(rq.ctx, &eventsv1.AddInviteesRequest{AssemblyId: id, BodyIds: bodyIDs, People: people})
	if err != nil {
		c.formFailed(rq, err, f, func(code int) { c.renderInvitees(rq, code, st, p) })
		return
	}
	n := len(resp.GetAdded())
	msg := "Everyone chosen was already invited: nothing changed."
	if n > 0 {
		msg = fmt.Sprintf("Invited %d more %s: each gets an invitation email with their calendar entry.", n, plural(n, "person", "people"))
	}
	if k := len(resp.GetConflicts()); k > 0 {
		msg += fmt.Sprintf(" Note: %d %s with other assemblies the new invitees are invited to.", k, plural(k, "overlap", "overlaps"))
	}
	rq.redirect(Prefix+"assemblies/"+id+"/invitees", msg)
}

// removeInvitees withdraws the ticked people's and bodies' invitations.
func (c *Console) removeInvitees(rq *request, id string) {
	st, ok := c.loadInvitees(rq, id)
	if !ok {
		return
	}
	f := newForm("remove")
	emails := chosen(rq, f, "emails", maxChosenPeople, func(e string) bool {
		return slices.ContainsFunc(st.att.GetAttendees(), func(at *eventsv1.Attendee) bool { return strings.EqualFold(at.GetEmail(), e) })
	}, "Choose people from the list of invitees (it may have changed: look again).")
	bodyIDs := chosen(rq, f, "bodies", maxChosenBodies, func(b string) bool { return slices.Contains(st.a.GetBodyIds(), b) },
		"Choose bodies from the list of invited bodies (it may have changed: look again).")
	p := &inviteesPage{Add: newForm("add"), Remove: f, RemoveBodies: bodyIDs, RemoveEmails: emails}
	if !f.HasErrors() && len(emails) == 0 && len(bodyIDs) == 0 {
		f.Errors["emails"] = "Choose the people or bodies whose invitations to withdraw."
	}
	if f.HasErrors() {
		c.renderInvitees(rq, http.StatusBadRequest, st, p)
		return
	}
	resp, err := c.events.RemoveInvitees(rq.ctx, &eventsv1.RemoveInviteesRequest{AssemblyId: id, Emails: emails, BodyIds: bodyIDs})
	if err != nil {
		c.formFailed(rq, err, f, func(code int) { c.renderInvitees(rq, code, st, p) })
		return
	}
	n := len(resp.GetRemoved())
	msg := "Nobody's invitation was withdrawn: those chosen stay invited another way."
	if n > 0 {
		msg = fmt.Sprintf("Withdrew %d %s: each person removed gets a cancellation, nobody else is emailed.", n, plural(n, "invitation", "invitations"))
	}
	rq.redirect(Prefix+"assemblies/"+id+"/invitees", msg)
}

// AddFields are the invite-more form's choices.
func (p *inviteesPage) AddFields() inviteeFields {
	return inviteeFields{Form: p.Add, BodiesLegend: "Bodies to invite", PeopleLegend: "Representatives to invite by name",
		Bodies: p.Bodies, Groups: p.Groups, ChosenBodies: p.AddBodies, ChosenPeople: p.AddPeople}
}
