package pages

import (
	"net/http"
	"strings"

	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc/status"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/gateway/internal/i18n"
)

// homePetitions is how many open petitions the home page shows; the
// petitions page has them all.
const homePetitions = 6

type memberView struct {
	Name    string
	Country string // localized name
	Region  string
	Network bool
}

type homePage struct {
	Principles           []string
	Petitions            []petitionView
	MorePetitions        bool
	PetitionsUnavailable bool

	Members            []memberView // after the filter
	MembersUnavailable bool
	// The filter: continental region and country, with the options that
	// have members; Invalid when the URL held something else.
	Region, Country string
	Regions         []i18n.Place
	Countries       []i18n.Place
	Filtered        bool
	Invalid         bool
}

// home shows what the coalition is, its principles, how a city joins, the
// open petitions and the member cities (filterable by continent and
// country). A service that cannot answer leaves its section with a notice
// rather than failing the whole page.
func (p *Pages) home(w http.ResponseWriter, r *http.Request) {
	loc := localeOf(r)
	data := homePage{Principles: principleList(loc)}
	q := r.URL.Query()
	data.Region, data.Country = strings.TrimSpace(q.Get("region")), strings.ToUpper(strings.TrimSpace(q.Get("country")))
	if (data.Region != "" && !i18n.IsWorldRegion(data.Region)) || (data.Country != "" && !i18n.IsCountry(data.Country)) {
		data.Invalid, data.Region, data.Country = true, "", ""
	}
	data.Filtered = data.Region != "" || data.Country != ""

	ctx, cancel := outgoing(r)
	defer cancel()
	var g errgroup.Group
	g.Go(func() error {
		resp, err := p.petitions.ListPetitions(ctx, &petitionv1.ListPetitionsRequest{PageSize: 50})
		if err != nil {
			p.log.Warn("home: list petitions", zap.String("code", status.Code(err).String()))
			data.PetitionsUnavailable = true
			return nil
		}
		for _, pt := range resp.GetPetitions() {
			if v := viewPetition(pt, loc); v.Open {
				data.Petitions = append(data.Petitions, v)
			}
		}
		if len(data.Petitions) > homePetitions {
			data.Petitions, data.MorePetitions = data.Petitions[:homePetitions], true
		}
		return nil
	})
	g.Go(func() error {
		list, err := p.allMembers(ctx, &membershipv1.ListMembersRequest{PageSize: 500, Status: membershipv1.MemberStatus_MEMBER_STATUS_MEMBER})
		if err != nil {
			p.log.Warn("home: list members", zap.String("code", status.Code(err).String()))
			data.MembersUnavailable = true
			return nil
		}
		data.filterMembers(list, loc)
		return nil
	})
	_ = g.Wait()
	code := http.StatusOK
	if data.Invalid {
		code = http.StatusBadRequest
	}
	p.render(w, r, code, "home", "", data)
}

// filterMembers keeps the member cities and networks that match the
// filter, and gathers the filter's options from all of them.
func (data *homePage) filterMembers(list []*membershipv1.Member, loc *i18n.Locale) {
	regions, countries := map[string]bool{}, map[string]bool{}
	for _, m := range list {
		kind := m.GetKind()
		if m.GetStatus() != membershipv1.MemberStatus_MEMBER_STATUS_MEMBER ||
			(kind != membershipv1.MemberKind_MEMBER_KIND_CITY && kind != membershipv1.MemberKind_MEMBER_KIND_CITY_NETWORK) {
			continue
		}
		country := m.GetCountry()
		region := i18n.WorldRegion(country)
		if country != "" {
			countries[country] = true
		}
		if region != "" {
			regions[region] = true
		}
		if (data.Country != "" && country != data.Country) || (data.Region != "" && region != data.Region) {
			continue
		}
		v := memberView{Name: m.GetName(), Region: m.GetRegion(), Network: kind == membershipv1.MemberKind_MEMBER_KIND_CITY_NETWORK}
		if country != "" {
			v.Country = loc.Country(country)
		}
		data.Members = append(data.Members, v)
	}
	for _, pl := range loc.WorldRegions() {
		if regions[pl.Code] {
			data.Regions = append(data.Regions, pl)
		}
	}
	for code := range countries {
		data.Countries = append(data.Countries, i18n.Place{Code: code, Name: loc.Country(code)})
	}
	loc.SortPlaces(data.Countries)
}
