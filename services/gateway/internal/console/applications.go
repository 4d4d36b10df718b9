package console

import (
	"net/http"
	"time"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
)

type applicationRow struct {
	ID, City, Country, Kind, Status string
	Created                         time.Time
}

type applicationsPage struct {
	Status   string
	Statuses []option
	Rows     []applicationRow
}

// applications lists applications, newest first, optionally in one status.
func (c *Console) applications(rq *request) {
	status := rq.r.URL.Query().Get("status")
	req := &membershipv1.ListApplicationsRequest{PageSize: 500}
	if validOption(applicationStatuses, status) {
		req.Status = membershipv1.ApplicationStatus(membershipv1.ApplicationStatus_value[status])
	} else {
		status = ""
	}
	resp, err := c.membership.ListApplications(rq.ctx, req)
	if err != nil {
		c.fail(rq, err)
		return
	}
	p := applicationsPage{Status: status, Statuses: applicationStatuses}
	for _, a := range resp.GetApplications() {
		p.Rows = append(p.Rows, applicationRow{
			ID: a.GetId(), City: a.GetCity(), Country: a.GetCountry(), Kind: memberKindLabel(a.GetKind()),
			Status: applicationStatusLabel(a.GetStatus()), Created: when(a.GetCreatedAt()),
		})
	}
	c.show(rq, http.StatusOK, "applications", "Applications", "applications", p)
}

type policyView struct {
	Title, Description, Link string
	Principles               []string
}

type transitionView struct {
	From, To, By, Reason string
	At                   time.Time
}

type applicationPage struct {
	ID, City, Country, Region, Kind, Status, Language string
	Population                                        int32
	ContactName, ContactEmail, ContactRole            string
	CommitmentKind, CommitmentReference               string
	CommitmentLink                                    bool
	CommitmentDate                                    time.Time
	Policies                                          []policyView
	RejectionReason, MemberID                         string
	History                                           []transitionView
	Created                                           time.Time
	CanStartReview, CanDecide                         bool
	Reject                                            *form
	Action                                            *form // errors of start review / approve
}

func viewApplication(a *membershipv1.Application) applicationPage {
	p := applicationPage{
		ID: a.GetId(), City: a.GetCity(), Country: a.GetCountry(), Region: a.GetRegion(), Kind: memberKindLabel(a.GetKind()),
		Status: applicationStatusLabel(a.GetStatus()), Language: a.GetLanguage(), Population: a.GetPopulation(),
		ContactName: a.GetContact().GetName(), ContactEmail: a.GetContact().GetEmail(), ContactRole: a.GetContact().GetRole(),
		RejectionReason: a.GetRejectionReason(), MemberID: a.GetMemberId(), Created: when(a.GetCreatedAt()),
		CanStartReview: a.GetStatus() == membershipv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED,
		CanDecide:      a.GetStatus() == membershipv1.ApplicationStatus_APPLICATION_STATUS_UNDER_REVIEW,
	}
	if cm := a.GetCommitment(); cm != nil {
		p.CommitmentKind = labelOf(commitmentKinds, cm.GetKind().String())
		p.CommitmentReference = cm.GetReference()
		p.CommitmentLink = isWebLink(cm.GetReference())
		p.CommitmentDate = when(cm.GetDate())
	}
	for _, pol := range a.GetPolicies() {
		v := policyView{Title: pol.GetTitle(), Description: pol.GetDescription()}
		if isWebLink(pol.GetLink()) {
			v.Link = pol.GetLink()
		}
		for _, pr := range pol.GetPrinciples() {
			v.Principles = append(v.Principles, principleLabel(pr))
		}
		p.Policies = append(p.Policies, v)
	}
	for _, t := range a.GetHistory() {
		p.History = append(p.History, transitionView{
			From: applicationStatusLabel(t.GetFrom()), To: applicationStatusLabel(t.GetTo()),
			By: t.GetBy(), Reason: t.GetReason(), At: when(t.GetAt()),
		})
	}
	return p
}

// application shows one application with its commitment, policies and
// history, and the review actions its status allows.
func (c *Console) application(rq *request, id string) {
	c.showApplication(rq, id, http.StatusOK, nil, nil)
}

func (c *Console) showApplication(rq *request, id string, code int, reject, action *form) {
	resp, err := c.membership.GetApplication(rq.ctx, &membershipv1.GetApplicationRequest{ApplicationId: id})
	if err != nil {
		c.fail(rq, err)
		return
	}
	p := viewApplication(resp.GetApplication())
	if reject == nil {
		reject = newForm("reject")
	}
	p.Reject, p.Action = reject, action
	c.show(rq, code, "application", "Application from "+p.City, "applications", p)
}

func (c *Console) startReview(rq *request, id string) {
	_, err := c.membership.StartReview(rq.ctx, &membershipv1.StartReviewRequest{ApplicationId: id})
	c.afterDecision(rq, id, err, nil, "Review started.")
}

func (c *Console) approve(rq *request, id string) {
	resp, err := c.membership.ApproveApplication(rq.ctx, &membershipv1.ApproveApplicationRequest{ApplicationId: id})
	c.afterDecision(rq, id, err, nil, "Application approved: "+resp.GetMember().GetName()+" is a member.")
}

func (c *Console) reject(rq *request, id string) {
	f := newForm("reject")
	f.read(rq.r, "reason")
	f.require("reason", "Enter the reason for the applicant.")
	if f.HasErrors() {
		c.showApplication(rq, id, http.StatusBadRequest, f, nil)
		return
	}
	_, err := c.membership.RejectApplication(rq.ctx, &membershipv1.RejectApplicationRequest{ApplicationId: id, Reason: f.Get("reason")})
	c.afterDecision(rq, id, err, f, "Application rejected; the reason goes to the applicant.")
}

// afterDecision shows the application again: with the change on success,
// or with what went wrong (nothing changed).
func (c *Console) afterDecision(rq *request, id string, err error, f *form, done string) {
	if err == nil {
		rq.redirect(Prefix+"applications/"+id, done)
		return
	}
	if f == nil {
		f = newForm("action")
	}
	o := c.explain(err, f, map[string]string{"reason": "reason"})
	if o.page {
		c.renderError(rq.w, rq.r, &rq.sess, o.code, o.heading, o.message)
		return
	}
	if f.ID == "reject" {
		c.showApplication(rq, id, o.code, f, nil)
		return
	}
	c.showApplication(rq, id, o.code, nil, f)
}
