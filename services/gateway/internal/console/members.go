package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
)

type memberRow struct {
	ID, Name, Kind, Country, Status string
	Joined                          time.Time
}

type membersPage struct {
	Status, Kind, Country string
	Statuses, Kinds       []option
	Rows                  []memberRow
	Next                  string // link to the next page
	Form                  *form  // filter errors
}

// members lists the directory with its filters, a page at a time.
func (c *Console) members(rq *request) {
	q := rq.r.URL.Query()
	p := membersPage{Statuses: memberStatuses, Kinds: memberKinds, Form: newForm("filters")}
	req := &membershipv1.ListMembersRequest{PageSize: 100, PageToken: trim(q.Get("page"), 200)}
	if s := q.Get("status"); validOption(memberStatuses, s) {
		p.Status, req.Status = s, membershipv1.MemberStatus(membershipv1.MemberStatus_value[s])
	}
	if k := q.Get("kind"); validOption(memberKinds, k) {
		p.Kind, req.Kind = k, membershipv1.MemberKind(membershipv1.MemberKind_value[k])
	}
	if cc := strings.ToUpper(strings.TrimSpace(q.Get("country"))); cc != "" {
		p.Country = trim(cc, 2)
		if len(cc) != 2 {
			p.Form.Errors["country"] = "Enter a two-letter country code, like ES."
		} else {
			req.Country = cc
		}
	}
	resp, err := c.membership.ListMembers(rq.ctx, req)
	if err != nil {
		o := c.explain(err, p.Form, map[string]string{"country": "country"})
		if o.page {
			c.renderError(rq.w, rq.r, &rq.sess, o.code, o.heading, o.message)
			return
		}
		c.show(rq, o.code, "members", "Members", "members", p)
		return
	}
	for _, m := range resp.GetMembers() {
		p.Rows = append(p.Rows, memberRow{ID: m.GetId(), Name: m.GetName(), Kind: memberKindLabel(m.GetKind()),
			Country: m.GetCountry(), Status: memberStatusLabel(m.GetStatus()), Joined: when(m.GetJoinedAt())})
	}
	if next := resp.GetNextPageToken(); next != "" {
		v := url.Values{"page": {next}}
		for k, val := range map[string]string{"status": p.Status, "kind": p.Kind, "country": req.Country} {
			if val != "" {
				v.Set(k, val)
			}
		}
		p.Next = Prefix + "members?" + v.Encode()
	}
	code := http.StatusOK
	if p.Form.HasErrors() {
		code = http.StatusBadRequest
	}
	c.show(rq, code, "members", "Members", "members", p)
}

type statusChangeView struct {
	From, To, By, Reason string
	At                   time.Time
}

type memberPage struct {
	ID, Name, Kind, Status              string
	Joined                              time.Time
	Coordinator                         bool
	Edit                                *form
	Principles                          []option
	Chosen                              []string // principles ticked
	History                             []statusChangeView
	CanSuspend, CanWithdraw, CanReadmit bool
	StatusForm                          *form
	Representatives                     []representativeView
	RepresentativesError                bool
	Add                                 *form
	Roles                               []option
}

type representativeView struct {
	ID, Name, Email, Role, Language, TimeZone string
}

// forms a member page can show errors of.
type memberForms struct{ edit, status, add *form }

func (c *Console) member(rq *request, id string) {
	c.showMember(rq, id, http.StatusOK, memberForms{})
}

// showMember shows a member's edit form, status history and actions, and
// its representatives, with the errors of whichever form failed.
func (c *Console) showMember(rq *request, id string, code int, forms memberForms) {
	var (
		m       *membershipv1.GetMemberResponse
		reps    *membershipv1.ListRepresentativesResponse
		repsErr error
	)
	var g errgroup.Group
	g.Go(func() (err error) {
		m, err = c.membership.GetMember(rq.ctx, &membershipv1.GetMemberRequest{MemberId: id})
		return err
	})
	g.Go(func() error {
		reps, repsErr = c.membership.ListRepresentatives(rq.ctx, &membershipv1.ListRepresentativesRequest{MemberId: id})
		return nil
	})
	if err := g.Wait(); err != nil {
		c.fail(rq, err)
		return
	}
	mem := m.GetMember()
	p := memberPage{
		ID: mem.GetId(), Name: mem.GetName(), Kind: memberKindLabel(mem.GetKind()), Status: memberStatusLabel(mem.GetStatus()),
		Joined: when(mem.GetJoinedAt()), Coordinator: rq.coordinator(), Principles: principles, Roles: representativeRoles,
		Edit: forms.edit, StatusForm: forms.status, Add: forms.add, RepresentativesError: repsErr != nil,
	}
	if p.Edit == nil {
		p.Edit = newForm("edit")
		p.Edit.Values = map[string]string{
			"name": mem.GetName(), "country": mem.GetCountry(), "region": mem.GetRegion(),
			"commitment": mem.GetCommitment(),
		}
		if n := mem.GetPopulation(); n > 0 {
			p.Edit.Values["population"] = strconv.Itoa(int(n))
		}
		for _, pr := range mem.GetPrinciples() {
			p.Chosen = append(p.Chosen, pr.String())
		}
	} else {
		p.Chosen = rq.r.PostForm["principles"]
	}
	if p.StatusForm == nil {
		p.StatusForm = newForm("status")
	}
	if p.Add == nil {
		p.Add = newForm("add")
		p.Add.Values["language"] = "en"
	}
	switch mem.GetStatus() {
	case membershipv1.MemberStatus_MEMBER_STATUS_MEMBER:
		p.CanSuspend, p.CanWithdraw = true, true
	case membershipv1.MemberStatus_MEMBER_STATUS_SUSPENDED:
		p.CanWithdraw, p.CanReadmit = true, true
	case membershipv1.MemberStatus_MEMBER_STATUS_WITHDRAWN:
		p.CanReadmit = true
	}
	for _, h := range m.GetHistory() {
		p.History = append(p.History, statusChangeView{From: memberStatusLabel(h.GetFrom()), To: memberStatusLabel(h.GetTo()),
			By: h.GetBy(), Reason: h.GetReason(), At: when(h.GetAt())})
	}
	for _, r := range reps.GetRepresentatives() {
		p.Representatives = append(p.Representatives, viewRepresentative(r))
	}
	c.show(rq, code, "member", p.Name, "members", p)
}

