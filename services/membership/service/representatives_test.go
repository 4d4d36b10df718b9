package service_test

import (
	"slices"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

func rep(name, email string, role membershipv1.RepresentativeRole) *membershipv1.RepresentativeDetails {
	return &membershipv1.RepresentativeDetails{Name: name, Email: email, Role: role, Language: "en", TimeZone: "Europe/Lisbon"}
}

const political = membershipv1.RepresentativeRole_REPRESENTATIVE_ROLE_POLITICAL_REPRESENTATIVE

func addRep(t *testing.T, c membershipv1.MembershipServiceClient, memberID string, d *membershipv1.RepresentativeDetails) *membershipv1.Representative {
	t.Helper()
	resp, err := c.AddRepresentative(testkit.Context(t), &membershipv1.AddRepresentativeRequest{MemberId: memberID, Representative: d})
	if err != nil {
		t.Fatalf("add %s: %v", d.GetName(), err)
	}
	return resp.GetRepresentative()
}

func TestRepresentativesActOnlyForTheirOwnMember(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)

	porto, err := h.coordinator.CreateMember(ctx, cityReq("Porto", "PT"))
	if err != nil {
		t.Fatal(err)
	}
	lyon, err := h.coordinator.CreateMember(ctx, cityReq("Lyon", "FR"))
	if err != nil {
		t.Fatal(err)
	}
	portoID, lyonID := porto.GetMember().GetId(), lyon.GetMember().GetId()

	first := addRep(t, h.coordinator, portoID, rep("Fictional Rita Exemplo", "rita@example.org", political))
	ofPorto := h.as(first.GetId(), optionsv1.Role_ROLE_REPRESENTATIVE, portoID)
	// A representative adds a colleague to their own member...
	second := addRep(t, ofPorto, portoID, rep("Fictional Tiago Modelo", "tiago@example.org", membershipv1.RepresentativeRole_REPRESENTATIVE_ROLE_TECHNICAL_CONTACT))
	// ...but cannot touch another member's.
	_, err = ofPorto.AddRepresentative(ctx, &membershipv1.AddRepresentativeRequest{MemberId: lyonID, Representative: rep("Intruder", "x@example.org", political)})
	testkit.WantCode(t, err, codes.PermissionDenied)
	lyonRep := addRep(t, h.coordinator, lyonID, rep("Fictional Léa Exemple", "lea@example.org", political))
	_, err = ofPorto.RemoveRepresentative(ctx, &membershipv1.RemoveRepresentativeRequest{MemberId: lyonID, RepresentativeId: lyonRep.GetId()})
	testkit.WantCode(t, err, codes.PermissionDenied)
	_, err = ofPorto.ListRepresentatives(ctx, &membershipv1.ListRepresentativesRequest{MemberId: lyonID})
	testkit.WantCode(t, err, codes.PermissionDenied)
	// Claiming another member's representative under one's own member finds nothing.
	_, err = ofPorto.RemoveRepresentative(ctx, &membershipv1.RemoveRepresentativeRequest{MemberId: portoID, RepresentativeId: lyonRep.GetId()})
	testkit.WantCode(t, err, codes.NotFound)
	// A representative token without a member acts for none.
	_, err = h.as("someone", optionsv1.Role_ROLE_REPRESENTATIVE, "").ListRepresentatives(ctx, &membershipv1.ListRepresentativesRequest{MemberId: portoID})
	testkit.WantCode(t, err, codes.PermissionDenied)
	_, err = h.anonymous.ListRepresentatives(ctx, &membershipv1.ListRepresentativesRequest{MemberId: portoID})
	testkit.WantCode(t, err, codes.Unauthenticated)
	_, err = h.service.ListRepresentatives(ctx, &membershipv1.ListRepresentativesRequest{MemberId: portoID})
	testkit.WantCode(t, err, codes.PermissionDenied)

	list, err := ofPorto.ListRepresentatives(ctx, &membershipv1.ListRepresentativesRequest{MemberId: portoID})
	if err != nil || len(list.GetRepresentatives()) != 2 {
		t.Fatalf("list: %v %v", list, err)
	}

	// Bad input: unknown time zone, duplicate address, unknown member.
	bad := rep("Zed", "zed@example.org", political)
	bad.TimeZone = "Europe/Atlantis"
	_, err = h.coordinator.AddRepresentative(ctx, &membershipv1.AddRepresentativeRequest{MemberId: portoID, Representative: bad})
	if f := testkit.FieldViolations(t, err); !slices.Contains(f, "representative.time_zone") {
		t.Fatalf("violations %v", f)
	}
	bad.TimeZone = "Local"
	_, err = h.coordinator.AddRepresentative(ctx, &membershipv1.AddRepresentativeRequest{MemberId: portoID, Representative: bad})
	if f := testkit.FieldViolations(t, err); !slices.Contains(f, "representative.time_zone") {
		t.Fatalf("violations %v", f)
	}
	_, err = h.coordinator.AddRepresentative(ctx, &membershipv1.AddRepresentativeRequest{MemberId: portoID,
		Representative: rep("Rita again", "RITA@Example.org", political)})
	testkit.WantCode(t, err, codes.AlreadyExists)
	_, err = h.coordinator.AddRepresentative(ctx, &membershipv1.AddRepresentativeRequest{MemberId: "018f0000-0000-7000-8000-000000000000",
		Representative: rep("Nobody", "n@example.org", political)})
	testkit.WantCode(t, err, codes.NotFound)

	// Removal erases the personal data and is an event.
	if _, err := ofPorto.RemoveRepresentative(ctx, &membershipv1.RemoveRepresentativeRequest{MemberId: portoID, RepresentativeId: second.GetId()}); err != nil {
		t.Fatal(err)
	}
	_, err = ofPorto.RemoveRepresentative(ctx, &membershipv1.RemoveRepresentativeRequest{MemberId: portoID, RepresentativeId: second.GetId()})
	testkit.WantCode(t, err, codes.NotFound)
	raw, err := h.db.Collection("representatives").FindOne(ctx, bson.D{{Key: "_id", Value: second.GetId()}}).Raw()
	if err != nil {
		t.Fatal(err)
	}
	if s := raw.String(); strings.Contains(s, "tiago") || strings.Contains(s, "Tiago") {
		t.Fatalf("removed representative still holds personal data: %s", s)
	}

	added := published(t, h, "membership.representative.added", 1, func() *membershipv1.RepresentativeAdded { return &membershipv1.RepresentativeAdded{} },
		func(e *membershipv1.RepresentativeAdded) bool { return e.GetRepresentativeId() == second.GetId() })
	if added[0].GetMemberId() != portoID || added[0].GetEmail() != "tiago@example.org" {
		t.Errorf("added event %v", added[0])
	}
	published(t, h, "membership.representative.removed", 1, func() *membershipv1.RepresentativeRemoved { return &membershipv1.RepresentativeRemoved{} },
		func(e *membershipv1.RepresentativeRemoved) bool {
			return e.GetRepresentativeId() == second.GetId() && e.GetMemberId() == portoID
		})
}

