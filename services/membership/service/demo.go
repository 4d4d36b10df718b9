package service

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
)

// Dates of the demonstration register. Only the launch date is in the
// sources; for the others they say that a city had joined by some time but
// not when, so the demo records a stand-in: the start of the year by which
// the sources place it in the coalition. Times are noon UTC so the date reads
// the same in every time zone.
var (
	// The coalition was presented at the Smart City Expo World Congress in
	// Barcelona on Wednesday 14 November 2018.
	launch = time.Date(2018, time.November, 14, 12, 0, 0, 0, time.UTC)
	// Stand-in: joined after the launch, named among the first cities to
	// join in the "100 cities in 100 days" campaign article (2019).
	by2019 = time.Date(2019, time.January, 1, 12, 0, 0, 0, time.UTC)
	// Stand-in: named as host of the 2023 Annual Meeting.
	by2023 = time.Date(2023, time.January, 1, 12, 0, 0, 0, time.UTC)
	// Stand-in: named in the coordination team and as host of the 2024 meeting.
	by2024 = time.Date(2024, time.January, 1, 12, 0, 0, 0, time.UTC)
)

const (
	founderCommitment = "Co-founded the Cities Coalition for Digital Rights, presented at the Smart City Expo World Congress in Barcelona on 14 November 2018, to protect, promote and uphold residents' and visitors' digital rights."
	declaration       = "Joined the coalition's declaration of five principles: universal and equal access to the internet, and digital literacy; privacy, data protection and security; transparency, accountability and non-discrimination of data, content and algorithms; participatory democracy, diversity and inclusion; open and ethical digital service standards."
	coordination      = " Shares the duties of the coalition's coordination team."
)

// demoPrinciples are the principles the sources tie to a member's policies
// and projects — the Global Observatory of Urban Artificial Intelligence
// (transparency of algorithms) for Amsterdam and Barcelona, the Barcelona
// Digital Plan's free software and open standards — and, as stand-ins,
// universal access for the two cities of the demo's working group on
// digital inclusion.
var demoPrinciples = map[string][]membershipv1.Principle{
	"Amsterdam": {membershipv1.Principle_PRINCIPLE_TRANSPARENCY},
	"Barcelona": {membershipv1.Principle_PRINCIPLE_TRANSPARENCY, membershipv1.Principle_PRINCIPLE_OPEN_STANDARDS},
	"New York":  {membershipv1.Principle_PRINCIPLE_UNIVERSAL_ACCESS},
	"Maceió":    {membershipv1.Principle_PRINCIPLE_UNIVERSAL_ACCESS},
}

// DemoData is the demonstration register, from the public sources about the
// coalition: the three founding cities, other cities the sources name as
// members, and the partner organisations. Public facts only, no personal data.
func DemoData() []*membershipv1.CreateMemberRequest {
	city := func(name, country, region string, joined time.Time, commitment string) *membershipv1.CreateMemberRequest {
		return &membershipv1.CreateMemberRequest{
			Name: name, Kind: membershipv1.MemberKind_MEMBER_KIND_CITY, Country: country, Region: region,
			Status: membershipv1.MemberStatus_MEMBER_STATUS_MEMBER, JoinedAt: timestamppb.New(joined), Commitment: commitment,
		}
	}
	partner := func(name string, joined time.Time, commitment string) *membershipv1.CreateMemberRequest {
		return &membershipv1.CreateMemberRequest{
			Name: name, Kind: membershipv1.MemberKind_MEMBER_KIND_PARTNER,
			Status: membershipv1.MemberStatus_MEMBER_STATUS_MEMBER, JoinedAt: timestamppb.New(joined), Commitment: commitment,
		}
	}

	out := []*membershipv1.CreateMemberRequest{
		// Founders.
		city("Amsterdam", "NL", "", launch, founderCommitment+
			" Co-founded the Global Observatory of Urban Artificial Intelligence with Barcelona and CIDOB."),
		city("Barcelona", "ES", "Catalonia", launch, founderCommitment+
			" Its Barcelona Digital Plan puts citizens first and promotes public digital infrastructure based on free software and open standards."+
			" Co-founded the Global Observatory of Urban Artificial Intelligence with Amsterdam and CIDOB."),
		city("New York", "US", "New York", launch, founderCommitment),
	}

	// The cities that joined after the launch, as the "100 cities in 100
	// days" article lists them.
	for _, c := range []struct{ name, country, region, extra string }{
		{"Athens", "GR", "", ""},
		{"Bratislava", "SK", "", ""},
		{"Cary", "US", "North Carolina", ""},
		{"Chicago", "US", "Illinois", ""},
		{"Grenoble", "FR", "", ""},
		{"Helsinki", "FI", "", ""},
		{"Kansas City", "US", "Missouri", ""},
		{"London", "GB", "", ""},
		{"Los Angeles", "US", "California", ""},
		{"Lyon", "FR", "", ""},
		{"Milan", "IT", "", ""},
		{"Moscow", "RU", "", ""},
		{"Philadelphia", "US", "Pennsylvania", ""},
		{"Portland", "US", "Oregon", coordination},
		{"San Jose", "US", "California", ""},
		{"Tirana", "AL", "", ""},
		{"Torino", "IT", "", ""},
		{"Vienna", "AT", "", ""},
		{"Zaragoza", "ES", "", ""},
	} {
		out = append(out, city(c.name, c.country, c.region, by2019, declaration+c.extra))
	}

	bordeaux := city("Bordeaux Métropole", "FR", "", by2023, declaration+" Hosted the coalition's Annual Meeting in 2023.")
	bordeaux.Kind = membershipv1.MemberKind_MEMBER_KIND_CITY_NETWORK // a metropolitan authority of several municipalities
	out = append(out,
		bordeaux,
		city("Maceió", "BR", "Alagoas", by2024, declaration+coordination+" Host of the 2024 Annual Conference."),
		city("Porto", "PT", "", by2024, declaration+coordination),
	)

	// Partners: recorded, not members; international, so no country.
	out = append(out,
		partner("UN-Habitat", launch,
			"The United Nations Human Settlements Programme supported the coalition from its formation and signed an agreement acknowledging its commitment to support it."+coordination),
		partner("United Cities and Local Governments (UCLG)", by2019,
			"Signed an agreement acknowledging its commitment to support the coalition, and sits on its board."+coordination),
		partner("Eurocities", by2019,
			"The network of European cities, aligned in furthering the digital rights of citizens among its members, collaborates with the coalition on a recurrent basis and sits on its board."+coordination),
	)
	for _, r := range out {
		r.Principles = demoPrinciples[r.GetName()]
	}
	return out
}
