package pages

import "net/http"

// openDataPage lists the downloads: the files under /open-data/, the
// iCalendar feed and the JSON API with its OpenAPI description. None of
// them holds personal data.
func (p *Pages) openDataPage(w http.ResponseWriter, r *http.Request) {
	p.render(w, r, http.StatusOK, "opendata", localeOf(r).T("opendata.title"), nil)
}