func TestMyData(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)

	m, err := h.coordinator.CreateMember(ctx, cityReq("Tirana", "AL"))
	if err != nil {
		t.Fatal(err)
	}
	memberID := m.GetMember().GetId()
	r := addRep(t, h.coordinator, memberID, rep("Fictional Arta Shembull", "arta@example.org", political))
	if _, err := h.coordinator.CreateBody(ctx, &membershipv1.CreateBodyRequest{Slug: "annual-conference", Name: "Annual Conference",
		Kind: membershipv1.BodyKind_BODY_KIND_ANNUAL_CONFERENCE}); err != nil {
		t.Fatal(err)
	}

	// The token's subject is the representative id, or their address.
	for _, me := range []membershipv1.MembershipServiceClient{
		h.as(r.GetId(), optionsv1.Role_ROLE_REPRESENTATIVE, memberID),
		h.as("ARTA@example.org", optionsv1.Role_ROLE_REPRESENTATIVE, memberID),
	} {
		got, err := me.GetMyData(ctx, &membershipv1.GetMyDataRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if got.GetRepresentative().GetEmail() != "arta@example.org" || !slices.Equal(got.GetBodies(), []string{"Annual Conference"}) {
			t.Fatalf("my data %v", got)
		}
	}
	// Another member's token does not reach this record.
	_, err = h.as("arta@example.org", optionsv1.Role_ROLE_REPRESENTATIVE, "018f0000-0000-7000-8000-000000000000").GetMyData(ctx, &membershipv1.GetMyDataRequest{})
	testkit.WantCode(t, err, codes.NotFound)
	_, err = h.anonymous.GetMyData(ctx, &membershipv1.GetMyDataRequest{})
	testkit.WantCode(t, err, codes.Unauthenticated)

	me := h.as(r.GetId(), optionsv1.Role_ROLE_REPRESENTATIVE, memberID)
	corrected := rep("Fictional Arta Shembulli", "arta.s@example.org", political)
	corrected.TimeZone = "Europe/Tirane"
	upd, err := me.UpdateMyData(ctx, &membershipv1.UpdateMyDataRequest{Representative: corrected})
	if err != nil {
		t.Fatal(err)
	}
	if upd.GetRepresentative().GetName() != "Fictional Arta Shembulli" || upd.GetRepresentative().GetTimeZone() != "Europe/Tirane" ||
		upd.GetRepresentative().GetId() != r.GetId() || upd.GetRepresentative().GetMemberId() != memberID {
		t.Fatalf("updated %v", upd)
	}
	corrected.TimeZone = "Mars/Olympus"
	_, err = me.UpdateMyData(ctx, &membershipv1.UpdateMyDataRequest{Representative: corrected})
	if f := testkit.FieldViolations(t, err); !slices.Contains(f, "representative.time_zone") {
		t.Fatalf("violations %v", f)
	}

	if _, err := me.DeleteMyData(ctx, &membershipv1.DeleteMyDataRequest{}); err != nil {
		t.Fatal(err)
	}
	_, err = me.GetMyData(ctx, &membershipv1.GetMyDataRequest{})
	testkit.WantCode(t, err, codes.NotFound)
	published(t, h, "membership.representative.removed", 1, func() *membershipv1.RepresentativeRemoved { return &membershipv1.RepresentativeRemoved{} },
		func(e *membershipv1.RepresentativeRemoved) bool { return e.GetRepresentativeId() == r.GetId() })
}

