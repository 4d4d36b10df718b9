package console

import (
	"net/http"

	"golang.org/x/sync/errgroup"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
)

type bodyRow struct {
	ID, Name, Kind, Principle string
	Members, People           int
	Implicit                  bool
}

func (c *Console) bodies(rq *request) {
	resp, err := c.membership.ListBodies(rq.ctx, &membershipv1.ListBodiesRequest{})
	if err != nil {
		c.fail(rq, err)
		return
	}
	var rows []bodyRow
	for _, b := range resp.GetBodies() {
		r := bodyRow{ID: b.GetId(), Name: b.GetName(), Kind: labelOf(bodyKinds, b.GetKind().String()),
			Members: len(b.GetMemberIds()), People: int(b.GetRepresentativeCount()),
			Implicit: b.GetKind() == membershipv1.BodyKind_BODY_KIND_ANNUAL_CONFERENCE}
		if b.GetPrinciple() != membershipv1.Principle_PRINCIPLE_UNSPECIFIED {
			r.Principle = principleLabel(b.GetPrinciple())
		}
		rows = append(rows, r)
	}
	c.show(rq, http.StatusOK, "bodies", "Bodies", "bodies", rows)
}

type seatView struct {
	ID, Name, Detail string
	Checked          bool
}

type bodyPage struct {
	ID, Name, Kind, Description string
	Implicit                    bool
	Members                     []seatView // every member, ticked when on the body
	Individuals                 []seatView // people seated by name
	People                      []seatView // everyone who sits on it, and why
	Form                        *form
}

// body shows who sits on a body and lets coordinators change its
// composition: which members' political representatives sit on it, and
// which people sit on it by name.
func (c *Console) body(rq *request, id string) { c.showBody(rq, id, http.StatusOK, nil) }

func (c *Console) showBody(rq *request, id string, code int, f *form) {
	var (
		bodies  *membershipv1.ListBodiesResponse
		people  *membershipv1.ListBodyMembersResponse
		members []*membershipv1.Member
	)
	var g errgroup.Group
	g.Go(func() (err error) {
		bodies, err = c.membership.ListBodies(rq.ctx, &membershipv1.ListBodiesRequest{})
		return err
	})
	g.Go(func() (err error) {
		people, err = c.membership.ListBodyMembers(rq.ctx, &membershipv1.ListBodyMembersRequest{BodyId: id})
		return err
	})
	g.Go(func() (err error) {
		members, err = c.allMembers(rq)
		return err
	})
	if err := g.Wait(); err != nil {
		c.fail(rq, err)
		return
	}
	var b *membershipv1.Body
	for _, x := range bodies.GetBodies() {
		if x.GetId() == id {
			b = x
		}
	}
	if b == nil {
		rq.notFound()
		return
	}
	p := bodyPage{ID: b.GetId(), Name: b.GetName(), Kind: labelOf(bodyKinds, b.GetKind().String()), Description: b.GetDescription(),
		Implicit: b.GetKind() == membershipv1.BodyKind_BODY_KIND_ANNUAL_CONFERENCE, Form: f}
	if p.Form == nil {
		p.Form = newForm("composition")
	}
	onBody := map[string]bool{}
	for _, m := range b.GetMemberIds() {
		onBody[m] = true
	}
	names := map[string]string{}
	for _, m := range members {
		names[m.GetId()] = m.GetName()
		p.Members = append(p.Members, seatView{ID: m.GetId(), Name: m.GetName(), Detail: memberKindLabel(m.GetKind()), Checked: onBody[m.GetId()]})
	}
	for _, person := range individualSeats(b, people.GetPeople()) {
		p.Individuals = append(p.Individuals, seatView{ID: person.GetRepresentativeId(), Name: person.GetName(),
			Detail: names[person.GetMemberId()], Checked: true})
	}
	for _, person := range people.GetPeople() {
		p.People = append(p.People, seatView{ID: person.GetRepresentativeId(), Name: person.GetName(),
			Detail: representativeRoleLabel(person.GetRole()) + ", " + names[person.GetMemberId()]})
	}
	c.show(rq, code, "body", p.Name, "bodies", p)
}

// individualSeats are the people on a body who are not there as the
// political representative of a member on it, i.e. those seated by name.
func individualSeats(b *membershipv1.Body, people []*membershipv1.BodyMember) []*membershipv1.BodyMember {
	onBody := map[string]bool{}
	for _, m := range b.GetMemberIds() {
		onBody[m] = true
	}
	var out []*membershipv1.BodyMember
	for _, p := range people {
		if p.GetRole() == membershipv1.RepresentativeRole_REPRESENTATIVE_ROLE_POLITICAL_REPRESENTATIVE && onBody[p.GetMemberId()] {
			continue
		}
		out = append(out, p)
	}
	return out
}

// allMembers reads the whole directory (a few hundred entries at most).
func (c *Console) allMembers(rq *request) ([]*membershipv1.Member, error) {
	var out []*membershipv1.Member
	token := ""
	for range 20 {
		resp, err := c.membership.ListMembers(rq.ctx, &membershipv1.ListMembersRequest{PageSize: 500, PageToken: token})
		if err != nil {
			return nil, err
		}
		out = append(out, resp.GetMembers()...)
		if token = resp.GetNextPageToken(); token == "" {
			break
		}
	}
	return out, nil
}

// setComposition replaces the body's composition with the ticked members
// and people.
func (c *Console) setComposition(rq *request, id string) {
	f := newForm("composition")
	req := &membershipv1.SetBodyCompositionRequest{BodyId: id, MemberIds: rq.r.PostForm["members"], RepresentativeIds: rq.r.PostForm["people"]}
	if len(req.MemberIds) > 500 || len(req.RepresentativeIds) > 500 {
		f.Other = append(f.Other, "Choose at most 500 members and 500 people.")
		c.showBody(rq, id, http.StatusBadRequest, f)
		return
	}
	if req.MemberIds == nil {
		req.MemberIds = []string{}
	}
	if _, err := c.membership.SetBodyComposition(rq.ctx, req); err != nil {
		o := c.explain(err, f, nil)
		if o.page {
			c.renderError(rq.w, rq.r, &rq.sess, o.code, o.heading, o.message)
			return
		}
		c.showBody(rq, id, o.code, f)
		return
	}
	rq.redirect(Prefix+"bodies/"+id, "Composition saved.")
}
