package service

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
)

// DemoRepresentative is a fictional person acting for a demo member
// (named by the member's name).
type DemoRepresentative struct {
	Member         string
	Representative *membershipv1.RepresentativeDetails
}

// DemoBody is a governance body and the demo members (by name) whose
// political representatives sit on it.
type DemoBody struct {
	Body    *membershipv1.CreateBodyRequest
	Members []string
}

// The coalition's coordination team as the sources name it.
var coordinationTeam = []string{"Portland", "Maceió", "Porto", "UN-Habitat", "United Cities and Local Governments (UCLG)", "Eurocities"}

// DemoRepresentatives are clearly fictional people (example.org addresses)
// for the founders, the coordination team and the partners.
func DemoRepresentatives() []DemoRepresentative {
	type person struct{ member, first, last, lang, tz string }
	var out []DemoRepresentative
	for _, p := range []person{
		{"Amsterdam", "Anouk", "Voorbeeld", "nl", "Europe/Amsterdam"},
		{"Barcelona", "Montserrat", "Exemple", "ca", "Europe/Madrid"},
		{"New York", "Jordan", "Sample", "en", "America/New_York"},
		{"Portland", "Riley", "Placeholder", "en", "America/Los_Angeles"},
		{"Maceió", "Iara", "Exemplo", "pt", "America/Maceio"},
		{"Porto", "Inês", "Modelo", "pt", "Europe/Lisbon"},
		{"UN-Habitat", "Wanjiru", "Specimen", "en", "Africa/Nairobi"},
		{"United Cities and Local Governments (UCLG)", "Lucía", "Ficticia", "es", "Europe/Madrid"},
		{"Eurocities", "Camille", "Fictif", "fr", "Europe/Brussels"},
	} {
		slug := demoSlug(p.member)
		out = append(out, DemoRepresentative{Member: p.member, Representative: &membershipv1.RepresentativeDetails{
			Name: p.first + " " + p.last + " (fictional)", Email: slug + ".political@example.org",
			Role: membershipv1.RepresentativeRole_REPRESENTATIVE_ROLE_POLITICAL_REPRESENTATIVE, Language: p.lang, TimeZone: p.tz,
		}})
		if p.member == "Amsterdam" || p.member == "Barcelona" || p.member == "Porto" {
			out = append(out, DemoRepresentative{Member: p.member, Representative: &membershipv1.RepresentativeDetails{
				Name: "Sam " + p.last + " (fictional)", Email: slug + ".tech@example.org",
				Role: membershipv1.RepresentativeRole_REPRESENTATIVE_ROLE_TECHNICAL_CONTACT, Language: p.lang, TimeZone: p.tz,
			}})
		}
	}
	return out
}

func demoSlug(name string) string {
	switch name {
	case "United Cities and Local Governments (UCLG)":
		return "uclg"
	case "Maceió":
		return "maceio"
	case "New York":
		return "newyork"
	case "UN-Habitat":
		return "unhabitat"
	}
	out := []rune{}
	for _, r := range name {
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		if r >= 'a' && r <= 'z' {
			out = append(out, r)
		}
	}
	return string(out)
}

// DemoBodies are the coalition's governance bodies and two working groups.
func DemoBodies() []DemoBody {
	return []DemoBody{
		{Body: &membershipv1.CreateBodyRequest{Slug: "annual-conference", Name: "Annual Conference",
			Kind:        membershipv1.BodyKind_BODY_KIND_ANNUAL_CONFERENCE,
			Description: "The yearly assembly of the political representatives of every member city."}},
		{Body: &membershipv1.CreateBodyRequest{Slug: "leadership-board", Name: "Leadership Board",
			Kind:        membershipv1.BodyKind_BODY_KIND_LEADERSHIP_BOARD,
			Description: "Reviews the progress of the coalition's activities against the annual strategy; city governments with Eurocities, UN-Habitat and UCLG."},
			Members: []string{"Amsterdam", "Barcelona", "New York", "UN-Habitat", "United Cities and Local Governments (UCLG)", "Eurocities"}},
		{Body: &membershipv1.CreateBodyRequest{Slug: "executive-coordination-team", Name: "Executive Coordination Team",
			Kind:        membershipv1.BodyKind_BODY_KIND_EXECUTIVE_COORDINATION_TEAM,
			Description: "Runs the coalition day to day."},
			Members: coordinationTeam},
		{Body: &membershipv1.CreateBodyRequest{Slug: "wg-urban-ai", Name: "Working group on urban artificial intelligence",
			Kind: membershipv1.BodyKind_BODY_KIND_WORKING_GROUP, Principle: membershipv1.Principle_PRINCIPLE_TRANSPARENCY,
			Description: "Transparency, accountability and non-discrimination of algorithms in city services."},
			Members: []string{"Amsterdam", "Barcelona"}},
		{Body: &membershipv1.CreateBodyRequest{Slug: "wg-digital-inclusion", Name: "Working group on digital inclusion",
			Kind: membershipv1.BodyKind_BODY_KIND_WORKING_GROUP, Principle: membershipv1.Principle_PRINCIPLE_UNIVERSAL_ACCESS,
			Description: "Universal and equal access to the internet, and digital literacy."},
			Members: []string{"New York", "Maceió"}},
	}
}

