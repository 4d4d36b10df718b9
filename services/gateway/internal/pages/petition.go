package pages

import (
	"net/http"
	"time"

	"go.uber.org/zap"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
)

type petitionPage struct {
	Petition petitionView
	Form     signForm
	Chart    chartView
	HasChart bool
	Summary  string // the chart in words
	// ChartUnavailable: the statistics could not be read (the rest of the
	// page stands).
	ChartUnavailable bool
	// Signers are the newest confirmed signers who chose to be shown
	// (none when there are none, or they could not be read).
	Signers []publicSigner
}

// publicSigner is a name on the "Recent supporters" list.
type publicSigner struct {
	Name        string
	ConfirmedAt time.Time
}

// recentSigners is how many names the petition page lists.
const recentSigners = 20

// getPetition loads a petition for a page; false when it rendered an error.
func (p *Pages) getPetition(w http.ResponseWriter, r *http.Request, id string) (*petitionv1.Petition, bool) {
	ctx, cancel := outgoing(r)
	defer cancel()
	resp, err := p.petitions.GetPetition(ctx, &petitionv1.GetPetitionRequest{PetitionId: id})
	switch status.Code(err) {
	case codes.OK:
		return resp.GetPetition(), true
	case codes.NotFound, codes.InvalidArgument:
		p.renderError(w, r, http.StatusNotFound, "error.petition_not_found.heading", "error.petition_not_found.message")
	default:
		p.unavailable(w, r, "GetPetition", err)
	}
	return nil, false
}

func (p *Pages) petition(w http.ResponseWriter, r *http.Request) {
	pt, ok := p.getPetition(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	p.renderPetition(w, r, http.StatusOK, pt, signForm{})
}

// renderPetition renders the petition page with the sign form as given and
// the chart of confirmations per day.
func (p *Pages) renderPetition(w http.ResponseWriter, r *http.Request, code int, pt *petitionv1.Petition, form signForm) {
	loc := localeOf(r)
	data := petitionPage{Petition: viewPetition(pt, loc), Form: form}
	ctx, cancel := outgoing(r)
	defer cancel()
	stats, err := p.petitions.GetPetitionStats(ctx, &petitionv1.GetPetitionStatsRequest{PetitionId: pt.GetId()})
	if err != nil {
		p.log.Warn("petition page: stats", zap.String("code", status.Code(err).String()))
		data.ChartUnavailable = true
	} else if data.Chart, data.HasChart = buildChart(stats, data.Petition.Open, time.Now()); data.HasChart {
		data.Summary = data.Chart.Summary(loc)
	}
	data.Signers = p.publicSigners(r, pt.GetId())
	title := data.Petition.Title
	if form.HasErrors() {
		title = loc.T("form.error_title", title)
	}
	p.render(w, r, code, "petition", title, data)
}

// publicSigners reads the petition's recent public signers; the page stands
// without them when they cannot be read.
func (p *Pages) publicSigners(r *http.Request, petitionID string) []publicSigner {
	ctx, cancel := outgoing(r)
	defer cancel()
	resp, err := p.petitions.ListPublicSigners(ctx, &petitionv1.ListPublicSignersRequest{PetitionId: petitionID, PageSize: recentSigners})
	if err != nil {
		p.log.Warn("petition page: public signers", zap.String("code", status.Code(err).String()))
		return nil
	}
	out := make([]publicSigner, 0, len(resp.GetSigners()))
	for _, s := range resp.GetSigners() {
		out = append(out, publicSigner{Name: s.GetName(), ConfirmedAt: s.GetConfirmedAt().AsTime()})
	}
	return out
}