func viewRepresentative(r *membershipv1.Representative) representativeView {
	return representativeView{ID: r.GetId(), Name: r.GetName(), Email: r.GetEmail(), Role: representativeRoleLabel(r.GetRole()),
		Language: r.GetLanguage(), TimeZone: r.GetTimeZone()}
}

// updateMember edits the member's public facts (every field replaced).
func (c *Console) updateMember(rq *request, id string) {
	f := newForm("edit")
	f.read(rq.r, "name", "country", "region", "population", "commitment")
	f.require("name", "Enter the member's name.")
	req := &membershipv1.UpdateMemberRequest{MemberId: id, Name: f.Get("name"), Country: strings.ToUpper(f.Get("country")),
		Region: f.Get("region"), Commitment: f.Get("commitment")}
	if s := f.Get("population"); s != "" {
		n, err := strconv.ParseInt(s, 10, 32)
		if err != nil || n < 0 {
			f.Errors["population"] = "Enter the population as a whole number, or leave it empty."
		}
		req.Population = int32(n)
	}
	chosen := rq.r.PostForm["principles"]
	if len(chosen) > len(principles) {
		f.Errors["principles"] = "Choose each principle at most once."
	}
	for _, pr := range chosen {
		if !validOption(principles, pr) {
			f.Errors["principles"] = "Choose principles from the list."
			break
		}
		req.Principles = append(req.Principles, membershipv1.Principle(membershipv1.Principle_value[pr]))
	}
	if f.HasErrors() {
		c.showMember(rq, id, http.StatusBadRequest, memberForms{edit: f})
		return
	}
	if _, err := c.membership.UpdateMember(rq.ctx, req); err != nil {
		o := c.explain(err, f, map[string]string{"name": "name", "country": "country", "region": "region",
			"population": "population", "commitment": "commitment", "principles": "principles"})
		if o.page {
			c.renderError(rq.w, rq.r, &rq.sess, o.code, o.heading, o.message)
			return
		}
		c.showMember(rq, id, o.code, memberForms{edit: f})
		return
	}
	rq.redirect(Prefix+"members/"+id, "Saved.")
}

// changeStatus suspends, withdraws or re-admits a member (coordinators).
func (c *Console) changeStatus(rq *request, id string) {
	f := newForm("status")
	f.read(rq.r, "action", "reason")
	var err error
	var done string
	switch f.Get("action") {
	case "suspend":
		_, err = c.membership.SuspendMember(rq.ctx, &membershipv1.SuspendMemberRequest{MemberId: id, Reason: f.Get("reason")})
		done = "Member suspended."
	case "withdraw":
		_, err = c.membership.WithdrawMember(rq.ctx, &membershipv1.WithdrawMemberRequest{MemberId: id, Reason: f.Get("reason")})
		done = "Withdrawal recorded."
	case "readmit":
		_, err = c.membership.ReadmitMember(rq.ctx, &membershipv1.ReadmitMemberRequest{MemberId: id, Reason: f.Get("reason")})
		done = "Member re-admitted."
	default:
		f.Other = append(f.Other, "Choose what to do.")
		c.showMember(rq, id, http.StatusBadRequest, memberForms{status: f})
		return
	}
	if err != nil {
		o := c.explain(err, f, map[string]string{"reason": "reason"})
		if o.page {
			c.renderError(rq.w, rq.r, &rq.sess, o.code, o.heading, o.message)
			return
		}
		c.showMember(rq, id, o.code, memberForms{status: f})
		return
	}
	rq.redirect(Prefix+"members/"+id, done)
}