// DemoApplications are two cities' applications awaiting a coordinator:
// fictional contacts, example.org addresses. The first stays submitted,
// the second is under review.
func DemoApplications() []*membershipv1.CreateApplicationRequest {
	date := timestamppb.New(time.Date(2026, time.February, 12, 12, 0, 0, 0, time.UTC))
	return []*membershipv1.CreateApplicationRequest{
		{City: "Valencia", Country: "ES", Region: "Valencian Community", Kind: membershipv1.MemberKind_MEMBER_KIND_CITY,
			Contact:  &membershipv1.ContactPerson{Name: "Vicent Exemple (fictional)", Email: "valencia.applicant@example.org", Role: "Councillor for digital affairs"},
			Language: "es",
			Commitment: &membershipv1.PoliticalCommitment{Kind: membershipv1.CommitmentKind_COMMITMENT_KIND_COUNCIL_RESOLUTION,
				Reference: "https://example.org/valencia/council-resolution-digital-rights", Date: date},
			Policies: []*membershipv1.Policy{
				{Title: "Open data portal", Description: "The city publishes its data under an open licence.", Link: "https://example.org/valencia/open-data",
					Principles: []membershipv1.Principle{membershipv1.Principle_PRINCIPLE_TRANSPARENCY, membershipv1.Principle_PRINCIPLE_OPEN_STANDARDS}},
				{Title: "Neighbourhood digital literacy classes",
					Principles: []membershipv1.Principle{membershipv1.Principle_PRINCIPLE_UNIVERSAL_ACCESS}},
			}},
		{City: "Ghent", Country: "BE", Region: "Flanders", Kind: membershipv1.MemberKind_MEMBER_KIND_CITY,
			Contact:  &membershipv1.ContactPerson{Name: "Lotte Voorbeeld (fictional)", Email: "ghent.applicant@example.org", Role: "Chief Information Officer"},
			Language: "nl",
			Commitment: &membershipv1.PoliticalCommitment{Kind: membershipv1.CommitmentKind_COMMITMENT_KIND_MAYORS_LETTER,
				Reference: "https://example.org/ghent/mayors-letter", Date: date},
			Policies: []*membershipv1.Policy{
				{Title: "Personal data vaults for residents", Description: "Residents keep their data in a store they control.",
					Principles: []membershipv1.Principle{membershipv1.Principle_PRINCIPLE_PRIVACY}},
				{Title: "Participatory budgeting platform on free software",
					Principles: []membershipv1.Principle{membershipv1.Principle_PRINCIPLE_PARTICIPATION, membershipv1.Principle_PRINCIPLE_OPEN_STANDARDS}},
			}},
	}
}

// LoadDemoData loads the whole demonstration register through the gRPC
// API (with a coordinator's client): members, representatives, bodies and
// pending applications. What is already there is left alone, so running
// it again adds nothing.
func LoadDemoData(ctx context.Context, c membershipv1.MembershipServiceClient) error {
	for _, req := range DemoData() {
		if _, err := c.CreateMember(ctx, req); err != nil && status.Code(err) != codes.AlreadyExists {
			return fmt.Errorf("demo member %s: %w", req.GetName(), err)
		}
	}
	all, err := c.ListMembers(ctx, &membershipv1.ListMembersRequest{PageSize: 500})
	if err != nil {
		return fmt.Errorf("demo members: %w", err)
	}
	ids := map[string]string{}
	for _, m := range all.GetMembers() {
		ids[m.GetName()] = m.GetId()
	}
	for _, r := range DemoRepresentatives() {
		_, err := c.AddRepresentative(ctx, &membershipv1.AddRepresentativeRequest{MemberId: ids[r.Member], Representative: r.Representative})
		if err != nil && status.Code(err) != codes.AlreadyExists {
			return fmt.Errorf("demo representative for %s: %w", r.Member, err)
		}
	}
	for _, b := range DemoBodies() {
		req := b.Body
		req.MemberIds = nil
		for _, name := range b.Members {
			req.MemberIds = append(req.MemberIds, ids[name])
		}
		if _, err := c.CreateBody(ctx, req); err != nil && status.Code(err) != codes.AlreadyExists {
			return fmt.Errorf("demo body %s: %w", req.GetSlug(), err)
		}
	}
	existing, err := c.ListApplications(ctx, &membershipv1.ListApplicationsRequest{PageSize: 1})
	if err != nil {
		return fmt.Errorf("demo applications: %w", err)
	}
	if len(existing.GetApplications()) > 0 {
		return nil
	}
	for i, req := range DemoApplications() {
		created, err := c.CreateApplication(ctx, req)
		if err != nil {
			return fmt.Errorf("demo application %s: %w", req.GetCity(), err)
		}
		id := created.GetApplication().GetId()
		if _, err := c.SubmitApplication(ctx, &membershipv1.SubmitApplicationRequest{ApplicationId: id, ApplicantToken: created.GetApplicantToken()}); err != nil {
			return fmt.Errorf("demo application %s: %w", req.GetCity(), err)
		}
		if i == 1 {
			if _, err := c.StartReview(ctx, &membershipv1.StartReviewRequest{ApplicationId: id}); err != nil {
				return fmt.Errorf("demo application %s: %w", req.GetCity(), err)
			}
		}
	}
	return nil
}