func TestBodyComposition(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)

	ids := map[string]string{}
	for _, c := range []struct{ name, country string }{{"Amsterdam", "NL"}, {"Barcelona", "ES"}, {"Moscow", "RU"}} {
		m, err := h.coordinator.CreateMember(ctx, cityReq(c.name, c.country))
		if err != nil {
			t.Fatal(err)
		}
		ids[c.name] = m.GetMember().GetId()
	}
	if _, err := h.coordinator.SuspendMember(ctx, &membershipv1.SuspendMemberRequest{MemberId: ids["Moscow"]}); err != nil {
		t.Fatal(err)
	}
	ams := addRep(t, h.coordinator, ids["Amsterdam"], rep("Fictional Anna Voorbeeld", "anna@example.org", political))
	amsTech := addRep(t, h.coordinator, ids["Amsterdam"], rep("Fictional Bas Proef", "bas@example.org", membershipv1.RepresentativeRole_REPRESENTATIVE_ROLE_TECHNICAL_CONTACT))
	bcn := addRep(t, h.coordinator, ids["Barcelona"], rep("Fictional Carla Ejemplo", "carla@example.org", political))
	addRep(t, h.coordinator, ids["Moscow"], rep("Fictional Dmitri Primer", "dmitri@example.org", political))

	conf, err := h.coordinator.CreateBody(ctx, &membershipv1.CreateBodyRequest{Slug: "annual-conference", Name: "Annual Conference",
		Kind: membershipv1.BodyKind_BODY_KIND_ANNUAL_CONFERENCE})
	if err != nil {
		t.Fatal(err)
	}
	board, err := h.coordinator.CreateBody(ctx, &membershipv1.CreateBodyRequest{Slug: "leadership-board", Name: "Leadership Board",
		Kind: membershipv1.BodyKind_BODY_KIND_LEADERSHIP_BOARD, MemberIds: []string{ids["Amsterdam"]}})
	if err != nil {
		t.Fatal(err)
	}
	wg, err := h.coordinator.CreateBody(ctx, &membershipv1.CreateBodyRequest{Slug: "wg-privacy", Name: "Working group on privacy",
		Kind: membershipv1.BodyKind_BODY_KIND_WORKING_GROUP, Principle: membershipv1.Principle_PRINCIPLE_PRIVACY,
		RepresentativeIds: []string{amsTech.GetId()}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.coordinator.CreateBody(ctx, &membershipv1.CreateBodyRequest{Slug: "leadership-board", Name: "Again",
		Kind: membershipv1.BodyKind_BODY_KIND_LEADERSHIP_BOARD})
	testkit.WantCode(t, err, codes.AlreadyExists)
	_, err = h.coordinator.CreateBody(ctx, &membershipv1.CreateBodyRequest{Slug: "ac2", Name: "AC",
		Kind: membershipv1.BodyKind_BODY_KIND_ANNUAL_CONFERENCE, MemberIds: []string{ids["Amsterdam"]}})
	if f := testkit.FieldViolations(t, err); !slices.Contains(f, "member_ids") {
		t.Fatalf("violations %v", f)
	}
	_, err = h.coordinator.CreateBody(ctx, &membershipv1.CreateBodyRequest{Slug: "x", Name: "X",
		Kind: membershipv1.BodyKind_BODY_KIND_LEADERSHIP_BOARD, MemberIds: []string{"018f0000-0000-7000-8000-000000000000"}})
	if f := testkit.FieldViolations(t, err); !slices.Contains(f, "member_ids[0]") {
		t.Fatalf("violations %v", f)
	}

	people := func(bodyID string) []string {
		t.Helper()
		resp, err := h.service.ListBodyMembers(ctx, &membershipv1.ListBodyMembersRequest{BodyId: bodyID})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range resp.GetPeople() {
			if p.GetEmail() == "" || p.GetTimeZone() != "Europe/Lisbon" || p.GetLanguage() != "en" || p.GetMemberId() == "" {
				t.Errorf("person %v lacks what an invitation needs", p)
			}
			out = append(out, p.GetRepresentativeId())
		}
		slices.Sort(out)
		return out
	}
	sorted := func(s ...string) []string { slices.Sort(s); return s }
	// The Annual Conference: political representatives of every member (not the suspended one).
	if got, want := people(conf.GetBody().GetId()), sorted(ams.GetId(), bcn.GetId()); !slices.Equal(got, want) {
		t.Errorf("annual conference %v, want %v", got, want)
	}
	if got, want := people(board.GetBody().GetId()), sorted(ams.GetId()); !slices.Equal(got, want) {
		t.Errorf("board %v, want %v", got, want)
	}
	if got, want := people(wg.GetBody().GetId()), sorted(amsTech.GetId()); !slices.Equal(got, want) {
		t.Errorf("working group %v, want %v", got, want)
	}
	// Recompose the board: Barcelona, and the technical contact by name.
	if _, err := h.coordinator.SetBodyComposition(ctx, &membershipv1.SetBodyCompositionRequest{BodyId: board.GetBody().GetId(),
		MemberIds: []string{ids["Barcelona"]}, RepresentativeIds: []string{amsTech.GetId()}}); err != nil {
		t.Fatal(err)
	}
	if got, want := people(board.GetBody().GetId()), sorted(bcn.GetId(), amsTech.GetId()); !slices.Equal(got, want) {
		t.Errorf("recomposed board %v, want %v", got, want)
	}

	// Who sits where is for services; the list of bodies is public and holds no personal data.
	_, err = h.anonymous.ListBodyMembers(ctx, &membershipv1.ListBodyMembersRequest{BodyId: board.GetBody().GetId()})
	testkit.WantCode(t, err, codes.Unauthenticated)
	_, err = h.as(ams.GetId(), optionsv1.Role_ROLE_REPRESENTATIVE, ids["Amsterdam"]).ListBodyMembers(ctx, &membershipv1.ListBodyMembersRequest{BodyId: board.GetBody().GetId()})
	testkit.WantCode(t, err, codes.PermissionDenied)
	_, err = h.service.ListBodyMembers(ctx, &membershipv1.ListBodyMembersRequest{BodyId: "018f0000-0000-7000-8000-000000000000"})
	testkit.WantCode(t, err, codes.NotFound)
	list, err := h.anonymous.ListBodies(ctx, &membershipv1.ListBodiesRequest{})
	if err != nil || len(list.GetBodies()) != 3 {
		t.Fatalf("bodies %v %v", list, err)
	}
	raw, _ := protojson.Marshal(list)
	for _, secret := range []string{"@", "Fictional", amsTech.GetId()} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("public list of bodies contains %q: %s", secret, raw)
		}
	}
}
