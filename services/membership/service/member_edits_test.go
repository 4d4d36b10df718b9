package service_test

import (
	"slices"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

// edit is an UpdateMember request that says what m says.
func edit(m *membershipv1.Member) *membershipv1.UpdateMemberRequest {
	return &membershipv1.UpdateMemberRequest{
		MemberId: m.GetId(), Name: m.GetName(), Country: m.GetCountry(), Region: m.GetRegion(),
		Population: m.GetPopulation(), Commitment: m.GetCommitment(), Principles: m.GetPrinciples(),
	}
}

func memberUpdated(t *testing.T, h *harness, memberID string, want int) []*membershipv1.MemberUpdated {
	t.Helper()
	return published(t, h, "membership.member.updated", want, func() *membershipv1.MemberUpdated { return &membershipv1.MemberUpdated{} },
		func(e *membershipv1.MemberUpdated) bool { return e.GetMember().GetId() == memberID })
}

func TestUpdateMemberAuthorisation(t *testing.T) {
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
	id := porto.GetMember().GetId()
	rita := addRep(t, h.coordinator, id, rep("Fictional Rita Exemplo", "rita@example.org", political))
	ofPorto := h.as(rita.GetId(), optionsv1.Role_ROLE_REPRESENTATIVE, id)
	ofLyon := h.as("rep-lyon", optionsv1.Role_ROLE_REPRESENTATIVE, lyon.GetMember().GetId())

	// Refused: nothing changes, nothing is published.
	req := edit(porto.GetMember())
	req.Region = "Norte"
	for _, c := range []struct {
		who  string
		call func() error
		want codes.Code
	}{
		{"public", func() error { _, err := h.anonymous.UpdateMember(ctx, req); return err }, codes.Unauthenticated},
		{"another city's representative", func() error { _, err := ofLyon.UpdateMember(ctx, req); return err }, codes.PermissionDenied},
		{"a representative of no member", func() error {
			_, err := h.as("someone", optionsv1.Role_ROLE_REPRESENTATIVE, "").UpdateMember(ctx, req)
			return err
		}, codes.PermissionDenied},
		{"another service", func() error { _, err := h.service.UpdateMember(ctx, req); return err }, codes.PermissionDenied},
	} {
		testkit.WantCode(t, c.call(), c.want)
	}
	got, err := h.anonymous.GetMember(ctx, &membershipv1.GetMemberRequest{MemberId: id})
	if err != nil || got.GetMember().GetRegion() != "" {
		t.Fatalf("a refused edit changed the member: %v %v", got, err)
	}

	// Allowed: the member's own representative, and a coordinator.
	upd, err := ofPorto.UpdateMember(ctx, req)
	if err != nil || upd.GetMember().GetRegion() != "Norte" {
		t.Fatalf("own representative: %v %v", upd, err)
	}
	req2 := edit(upd.GetMember())
	req2.Population = 232000
	upd, err = h.coordinator.UpdateMember(ctx, req2)
	if err != nil || upd.GetMember().GetPopulation() != 232000 || upd.GetMember().GetRegion() != "Norte" {
		t.Fatalf("coordinator: %v %v", upd, err)
	}

	// One event per change, none for the refused ones; Lyon untouched.
	evs := memberUpdated(t, h, id, 2)
	if !slices.Equal(evs[0].GetChangedFields(), []string{"region"}) || !slices.Equal(evs[1].GetChangedFields(), []string{"population"}) ||
		evs[1].GetMember().GetPopulation() != 232000 || evs[1].GetMember().GetRegion() != "Norte" {
		t.Errorf("events %v", evs)
	}
	memberUpdated(t, h, lyon.GetMember().GetId(), 0)
}

func TestUpdateMemberRules(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)

	created, err := h.coordinator.CreateMember(ctx, cityReq("Torino", "IT"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.coordinator.CreateMember(ctx, cityReq("Milan", "IT")); err != nil {
		t.Fatal(err)
	}
	m := created.GetMember()
	id := m.GetId()
	unchanged := func(what string) {
		t.Helper()
		got, err := h.anonymous.GetMember(ctx, &membershipv1.GetMemberRequest{MemberId: id})
		if err != nil {
			t.Fatal(err)
		}
		if !proto.Equal(got.GetMember(), m) {
			t.Fatalf("%s changed the member: %v, was %v", what, got.GetMember(), m)
		}
	}

	// Bad input: a field violation per field, and nothing changed.
	for _, c := range []struct {
		name  string
		edit  func(r *membershipv1.UpdateMemberRequest)
		field string
	}{
		{"no name", func(r *membershipv1.UpdateMemberRequest) { r.Name = "" }, "name"},
		{"blank name", func(r *membershipv1.UpdateMemberRequest) { r.Name = "   " }, "name"},
		{"long name", func(r *membershipv1.UpdateMemberRequest) { r.Name = strings.Repeat("x", 201) }, "name"},
		{"lower-case country", func(r *membershipv1.UpdateMemberRequest) { r.Country = "it" }, "country"},
		{"a city without country", func(r *membershipv1.UpdateMemberRequest) { r.Country = "" }, "country"},
		{"negative population", func(r *membershipv1.UpdateMemberRequest) { r.Population = -5 }, "population"},
		{"long commitment", func(r *membershipv1.UpdateMemberRequest) { r.Commitment = strings.Repeat("x", 5001) }, "commitment"},
		{"unspecified principle", func(r *membershipv1.UpdateMemberRequest) {
			r.Principles = []membershipv1.Principle{membershipv1.Principle_PRINCIPLE_UNSPECIFIED}
		}, "principles[0]"},
		{"repeated principle", func(r *membershipv1.UpdateMemberRequest) {
			r.Principles = []membershipv1.Principle{membershipv1.Principle_PRINCIPLE_PRIVACY, membershipv1.Principle_PRINCIPLE_PRIVACY}
		}, "principles"},
		{"unknown principle", func(r *membershipv1.UpdateMemberRequest) { r.Principles = []membershipv1.Principle{42} }, "principles[0]"},
		{"bad id", func(r *membershipv1.UpdateMemberRequest) { r.MemberId = "torino" }, "member_id"},
	} {
		r := edit(m)
		c.edit(r)
		_, err := h.coordinator.UpdateMember(ctx, r)
		if f := testkit.FieldViolations(t, err); !slices.Contains(f, c.field) {
			t.Errorf("%s: violations %v, want %s", c.name, f, c.field)
		}
	}
	unchanged("bad input")

	// Taking another member's name is refused; so is a member that is not there.
	r := edit(m)
	r.Name = "  MILAN "
	_, err = h.coordinator.UpdateMember(ctx, r)
	testkit.WantCode(t, err, codes.AlreadyExists)
	unchanged("a duplicate name")
	r = edit(m)
	r.MemberId = "018f0000-0000-7000-8000-000000000000"
	_, err = h.coordinator.UpdateMember(ctx, r)
	testkit.WantCode(t, err, codes.NotFound)

	// An edit that says what the member says changes and publishes nothing.
	same, err := h.coordinator.UpdateMember(ctx, edit(m))
	if err != nil || !proto.Equal(same.GetMember(), m) {
		t.Fatalf("no-op edit: %v %v", same, err)
	}

	// A real edit: names are tidied, principles kept in the declaration's
	// order, kind and status untouched; petitions find the city by its new name.
	r = edit(m)
	r.Name, r.Region = "  Turin ", "Piedmont"
	r.Principles = []membershipv1.Principle{membershipv1.Principle_PRINCIPLE_OPEN_STANDARDS, membershipv1.Principle_PRINCIPLE_PRIVACY}
	upd, err := h.coordinator.UpdateMember(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	um := upd.GetMember()
	if um.GetName() != "Turin" || um.GetRegion() != "Piedmont" || um.GetStatus() != m.GetStatus() || um.GetKind() != m.GetKind() ||
		!proto.Equal(um.GetJoinedAt(), m.GetJoinedAt()) ||
		!slices.Equal(um.GetPrinciples(), []membershipv1.Principle{membershipv1.Principle_PRINCIPLE_PRIVACY, membershipv1.Principle_PRINCIPLE_OPEN_STANDARDS}) {
		t.Fatalf("updated %v", um)
	}
	found, err := h.service.LookupCity(ctx, &membershipv1.LookupCityRequest{City: "turin", Country: "IT"})
	if err != nil || found.GetMember().GetId() != id {
		t.Fatalf("lookup by the new name: %v %v", found, err)
	}
	evs := memberUpdated(t, h, id, 1)
	if !slices.Equal(evs[0].GetChangedFields(), []string{"name", "region", "principles"}) || !proto.Equal(evs[0].GetMember(), um) {
		t.Errorf("event %v", evs[0])
	}

	// A later status change describes the member as edited.
	if _, err := h.coordinator.SuspendMember(ctx, &membershipv1.SuspendMemberRequest{MemberId: id}); err != nil {
		t.Fatal(err)
	}
	sus := published(t, h, "membership.city.suspended", 1, func() *membershipv1.CitySuspended { return &membershipv1.CitySuspended{} },
		func(e *membershipv1.CitySuspended) bool { return e.GetMember().GetId() == id })
	if sus[0].GetMember().GetName() != "Turin" {
		t.Errorf("suspended event %v", sus[0])
	}
	raw, _ := protojson.Marshal(evs[0])
	if strings.Contains(string(raw), "@") {
		t.Errorf("member.updated carries an address: %s", raw)
	}
}

// TestConcurrentMemberEdits: edits of one member are serialised, so each
// is one event and the last event describes the member as stored.
func TestConcurrentMemberEdits(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)

	created, err := h.coordinator.CreateMember(ctx, cityReq("Vienna", "AT"))
	if err != nil {
		t.Fatal(err)
	}
	m := created.GetMember()
	const n = 8
	errs := make(chan error, n)
	for i := range n {
		go func() {
			r := edit(m)
			r.Population = int32(1000 + i)
			_, err := h.coordinator.UpdateMember(ctx, r)
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	evs := memberUpdated(t, h, m.GetId(), n)
	got, err := h.anonymous.GetMember(ctx, &membershipv1.GetMemberRequest{MemberId: m.GetId()})
	if err != nil {
		t.Fatal(err)
	}
	if last := evs[n-1].GetMember(); !proto.Equal(last, got.GetMember()) {
		t.Fatalf("last event %v, stored %v", last, got.GetMember())
	}
}
