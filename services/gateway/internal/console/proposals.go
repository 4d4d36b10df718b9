package console

import (
	"net/http"
	"strconv"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
)

type proposalRow struct {
	ID, City, Country, Title, Proposer string
	Created                            time.Time
}

// proposals lists residents' petition proposals waiting for a coordinator.
func (c *Console) proposals(rq *request) {
	resp, err := c.petition.ListProposals(rq.ctx, &petitionv1.ListProposalsRequest{PageSize: 200})
	if err != nil {
		c.fail(rq, err)
		return
	}
	var rows []proposalRow
	for _, p := range resp.GetProposals() {
		pt := p.GetPetition()
		rows = append(rows, proposalRow{ID: pt.GetId(), City: pt.GetCity(), Country: pt.GetCountry(), Title: firstTitle(pt),
			Proposer: p.GetProposerName(), Created: when(pt.GetCreatedAt())})
	}
	c.show(rq, http.StatusOK, "proposals", "Petition proposals", "proposals", rows)
}

func firstTitle(pt *petitionv1.Petition) string {
	if t := pt.GetTexts(); len(t) > 0 {
		return t[0].GetTitle()
	}
	return ""
}

type textView struct {
	Index                 int
	Language, Title, Body string
}

type proposalPage struct {
	ID, City, Country, Region, ProposerName, ProposerEmail string
	Created                                                time.Time
	Texts                                                  []textView
	Edit, Publish, Reject                                  *form
}

// proposal shows one proposal with its three forms: edit, publish, reject.
func (c *Console) proposal(rq *request, id string) { c.showProposal(rq, id, http.StatusOK, nil) }

func (c *Console) showProposal(rq *request, id string, code int, failed *form) {
	resp, err := c.petition.ListProposals(rq.ctx, &petitionv1.ListProposalsRequest{PageSize: 200})
	if err != nil {
		c.fail(rq, err)
		return
	}
	var found *petitionv1.Proposal
	for _, p := range resp.GetProposals() {
		if p.GetPetition().GetId() == id {
			found = p
		}
	}
	if found == nil {
		c.renderError(rq.w, rq.r, &rq.sess, http.StatusNotFound, "Not found",
			"There is no proposal waiting at this address: it may have been published or rejected already.")
		return
	}
	pt := found.GetPetition()
	p := proposalPage{ID: pt.GetId(), City: pt.GetCity(), Country: pt.GetCountry(), Region: pt.GetRegion(),
		ProposerName: found.GetProposerName(), ProposerEmail: found.GetProposerEmail(), Created: when(pt.GetCreatedAt()),
		Edit: newForm("edit"), Publish: newForm("publish"), Reject: newForm("reject")}
	p.Edit.Values["region"] = pt.GetRegion()
	for i, t := range pt.GetTexts() {
		p.Texts = append(p.Texts, textView{Index: i, Language: t.GetLanguage(), Title: t.GetTitle(), Body: t.GetBody()})
	}
	if failed != nil {
		switch failed.ID {
		case "edit":
			p.Edit = failed
			for i := range p.Texts {
				p.Texts[i].Title = failed.Get(textField(i, "title"))
				p.Texts[i].Body = failed.Get(textField(i, "body"))
			}
		case "publish":
			p.Publish = failed
		case "reject":
			p.Reject = failed
		}
	}
	c.show(rq, code, "proposal", "Proposal for "+p.City, "proposals", p)
}

func textField(i int, name string) string { return "text_" + strconv.Itoa(i) + "_" + name }

// editProposal replaces the proposal's texts and region.
func (c *Console) editProposal(rq *request, id string) {
	f := newForm("edit")
	f.read(rq.r, "region")
	req := &petitionv1.EditProposalRequest{ProposalId: id, Region: f.Get("region")}
	fields := map[string]string{"region": "region"}
	for i := range 10 {
		lang := trim(rq.r.PostForm.Get(textField(i, "language")), 35)
		if lang == "" {
			break
		}
		f.read(rq.r, textField(i, "title"), textField(i, "body"))
		f.require(textField(i, "title"), "Enter a title.")
		req.Texts = append(req.Texts, &petitionv1.PetitionText{Language: lang, Title: f.Get(textField(i, "title")), Body: f.Get(textField(i, "body"))})
		fields["texts["+strconv.Itoa(i)+"].title"] = textField(i, "title")
		fields["texts["+strconv.Itoa(i)+"].body"] = textField(i, "body")
	}
	c.afterProposal(rq, id, f, fields, "Proposal saved.", func() error {
		_, err := c.petition.EditProposal(rq.ctx, req)
		return err
	})
}

// publishProposal opens the proposal for signatures with a goal and an
// optional closing date (the end of that day, UTC).
func (c *Console) publishProposal(rq *request, id string) {
	f := newForm("publish")
	f.read(rq.r, "goal", "closes_on")
	req := &petitionv1.PublishProposalRequest{ProposalId: id}
	n, err := strconv.ParseInt(f.Get("goal"), 10, 32)
	if err != nil || n <= 0 {
		f.Errors["goal"] = "Enter the number of signatures to aim for, a whole number above 0."
	}
	req.Goal = int32(n)
	if s := f.Get("closes_on"); s != "" {
		d, err := time.Parse("2006-01-02", s)
		switch {
		case err != nil:
			f.Errors["closes_on"] = "Enter the date as YYYY-MM-DD, or leave it empty."
		case !d.After(c.now()):
			f.Errors["closes_on"] = "Enter a date in the future."
		default:
			req.ClosesAt = timestamppb.New(d.Add(24*time.Hour - time.Second))
		}
	}
	c.afterProposal(rq, id, f, map[string]string{"goal": "goal", "closes_at": "closes_on"}, "Published: the petition is open for signatures.", func() error {
		_, err := c.petition.PublishProposal(rq.ctx, req)
		return err
	})
}

func (c *Console) rejectProposal(rq *request, id string) {
	f := newForm("reject")
	f.read(rq.r, "reason")
	f.require("reason", "Enter the reason for rejecting it.")
	c.afterProposal(rq, id, f, map[string]string{"reason": "reason"}, "Proposal rejected.", func() error {
		_, err := c.petition.RejectProposal(rq.ctx, &petitionv1.RejectProposalRequest{ProposalId: id, Reason: f.Get("reason")})
		return err
	})
}

// afterProposal makes the call unless the form already has errors, then
// goes back to the list (the proposal left it) or shows the errors.
func (c *Console) afterProposal(rq *request, id string, f *form, fields map[string]string, done string, call func() error) {
	if f.HasErrors() {
		c.showProposal(rq, id, http.StatusBadRequest, f)
		return
	}
	if err := call(); err != nil {
		o := c.explain(err, f, fields)
		if o.page {
			c.renderError(rq.w, rq.r, &rq.sess, o.code, o.heading, o.message)
			return
		}
		c.showProposal(rq, id, o.code, f)
		return
	}
	if f.ID == "edit" {
		rq.redirect(Prefix+"proposals/"+id, done)
		return
	}
	rq.redirect(Prefix+"proposals", done)
}
