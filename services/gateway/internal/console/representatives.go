package console

import (
	"net/http"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
)

// representativeFields maps the service's field paths to the form's names.
var representativeFields = map[string]string{
	"representative.name": "name", "representative.email": "email", "representative.role": "role",
	"representative.language": "language", "representative.time_zone": "time_zone",
}

// readRepresentative reads the representative form (add, edit, my data).
func readRepresentative(rq *request, f *form) *membershipv1.RepresentativeDetails {
	f.read(rq.r, "name", "email", "role", "language", "time_zone")
	f.require("name", "Enter their name.")
	f.require("email", "Enter their email address.")
	f.require("language", "Enter the language their emails are written in, like en or pt-BR.")
	f.require("time_zone", "Enter their time zone, like Europe/Lisbon.")
	if !validOption(representativeRoles, f.Get("role")) {
		f.Errors["role"] = "Choose their role."
	}
	return &membershipv1.RepresentativeDetails{
		Name: f.Get("name"), Email: f.Get("email"), Language: f.Get("language"), TimeZone: f.Get("time_zone"),
		Role: membershipv1.RepresentativeRole(membershipv1.RepresentativeRole_value[f.Get("role")]),
	}
}

// addRepresentative adds a representative to the member.
func (c *Console) addRepresentative(rq *request, id string) {
	f := newForm("add")
	details := readRepresentative(rq, f)
	if f.HasErrors() {
		c.showMember(rq, id, http.StatusBadRequest, memberForms{add: f})
		return
	}
	_, err := c.membership.AddRepresentative(rq.ctx, &membershipv1.AddRepresentativeRequest{MemberId: id, Representative: details})
	if err != nil {
		o := c.explain(err, f, representativeFields)
		if o.page {
			c.renderError(rq.w, rq.r, &rq.sess, o.code, o.heading, o.message)
			return
		}
		c.showMember(rq, id, o.code, memberForms{add: f})
		return
	}
	rq.redirect(Prefix+"members/"+id+"#representatives", "Representative added: "+details.GetName()+".")
}

type representativePage struct {
	MemberID, MemberName string
	Rep                  representativeView
	Form                 *form
	Roles                []option
}

// findRepresentative looks the representative up among the member's.
func (c *Console) findRepresentative(rq *request, memberID, repID string) (*representativePage, bool) {
	reps, err := c.membership.ListRepresentatives(rq.ctx, &membershipv1.ListRepresentativesRequest{MemberId: memberID})
	if err != nil {
		c.fail(rq, err)
		return nil, false
	}
	m, err := c.membership.GetMember(rq.ctx, &membershipv1.GetMemberRequest{MemberId: memberID})
	if err != nil {
		c.fail(rq, err)
		return nil, false
	}
	for _, r := range reps.GetRepresentatives() {
		if r.GetId() == repID {
			f := newForm("edit")
			f.Values = map[string]string{"name": r.GetName(), "email": r.GetEmail(), "role": r.GetRole().String(),
				"language": r.GetLanguage(), "time_zone": r.GetTimeZone()}
			return &representativePage{MemberID: memberID, MemberName: m.GetMember().GetName(), Rep: viewRepresentative(r),
				Form: f, Roles: representativeRoles}, true
		}
	}
	rq.notFound()
	return nil, false
}

func (c *Console) representative(rq *request, id string) {
	p, ok := c.findRepresentative(rq, id, rq.r.PathValue("rid"))
	if !ok {
		return
	}
	c.show(rq, http.StatusOK, "representative", "Edit "+p.Rep.Name, "members", p)
}

// updateRepresentative corrects a representative (every field replaced).
func (c *Console) updateRepresentative(rq *request, id string) {
	rid := rq.r.PathValue("rid")
	f := newForm("edit")
	details := readRepresentative(rq, f)
	if !f.HasErrors() {
		_, err := c.membership.UpdateRepresentative(rq.ctx, &membershipv1.UpdateRepresentativeRequest{MemberId: id, RepresentativeId: rid, Representative: details})
		if err == nil {
			rq.redirect(Prefix+"members/"+id+"#representatives", "Saved: "+details.GetName()+".")
			return
		}
		if o := c.explain(err, f, representativeFields); o.page {
			c.renderError(rq.w, rq.r, &rq.sess, o.code, o.heading, o.message)
			return
		}
	}
	p, ok := c.findRepresentative(rq, id, rid)
	if !ok {
		return
	}
	p.Form = f
	c.show(rq, http.StatusBadRequest, "representative", "Edit "+p.Rep.Name, "members", p)
}

// confirmRemove asks before removing: removal erases their personal data.
func (c *Console) confirmRemove(rq *request, id string) {
	p, ok := c.findRepresentative(rq, id, rq.r.PathValue("rid"))
	if !ok {
		return
	}
	c.show(rq, http.StatusOK, "remove", "Remove "+p.Rep.Name, "members", p)
}

func (c *Console) removeRepresentative(rq *request, id string) {
	rid := rq.r.PathValue("rid")
	_, err := c.membership.RemoveRepresentative(rq.ctx, &membershipv1.RemoveRepresentativeRequest{MemberId: id, RepresentativeId: rid})
	if err != nil {
		c.fail(rq, err)
		return
	}
	if rid == rq.sess.Subject {
		// They removed themselves: their record is gone, so is their access.
		c.endSession(rq.w, rq.r)
		http.Redirect(rq.w, rq.r, Prefix+"sign-in?signed_out=1", http.StatusSeeOther)
		return
	}
	rq.redirect(Prefix+"members/"+id+"#representatives", "Representative removed and their personal data erased.")
}
