package service_test

import (
	"slices"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

func representativeUpdated(t *testing.T, h *harness, representativeID string, want int) []*membershipv1.RepresentativeUpdated {
	t.Helper()
	return published(t, h, "membership.representative.updated", want,
		func() *membershipv1.RepresentativeUpdated { return &membershipv1.RepresentativeUpdated{} },
		func(e *membershipv1.RepresentativeUpdated) bool { return e.GetRepresentativeId() == representativeID })
}

func TestUpdateRepresentative(t *testing.T) {
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
	rita := addRep(t, h.coordinator, portoID, rep("Fictional Rita Exemplo", "rita@example.org", political))
	tiago := addRep(t, h.coordinator, portoID, rep("Fictional Tiago Modelo", "tiago@example.org", political))
	lea := addRep(t, h.coordinator, lyonID, rep("Fictional Léa Exemple", "lea@example.org", political))
	ofPorto := h.as(rita.GetId(), optionsv1.Role_ROLE_REPRESENTATIVE, portoID)
	ofLyon := h.as(lea.GetId(), optionsv1.Role_ROLE_REPRESENTATIVE, lyonID)

	people := func(memberID string) []*membershipv1.Representative {
		t.Helper()
		resp, err := h.coordinator.ListRepresentatives(ctx, &membershipv1.ListRepresentativesRequest{MemberId: memberID})
		if err != nil {
			t.Fatal(err)
		}
		return resp.GetRepresentatives()
	}
	unchanged := func(what, memberID string, want []*membershipv1.Representative) {
		t.Helper()
		got := people(memberID)
		if !slices.EqualFunc(got, want, func(a, b *membershipv1.Representative) bool { return proto.Equal(a, b) }) {
			t.Fatalf("%s changed %v, was %v", what, got, want)
		}
	}
	beforePorto, beforeLyon := people(portoID), people(lyonID)

	tech := rep("Fictional Tiago Modelo", "tiago.modelo@example.org", membershipv1.RepresentativeRole_REPRESENTATIVE_ROLE_TECHNICAL_CONTACT)
	tech.Language, tech.TimeZone = "pt-PT", "Atlantic/Azores"
	req := &membershipv1.UpdateRepresentativeRequest{MemberId: portoID, RepresentativeId: tiago.GetId(), Representative: tech}

	// Refused: public, other services, another city's representative (for
	// its own member or through it), and bad input.
	_, err = h.anonymous.UpdateRepresentative(ctx, req)
	testkit.WantCode(t, err, codes.Unauthenticated)
	_, err = h.service.UpdateRepresentative(ctx, req)
	testkit.WantCode(t, err, codes.PermissionDenied)
	_, err = ofLyon.UpdateRepresentative(ctx, req)
	testkit.WantCode(t, err, codes.PermissionDenied)
	_, err = ofLyon.UpdateRepresentative(ctx, &membershipv1.UpdateRepresentativeRequest{MemberId: lyonID, RepresentativeId: tiago.GetId(), Representative: tech})
	testkit.WantCode(t, err, codes.NotFound)
	_, err = ofPorto.UpdateRepresentative(ctx, &membershipv1.UpdateRepresentativeRequest{MemberId: portoID, RepresentativeId: lea.GetId(), Representative: tech})
	testkit.WantCode(t, err, codes.NotFound)
	for _, c := range []struct {
		name  string
		edit  func(d *membershipv1.RepresentativeDetails)
		field string
	}{
		{"unknown time zone", func(d *membershipv1.RepresentativeDetails) { d.TimeZone = "Europe/Atlantis" }, "representative.time_zone"},
		{"bad email", func(d *membershipv1.RepresentativeDetails) { d.Email = "tiago" }, "representative.email"},
		{"no role", func(d *membershipv1.RepresentativeDetails) { d.Role = 0 }, "representative.role"},
		{"bad language", func(d *membershipv1.RepresentativeDetails) { d.Language = "Portuguese" }, "representative.language"},
		{"blank name", func(d *membershipv1.RepresentativeDetails) { d.Name = "  " }, "representative.name"},
	} {
		d := proto.Clone(tech).(*membershipv1.RepresentativeDetails)
		c.edit(d)
		_, err := ofPorto.UpdateRepresentative(ctx, &membershipv1.UpdateRepresentativeRequest{MemberId: portoID, RepresentativeId: tiago.GetId(), Representative: d})
		if f := testkit.FieldViolations(t, err); !slices.Contains(f, c.field) {
			t.Errorf("%s: violations %v, want %s", c.name, f, c.field)
		}
	}
	// Rita's address is taken within Porto (in any case).
	dup := proto.Clone(tech).(*membershipv1.RepresentativeDetails)
	dup.Email = "RITA@example.org"
	_, err = h.coordinator.UpdateRepresentative(ctx, &membershipv1.UpdateRepresentativeRequest{MemberId: portoID, RepresentativeId: tiago.GetId(), Representative: dup})
	testkit.WantCode(t, err, codes.AlreadyExists)
	unchanged("refused edits", portoID, beforePorto)
	unchanged("refused edits", lyonID, beforeLyon)

	// A colleague of the same member corrects Tiago; then a coordinator; then an edit that changes nothing.
	got, err := ofPorto.UpdateRepresentative(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	r := got.GetRepresentative()
	if r.GetEmail() != "tiago.modelo@example.org" || r.GetTimeZone() != "Atlantic/Azores" || r.GetLanguage() != "pt-PT" ||
		r.GetRole() != membershipv1.RepresentativeRole_REPRESENTATIVE_ROLE_TECHNICAL_CONTACT || r.GetId() != tiago.GetId() ||
		r.GetMemberId() != portoID || !proto.Equal(r.GetCreatedAt(), tiago.GetCreatedAt()) {
		t.Fatalf("updated %v", r)
	}
	tech.Name = "Fictional Tiago Modelo Silva"
	if _, err := h.coordinator.UpdateRepresentative(ctx, req); err != nil {
		t.Fatal(err)
	}
	if _, err := h.coordinator.UpdateRepresentative(ctx, req); err != nil {
		t.Fatal(err)
	}
	unchanged("an edit of Porto's", lyonID, beforeLyon)

	evs := representativeUpdated(t, h, tiago.GetId(), 2)
	if !slices.Equal(evs[0].GetChangedFields(), []string{"email", "role", "language", "time_zone"}) ||
		evs[0].GetEmail() != "tiago.modelo@example.org" || evs[0].GetTimeZone() != "Atlantic/Azores" || evs[0].GetMemberId() != portoID ||
		!slices.Equal(evs[1].GetChangedFields(), []string{"name"}) || evs[1].GetName() != "Fictional Tiago Modelo Silva" {
		t.Errorf("events %v", evs)
	}
	representativeUpdated(t, h, lea.GetId(), 0)

	// Correcting one's own data is the same change, with the same event.
	mine := rep("Fictional Rita Exemplo", "rita@example.org", political)
	mine.TimeZone = "Europe/Madrid"
	if _, err := ofPorto.UpdateMyData(ctx, &membershipv1.UpdateMyDataRequest{Representative: mine}); err != nil {
		t.Fatal(err)
	}
	if ev := representativeUpdated(t, h, rita.GetId(), 1); !slices.Equal(ev[0].GetChangedFields(), []string{"time_zone"}) {
		t.Errorf("my data event %v", ev[0])
	}

	// A removed representative cannot be edited (the removal stays an event of its own).
	if _, err := h.coordinator.RemoveRepresentative(ctx, &membershipv1.RemoveRepresentativeRequest{MemberId: portoID, RepresentativeId: tiago.GetId()}); err != nil {
		t.Fatal(err)
	}
	_, err = h.coordinator.UpdateRepresentative(ctx, req)
	testkit.WantCode(t, err, codes.NotFound)
	representativeUpdated(t, h, tiago.GetId(), 2)
}
