package console

import (
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
)

type assemblyView struct {
	Title, Body, TimeZone, Place string
	Starts                       time.Time
	Cancelled                    bool
}

type mePage struct {
	Rep        representativeView
	MemberID   string
	Bodies     []string
	Assemblies []assemblyView
	// AssembliesUnavailable: the events service did not answer.
	AssembliesUnavailable bool
	Form                  *form
	Roles                 []option
}

// me shows a representative what is held about them, the bodies they sit
// on and those bodies' upcoming public assemblies, and lets them correct
// their details. Their own invitations, closed meetings included, are on
// the invitations page (invitations.go).
func (c *Console) me(rq *request) {
	if rq.coordinator() {
		c.renderError(rq.w, rq.r, &rq.sess, http.StatusNotFound, "No representative record",
			"This page is for representatives: coordinators' accounts have no representative record.")
		return
	}
	c.showMe(rq, http.StatusOK, nil)
}

func (c *Console) showMe(rq *request, code int, f *form) {
	mine, err := c.membership.GetMyData(rq.ctx, &membershipv1.GetMyDataRequest{})
	if err != nil {
		c.fail(rq, err)
		return
	}
	rep := mine.GetRepresentative()
	p := mePage{Rep: viewRepresentative(rep), MemberID: rep.GetMemberId(), Bodies: mine.GetBodies(), Form: f, Roles: representativeRoles}
	if p.Form == nil {
		p.Form = newForm("me")
		p.Form.Values = map[string]string{"name": rep.GetName(), "email": rep.GetEmail(), "role": rep.GetRole().String(),
			"language": rep.GetLanguage(), "time_zone": rep.GetTimeZone()}
	}
	p.Assemblies, p.AssembliesUnavailable = c.assembliesOf(rq, mine.GetBodies())
	c.show(rq, code, "me", "Your details", "me", p)
}

// assembliesOf lists the upcoming public assemblies of the named bodies.
func (c *Console) assembliesOf(rq *request, bodyNames []string) ([]assemblyView, bool) {
	if len(bodyNames) == 0 {
		return nil, false
	}
	var (
		bodies *membershipv1.ListBodiesResponse
		list   *eventsv1.ListAssembliesResponse
	)
	var g errgroup.Group
	g.Go(func() (err error) {
		bodies, err = c.membership.ListBodies(rq.ctx, &membershipv1.ListBodiesRequest{})
		return err
	})
	g.Go(func() (err error) {
		list, err = c.events.ListAssemblies(rq.ctx, &eventsv1.ListAssembliesRequest{PageSize: 200})
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, true
	}
	mine := map[string]string{} // body id -> name
	for _, b := range bodies.GetBodies() {
		for _, n := range bodyNames {
			if b.GetName() == n {
				mine[b.GetId()] = n
			}
		}
	}
	var out []assemblyView
	now := c.now()
	for _, a := range list.GetAssemblies() {
		if end := when(a.GetEndsAt()); !end.IsZero() && end.Before(now) {
			continue
		}
		for _, id := range a.GetBodyIds() {
			if name, ok := mine[id]; ok {
				out = append(out, assemblyView{Title: a.GetTitle(), Body: name, TimeZone: a.GetTimeZone(), Starts: when(a.GetStartsAt()),
					Place: a.GetPlace().GetHostCity(), Cancelled: a.GetStatus() == eventsv1.AssemblyStatus_ASSEMBLY_STATUS_CANCELLED})
				break
			}
		}
	}
	return out, false
}

// updateMe corrects the representative's own details.
func (c *Console) updateMe(rq *request) {
	if rq.coordinator() {
		c.forbidden(rq.w, rq.r, &rq.sess)
		return
	}
	f := newForm("me")
	details := readRepresentative(rq, f)
	if f.HasErrors() {
		c.showMe(rq, http.StatusBadRequest, f)
		return
	}
	if _, err := c.membership.UpdateMyData(rq.ctx, &membershipv1.UpdateMyDataRequest{Representative: details}); err != nil {
		o := c.explain(err, f, representativeFields)
		if o.page {
			c.renderError(rq.w, rq.r, &rq.sess, o.code, o.heading, o.message)
			return
		}
		c.showMe(rq, o.code, f)
		return
	}
	rq.redirect(Prefix+"me", "Your details are saved.")
}
