package pages

import (
	"net/http"
	"net/url"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
)

// petitionsPageSize is how many petitions one page of the list shows.
const petitionsPageSize = 100

type petitionsPage struct {
	Open   []petitionView
	Others []petitionView // succeeded or closed
	Next   string         // URL of the next page, if any
}

// petitionsPage lists every public petition, newest first, with its count
// as the petition service holds it now and its progress toward the goal.
// Open ones come first; a page token (?page=) continues the list.
func (p *Pages) petitionsPage(w http.ResponseWriter, r *http.Request) {
	loc := localeOf(r)
	token := r.URL.Query().Get("page")
	if len(token) > 200 {
		p.renderError(w, r, http.StatusBadRequest, "error.bad_page.heading", "error.bad_page.message")
		return
	}
	ctx, cancel := outgoing(r)
	defer cancel()
	resp, err := p.petitions.ListPetitions(ctx, &petitionv1.ListPetitionsRequest{PageSize: petitionsPageSize, PageToken: token})
	if status.Code(err) == codes.InvalidArgument {
		p.renderError(w, r, http.StatusBadRequest, "error.bad_page.heading", "error.bad_page.message")
		return
	}
	if err != nil {
		p.unavailable(w, r, "ListPetitions", err)
		return
	}
	var data petitionsPage
	for _, pt := range resp.GetPetitions() {
		v := viewPetition(pt, loc)
		if v.Open {
			data.Open = append(data.Open, v)
		} else {
			data.Others = append(data.Others, v)
		}
	}
	if next := resp.GetNextPageToken(); next != "" {
		data.Next = "/petitions?" + url.Values{"page": {next}}.Encode()
	}
	p.render(w, r, http.StatusOK, "petitions", loc.T("petitions.title"), data)
}
